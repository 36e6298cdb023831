#include "websocket_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>

#include <algorithm>

namespace mnemos::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

struct WebSocketClient::Impl {
  asio::io_context ioc;
  websocket::stream<beast::tcp_stream> ws{ioc};
  beast::flat_buffer buffer;
  bool open = false;

  // Runs the io_context until `done` or the timeout; cancels the operation on timeout.
  bool run_until(bool& done, std::chrono::milliseconds timeout) {
    ioc.restart();
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done && std::chrono::steady_clock::now() < deadline) {
      ioc.run_one_for(std::chrono::milliseconds(20));
    }
    if (!done) {
      beast::get_lowest_layer(ws).cancel();
      ioc.restart();
      while (!done) ioc.run_one_for(std::chrono::milliseconds(20));
      return false;
    }
    return true;
  }
};

WebSocketClient::WebSocketClient() : impl_(std::make_unique<Impl>()) {}
WebSocketClient::~WebSocketClient() {
  boost::system::error_code ignored;
  beast::get_lowest_layer(impl_->ws).socket().close(ignored);
}

WebSocketClient::Handshake WebSocketClient::connect(
    std::uint16_t port, std::vector<std::pair<std::string, std::string>> headers,
    const std::string& target) {
  Handshake result;
  beast::get_lowest_layer(impl_->ws).connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  impl_->ws.set_option(websocket::stream_base::decorator([headers](websocket::request_type& request) {
    for (const auto& [name, value] : headers) request.set(name, value);
  }));
  websocket::response_type response;
  boost::system::error_code ec;
  impl_->ws.handshake(response, "127.0.0.1:" + std::to_string(port), target, ec);
  result.status = static_cast<int>(response.result_int());
  result.body = response.body();
  result.upgraded = !ec;
  impl_->open = result.upgraded;
  return result;
}

void WebSocketClient::send(const std::string& text) {
  impl_->ws.text(true);
  impl_->ws.write(asio::buffer(text));
}

void WebSocketClient::send_binary(const std::string& bytes) {
  impl_->ws.binary(true);
  impl_->ws.write(asio::buffer(bytes));
}

WebSocketClient::Event WebSocketClient::next(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const auto left = std::max(std::chrono::milliseconds(1), std::chrono::duration_cast<std::chrono::milliseconds>(
                                                                 deadline - std::chrono::steady_clock::now()));
    auto event = next_any(left);
    if (event.kind != Event::message || event.text.find("\"presence.changed\"") == std::string::npos) return event;
    boost::system::error_code ec;
    const auto value = boost::json::parse(event.text, ec);
    if (ec || !value.is_object() || !value.as_object().contains("type") ||
        value.as_object().at("type") != "presence.changed") {
      return event;
    }
  }
}

WebSocketClient::Event WebSocketClient::next_any(std::chrono::milliseconds timeout) {
  Event event;
  if (!impl_->open) {
    event.kind = Event::closed;
    return event;
  }
  bool done = false;
  boost::system::error_code error;
  impl_->ws.async_read(impl_->buffer, [&](boost::system::error_code ec, std::size_t) {
    error = ec;
    done = true;
  });
  if (!impl_->run_until(done, timeout)) {
    event.kind = Event::timeout;
    impl_->open = false;  // a cancelled read leaves the stream unusable
    return event;
  }
  if (error) {
    event.kind = Event::closed;
    impl_->open = false;
    // The close frame's code, when one arrived (answering it may still fail: the server may
    // have closed its side by then, which the protocol allows).
    event.close_code = impl_->ws.reason().code;
    event.close_reason = event.close_code != 0
                             ? std::string(impl_->ws.reason().reason.data(), impl_->ws.reason().reason.size())
                             : error.message();
    return event;
  }
  event.kind = Event::message;
  event.text = beast::buffers_to_string(impl_->buffer.data());
  impl_->buffer.consume(impl_->buffer.size());
  return event;
}

std::optional<std::string> WebSocketClient::next_of_type(const std::string& type,
                                                         std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    auto event = next_any(left);
    if (event.kind != Event::message) return std::nullopt;
    boost::system::error_code ec;
    const auto value = boost::json::parse(event.text, ec);
    if (!ec && value.is_object() && value.as_object().contains("type") &&
        value.as_object().at("type") == type.c_str()) {
      return event.text;
    }
  }
  return std::nullopt;
}

void WebSocketClient::close() {
  if (!impl_->open) return;
  boost::system::error_code ignored;
  impl_->ws.close(websocket::close_code::normal, ignored);
  impl_->open = false;
}

std::pair<std::string, std::string> cookie_header(const std::map<std::string, std::string>& cookies) {
  std::string value;
  for (const auto& [name, cookie] : cookies) {
    if (!value.empty()) value += "; ";
    value += name + "=" + cookie;
  }
  return {"cookie", value};
}

}  // namespace mnemos::testing
