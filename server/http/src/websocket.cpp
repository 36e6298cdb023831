#include "websocket.hpp"

#include <mnemos/core/error.hpp>
#include <mnemos/core/json.hpp>
#include <mnemos/core/messages.hpp>
#include <mnemos/http/dispatcher.hpp>
#include <mnemos/http/problem.hpp>
#include <mnemos/http/server.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <array>
#include <chrono>
#include <deque>

namespace mnemos::http::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

// Application close codes (4000-4999 are ours, RFC 6455 section 7.4.2).
constexpr std::uint16_t kSessionEnded = 4401;

namespace {

std::string reply(std::string_view type, const boost::json::value& id, boost::json::object data) {
  boost::json::object out;
  out["type"] = type;
  out["id"] = id;
  out["data"] = std::move(data);
  return boost::json::serialize(out);
}

std::string error_reply(const boost::json::value& id, int status, std::string_view field,
                        std::string_view detail) {
  boost::json::object data;
  data["status"] = status;
  if (!field.empty()) data["field"] = field;
  data["detail"] = detail;
  return reply("error", id, std::move(data));
}

// The type of a broadcast envelope, read once per message rather than once per connection.
std::string envelope_type(const std::string& message) {
  boost::system::error_code ec;
  const auto value = boost::json::parse(message, ec);
  if (ec || !value.is_object()) return {};
  const auto* type = value.as_object().if_contains("type");
  return type != nullptr && type->is_string() ? std::string(type->as_string()) : std::string();
}

}  // namespace

class WebSocketConnection : public std::enable_shared_from_this<WebSocketConnection> {
 public:
  WebSocketConnection(beast::tcp_stream& stream, std::shared_ptr<void> owner, Identity identity,
                      Request request, Dispatcher& dispatcher, asio::thread_pool& pool,
                      const WebSocketOptions& options)
      : ws_(stream),
        owner_(std::move(owner)),
        wake_(stream.get_executor()),
        reauthenticate_timer_(stream.get_executor()),
        identity_(std::move(identity)),
        request_(std::move(request)),
        dispatcher_(dispatcher),
        pool_(pool),
        modules_(asio::make_strand(pool.get_executor())),
        options_(options),
        tokens_(options.messages_per_second * 3) {}

  std::vector<std::string> topics() const {
    std::vector<std::string> out{realtime::user_topic(identity_.user_id)};
    if (!identity_.credential_id.empty()) {
      out.push_back(realtime::session_topic(identity_.credential_id));
    }
    if (identity_.school_id) out.push_back(realtime::school_topic(*identity_.school_id));
    return out;
  }

  // Thread-safe: both hop onto the connection's loop.
  void send(std::string message) {
    asio::post(ws_.get_executor(), [self = shared_from_this(), message = std::move(message)]() mutable {
      self->enqueue(std::move(message));
    });
  }
  void close(std::uint16_t code, std::string reason) {
    asio::post(ws_.get_executor(), [self = shared_from_this(), code, reason = std::move(reason)] {
      self->request_close(code, reason);
    });
  }

