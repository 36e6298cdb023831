#include <mnemos/srs/fsrs.hpp>

#include "formulas.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace mnemos::srs {
namespace {

constexpr std::int64_t kDayMs = 86'400'000;

// Floor division for day numbers before 1970 too.
std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

// SplitMix64: a small, well-mixed generator; the fuzz needs one uniform number per review.
double uniform(std::uint64_t seed, int stream) {
  std::uint64_t z = seed + 0x9E3779B97F4A7C15ull * static_cast<std::uint64_t>(stream + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return static_cast<double>(z >> 11) * 0x1.0p-53;
}

}  // namespace

std::string_view to_string(State state) {
  switch (state) {
    case State::new_card: return "new";
    case State::learning: return "learning";
    case State::review: return "review";
    case State::relearning: return "relearning";
  }
  return "new";
}

const Parameters& default_parameters() {
  static const Parameters w = {0.212,  1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194,
                               0.001,  1.8722, 0.1666, 0.796,  1.4835, 0.0614, 0.2629,
                               1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542};
  return w;
}

const std::array<std::pair<double, double>, kParameterCount>& parameter_bounds() {
  static const std::array<std::pair<double, double>, kParameterCount> bounds = {{
      {0.001, 100}, {0.001, 100}, {0.001, 100}, {0.001, 100}, {1, 10},     {0.001, 4},
      {0.001, 4},   {0.001, 0.75}, {0, 4.5},    {0, 0.8},     {0.001, 3.5}, {0.001, 5},
      {0.001, 0.25}, {0.001, 0.9}, {0, 4},      {0, 1},       {1, 6},      {0, 2},
      {0, 2},       {0.01, 0.8},  {0.1, 0.8},
  }};
  return bounds;
}

Parameters parameters_from(std::span<const double> values) {
  if (values.size() != 21 && values.size() != 19) {
    throw std::invalid_argument("parameters: give 21 numbers (FSRS-6) or 19 (FSRS-5), not " +
                                std::to_string(values.size()));
  }
  Parameters w{};
  std::copy(values.begin(), values.end(), w.begin());
  if (values.size() == 19) {
    w[19] = 0;
    w[20] = 0.5;
  }
  const auto& bounds = parameter_bounds();
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(w[i])) throw std::invalid_argument("parameters: w" + std::to_string(i) + " is not a number");
    if (w[i] < bounds[i].first || w[i] > bounds[i].second) {
      throw std::invalid_argument("parameters: w" + std::to_string(i) + " = " + std::to_string(w[i]) +
                                  " is outside [" + std::to_string(bounds[i].first) + ", " +
                                  std::to_string(bounds[i].second) + "]");
    }
  }
  return w;
}

double Model::factor() const { return formulas::factor<double>(w); }

double Model::retrievability(double elapsed_days, double stability) const {
  return formulas::retrievability<double>(w, elapsed_days, stability);
}

double Model::interval(double stability, double desired_retention) const {
  return stability / factor() * (std::pow(desired_retention, 1.0 / decay()) - 1.0);
}

double Model::initial_stability(Rating rating) const {
  return formulas::initial_stability<double>(w, static_cast<int>(rating));
}

double Model::initial_difficulty(Rating rating, bool clamp) const {
  return clamp ? formulas::initial_difficulty<double>(w, static_cast<int>(rating))
               : formulas::initial_difficulty_unclamped<double>(w, static_cast<int>(rating));
}

double Model::next_difficulty(double difficulty, Rating rating) const {
  return formulas::next_difficulty<double>(w, difficulty, static_cast<int>(rating));
}

double Model::stability_after_success(double stability, double difficulty, double r, Rating rating) const {
  return formulas::stability_after_success<double>(w, stability, difficulty, r, static_cast<int>(rating));
}

double Model::stability_after_failure(double stability, double difficulty, double r) const {
  return formulas::stability_after_failure<double>(w, stability, difficulty, r);
}

