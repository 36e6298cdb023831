#pragma once
// The memory model (FSRS-6, docs/srs.md): a pure library, no I/O.
// Given a card's memory state and a rating, it computes the next state and when to review again.
#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace mnemos::srs {

enum class Rating : int { again = 1, hard = 2, good = 3, easy = 4 };
enum class State : int { new_card = 0, learning = 1, review = 2, relearning = 3 };
std::string_view to_string(State state);

constexpr std::size_t kParameterCount = 21;
using Parameters = std::array<double, kParameterCount>;

// The FSRS-6 defaults.
const Parameters& default_parameters();
// The bounds each parameter is kept within when fitted.
const std::array<std::pair<double, double>, kParameterCount>& parameter_bounds();
// 21 values, or 19 (FSRS-5: w19 = 0, w20 = 0.5 are appended). Throws std::invalid_argument
// naming the problem otherwise (wrong count, not finite, outside its bounds).
Parameters parameters_from(std::span<const double> values);

// The memory settings a school, a teacher or a student may choose (docs/srs.md): every check of
// them, at every level of the hierarchy, uses these bounds.
struct SettingBounds {
  static constexpr double min_desired_retention = 0.7;
  static constexpr double max_desired_retention = 0.99;
  static constexpr int max_new_cards_per_day = 1000;
  static constexpr int max_reviews_per_day = 10000;
  static constexpr int max_interval_days = 36500;
};

constexpr double kMinStability = 0.001;
constexpr double kMaxStability = 36500;

// The model's formulas, each as docs/srs.md states it (exposed for tests and the optimizer).
struct Model {
  explicit Model(const Parameters& parameters) : w(parameters) {}
  Parameters w;

  double decay() const { return -w[20]; }
  double factor() const;
  // R(t, S): probability of recall t days after the last review.
  double retrievability(double elapsed_days, double stability) const;
  // The interval (days, not rounded) at which R falls to `desired_retention`.
  double interval(double stability, double desired_retention) const;
  double initial_stability(Rating rating) const;
  double initial_difficulty(Rating rating, bool clamp = true) const;
  double next_difficulty(double difficulty, Rating rating) const;
  double stability_after_success(double stability, double difficulty, double retrievability,
                                 Rating rating) const;
  double stability_after_failure(double stability, double difficulty, double retrievability) const;
  double same_day_stability(double stability, Rating rating) const;
};

struct Settings {
  Parameters parameters = default_parameters();
  double desired_retention = 0.9;
  int maximum_interval_days = 36500;
  bool fuzz = false;
  std::vector<std::int64_t> learning_steps_s{60, 600};
  std::vector<std::int64_t> relearning_steps_s{600};
  // Exam mode: the day of the exam (day numbering below). A review that would fall on or after
  // the exam is brought into the last `exam_window_days` before it, on a day chosen by the card
  // (so the window's load is even); once a card has been reviewed in the window it is left alone.
  std::optional<std::int64_t> exam_day;
  int exam_window_days = 3;
};

// A card's memory for one student.
struct CardState {
  State state = State::new_card;
  double stability = 0;
  double difficulty = 0;
  int step = 0;                 // index in the (re)learning steps
  int reviews = 0;              // ratings received so far
  int lapses = 0;               // Again while in Review
  std::int64_t last_review_ms = 0;
  std::int64_t due_ms = 0;
};

// Turns an instant into a day number: calendar days of the school's time zone that start at its
// day-start hour (04:00 by default), so an evening session and the next morning are two days.
using DayOf = std::function<std::int64_t(std::int64_t utc_ms)>;
// The day numbering for a fixed offset from UTC (UTC itself: 0).
DayOf fixed_offset_days(std::int64_t offset_s, int day_start_hour = 4);

struct Review {
  CardState after;
  std::int64_t elapsed_days = 0;     // whole days since the previous review (0 for the first)
  std::optional<double> retrievability;  // R at the review (none for a new card)
  std::int64_t interval_days = 0;    // whole days scheduled; 0 for a step shorter than a day
};

class Scheduler {
 public:
  Scheduler(Settings settings, DayOf day_of);

  // The card after `rating` at `now_ms`. `fuzz_seed` identifies the card (its id's hash): with
  // the review count it seeds the fuzz, so the same history always gives the same schedule.
  Review review(const CardState& card, Rating rating, std::int64_t now_ms,
                std::uint64_t fuzz_seed = 0) const;
  // R of the card at `now_ms` (1 for a card never reviewed).
  double retrievability(const CardState& card, std::int64_t now_ms) const;
  std::int64_t day_of(std::int64_t utc_ms) const { return day_of_(utc_ms); }
  const Settings& settings() const { return settings_; }

 private:
  std::int64_t review_interval(double stability, std::int64_t today, std::uint64_t seed) const;
  std::int64_t cap_for_exam(std::int64_t days, std::int64_t today, std::uint64_t seed) const;
  std::int64_t due_in_days(std::int64_t now_ms, std::int64_t days) const;

  Settings settings_;
  DayOf day_of_;
  Model model_;
  double days_per_stability_ = 1;
};

}  // namespace mnemos::srs
