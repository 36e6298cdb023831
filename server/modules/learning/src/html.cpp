#include "html.hpp"

#include <mnemos/core/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <set>

namespace mnemos::learning::html {
namespace {


std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// A tag starting at text[at] == '<': its lower-case name ("br", "/div"), its raw attributes and
// the position after '>'; npos when the '<' does not open a tag (a lone "<" in text).
struct Tag {
  std::string name;
  std::string_view attributes;
  std::size_t end = std::string_view::npos;
};

Tag tag_at(std::string_view text, std::size_t at) {
  Tag tag;
  std::size_t i = at + 1;
  if (i < text.size() && text[i] == '!') {  // comment or doctype
    const auto close = text.substr(i).starts_with("!--") ? text.find("-->", i) : text.find('>', i);
    tag.name = "!";
    tag.end = close == std::string_view::npos ? text.size() : close + (text[close] == '-' ? 3 : 1);
    return tag;
  }
  const std::size_t name_start = i;
  if (i < text.size() && text[i] == '/') ++i;
  if (i >= text.size() || !std::isalpha(static_cast<unsigned char>(text[i]))) return tag;
  while (i < text.size() && (std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == '-')) ++i;
  tag.name = lower(text.substr(name_start, i - name_start));
  // The end is the first '>' outside quotes.
  char quote = 0;
  const std::size_t attributes_start = i;
  for (; i < text.size(); ++i) {
    if (quote != 0) {
      if (text[i] == quote) quote = 0;
    } else if (text[i] == '"' || text[i] == '\'') {
      quote = text[i];
    } else if (text[i] == '>') {
      tag.attributes = text.substr(attributes_start, i - attributes_start);
      tag.end = i + 1;
      return tag;
    }
  }
  return Tag{};
}

std::string attribute(std::string_view attributes, std::string_view wanted) {
  std::size_t i = 0;
  while (i < attributes.size()) {
    while (i < attributes.size() && (std::isspace(static_cast<unsigned char>(attributes[i])) || attributes[i] == '/')) ++i;
    const std::size_t name_start = i;
    while (i < attributes.size() && attributes[i] != '=' && !std::isspace(static_cast<unsigned char>(attributes[i])) && attributes[i] != '/') ++i;
    const std::string name = lower(attributes.substr(name_start, i - name_start));
    if (name.empty()) {
      ++i;
      continue;
    }
    while (i < attributes.size() && std::isspace(static_cast<unsigned char>(attributes[i]))) ++i;
    std::string value;
    if (i < attributes.size() && attributes[i] == '=') {
      ++i;
      while (i < attributes.size() && std::isspace(static_cast<unsigned char>(attributes[i]))) ++i;
      if (i < attributes.size() && (attributes[i] == '"' || attributes[i] == '\'')) {
        const char quote = attributes[i++];
        const auto close = attributes.find(quote, i);
        value = std::string(attributes.substr(i, close == std::string_view::npos ? std::string_view::npos : close - i));
        i = close == std::string_view::npos ? attributes.size() : close + 1;
      } else {
        const std::size_t value_start = i;
        while (i < attributes.size() && !std::isspace(static_cast<unsigned char>(attributes[i]))) ++i;
        value = std::string(attributes.substr(value_start, i - value_start));
      }
    }
    if (name == wanted) return decode_entities(value);
  }
  return {};
}

void trim_lines(std::string& s) {
  // Spaces at line ends go, three or more line breaks become two, and the ends are trimmed.
  std::string out;
  out.reserve(s.size());
  int newlines = 0;
  for (char c : s) {
    if (c == '\n') {
      while (!out.empty() && (out.back() == ' ' || out.back() == '\t')) out.pop_back();
      if (++newlines <= 2) out += c;
    } else {
      if (newlines > 0 && (c == ' ' || c == '\t') && !out.empty() && out.back() == '\n') continue;
      newlines = 0;
      out += c;
    }
  }
  const auto first = out.find_first_not_of(" \t\n");
  const auto last = out.find_last_not_of(" \t\n");
  s = first == std::string::npos ? std::string() : out.substr(first, last - first + 1);
}

}  // namespace

std::vector<std::string> media_in(std::string_view text) {
  std::vector<std::string> names;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < text.size(); ++i) {
    std::string name;
    if (text[i] == '<') {
      const Tag tag = tag_at(text, i);
      if (tag.name == "img") name = attribute(tag.attributes, "src");
    } else if (text[i] == '[' && text.substr(i).starts_with("[sound:")) {
      const auto close = text.find(']', i);
      if (close != std::string_view::npos) name = decode_entities(text.substr(i + 7, close - i - 7));
    }
    if (!name.empty() && seen.insert(name).second) names.push_back(name);
  }
  return names;
}

