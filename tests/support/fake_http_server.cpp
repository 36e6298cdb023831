#include "fake_http_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace mnemos::test {
namespace {

bool send_all(int fd, const std::string& data) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

}  // namespace

FakeHttpServer::FakeHttpServer(Handler handler) : handler_(std::move(handler)) {
  listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
  int yes = 1;
  ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(listener_, 16) != 0) {
    throw std::runtime_error("fake server: bind failed");
  }
  socklen_t length = sizeof address;
  ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  thread_ = std::thread([this] { serve(); });
}

FakeHttpServer::~FakeHttpServer() {
  stopping_ = true;
  thread_.join();
  ::close(listener_);
}

std::vector<FakeRequest> FakeHttpServer::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

void FakeHttpServer::set_handler(Handler handler) {
  std::lock_guard lock(mutex_);
  handler_ = std::move(handler);
}

void FakeHttpServer::serve() {
  while (!stopping_) {
    pollfd poll_fd{listener_, POLLIN, 0};
    if (::poll(&poll_fd, 1, 50) <= 0) continue;
    const int fd = ::accept(listener_, nullptr, nullptr);
    if (fd < 0) continue;
    answer(fd);
    ::close(fd);
  }
}

void FakeHttpServer::answer(int fd) {
  std::string data;
  char buffer[8192];
  std::size_t header_end = std::string::npos;
  std::size_t content_length = 0;
  FakeRequest request;
  while (true) {
    pollfd poll_fd{fd, POLLIN, 0};
    if (::poll(&poll_fd, 1, 2000) <= 0) return;
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) return;
    data.append(buffer, static_cast<std::size_t>(n));
    if (header_end == std::string::npos) {
      header_end = data.find("\r\n\r\n");
      if (header_end == std::string::npos) continue;
      const std::string head = data.substr(0, header_end);
      const auto first_line_end = head.find("\r\n");
      const std::string first = head.substr(0, first_line_end);
      const auto space = first.find(' ');
      request.method = first.substr(0, space);
      request.target = first.substr(space + 1, first.find(' ', space + 1) - space - 1);
      std::size_t pos = first_line_end + 2;
      while (pos < head.size()) {
        auto end = head.find("\r\n", pos);
        if (end == std::string::npos) end = head.size();
        const std::string line = head.substr(pos, end - pos);
        const auto colon = line.find(':');
        if (colon != std::string::npos) {
          std::string value = line.substr(colon + 1);
          while (!value.empty() && value.front() == ' ') value.erase(0, 1);
          request.headers[lower(line.substr(0, colon))] = value;
        }
        pos = end + 2;
      }
      if (request.headers.contains("content-length")) content_length = std::stoul(request.headers["content-length"]);
    }
    if (data.size() >= header_end + 4 + content_length) break;
  }
  request.body = data.substr(header_end + 4, content_length);
  Handler handler;
  {
    std::lock_guard lock(mutex_);
    requests_.push_back(request);
    handler = handler_;
  }
  const FakeReply reply = handler(request);
  std::string head = "HTTP/1.1 " + std::to_string(reply.status) + " Fake\r\nContent-Type: " + reply.content_type +
                     "\r\nConnection: close\r\n";
  for (const auto& [name, value] : reply.headers) head += name + ": " + value + "\r\n";
  if (!send_all(fd, head + "\r\n")) return;
  std::this_thread::sleep_for(reply.before_first);
  for (std::size_t i = 0; i < reply.pieces.size(); ++i) {
    if (i > 0) std::this_thread::sleep_for(reply.between);
    if (i + 1 == reply.pieces.size() && i > 0 && reply.before_last) reply.before_last();
    if (!send_all(fd, reply.pieces[i])) return;
  }
  if (reply.cut) ::shutdown(fd, SHUT_RDWR);
}

}  // namespace mnemos::test
