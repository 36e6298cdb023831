#pragma once
// Plain request and response values: what modules see of HTTP. No Beast or Asio here.
#include <map>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mnemos::http {

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as received: path and query
  std::string path;    // percent-decoded path, no query
  std::vector<std::pair<std::string, std::string>> query;    // decoded, in order
  std::vector<std::pair<std::string, std::string>> headers;  // names in lowercase
  std::string body;
  std::string client_ip;
  std::map<std::string, std::string, std::less<>> params;  // path parameters set by the router

  std::optional<std::string_view> header(std::string_view lowercase_name) const;
  std::optional<std::string> query_param(std::string_view name) const;
  const std::string& param(std::string_view name) const;
  std::optional<std::string> cookie(std::string_view name) const;
  // The bearer token of an Authorization header, if any.
  std::optional<std::string> bearer_token() const;
};

// A path parameter that names a row: ids are UUIDs, so anything else cannot exist and is a 404
// ("No such <what>.") before any database is asked.
const std::string& uuid_param(const Request& request, std::string_view what, std::string_view name = "id");

// Writes one piece of a streamed body; false once the client is gone (the producer should stop).
using StreamWriter = std::function<bool(std::string_view piece)>;

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // A body produced while it is sent (server-sent events): when set, `body` is ignored, the head
  // goes out at once and `stream` runs on the blocking pool, each piece it writes sent as it comes
  // (chunked on HTTP/1.1).
  std::function<void(const StreamWriter& write)> stream;

  static Response json(int status, std::string body);
  static Response no_content();
  static Response text(int status, std::string body, std::string content_type = "text/plain");
  void set_header(std::string name, std::string value);
  std::optional<std::string_view> header(std::string_view name) const;
};

}  // namespace mnemos::http
