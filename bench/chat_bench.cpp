// The real-time figures of bench/chat (issue #7, docs/performance.md "Real time"): students of a
// `mnemos seed --load-test N --class-size K` school on WebSockets, writing in their class channels.
//
//   --mode sockets     open --sockets N WebSockets, one per student, and read the server's resident
//                      memory (/proc/<--server-pid>/status) before and after: memory per connection.
//   --mode fanout      the K members of the first class listen; its first student posts --messages M
//                      messages, one every --gap-ms: the delay from each POST's start to the
//                      `message.created` on every member's socket.
//   --mode throughput  every student of the first --senders classes listens; one student per class
//                      posts in its channel as fast as it is answered (closed loop) for --duration
//                      seconds: messages/s, the POST's latency, and the deliveries.
//
// `--port2`: every other socket and sender goes to a second process (two processes sharing one
// database and Redis): deliveries then cross processes. One thread, one io_context: the generator
// runs beside the server on the same two cores and must stay light (no JSON parsing per frame: a
// message is found by the `#n#` marker its text carries).
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using Clock = std::chrono::steady_clock;
using asio::awaitable;
using asio::use_awaitable;

namespace {

struct Options {
  std::string mode = "sockets";
  std::string port = "8080", port2;
  std::string students_file = "load-test.tsv";
  int server_pid = 0, server2_pid = 0;
  int sockets = 10000;
  int class_size = 30;
  int messages = 100;
  int gap_ms = 100;
  int senders = 20;
  double duration_s = 20;
};

struct Student {
  std::string cookie, csrf;
};

struct Latencies {
  std::vector<std::int64_t> us;
  void add(Clock::duration d) { us.push_back(std::chrono::duration_cast<std::chrono::microseconds>(d).count()); }
  double ms(double p) {
    if (us.empty()) return 0;
    std::sort(us.begin(), us.end());
    return static_cast<double>(us[static_cast<std::size_t>(p * static_cast<double>(us.size() - 1))]) / 1000.0;
  }
  std::string summary() {
    char line[160];
    std::snprintf(line, sizeof line, "p50 %.1f  p99 %.1f  max %.1f ms (%zu)", ms(0.5), ms(0.99), ms(1.0), us.size());
    return line;
  }
};

long resident_kib(int pid) {
  if (pid <= 0) return 0;
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("VmRSS:")) return std::stol(line.substr(6));
  }
  return 0;
}

class Bench {
 public:
  Bench(asio::io_context& io, Options options, std::vector<Student> students)
      : io_(io), options_(std::move(options)), students_(std::move(students)) {}

  awaitable<void> run() {
    asio::ip::tcp::resolver resolver(io_);
    endpoints_[0] = co_await resolver.async_resolve("127.0.0.1", options_.port, use_awaitable);
    // (Not a conditional expression: GCC 12 miscompiles a co_await inside one.)
    endpoints_[1] = endpoints_[0];
    if (!options_.port2.empty()) {
      endpoints_[1] = co_await resolver.async_resolve("127.0.0.1", options_.port2, use_awaitable);
    }
    if (options_.mode == "sockets") {
      co_await sockets_mode();
    } else if (options_.mode == "fanout") {
      co_await fanout_mode();
    } else if (options_.mode == "throughput") {
      co_await throughput_mode();
    } else {
      throw std::runtime_error("--mode: sockets, fanout or throughput");
    }
    stopping_ = true;
    for (auto& socket : sockets_) {
      beast::get_lowest_layer(*socket).cancel();
    }
  }

  int status() const { return failed_ ? 1 : 0; }

 private:
  // ---- the listening side --------------------------------------------------------------------

