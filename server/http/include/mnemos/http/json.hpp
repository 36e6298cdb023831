#pragma once
// JSON helpers for routes (module src/ only: this pulls in Boost.JSON).
#include <mnemos/core/json.hpp>
#include <mnemos/http/request.hpp>

#include <boost/json/value.hpp>

namespace mnemos::http {
// Parses the request body as JSON (400 problem on syntax errors; 415 unless JSON content type).
boost::json::value body_json(const Request& request);
Response json(int status, const boost::json::value& body);
}  // namespace mnemos::http
