// A class over a school year: does scheduling by memory beat fixed intervals? Each simulated
// student has their own (true) memory parameters, drawn around the defaults; cards arrive ten a
// week for 30 weeks; every day the student answers the cards due, recalling each with the
// probability their true memory gives. Policies differ only in when they bring cards back.
// Prints a table and writes an SVG plot (reviews spent vs. recall during the year, one dot per
// student and policy).
//   build/bench/mnemos_srs_simulation [docs/srs-simulation.svg]
#include <mnemos/srs/fsrs.hpp>
#include <mnemos/srs/optimizer.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <algorithm>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

using namespace mnemos::srs;

namespace {

constexpr int kStudents = 30;
constexpr int kDays = 300;          // September to June
constexpr int kCardsPerWeek = 10;
constexpr int kWeeksOfNewCards = 30;
constexpr std::int64_t kDay = 86'400'000;
constexpr std::int64_t kStart = 1'788'256'800'000;  // 2026-09-01 10:00 UTC

struct TrueMemory {
  double s = 0, d = 0;
  int last_day = -1;
};

struct Outcome {
  double reviews_per_student = 0;
  double recall_during_year = 0;  // mean probability of recall over every card and school day since it was learnt
  double recall_after_summer = 0; // mean probability of recall of every card 60 days after the last school day
  std::vector<std::pair<double, double>> per_student;  // (reviews, recall during the year)
};

Parameters student_parameters(std::mt19937_64& random) {
  std::lognormal_distribution<double> spread(0.0, 0.35);
  Parameters w = default_parameters();
  for (int i : {0, 1, 2, 3, 8, 11}) w[static_cast<std::size_t>(i)] *= spread(random);
  const auto& bounds = parameter_bounds();
  for (std::size_t i = 0; i < kParameterCount; ++i) w[i] = std::clamp(w[i], bounds[i].first, bounds[i].second);
  return w;
}

// A policy gets each answer (card, school day, rating 1-4, first time?) and returns the card's next review day.
using Policy = std::function<int(std::size_t card, int day, int rating, bool first)>;

Outcome run(const std::function<Policy(const Parameters&)>& make_policy, std::uint64_t seed) {
  std::mt19937_64 random(seed);
  std::uniform_real_distribution<double> uniform(0, 1);
  Outcome outcome;
  for (int student = 0; student < kStudents; ++student) {
    const Parameters true_parameters = student_parameters(random);
    const Model truth(true_parameters);
    const int total_cards = kCardsPerWeek * kWeeksOfNewCards;
    std::vector<TrueMemory> memory(static_cast<std::size_t>(total_cards));
    std::vector<int> due(static_cast<std::size_t>(total_cards));
    for (int c = 0; c < total_cards; ++c) due[static_cast<std::size_t>(c)] = (c / kCardsPerWeek) * 7;
    auto policy = make_policy(true_parameters);
    long reviews = 0;
    double recall_sum = 0;
    long recall_count = 0;
    for (int day = 0; day < kDays; ++day) {
      for (std::size_t c = 0; c < memory.size(); ++c) {
        if (due[c] != day) continue;
        auto& m = memory[c];
        const bool first = m.last_day < 0;
        bool recalled;
        int rating;
        if (first) {
          // Cards differ: how the first encounter goes (and so the card's difficulty) varies.
          const double u = uniform(random);
          rating = u < 0.15 ? 1 : u < 0.35 ? 2 : u < 0.85 ? 3 : 4;
          recalled = rating > 1;
          m.s = truth.initial_stability(static_cast<Rating>(rating));
          m.d = truth.initial_difficulty(static_cast<Rating>(rating));
        } else {
          const double r = truth.retrievability(day - m.last_day, m.s);
          recalled = uniform(random) < r;
          rating = recalled ? 3 : 1;
          m.s = recalled ? truth.stability_after_success(m.s, m.d, r, Rating::good)
                         : truth.stability_after_failure(m.s, m.d, r);
          m.d = truth.next_difficulty(m.d, static_cast<Rating>(rating));
        }
        m.last_day = day;
        ++reviews;
        due[c] = policy(c, day, rating, first);
        (void)recalled;
      }
      for (const auto& m : memory) {  // what the student would recall today, card by card
        if (m.last_day < 0) continue;
        recall_sum += truth.retrievability(day - m.last_day, m.s);
        ++recall_count;
      }
    }
    const double during = recall_sum / static_cast<double>(recall_count);
    double after = 0;
    for (const auto& m : memory) after += truth.retrievability(kDays + 60 - m.last_day, m.s);
    after /= static_cast<double>(memory.size());
    outcome.per_student.emplace_back(static_cast<double>(reviews), during);
    outcome.reviews_per_student += static_cast<double>(reviews) / kStudents;
    outcome.recall_during_year += during / kStudents;
    outcome.recall_after_summer += after / kStudents;
  }
  return outcome;
}

// FSRS with default parameters (what a student gets before their own are fitted).
// `oracle`: with the student's true parameters, the best FSRS could do with a perfect fit.
std::function<Policy(const Parameters&)> fsrs(double retention, bool oracle = false) {
  return [retention, oracle](const Parameters& truth) {
    Settings settings;
    if (oracle) settings.parameters = truth;
    settings.desired_retention = retention;
    settings.learning_steps_s = {};  // the simulation works in days
    settings.relearning_steps_s = {};
    auto scheduler = std::make_shared<Scheduler>(settings, fixed_offset_days(0));
    auto cards = std::make_shared<std::vector<CardState>>(kCardsPerWeek * kWeeksOfNewCards);
    return Policy([scheduler, cards](std::size_t card, int day, int rating, bool) {
      auto& state = (*cards)[card];
      state = scheduler->review(state, static_cast<Rating>(rating), kStart + day * kDay, card).after;
      return static_cast<int>(scheduler->day_of(state.due_ms) - scheduler->day_of(kStart));
    });
  };
}

// FSRS whose parameters are fitted to the student's own reviews every 30 days (kept only when they
// predict the student's later reviews better): what Mnemos does with the optimizer job.
std::function<Policy(const Parameters&)> fsrs_fitted(double retention) {
  return [retention](const Parameters&) {
    struct State {
      Settings settings;
      std::unique_ptr<Scheduler> scheduler;
      std::vector<CardState> cards = std::vector<CardState>(kCardsPerWeek * kWeeksOfNewCards);
      std::vector<LoggedReview> log;
      int next_fit = 30;
    };
    auto state = std::make_shared<State>();
    state->settings.desired_retention = retention;
    state->settings.learning_steps_s = {};
    state->settings.relearning_steps_s = {};
    state->scheduler = std::make_unique<Scheduler>(state->settings, fixed_offset_days(0));
    return Policy([state](std::size_t card, int day, int rating, bool) {
      if (day >= state->next_fit) {
        const auto report = optimize(state->log, state->settings.parameters, fixed_offset_days(0));
        if (report.improved) {
          state->settings.parameters = report.parameters;
          state->scheduler = std::make_unique<Scheduler>(state->settings, fixed_offset_days(0));
        }
        state->next_fit = day + 30;
      }
      const std::int64_t now = kStart + day * kDay;
      state->log.push_back({std::to_string(card), rating, now});
      auto& card_state = state->cards[card];
      card_state = state->scheduler->review(card_state, static_cast<Rating>(rating), now, card).after;
      return static_cast<int>(state->scheduler->day_of(card_state.due_ms) - state->scheduler->day_of(kStart));
    });
  };
}

// A fixed ladder of intervals; a failure starts the ladder again.
std::function<Policy(const Parameters&)> ladder(std::vector<int> intervals) {
  return [intervals](const Parameters&) {
    auto rung = std::make_shared<std::vector<int>>(kCardsPerWeek * kWeeksOfNewCards, 0);
    return Policy([intervals, rung](std::size_t card, int day, int rating, bool first) {
      int& at = (*rung)[card];
      at = (first || rating == 1) ? 0 : std::min<int>(at + 1, static_cast<int>(intervals.size()) - 1);
      return day + intervals[static_cast<std::size_t>(at)];
    });
  };
}

void write_svg(const std::string& path, const std::vector<std::pair<std::string, Outcome>>& results) {
  const double width = 720, height = 440, left = 70, bottom = 60, top = 30, right = 190;
  double max_reviews = 0;
  for (const auto& [name, outcome] : results) {
    for (const auto& [reviews, retention] : outcome.per_student) max_reviews = std::max(max_reviews, reviews);
  }
  max_reviews = std::ceil(max_reviews / 1000) * 1000;
  const double floor_recall = 0.8;  // the dots sit between 80% and 100%
  const auto x = [&](double reviews) { return left + (width - left - right) * reviews / max_reviews; };
  const auto y = [&](double retention) {
    return top + (height - top - bottom) * (1 - retention) / (1 - floor_recall);
  };
  const char* colours[] = {"#0b2f6b", "#1b6fc2", "#6fb1ea", "#1e8449", "#58d68d", "#8e44ad", "#c0392b", "#e67e22", "#7f8c8d"};
  std::ofstream svg(path);
  svg << "<svg xmlns='http://www.w3.org/2000/svg' width='" << width << "' height='" << height
      << "' font-family='sans-serif' font-size='12'>\n<rect width='100%' height='100%' fill='white'/>\n";
  for (int i = 0; i <= 10; ++i) {
    const double r = floor_recall + (1 - floor_recall) * i / 10.0;
    svg << "<line x1='" << left << "' x2='" << width - right << "' y1='" << y(r) << "' y2='" << y(r)
        << "' stroke='#e5e5e5'/><text x='" << left - 8 << "' y='" << y(r) + 4 << "' text-anchor='end'>"
        << std::lround(r * 100) << "%</text>\n";
  }
  for (double reviews = 0; reviews <= max_reviews; reviews += 1000) {
    svg << "<text x='" << x(reviews) << "' y='" << height - bottom + 18 << "' text-anchor='middle'>"
        << static_cast<int>(reviews) << "</text>\n";
  }
  svg << "<text x='" << (left + width - right) / 2 << "' y='" << height - 15
      << "' text-anchor='middle'>reviews per student over the year</text>\n"
      << "<text transform='translate(18," << (top + height - bottom) / 2
      << ") rotate(-90)' text-anchor='middle'>recall during the year (mean over cards and days)</text>\n";
  for (std::size_t p = 0; p < results.size(); ++p) {
    const auto& [name, outcome] = results[p];
    for (const auto& [reviews, retention] : outcome.per_student) {
      svg << "<circle cx='" << x(reviews) << "' cy='" << y(retention) << "' r='3' fill='" << colours[p % 9]
          << "' fill-opacity='0.6'/>\n";
    }
    svg << "<circle cx='" << width - right + 20 << "' cy='" << top + 20 + 22.0 * static_cast<double>(p)
        << "' r='5' fill='" << colours[p % 9] << "'/><text x='" << width - right + 32 << "' y='"
        << top + 24 + 22.0 * static_cast<double>(p) << "'>" << name << "</text>\n";
  }
  svg << "</svg>\n";
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::pair<std::string, std::function<Policy(const Parameters&)>>> policies = {
      {"FSRS, retention 0.95", fsrs(0.95)},
      {"FSRS, retention 0.90", fsrs(0.90)},
      {"FSRS, retention 0.80", fsrs(0.80)},
      {"FSRS fitted, retention 0.95", fsrs_fitted(0.95)},
      {"FSRS fitted, retention 0.90", fsrs_fitted(0.90)},
      {"FSRS true parameters, 0.95", fsrs(0.95, true)},
      {"fixed 1-3-7-14-30-60", ladder({1, 3, 7, 14, 30, 60})},
      {"fixed 2-7-21-60", ladder({2, 7, 21, 60})},
      {"every week", ladder({7})},
  };
  std::vector<std::pair<std::string, Outcome>> results;
  std::printf("| policy | reviews per student | recall during the year | recall 60 days after the year |\n"
              "| --- | --- | --- | --- |\n");
  for (const auto& [name, make] : policies) {
    const auto outcome = run(make, 2026);  // the same students for every policy
    std::printf("| %s | %.0f | %.1f%% | %.1f%% |\n", name.c_str(), outcome.reviews_per_student,
                outcome.recall_during_year * 100, outcome.recall_after_summer * 100);
    results.emplace_back(name, outcome);
  }
  if (argc > 1) write_svg(argv[1], results);
  return 0;
}
