#include <mnemos/core/files.hpp>
#include <mnemos/core/ids.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace mnemos::files {

std::string Store::path_of(const std::string& relative_path) const {
  // Relative paths are built by the server from ids; refuse anything else outright.
  if (relative_path.empty() || relative_path.front() == '/' ||
      relative_path.find("..") != std::string::npos) {
    throw std::invalid_argument("bad file path");
  }
  return root_ + "/" + relative_path;
}

void Store::put(const std::string& relative_path, std::string_view bytes) {
  const std::filesystem::path target = path_of(relative_path);
  std::filesystem::create_directories(target.parent_path());
  const std::filesystem::path temporary = target.string() + ".tmp-" + new_id();
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) throw std::runtime_error("could not write an uploaded file");
  }
  std::filesystem::rename(temporary, target);
}

std::optional<std::string> Store::get(const std::string& relative_path) const {
  std::ifstream in(path_of(relative_path), std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void Store::remove(const std::string& relative_path) {
  std::error_code ignored;
  std::filesystem::remove(path_of(relative_path), ignored);
}

std::string sniff_image_type(std::string_view b) {
  if (b.size() >= 8 && b.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8)) return "image/png";
  if (b.size() >= 3 && b.substr(0, 3) == std::string_view("\xff\xd8\xff", 3)) return "image/jpeg";
  if (b.size() >= 12 && b.substr(0, 4) == "RIFF" && b.substr(8, 4) == "WEBP") return "image/webp";
  if (b.size() >= 6 && (b.substr(0, 6) == "GIF87a" || b.substr(0, 6) == "GIF89a")) return "image/gif";
  return "";
}

std::string sniff_audio_type(std::string_view b) {
  if (b.size() >= 3 && b.substr(0, 3) == "ID3") return "audio/mpeg";
  // An MPEG audio frame without a tag starts with 11 set bits.
  if (b.size() >= 2 && static_cast<unsigned char>(b[0]) == 0xFF && (static_cast<unsigned char>(b[1]) & 0xE0) == 0xE0) {
    return "audio/mpeg";
  }
  if (b.size() >= 4 && b.substr(0, 4) == "OggS") return "audio/ogg";
  if (b.size() >= 12 && b.substr(0, 4) == "RIFF" && b.substr(8, 4) == "WAVE") return "audio/wav";
  if (b.size() >= 12 && b.substr(4, 4) == "ftyp" && (b.substr(8, 3) == "M4A" || b.substr(8, 3) == "mp4" || b.substr(8, 3) == "iso")) {
    return "audio/mp4";
  }
  return "";
}

}  // namespace mnemos::files
