#pragma once
// What surrounds the scheduler: which memory settings apply to a student's path, and how many
// reviews are coming day by day.
#include <mnemos/srs/fsrs.hpp>

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace mnemos::srs {

// One level of the hierarchy; an unset value leaves the level above in force.
struct SettingsLayer {
  std::optional<double> desired_retention;  // 0.70–0.99
  std::optional<int> new_cards_per_day;     // 0–1000
  std::optional<int> reviews_per_day;       // 0–10000
  std::optional<int> maximum_interval_days; // 1–36500
};

struct MemorySettings {
  double desired_retention = 0.9;
  int new_cards_per_day = 20;
  int reviews_per_day = 200;
  int maximum_interval_days = 36500;
  std::string retention_from = "platform";  // which level set the retention (shown to people)
};

// Most specific wins: platform → teacher → subject → path; then the student, who may only raise
// the retention (a stricter goal), never lower it or change the limits. Throws
// std::invalid_argument naming the level and field of a value out of range.
MemorySettings resolve_settings(const SettingsLayer& platform, const SettingsLayer& teacher,
                                const SettingsLayer& subject, const SettingsLayer& path,
                                const std::optional<double>& student_retention);

// Reviews due on each of the next `days` days (index 0: today, overdue included), assuming every
// review is answered Good on its due day, so cards seen in the window come back in it too. New
// cards are not counted (their pace is the daily limit).
std::vector<int> forecast(const Scheduler& scheduler, std::span<const CardState> cards, std::int64_t now_ms,
                          int days);

}  // namespace mnemos::srs
