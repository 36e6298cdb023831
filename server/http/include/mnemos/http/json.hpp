#pragma once
// JSON helpers for routes (module src/ only: this pulls in Boost.JSON).
#include <mnemos/core/json.hpp>
#include <mnemos/http/request.hpp>

#include <boost/json/value.hpp>

#include <optional>
#include <string>

namespace mnemos::http {
// Parses the request body as JSON (400 problem on syntax errors; 415 unless JSON content type).
boost::json::value body_json(const Request& request);
Response json(int status, const boost::json::value& body);

// `?cursor=&limit=` of a paged list (docs/api.md, "Conventions"); 422 naming the field if invalid.
struct PageParams {
  std::optional<std::string> cursor;
  int limit = 50;
};
PageParams page_params(const Request& request, int default_limit = 50, int max_limit = 100);
}  // namespace mnemos::http
