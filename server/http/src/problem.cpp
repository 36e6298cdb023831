#include <mnemos/core/json.hpp>
#include <mnemos/core/messages.hpp>
#include <mnemos/http/problem.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

namespace mnemos::http {
namespace {
std::string_view code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid: return "invalid";
    case ErrorCode::bad_request: return "bad_request";
    case ErrorCode::unauthorized: return "unauthorized";
    case ErrorCode::forbidden: return "forbidden";
    case ErrorCode::not_found: return "not_found";
    case ErrorCode::conflict: return "conflict";
    case ErrorCode::payload_too_large: return "payload_too_large";
    case ErrorCode::unsupported_media: return "unsupported_media_type";
    case ErrorCode::limit_reached: return "limit_reached";
    case ErrorCode::too_many_requests: return "too_many_requests";
    case ErrorCode::unavailable: return "unavailable";
  }
  return "error";
}

std::string_view title_of(int status) {
  switch (status) {
    case 400: return "Bad request";
    case 401: return "Authentication required";
    case 403: return "Forbidden";
    case 404: return "Not found";
    case 405: return "Method not allowed";
    case 409: return "Conflict";
    case 413: return "Payload too large";
    case 415: return "Unsupported media type";
    case 422: return "Invalid input";
    case 426: return "Upgrade required";
    case 429: return "Too many requests";
    case 431: return "Request header fields too large";
    case 500: return "Internal server error";
    case 503: return "Service unavailable";
    default: return "Error";
  }
}

Response make(int status, std::string_view type, std::string_view title, std::string_view detail,
              std::string_view instance, std::string_view request_id, boost::json::object extra) {
  boost::json::object body = std::move(extra);
  body["type"] = type;
  body["title"] = title;
  body["status"] = status;
  body["detail"] = detail;
  body["instance"] = instance;
  body["request_id"] = request_id;
  Response response = Response::json(status, json::serialize(body));
  response.set_header("content-type", "application/problem+json");
  return response;
}
}  // namespace

int status_of(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid: return 422;
    case ErrorCode::bad_request: return 400;
    case ErrorCode::unauthorized: return 401;
    case ErrorCode::forbidden: return 403;
    case ErrorCode::not_found: return 404;
    case ErrorCode::conflict: return 409;
    case ErrorCode::payload_too_large: return 413;
    case ErrorCode::unsupported_media: return 415;
    case ErrorCode::limit_reached: return 409;
    case ErrorCode::too_many_requests: return 429;
    case ErrorCode::unavailable: return 503;
  }
  return 500;
}

Response problem(const Error& error, std::string_view instance, std::string_view request_id,
                 std::string_view locale) {
  const int status = status_of(error.code());
  boost::json::object extra;
  extra["code"] = code_name(error.code());
  if (!error.fields().empty()) {
    boost::json::array errors;
    for (const auto& field : error.fields()) {
      errors.push_back(boost::json::object{{"field", field.field},
                                           {"message", messages::translate(locale, field.message)}});
    }
    extra["field"] = error.fields().front().field;
    extra["errors"] = std::move(errors);
  }
  Response response = make(status, "urn:mnemos:problem:" + std::string(code_name(error.code())),
                           messages::translate(locale, title_of(status)),
                           messages::translate(locale, error.what()), instance, request_id, std::move(extra));
  if (error.retry_after_seconds() > 0) {
    response.set_header("retry-after", std::to_string(error.retry_after_seconds()));
  }
  return response;
}

Response problem(int status, std::string_view title, std::string_view detail,
                 std::string_view instance, std::string_view request_id, std::string_view locale) {
  return make(status, "about:blank", messages::translate(locale, title.empty() ? title_of(status) : title),
              messages::translate(locale, detail), instance, request_id, {});
}

}  // namespace mnemos::http
