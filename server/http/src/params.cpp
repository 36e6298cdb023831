#include <mnemos/core/error.hpp>
#include <mnemos/core/ids.hpp>
#include <mnemos/http/request.hpp>

namespace mnemos::http {

const std::string& uuid_param(const Request& request, std::string_view what, std::string_view name) {
  const std::string& id = request.param(name);
  if (!is_uuid(id)) throw Error::not_found("No such " + std::string(what) + ".");
  return id;
}

}  // namespace mnemos::http
