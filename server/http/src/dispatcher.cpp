#include <mnemos/core/ids.hpp>
#include <mnemos/core/messages.hpp>
#include <mnemos/core/security.hpp>
#include <mnemos/http/dispatcher.hpp>
#include <mnemos/http/problem.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

namespace mnemos::http {
namespace {

bool is_safe_method(std::string_view method) {
  return method == "GET" || method == "HEAD" || method == "OPTIONS";
}

bool is_api(std::string_view path) { return path.substr(0, 5) == "/api/"; }

// A client-supplied request id is kept only if it is short and plain, so it is safe in logs.
std::string request_id_of(const Request& request) {
  if (const auto given = request.header("x-request-id")) {
    if (!given->empty() && given->size() <= 64 &&
        given->find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") ==
            std::string_view::npos) {
      return std::string(*given);
    }
  }
  return new_id();
}

void add_security_headers(Response& response, bool api, bool behind_tls) {
  response.set_header("x-content-type-options", "nosniff");
  // Behind TLS (MNEMOS_SECURE_COOKIES), browsers are told to come back over HTTPS only, so a
  // network that strips TLS cannot read the session cookie. Not includeSubDomains: a school's
  // other sites under the same domain are not ours to bind.
  if (behind_tls) response.set_header("strict-transport-security", "max-age=31536000");
  response.set_header("referrer-policy", "same-origin");
  response.set_header("x-frame-options", "DENY");
  if (api) {
    // API answers are personal and fresh; a route that knows better (immutable media) says so.
    if (!response.header("cache-control")) response.set_header("cache-control", "no-store");
  } else {
    response.set_header("content-security-policy",
                        "default-src 'self'; img-src 'self' data: blob:; font-src 'self' data:; "
                        "style-src 'self' 'unsafe-inline'; connect-src 'self'; "
                        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; "
                        "object-src 'none'");
  }
}

}  // namespace

Dispatcher::Dispatcher(Router& router, Authenticator& authenticator, const Clock& clock,
                       DispatcherOptions options, const StaticFiles* static_files)
    : router_(router),
      authenticator_(authenticator),
      clock_(clock),
      options_(options),
      static_files_(static_files),
      metrics_(router.routes().size()),
      rate_limiter_(options.rate_limit_per_minute, options.rate_limit_burst) {}

Dispatcher::Lane Dispatcher::lane_for(const Request& request) const {
  if (!is_api(request.path) && request.path != "/healthz" && request.path != "/readyz" &&
      request.path != "/metrics") {
    return Lane::io;  // static files are served from memory
  }
  std::map<std::string, std::string, std::less<>> params;
  bool known = false;
  const Route* route = router_.match(request.method, request.path, params, known);
  if (route == nullptr || route->options.inline_io) return Lane::io;
  return route->options.hashes_password ? Lane::password_hashing : Lane::blocking;
}

std::size_t Dispatcher::body_limit_for(std::string_view method, std::string_view path) const {
  std::map<std::string, std::string, std::less<>> params;
  bool known = false;
  const Route* route = router_.match(method, path, params, known);
  if (route != nullptr && route->options.body_limit > 0) return route->options.body_limit;
  return options_.body_limit;
}

Response Dispatcher::handle(Request& request) {
  const auto started = std::chrono::steady_clock::now();
  const std::string request_id = request_id_of(request);
  std::size_t route_index = router_.routes().size();
  std::optional<std::string> school_id;
  // The language asked for (Accept-Language), else the signed-in user's (set by dispatch).
  std::string locale = messages::preferred_locale(request.header("accept-language").value_or(""), "");
  Response response;
  std::string failure;
  try {
    response = dispatch(request, request_id, route_index, school_id, locale);
  } catch (const Error& error) {
    response = problem(error, request.path, request_id, locale);
    if (response.status >= 500) failure = error.what();
  } catch (const std::exception& error) {
    failure = loggable_message(error.what());
    spdlog::error("request {} {} {} failed: {}", request_id, request.method, request.path, failure);
    response = problem(500, "", "Something went wrong on our side. It has been logged.",
                       request.path, request_id, locale);
  }
  if (response.status >= 500) {
    const bool routed = route_index < router_.routes().size();
    errors_.record(ServerError{clock_.now_ms(), request_id, request.method,
                               routed ? router_.routes()[route_index].pattern : std::string("(no route)"),
                               response.status, school_id, failure.substr(0, 1000)});
  }
  add_security_headers(response, is_api(request.path), options_.secure_cookies);
  response.set_header("x-request-id", request_id);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  metrics_.observe(route_index, response.status, seconds);
  if (route_index < router_.routes().size() && router_.routes()[route_index].options.inline_io &&
      response.status < 400) {
    // Health probes and metrics scrapes are not worth a log line each.
  } else if (is_api(request.path) || response.status >= 500) {
    spdlog::info("{} {} {} {} {:.1f}ms", request_id, request.method, request.path, response.status,
                 seconds * 1000);
  }
  return response;
}

Response Dispatcher::dispatch(Request& request, const std::string& request_id,
                              std::size_t& route_index, std::optional<std::string>& school_id,
                              std::string& locale) {
  bool path_known = false;
  const Route* route = router_.match(request.method, request.path, request.params, path_known);
  if (route == nullptr) {
    if (path_known) {
      return problem(405, "", "This address does not accept " + request.method + ".", request.path,
                     request_id, locale);
    }
    if (!is_api(request.path) && static_files_ != nullptr) {
      if (auto file = static_files_->serve(request)) return std::move(*file);
    }
    return problem(404, "", "There is nothing at this address.", request.path, request_id, locale);
  }
  route_index = static_cast<std::size_t>(route - router_.routes().data());

  RequestContext ctx;
  ctx.request_id = request_id;
  ctx.client_ip = request.client_ip;
  ctx.clock = &clock_;

  if (route->options.rate_limited) {
    int retry_after = 0;
    if (!rate_limiter_.allow(request.client_ip, clock_.now_ms(), &retry_after)) {
      throw Error(ErrorCode::too_many_requests,
                  "Too many requests from your address. Please wait a moment and try again.")
          .with_retry_after(retry_after);
    }
  }
  const std::size_t limit =
      route->options.body_limit > 0 ? route->options.body_limit : options_.body_limit;
  if (request.body.size() > limit) {
    throw Error(ErrorCode::payload_too_large,
                "The request body is larger than the " + std::to_string(limit) +
                    " bytes this address accepts.");
  }

  const bool has_credentials =
      request.cookie(kSessionCookie).has_value() || request.bearer_token().has_value();
  if (has_credentials && (route->options.auth || route->options.permission)) {
    if (auto identity = authenticator_.authenticate(request)) {
      if (identity->via_cookie && !is_safe_method(request.method) && route->options.csrf) {
        const auto token = request.header("x-csrf-token");
        if (!token || !security::constant_time_equals(*token, identity->csrf_token)) {
          throw Error::forbidden(
              "The X-CSRF-Token header is missing or wrong. Reload the page and try again.");
        }
      }
      if (identity->read_only && !is_safe_method(request.method) && !route->options.while_read_only) {
        throw Error(ErrorCode::limit_reached,
                    "Your school's space is read-only until its overdue invoice is paid (Subscription page).");
      }
      ctx.user_id = identity->user_id;
      ctx.school_id = identity->school_id;
      ctx.roles = identity->roles;
      ctx.locale = identity->locale;
      ctx.csrf_token = identity->csrf_token;
      school_id = identity->school_id;
      if (locale.empty()) locale = identity->locale;
    }
  }
  if (locale.empty()) locale = "en";
  ctx.locale = locale;
  if (route->options.auth && !ctx.authenticated()) {
    throw Error::unauthorized("Please log in to continue.");
  }
  if (route->options.permission) ctx.require(*route->options.permission);
  return route->handler(request, ctx);
}

// Browsers send cookies with cross-site WebSocket handshakes that SameSite=Lax does not cover
// (same site, other origin), so the handshake's Origin must be ours, scheme included: the public
// URL's origin (MNEMOS_PUBLIC_URL). The Host header is the client's to write, so it is trusted
// only on a development machine: when the public URL is a loopback address, a page from
// http://<loopback host:port the request was sent to> is ours too (localhost and 127.0.0.1 are
// both in use). Clients that are not browsers send no Origin and authenticate by token anyway.
bool Dispatcher::origin_allowed(std::string_view origin, std::string_view host) const {
  if (std::find(options_.websocket_origins.begin(), options_.websocket_origins.end(), origin) !=
      options_.websocket_origins.end()) {
    return true;
  }
  const auto is_loopback_origin = [](std::string_view value) {
    for (const std::string_view prefix : {"http://localhost", "http://127.0.0.1", "http://[::1]"}) {
      if (value.substr(0, prefix.size()) == prefix &&
          (value.size() == prefix.size() || value[prefix.size()] == ':')) {
        return true;
      }
    }
    return false;
  };
  const bool development = std::any_of(options_.websocket_origins.begin(),
                                       options_.websocket_origins.end(),
                                       [&](const std::string& ours) { return is_loopback_origin(ours); });
  return development && !host.empty() && is_loopback_origin(origin) &&
         origin.substr(std::string_view("http://").size()) == host;
}

std::variant<Identity, Response> Dispatcher::accept_websocket(Request& request) {
  const std::string request_id = request_id_of(request);
  int retry_after = 0;
  if (!rate_limiter_.allow(request.client_ip, clock_.now_ms(), &retry_after)) {
    return problem(Error(ErrorCode::too_many_requests,
                         "Too many requests from your address. Please wait a moment and try again.")
                       .with_retry_after(retry_after),
                   request.path, request_id);
  }
  if (const auto origin = request.header("origin")) {
    if (!origin_allowed(*origin, request.header("host").value_or(""))) {
      return problem(403, "", "WebSocket connections are accepted from this site's pages only.",
                     request.path, request_id);
    }
  }
  try {
    if (auto identity = authenticator_.authenticate(request)) return std::move(*identity);
  } catch (const Error& error) {
    return problem(error, request.path, request_id);
  }
  return problem(401, "", "Please log in to continue.", request.path, request_id);
}

RequestContext Dispatcher::socket_context(const Identity& identity, const Request& upgrade) const {
  RequestContext ctx;
  ctx.request_id = request_id_of(upgrade);
  ctx.client_ip = upgrade.client_ip;
  ctx.clock = &clock_;
  ctx.user_id = identity.user_id;
  ctx.school_id = identity.school_id;
  ctx.roles = identity.roles;
  ctx.locale = identity.locale.empty() ? "en" : identity.locale;
  return ctx;
}

std::optional<std::string> Dispatcher::socket_message(const Identity& identity, const Request& upgrade,
                                                      std::string_view type, const std::string& data_json) {
  const SocketHandler* handler = router_.socket_handler(type);
  if (handler == nullptr) return std::nullopt;
  return (*handler)(socket_context(identity, upgrade), data_json);
}

void Dispatcher::socket_connection(const Identity& identity, const Request& upgrade, bool open) {
  const auto ctx = socket_context(identity, upgrade);
  for (const auto& handler : router_.connection_handlers()) {
    try {
      handler(ctx, open);
    } catch (const std::exception& error) {
      spdlog::error("websocket {} of user {}: {}", open ? "opening" : "closing", identity.user_id, error.what());
    }
  }
}

bool Dispatcher::still_authenticated(const Request& request) {
  try {
    return authenticator_.authenticate(request).has_value();
  } catch (const Error&) {
    return true;  // the database is unreachable: keep the connection, check again later
  }
}

}  // namespace mnemos::http
