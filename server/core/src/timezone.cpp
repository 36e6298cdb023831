#include <mnemos/core/timezone.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>

namespace mnemos {
namespace {

constexpr const char* kZoneDirectory = "/usr/share/zoneinfo/";

std::int64_t read_be(std::string_view data, std::size_t at, int bytes) {
  if (at + static_cast<std::size_t>(bytes) > data.size()) throw std::invalid_argument("truncated TZif data");
  std::uint64_t value = 0;
  for (int i = 0; i < bytes; ++i) value = (value << 8) | static_cast<unsigned char>(data[at + static_cast<std::size_t>(i)]);
  if (bytes == 4) return static_cast<std::int32_t>(static_cast<std::uint32_t>(value));
  return static_cast<std::int64_t>(value);
}

// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm, public domain).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::int64_t year_of(std::int64_t days) {
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned m = mp + (mp < 10 ? 3 : static_cast<unsigned>(-9));
  return static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
}

bool leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

}  // namespace

// "CET-1CEST,M3.5.0,M10.5.0/3": standard and daylight offsets and when daylight time starts and
// ends. Offsets here are seconds east of UTC (the string writes them west).
struct TimeZone::Rule {
  std::int32_t standard = 0, daylight = 0;
  bool has_daylight = false;
  struct When {
    char kind = 'M';  // 'M' month.week.day, 'J' julian day 1-365 (no Feb 29), 'D' day 0-365
    int month = 0, week = 0, weekday = 0, day = 0;
    std::int64_t time = 7200;  // local seconds after midnight
  } start, end;

  // UTC instant of `when` in `year`, given the offset in force just before it.
  static std::int64_t instant(const When& when, std::int64_t year, std::int32_t offset_before) {
    std::int64_t day;
    if (when.kind == 'M') {
      const std::int64_t first = days_from_civil(year, static_cast<unsigned>(when.month), 1);
      const int first_weekday = static_cast<int>(((first % 7) + 11) % 7);  // 1970-01-01: Thursday (4)
      std::int64_t date = 1 + (when.weekday - first_weekday + 7) % 7 + (when.week - 1) * 7;
      static const int lengths[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
      const int length = lengths[when.month - 1] + (when.month == 2 && leap(year) ? 1 : 0);
      while (date > length) date -= 7;
      day = first + date - 1;
    } else if (when.kind == 'J') {
      day = days_from_civil(year, 1, 1) + when.day - 1 + (leap(year) && when.day >= 60 ? 1 : 0);
    } else {
      day = days_from_civil(year, 1, 1) + when.day;
    }
    return day * 86400 + when.time - offset_before;
  }

  std::int32_t offset_at(std::int64_t utc_s) const {
    if (!has_daylight) return standard;
    const std::int64_t year = year_of((utc_s + standard) / 86400 - ((utc_s + standard) % 86400 < 0 ? 1 : 0));
    const std::int64_t begins = instant(start, year, standard);
    const std::int64_t ends = instant(end, year, daylight);
    const bool in_daylight = begins < ends ? (utc_s >= begins && utc_s < ends) : (utc_s < ends || utc_s >= begins);
    return in_daylight ? daylight : standard;
  }
};

namespace {

struct RuleParser {
  std::string_view text;
  std::size_t at = 0;

  bool done() const { return at >= text.size(); }
  char peek() const { return done() ? '\0' : text[at]; }

