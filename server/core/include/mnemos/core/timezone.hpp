#pragma once
// IANA time zones read from the system's tz database (/usr/share/zoneinfo, TZif files), without
// the C library's process-wide TZ: safe from any thread. Schools' days, day starts and due dates
// are computed with it.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace mnemos {

class TimeZone {
 public:
  // Loads "Europe/Paris" (or "UTC"); cached. Throws std::invalid_argument for an unknown name.
  static std::shared_ptr<const TimeZone> named(std::string_view name);
  // True when `name` names a zone of the database.
  static bool exists(std::string_view name);

  // Seconds to add to UTC to get local time, at the UTC instant `utc_s`.
  std::int64_t offset_at(std::int64_t utc_s) const;
  // The local calendar day (days since 1970-01-01) of `utc_ms`, where days start at
  // `day_start_hour` (so 02:00 still belongs to the evening before when it is 4).
  std::int64_t local_day(std::int64_t utc_ms, int day_start_hour = 0) const;
  // The UTC instant at which local day `day` starts (its `day_start_hour`).
  std::int64_t day_start_ms(std::int64_t day, int day_start_hour = 0) const;
  const std::string& name() const { return name_; }

  // Parses TZif data (exposed for tests).
  static std::shared_ptr<const TimeZone> parse(std::string name, std::string_view tzif);

  struct Rule;  // the POSIX TZ rule for instants after the last transition (timezone.cpp)

 private:
  std::string name_;
  std::vector<std::int64_t> transitions_;   // UTC seconds
  std::vector<std::int32_t> offsets_after_; // offset from each transition on
  std::int32_t initial_offset_ = 0;
  std::shared_ptr<const Rule> rule_;
};

}  // namespace mnemos
