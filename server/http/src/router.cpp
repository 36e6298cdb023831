#include <mnemos/http/router.hpp>

#include <stdexcept>

namespace mnemos::http {
namespace {
std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t start = 1;
  while (start <= path.size()) {
    auto end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    parts.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}
}  // namespace

void Router::add(std::string method, std::string pattern, RouteOptions options, Handler handler) {
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("route pattern must start with '/': " + pattern);
  }
  Route route{std::move(method), std::move(pattern), std::move(options), std::move(handler), {}};
  for (auto part : split_path(route.pattern)) route.segments.emplace_back(part);
  routes_.push_back(std::move(route));
}

const Route* Router::match(std::string_view method, std::string_view path,
                           std::map<std::string, std::string, std::less<>>& params,
                           bool& path_known) const {
  path_known = false;
  if (path.empty() || path.front() != '/') return nullptr;
  const auto parts = split_path(path);
  for (const auto& route : routes_) {
    if (route.segments.size() != parts.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < parts.size() && same; ++i) {
      const auto& segment = route.segments[i];
      const bool is_param = segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
      same = is_param ? !parts[i].empty() : segment == parts[i];
    }
    if (!same) continue;
    const bool head_as_get = method == "HEAD" && route.method == "GET";
    if (route.method != method && !head_as_get) {
      path_known = true;
      continue;
    }
    params.clear();
    for (std::size_t i = 0; i < parts.size(); ++i) {
      const auto& segment = route.segments[i];
      if (segment.size() > 2 && segment.front() == '{') {
        params.emplace(segment.substr(1, segment.size() - 2), std::string(parts[i]));
      }
    }
    return &route;
  }
  return nullptr;
}

}  // namespace mnemos::http