  void name() {
    if (peek() == '<') {
      const auto close = text.find('>', at);
      if (close == std::string_view::npos) throw std::invalid_argument("bad zone rule");
      at = close + 1;
      return;
    }
    const std::size_t begin = at;
    while (!done() && std::isalpha(static_cast<unsigned char>(peek()))) ++at;
    if (at - begin < 3) throw std::invalid_argument("bad zone rule");
  }
  std::int64_t number() {
    const std::size_t begin = at;
    std::int64_t value = 0;
    while (!done() && std::isdigit(static_cast<unsigned char>(peek()))) value = value * 10 + (text[at++] - '0');
    if (at == begin) throw std::invalid_argument("bad zone rule");
    return value;
  }
  // [+-]hh[:mm[:ss]] in seconds.
  std::int64_t time() {
    int sign = 1;
    if (peek() == '+' || peek() == '-') sign = text[at++] == '-' ? -1 : 1;
    std::int64_t seconds = number() * 3600;
    if (peek() == ':') {
      ++at;
      seconds += number() * 60;
      if (peek() == ':') {
        ++at;
        seconds += number();
      }
    }
    return sign * seconds;
  }
  TimeZone::Rule rule();
};

}  // namespace


namespace {
TimeZone::Rule RuleParser::rule() {
  TimeZone::Rule rule;
  name();
  rule.standard = static_cast<std::int32_t>(-time());
  if (done()) return rule;
  name();
  rule.has_daylight = true;
  rule.daylight = rule.standard + 3600;
  if (peek() != ',' && !done()) rule.daylight = static_cast<std::int32_t>(-time());
  const auto when = [&](TimeZone::Rule::When& out) {
    if (peek() != ',') throw std::invalid_argument("bad zone rule");
    ++at;
    if (peek() == 'M') {
      ++at;
      out.kind = 'M';
      out.month = static_cast<int>(number());
      if (peek() != '.') throw std::invalid_argument("bad zone rule");
      ++at;
      out.week = static_cast<int>(number());
      if (peek() != '.') throw std::invalid_argument("bad zone rule");
      ++at;
      out.weekday = static_cast<int>(number());
      if (out.month < 1 || out.month > 12 || out.week < 1 || out.week > 5 || out.weekday > 6) {
        throw std::invalid_argument("bad zone rule");
      }
    } else if (peek() == 'J') {
      ++at;
      out.kind = 'J';
      out.day = static_cast<int>(number());
    } else {
      out.kind = 'D';
      out.day = static_cast<int>(number());
    }
    if (peek() == '/') {
      ++at;
      out.time = time();
    }
  };
  if (done()) {  // no rule given: the US rules are POSIX's default; rare in the database
    rule.start = {'M', 3, 2, 0, 0, 7200};
    rule.end = {'M', 11, 1, 0, 0, 7200};
    return rule;
  }
  when(rule.start);
  when(rule.end);
  return rule;
}
}  // namespace

std::shared_ptr<const TimeZone> TimeZone::parse(std::string name, std::string_view data) {
  if (data.size() < 44 || data.substr(0, 4) != "TZif") throw std::invalid_argument("not TZif data");
  const auto counts = [&](std::size_t header) {
    std::array<std::int64_t, 6> c{};
    for (int i = 0; i < 6; ++i) c[static_cast<std::size_t>(i)] = read_be(data, header + 20 + static_cast<std::size_t>(i) * 4, 4);
    return c;  // isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt
  };
  auto c = counts(0);
  const auto v1_size = static_cast<std::size_t>(c[3] * 5 + c[4] * 6 + c[5] + c[2] * 8 + c[1] + c[0]);
  std::size_t header = 0;
  int time_bytes = 4;
  if (data[4] >= '2') {  // use the 64-bit block that follows the 32-bit one
    header = 44 + v1_size;
    c = counts(header);
    time_bytes = 8;
  }
  const auto timecnt = static_cast<std::size_t>(c[3]), typecnt = static_cast<std::size_t>(c[4]);
  std::size_t at = header + 44;
  auto zone = std::make_shared<TimeZone>();
  zone->name_ = std::move(name);
  std::vector<std::int64_t> times(timecnt);
  for (std::size_t i = 0; i < timecnt; ++i) times[i] = read_be(data, at + i * static_cast<std::size_t>(time_bytes), time_bytes);
  at += timecnt * static_cast<std::size_t>(time_bytes);
  std::vector<std::size_t> indices(timecnt);
  for (std::size_t i = 0; i < timecnt; ++i) indices[i] = static_cast<std::size_t>(read_be(data, at + i, 1));
  at += timecnt;
  std::vector<std::int32_t> type_offsets(typecnt);
  for (std::size_t i = 0; i < typecnt; ++i) type_offsets[i] = static_cast<std::int32_t>(read_be(data, at + i * 6, 4));
  at += typecnt * 6;
  if (typecnt == 0) throw std::invalid_argument("TZif data without local time types");
  zone->initial_offset_ = type_offsets[0];
  for (std::size_t i = 0; i < timecnt; ++i) {
    if (indices[i] >= typecnt) throw std::invalid_argument("bad TZif type index");
    zone->transitions_.push_back(times[i]);
    zone->offsets_after_.push_back(type_offsets[indices[i]]);
  }
  if (time_bytes == 8) {
    at += static_cast<std::size_t>(c[5] + c[2] * 12 + c[1] + c[0]);
    if (at < data.size() && data[at] == '\n') {
      const auto end = data.find('\n', at + 1);
      const auto footer = data.substr(at + 1, end == std::string_view::npos ? std::string_view::npos : end - at - 1);
      if (!footer.empty()) {
        RuleParser parser{footer};
        zone->rule_ = std::make_shared<const Rule>(parser.rule());
      }
    }
  }
  return zone;
}

std::int64_t TimeZone::offset_at(std::int64_t utc_s) const {
  if (transitions_.empty() || utc_s >= transitions_.back()) {
    if (rule_ && (transitions_.empty() || utc_s >= transitions_.back())) return rule_->offset_at(utc_s);
    return transitions_.empty() ? initial_offset_ : offsets_after_.back();
  }
  const auto next = std::upper_bound(transitions_.begin(), transitions_.end(), utc_s);
  if (next == transitions_.begin()) return initial_offset_;
  return offsets_after_[static_cast<std::size_t>(next - transitions_.begin() - 1)];
}

namespace {
bool plausible_name(std::string_view name) {
  if (name.empty() || name.size() > 64 || name.front() == '/' || name.find("..") != std::string_view::npos) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' || c == '-' || c == '+';
  });
}
}  // namespace

