#include <mnemos/core/batcher.hpp>
#include <mnemos/core/error.hpp>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

namespace mnemos::db {

// Leader and followers: a caller that finds fewer than `max_leaders` batches in flight runs one
// itself, taking every request queued (its own first); the others wait, each on its own condition,
// until a leader has done theirs or hands them the lead. No thread of the batcher's own: a request
// alone costs no hand-off at all, one in a batch a single wake-up. (Two batcher threads, every
// request handed to them and back through a promise, spent a fifth of the server's time waking
// threads at 20,000 students: docs/performance.md.)
struct BatcherCore::State {
  struct Waiting {
    void* request = nullptr;
    std::condition_variable wake;
    bool taken = false;  // in a leader's batch
    bool done = false;
    std::exception_ptr error;
  };

  std::size_t max_batch = 1;
  std::size_t max_leaders = 1;
  Flush flush;
  std::mutex mutex;
  std::deque<Waiting*> queue;  // not yet taken, oldest first
  std::size_t leaders = 0;
  bool stopping = false;
  // A leader wakes its followers after letting go of the mutex (woken under it, each would first
  // sleep again on the mutex: twice the wake-ups). A follower may then return before its wake-up
  // comes, so waiting places are never freed while the batcher lives, only reused: a late wake-up
  // reaches the next caller as a spurious one, which waits again.
  std::vector<std::unique_ptr<Waiting>> places;
  std::vector<Waiting*> free_places;

  Waiting& take_place(void* request) {
    if (free_places.empty()) {
      places.push_back(std::make_unique<Waiting>());
      free_places.push_back(places.back().get());
    }
    Waiting& place = *free_places.back();
    free_places.pop_back();
    place.request = request;
    place.taken = place.done = false;
    place.error = nullptr;
    return place;
  }
};

BatcherCore::BatcherCore(int concurrent_batches, std::size_t max_batch, Flush flush)
    : state_(std::make_unique<State>()) {
  state_->max_batch = std::max<std::size_t>(1, max_batch);
  state_->max_leaders = static_cast<std::size_t>(std::max(1, concurrent_batches));
  state_->flush = std::move(flush);
}

BatcherCore::~BatcherCore() {
  std::lock_guard lock(state_->mutex);
  state_->stopping = true;  // callers have all returned: the owner outlives its calls
}

void BatcherCore::run(void* request) {
  State& s = *state_;
  std::vector<State::Waiting*> taken;
  std::vector<void*> batch;
  std::vector<std::exception_ptr> errors;
  std::unique_lock lock(s.mutex);
  if (s.stopping) throw Error(ErrorCode::unavailable, "The server is shutting down.");
  State::Waiting& me = s.take_place(request);
  s.queue.push_back(&me);
  while (!me.done) {
    if (me.taken || s.leaders >= s.max_leaders) {
      me.wake.wait(lock);
      continue;
    }
    // Lead: this request first, then the oldest queued.
    ++s.leaders;
    s.queue.erase(std::find(s.queue.begin(), s.queue.end(), &me));
    me.taken = true;
    taken.assign(1, &me);
    while (!s.queue.empty() && taken.size() < s.max_batch) {
      s.queue.front()->taken = true;
      taken.push_back(s.queue.front());
      s.queue.pop_front();
    }
    // More than a batch was queued and another may run: the next oldest leads it.
    State::Waiting* next_leader = !s.queue.empty() && s.leaders < s.max_leaders ? s.queue.front() : nullptr;
    lock.unlock();
    if (next_leader != nullptr) next_leader->wake.notify_one();
    batch.clear();
    for (auto* waiting : taken) batch.push_back(waiting->request);
    errors.assign(batch.size(), nullptr);
    std::exception_ptr failure;
    try {
      s.flush(batch, errors);
    } catch (...) {
      failure = std::current_exception();
    }
    lock.lock();
    --s.leaders;
    for (std::size_t i = 0; i < taken.size(); ++i) {
      taken[i]->error = failure ? failure : errors[i];
      taken[i]->done = true;
    }
    next_leader = s.queue.empty() ? nullptr : s.queue.front();  // the next batch's leader
    lock.unlock();
    for (auto* waiting : taken) {
      if (waiting != &me) waiting->wake.notify_one();
    }
    if (next_leader != nullptr) next_leader->wake.notify_one();
    lock.lock();
  }
  std::exception_ptr error = std::move(me.error);
  me.error = nullptr;
  s.free_places.push_back(&me);
  lock.unlock();
  if (error) std::rethrow_exception(error);
}

}  // namespace mnemos::db
