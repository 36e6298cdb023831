#pragma once
// The most recent server-side failures (5xx), kept in memory for the support views: a user quotes
// the request id shown with "Something went wrong", support finds the route and the time.
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace mnemos::http {

struct ServerError {
  std::int64_t at_ms = 0;
  std::string request_id;
  std::string method;
  std::string route;  // the route's pattern (no ids, no query string)
  int status = 0;
  std::optional<std::string> school_id;
  std::string detail;  // the internal message: shown to platform staff only
};

class ErrorLog {
 public:
  static constexpr std::size_t kCapacity = 200;

  void record(ServerError error) {
    std::lock_guard lock(mutex_);
    if (errors_.size() == kCapacity) errors_.pop_front();
    errors_.push_back(std::move(error));
  }
  // Newest first; `school_id` nullopt: every error.
  std::vector<ServerError> recent(const std::optional<std::string>& school_id) const {
    std::lock_guard lock(mutex_);
    std::vector<ServerError> out;
    for (auto it = errors_.rbegin(); it != errors_.rend(); ++it) {
      if (!school_id || it->school_id == school_id) out.push_back(*it);
    }
    return out;
  }

 private:
  mutable std::mutex mutex_;
  std::deque<ServerError> errors_;
};

}  // namespace mnemos::http