double Model::same_day_stability(double stability, Rating rating) const {
  return formulas::same_day_stability<double>(w, stability, static_cast<int>(rating));
}

DayOf fixed_offset_days(std::int64_t offset_s, int day_start_hour) {
  const std::int64_t shift_ms = offset_s * 1000 - static_cast<std::int64_t>(day_start_hour) * 3'600'000;
  return [shift_ms](std::int64_t utc_ms) { return floor_div(utc_ms + shift_ms, kDayMs); };
}

Scheduler::Scheduler(Settings settings, DayOf day_of)
    : settings_(std::move(settings)), day_of_(std::move(day_of)), model_(settings_.parameters) {
  if (!(settings_.desired_retention > 0 && settings_.desired_retention < 1)) {
    throw std::invalid_argument("desired_retention must be between 0 and 1 (exclusive)");
  }
  if (settings_.maximum_interval_days < 1) throw std::invalid_argument("maximum_interval must be at least 1 day");
  // The interval is proportional to S for a given retention: work the ratio out once.
  days_per_stability_ = model_.interval(1.0, settings_.desired_retention);
}

double Scheduler::retrievability(const CardState& card, std::int64_t now_ms) const {
  if (card.state == State::new_card || card.stability <= 0) return 1.0;
  const auto elapsed = std::max<std::int64_t>(0, day_of_(now_ms) - day_of_(card.last_review_ms));
  return model_.retrievability(static_cast<double>(elapsed), card.stability);
}

std::int64_t Scheduler::review_interval(double stability, std::int64_t today, std::uint64_t seed) const {
  (void)today;
  const auto maximum = static_cast<double>(settings_.maximum_interval_days);
  const double raw = std::clamp(stability * days_per_stability_, 1.0, maximum);
  if (!settings_.fuzz || raw < 2.5) return static_cast<std::int64_t>(std::clamp(std::round(raw), 1.0, maximum));
  // The wider the interval, the wider the spread, so cards learnt together drift apart.
  const auto part = [&](double from, double to) { return std::max(0.0, std::min(raw, to) - from); };
  const double delta = 1.0 + 0.15 * part(2.5, 7.0) + 0.10 * part(7.0, 20.0) + 0.05 * part(20.0, 1e18);
  const double lo = std::max(2.0, std::round(raw - delta));
  const double hi = std::min(std::round(raw + delta), maximum);
  const double u = uniform(seed, 0);
  return static_cast<std::int64_t>(std::floor(u * (hi - lo + 1.0)) + lo);
}

std::int64_t Scheduler::cap_for_exam(std::int64_t days, std::int64_t today, std::uint64_t seed) const {
  if (!settings_.exam_day) return days;
  const std::int64_t exam = *settings_.exam_day;
  const std::int64_t window = std::max(1, settings_.exam_window_days);
  const std::int64_t window_start = exam - window;
  if (today >= window_start || today + days < exam) return days;  // seen in the window, or back before the exam
  // Pull it into the window, on the card's own day of it.
  const auto pick = window_start + static_cast<std::int64_t>(seed % static_cast<std::uint64_t>(window));
  return std::max<std::int64_t>(1, pick - today);
}

std::int64_t Scheduler::due_in_days(std::int64_t now_ms, std::int64_t days) const {
  return now_ms + days * kDayMs;
}

