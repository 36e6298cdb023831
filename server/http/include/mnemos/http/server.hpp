#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace mnemos::realtime {
class Broadcaster;
}

namespace mnemos::http {
class Dispatcher;

struct WebSocketOptions {
  bool enabled = false;                       // the `ws` role: serve /ws
  realtime::Broadcaster* broadcaster = nullptr;  // where published messages come from
  std::size_t message_limit = 64 * 1024;      // bytes per client message (larger: close 1009)
  std::size_t queue_messages = 256;           // per connection; a client that falls further
  std::size_t queue_bytes = 1 << 20;          // behind is dropped, not the server
  int idle_timeout_s = 60;                    // pings after half of it, closes after all of it
  int reauthenticate_s = 60;                  // the session is checked again this often
  double messages_per_second = 20;            // per connection, with a burst of 3 seconds' worth
};

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: any free port (tests)
  int io_threads = 1;
  int blocking_threads = 4;
  int password_hashing_threads = 0;  // 0: one per core
  std::size_t header_limit = 16 * 1024;
  std::size_t max_body_limit = 1 << 20;  // the parser's hard cap; routes may set lower
  int request_timeout_s = 30;
  // The longest a streamed body (the tutor's reply) may take to send.
  int stream_timeout_s = 180;
  int keep_alive_timeout_s = 60;
  int shutdown_grace_s = 20;
  WebSocketOptions websocket;
};

// The Beast/Asio HTTP/1.1 server. Runs Dispatcher::handle on a blocking pool, except for
// inline routes (on the io thread) and password-hashing routes (on a pool of their own). stop() drains: no new connections, in-flight requests finish, then run() returns.
class Server {
 public:
  Server(ServerOptions options, Dispatcher& dispatcher);
  ~Server();
  // Binds and listens; returns the bound port.
  std::uint16_t listen();
  // Serves until stop() or SIGINT/SIGTERM (when handle_signals) and drains before returning.
  void run(bool handle_signals);
  // Thread-safe; asks run() to drain and return.
  void stop();
  std::uint16_t port() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mnemos::http
