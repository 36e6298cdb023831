#include <mnemos/http/dispatcher.hpp>
#include <mnemos/http/problem.hpp>
#include <mnemos/http/server.hpp>

#include "websocket.hpp"

#include <mnemos/core/broadcaster.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/url/parse.hpp>
#include <spdlog/spdlog.h>

#include <pthread.h>

#include <array>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>
#include <unordered_set>
#include <variant>

namespace mnemos::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

namespace {

struct Connection {
  explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}
  beast::tcp_stream stream;
  bool busy = false;  // touched only on the connection's own loop thread
};

// Beast request -> our plain Request. Returns false when the target is not a valid origin-form URL.
bool convert(const bhttp::request<bhttp::string_body>& in, Request& out, std::string client_ip) {
  const auto target = in.target();
  auto url = boost::urls::parse_origin_form(std::string_view(target.data(), target.size()));
  if (!url) return false;
  out.method = std::string(in.method_string());
  out.target = std::string(target);
  out.path = url->path();
  if (out.path.empty()) out.path = "/";
  for (const auto& param : url->params()) out.query.emplace_back(param.key, param.value);
  for (const auto& field : in) {
    std::string name(field.name_string());
    for (char& c : name) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    }
    out.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  out.body = in.body();
  out.client_ip = std::move(client_ip);
  return true;
}

// The status line and headers of `response`, ready to send before its body. Written by hand
// rather than through Beast's serializer, which assembled every response from a dozen small
// buffers and allocated each header again: a tenth of the io thread's time on /healthz.
std::string response_head(const Response& response, unsigned version, bool keep_alive, bool streamed = false) {
  const auto status = static_cast<unsigned>(response.status);
  const auto reason = bhttp::obsolete_reason(static_cast<bhttp::status>(status));
  std::string out;
  out.reserve(256);
  out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  out += std::to_string(status);
  out += ' ';
  out.append(reason.data(), reason.size());
  out += "\r\n";
  for (const auto& [name, value] : response.headers) {
    out += name;
    out += ": ";
    // Header values are the server's own, but a stray line break must never split a header.
    for (const char c : value) out += (c == '\r' || c == '\n') ? ' ' : c;
    out += "\r\n";
  }
  out += "server: mnemos\r\n";
  // 1xx, 204 and 304 answers have no body and no length (RFC 9110 8.6); HEAD states the length
  // of the body it leaves out.
  if (streamed) {
    if (version == 11) out += "transfer-encoding: chunked\r\n";
  } else if (status >= 200 && status != 204 && status != 304) {
    out += "content-length: ";
    out += std::to_string(response.body.size());
    out += "\r\n";
  }
  if (version == 11 && !keep_alive) out += "connection: close\r\n";
  if (version == 10 && keep_alive) out += "connection: keep-alive\r\n";
  out += "\r\n";
  return out;
}

bool has_body(const Response& response, bool head) {
  return !head && response.status >= 200 && response.status != 204 && response.status != 304;
}

// True for "chunked" (any case, surrounding spaces allowed) and nothing else.
bool is_plain_chunked(std::string_view value) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  return beast::iequals(value, "chunked");
}

Response plain_problem(int status, std::string_view detail) {
  return problem(status, "", detail, "", "");
}

// Threads named by their role, so that `top -H` and /proc tell the request threads from the
// event loops (a name is at most 15 characters).
void name_this_thread(const char* name) {
  thread_local bool named = false;
  if (named) return;
  pthread_setname_np(pthread_self(), name);
  named = true;
}

// Runs `work` on `pool` and resumes the awaiting coroutine with its result on the coroutine's own
// executor: one post there and one back. (co_spawn onto the pool also posts its finished
// coroutine to the pool once more before handing the result back, a third hand-off that woke
// another request thread for every request.) `work` must not throw.
template <typename Result, typename Work>
asio::awaitable<Result> run_on(asio::thread_pool& pool, Work work) {
  co_return co_await asio::async_initiate<const asio::use_awaitable_t<>, void(Result)>(
      [&pool](auto handler, Work work) {
        auto back = asio::prefer(asio::get_associated_executor(handler),
                                 asio::execution::outstanding_work.tracked);
        asio::post(pool, [work = std::move(work), handler = std::move(handler), back = std::move(back)]() mutable {
          Result result = work();
          asio::post(back, [handler = std::move(handler), result = std::move(result)]() mutable {
            std::move(handler)(std::move(result));
          });
        });
      },
      asio::use_awaitable, std::move(work));
}

}  // namespace

