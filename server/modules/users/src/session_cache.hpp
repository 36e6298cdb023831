#pragma once
// Recently authenticated sessions, so most requests skip the two session reads. An entry lives
// at most kTtlMs; every change that ends sessions in this process evicts them at once, and other
// processes notice within kTtlMs (docs/decisions/0002-sessions-and-csrf.md).
// Ending sessions also tells their open WebSockets (`session.ended`), which then close.
#include <mnemos/core/broadcaster.hpp>
#include <mnemos/http/auth.hpp>

#include <string_view>
#include <vector>

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace mnemos::users {

class SessionCache {
 public:
  static constexpr std::int64_t kTtlMs = 10'000;
  static constexpr std::size_t kMaxEntries = 50'000;

  explicit SessionCache(realtime::Broadcaster& broadcaster) : broadcaster_(broadcaster) {}

  // After the commit that ended them. `reason` is one of the values docs/api.md lists.
  void end_sessions(const std::vector<std::string>& session_ids, std::string_view reason) {
    for (const auto& id : session_ids) {
      broadcaster_.publish(realtime::session_topic(id), ended(reason));
    }
  }
  void end_user(const std::string& user_id, std::string_view reason) {
    evict_user(user_id);
    broadcaster_.publish(realtime::user_topic(user_id), ended(reason));
  }
  void end_school(const std::string& school_id, std::string_view reason) {
    evict_school(school_id);
    broadcaster_.publish(realtime::school_topic(school_id), ended(reason));
  }

  // A session cookie and an API token are looked up in different tables, so they are cached
  // under different keys: a token's identity must never answer for a cookie (which would then
  // skip CSRF), nor a cookie's for a bearer token.
  enum class Credential { session, api_token };
  static std::string key(Credential kind, const std::string& token_hash) {
    return (kind == Credential::session ? "session:" : "api_token:") + token_hash;
  }

  std::optional<http::Identity> find(const std::string& key, std::int64_t now) {
    std::lock_guard lock(mutex_);
    const auto it = entries_.find(key);
    if (it == entries_.end()) return std::nullopt;
    if (it->second.valid_until <= now) {
      entries_.erase(it);
      return std::nullopt;
    }
    return it->second.identity;
  }

  void put(const std::string& key, const http::Identity& identity, std::int64_t now,
           std::int64_t session_expires_at) {
    std::lock_guard lock(mutex_);
    if (entries_.size() >= kMaxEntries) entries_.clear();  // rare; the next requests refill it
    entries_[key] = Entry{identity, std::min(now + kTtlMs, session_expires_at)};
  }

  void evict(const std::string& key) {
    std::lock_guard lock(mutex_);
    entries_.erase(key);
  }

  void evict_user(const std::string& user_id) {
    std::lock_guard lock(mutex_);
    std::erase_if(entries_, [&](const auto& e) { return e.second.identity.user_id == user_id; });
  }

  void evict_school(const std::string& school_id) {
    std::lock_guard lock(mutex_);
    std::erase_if(entries_, [&](const auto& e) { return e.second.identity.school_id == school_id; });
  }

 private:
  static std::string ended(std::string_view reason) {
    return realtime::envelope("session.ended", "{\"reason\":\"" + std::string(reason) + "\"}");
  }

  realtime::Broadcaster& broadcaster_;
  struct Entry {
    http::Identity identity;
    std::int64_t valid_until;
  };
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace mnemos::users
