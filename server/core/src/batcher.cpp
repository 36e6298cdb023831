#include <mnemos/core/batcher.hpp>
#include <mnemos/core/error.hpp>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <thread>

namespace mnemos::db {

struct BatcherCore::State {
  struct Waiting {
    void* request;
    std::promise<void> done;
  };

  std::size_t max_batch;
  Flush flush;
  std::mutex mutex;
  std::condition_variable wake;
  std::deque<Waiting*> queue;
  bool stopping = false;
  std::vector<std::thread> threads;

  void loop() {
    std::vector<Waiting*> taken;
    std::vector<void*> batch;
    std::vector<std::exception_ptr> errors;
    while (true) {
      {
        std::unique_lock lock(mutex);
        wake.wait(lock, [&] { return stopping || !queue.empty(); });
        if (queue.empty()) return;  // stopping, nothing left
        while (!queue.empty() && taken.size() < max_batch) {
          taken.push_back(queue.front());
          queue.pop_front();
        }
      }
      for (auto* waiting : taken) batch.push_back(waiting->request);
      errors.assign(batch.size(), nullptr);
      std::exception_ptr failure;
      try {
        flush(batch, errors);
      } catch (...) {
        failure = std::current_exception();
      }
      for (std::size_t i = 0; i < taken.size(); ++i) {
        if (failure) {
          taken[i]->done.set_exception(failure);
        } else if (errors[i]) {
          taken[i]->done.set_exception(errors[i]);
        } else {
          taken[i]->done.set_value();
        }
      }
      taken.clear();
      batch.clear();
    }
  }
};

BatcherCore::BatcherCore(int threads, std::size_t max_batch, Flush flush) : state_(std::make_unique<State>()) {
  state_->max_batch = std::max<std::size_t>(1, max_batch);
  state_->flush = std::move(flush);
  for (int i = 0; i < std::max(1, threads); ++i) state_->threads.emplace_back([state = state_.get()] { state->loop(); });
}

BatcherCore::~BatcherCore() {
  {
    std::lock_guard lock(state_->mutex);
    state_->stopping = true;
  }
  state_->wake.notify_all();
  for (auto& thread : state_->threads) thread.join();  // what was queued is done first
}

void BatcherCore::run(void* request) {
  State::Waiting waiting{request, {}};
  auto done = waiting.done.get_future();
  {
    std::lock_guard lock(state_->mutex);
    if (state_->stopping) throw Error(ErrorCode::unavailable, "The server is shutting down.");
    state_->queue.push_back(&waiting);
  }
  state_->wake.notify_one();
  done.get();
}

}  // namespace mnemos::db
