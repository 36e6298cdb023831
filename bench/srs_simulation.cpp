// A class over a school year: does scheduling by memory beat fixed intervals and SM-2?
//
// Students differ: each one's true memory follows the parameters fitted on one of the real review
// logs of ../shared/data/reviewlogs (or, without them, the defaults varied at random). Cards differ:
// each has its own difficulty, which shows in how its first encounter goes and shapes how fast the
// student's memory of it grows. Ten new cards a week for 30 weeks, 300 school days; every day each
// student answers the cards due, recalling each with the probability their true memory gives, and
// rates a recalled card Hard, Good or Easy depending on how easily it came back. Every policy sees
// the same students, cards and chances (draws are hashed from student, card and day).
//
// Each family of policies is run at several settings (FSRS at several desired retentions, ladders
// of fixed intervals stretched or shrunk, SM-2 with an interval modifier), which draws its frontier:
// reviews spent against recall reached. Prints a table; writes an SVG of the frontiers.
//   build/bench/mnemos_srs_simulation [docs/srs-simulation.svg] [LOGS_DIR]
#include <mnemos/srs/fsrs.hpp>
#include <mnemos/srs/optimizer.hpp>
#include <mnemos/srs/review_log.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

using namespace mnemos::srs;

namespace {

constexpr int kStudents = 40;
constexpr int kDays = 300;  // September to June
constexpr int kCardsPerWeek = 10;
constexpr int kWeeksOfNewCards = 30;
constexpr int kCards = kCardsPerWeek * kWeeksOfNewCards;
constexpr std::int64_t kDay = 86'400'000;
constexpr std::int64_t kStart = 1'788'256'800'000;  // 2026-09-01 10:00 UTC

// A uniform number in [0, 1) from the draw's coordinates (SplitMix64), so that every policy meets
// the same chances whatever order it asks in.
double chance(std::uint64_t student, std::uint64_t card, std::uint64_t day, std::uint64_t purpose) {
  std::uint64_t z = student * 0x9E3779B97F4A7C15ull ^ (card + 1) * 0xBF58476D1CE4E5B9ull ^
                    (day + 7) * 0x94D049BB133111EBull ^ (purpose + 3) * 0xD1B54A32D192ED03ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return static_cast<double>(z >> 11) * 0x1.0p-53;
}

double normal(std::uint64_t student, std::uint64_t card, std::uint64_t purpose) {
  const double u1 = std::max(1e-12, chance(student, card, 0, purpose));
  const double u2 = chance(student, card, 1, purpose);
  return std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2);
}

struct Student {
  Parameters truth;
  std::string memory_from;  // the log whose fit it follows
};

// A card's difficulty for one student: a hard card is more often failed at first sight and its
// memory grows more slowly (a higher D in the true model).
struct Card {
  double difficulty_offset = 0;
  int first_rating = 3;
};

Card card_of(std::uint64_t student, std::uint64_t card) {
  Card c;
  c.difficulty_offset = normal(student, card, 1);
  const double z = c.difficulty_offset + 0.7 * normal(student, card, 2);
  c.first_rating = z > 1.0 ? 1 : z > 0.3 ? 2 : z > -1.0 ? 3 : 4;
  return c;
}

// How a recalled card is rated: Hard when it barely came back, Easy when it was obvious.
int rating_when_recalled(double r, double u) {
  const double hard = std::clamp(1.5 * (1 - r), 0.02, 0.5);
  const double easy = std::clamp(3 * (r - 0.9), 0.0, 0.3);
  return u < hard ? 2 : u > 1 - easy ? 4 : 3;
}

// A policy gets each answer (card, school day, rating 1-4, first time?) and returns the card's next review day.
using Policy = std::function<int(std::size_t card, int day, int rating, bool first)>;
using MakePolicy = std::function<Policy(const Student&)>;

struct Outcome {
  double reviews = 0;          // per student
  double recall_during = 0;    // mean probability of recall over every card and school day since it was learnt
  double recall_after = 0;     // every card, 60 days after the last school day
  double weakest_recall = 1;   // the lowest student's recall during the year
  double below_80 = 0;         // share of card-days on which a card was more likely forgotten than 1 in 5
  double reviews_low = 1e18, reviews_high = 0;  // the students' fewest and most reviews
};