namespace {
// Zones read once, kept for the life of the process (a few hundred at most).
std::mutex zones_mutex;
std::map<std::string, std::shared_ptr<const TimeZone>, std::less<>> zones;
}  // namespace

bool TimeZone::exists(std::string_view name) {
  {
    std::lock_guard lock(zones_mutex);
    if (zones.find(name) != zones.end()) return true;  // read before: no file to open again
  }
  if (!plausible_name(name)) return false;
  std::ifstream file(std::string(kZoneDirectory) + std::string(name), std::ios::binary);
  char magic[4] = {};
  return file.read(magic, 4) && std::string_view(magic, 4) == "TZif";
}

std::shared_ptr<const TimeZone> TimeZone::named(std::string_view name) {
  std::lock_guard lock(zones_mutex);
  auto& cache = zones;
  if (const auto it = cache.find(name); it != cache.end()) return it->second;
  if (!plausible_name(name)) throw std::invalid_argument("unknown time zone");
  std::ifstream file(std::string(kZoneDirectory) + std::string(name), std::ios::binary);
  if (!file) throw std::invalid_argument("unknown time zone");
  std::ostringstream bytes;
  bytes << file.rdbuf();
  auto zone = parse(std::string(name), bytes.str());
  cache.emplace(std::string(name), zone);
  return zone;
}

std::int64_t TimeZone::local_day(std::int64_t utc_ms, int day_start_hour) const {
  constexpr std::int64_t kDayMs = 86'400'000;
  const std::int64_t utc_s = utc_ms >= 0 ? utc_ms / 1000 : (utc_ms - 999) / 1000;
  const std::int64_t local_ms = utc_ms + offset_at(utc_s) * 1000 - std::int64_t{day_start_hour} * 3'600'000;
  return local_ms >= 0 ? local_ms / kDayMs : (local_ms - kDayMs + 1) / kDayMs;
}

std::int64_t TimeZone::day_start_ms(std::int64_t day, int day_start_hour) const {
  // The offset in force a day earlier or later differs by at most a few hours: two passes settle it.
  const std::int64_t local_ms = day * 86'400'000 + std::int64_t{day_start_hour} * 3'600'000;
  std::int64_t utc_ms = local_ms - offset_at(local_ms / 1000) * 1000;
  utc_ms = local_ms - offset_at(utc_ms / 1000) * 1000;
  return utc_ms;
}

}  // namespace mnemos
