#include <mnemos/srs/planning.hpp>

#include <algorithm>
#include <stdexcept>
#include <string>

namespace mnemos::srs {
namespace {

void check(const SettingsLayer& layer, const char* level) {
  const auto fail = [&](const char* field, const std::string& range) {
    throw std::invalid_argument(std::string(level) + "." + field + " must be " + range);
  };
  if (layer.desired_retention && !(*layer.desired_retention >= 0.7 && *layer.desired_retention <= 0.99)) {
    fail("desired_retention", "between 0.70 and 0.99");
  }
  if (layer.new_cards_per_day && (*layer.new_cards_per_day < 0 || *layer.new_cards_per_day > 1000)) {
    fail("new_cards_per_day", "from 0 to 1000");
  }
  if (layer.reviews_per_day && (*layer.reviews_per_day < 0 || *layer.reviews_per_day > 10000)) {
    fail("reviews_per_day", "from 0 to 10000");
  }
  if (layer.maximum_interval_days && (*layer.maximum_interval_days < 1 || *layer.maximum_interval_days > 36500)) {
    fail("maximum_interval_days", "from 1 to 36500");
  }
}

}  // namespace

MemorySettings resolve_settings(const SettingsLayer& platform, const SettingsLayer& teacher,
                                const SettingsLayer& subject, const SettingsLayer& path,
                                const std::optional<double>& student_retention) {
  MemorySettings out;
  const std::pair<const SettingsLayer*, const char*> levels[] = {
      {&platform, "platform"}, {&teacher, "teacher"}, {&subject, "subject"}, {&path, "path"}};
  for (const auto& [layer, name] : levels) {
    check(*layer, name);
    if (layer->desired_retention) {
      out.desired_retention = *layer->desired_retention;
      out.retention_from = name;
    }
    if (layer->new_cards_per_day) out.new_cards_per_day = *layer->new_cards_per_day;
    if (layer->reviews_per_day) out.reviews_per_day = *layer->reviews_per_day;
    if (layer->maximum_interval_days) out.maximum_interval_days = *layer->maximum_interval_days;
  }
  if (student_retention) {
    check(SettingsLayer{student_retention, {}, {}, {}}, "student");
    if (*student_retention > out.desired_retention) {
      out.desired_retention = *student_retention;
      out.retention_from = "student";
    }
  }
  return out;
}

std::vector<int> forecast(const Scheduler& scheduler, std::span<const CardState> cards, std::int64_t now_ms,
                          int days) {
  std::vector<int> counts(static_cast<std::size_t>(std::max(0, days)), 0);
  if (days <= 0) return counts;
  constexpr std::int64_t kDayMs = 86'400'000;
  const std::int64_t today = scheduler.day_of(now_ms);
  for (const auto& start : cards) {
    if (start.state == State::new_card) continue;
    CardState card = start;
    // At most one review per day of the window: a card due several times a day (learning steps)
    // counts once that day, which is how the day's workload reads.
    for (int guard = 0; guard < days + 1; ++guard) {
      const std::int64_t due_day = std::max(today, scheduler.day_of(card.due_ms));
      const std::int64_t offset = due_day - today;
      if (offset >= days) break;
      ++counts[static_cast<std::size_t>(offset)];
      // Answered Good that day, at the due time or now if overdue; a learning card graduates.
      std::int64_t when = std::max(card.due_ms, now_ms + offset * kDayMs);
      auto next = scheduler.review(card, Rating::good, when).after;
      while (next.state != State::review && scheduler.day_of(next.due_ms) == due_day) {
        when = next.due_ms;
        next = scheduler.review(next, Rating::good, when).after;
      }
      card = next;
    }
  }
  return counts;
}

}  // namespace mnemos::srs
