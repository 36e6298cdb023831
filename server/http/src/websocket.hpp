#pragma once
// The WebSocket gateway (`/ws`, role `ws`): JSON envelopes {type, id, data} both ways, one
// connection per browser tab, authenticated by the session at the handshake and again every
// minute. Internal to mnemos_http: only this library includes Beast.
#include <mnemos/core/broadcaster.hpp>
#include <mnemos/http/auth.hpp>
#include <mnemos/http/request.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace mnemos::http {
class Dispatcher;
struct WebSocketOptions;
}  // namespace mnemos::http

namespace mnemos::http::detail {

class WebSocketConnection;

// Who is connected, by topic; delivers broadcast messages to them.
class WebSocketHub {
 public:
  explicit WebSocketHub(std::atomic<std::int64_t>& gauge) : gauge_(gauge) {}

  // Queues `message` on every connection of `topic`. A `session.ended` message also closes them.
  void deliver(std::string_view topic, const std::string& message);
  // Sends a close frame (1001, going away) to every connection: shutdown.
  void close_all();
  std::size_t size() const;

  void add(const std::shared_ptr<WebSocketConnection>& connection,
           const std::vector<std::string>& topics);
  void remove(const WebSocketConnection* connection, const std::vector<std::string>& topics);

 private:
  std::atomic<std::int64_t>& gauge_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::vector<std::weak_ptr<WebSocketConnection>>> by_topic_;
  std::vector<std::weak_ptr<WebSocketConnection>> all_;
};

// Runs one upgraded connection until it closes. `owner` keeps `stream` alive.
boost::asio::awaitable<void> serve_websocket(
    boost::beast::tcp_stream& stream, std::shared_ptr<void> owner,
    const boost::beast::http::request<boost::beast::http::string_body>& upgrade, Identity identity,
    Request request, Dispatcher& dispatcher, WebSocketHub& hub, boost::asio::thread_pool& pool,
    const WebSocketOptions& options);

}  // namespace mnemos::http::detail
