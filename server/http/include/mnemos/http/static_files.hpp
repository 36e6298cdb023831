#pragma once
#include <mnemos/http/request.hpp>

#include <map>
#include <optional>
#include <string>

namespace mnemos::http {

// The built web app, loaded into memory at start-up so serving it never blocks an io thread.
// Unknown paths without a file extension fall back to index.html (client-side routing).
class StaticFiles {
 public:
  explicit StaticFiles(const std::string& root);
  bool loaded() const { return !files_.empty(); }
  std::optional<Response> serve(const Request& request) const;
  static std::string content_type(std::string_view path);

 private:
  struct File {
    std::string body, gzip, brotli;
  };
  std::map<std::string, File, std::less<>> files_;
};

}  // namespace mnemos::http
