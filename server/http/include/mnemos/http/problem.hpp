#pragma once
#include <mnemos/core/error.hpp>
#include <mnemos/http/request.hpp>

namespace mnemos::http {
// RFC 9457 problem+json for an expected failure, its texts in `locale` (fr or en).
Response problem(const Error& error, std::string_view instance, std::string_view request_id,
                 std::string_view locale = "en");
// Problem for a plain HTTP status (404 route, 405, 413...).
Response problem(int status, std::string_view title, std::string_view detail,
                 std::string_view instance, std::string_view request_id,
                 std::string_view locale = "en");
int status_of(ErrorCode code);
}  // namespace mnemos::http
