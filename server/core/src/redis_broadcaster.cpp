// The Redis broadcaster (broadcaster.hpp): one channel, `mnemos:realtime`, carries "topic\nmessage"
// between processes. A publishing connection (behind a mutex, half a second at most per command)
// and a subscribing thread; listeners of this process are called by the subscriber, so a message
// reaches them once whether this process or another published it. While the subscription is down,
// publishes are delivered here directly.
#include <mnemos/core/broadcaster.hpp>

#include <hiredis/hiredis.h>
#include <poll.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <stdexcept>
#include <thread>

namespace mnemos::realtime {
namespace {

constexpr const char* kChannel = "mnemos:realtime";
constexpr auto kRetryEvery = std::chrono::seconds(1);

struct Address {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string password;
  int database = 0;
};

Address parse_address(const std::string& url) {
  constexpr std::string_view scheme = "redis://";
  if (url.rfind(scheme, 0) != 0) throw std::invalid_argument("MNEMOS_REDIS_URL must start with redis://");
  Address a;
  std::string rest = url.substr(scheme.size());
  if (const auto at = rest.rfind('@'); at != std::string::npos) {
    const auto credentials = rest.substr(0, at);
    a.password = credentials.substr(credentials.find(':') == std::string::npos ? 0 : credentials.find(':') + 1);
    rest = rest.substr(at + 1);
  }
  if (const auto slash = rest.find('/'); slash != std::string::npos) {
    const auto db = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
    if (!db.empty()) {
      try {
        a.database = std::stoi(db);
      } catch (const std::exception&) {
        throw std::invalid_argument("MNEMOS_REDIS_URL: the database after / must be a number");
      }
    }
  }
  if (const auto colon = rest.rfind(':'); colon != std::string::npos) {
    try {
      a.port = std::stoi(rest.substr(colon + 1));
    } catch (const std::exception&) {
      throw std::invalid_argument("MNEMOS_REDIS_URL: the port must be a number");
    }
    rest = rest.substr(0, colon);
  }
  if (!rest.empty()) a.host = rest;
  return a;
}

struct ContextDeleter {
  void operator()(redisContext* c) const { redisFree(c); }
};
using Context = std::unique_ptr<redisContext, ContextDeleter>;
struct ReplyDeleter {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using Reply = std::unique_ptr<redisReply, ReplyDeleter>;

Reply command(redisContext* c, const char* format, auto... args) {
  return Reply(static_cast<redisReply*>(redisCommand(c, format, args...)));
}

// A connection, authenticated; nullptr (and why, in `error`) when Redis cannot be reached.
Context connect(const Address& a, std::string& error) {
  const timeval timeout{0, 500'000};
  Context c(redisConnectWithTimeout(a.host.c_str(), a.port, timeout));
  if (!c || c->err) {
    error = c ? c->errstr : "out of memory";
    return nullptr;
  }
  redisSetTimeout(c.get(), timeout);
  if (!a.password.empty()) {
    auto reply = command(c.get(), "AUTH %s", a.password.c_str());
    if (!reply || reply->type == REDIS_REPLY_ERROR) {
      error = reply ? std::string(reply->str, reply->len) : std::string(c->errstr);
      return nullptr;
    }
  }
  if (a.database != 0) {
    auto reply = command(c.get(), "SELECT %d", a.database);
    if (!reply || reply->type == REDIS_REPLY_ERROR) {
      error = "SELECT failed";
      return nullptr;
    }
  }
  return c;
}

class RedisBroadcaster final : public Broadcaster {
 public:
  explicit RedisBroadcaster(Address address) : address_(std::move(address)) {
    subscriber_ = std::thread([this] { subscribe_loop(); });
  }
  ~RedisBroadcaster() override {
    {
      std::lock_guard lock(stop_mutex_);
      stopping_ = true;
    }
    stop_cv_.notify_all();
    subscriber_.join();
  }

  void publish(std::string_view topic, const std::string& message) override {
    std::string payload;
    payload.reserve(topic.size() + 1 + message.size());
    payload.append(topic).append(1, '\n').append(message);
    const bool sent = send(payload);
    // Delivered here by the subscriber when both sides work; here directly otherwise.
    if (!sent || !subscribed_.load()) local_.publish(topic, message);
  }

  std::shared_ptr<void> listen(Listener listener) override { return local_.listen(std::move(listener)); }

 private:
  bool send(const std::string& payload) {
    std::lock_guard lock(publisher_mutex_);
    const auto now = std::chrono::steady_clock::now();
    if (!publisher_) {
      if (now < next_publisher_attempt_) return false;
      std::string error;
      publisher_ = connect(address_, error);
      if (!publisher_) {
        next_publisher_attempt_ = now + kRetryEvery;
        return false;
      }
    }
    auto reply = command(publisher_.get(), "PUBLISH %s %b", kChannel, payload.data(), payload.size());
    if (!reply || reply->type == REDIS_REPLY_ERROR) {
      publisher_.reset();
      next_publisher_attempt_ = now + kRetryEvery;
      return false;
    }
    return true;
  }

  bool wait_or_stop(std::chrono::milliseconds delay) {
    std::unique_lock lock(stop_mutex_);
    return stop_cv_.wait_for(lock, delay, [this] { return stopping_; });
  }
  bool stopping() {
    std::lock_guard lock(stop_mutex_);
    return stopping_;
  }

  void subscribe_loop() {
    bool warned = false;
    while (!stopping()) {
      std::string error;
      Context c = connect(address_, error);
      Reply reply = c ? command(c.get(), "SUBSCRIBE %s", kChannel) : nullptr;
      if (!reply || reply->type == REDIS_REPLY_ERROR) {
        if (!warned) {
          spdlog::warn("redis: cannot subscribe at {}:{} ({}): live messages stay within this process, retrying",
                       address_.host, address_.port, c ? std::string(c->errstr) : error);
          warned = true;
        }
        subscribed_ = false;
        if (wait_or_stop(kRetryEvery)) return;
        continue;
      }
      // Waiting for a message must not time out: the socket is read only when poll says so.
      redisSetTimeout(c.get(), timeval{0, 0});
      subscribed_ = true;
      spdlog::info("redis: subscribed at {}:{}", address_.host, address_.port);
      warned = false;
      while (!stopping()) {
        // What the reader holds already (a message may come in with the subscription's answer).
        void* raw = nullptr;
        while (redisGetReplyFromReader(c.get(), &raw) == REDIS_OK && raw != nullptr) {
          deliver(Reply(static_cast<redisReply*>(raw)));
          raw = nullptr;
        }
        pollfd fd{c->fd, POLLIN, 0};
        const int ready = ::poll(&fd, 1, 250);
        if (ready < 0 && errno == EINTR) continue;
        if (ready == 0) continue;
        if (ready < 0 || redisBufferRead(c.get()) != REDIS_OK) break;
      }
      subscribed_ = false;
      if (!stopping()) spdlog::warn("redis: subscription lost: live messages stay within this process, retrying");
      warned = true;
    }
  }

  void deliver(Reply reply) {
    // ["message", channel, payload]
    if (!reply || reply->type != REDIS_REPLY_ARRAY || reply->elements != 3) return;
    const redisReply* payload = reply->element[2];
    if (payload->type != REDIS_REPLY_STRING) return;
    const std::string_view text(payload->str, payload->len);
    const auto newline = text.find('\n');
    if (newline == std::string_view::npos) return;
    local_.publish(text.substr(0, newline), std::string(text.substr(newline + 1)));
  }

  Address address_;
  InProcessBroadcaster local_;
  std::mutex publisher_mutex_;
  Context publisher_;
  std::chrono::steady_clock::time_point next_publisher_attempt_{};
  std::atomic<bool> subscribed_{false};
  std::mutex stop_mutex_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::thread subscriber_;
};

}  // namespace

std::unique_ptr<Broadcaster> make_redis_broadcaster(const std::string& url) {
  return std::make_unique<RedisBroadcaster>(parse_address(url));
}

}  // namespace mnemos::realtime
