// HTML entities, shared by the importers (learning) and the AI sources (pasted pages).
#include <mnemos/core/html.hpp>
#include <mnemos/core/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string_view>
#include <utility>

namespace mnemos::html {
namespace {

// The named references of French and English text that pages spell out (HTML 4's Latin-1 letters
// and typography); the rest of HTML's 2,000 names is rare in a course.
char32_t named_character(std::string_view name) {
  static constexpr std::pair<std::string_view, char32_t> kNames[] = {
      {"agrave", 0xE0}, {"aacute", 0xE1}, {"acirc", 0xE2}, {"auml", 0xE4}, {"aelig", 0xE6}, {"ccedil", 0xE7},
      {"egrave", 0xE8}, {"eacute", 0xE9}, {"ecirc", 0xEA}, {"euml", 0xEB}, {"igrave", 0xEC}, {"iacute", 0xED},
      {"icirc", 0xEE},  {"iuml", 0xEF},   {"ntilde", 0xF1}, {"ograve", 0xF2}, {"oacute", 0xF3}, {"ocirc", 0xF4},
      {"ouml", 0xF6},   {"ugrave", 0xF9}, {"uacute", 0xFA}, {"ucirc", 0xFB},  {"uuml", 0xFC},  {"yuml", 0xFF},
      {"Agrave", 0xC0}, {"Aacute", 0xC1}, {"Acirc", 0xC2}, {"Auml", 0xC4},   {"AElig", 0xC6}, {"Ccedil", 0xC7},
      {"Egrave", 0xC8}, {"Eacute", 0xC9}, {"Ecirc", 0xCA}, {"Euml", 0xCB},   {"Icirc", 0xCE}, {"Iuml", 0xCF},
      {"Ocirc", 0xD4},  {"Ugrave", 0xD9}, {"Ucirc", 0xDB}, {"Uuml", 0xDC},   {"oelig", 0x153}, {"OElig", 0x152},
      {"szlig", 0xDF},  {"laquo", 0xAB},  {"raquo", 0xBB}, {"deg", 0xB0},    {"copy", 0xA9},  {"reg", 0xAE},
      {"sect", 0xA7},   {"para", 0xB6},   {"middot", 0xB7}, {"times", 0xD7}, {"divide", 0xF7}, {"plusmn", 0xB1},
      {"sup2", 0xB2},   {"sup3", 0xB3},   {"frac12", 0xBD}, {"frac14", 0xBC}, {"euro", 0x20AC}, {"hellip", 0x2026},
      {"ndash", 0x2013}, {"mdash", 0x2014}, {"lsquo", 0x2018}, {"rsquo", 0x2019}, {"ldquo", 0x201C},
      {"rdquo", 0x201D}, {"bull", 0x2022}, {"le", 0x2264},  {"ge", 0x2265},   {"ne", 0x2260}, {"minus", 0x2212}};
  for (const auto& [entity, cp] : kNames) {
    if (entity == name) return cp;
  }
  return 0;
}

}  // namespace

std::string decode_entities(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c != '&') {
      // Control characters other than tab and line breaks never come out (the importer uses one).
      if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') continue;
      out += c;
      continue;
    }
    const auto semicolon = text.find(';', i);
    if (semicolon == std::string_view::npos || semicolon - i > 10) {
      out += c;
      continue;
    }
    const std::string_view name = text.substr(i + 1, semicolon - i - 1);
    std::uint32_t cp = 0;
    if (name == "amp") cp = '&';
    else if (name == "lt") cp = '<';
    else if (name == "gt") cp = '>';
    else if (name == "quot") cp = '"';
    else if (name == "apos") cp = '\'';
    else if (name == "nbsp") cp = ' ';  // a plain space: cards are text, not layout
    else if (const char32_t named = named_character(name)) cp = named;
    else if (name.size() > 1 && name[0] == '#') {
      const bool hex = name[1] == 'x' || name[1] == 'X';
      const std::string digits(name.substr(hex ? 2 : 1));
      if (digits.empty() || digits.size() > 7 ||
          !std::all_of(digits.begin(), digits.end(), [hex](unsigned char d) {
            return hex ? std::isxdigit(d) != 0 : std::isdigit(d) != 0;
          })) {
        out += c;
        continue;
      }
      cp = static_cast<std::uint32_t>(std::stoul(digits, nullptr, hex ? 16 : 10));
      if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
      if (cp < 0x20 && cp != '\n' && cp != '\t') {
        i = semicolon;
        continue;
      }
    } else {
      out += c;
      continue;
    }
    json::append_utf8(out, static_cast<char32_t>(cp));
    i = semicolon;
  }
  return out;
}

}  // namespace mnemos::html
