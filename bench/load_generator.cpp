// The load generator of bench/load: students revising through the HTTP API, as
// a school does at 8:00.
//
// Reads the file `mnemos seed --load-test N --out FILE` wrote (session token,
// CSRF token, step per line). Each student starts a review session on the step,
// then answers its cards, rating each one Good. Arrivals are paced (open loop):
// student i acts at phase_i + k * interval whatever the server does, and a
// request's latency is counted from the moment it was due, so a slow server
// cannot hide its delay by slowing the arrivals (coordinated omission).
// `--interval 0` is the closed loop of the first measurement: each
// student answers again as soon as the previous answer is back.
//
// One thread, one io_context, `--connections` keep-alive connections shared by
// the students (the generator runs beside the server on the same cores and must
// stay light).
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/channel.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using Clock = std::chrono::steady_clock;
using asio::awaitable;
using asio::use_awaitable;

namespace {

struct Options {
  std::string host = "127.0.0.1";
  std::string port = "8080";
  std::string students_file = "load-test.tsv";
  int students = 0; // 0: every line of the file
  double interval_s =
      8.0; // one answer per student every interval; 0: closed loop
  double duration_s = 60.0; // measured time, after the ramp
  double ramp_s = -1; // students join over this time (default: one interval)
  int connections = 256;
  std::string acknowledged_file; // each acknowledged answer's session id,
                                 // written as it comes
};

struct Student {
  std::string cookie, csrf, step_id;
  std::string session_id, item_id;
  int variant = 0;
};

struct Connection {
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;
};

// Latencies in microseconds, kept whole: a few hundred thousand values sort in
// milliseconds.
struct Stats {
  std::vector<std::int64_t> latencies_us;
  std::map<int, int> errors; // status (0: transport) -> count
  void record(std::int64_t us) { latencies_us.push_back(us); }
  double percentile(double p) {
    if (latencies_us.empty())
      return 0;
    std::sort(latencies_us.begin(), latencies_us.end());
    const auto index = static_cast<std::size_t>(
        p * static_cast<double>(latencies_us.size() - 1));
    return static_cast<double>(latencies_us[index]) / 1000.0;
  }
};

class Generator {
public:
  Generator(asio::io_context &io, Options options,
            std::vector<Student> students)
      : io_(io), options_(std::move(options)), students_(std::move(students)),
        free_(io, static_cast<std::size_t>(options_.connections)),
        stop_timer_(io) {
    if (!options_.acknowledged_file.empty()) {
      acknowledged_ = std::fopen(options_.acknowledged_file.c_str(), "w");
      if (acknowledged_ == nullptr)
        throw std::runtime_error("cannot write " + options_.acknowledged_file);
    }
  }
  ~Generator() {
    if (acknowledged_)
      std::fclose(acknowledged_);
  }
  Generator(const Generator &) = delete;
  Generator &operator=(const Generator &) = delete;

  awaitable<void> run() {
    asio::ip::tcp::resolver resolver(io_);
    endpoints_ = co_await resolver.async_resolve(options_.host, options_.port,
                                                 use_awaitable);
    for (int i = 0; i < options_.connections; ++i) {
      connections_.push_back(std::make_unique<Connection>());
      free_.try_send(boost::system::error_code{}, connections_.back().get());
    }
    const double ramp =
        options_.ramp_s >= 0 ? options_.ramp_s : options_.interval_s;
    start_ = Clock::now() + std::chrono::milliseconds(200);
    measure_from_ = start_ + seconds(ramp);
    end_ = measure_from_ + seconds(options_.duration_s);
    // An overloaded server would keep the students waiting for ever: stop 10 s
    // after the end and count what was offered but not answered.
    stop_timer_.expires_at(end_ + std::chrono::seconds(10));
    stop_timer_.async_wait([this](boost::system::error_code ec) {
      if (!ec) {
        std::printf("stopped 10 s after the end with requests still waiting: "
                    "the server is overloaded\n");
        io_.stop();
      }
    });
    for (std::size_t i = 0; i < students_.size(); ++i) {
      const double phase =
          ramp * static_cast<double>(i) / static_cast<double>(students_.size());
      ++running_;
      asio::co_spawn(io_, student(students_[i], start_ + seconds(phase)),
                     [this](std::exception_ptr e) {
                       if (e) {
                         try {
                           std::rethrow_exception(e);
                         } catch (const std::exception &error) {
                           std::cerr << "student stopped: " << error.what()
                                     << "\n";
                         }
                       }
                       if (--running_ == 0) {
                         free_.close();
                         stop_timer_.cancel();
                       }
                     });
    }
    co_return;
  }