  asio::awaitable<void> run(const beast::http::request<beast::http::string_body>& upgrade,
                            WebSocketHub& hub) {
    auto self = shared_from_this();
    // The WebSocket's own timeouts replace the HTTP ones: ping when idle, give up after silence.
    beast::get_lowest_layer(ws_).expires_never();
    websocket::stream_base::timeout timeout{};
    timeout.handshake_timeout = std::chrono::seconds(30);
    timeout.idle_timeout = std::chrono::seconds(options_.idle_timeout_s);
    timeout.keep_alive_pings = true;
    ws_.set_option(timeout);
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& response) { response.set(beast::http::field::server, "mnemos"); }));
    ws_.read_message_max(options_.message_limit);
    auto [accept_error] = co_await ws_.async_accept(upgrade, kUseTuple);
    if (accept_error) co_return;

    const auto topics = this->topics();
    hub.add(self, topics);
    boost::json::object welcome;
    welcome["user_id"] = identity_.user_id;
    welcome["heartbeat_seconds"] = options_.idle_timeout_s / 2;
    enqueue(reply("welcome", nullptr, std::move(welcome)));
    tell_modules(self, true);
    asio::co_spawn(ws_.get_executor(), write_loop(self), asio::detached);
    asio::co_spawn(ws_.get_executor(), reauthenticate_loop(self), asio::detached);

    co_await read_loop();

    closing_ = true;
    wake_.cancel();
    reauthenticate_timer_.cancel();
    hub.remove(this, topics);
    tell_modules(self, false);
    co_await linger();
  }

 private:
  // Presence and the like: the modules hear of the connection on the blocking pool, the opening
  // always before the closing (a strand of the pool per connection).
  void tell_modules(const std::shared_ptr<WebSocketConnection>& self, bool open) {
    if (dispatcher_.router().connection_handlers().empty()) return;
    asio::post(modules_, [self, open] { self->dispatcher_.socket_connection(self->identity_, self->request_, open); });
  }

  asio::awaitable<void> read_loop() {
    beast::flat_buffer buffer;
    while (true) {
      auto [read_error, bytes] = co_await ws_.async_read(buffer, kUseTuple);
      if (read_error) {
        // Closed by the client, by us (shutdown, session ended), too big (1009 sent by Beast),
        // idle, or dropped as too slow: the connection is over either way.
        co_return;
      }
      if (closing_) {
        buffer.consume(buffer.size());
        continue;
      }
      if (!ws_.got_text()) {
        buffer.consume(buffer.size());
        enqueue(error_reply(nullptr, 400, "", "Send JSON text messages."));
        continue;
      }
      std::string text = beast::buffers_to_string(buffer.data());
      buffer.consume(buffer.size());
      handle(text);
    }
  }

  // After a failure (a message too big, bad UTF-8) Beast has sent its close frame, but the client
  // may still be sending: closing now, with unread bytes, would reset the connection and lose that
  // frame. Stop sending and read what is left for a moment first.
  asio::awaitable<void> linger() {
    auto& stream = beast::get_lowest_layer(ws_);
    if (!stream.socket().is_open()) co_return;
    boost::system::error_code ignored;
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    stream.expires_after(std::chrono::seconds(2));
    std::array<char, 8192> sink;
    std::size_t drained = 0;
    while (drained < (4u << 20)) {
      auto [read_error, bytes] = co_await stream.async_read_some(asio::buffer(sink), kUseTuple);
      if (read_error) break;
      drained += bytes;
    }
  }

  void handle(const std::string& text) {
    if (!take_token()) {
      enqueue(error_reply(nullptr, 429, "", "Too many messages. Slow down."));
      return;
    }
    boost::json::value message;
    try {
      message = json::parse(text);
    } catch (const Error& error) {
      enqueue(error_reply(nullptr, 400, "", error.what()));
      return;
    }
    if (!message.is_object()) {
      enqueue(error_reply(nullptr, 400, "", "Send a JSON object: {\"type\": ..., \"id\": ..., \"data\": ...}."));
      return;
    }
    const auto& envelope = message.as_object();
    boost::json::value id = nullptr;
    if (const auto* given = envelope.if_contains("id")) {
      const bool short_string = given->is_string() && given->as_string().size() <= 64;
      if (!short_string && !given->is_int64() && !given->is_null()) {
        enqueue(error_reply(nullptr, 400, "id", "id must be a string of at most 64 characters or an integer."));
        return;
      }
      id = *given;
    }
    const auto* type = envelope.if_contains("type");
    if (type == nullptr || !type->is_string()) {
      enqueue(error_reply(id, 400, "type", "type is required and must be a string."));
      return;
    }
    if (type->as_string() == "ping") {
      enqueue(reply("pong", id, {}));
      return;
    }
    if (dispatcher_.router().socket_handler(type->as_string()) != nullptr) {
      const auto* data = envelope.if_contains("data");
      asio::co_spawn(ws_.get_executor(),
                     run_module_message(shared_from_this(), std::string(type->as_string()),
                                        data != nullptr ? boost::json::serialize(*data) : std::string("{}"), id),
                     asio::detached);
      return;
    }
    std::string detail = "Unknown message type '";
    const auto& name = type->as_string();
    detail.append(name.data(), std::min<std::size_t>(name.size(), 40));
    detail += "'.";
    if (!json::is_valid_utf8(detail)) detail = "Unknown message type.";
    enqueue(error_reply(id, 400, "type", detail));
  }

  // A message a module handles (router.on_socket) runs on the blocking pool (it may read the
  // database); its reply, or its refusal as an `error` envelope, comes back on the connection.
  asio::awaitable<void> run_module_message([[maybe_unused]] std::shared_ptr<WebSocketConnection> self,
                                           std::string type, std::string data, boost::json::value id) {
    std::string outcome = co_await asio::co_spawn(
        pool_.get_executor(),
        [this, &type, &data, &id]() -> asio::awaitable<std::string> {
          const auto& locale = identity_.locale.empty() ? std::string("en") : identity_.locale;
          try {
            const auto answer = dispatcher_.socket_message(identity_, request_, type, data);
            if (!answer || answer->empty()) co_return std::string();
            boost::json::object out;
            out["type"] = "ack";
            out["id"] = id;
            out["data"] = json::parse(*answer);
            co_return boost::json::serialize(out);
          } catch (const Error& error) {
            const std::string field = error.fields().empty() ? std::string() : error.fields().front().field;
            const std::string detail = error.fields().empty() ? error.what() : error.fields().front().message;
            co_return error_reply(id, status_of(error.code()), field, messages::translate(locale, detail));
          } catch (const std::exception& error) {
            spdlog::error("websocket message {} of user {} failed: {}", type, identity_.user_id, error.what());
            co_return error_reply(id, 500, "",
                                  messages::translate(locale, "Something went wrong on our side. It has been logged."));
          }
        },
        asio::use_awaitable);
    if (!outcome.empty()) enqueue(std::move(outcome));
  }

  bool take_token() {
    const auto now = std::chrono::steady_clock::now();
    const double elapsed = std::chrono::duration<double>(now - refilled_).count();
    refilled_ = now;
    tokens_ = std::min(options_.messages_per_second * 3, tokens_ + elapsed * options_.messages_per_second);
    if (tokens_ < 1) return false;
    tokens_ -= 1;
    return true;
  }

  // Strand only from here on.
  void enqueue(std::string message) {
    if (closing_) return;
    if (queue_.size() >= options_.queue_messages || queued_bytes_ + message.size() > options_.queue_bytes) {
      spdlog::info("websocket of user {} dropped: it did not keep up with its messages",
                   identity_.user_id);
      drop();
      return;
    }
    queued_bytes_ += message.size();
    queue_.push_back(std::move(message));
    wake_.cancel();
  }

  void request_close(std::uint16_t code, const std::string& reason) {
    if (closing_) return;
    closing_ = true;
    close_reason_ = websocket::close_reason(static_cast<websocket::close_code>(code), reason);
    wake_.cancel();
  }

  void drop() {
    closing_ = true;
    dropped_ = true;
    boost::system::error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
    wake_.cancel();
  }

  // One writer at a time (Beast allows one write in flight): messages in order, then the close.
  // `self` keeps the connection alive for as long as the coroutine runs.
  asio::awaitable<void> write_loop([[maybe_unused]] std::shared_ptr<WebSocketConnection> self) {
    while (!dropped_) {
      if (!queue_.empty()) {
        std::string message = std::move(queue_.front());
        queue_.pop_front();
        queued_bytes_ -= message.size();
        ws_.text(true);
        auto [write_error, written] = co_await ws_.async_write(asio::buffer(message), kUseTuple);
        if (write_error) break;
        continue;
      }
      if (closing_) {
        if (close_reason_) co_await ws_.async_close(*close_reason_, kUseTuple);
        break;
      }
      wake_.expires_at(asio::steady_timer::time_point::max());
      co_await wake_.async_wait(kUseTuple);
    }
  }

  // Sessions end in other processes too (log out everywhere on another server): check again.
  asio::awaitable<void> reauthenticate_loop(
      [[maybe_unused]] std::shared_ptr<WebSocketConnection> self) {
    while (!closing_) {
      reauthenticate_timer_.expires_after(std::chrono::seconds(options_.reauthenticate_s));
      auto [wait_error] = co_await reauthenticate_timer_.async_wait(kUseTuple);
      if (wait_error || closing_) co_return;
      const bool valid = co_await asio::co_spawn(
          pool_.get_executor(),
          [this]() -> asio::awaitable<bool> { co_return dispatcher_.still_authenticated(request_); },
          asio::use_awaitable);
      if (!valid) {
        enqueue(realtime::envelope("session.ended", R"({"reason":"expired"})"));
        request_close(kSessionEnded, "session ended");
      }
    }
  }

  websocket::stream<beast::tcp_stream&> ws_;
  std::shared_ptr<void> owner_;
  asio::steady_timer wake_;
  asio::steady_timer reauthenticate_timer_;
  Identity identity_;
  Request request_;
  Dispatcher& dispatcher_;
  asio::thread_pool& pool_;
  asio::strand<asio::thread_pool::executor_type> modules_;  // opening and closing told in that order
  const WebSocketOptions& options_;
  std::deque<std::string> queue_;
  std::size_t queued_bytes_ = 0;
  bool closing_ = false;
  bool dropped_ = false;
  std::optional<websocket::close_reason> close_reason_;
  double tokens_;
  std::chrono::steady_clock::time_point refilled_ = std::chrono::steady_clock::now();

  friend class WebSocketHub;
};