std::string media_placeholder(std::string_view name) { return "\x01" + std::string(name) + "\x01"; }

std::string readable_label(std::string_view markdown) {
  std::string out;
  std::size_t i = 0;
  while (i < markdown.size()) {
    const auto open = markdown.find('\x01', i);
    if (open == std::string_view::npos) break;
    const auto close = markdown.find('\x01', open + 1);
    if (close == std::string_view::npos) break;
    // "![](\x01name\x01)" or "![audio](\x01name\x01)": drop the Markdown around the name too.
    auto start = markdown.rfind("![", open);
    if (start == std::string_view::npos || start < i) start = open;
    const bool wrapped = start != open && close + 1 < markdown.size() && markdown[close + 1] == ')';
    if (!wrapped) start = open;
    out.append(markdown.substr(i, start - i));
    out += "[" + std::string(markdown.substr(open + 1, close - open - 1)) + "]";
    i = close + (wrapped ? 2 : 1);
  }
  out.append(markdown.substr(std::min(i, markdown.size())));
  return out;
}

Converted to_markdown(std::string_view text) {
  Converted result;
  std::string out;
  std::string pending;  // text since the last tag, decoded when a tag or the end comes
  auto flush = [&] {
    for (const char c : decode_entities(pending)) {
      if (c == '<') out += '\\';  // Markdown would read a literal "<" as the start of HTML
      out += c;
    }
    pending.clear();
  };
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '[' && text.substr(i).starts_with("[sound:")) {
      const auto close = text.find(']', i);
      if (close != std::string_view::npos) {
        flush();
        const std::string name = decode_entities(text.substr(i + 7, close - i - 7));
        if (!name.empty()) out += "![audio](" + media_placeholder(name) + ")";
        i = close + 1;
        continue;
      }
    }
    if (text[i] != '<') {
      pending += text[i] == '\r' ? '\n' : text[i];
      ++i;
      continue;
    }
    const Tag tag = tag_at(text, i);
    if (tag.end == std::string_view::npos) {
      pending += text[i++];
      continue;
    }
    flush();
    const std::string& name = tag.name;
    if (name == "script" || name == "style") {
      const auto close = lower(text.substr(tag.end)).find("</" + name);
      i = close == std::string::npos ? text.size() : tag.end + close;
      continue;
    }
    if (name == "br") {
      out += '\n';
    } else if (name == "div" || name == "/div" || name == "p" || name == "/p" || name == "ul" ||
               name == "/ul" || name == "ol" || name == "/ol" || name == "/li" || name == "tr" ||
               name == "/tr" || name == "/h1" || name == "/h2" || name == "/h3") {
      // A block starts on its own line; "</div><div>" is one line break, not two.
      if (!out.empty() && out.back() != '\n') out += '\n';
    } else if (name == "b" || name == "/b" || name == "strong" || name == "/strong") {
      out += "**";
    } else if (name == "i" || name == "/i" || name == "em" || name == "/em") {
      out += '*';
    } else if (name == "li") {
      if (!out.empty() && out.back() != '\n') out += '\n';
      out += "- ";
    } else if (name == "td" || name == "th") {
      out += ' ';
    } else if (name == "img") {
      const std::string src = attribute(tag.attributes, "src");
      if (!src.empty()) out += "![](" + media_placeholder(src) + ")";
    }
    i = tag.end;
  }
  flush();
  // "** word **" from "<b> word </b>" would not render as bold; and "****" from "<b></b>" is noise.
  for (std::size_t at = out.find("****"); at != std::string::npos; at = out.find("****", at)) out.erase(at, 4);
  trim_lines(out);
  result.markdown = std::move(out);
  return result;
}

}  // namespace mnemos::learning::html
