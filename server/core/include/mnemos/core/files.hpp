#pragma once
// Uploaded files on the local disk (MNEMOS_FILES_DIR). Paths are relative, made by the server only.
#include <optional>
#include <string>
#include <string_view>

namespace mnemos::files {

class Store {
 public:
  explicit Store(std::string root) : root_(std::move(root)) {}
  // Writes atomically (a temporary file renamed into place), creating folders as needed.
  void put(const std::string& relative_path, std::string_view bytes);
  std::optional<std::string> get(const std::string& relative_path) const;
  void remove(const std::string& relative_path);

 private:
  std::string path_of(const std::string& relative_path) const;
  std::string root_;
};

// "image/png", "image/jpeg", "image/webp" or "image/gif" when the bytes start like one; empty
// otherwise.
std::string sniff_image_type(std::string_view bytes);
// "audio/mpeg", "audio/ogg", "audio/wav" or "audio/mp4" when the bytes start like one; empty otherwise.
std::string sniff_audio_type(std::string_view bytes);

}  // namespace mnemos::files