class Server::Impl {
 public:
  Impl(ServerOptions options, Dispatcher& dispatcher)
      : options_(std::move(options)),
        dispatcher_(dispatcher),
        loops_(make_loops(options_.io_threads)),
        pool_(static_cast<std::size_t>(std::max(1, options_.blocking_threads))),
        hashing_pool_(options_.password_hashing_threads > 0
                          ? static_cast<std::size_t>(options_.password_hashing_threads)
                          : std::max(1U, std::thread::hardware_concurrency())),
        acceptor_(*loops_.front()),
        signals_(*loops_.front()),
        hub_(std::make_shared<detail::WebSocketHub>(dispatcher.metrics().websocket_connections())) {
    if (options_.websocket.enabled && options_.websocket.broadcaster != nullptr) {
      subscription_ = options_.websocket.broadcaster->listen(
          [hub = std::weak_ptr(hub_)](std::string_view topic, const std::string& message) {
            if (auto live = hub.lock()) live->deliver(topic, message);
          });
    }
  }

  std::uint16_t listen() {
    const auto address = asio::ip::make_address(options_.host);
    tcp::endpoint endpoint(address, options_.port);
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(asio::socket_base::max_listen_connections);
    port_ = acceptor_.local_endpoint().port();
    asio::co_spawn(*loops_.front(), accept_loop(), asio::detached);
    return port_;
  }

  void run(bool handle_signals) {
    if (handle_signals) {
      signals_.add(SIGINT);
      signals_.add(SIGTERM);
      signals_.async_wait([this](const boost::system::error_code& ec, int signal) {
        if (!ec) {
          spdlog::info("signal {} received: draining", signal);
          stop();
        }
      });
    }
    std::vector<asio::executor_work_guard<asio::io_context::executor_type>> work;
    for (auto& loop : loops_) work.push_back(asio::make_work_guard(*loop));
    std::vector<std::thread> threads;
    for (auto& loop : loops_) {
      threads.emplace_back([&loop] {
        name_this_thread("mnemos-io");
        loop->run();
      });
    }
    {
      std::unique_lock lock(stop_mutex_);
      stop_cv_.wait(lock, [this] { return stop_requested_; });
    }
    drain();
    work.clear();
    for (auto& loop : loops_) loop->stop();
    for (auto& thread : threads) thread.join();
    pool_.join();
    hashing_pool_.join();
  }

  void stop() {
    {
      std::lock_guard lock(stop_mutex_);
      stop_requested_ = true;
    }
    stop_cv_.notify_all();
  }

  std::uint16_t port() const { return port_; }

