// Usage per school and day (module.hpp, Meter; docs/billing.md, "Usage"), and the monthly AI quota.
#include <mnemos/billing/module.hpp>
#include <mnemos/core/db.hpp>

#include "usage.hpp"

#include <chrono>
#include <filesystem>
#include <cstdio>
#include <stdexcept>

namespace mnemos::billing {

std::string usage_day(std::int64_t at_ms) {
  const std::chrono::year_month_day date{std::chrono::floor<std::chrono::days>(std::chrono::sys_time<std::chrono::milliseconds>{
      std::chrono::milliseconds{at_ms}})};
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()));
  return text;
}

namespace {

// The column of each metric a module may add to (never a name from outside).
const char* column_of(std::string_view metric) {
  if (metric == "ai_requests") return "ai_requests";
  if (metric == "ai_tokens") return "ai_tokens";
  throw std::invalid_argument("usage: unknown metric");
}

void add_to_day(soci::session& sql, const std::string& school_id, const std::string& day, const char* column,
                std::int64_t amount) {
  sql << "INSERT INTO billing_usage_daily (school_id, day, " << column << ") VALUES (:school, :day, :amount) "
      << "ON CONFLICT (school_id, day) DO UPDATE SET " << column << " = billing_usage_daily." << column << " + :amount2",
      soci::use(school_id), soci::use(day), soci::use(amount), soci::use(amount);
}

}  // namespace

void Meter::add(soci::session& sql, const std::string& school_id, std::string_view metric, std::int64_t amount,
                std::int64_t at_ms) const {
  const std::string day = usage_day(at_ms);
  if (metric == "storage_bytes") {
    sql << "INSERT INTO billing_storage (school_id, bytes) VALUES (:school, :amount) ON CONFLICT (school_id) DO UPDATE "
           "SET bytes = billing_storage.bytes + :amount2",
        soci::use(school_id), soci::use(amount), soci::use(amount);
    std::int64_t bytes = 0;
    sql << "SELECT bytes FROM billing_storage WHERE school_id = :school", soci::use(school_id), soci::into(bytes);
    sql << "INSERT INTO billing_usage_daily (school_id, day, storage_bytes) VALUES (:school, :day, :bytes) "
           "ON CONFLICT (school_id, day) DO UPDATE SET storage_bytes = :bytes2",
        soci::use(school_id), soci::use(day), soci::use(bytes), soci::use(bytes);
    return;
  }
  add_to_day(sql, school_id, day, column_of(metric), amount);
}

void Meter::active(soci::session& sql, const std::string& school_id, const std::string& user_id,
                   std::int64_t at_ms) const {
  const std::string day = usage_day(at_ms);
  // One round trip: a statement prepared here would cost two more on PostgreSQL (prepare, then
  // deallocate when it goes), and a session's start runs this every time.
  sql << "INSERT INTO billing_usage_active (school_id, day, user_id) VALUES (:school, :day, :user) "
         "ON CONFLICT DO NOTHING",
      soci::use(school_id), soci::use(day), soci::use(user_id);
  // Counted when read (daily_usage), not added to the day's row: every student of a school
  // starting to revise at 8:00 would wait on that one row, each until the one before committed
  // (at 20,000 students, 9 ms a start on PostgreSQL and the ramp overloaded).
}

std::int64_t stored_bytes(const std::string& files_dir, const std::string& school_id) {
  namespace fs = std::filesystem;
  std::int64_t total = 0;
  for (const char* area : {"ai", "learning", "communication"}) {
    const fs::path folder = fs::path(files_dir) / area / school_id;
    std::error_code error;
    if (!fs::is_directory(folder, error)) continue;
    for (fs::recursive_directory_iterator it(folder, error), end; !error && it != end; it.increment(error)) {
      if (it->is_regular_file(error)) total += static_cast<std::int64_t>(it->file_size(error));
    }
  }
  return total;
}

void set_storage(soci::session& sql, const std::string& school_id, std::int64_t bytes, std::int64_t at_ms) {
  const std::string day = usage_day(at_ms);
  sql << "INSERT INTO billing_storage (school_id, bytes) VALUES (:school, :bytes) ON CONFLICT (school_id) DO UPDATE "
         "SET bytes = :bytes2",
      soci::use(school_id), soci::use(bytes), soci::use(bytes);
  sql << "INSERT INTO billing_usage_daily (school_id, day, storage_bytes) VALUES (:school, :day, :bytes) "
         "ON CONFLICT (school_id, day) DO UPDATE SET storage_bytes = :bytes2",
      soci::use(school_id), soci::use(day), soci::use(bytes), soci::use(bytes);
}

MonthUsage month_usage(soci::session& sql, const std::string& school_id, std::int64_t now_ms) {
  MonthUsage out;
  const std::string today = usage_day(now_ms);
  out.month = today.substr(0, 7);
  const std::string first = out.month + "-01";
  sql << "SELECT CAST(COALESCE(SUM(ai_requests), 0) AS BIGINT), CAST(COALESCE(SUM(ai_tokens), 0) AS BIGINT) FROM "
         "billing_usage_daily WHERE school_id = :school AND day >= :first",
      soci::use(school_id), soci::use(first), soci::into(out.ai_requests), soci::into(out.ai_tokens);
  sql << "SELECT COUNT(DISTINCT user_id) FROM billing_usage_active WHERE school_id = :school AND day >= :first",
      soci::use(school_id), soci::use(first), soci::into(out.active_students);
  std::int64_t bytes = 0;
  sql << "SELECT bytes FROM billing_storage WHERE school_id = :school", soci::use(school_id), soci::into(bytes);
  out.storage_bytes = sql.got_data() ? bytes : 0;
  return out;
}

std::vector<DayUsage> daily_usage(soci::session& sql, const std::string& school_id, const std::string& from_day) {
  return db::fetch_rows<DayUsage>(
      sql,
      "SELECT day, CAST(SUM(active_students) AS INTEGER), CAST(SUM(ai_requests) AS BIGINT), "
      "CAST(SUM(ai_tokens) AS BIGINT), CAST(MAX(storage_bytes) AS BIGINT) FROM ("
      "SELECT day, 0 AS active_students, ai_requests, ai_tokens, storage_bytes FROM billing_usage_daily "
      "WHERE school_id = :school AND day >= :from "
      "UNION ALL SELECT day, COUNT(*), 0, 0, 0 FROM billing_usage_active WHERE school_id = :school2 AND day >= :from2 "
      "GROUP BY day) AS usage GROUP BY day ORDER BY day",
      [](db::Prepared& prepared, DayUsage& d) {
        prepared, soci::into(d.day), soci::into(d.active_students), soci::into(d.ai_requests), soci::into(d.ai_tokens),
            soci::into(d.storage_bytes);
      },
      soci::use(school_id), soci::use(from_day), soci::use(school_id), soci::use(from_day));
}

}  // namespace mnemos::billing