  void report() {
    const double measured = options_.duration_s;
    std::printf("students %zu, interval %.1f s, connections %d, measured %.0f "
                "s after a %.1f s ramp\n",
                students_.size(), options_.interval_s, options_.connections,
                measured,
                options_.ramp_s >= 0 ? options_.ramp_s : options_.interval_s);
    std::printf("answers: %zu due in the %.0f s answered = %.0f answers/s "
                "(offered %.0f/s)\n",
                answers_.latencies_us.size(), measured,
                static_cast<double>(answers_.latencies_us.size()) / measured,
                options_.interval_s > 0
                    ? static_cast<double>(students_.size()) /
                          options_.interval_s
                    : 0.0);
    std::printf("answer latency ms: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f\n",
                answers_.percentile(0.5), answers_.percentile(0.9),
                answers_.percentile(0.99), answers_.percentile(1.0));
    std::printf("sessions started (ramp included): %zu, start latency ms: p50 "
                "%.1f  p99 %.1f  max %.1f\n",
                starts_.latencies_us.size(), starts_.percentile(0.5),
                starts_.percentile(0.99), starts_.percentile(1.0));
    // A tail from the ramp's backlog and one spread over the run look alike in the totals.
    std::printf("during the ramp, p99 ms of starts and answers by %.0f s:",
                kWindowS);
    for (auto &window : ramp_windows_)
      std::printf(" %.0f", window.percentile(0.99));
    std::printf("\n");
    std::printf("answer p99 ms by %.0f s of arrivals:", kWindowS);
    for (auto &window : windows_)
      std::printf(" %.0f", window.percentile(0.99));
    std::printf("\n");
    int errors = 0;
    for (const auto &[status, count] : answers_.errors)
      errors += count;
    for (const auto &[status, count] : starts_.errors)
      errors += count;
    std::printf("errors: %d", errors);
    for (const auto &[status, count] : answers_.errors)
      std::printf("  answer %d: %d", status, count);
    for (const auto &[status, count] : starts_.errors)
      std::printf("  start %d: %d", status, count);
    std::printf("\n");
  }

  bool failed() const {
    return !answers_.errors.empty() || !starts_.errors.empty();
  }

private:
  static Clock::duration seconds(double s) {
    return std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(s));
  }

  awaitable<void> student(Student &s, Clock::time_point due) {
    asio::steady_timer timer(io_);
    while (true) {
      if (options_.interval_s > 0) {
        if (due >= end_)
          co_return;
        timer.expires_at(due);
        co_await timer.async_wait(use_awaitable);
      } else {
        if (Clock::now() < start_) {
          timer.expires_at(start_);
          co_await timer.async_wait(use_awaitable);
        }
        due = Clock::now();
        if (due >= end_)
          co_return;
      }
      const bool counted = due >= measure_from_ && due < end_;
      if (s.session_id.empty()) {
        const std::string body = boost::json::serialize(
            boost::json::object{{"step_id", s.step_id}, {"mode", "review"}});
        auto [status, reply] =
            co_await post(s, "/api/v1/revision-sessions", body);
        const auto latency = Clock::now() - due;
        if (status == 200 || status == 201) {
          take_session(s, reply);
          starts_.record(
              micros(latency)); // ramp included: most starts happen there
          ramp_window_of(due).record(micros(latency));
        } else if (counted || status >= 500 || status == 0) {
          starts_.errors[status] += 1;
          if (status == 409)
            co_return; // nothing left to revise today: this student is done
        }
      } else {
        const std::string body = boost::json::serialize(boost::json::object{
            {"item_id", s.item_id},
            {"variant", s.variant},
            {"duration_ms", 4000},
            {"answer", boost::json::object{{"rating", 3}}}});
        auto [status, reply] = co_await post(
            s, "/api/v1/revision-sessions/" + s.session_id + "/answers", body);
        const auto latency = Clock::now() - due;
        if (status == 200 || status == 201) {
          const auto parsed = boost::json::parse(reply);
          if (acknowledged_) {
            // Written before anything else happens: the durability test
            // compares it with the review log after killing the server.
            std::fprintf(acknowledged_, "%s\n", s.session_id.c_str());
            std::fflush(acknowledged_);
          }
          take_session(s, boost::json::serialize(parsed.at("session")));
          if (counted) {
            answers_.record(micros(latency));
            window_of(due).record(micros(latency));
          } else if (due < measure_from_) {
            ramp_window_of(due).record(micros(latency));
          }
        } else {
          answers_.errors[status] += 1;
          s.session_id.clear(); // start again from what the server says
        }
      }
      if (options_.interval_s > 0)
        due += seconds(options_.interval_s);
    }
  }

  static constexpr double kWindowS = 5.0;
  Stats &window_of(Clock::time_point due) {
    const auto index = static_cast<std::size_t>(
        std::chrono::duration<double>(due - measure_from_).count() / kWindowS);
    if (windows_.size() <= index)
      windows_.resize(index + 1);
    return windows_[index];
  }

