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

}  // namespace mnemos::http
