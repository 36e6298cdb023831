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

// `Request` holds a caller's inputs and receives its outputs. `run(request)` queues it and returns
// once a batch holding it is done, or rethrows the error `flush` set for it. `threads` threads each
// take up to `max_batch` queued requests and call `flush(batch, errors)`, which does them together
// and sets `errors[i]` for a request that failed alone; an exception out of `flush` fails the whole
// batch. While one batch is in flight the next fills: under load the batches grow, and idle, a
// request is done at once (one hand-off between threads). The destructor finishes what is queued.
template <typename Request>
class Batcher {
 public:
  using Flush = std::function<void(const std::vector<Request*>& batch, std::vector<std::exception_ptr>& errors)>;
  Batcher(int threads, std::size_t max_batch, Flush flush);
  ~Batcher();
  Batcher(const Batcher&) = delete;
  Batcher& operator=(const Batcher&) = delete;

  void run(Request& request);

 private:
  std::unique_ptr<BatcherCore> core_;
};

// The type-erased queue and threads behind Batcher (core/src/batcher.cpp).
class BatcherCore {
 public:
  using Flush = std::function<void(const std::vector<void*>& batch, std::vector<std::exception_ptr>& errors)>;
  BatcherCore(int threads, std::size_t max_batch, Flush flush);
  ~BatcherCore();
  void run(void* request);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

template <typename Request>
Batcher<Request>::Batcher(int threads, std::size_t max_batch, Flush flush)
    : core_(std::make_unique<BatcherCore>(
          threads, max_batch,
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
