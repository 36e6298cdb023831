#pragma once
// Server messages in the reader's language. The code writes every message in English; a catalog
// gives each its French. A message with varying parts is matched by its pattern, in which {}
// stands for a varying part that is carried over as it is.
#include <string>
#include <string_view>
#include <vector>

namespace mnemos::messages {

// `english` in `locale` ("fr" or "en"); unchanged when the locale is English or the message is
// not in the catalog.
std::string translate(std::string_view locale, std::string_view english);

// The language a request asks for: the first of fr/en in its Accept-Language, else `fallback`.
std::string preferred_locale(std::string_view accept_language, std::string_view fallback);

struct Entry {
  std::string_view english, french;
};
const std::vector<Entry>& french_catalog();

}  // namespace mnemos::messages
