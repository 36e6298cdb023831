#pragma once
// Reading the usage figures (usage.cpp): this month's, and day by day.
#include <cstdint>
#include <string>
#include <vector>

namespace soci {
class session;
}

namespace mnemos::billing {

// The UTC day of `at_ms`, YYYY-MM-DD.
std::string usage_day(std::int64_t at_ms);

struct MonthUsage {
  std::string month;  // YYYY-MM (UTC)
  std::int64_t ai_requests = 0;
  std::int64_t ai_tokens = 0;
  std::int64_t active_students = 0;  // distinct students active this month
  std::int64_t storage_bytes = 0;    // stored now
};
MonthUsage month_usage(soci::session& sql, const std::string& school_id, std::int64_t now_ms);

struct DayUsage {
  std::string day;
  int active_students = 0;
  std::int64_t ai_requests = 0;
  std::int64_t ai_tokens = 0;
  std::int64_t storage_bytes = 0;
};
std::vector<DayUsage> daily_usage(soci::session& sql, const std::string& school_id, const std::string& from_day);

// The bytes a school keeps in the files store: its tutor sources (ai/), the pictures of its lessons
// and cards (learning/) and its chat attachments (communication/) — its invoices left out. Read
// from the disk, so deletions count too.
std::int64_t stored_bytes(const std::string& files_dir, const std::string& school_id);
// Sets the school's stored bytes now and for the day of `at_ms`. In the caller's transaction.
void set_storage(soci::session& sql, const std::string& school_id, std::int64_t bytes, std::int64_t at_ms);

}  // namespace mnemos::billing
