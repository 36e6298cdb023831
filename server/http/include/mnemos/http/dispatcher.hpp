#pragma once
// The application seam: one function from request to response, with the middleware chain
// (request id, route match, auth, CSRF, permission, rate limit, error mapping, access log, metrics).
// The Beast server around it only moves bytes.
#include <mnemos/core/clock.hpp>
#include <mnemos/http/auth.hpp>
#include <mnemos/http/error_log.hpp>
#include <mnemos/http/metrics.hpp>
#include <mnemos/http/rate_limit.hpp>
#include <mnemos/http/router.hpp>
#include <mnemos/http/static_files.hpp>

#include <memory>
#include <string>
#include <vector>
#include <variant>

namespace mnemos::http {

struct DispatcherOptions {
  std::size_t body_limit = 1 << 20;
  double rate_limit_per_minute = 1200;  // per client address, API routes
  double rate_limit_burst = 200;
  bool secure_cookies = false;
  // Origins (scheme://host[:port]) whose pages may open a WebSocket: the public URL's.
  std::vector<std::string> websocket_origins;
};

class Dispatcher {
 public:
  Dispatcher(Router& router, Authenticator& authenticator, const Clock& clock,
             DispatcherOptions options, const StaticFiles* static_files = nullptr);

  Response handle(Request& request);
  // Where the request runs: on the io thread (no blocking work), on the blocking pool, or on the
  // password-hashing pool.
  enum class Lane { io, blocking, password_hashing };
  Lane lane_for(const Request& request) const;
  // The body limit for the request's route, from its method and path.
  std::size_t body_limit_for(std::string_view method, std::string_view path) const;

  // Checks a WebSocket upgrade request (rate limit, Origin, credentials): the identity it speaks
  // for, or the refusal to send instead of upgrading. May block (reads sessions).
  std::variant<Identity, Response> accept_websocket(Request& request);
  // Runs a client's WebSocket message on the module that handles its type, as `identity`: the
  // reply's data (empty: none), or nullopt when no module handles the type. Throws Error to
  // refuse; its texts in the identity's language. May block.
  std::optional<std::string> socket_message(const Identity& identity, const Request& upgrade,
                                            std::string_view type, const std::string& data_json);
  // Tells the modules (router.on_connection) that a WebSocket of `identity` opened or closed.
  // Never throws: a module's failure is logged. May block.
  void socket_connection(const Identity& identity, const Request& upgrade, bool open);
  // True while the credentials of an open WebSocket are still valid. May block.
  bool still_authenticated(const Request& request);

  Metrics& metrics() { return metrics_; }
  const ErrorLog& errors() const { return errors_; }
  const Router& router() const { return router_; }

 private:
  // A WebSocket's user acting, as a module's handler sees them.
  RequestContext socket_context(const Identity& identity, const Request& upgrade) const;
  bool origin_allowed(std::string_view origin, std::string_view host) const;
  Response dispatch(Request& request, const std::string& request_id, std::size_t& route_index,
                    std::optional<std::string>& school_id, std::string& locale);

  Router& router_;
  Authenticator& authenticator_;
  const Clock& clock_;
  DispatcherOptions options_;
  const StaticFiles* static_files_;
  Metrics metrics_;
  RateLimiter rate_limiter_;
  ErrorLog errors_;
};

}  // namespace mnemos::http