void WebSocketHub::add(const std::shared_ptr<WebSocketConnection>& connection,
                       const std::vector<std::string>& topics) {
  std::lock_guard lock(mutex_);
  for (const auto& topic : topics) by_topic_[topic].push_back(connection);
  std::erase_if(all_, [](const auto& weak) { return weak.expired(); });
  all_.push_back(connection);
  ++gauge_;
}

void WebSocketHub::remove(const WebSocketConnection* connection,
                          const std::vector<std::string>& topics) {
  std::lock_guard lock(mutex_);
  for (const auto& topic : topics) {
    const auto it = by_topic_.find(topic);
    if (it == by_topic_.end()) continue;
    std::erase_if(it->second, [&](const auto& weak) {
      const auto live = weak.lock();
      return !live || live.get() == connection;
    });
    if (it->second.empty()) by_topic_.erase(it);
  }
  std::erase_if(all_, [&](const auto& weak) {
    const auto live = weak.lock();
    return !live || live.get() == connection;
  });
  --gauge_;
}

void WebSocketHub::deliver(std::string_view topic, const std::string& message) {
  std::vector<std::shared_ptr<WebSocketConnection>> targets;
  {
    std::lock_guard lock(mutex_);
    const auto it = by_topic_.find(std::string(topic));
    if (it == by_topic_.end()) return;
    for (const auto& weak : it->second) {
      if (auto connection = weak.lock()) targets.push_back(std::move(connection));
    }
  }
  if (targets.empty()) return;
  const bool ends_session = envelope_type(message) == "session.ended";
  for (const auto& connection : targets) {
    connection->send(message);
    if (ends_session) connection->close(kSessionEnded, "session ended");
  }
}

void WebSocketHub::close_all() {
  std::vector<std::shared_ptr<WebSocketConnection>> targets;
  {
    std::lock_guard lock(mutex_);
    for (const auto& weak : all_) {
      if (auto connection = weak.lock()) targets.push_back(std::move(connection));
    }
  }
  for (const auto& connection : targets) connection->close(websocket::close_code::going_away, "server stopping");
}

std::size_t WebSocketHub::size() const {
  std::lock_guard lock(mutex_);
  return all_.size();
}

asio::awaitable<void> serve_websocket(beast::tcp_stream& stream, std::shared_ptr<void> owner,
                                      const beast::http::request<beast::http::string_body>& upgrade,
                                      Identity identity, Request request, Dispatcher& dispatcher,
                                      WebSocketHub& hub, asio::thread_pool& pool,
                                      const WebSocketOptions& options) {
  auto connection = std::make_shared<WebSocketConnection>(stream, std::move(owner), std::move(identity),
                                                          std::move(request), dispatcher, pool, options);
  co_await connection->run(upgrade, hub);
}

}  // namespace mnemos::http::detail
