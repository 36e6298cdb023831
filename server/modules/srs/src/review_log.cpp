#include <mnemos/srs/review_log.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <istream>
#include <optional>

namespace mnemos::srs {
namespace {

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
    } else if (c != '\r') {
      field += c;
    }
  }
  fields.push_back(std::move(field));
  return fields;
}

}  // namespace

std::int64_t parse_instant(std::string_view text, const std::string& field) {
  int year, month, day, hour, minute, second;
  int consumed = 0;
  const std::string copy(text);
  if (std::sscanf(copy.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &year, &month, &day, &hour, &minute, &second,
                  &consumed) != 6) {
    throw ReviewLogError(field, "use ISO 8601, e.g. 2022-11-29T12:30:00Z");
  }
  std::string_view rest = text.substr(static_cast<std::size_t>(consumed));
  double fraction = 0;
  if (!rest.empty() && rest.front() == '.') {
    std::size_t digits = 1;
    while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') ++digits;
    fraction = std::stod("0" + std::string(rest.substr(0, digits)));
    rest.remove_prefix(digits);
  }
  std::int64_t offset_s = 0;
  if (rest == "Z" || rest == "z") {
    offset_s = 0;
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
    const int h = std::atoi(std::string(rest.substr(1, 2)).c_str());
    const int m = std::atoi(std::string(rest.substr(4, 2)).c_str());
    offset_s = (rest[0] == '-' ? -1 : 1) * (h * 3600 + m * 60);
  } else {
    throw ReviewLogError(field, "end the time with Z or an offset such as +02:00");
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    throw ReviewLogError(field, "not a valid date and time");
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  const std::int64_t seconds = static_cast<std::int64_t>(timegm(&tm)) - offset_s;
  return seconds * 1000 + static_cast<std::int64_t>(std::llround(fraction * 1000));
}

ReviewLog read_review_log(std::istream& csv) {
  std::string line;
  if (!std::getline(csv, line)) throw ReviewLogError("reviews", "the file is empty");
  const auto header = split_csv_line(line);
  const auto column = [&](const char* name) -> std::optional<std::size_t> {
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (header[i] == name) return i;
    }
    return std::nullopt;
  };
  const auto card = column("card_id"), rating = column("review_rating"), time = column("review_time");
  if (!card || !rating || !time) {
    throw ReviewLogError("reviews", "the first line must name the columns card_id, review_rating, review_time");
  }
  ReviewLog log;
  std::size_t number = 1;
  while (std::getline(csv, line)) {
    ++number;
    if (line.empty() || line == "\r") continue;
    const auto fields = split_csv_line(line);
    const std::string where = "line " + std::to_string(number);
    if (fields.size() < header.size()) throw ReviewLogError(where, "has fewer fields than the header");
    int value = 0;
    try {
      value = std::stoi(fields[*rating]);
    } catch (const std::exception&) {
      throw ReviewLogError(where, "review_rating '" + fields[*rating].substr(0, 20) + "' is not a number");
    }
    if (value < 1 || value > 4) {  // manual reschedules in Anki exports: not reviews
      ++log.rows_skipped;
      continue;
    }
    log.reviews.push_back({fields[*card], value, parse_instant(fields[*time], where + " review_time")});
  }
  return log;
}

}  // namespace mnemos::srs
