#pragma once
// What a conversation's file is, read from its bytes (never from what the sender declares).
#include "domain.hpp"

#include <string>
#include <string_view>

namespace mnemos::communication {

// The MIME type of an accepted file: images (PNG, JPEG, GIF, WebP), sound (MP3, Ogg, WAV, M4A),
// PDF, office documents (.docx, .xlsx, .pptx, .odt, .ods, .odp: a ZIP with that name) and plain
// text (.txt, .csv, .md: valid UTF-8); empty for anything else.
std::string attachment_type(std::string_view bytes, std::string_view name);
// A file name safe to keep and to give back in Content-Disposition: no path, no control
// characters or quotes, at most 200 bytes; "fichier" when nothing is left.
std::string attachment_name(const std::string& raw);
// Where the bytes are kept under MNEMOS_FILES_DIR.
std::string attachment_path(const Attachment& a);

}  // namespace mnemos::communication
