#include <mnemos/core/json.hpp>

#include <cstdio>
#include <cstdlib>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <charconv>
#include <cmath>
#include <utility>

namespace mnemos::json {

boost::json::value parse(std::string_view text) {
  boost::json::parse_options options;
  options.max_depth = 32;
  options.allow_invalid_utf8 = false;
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(text, ec, {}, options);
  if (ec) {
    throw Error::bad_request("The request body is not valid JSON: " + ec.message() + ".");
  }
  return value;
}

std::string serialize(const boost::json::value& value) { return boost::json::serialize(value); }

RowsWriter& RowsWriter::row() {
  out_ += out_.empty() ? "[" : in_row_ ? "}," : ",";
  out_ += '{';
  in_row_ = true;
  first_key_ = true;
  return *this;
}

void RowsWriter::key(std::string_view name) {
  if (!in_row_) row();
  if (!first_key_) out_ += ',';
  first_key_ = false;
  out_ += '"';
  out_ += name;  // keys are the caller's identifiers: nothing to escape
  out_ += "\":";
}

RowsWriter& RowsWriter::text(std::string_view key_name, std::string_view value) {
  key(key_name);
  out_ += '"';
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out_ += '\\';
      out_ += c;
    } else if (byte < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", byte);
      out_ += escaped;
    } else {
      out_ += c;
    }
  }
  out_ += '"';
  return *this;
}

RowsWriter& RowsWriter::integer(std::string_view key_name, std::int64_t value) {
  key(key_name);
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out_.append(digits, end);
  return *this;
}

RowsWriter& RowsWriter::number(std::string_view key_name, double value) {
  if (!std::isfinite(value)) return null(key_name);
  key(key_name);
  char digits[32];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out_.append(digits, end);
  return *this;
}

RowsWriter& RowsWriter::null(std::string_view key_name) {
  key(key_name);
  out_ += "null";
  return *this;
}

std::string RowsWriter::finish() {
  if (out_.empty()) return "[]";
  out_ += in_row_ ? "}]" : "]";
  in_row_ = false;
  first_key_ = true;
  return std::exchange(out_, {});
}

Fields::Fields(const boost::json::value& value)
    : object_([&]() -> const boost::json::object& {
        if (!value.is_object()) throw Error::bad_request("The request body must be a JSON object.");
        return value.get_object();
      }()) {}

bool Fields::has(std::string_view name) const {
  const auto* found = object_.if_contains(name);
  return found != nullptr && !found->is_null();
}

std::optional<std::string> Fields::optional_string(std::string_view name, std::size_t max_length) {
  const auto* found = object_.if_contains(name);
  if (found == nullptr || found->is_null()) return std::nullopt;
  if (!found->is_string()) {
    validation_.fail(std::string(name), "Must be a text value.");
    return std::nullopt;
  }
  std::string text(found->get_string());
  // Length in code points, so "é" counts once.
  std::size_t code_points = 0;
  for (unsigned char c : text) code_points += (c & 0xC0) != 0x80;
  if (code_points > max_length) {
    validation_.fail(std::string(name), "Must be at most " + std::to_string(max_length) +
                                            " characters long.");
    return std::nullopt;
  }
  for (unsigned char c : text) {
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') {
      validation_.fail(std::string(name), "Must not contain control characters.");
      return std::nullopt;
    }
  }
  return text;
}

std::string Fields::required_string(std::string_view name, std::size_t max_length) {
  const auto* found = object_.if_contains(name);
  if (found == nullptr || found->is_null()) {
    validation_.fail(std::string(name), "This field is required.");
    return {};
  }
  auto text = optional_string(name, max_length);
  if (text && trim(*text).empty()) {
    validation_.fail(std::string(name), "This field is required.");
    return {};
  }
  return text.value_or("");
}

std::optional<std::int64_t> Fields::optional_int(std::string_view name, std::int64_t min,
                                                 std::int64_t max) {
  const auto* found = object_.if_contains(name);
  if (found == nullptr || found->is_null()) return std::nullopt;
  std::optional<std::int64_t> number;
  if (found->is_int64()) {
    number = found->get_int64();
  } else if (found->is_uint64()) {
    number = std::nullopt;  // above int64: out of any range we accept
  } else if (found->is_double() && std::trunc(found->get_double()) == found->get_double() &&
             std::abs(found->get_double()) < 9e15) {
    number = static_cast<std::int64_t>(found->get_double());
  } else if (!found->is_double()) {
    validation_.fail(std::string(name), "Must be a whole number.");
    return std::nullopt;
  }
  if (!number || *number < min || *number > max) {
    validation_.fail(std::string(name), "Must be a whole number from " + std::to_string(min) +
                                            " to " + std::to_string(max) + ".");
    return std::nullopt;
  }
  return number;
}

std::int64_t Fields::required_int(std::string_view name, std::int64_t min, std::int64_t max) {
  if (!has(name)) {
    validation_.fail(std::string(name), "This field is required.");
    return 0;
  }
  return optional_int(name, min, max).value_or(0);
}

std::optional<bool> Fields::optional_bool(std::string_view name) {
  const auto* found = object_.if_contains(name);
  if (found == nullptr || found->is_null()) return std::nullopt;
  if (!found->is_bool()) {
    validation_.fail(std::string(name), "Must be true or false.");
    return std::nullopt;
  }
  return found->get_bool();
}

std::optional<std::vector<std::string>> Fields::optional_string_list(std::string_view name,
                                                                     std::size_t max_items,
                                                                     std::size_t max_length) {
  const auto* found = object_.if_contains(name);
  if (found == nullptr || found->is_null()) return std::nullopt;
  if (!found->is_array()) {
    validation_.fail(std::string(name), "Must be a list of text values.");
    return std::nullopt;
  }
  const auto& array = found->get_array();
  if (array.size() > max_items) {
    validation_.fail(std::string(name), "Must hold at most " + std::to_string(max_items) + " items.");
    return std::nullopt;
  }
  std::vector<std::string> items;
  for (const auto& item : array) {
    if (!item.is_string() || item.get_string().size() > max_length) {
      validation_.fail(std::string(name), "Must be a list of text values of at most " +
                                              std::to_string(max_length) + " characters.");
      return std::nullopt;
    }
    items.emplace_back(item.get_string());
  }
  return items;
}

bool looks_like_email(std::string_view text) {
  if (text.size() < 3 || text.size() > 254) return false;
  const auto at = text.find('@');
  if (at == std::string_view::npos || at == 0 || at != text.rfind('@')) return false;
  const auto domain = text.substr(at + 1);
  if (domain.empty() || domain.find('.') == std::string_view::npos || domain.front() == '.' ||
      domain.back() == '.') {
    return false;
  }
  for (char c : text) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == '<' || c == '>' || c == ',' || c == ';' ||
        c == '"') {
      return false;
    }
  }
  return true;
}

std::string lowercase_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

bool is_printable_utf8(std::string_view text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) return false;
  }
  return is_valid_utf8(text);
}

std::string truncate_utf8(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t end = max_bytes;
  // Step back over continuation bytes (10xxxxxx) to the start of the character that was cut.
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end));
}

bool is_valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t extra = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= text.size()) return false;
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (next & 0x3F);
    }
    if ((extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) || (extra == 3 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += extra + 1;
  }
  return true;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::string shortest_decimal(double value) {
  char text[32];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(text, sizeof text, "%.*g", precision, value);
    if (std::strtod(text, nullptr) == value) break;
  }
  return text;
}

}  // namespace mnemos::json
