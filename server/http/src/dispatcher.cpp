#include <mnemos/core/ids.hpp>
#include <mnemos/core/security.hpp>
#include <mnemos/http/dispatcher.hpp>
#include <mnemos/http/problem.hpp>

#include <spdlog/spdlog.h>

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

void add_security_headers(Response& response, bool api) {
  response.set_header("x-content-type-options", "nosniff");
  response.set_header("referrer-policy", "same-origin");
  response.set_header("x-frame-options", "DENY");
  if (api) {
    response.set_header("cache-control", "no-store");
  } else {
    response.set_header("content-security-policy",
                        "default-src 'self'; img-src 'self' data: blob:; style-src 'self' "
                        "'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'");
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

bool Dispatcher::is_inline(const Request& request) const {
  if (!is_api(request.path) && request.path != "/healthz" && request.path != "/readyz" &&
      request.path != "/metrics") {
    return true;  // static files are served from memory
  }
  std::map<std::string, std::string, std::less<>> params;
  bool known = false;
  const Route* route = router_.match(request.method, request.path, params, known);
  return route == nullptr || route->options.inline_io;
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
  Response response;
  try {
    response = dispatch(request, request_id, route_index);
  } catch (const Error& error) {
    response = problem(error, request.path, request_id);
  } catch (const std::exception& error) {
    spdlog::error("request {} {} {} failed: {}", request_id, request.method, request.path,
                  error.what());
    response = problem(500, "", "Something went wrong on our side. It has been logged.",
                       request.path, request_id);
  }
  add_security_headers(response, is_api(request.path));
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
                              std::size_t& route_index) {
  bool path_known = false;
  const Route* route = router_.match(request.method, request.path, request.params, path_known);
  if (route == nullptr) {
    if (path_known) {
      return problem(405, "", "This address does not accept " + request.method + ".", request.path,
                     request_id);
    }
    if (!is_api(request.path) && static_files_ != nullptr) {
      if (auto file = static_files_->serve(request)) return std::move(*file);
    }
    return problem(404, "", "There is nothing at this address.", request.path, request_id);
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
      ctx.user_id = identity->user_id;
      ctx.school_id = identity->school_id;
      ctx.roles = identity->roles;
      ctx.locale = identity->locale;
      ctx.csrf_token = identity->csrf_token;
    }
  }
  if (route->options.auth && !ctx.authenticated()) {
    throw Error::unauthorized("Please log in to continue.");
  }
  if (route->options.permission) ctx.require(*route->options.permission);
  return route->handler(request, ctx);
}

}  // namespace mnemos::http
