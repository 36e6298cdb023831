// Files in conversations (service.hpp, docs/communication.md "Attachments"): uploaded, then sent
// with a message; their type read from their bytes; served to the conversation's members only.
#include <mnemos/core/db.hpp>
#include <mnemos/core/files.hpp>
#include <mnemos/core/ids.hpp>

#include "attachments.hpp"
#include "repository.hpp"
#include "service.hpp"

#include <algorithm>

namespace mnemos::communication {
namespace {

bool starts_with(std::string_view bytes, std::string_view prefix) { return bytes.substr(0, prefix.size()) == prefix; }

std::string extension_of(std::string_view name) {
  const auto dot = name.rfind('.');
  if (dot == std::string_view::npos) return "";
  std::string ext(name.substr(dot + 1));
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

// Valid UTF-8 without NUL or other control characters than tab, newline and carriage return.
bool is_plain_text(std::string_view bytes) {
  std::size_t i = 0;
  while (i < bytes.size()) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (c < 0x80) {
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return false;
      if (c == 0x7F) return false;
      ++i;
      continue;
    }
    const int length = (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (length == 0 || i + static_cast<std::size_t>(length) > bytes.size()) return false;
    for (int k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(bytes[i + static_cast<std::size_t>(k)]) & 0xC0) != 0x80) return false;
    }
    i += static_cast<std::size_t>(length);
  }
  return true;
}

}  // namespace

std::string attachment_type(std::string_view bytes, std::string_view name) {
  if (auto image = files::sniff_image_type(bytes); !image.empty()) return image;
  if (auto audio = files::sniff_audio_type(bytes); !audio.empty()) return audio;
  if (starts_with(bytes, "%PDF-")) return "application/pdf";
  const auto ext = extension_of(name);
  // Office documents are ZIP archives; the name says which kind (the archive alone cannot be
  // opened by anything else harmful here: it is served as a download).
  if (starts_with(bytes, "PK\x03\x04")) {
    if (ext == "docx") return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    if (ext == "xlsx") return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    if (ext == "pptx") return "application/vnd.openxmlformats-officedocument.presentationml.presentation";
    if (ext == "odt") return "application/vnd.oasis.opendocument.text";
    if (ext == "ods") return "application/vnd.oasis.opendocument.spreadsheet";
    if (ext == "odp") return "application/vnd.oasis.opendocument.presentation";
    return "";
  }
  if ((ext == "txt" || ext == "csv" || ext == "md") && is_plain_text(bytes)) {
    return ext == "csv" ? "text/csv" : ext == "md" ? "text/markdown" : "text/plain";
  }
  return "";
}

std::string attachment_name(const std::string& raw) {
  std::string name;
  for (char c : raw) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F || c == '/' || c == '\\' || c == '"') continue;
    name += c;
  }
  while (!name.empty() && (name.front() == ' ' || name.front() == '.')) name.erase(name.begin());
  if (name.size() > 200) {
    std::size_t end = 200;  // cut before a character, not inside one
    while (end > 0 && (static_cast<unsigned char>(name[end]) & 0xC0) == 0x80) --end;
    name.resize(end);
  }
  return name.empty() ? "fichier" : name;
}

std::string attachment_path(const Attachment& a) { return "communication/" + a.school_id + "/" + a.id; }

}  // namespace mnemos::communication