Review Scheduler::review(const CardState& card, Rating rating, std::int64_t now_ms,
                         std::uint64_t fuzz_seed) const {
  Review out;
  CardState next = card;
  next.reviews = card.reviews + 1;
  next.last_review_ms = now_ms;
  const std::int64_t today = day_of_(now_ms);

  // Memory: S and D move at every rating, in learning too.
  if (card.state == State::new_card || card.stability <= 0) {
    next.stability = model_.initial_stability(rating);
    next.difficulty = model_.initial_difficulty(rating);
  } else {
    out.elapsed_days = std::max<std::int64_t>(0, today - day_of_(card.last_review_ms));
    const double r = model_.retrievability(static_cast<double>(out.elapsed_days), card.stability);
    out.retrievability = r;
    if (out.elapsed_days == 0) {
      next.stability = model_.same_day_stability(card.stability, rating);
    } else if (rating == Rating::again) {
      next.stability = model_.stability_after_failure(card.stability, card.difficulty, r);
    } else {
      next.stability = model_.stability_after_success(card.stability, card.difficulty, r, rating);
    }
    next.difficulty = model_.next_difficulty(card.difficulty, rating);
  }

  // The fuzz of this review: one number per card and review count.
  const std::uint64_t seed = fuzz_seed ^ (0xD1B54A32D192ED03ull * static_cast<std::uint64_t>(next.reviews));
  const auto schedule = [&](std::int64_t days) {
    next.state = State::review;
    next.step = 0;
    out.interval_days = cap_for_exam(days, today, fuzz_seed);
    next.due_ms = due_in_days(now_ms, out.interval_days);
  };
  const auto graduate = [&](double stability) { schedule(review_interval(stability, today, seed)); };
  const auto to_step = [&](State state, int step, std::int64_t delay_s) {
    next.state = state;
    next.step = step;
    out.interval_days = delay_s / 86'400;
    next.due_ms = now_ms + delay_s * 1000;
  };

  const bool in_steps = card.state == State::new_card || card.state == State::learning ||
                        card.state == State::relearning;
  if (in_steps) {
    const State step_state = card.state == State::relearning ? State::relearning : State::learning;
    const auto& steps = step_state == State::relearning ? settings_.relearning_steps_s : settings_.learning_steps_s;
    const int step = card.state == State::new_card ? 0 : card.step;
    if (steps.empty() || rating == Rating::easy) {
      graduate(next.stability);
    } else if (rating == Rating::again) {
      to_step(step_state, 0, steps[0]);
    } else if (rating == Rating::hard) {
      // Hard repeats the step; at the first one, halfway to the second (1.5× when alone).
      const std::size_t at = std::min<std::size_t>(static_cast<std::size_t>(step), steps.size() - 1);
      std::int64_t delay = steps[at];
      if (at == 0) delay = steps.size() > 1 ? (steps[0] + steps[1]) / 2 : steps[0] * 3 / 2;
      to_step(step_state, static_cast<int>(at), delay);
    } else {  // good
      const std::size_t following = card.state == State::new_card ? 1 : static_cast<std::size_t>(step) + 1;
      if (following < steps.size()) {
        to_step(step_state, static_cast<int>(following), steps[following]);
      } else {
        graduate(next.stability);
      }
    }
  } else if (rating == Rating::again) {  // a lapse in review
    next.lapses = card.lapses + 1;
    if (settings_.relearning_steps_s.empty()) {
      graduate(next.stability);
    } else {
      to_step(State::relearning, 0, settings_.relearning_steps_s[0]);
    }
  } else {
    // A success in review: Hard <= Good < Easy whatever the fuzz (fsrs-rs), so the three
    // intervals are worked out together and the rated one kept.
    std::int64_t hard = 0, good = 0, easy = 0;
    for (const Rating each : {Rating::hard, Rating::good, Rating::easy}) {
      double stability = next.stability;
      if (each != rating) {
        const double r = out.retrievability.value_or(1.0);
        stability = out.elapsed_days == 0
                        ? model_.same_day_stability(card.stability, each)
                        : model_.stability_after_success(card.stability, card.difficulty, r, each);
      }
      const auto days = review_interval(stability, today, seed);
      (each == Rating::hard ? hard : each == Rating::good ? good : easy) = days;
    }
    hard = std::min(hard, good);
    good = std::max(good, hard + 1);
    easy = std::max(easy, good + 1);
    schedule(rating == Rating::hard ? hard : rating == Rating::good ? good : easy);
  }
  out.after = next;
  return out;
}

}  // namespace mnemos::srs