  // Opens the sockets of students [first, first + count), 64 handshakes at a time.
  awaitable<void> open_sockets(std::size_t first, std::size_t count) {
    Latencies handshakes;
    std::size_t next = first;
    const std::size_t end = std::min(students_.size(), first + count);
    int workers = 0;
    const auto started = Clock::now();
    auto worker = [&]() -> awaitable<void> {
      while (next < end) {
        const std::size_t index = next++;
        const auto begun = Clock::now();
        if (co_await open_socket(index)) handshakes.add(Clock::now() - begun);
      }
      --workers;
    };
    for (int i = 0; i < 64; ++i) {
      ++workers;
      asio::co_spawn(io_, worker(), asio::detached);
    }
    asio::steady_timer wait(io_);
    while (workers > 0) {
      wait.expires_after(std::chrono::milliseconds(20));
      co_await wait.async_wait(use_awaitable);
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
    std::printf("sockets: %zu open, %d refused or failed, in %.1f s (%.0f/s); handshake %s\n", sockets_.size(),
                socket_failures_, seconds, static_cast<double>(handshakes.us.size()) / seconds,
                handshakes.summary().c_str());
    if (socket_failures_ > 0) failed_ = true;
  }

  awaitable<bool> open_socket(std::size_t index) {
    auto socket = std::make_unique<websocket::stream<beast::tcp_stream>>(io_);
    try {
      auto& tcp = beast::get_lowest_layer(*socket);
      tcp.expires_after(std::chrono::seconds(30));
      co_await tcp.async_connect(endpoints_[index % 2], use_awaitable);
      tcp.expires_never();
      socket->set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
      const std::string cookie = "mnemos_session=" + students_[index].cookie;
      socket->set_option(websocket::stream_base::decorator(
          [cookie](websocket::request_type& request) { request.set(http::field::cookie, cookie); }));
      co_await socket->async_handshake("127.0.0.1", "/ws", use_awaitable);
    } catch (const std::exception& error) {
      if (socket_failures_++ < 3) std::fprintf(stderr, "socket %zu (port %s): %s\n", index,
                                               index % 2 ? options_.port2.c_str() : options_.port.c_str(), error.what());
      // Kept: Beast may still hold the failed stream's state for a moment after the error.
      failed_sockets_.push_back(std::move(socket));
      co_return false;
    }
    sockets_.push_back(std::move(socket));
    asio::co_spawn(io_, listen(*sockets_.back()), asio::detached);
    co_return true;
  }

  // Reads every frame; a `message.created` of ours records its delay since its POST began.
  awaitable<void> listen(websocket::stream<beast::tcp_stream>& socket) {
    beast::flat_buffer buffer;
    try {
      while (true) {
        co_await socket.async_read(buffer, use_awaitable);
        const std::string_view frame(static_cast<const char*>(buffer.data().data()), buffer.size());
        if (frame.find("\"message.created\"") != std::string_view::npos) {
          const auto marker = frame.find("#bench:");
          if (marker != std::string_view::npos) {
            const auto number = std::stoul(std::string(frame.substr(marker + 7, 12)));
            if (number < sent_at_.size()) deliveries_.add(Clock::now() - sent_at_[number]);
          }
        }
        buffer.consume(buffer.size());
      }
    } catch (const std::exception& error) {
      if (!stopping_ && dropped_++ < 3) std::fprintf(stderr, "socket closed: %s\n", error.what());
    }
  }

  // ---- the writing side ----------------------------------------------------------------------

  struct Sender {
    const Student* student;
    std::unique_ptr<beast::tcp_stream> stream;
    beast::flat_buffer buffer;
    std::string conversation_id;
    int server;
  };

  awaitable<std::pair<int, std::string>> request(Sender& sender, http::verb verb, const std::string& target,
                                                 const std::string& body) {
    if (!sender.stream) {
      sender.stream = std::make_unique<beast::tcp_stream>(io_);
      co_await sender.stream->async_connect(endpoints_[sender.server], use_awaitable);
      sender.stream->socket().set_option(asio::ip::tcp::no_delay(true));
    }
    http::request<http::string_body> out{verb, target, 11};
    out.set(http::field::host, "127.0.0.1");
    out.set(http::field::cookie, "mnemos_session=" + sender.student->cookie);
    out.set("X-CSRF-Token", sender.student->csrf);
    if (!body.empty()) {
      out.set(http::field::content_type, "application/json");
      out.body() = body;
    }
    out.keep_alive(true);
    out.prepare_payload();
    co_await http::async_write(*sender.stream, out, use_awaitable);
    http::response<http::string_body> in;
    co_await http::async_read(*sender.stream, sender.buffer, in, use_awaitable);
    co_return std::pair{static_cast<int>(in.result_int()), std::move(in.body())};
  }

  // The student's class channel.
  awaitable<void> find_channel(Sender& sender) {
    const auto [status, body] = co_await request(sender, http::verb::get, "/api/v1/conversations?limit=50", "");
    if (status != 200) throw std::runtime_error("GET /api/v1/conversations: " + std::to_string(status));
    const auto list = boost::json::parse(body);
    for (const auto& item : list.at("items").as_array()) {
      if (item.at("kind").as_string() == "class") sender.conversation_id = std::string(item.at("id").as_string());
    }
    if (sender.conversation_id.empty()) throw std::runtime_error("the student has no class channel");
  }

  // Posts message number n; the POST's latency is recorded, an error counted by status.
  awaitable<bool> post(Sender& sender, std::size_t n) {
    sent_at_[n] = Clock::now();
    const std::string body = R"({"text":"Bonjour la classe #bench:)" + std::to_string(n) + R"(#"})";
    int status = 0;
    try {
      status = (co_await request(sender, http::verb::post,
                                 "/api/v1/conversations/" + sender.conversation_id + "/messages", body)).first;
    } catch (const std::exception&) {
      sender.stream.reset();
    }
    if (status == 201) {
      posts_.add(Clock::now() - sent_at_[n]);
      co_return true;
    }
    ++errors_[status];
    failed_ = true;
    co_return false;
  }

  awaitable<void> settle(int milliseconds) {
    asio::steady_timer wait(io_, std::chrono::milliseconds(milliseconds));
    co_await wait.async_wait(use_awaitable);
  }

  void report_writes(double seconds, std::size_t expected_deliveries) {
    std::printf("messages: %zu posted in %.1f s = %.0f messages/s; POST %s\n", posts_.us.size(), seconds,
                static_cast<double>(posts_.us.size()) / seconds, posts_.summary().c_str());
    std::printf("deliveries: %zu of %zu expected; from the POST's start to the frame %s\n", deliveries_.us.size(),
                expected_deliveries, deliveries_.summary().c_str());
    if (deliveries_.us.size() != expected_deliveries) failed_ = true;
    int errors = 0;
    for (const auto& [status, count] : errors_) errors += count;
    std::printf("errors: %d", errors);
    for (const auto& [status, count] : errors_) std::printf("  %d: %d", status, count);
    std::printf("\n");
  }

  // ---- the three measurements ----------------------------------------------------------------

  awaitable<void> sockets_mode() {
    const long before = resident_kib(options_.server_pid) + resident_kib(options_.server2_pid);
    co_await open_sockets(0, static_cast<std::size_t>(options_.sockets));
    co_await settle(10000);  // each opening's presence work (a row, the classmates told) done
    const long after = resident_kib(options_.server_pid) + resident_kib(options_.server2_pid);
    if (before > 0) {
      std::printf("server resident memory: %.1f MiB before, %.1f MiB with %zu sockets: %.1f KiB per connection\n",
                  static_cast<double>(before) / 1024, static_cast<double>(after) / 1024, sockets_.size(),
                  static_cast<double>(after - before) / static_cast<double>(std::max<std::size_t>(1, sockets_.size())));
    }
    std::printf("sockets dropped while open: %d\n", dropped_);
    if (dropped_ > 0) failed_ = true;
  }

  awaitable<void> fanout_mode() {
    const auto members = static_cast<std::size_t>(options_.class_size);
    co_await open_sockets(0, members);
    co_await settle(2000);
    Sender sender{&students_[0], nullptr, {}, {}, 0};
    co_await find_channel(sender);
    sent_at_.resize(static_cast<std::size_t>(options_.messages));
    const auto started = Clock::now();
    auto due = started;
    for (std::size_t n = 0; n < sent_at_.size(); ++n) {
      asio::steady_timer wait(io_, due);
      co_await wait.async_wait(use_awaitable);
      co_await post(sender, n);
      due += std::chrono::milliseconds(options_.gap_ms);
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
    co_await settle(2000);
    report_writes(seconds, posts_.us.size() * sockets_.size());
  }

  awaitable<void> throughput_mode() {
    const auto classes = static_cast<std::size_t>(options_.senders);
    const auto size = static_cast<std::size_t>(options_.class_size);
    co_await open_sockets(0, classes * size);
    co_await settle(2000);
    std::vector<Sender> senders;
    for (std::size_t c = 0; c < classes && c * size < students_.size(); ++c) {
      senders.push_back({&students_[c * size], nullptr, {}, {}, static_cast<int>(c % 2)});
      co_await find_channel(senders.back());
    }
    sent_at_.resize(2000000);
    std::size_t next = 0;
    std::map<std::size_t, std::size_t> listeners_of_class;  // sockets per class, for the expected count
    for (std::size_t c = 0; c < senders.size(); ++c) listeners_of_class[c] = std::min(size, sockets_.size() - c * size);
    std::size_t expected = 0;
    const auto started = Clock::now();
    const auto end = started + std::chrono::milliseconds(static_cast<int>(options_.duration_s * 1000));
    int running = 0;
    for (std::size_t c = 0; c < senders.size(); ++c) {
      ++running;
      asio::co_spawn(io_, [&, c]() -> awaitable<void> {
        while (Clock::now() < end && next < sent_at_.size()) {
          if (co_await post(senders[c], next++)) expected += listeners_of_class[c];
        }
        --running;
      }, asio::detached);
    }
    while (running > 0) co_await settle(20);
    const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
    co_await settle(3000);
    report_writes(seconds, expected);
  }

  asio::io_context& io_;
  Options options_;
  std::vector<Student> students_;
  asio::ip::tcp::resolver::results_type endpoints_[2];
  std::vector<std::unique_ptr<websocket::stream<beast::tcp_stream>>> sockets_, failed_sockets_;
  std::vector<Clock::time_point> sent_at_;
  Latencies deliveries_, posts_;
  std::map<int, int> errors_;
  int socket_failures_ = 0, dropped_ = 0;
  bool failed_ = false, stopping_ = false;
};

std::vector<Student> read_students(const std::string& path) {
  std::ifstream file(path);
  if (!file) throw std::runtime_error("cannot read " + path);
  std::vector<Student> out;
  std::string line;
  while (std::getline(file, line)) {
    std::istringstream fields(line);
    Student s;
    if (std::getline(fields, s.cookie, '\t') && std::getline(fields, s.csrf, '\t')) out.push_back(std::move(s));
  }
  if (out.empty()) throw std::runtime_error(path + " lists no students");
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--mode") options.mode = value;
    else if (flag == "--port") options.port = value;
    else if (flag == "--port2") options.port2 = value;
    else if (flag == "--students-file") options.students_file = value;
    else if (flag == "--server-pid") options.server_pid = std::stoi(value);
    else if (flag == "--server2-pid") options.server2_pid = std::stoi(value);
    else if (flag == "--sockets") options.sockets = std::stoi(value);
    else if (flag == "--class-size") options.class_size = std::stoi(value);
    else if (flag == "--messages") options.messages = std::stoi(value);
    else if (flag == "--gap-ms") options.gap_ms = std::stoi(value);
    else if (flag == "--senders") options.senders = std::stoi(value);
    else if (flag == "--duration") options.duration_s = std::stod(value);
    else {
      std::cerr << "unknown flag " << flag << "\n";
      return 2;
    }
  }
  // One descriptor per socket: take the hard limit.
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
  try {
    asio::io_context io(1);
    Bench bench(io, options, read_students(options.students_file));
    std::exception_ptr failure;
    asio::co_spawn(io, bench.run(), [&](std::exception_ptr e) { failure = e; });
    io.run();
    if (failure) std::rethrow_exception(failure);
    return bench.status();
  } catch (const std::exception& error) {
    std::cerr << "mnemos_chat_bench: " << error.what() << "\n";
    return 1;
  }
}