  // The ramp's starts and answers together: where a backlog the measured
  // windows inherit began.
  Stats &ramp_window_of(Clock::time_point due) {
    const auto index = static_cast<std::size_t>(std::max(
        0.0, std::chrono::duration<double>(due - start_).count() / kWindowS));
    if (ramp_windows_.size() <= index)
      ramp_windows_.resize(index + 1);
    return ramp_windows_[index];
  }

  static void take_session(Student &s, const std::string &text) {
    const auto parsed = boost::json::parse(text).as_object();
    const auto &current = parsed.at("current");
    if (current.is_null() || parsed.at("status").as_string() != "active") {
      s.session_id.clear();
      return;
    }
    s.session_id = std::string(parsed.at("id").as_string());
    s.item_id = std::string(current.at("item_id").as_string());
    s.variant = static_cast<int>(current.at("variant").as_int64());
  }

  static std::int64_t micros(Clock::duration d) {
    return std::chrono::duration_cast<std::chrono::microseconds>(d).count();
  }

  // POSTs on a free keep-alive connection; (0, "") when the connection failed.
  awaitable<std::pair<int, std::string>>
  post(const Student &s, const std::string &target, const std::string &body) {
    Connection *connection = co_await free_.async_receive(use_awaitable);
    std::pair<int, std::string> result{0, ""};
    try {
      if (!connection->stream) {
        connection->stream.emplace(io_);
        co_await connection->stream->async_connect(endpoints_, use_awaitable);
        connection->stream->socket().set_option(asio::ip::tcp::no_delay(true));
      }
      http::request<http::string_body> request{http::verb::post, target, 11};
      request.set(http::field::host, options_.host);
      request.set(http::field::content_type, "application/json");
      request.set(http::field::cookie, "mnemos_session=" + s.cookie);
      request.set("X-CSRF-Token", s.csrf);
      request.keep_alive(true);
      request.body() = body;
      request.prepare_payload();
      co_await http::async_write(*connection->stream, request, use_awaitable);
      http::response<http::string_body> response;
      co_await http::async_read(*connection->stream, connection->buffer,
                                response, use_awaitable);
      result = {static_cast<int>(response.result_int()),
                std::move(response.body())};
      if (!response.keep_alive())
        connection->stream.reset();
    } catch (const std::exception &) {
      connection->stream.reset();
      connection->buffer.clear();
    }
    free_.try_send(boost::system::error_code{}, connection);
    co_return result;
  }

  asio::io_context &io_;
  Options options_;
  std::vector<Student> students_;
  asio::experimental::channel<void(boost::system::error_code, Connection *)>
      free_;
  std::vector<std::unique_ptr<Connection>> connections_;
  asio::steady_timer stop_timer_;
  asio::ip::tcp::resolver::results_type endpoints_;
  Clock::time_point start_, measure_from_, end_;
  std::size_t running_ = 0;
  Stats answers_, starts_;
  std::vector<Stats> windows_; // answers by when they were due, kWindowS each
  std::vector<Stats> ramp_windows_; // the same, before the measured time
  std::FILE *acknowledged_ = nullptr;
};

std::vector<Student> read_students(const Options &options) {
  std::ifstream file(options.students_file);
  if (!file)
    throw std::runtime_error("cannot read " + options.students_file);
  std::vector<Student> out;
  std::string line;
  while (std::getline(file, line) &&
         (options.students == 0 ||
          static_cast<int>(out.size()) < options.students)) {
    std::istringstream fields(line);
    Student s;
    if (std::getline(fields, s.cookie, '\t') &&
        std::getline(fields, s.csrf, '\t') &&
        std::getline(fields, s.step_id, '\t')) {
      out.push_back(std::move(s));
    }
  }
  if (out.empty())
    throw std::runtime_error(options.students_file + " lists no students");
  return out;
}

} // namespace

int main(int argc, char **argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--host")
      options.host = value;
    else if (flag == "--port")
      options.port = value;
    else if (flag == "--students-file")
      options.students_file = value;
    else if (flag == "--students")
      options.students = std::stoi(value);
    else if (flag == "--interval")
      options.interval_s = std::stod(value);
    else if (flag == "--duration")
      options.duration_s = std::stod(value);
    else if (flag == "--ramp")
      options.ramp_s = std::stod(value);
    else if (flag == "--connections")
      options.connections = std::stoi(value);
    else if (flag == "--acknowledged")
      options.acknowledged_file = value;
    else {
      std::cerr << "unknown option " << flag << "\n";
      return 2;
    }
  }
  try {
    asio::io_context io(1);
    Generator generator(io, options, read_students(options));
    asio::co_spawn(io, generator.run(), asio::detached);
    io.run();
    generator.report();
    return generator.failed() ? 1 : 0;
  } catch (const std::exception &e) {
    std::cerr << "mnemos_load: " << e.what() << "\n";
    return 2;
  }
}
