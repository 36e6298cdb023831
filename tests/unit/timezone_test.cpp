// Time zones from the tz database, checked against the C library's own reading of the same files
// over a century of instants, including after the files' last transition (the POSIX rule).
#include <mnemos/core/timezone.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

namespace mnemos {
namespace {

std::int64_t libc_offset(const char* zone, std::int64_t utc_s) {
  setenv("TZ", zone, 1);
  tzset();
  const auto t = static_cast<std::time_t>(utc_s);
  std::tm local{};
  localtime_r(&t, &local);
  return local.tm_gmtoff;
}

TEST(TimeZones, KnownOffsets) {
  const auto paris = TimeZone::named("Europe/Paris");
  EXPECT_EQ(paris->offset_at(1'782'900'000), 7200);   // 2026-07-01: summer time
  EXPECT_EQ(paris->offset_at(1'767'225'600), 3600);   // 2026-01-01: winter time
  EXPECT_EQ(paris->offset_at(2'225'000'000), 7200);   // 2040-07-04: after the file's transitions
  EXPECT_EQ(TimeZone::named("Asia/Kolkata")->offset_at(1'782'900'000), 19800);
  EXPECT_EQ(TimeZone::named("UTC")->offset_at(0), 0);
  EXPECT_EQ(TimeZone::named("Australia/Sydney")->offset_at(1'767'225'600), 39600);  // January: summer
}

TEST(TimeZones, AgreeWithTheCLibraryFrom1970To2070) {
  for (const char* zone : {"Europe/Paris", "America/New_York", "Australia/Sydney", "America/Sao_Paulo",
                           "Pacific/Chatham", "Europe/London", "Africa/Casablanca", "Asia/Tokyo"}) {
    const auto tz = TimeZone::named(zone);
    for (std::int64_t t = 0; t < 3'155'760'000; t += 86'400 * 7 + 3'607) {
      ASSERT_EQ(tz->offset_at(t), libc_offset(zone, t)) << zone << " at " << t;
    }
  }
  unsetenv("TZ");
  tzset();
}

TEST(TimeZones, UnknownOrUnsafeNamesAreRefused) {
  EXPECT_FALSE(TimeZone::exists("Mars/Olympus"));
  EXPECT_FALSE(TimeZone::exists("../../etc/passwd"));
  EXPECT_FALSE(TimeZone::exists("/etc/passwd"));
  EXPECT_FALSE(TimeZone::exists(""));
  EXPECT_TRUE(TimeZone::exists("Europe/Paris"));
  EXPECT_THROW(TimeZone::named("Mars/Olympus"), std::invalid_argument);
  EXPECT_THROW(TimeZone::parse("x", "not a tz file at all, clearly not one at all!"), std::invalid_argument);
}

TEST(TimeZones, LocalDaysStartAtTheDayStartHour) {
  const auto paris = TimeZone::named("Europe/Paris");
  // 2026-01-15 02:30 in Paris (01:30 UTC) still belongs to the 14th when days start at 04:00.
  const std::int64_t at = 1'768'440'600'000;  // 2026-01-15T01:30:00Z
  const std::int64_t jan15 = 20'468;          // days from 1970-01-01 to 2026-01-15
  EXPECT_EQ(paris->local_day(at, 0), jan15);
  EXPECT_EQ(paris->local_day(at, 4), jan15 - 1);
  // The 15th starts at 04:00 Paris time, 03:00 UTC; in summer at 02:00 UTC.
  EXPECT_EQ(paris->day_start_ms(jan15, 4), 1'768'446'000'000);
  EXPECT_EQ(paris->local_day(paris->day_start_ms(jan15, 4), 4), jan15);
  EXPECT_EQ(paris->local_day(paris->day_start_ms(jan15, 4) - 1, 4), jan15 - 1);
  const std::int64_t jul15 = jan15 + 181;
  EXPECT_EQ(paris->day_start_ms(jul15, 4) % 86'400'000, 2 * 3'600'000);
  EXPECT_EQ(TimeZone::named("UTC")->local_day(-1, 0), -1);
}

}  // namespace
}  // namespace mnemos
