#pragma once
// Reading request bodies: parse with limits, then take fields with validation that names the field.
#include <mnemos/core/error.hpp>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mnemos::json {

// An optional as JSON: its value, or null.
template <typename T>
boost::json::value or_null(const std::optional<T>& v) {
  return v ? boost::json::value(*v) : boost::json::value(nullptr);
}

// A JSON array of flat objects written straight as text: a batch's rows for PostgreSQL's
// json_to_recordset, without building and serializing a tree for each row. Doubles are written in
// their shortest form that reads back exactly; strings are escaped as JSON requires.
class RowsWriter {
 public:
  RowsWriter& row();  // starts the next object
  RowsWriter& text(std::string_view key, std::string_view value);
  RowsWriter& integer(std::string_view key, std::int64_t value);
  RowsWriter& number(std::string_view key, double value);  // NaN and infinities as null
  RowsWriter& null(std::string_view key);
  template <typename T>
  RowsWriter& integer(std::string_view key, const std::optional<T>& value) {
    return value ? integer(key, static_cast<std::int64_t>(*value)) : null(key);
  }
  template <typename T>
  RowsWriter& number(std::string_view key, const std::optional<T>& value) {
    return value ? number(key, static_cast<double>(*value)) : null(key);
  }
  template <typename T>
  RowsWriter& text(std::string_view key, const std::optional<T>& value) {
    return value ? text(key, std::string_view(*value)) : null(key);
  }
  // The array; the writer is empty afterwards.
  std::string finish();

 private:
  void key(std::string_view name);
  std::string out_;
  bool in_row_ = false;
  bool first_key_ = true;
};

// Parses a JSON document; throws Error(bad_request) on syntax errors, invalid UTF-8, depth > 32.
boost::json::value parse(std::string_view text);
std::string serialize(const boost::json::value& value);

// Reads the fields of a JSON object; every failure is collected with the field's name.
class Fields {
 public:
  // Throws Error(bad_request) unless `value` is an object.
  explicit Fields(const boost::json::value& value);

  std::string required_string(std::string_view name, std::size_t max_length = 200);
  std::optional<std::string> optional_string(std::string_view name, std::size_t max_length = 200);
  std::optional<std::int64_t> optional_int(std::string_view name, std::int64_t min, std::int64_t max);
  std::int64_t required_int(std::string_view name, std::int64_t min, std::int64_t max);
  std::optional<bool> optional_bool(std::string_view name);
  std::optional<std::vector<std::string>> optional_string_list(std::string_view name,
                                                               std::size_t max_items = 100,
                                                               std::size_t max_length = 200);
  bool has(std::string_view name) const;
  const boost::json::object& object() const { return object_; }

  Validation& validation() { return validation_; }
  // Throws Error(invalid) listing every failed field.
  void done() const { validation_.throw_if_failed(); }

 private:
  const boost::json::object& object_;
  Validation validation_;
};

// Light checks shared by services.
bool looks_like_email(std::string_view text);
std::string lowercase_ascii(std::string_view text);
std::string trim(std::string_view text);
bool is_valid_utf8(std::string_view text);
// Valid UTF-8 with no control character (C0, DEL): safe as a name shown or stored as a file label.
bool is_printable_utf8(std::string_view text);
// At most `max_bytes` of `text`, cut before a character rather than inside one.
std::string truncate_utf8(std::string_view text, std::size_t max_bytes);
// The shortest decimal that reads back as `value` ("0.9", "3.14", "1e-07"), for numbers people
// read (Boost.JSON writes 0.9 as 9E-1).
std::string shortest_decimal(double value);
// Appends the UTF-8 encoding of a Unicode code point.
void append_utf8(std::string& out, char32_t code_point);

}  // namespace mnemos::json