Outcome run(const MakePolicy& make, const std::vector<Student>& students) {
  Outcome outcome;
  for (std::size_t who = 0; who < students.size(); ++who) {
    const Model truth(students[who].truth);
    struct Memory {
      double s = 0, d = 0;
      int last_day = -1;
    };
    std::vector<Memory> memory(kCards);
    std::vector<int> due(kCards);
    for (int c = 0; c < kCards; ++c) due[static_cast<std::size_t>(c)] = (c / kCardsPerWeek) * 7;
    auto policy = make(students[who]);
    long reviews = 0;
    double recall_sum = 0;
    long recall_count = 0, low_count = 0;
    for (int day = 0; day < kDays; ++day) {
      for (std::size_t c = 0; c < memory.size(); ++c) {
        if (due[c] != day) continue;
        auto& m = memory[c];
        const bool first = m.last_day < 0;
        int rating;
        if (first) {
          const Card card = card_of(who, c);
          rating = card.first_rating;
          m.s = truth.initial_stability(static_cast<Rating>(rating));
          m.d = std::clamp(truth.initial_difficulty(static_cast<Rating>(rating)) + card.difficulty_offset, 1.0, 10.0);
        } else {
          const double r = truth.retrievability(day - m.last_day, m.s);
          const bool recalled = chance(who, c, static_cast<std::uint64_t>(day), 3) < r;
          rating = recalled ? rating_when_recalled(r, chance(who, c, static_cast<std::uint64_t>(day), 4)) : 1;
          m.s = recalled ? truth.stability_after_success(m.s, m.d, r, static_cast<Rating>(rating))
                         : truth.stability_after_failure(m.s, m.d, r);
          m.d = truth.next_difficulty(m.d, static_cast<Rating>(rating));
        }
        m.last_day = day;
        ++reviews;
        due[c] = std::max(day + 1, policy(c, day, rating, first));
      }
      for (const auto& m : memory) {
        if (m.last_day < 0) continue;
        const double r = truth.retrievability(day - m.last_day, m.s);
        recall_sum += r;
        low_count += r < 0.8 ? 1 : 0;
        ++recall_count;
      }
    }
    double after = 0;
    for (const auto& m : memory) after += truth.retrievability(kDays + 60 - m.last_day, m.s);
    const auto n = static_cast<double>(students.size());
    const double during = recall_sum / static_cast<double>(recall_count);
    outcome.reviews += static_cast<double>(reviews) / n;
    outcome.recall_during += during / n;
    outcome.weakest_recall = std::min(outcome.weakest_recall, during);
    outcome.below_80 += static_cast<double>(low_count) / static_cast<double>(recall_count) / n;
    outcome.reviews_low = std::min(outcome.reviews_low, static_cast<double>(reviews));
    outcome.reviews_high = std::max(outcome.reviews_high, static_cast<double>(reviews));
    outcome.recall_after += after / static_cast<double>(memory.size()) / n;
  }
  return outcome;
}

Settings in_days(double retention) {
  Settings settings;
  settings.desired_retention = retention;
  settings.learning_steps_s = {};  // the simulation works in days
  settings.relearning_steps_s = {};
  return settings;
}

int day_of_due(const Scheduler& scheduler, const CardState& state) {
  return static_cast<int>(scheduler.day_of(state.due_ms) - scheduler.day_of(kStart));
}

// FSRS with the defaults (what a student gets before a fit), or with the student's true parameters
// (the best any fit could do).
MakePolicy fsrs(double retention, bool true_parameters) {
  return [=](const Student& student) {
    Settings settings = in_days(retention);
    if (true_parameters) settings.parameters = student.truth;
    auto scheduler = std::make_shared<Scheduler>(settings, fixed_offset_days(0));
    auto cards = std::make_shared<std::vector<CardState>>(kCards);
    return Policy([scheduler, cards](std::size_t card, int day, int rating, bool) {
      auto& state = (*cards)[card];
      state = scheduler->review(state, static_cast<Rating>(rating), kStart + day * kDay, card).after;
      return day_of_due(*scheduler, state);
    });
  };
}

// FSRS refitted to the student's own reviews every 30 days, as the product's fitting job does.
MakePolicy fsrs_fitted(double retention) {
  return [=](const Student&) {
    struct State {
      Settings settings;
      std::unique_ptr<Scheduler> scheduler;
      std::vector<CardState> cards = std::vector<CardState>(kCards);
      std::vector<LoggedReview> log;
      int next_fit = 30;
    };
    auto state = std::make_shared<State>();
    state->settings = in_days(retention);
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
      return day_of_due(*state->scheduler, card_state);
    });
  };
}

// A fixed ladder of intervals stretched by `scale`; a failure starts the ladder again.
MakePolicy ladder(std::vector<double> intervals, double scale) {
  return [=](const Student&) {
    auto rung = std::make_shared<std::vector<int>>(kCards, 0);
    return Policy([intervals, scale, rung](std::size_t card, int day, int rating, bool first) {
      int& at = (*rung)[card];
      at = (first || rating == 1) ? 0 : std::min<int>(at + 1, static_cast<int>(intervals.size()) - 1);
      return day + std::max(1, static_cast<int>(std::lround(intervals[static_cast<std::size_t>(at)] * scale)));
    });
  };
}

