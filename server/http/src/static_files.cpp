#include <mnemos/http/static_files.hpp>

#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace mnemos::http {
namespace {
std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool accepts(const Request& request, std::string_view encoding) {
  const auto header = request.header("accept-encoding");
  return header && header->find(encoding) != std::string_view::npos;
}
}  // namespace

StaticFiles::StaticFiles(const std::string& root) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (root.empty()) return;
  if (!fs::is_directory(root, ec)) {
    spdlog::warn("web app not found in {}: only the API is served (build it with `make web`)", root);
    return;
  }
  std::size_t bytes = 0;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    const std::string relative = "/" + fs::relative(entry.path(), root).generic_string();
    if (ends_with(relative, ".gz") || ends_with(relative, ".br")) continue;
    File file{read_file(entry.path()), {}, {}};
    if (fs::exists(entry.path().string() + ".gz")) file.gzip = read_file(entry.path().string() + ".gz");
    if (fs::exists(entry.path().string() + ".br")) file.brotli = read_file(entry.path().string() + ".br");
    bytes += file.body.size() + file.gzip.size() + file.brotli.size();
    files_.emplace(relative, std::move(file));
  }
  spdlog::info("web app loaded: {} files, {} KiB", files_.size(), bytes / 1024);
}

std::string StaticFiles::content_type(std::string_view path) {
  static const std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".txt", "text/plain; charset=utf-8"},
      {".webmanifest", "application/manifest+json"},
      {".map", "application/json"},
  };
  for (const auto& [extension, type] : kTypes) {
    if (ends_with(path, extension)) return std::string(type);
  }
  return "application/octet-stream";
}

std::optional<Response> StaticFiles::serve(const Request& request) const {
  if (request.method != "GET" && request.method != "HEAD") return std::nullopt;
  std::string_view path = request.path;
  if (path == "/") path = "/index.html";
  auto it = files_.find(path);
  if (it == files_.end()) {
    // Client-side routes ("/admin/users") get the app; missing assets ("/x.js") get 404.
    const auto last_slash = path.rfind('/');
    if (path.find('.', last_slash) != std::string_view::npos) return std::nullopt;
    it = files_.find(std::string_view("/index.html"));
    if (it == files_.end()) return std::nullopt;
    path = "/index.html";
  }
  const File& file = it->second;
  Response response;
  response.status = 200;
  response.set_header("content-type", content_type(path));
  if (path.substr(0, 8) == "/assets/") {
    // Vite puts a content hash in every asset name: the URL changes when the content does.
    response.set_header("cache-control", "public, max-age=31536000, immutable");
  } else {
    response.set_header("cache-control", "no-cache");
  }
  response.set_header("vary", "accept-encoding");
  if (!file.brotli.empty() && accepts(request, "br")) {
    response.set_header("content-encoding", "br");
    response.body = file.brotli;
  } else if (!file.gzip.empty() && accepts(request, "gzip")) {
    response.set_header("content-encoding", "gzip");
    response.body = file.gzip;
  } else {
    response.body = file.body;
  }
  return response;
}

}  // namespace mnemos::http
