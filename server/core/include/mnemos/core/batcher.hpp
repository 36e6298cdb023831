#pragma once
// Requests from many threads done together: one statement and one round trip for every request
// queued meanwhile instead of one each (docs/decisions/0013-answers-batched-on-postgresql.md).
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <vector>

namespace mnemos::db {

class BatcherCore;

// `Request` holds a caller's inputs and receives its outputs. `run(request)` returns once a batch
// holding it is done, or rethrows the error `flush` set for it. At most `concurrent_batches`
// batches are in flight, each of up to `max_batch` requests, run by one of the callers:
// `flush(batch, errors)` does them together and sets `errors[i]` for a request that failed alone;
// an exception out of `flush` fails the whole batch. While batches are in flight the next fills:
// under load the batches grow, and idle, a request is done at once on its caller's thread.
// The owner destroys the batcher only once no call is in progress.
template <typename Request>
class Batcher {
 public:
  using Flush = std::function<void(const std::vector<Request*>& batch, std::vector<std::exception_ptr>& errors)>;
  Batcher(int concurrent_batches, std::size_t max_batch, Flush flush);
  ~Batcher();
  Batcher(const Batcher&) = delete;
  Batcher& operator=(const Batcher&) = delete;

  void run(Request& request);

 private:
  std::unique_ptr<BatcherCore> core_;
};

// The type-erased queue behind Batcher (core/src/batcher.cpp).
class BatcherCore {
 public:
  using Flush = std::function<void(const std::vector<void*>& batch, std::vector<std::exception_ptr>& errors)>;
  BatcherCore(int concurrent_batches, std::size_t max_batch, Flush flush);
  ~BatcherCore();
  void run(void* request);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

template <typename Request>
Batcher<Request>::Batcher(int concurrent_batches, std::size_t max_batch, Flush flush)
    : core_(std::make_unique<BatcherCore>(
          concurrent_batches, max_batch,
          [flush = std::move(flush)](const std::vector<void*>& batch, std::vector<std::exception_ptr>& errors) {
            std::vector<Request*> typed;
            typed.reserve(batch.size());
            for (void* request : batch) typed.push_back(static_cast<Request*>(request));
            flush(typed, errors);
          })) {}

template <typename Request>
Batcher<Request>::~Batcher() = default;

template <typename Request>
void Batcher<Request>::run(Request& request) {
  core_->run(&request);
}

}  // namespace mnemos::db
