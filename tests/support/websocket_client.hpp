#pragma once
// A small blocking WebSocket client for the API tests: every call gives up after a timeout.
#include <chrono>
#include <map>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mnemos::testing {

class WebSocketClient {
 public:
  struct Handshake {
    bool upgraded = false;
    int status = 0;    // the HTTP status when the server refused
    std::string body;  // its problem+json
  };
  struct Event {
    enum Kind { message, closed, timeout } kind = timeout;
    std::string text;      // message
    int close_code = 0;    // closed (0 when the connection dropped without a close frame)
    std::string close_reason;
  };

  WebSocketClient();
  ~WebSocketClient();
  Handshake connect(std::uint16_t port, std::vector<std::pair<std::string, std::string>> headers = {},
                    const std::string& target = "/ws");
  void send(const std::string& text);
  void send_binary(const std::string& bytes);
  // The next message or close, or `timeout`. Presence news (`presence.changed`, sent whenever a
  // classmate's tab opens or closes, at times no test controls) is skipped: next_of_type finds it.
  Event next(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // The next message whose type is `type`, skipping others; nullopt on close or timeout.
  std::optional<std::string> next_of_type(const std::string& type,
                                          std::chrono::milliseconds timeout = std::chrono::seconds(5));
  void close();

 private:
  Event next_any(std::chrono::milliseconds timeout);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A "Cookie" header carrying the client's session, for WebSocketClient::connect.
std::pair<std::string, std::string> cookie_header(const std::map<std::string, std::string>& cookies);

}  // namespace mnemos::testing
