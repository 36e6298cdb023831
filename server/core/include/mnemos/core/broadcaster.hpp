#pragma once
// Fan-out of real-time messages to connected clients (docs/architecture.md). A module
// publishes an envelope to a topic; every WebSocket gateway subscribed delivers it to the
// connections of that topic. The default delivers within the process; the Redis one
// (MNEMOS_REDIS_URL) carries messages between the processes behind one address
// (docs/decisions/0010-redis-pub-sub-between-processes.md).
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace mnemos::realtime {

// Topics: every connection of a user, of a school, or of one login session.
std::string user_topic(std::string_view user_id);
std::string school_topic(std::string_view school_id);
std::string session_topic(std::string_view session_id);

// A JSON envelope `{"type": ..., "id": null, "data": ...}`; `data_json` must be valid JSON.
std::string envelope(std::string_view type, std::string_view data_json = "{}");

class Broadcaster {
 public:
  using Listener = std::function<void(std::string_view topic, const std::string& message)>;
  virtual ~Broadcaster() = default;
  // Never blocks on a slow client: listeners only queue the message.
  virtual void publish(std::string_view topic, const std::string& message) = 0;
  // The listener is called until the returned handle is destroyed.
  [[nodiscard]] virtual std::shared_ptr<void> listen(Listener listener) = 0;
};

class InProcessBroadcaster final : public Broadcaster {
 public:
  void publish(std::string_view topic, const std::string& message) override;
  [[nodiscard]] std::shared_ptr<void> listen(Listener listener) override;

 private:
  std::mutex mutex_;
  std::vector<std::weak_ptr<Listener>> listeners_;
};

// Redis pub/sub (`redis://[:password@]host[:port][/db]`): every process publishes to and listens on
// one channel, so a message published by any process reaches the listeners of all. While Redis is
// unreachable, messages are delivered within the process only (clients of other processes catch up
// through the API) and the connection is retried every second; it recovers by itself. Throws
// std::invalid_argument for an address it cannot read. Never blocks long: a publish waits at most
// half a second for Redis.
std::unique_ptr<Broadcaster> make_redis_broadcaster(const std::string& url);

}  // namespace mnemos::realtime
