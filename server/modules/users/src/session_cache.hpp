#pragma once
// Recently authenticated sessions, so most requests skip the session read. An entry lives at most
// the configured time (MNEMOS_SESSION_CACHE_SECONDS, a minute by default). Every change that ends
// sessions evicts them at once in the process that made it, and tells the others through the
// broadcaster (`session.ended` on the user's, school's or session's topic, which also closes their
// open WebSockets); every process's cache listens and evicts too. Only when the messages cannot
// travel (several processes without Redis, or Redis down) does another process notice late, within
// the entry's life (docs/decisions/0002-sessions-and-csrf.md). A school's read-only state is not
// kept here: it is asked again on every request (billing keeps it a few seconds).
#include <mnemos/core/broadcaster.hpp>
#include <mnemos/http/auth.hpp>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mnemos::users {

class SessionCache {
 public:
  static constexpr std::size_t kMaxEntries = 50'000;
  static constexpr std::string_view kChangedTopic = "cache:sessions";

  SessionCache(realtime::Broadcaster& broadcaster, std::int64_t ttl_ms)
      : broadcaster_(broadcaster), ttl_ms_(ttl_ms), store_(std::make_shared<Store>()) {
    // The listener holds the entries, not the cache: a message delivered while the cache is being
    // destroyed finds them still there.
    listening_ = broadcaster_.listen([store = std::weak_ptr<Store>(store_)](std::string_view topic,
                                                                            const std::string& message) {
      if (auto entries = store.lock()) entries->on_message(topic, message);
    });
  }

  std::int64_t ttl_ms() const { return ttl_ms_; }

  // After the commit that ended them. `reason` is one of the values docs/api.md lists.
  void end_sessions(const std::vector<std::string>& session_ids, std::string_view reason) {
    for (const auto& id : session_ids) {
      broadcaster_.publish(realtime::session_topic(id), ended(reason));
    }
  }
  void end_user(const std::string& user_id, std::string_view reason) {
    store_->evict_user(user_id);
    broadcaster_.publish(realtime::user_topic(user_id), ended(reason));
  }
  void end_school(const std::string& school_id, std::string_view reason) {
    store_->evict_school(school_id);
    broadcaster_.publish(realtime::school_topic(school_id), ended(reason));
  }

  // A session cookie and an API token are looked up in different tables, so they are cached
  // under different keys: a token's identity must never answer for a cookie (which would then
  // skip CSRF), nor a cookie's for a bearer token.
  enum class Credential { session, api_token };
  static std::string key(Credential kind, const std::string& token_hash) {
    return (kind == Credential::session ? "session:" : "api_token:") + token_hash;
  }

  std::optional<http::Identity> find(const std::string& key, std::int64_t now) { return store_->find(key, now); }

  void put(const std::string& key, const http::Identity& identity, std::int64_t now,
           std::int64_t session_expires_at) {
    store_->put(key, Entry{identity, std::min(now + ttl_ms_, session_expires_at)});
  }

  // One credential's entry (its own process; the others learn from end_sessions).
  void evict(const std::string& key) { store_->evict(key); }
  // What a user's or a school's sessions carry changed (roles, status, locale): every process
  // reads them again, on a topic no WebSocket listens to.
  void evict_user(const std::string& user_id) {
    store_->evict_user(user_id);
    broadcaster_.publish(kChangedTopic, realtime::user_topic(user_id));
  }
  void evict_school(const std::string& school_id) {
    store_->evict_school(school_id);
    broadcaster_.publish(kChangedTopic, realtime::school_topic(school_id));
  }

 private:
  static std::string ended(std::string_view reason) {
    return realtime::envelope("session.ended", "{\"reason\":\"" + std::string(reason) + "\"}");
  }

  struct Entry {
    http::Identity identity;
    std::int64_t valid_until;
  };
  class Store {
   public:
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
    void put(const std::string& key, Entry entry) {
      std::lock_guard lock(mutex_);
      if (entries_.size() >= kMaxEntries) entries_.clear();  // rare; the next requests refill it
      entries_[key] = std::move(entry);
    }
    void evict(const std::string& key) {
      std::lock_guard lock(mutex_);
      entries_.erase(key);
    }
    template <typename Matches>
    void evict_if(Matches matches) {
      std::lock_guard lock(mutex_);
      std::erase_if(entries_, [&](const auto& e) { return matches(e.second.identity); });
    }
    void evict_user(const std::string& user_id) {
      evict_if([&](const http::Identity& i) { return i.user_id == user_id; });
    }
    void evict_school(const std::string& school_id) {
      evict_if([&](const http::Identity& i) { return i.school_id == school_id; });
    }
    // Sessions ended by any process (this one included: evicting twice is harmless).
    void on_message(std::string_view topic, const std::string& message) {
      static constexpr std::string_view kEnded = R"({"type":"session.ended")";
      if (topic == kChangedTopic) {
        topic = message;  // whose sessions changed
      } else if (!std::string_view(message).starts_with(kEnded)) {
        return;  // chat, notifications...
      }
      const auto colon = topic.find(':');
      if (colon == std::string_view::npos) return;
      const std::string id(topic.substr(colon + 1));
      const std::string_view kind = topic.substr(0, colon + 1);
      if (kind == "user:") {
        evict_user(id);
      } else if (kind == "school:") {
        evict_school(id);
      } else if (kind == "session:") {
        evict_if([&](const http::Identity& i) { return i.credential_id == id; });
      }
    }

   private:
    std::mutex mutex_;
    std::unordered_map<std::string, Entry> entries_;
  };

  realtime::Broadcaster& broadcaster_;
  std::int64_t ttl_ms_;
  std::shared_ptr<Store> store_;
  std::shared_ptr<void> listening_;
};

}  // namespace mnemos::users
