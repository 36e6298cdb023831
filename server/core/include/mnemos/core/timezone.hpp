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
