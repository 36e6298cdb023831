#pragma once
// A small RFC 4180 reader for imports: quoted fields, doubled quotes, CRLF or LF, a UTF-8 byte
// order mark, and ';' as separator when the header uses it (spreadsheets set to French do).
#include <string>
#include <string_view>
#include <vector>

namespace mnemos::csv {

struct Row {
  int line = 0;  // 1-based line where the row starts, for reports
  std::vector<std::string> fields;
};

struct Table {
  std::vector<std::string> header;  // lowercased, trimmed
  Row header_row;                   // the first row as written, for files whose header is optional
  std::vector<Row> rows;            // blank lines skipped
};

// Throws Error(invalid, field "file") on an unterminated quote or an empty file.
Table parse(std::string_view text);

// One field for a CSV file people open in a spreadsheet: quoted, quotes doubled, and a value that
// a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return) is
// prefixed with an apostrophe so it is shown as text (OWASP "CSV injection").
std::string field(std::string_view value);

}  // namespace mnemos::csv
