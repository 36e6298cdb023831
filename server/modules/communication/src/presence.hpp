#pragma once
// Presence (docs/communication.md, "Presence"): a person is online while one of their WebSockets is
// open on any process. Each process counts its own connections per person and keeps a row per
// person in communication_presence, refreshed every 30 s; a person coming online or going offline
// (on the last process) is told to the people they share a conversation with (`presence.changed`).
#include <mnemos/communication/module.hpp>
#include <mnemos/core/context.hpp>

#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace soci {
class session;
}

namespace mnemos::communication {

constexpr std::int64_t kPresenceRefreshMs = 30'000;
constexpr std::int64_t kPresenceStaleMs = 90'000;
// Presence is pushed through conversations of at most this many people (class channels, groups).
constexpr std::size_t kPresenceChannelLimit = 100;

class PresenceService {
 public:
  explicit PresenceService(Dependencies& deps);
  ~PresenceService();
  PresenceService(const PresenceService&) = delete;
  PresenceService& operator=(const PresenceService&) = delete;

  // A WebSocket of `ctx`'s user opened or closed on this process.
  void connection(const RequestContext& ctx, bool open);
  // Who of `user_ids` is online (any process), in the caller's transaction.
  std::set<std::string> online(soci::session& sql, const std::string& school_id,
                               const std::vector<std::string>& user_ids) const;

 private:
  void refresh_loop();
  void tell(const std::string& school_id, const std::string& user_id, bool online);

  Dependencies& deps_;
  std::string process_id_;
  std::mutex mutex_;
  std::map<std::string, int> connections_;  // per user of this process
  bool wrote_rows_ = false;  // a process that never served a WebSocket (`mnemos seed`, `openapi`) clears nothing
  std::condition_variable stop_signal_;
  bool stopping_ = false;
  std::thread refresher_;
};

}  // namespace mnemos::communication
