#pragma once
// Server messages in the reader's language. The code writes every message in English; catalogs
// (core's, and one per module) give each its French. A message with varying parts is matched by its pattern, in which {}
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
// Core's own catalog (core, http and the app's messages).
const std::vector<Entry>& french_catalog();
// A module's catalog, kept by address (a function-local static): its entries are looked up before
// core's. Adding the same catalog again does nothing.
void add_catalog(const std::vector<Entry>& french);
// Every catalog in the order `translate` reads them: the modules', then core's.
std::vector<const std::vector<Entry>*> catalogs();

}  // namespace mnemos::messages
