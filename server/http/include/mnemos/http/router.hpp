#pragma once
#include <mnemos/core/context.hpp>
#include <mnemos/core/permissions.hpp>
#include <mnemos/http/request.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mnemos::http {

using Handler = std::function<Response(const Request&, RequestContext&)>;
// A message a WebSocket client sends (`{"type", "id", "data"}`), run on the blocking pool for the
// connection's user: gets `data` as JSON text, returns the reply's data as JSON text (empty: no
// reply), throws Error to refuse (sent back as an `error` envelope naming the field).
using SocketHandler = std::function<std::string(const RequestContext&, const std::string& data_json)>;
// Called when a WebSocket of the context's user opens (`open` true) and when it closes, on the
// blocking pool (it may use the database): presence.
using ConnectionHandler = std::function<void(const RequestContext&, bool open)>;

struct RouteOptions {
  // A valid session or API token is required (401 otherwise).
  bool auth = true;
  // Checked before the handler runs, on top of the service's own checks (403 otherwise).
  std::optional<Permission> permission;
  // Largest accepted body in bytes; 0 means the server default (1 MiB).
  std::size_t body_limit = 0;
  // Cookie-authenticated state-changing requests must carry X-CSRF-Token.
  bool csrf = true;
  // Cheap and non-blocking: runs on the io thread instead of the blocking pool.
  bool inline_io = false;
  // Hashes a password (argon2id: 64 MiB and tens of milliseconds of one core): runs on a pool of
  // its own, one thread per core, so that a crowd logging in at once never holds up the threads
  // every other request needs.
  bool hashes_password = false;
  // Counted against the per-address rate limit.
  bool rate_limited = true;
  // Allowed while the school's space is read-only (logging out, paying, billing details).
  bool while_read_only = false;
};

struct Route {
  std::string method;
  std::string pattern;  // "/api/v1/schools/{id}"
  RouteOptions options;
  Handler handler;
  std::vector<std::string> segments;  // pattern split on '/'
};

class Router {
 public:
  void add(std::string method, std::string pattern, RouteOptions options, Handler handler);
  void get(std::string pattern, RouteOptions options, Handler handler) {
    add("GET", std::move(pattern), std::move(options), std::move(handler));
  }
  void post(std::string pattern, RouteOptions options, Handler handler) {
    add("POST", std::move(pattern), std::move(options), std::move(handler));
  }
  void put(std::string pattern, RouteOptions options, Handler handler) {
    add("PUT", std::move(pattern), std::move(options), std::move(handler));
  }
  void patch(std::string pattern, RouteOptions options, Handler handler) {
    add("PATCH", std::move(pattern), std::move(options), std::move(handler));
  }
  void del(std::string pattern, RouteOptions options, Handler handler) {
    add("DELETE", std::move(pattern), std::move(options), std::move(handler));
  }

  void on_socket(std::string type, SocketHandler handler) { socket_handlers_[std::move(type)] = std::move(handler); }
  void on_connection(ConnectionHandler handler) { connection_handlers_.push_back(std::move(handler)); }
  const std::vector<ConnectionHandler>& connection_handlers() const { return connection_handlers_; }
  // The handler of a client's WebSocket message type; nullptr when no module takes it.
  const SocketHandler* socket_handler(std::string_view type) const {
    const auto found = socket_handlers_.find(type);
    return found == socket_handlers_.end() ? nullptr : &found->second;
  }

  // The route for `method` and `path`, filling `params`; nullptr when none matches.
  // `path_known` tells whether another method matches the path (405 rather than 404).
  const Route* match(std::string_view method, std::string_view path,
                     std::map<std::string, std::string, std::less<>>& params,
                     bool& path_known) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
  std::map<std::string, SocketHandler, std::less<>> socket_handlers_;
  std::vector<ConnectionHandler> connection_handlers_;
};

}  // namespace mnemos::http
