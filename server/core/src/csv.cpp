#include <mnemos/core/csv.hpp>
#include <mnemos/core/error.hpp>
#include <mnemos/core/json.hpp>

namespace mnemos::csv {

Table parse(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  const auto first_line = text.substr(0, text.find('\n'));
  const char separator =
      first_line.find(';') != std::string_view::npos && first_line.find(',') == std::string_view::npos
          ? ';'
          : ',';
  std::vector<Row> rows;
  Row row{1, {}};
  std::string field;
  bool quoted = false;
  bool field_started = false;
  int line = 1;
  auto end_field = [&] {
    row.fields.push_back(json::trim(field));
    field.clear();
    field_started = false;
  };
  auto end_row = [&] {
    end_field();
    const bool blank = row.fields.size() == 1 && row.fields[0].empty();
    if (!blank) rows.push_back(std::move(row));
    row = Row{line + 1, {}};
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        field.push_back(c);
      }
      continue;
    }
    if (c == '"' && !field_started) {
      quoted = true;
      field_started = true;
    } else if (c == separator) {
      end_field();
    } else if (c == '\n') {
      end_row();
      ++line;
    } else if (c != '\r') {
      field.push_back(c);
      if (c != ' ' && c != '\t') field_started = true;
    }
  }
  if (quoted) throw Error::invalid("file", "A quoted value is never closed (line " + std::to_string(row.line) + ").");
  if (!field.empty() || !row.fields.empty()) end_row();
  if (rows.empty()) throw Error::invalid("file", "The file is empty.");
  Table table;
  table.header_row = rows.front();
  for (auto& name : rows.front().fields) table.header.push_back(json::lowercase_ascii(name));
  table.rows.assign(std::make_move_iterator(rows.begin() + 1), std::make_move_iterator(rows.end()));
  return table;
}

std::string field(std::string_view value) {
  std::string out = "\"";
  if (!value.empty() && std::string_view("=+-@\t\r").find(value.front()) != std::string_view::npos) {
    out += '\'';
  }
  for (const char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace mnemos::csv
