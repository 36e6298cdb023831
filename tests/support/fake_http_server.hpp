#pragma once
// A scripted HTTP/1.1 server on 127.0.0.1 for client tests (the AI providers): each request is
// answered by the handler's plan, sent piece by piece with pauses, and may be cut mid-way.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace mnemos::test {

struct FakeRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // lowercase names
  std::string body;
};

struct FakeReply {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<std::string> pieces;           // the body, sent piece by piece
  std::chrono::milliseconds before_first{0};  // silence before the first piece
  std::chrono::milliseconds between{0};       // silence between pieces
  bool cut = false;                           // close the connection after the pieces, mid-stream
  std::function<void()> before_last;          // runs before the last piece is sent (a gate)
};

class FakeHttpServer {
 public:
  using Handler = std::function<FakeReply(const FakeRequest&)>;
  explicit FakeHttpServer(Handler handler);
  ~FakeHttpServer();
  std::uint16_t port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<FakeRequest> requests() const;
  void set_handler(Handler handler);

 private:
  void serve();
  void answer(int fd);
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  Handler handler_;
  std::vector<FakeRequest> requests_;
  std::thread thread_;
};

}  // namespace mnemos::test
