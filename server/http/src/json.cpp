#include <mnemos/http/json.hpp>

namespace mnemos::http {

boost::json::value body_json(const Request& request) {
  const auto type = request.header("content-type");
  if (!type || type->substr(0, 16) != "application/json") {
    throw Error(ErrorCode::unsupported_media, "Send the body as JSON (Content-Type: application/json).");
  }
  if (request.body.empty()) throw Error::bad_request("The request body is empty; JSON was expected.");
  return json::parse(request.body);
}

Response json(int status, const boost::json::value& body) {
  return Response::json(status, json::serialize(body));
}

PageParams page_params(const Request& request, int default_limit, int max_limit) {
  PageParams page;
  page.limit = default_limit;
  Validation v;
  if (auto limit = request.query_param("limit")) {
    try {
      std::size_t used = 0;
      page.limit = std::stoi(*limit, &used);
      if (used != limit->size() || page.limit < 1 || page.limit > max_limit) throw std::out_of_range("");
    } catch (const std::exception&) {
      v.fail("limit", "Must be a whole number from 1 to " + std::to_string(max_limit) + ".");
    }
  }
  if (auto cursor = request.query_param("cursor")) {
    if (cursor->size() > 300 || !json::is_valid_utf8(*cursor)) {
      v.fail("cursor", "This cursor is not one the server gave.");
    } else if (!cursor->empty()) {
      page.cursor = *cursor;
    }
  }
  v.throw_if_failed();
  return page;
}

}  // namespace mnemos::http