// SuperMemo 2 (1987), as Anki's ancestors used it: 1 day, 6 days, then the previous interval times
// the card's ease factor, which the grade moves (Again 1, Hard 3, Good 4, Easy 5 on SM-2's 0-5 scale);
// a failure starts again at 1 day. `modifier` stretches every interval, like Anki's.
MakePolicy sm2(double modifier) {
  return [=](const Student&) {
    struct CardSm2 {
      int repetition = 0;
      double interval = 0, ease = 2.5;
    };
    auto cards = std::make_shared<std::vector<CardSm2>>(kCards);
    return Policy([cards, modifier](std::size_t card, int day, int rating, bool) {
      auto& c = (*cards)[card];
      const int q = rating == 1 ? 1 : rating == 2 ? 3 : rating == 3 ? 4 : 5;
      if (q < 3) {
        c.repetition = 0;
        c.interval = 1;
      } else {
        c.interval = c.repetition == 0 ? 1 : c.repetition == 1 ? 6 : c.interval * c.ease;
        ++c.repetition;
      }
      c.ease = std::max(1.3, c.ease + (0.1 - (5 - q) * (0.08 + (5 - q) * 0.02)));
      return day + std::max(1, static_cast<int>(std::lround(c.interval * modifier)));
    });
  };
}

std::vector<Student> students_from(const std::filesystem::path& directory) {
  std::vector<Student> fitted;
  std::error_code error;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
    if (entry.path().extension() == ".csv") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    std::ifstream in(file);
    try {
      const auto log = read_review_log(in);
      FitOptions options;
      const auto report = optimize(log.reviews, default_parameters(), fixed_offset_days(0, 4), options);
      fitted.push_back({report.parameters, file.stem().string()});
    } catch (const ReviewLogError& problem) {
      std::fprintf(stderr, "%s: %s (skipped)\n", file.c_str(), problem.what());
    }
  }
  std::vector<Student> students;
  if (fitted.empty()) {
    std::fprintf(stderr, "no review log in %s: students' memories are the defaults varied at random\n",
                 directory.c_str());
    std::mt19937_64 random(2026);
    std::lognormal_distribution<double> spread(0.0, 0.35);
    const auto& bounds = parameter_bounds();
    for (int i = 0; i < kStudents; ++i) {
      Parameters w = default_parameters();
      for (int k : {0, 1, 2, 3, 8, 11}) w[static_cast<std::size_t>(k)] *= spread(random);
      for (std::size_t k = 0; k < kParameterCount; ++k) w[k] = std::clamp(w[k], bounds[k].first, bounds[k].second);
      students.push_back({w, "defaults varied"});
    }
    return students;
  }
  for (int i = 0; i < kStudents; ++i) students.push_back(fitted[static_cast<std::size_t>(i) % fitted.size()]);
  return students;
}

struct Point {
  std::string label;
  Outcome outcome;
};
struct Family {
  std::string name;
  std::string colour;
  std::vector<Point> points;
};