 private:
  // Stop accepting, close idle keep-alive connections, let busy ones finish, then stop the loop.
  void drain() {
    stopping_ = true;
    std::promise<void> closed;
    asio::post(*loops_.front(), [this, &closed] {
      boost::system::error_code ignored;
      acceptor_.close(ignored);
      signals_.cancel(ignored);
      closed.set_value();
    });
    closed.get_future().wait();  // no connection is accepted after this point
    hub_->close_all();            // close frames (1001); clients answer and the sessions end
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(options_.shutdown_grace_s);
    while (std::chrono::steady_clock::now() < deadline) {
      std::vector<std::shared_ptr<Connection>> open;
      {
        std::lock_guard lock(connections_mutex_);
        for (const auto& weak : connections_) {
          if (auto connection = weak.lock()) open.push_back(std::move(connection));
        }
      }
      if (open.empty()) break;
      for (auto& connection : open) {
        asio::post(connection->stream.get_executor(), [connection] {
          if (!connection->busy) connection->stream.socket().close();
        });
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  // One event loop per io thread, each run by its own thread: a connection lives on one loop for
  // its whole life, so its handlers never contend for a lock with the other loop and need no
  // strand. (One shared loop run by two threads spent a tenth of its time in the scheduler's mutex
  // and the strands, and woke the other thread for most completions.)
  static std::vector<std::unique_ptr<asio::io_context>> make_loops(int count) {
    std::vector<std::unique_ptr<asio::io_context>> loops;
    for (int i = 0; i < std::max(1, count); ++i) loops.push_back(std::make_unique<asio::io_context>(1));
    return loops;
  }

  asio::awaitable<void> accept_loop() {
    while (!stopping_) {
      auto& loop = *loops_[next_loop_++ % loops_.size()];  // round robin over the loops
      auto [ec, socket] = co_await acceptor_.async_accept(loop, kUseTuple);
      if (ec) {
        if (stopping_ || ec == asio::error::operation_aborted) co_return;
        spdlog::warn("accept failed: {}", ec.message());
        continue;
      }
      auto connection = std::make_shared<Connection>(std::move(socket));
      {
        std::lock_guard lock(connections_mutex_);
        std::erase_if(connections_, [](const auto& weak) { return weak.expired(); });
        connections_.push_back(connection);
      }
      asio::co_spawn(connection->stream.get_executor(), session(connection), asio::detached);
    }
  }

  asio::awaitable<void> session(std::shared_ptr<Connection> connection) {
    auto& stream = connection->stream;
    beast::flat_buffer buffer;
    boost::system::error_code ignored;
    std::string client_ip;
    {
      const auto remote = stream.socket().remote_endpoint(ignored);
      client_ip = ignored ? "unknown" : remote.address().to_string();
    }
    while (!stopping_) {
      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(options_.header_limit));
      parser.body_limit(options_.max_body_limit);
      connection->busy = false;
      // An idle keep-alive connection may wait for its next request; once that request has begun,
      // its headers must arrive within the request timeout (a slow-headers client holds a
      // connection, not the server).
      if (buffer.size() == 0) {
        stream.expires_after(std::chrono::seconds(options_.keep_alive_timeout_s));
        auto [first_error, first_bytes] =
            co_await stream.async_read_some(buffer.prepare(4096), kUseTuple);
        if (first_error) break;
        buffer.commit(first_bytes);
      }
      stream.expires_after(std::chrono::seconds(options_.request_timeout_s));
      auto [header_error, header_bytes] = co_await bhttp::async_read_header(stream, buffer, parser, kUseTuple);
      if (header_error) {
        if (header_error == bhttp::error::body_limit) {
          co_await reply(stream, plain_problem(413, "The request body is too large."), 11);
        } else if (header_error == bhttp::error::header_limit) {
          co_await reply(stream, plain_problem(431, "The request headers are too large."), 11);
        } else if (header_error != bhttp::error::end_of_stream &&
                   header_error != asio::error::operation_aborted &&
                   header_error != beast::error::timeout && header_error != asio::error::eof &&
                   header_error != asio::error::connection_reset &&
                   header_error != asio::error::bad_descriptor) {
          co_await reply(stream, plain_problem(400, "The request could not be parsed."), 11);
        }
        break;
      }
      connection->busy = true;
      const auto& head = parser.get();
      // RFC 9112 6.3: a body framed by anything but a final "chunked" has no reliable length, and
      // reading it as none would run the body as a second request (request smuggling). Mnemos
      // accepts no other transfer coding, so only "chunked" alone is framed.
      if (const auto coding = head.find(bhttp::field::transfer_encoding); coding != head.end()) {
        if (!is_plain_chunked(std::string_view(coding->value().data(), coding->value().size())) ||
            head.count(bhttp::field::transfer_encoding) > 1) {
          co_await reply(stream,
                         plain_problem(400, "Transfer-Encoding must be \"chunked\" alone; no other coding is accepted."),
                         head.version());
          break;
        }
      }
      std::uint64_t body_limit = options_.max_body_limit;
      {
        const auto target = head.target();
        const auto query = target.find('?');
        const std::string_view path(target.data(), query == beast::string_view::npos ? target.size() : query);
        body_limit = std::min<std::uint64_t>(body_limit, dispatcher_.body_limit_for(std::string_view(head.method_string()), path));
        parser.body_limit(body_limit);
      }
      stream.expires_after(std::chrono::seconds(options_.request_timeout_s));
      // "Expect: 100-continue" (curl and many HTTP libraries send it for large uploads): refuse a
      // body that is too large before it is sent, otherwise invite it at once rather than letting
      // the client wait out its own delay (a second for curl).
      if (head.version() == 11 && beast::iequals(head[bhttp::field::expect], "100-continue")) {
        if (const auto length = parser.content_length(); length && *length > body_limit) {
          co_await reply(stream, plain_problem(413, "The request body is too large."), 11);
          break;
        }
        static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        auto [continue_error, continue_bytes] =
            co_await asio::async_write(stream, asio::buffer(kContinue.data(), kContinue.size()), kUseTuple);
        if (continue_error) break;
      }
      auto [body_error, body_bytes] = co_await bhttp::async_read(stream, buffer, parser, kUseTuple);
      if (body_error) {
        if (body_error == bhttp::error::body_limit) {
          co_await reply(stream, plain_problem(413, "The request body is too large."), head.version());
        } else if (body_error != beast::error::timeout && body_error != asio::error::eof &&
                   body_error != bhttp::error::end_of_stream &&
                   body_error != asio::error::operation_aborted) {
          co_await reply(stream, plain_problem(400, "The request body could not be read."), head.version());
        }
        break;
      }
      auto message = parser.release();
      Request request;
      Response response;
      if (!convert(message, request, client_ip)) {
        response = plain_problem(400, "The request target is not a valid URL path.");
      } else if (options_.websocket.enabled && request.path == "/ws" &&
                 beast::websocket::is_upgrade(message)) {
        auto verdict = co_await asio::co_spawn(
            pool_.get_executor(),
            [this, &request]() -> asio::awaitable<std::variant<Identity, Response>> {
              co_return dispatcher_.accept_websocket(request);
            },
            asio::use_awaitable);
        if (auto* identity = std::get_if<Identity>(&verdict)) {
          // The HTTP read buffer is not used again while the WebSocket lives (hours, by the
          // thousand): its memory goes back. A client sends no frame before the 101 (RFC 6455 4.1).
          buffer.clear();
          buffer.shrink_to_fit();
          co_await detail::serve_websocket(stream, connection, message, std::move(*identity),
                                           std::move(request), dispatcher_, *hub_, pool_,
                                           options_.websocket);
          connection->busy = false;
          co_return;  // the WebSocket closed the connection
        }
        response = std::move(std::get<Response>(verdict));
      } else if (options_.websocket.enabled && request.path == "/ws") {
        response = plain_problem(426, "This address speaks WebSocket only: send an upgrade request.");
        response.set_header("upgrade", "websocket");
      } else if (const auto lane = dispatcher_.lane_for(request); lane == Dispatcher::Lane::io) {
        response = dispatcher_.handle(request);
      } else {
        auto& pool = lane == Dispatcher::Lane::password_hashing ? hashing_pool_ : pool_;
        response = co_await run_on<Response>(pool, [this, &request, lane]() noexcept {
          name_this_thread(lane == Dispatcher::Lane::password_hashing ? "mnemos-hashing" : "mnemos-request");
          try {
            return dispatcher_.handle(request);
          } catch (...) {  // handle answers every error itself; memory may still run out
            return plain_problem(500, "Something went wrong on our side.");
          }
        });
      }
      // A streamed body without chunked framing (HTTP/1.0) ends with the connection.
      const bool keep_alive = message.keep_alive() && !stopping_ && (!response.stream || message.version() == 11);
      stream.expires_after(std::chrono::seconds(options_.request_timeout_s));
      if (response.stream && message.method() != bhttp::verb::head) {
        const bool completed = co_await write_streamed(stream, response, message.version(), keep_alive);
        if (!completed || !keep_alive) break;
        continue;
      }
      auto [write_error, written] =
          co_await write_response(stream, response, message.version(), keep_alive,
                                  message.method() == bhttp::verb::head);
      if (write_error || !keep_alive) break;
    }
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    connection->busy = false;
  }

  static asio::awaitable<std::tuple<boost::system::error_code, std::size_t>> write_response(
      beast::tcp_stream& stream, const Response& response, unsigned version, bool keep_alive,
      bool head) {
    const std::string status_and_headers = response_head(response, version, keep_alive);
    const std::array<asio::const_buffer, 2> buffers{
        asio::buffer(status_and_headers),
        has_body(response, head) ? asio::buffer(response.body) : asio::const_buffer()};
    co_return co_await asio::async_write(stream, buffers, kUseTuple);
  }

  // The head, then the producer's pieces as they come: the producer runs on the blocking pool and
  // writes each piece itself (the connection's coroutine waits meanwhile and touches nothing), so a
  // piece reaches the client as soon as it is made. True when the whole body went out.
  asio::awaitable<bool> write_streamed(beast::tcp_stream& stream, const Response& response, unsigned version,
                                       bool keep_alive) {
    const std::string head = response_head(response, version, keep_alive, true);
    auto [head_error, head_bytes] = co_await asio::async_write(stream, asio::buffer(head), kUseTuple);
    if (head_error) co_return false;
    const bool chunked = version == 11;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(options_.stream_timeout_s);
    bool client_gone = false;
    const StreamWriter write = [&](std::string_view piece) {
      if (client_gone || piece.empty()) return !client_gone;
      if (std::chrono::steady_clock::now() > deadline) {
        client_gone = true;  // a stream has its limit too
        return false;
      }
      char size[20];
      const int size_length = std::snprintf(size, sizeof size, "%zx\r\n", piece.size());
      const std::array<asio::const_buffer, 3> buffers{
          chunked ? asio::buffer(size, static_cast<std::size_t>(size_length)) : asio::const_buffer(),
          asio::buffer(piece.data(), piece.size()),
          chunked ? asio::buffer("\r\n", 2) : asio::const_buffer()};
      boost::system::error_code error;
      asio::write(stream.socket(), buffers, error);
      if (error) client_gone = true;
      return !client_gone;
    };
    co_await asio::co_spawn(
        pool_.get_executor(),
        [&]() -> asio::awaitable<void> {
          try {
            response.stream(write);
          } catch (const std::exception& e) {
            spdlog::error("streamed response failed: {}", e.what());
            client_gone = true;  // the body is cut: the connection must end
          }
          co_return;
        },
        asio::use_awaitable);
    if (client_gone) co_return false;
    // The body may have taken longer than a request's time-out (a model's long reply): the last
    // chunk gets its own.
    stream.expires_after(std::chrono::seconds(options_.request_timeout_s));
    if (chunked) {
      static constexpr std::string_view kLastChunk = "0\r\n\r\n";
      auto [end_error, end_bytes] = co_await asio::async_write(stream, asio::buffer(kLastChunk.data(), kLastChunk.size()), kUseTuple);
      if (end_error) co_return false;
    }
    co_return true;
  }

  // Answers a request the server refuses to read (too large, unparsable) and closes gently: the
  // client may still be sending, and closing with unread data would reset the connection and
  // lose the answer, so the rest is read and dropped for a moment first ("lingering close").
  asio::awaitable<void> reply(beast::tcp_stream& stream, Response response, unsigned version) {
    stream.expires_after(std::chrono::seconds(5));
    auto [write_error, written] = co_await write_response(stream, response, version, false, false);
    if (write_error) co_return;
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream.expires_after(std::chrono::seconds(2));
    std::array<char, 16384> sink;
    std::size_t drained = 0;
    while (drained < 8 * 1024 * 1024) {
      auto [read_error, n] = co_await stream.async_read_some(asio::buffer(sink), kUseTuple);
      if (read_error) break;
      drained += n;
    }
  }

  ServerOptions options_;
  Dispatcher& dispatcher_;
  std::vector<std::unique_ptr<asio::io_context>> loops_;
  std::size_t next_loop_ = 0;  // touched only by the accept loop
  asio::thread_pool pool_;
  asio::thread_pool hashing_pool_;  // routes that hash passwords (argon2id)
  tcp::acceptor acceptor_;
  asio::signal_set signals_;
  std::atomic<bool> stopping_{false};
  std::uint16_t port_ = 0;
  std::mutex connections_mutex_;
  std::vector<std::weak_ptr<Connection>> connections_;
  std::shared_ptr<detail::WebSocketHub> hub_;
  std::shared_ptr<void> subscription_;  // the broadcaster calls hub_ while this lives
  std::mutex stop_mutex_;
  std::condition_variable stop_cv_;
  bool stop_requested_ = false;
};

Server::Server(ServerOptions options, Dispatcher& dispatcher)
    : impl_(std::make_unique<Impl>(std::move(options), dispatcher)) {}
Server::~Server() = default;
std::uint16_t Server::listen() { return impl_->listen(); }
void Server::run(bool handle_signals) { impl_->run(handle_signals); }
void Server::stop() { impl_->stop(); }
std::uint16_t Server::port() const { return impl_->port(); }

}  // namespace mnemos::http