// Two panels on the same axes: the mean student's recall, and the weakest student's.
void write_svg(const std::string& path, const std::vector<Family>& families) {
  const double panel = 400, height = 470, left = 70, bottom = 60, top = 50, gap = 90, legend = 220;
  const double width = left + panel + gap + panel + legend;
  double max_reviews = 0, min_recall = 1;
  for (const auto& family : families) {
    for (const auto& point : family.points) {
      max_reviews = std::max(max_reviews, point.outcome.reviews);
      min_recall = std::min(min_recall, point.outcome.weakest_recall);
    }
  }
  max_reviews = std::ceil(max_reviews / 1000) * 1000;
  const double floor_recall = std::floor(min_recall * 20) / 20;  // a multiple of 5%
  std::ofstream svg(path);
  svg << "<svg xmlns='http://www.w3.org/2000/svg' width='" << width << "' height='" << height
      << "' font-family='sans-serif' font-size='12'>\n<rect width='100%' height='100%' fill='white'/>\n";
  const auto draw = [&](double x0, const char* title, double Outcome::*metric) {
    const auto x = [&](double reviews) { return x0 + panel * reviews / max_reviews; };
    const auto y = [&](double recall) { return top + (height - top - bottom) * (1 - recall) / (1 - floor_recall); };
    svg << "<text x='" << x0 + panel / 2 << "' y='" << top - 22 << "' text-anchor='middle' font-weight='bold'>"
        << title << "</text>\n";
    for (double r = floor_recall; r <= 1.0001; r += 0.05) {
      svg << "<line x1='" << x0 << "' x2='" << x0 + panel << "' y1='" << y(r) << "' y2='" << y(r)
          << "' stroke='#e5e5e5'/><text x='" << x0 - 8 << "' y='" << y(r) + 4 << "' text-anchor='end'>"
          << std::lround(r * 100) << "%</text>\n";
    }
    for (double reviews = 0; reviews <= max_reviews; reviews += 1000) {
      svg << "<text x='" << x(reviews) << "' y='" << height - bottom + 18 << "' text-anchor='middle'>"
          << static_cast<int>(reviews) << "</text>\n";
    }
    svg << "<text x='" << x0 + panel / 2 << "' y='" << height - 15
        << "' text-anchor='middle'>reviews per student over the year</text>\n"
        << "<text transform='translate(" << x0 - 52 << "," << (top + height - bottom) / 2
        << ") rotate(-90)' text-anchor='middle'>recall during the year</text>\n";
    for (const auto& family : families) {
      std::string line;
      for (const auto& point : family.points) {
        const double px = x(point.outcome.reviews), py = y(point.outcome.*metric);
        line += std::to_string(px) + "," + std::to_string(py) + " ";
        svg << "<circle cx='" << px << "' cy='" << py << "' r='3.5' fill='" << family.colour << "'><title>"
            << family.name << ", " << point.label << "</title></circle>\n";
      }
      svg << "<polyline points='" << line << "' fill='none' stroke='" << family.colour << "' stroke-width='2'/>\n";
    }
  };
  draw(left, "the mean student", &Outcome::recall_during);
  draw(left + panel + gap, "the weakest student", &Outcome::weakest_recall);
  for (std::size_t f = 0; f < families.size(); ++f) {
    const double lx = left + 2 * panel + gap + 24, ly = top + 10 + 24.0 * static_cast<double>(f);
    svg << "<line x1='" << lx << "' x2='" << lx + 20 << "' y1='" << ly << "' y2='" << ly << "' stroke='"
        << families[f].colour << "' stroke-width='3'/><text x='" << lx + 26 << "' y='" << ly + 4 << "'>"
        << families[f].name << "</text>\n";
  }
  svg << "</svg>\n";
}

}  // namespace

int main(int argc, char** argv) {
  const std::filesystem::path logs = argc > 2 ? argv[2] : "../shared/data/reviewlogs";
  const auto students = students_from(logs);
  std::vector<Family> families = {
      {"FSRS, defaults", "#0b2f6b", {}},
      {"FSRS, refitted monthly", "#1b6fc2", {}},
      {"FSRS, true parameters", "#6fb1ea", {}},
      {"SM-2", "#c0392b", {}},
      {"fixed 1-3-7-14-30-60", "#1e8449", {}},
      {"fixed 2-7-21-60", "#8e44ad", {}},
  };
  const std::vector<double> retentions{0.70, 0.80, 0.85, 0.90, 0.95, 0.97};
  const std::vector<double> scales{0.5, 0.75, 1, 1.5, 2, 3};
  const auto add = [&](std::size_t family, const std::string& label, const MakePolicy& make) {
    families[family].points.push_back({label, run(make, students)});
    const auto& o = families[family].points.back().outcome;
    std::printf("| %s | %s | %.0f (%.0f-%.0f) | %.1f%% | %.1f%% | %.1f%% | %.1f%% |\n", families[family].name.c_str(),
                label.c_str(), o.reviews, o.reviews_low, o.reviews_high, o.recall_during * 100,
                o.weakest_recall * 100, o.below_80 * 100, o.recall_after * 100);
    std::fflush(stdout);
  };
  std::printf("%zu students (memories from %s), %d cards each, %d days\n\n", students.size(),
              students.front().memory_from == "defaults varied" ? "the defaults varied" : "fits of the real logs",
              kCards, kDays);
  std::printf("| policy | setting | reviews per student (fewest-most) | recall during the year | the weakest "
              "student's | card-days below 80%% | recall 60 days after |\n| --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
  for (const double r : retentions) add(0, "retention " + std::to_string(r).substr(0, 4), fsrs(r, false));
  for (const double r : {0.80, 0.90, 0.95}) add(1, "retention " + std::to_string(r).substr(0, 4), fsrs_fitted(r));
  for (const double r : retentions) add(2, "retention " + std::to_string(r).substr(0, 4), fsrs(r, true));
  for (const double m : scales) add(3, "intervals x" + std::to_string(m).substr(0, 4), sm2(m));
  for (const double m : scales) add(4, "x" + std::to_string(m).substr(0, 4), ladder({1, 3, 7, 14, 30, 60}, m));
  for (const double m : scales) add(5, "x" + std::to_string(m).substr(0, 4), ladder({2, 7, 21, 60}, m));
  if (argc > 1) write_svg(argv[1], families);
  return 0;
}
