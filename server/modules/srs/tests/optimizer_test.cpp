// The optimizer on review logs of simulated students whose memory differs from the defaults:
// fitted parameters must predict their later reviews (held out by time) better than the defaults.
#include <mnemos/srs/optimizer.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

namespace mnemos::srs {
namespace {

constexpr std::int64_t kDay = 86'400'000;
constexpr std::int64_t kStart = 1'767'254'400'000;  // 2026-01-01

// A student who forgets faster than the defaults assume (lower initial stabilities, slower
// growth), reviewing cards on the default schedule, sometimes late.
Parameters weaker_than_the_defaults() {
  Parameters truth = default_parameters();
  for (int i = 0; i < 4; ++i) truth[static_cast<std::size_t>(i)] *= 0.3;
  truth[8] = 1.2;
  return truth;
}

std::vector<LoggedReview> simulate(std::size_t cards, int reviews_per_card, std::uint64_t seed,
                                   const Parameters& truth = weaker_than_the_defaults()) {
  const Model student(truth);
  const Scheduler schedule(Settings{}, fixed_offset_days(0));
  std::mt19937_64 random(seed);
  std::uniform_real_distribution<double> uniform(0, 1);
  std::vector<LoggedReview> log;
  for (std::size_t c = 0; c < cards; ++c) {
    const std::string id = "card-" + std::to_string(c);
    std::int64_t now = kStart + static_cast<std::int64_t>(c % 60) * kDay + 9 * 3'600'000;
    CardState believed;     // what the scheduler thinks (default parameters)
    double s = 0, d = 0;    // the student's true memory
    std::int64_t last_day = 0;
    for (int k = 0; k < reviews_per_card; ++k) {
      const std::int64_t day = now / kDay;
      int rating;
      if (k == 0) {
        rating = 1 + static_cast<int>(random() % 4);
        s = student.initial_stability(static_cast<Rating>(rating));
        d = student.initial_difficulty(static_cast<Rating>(rating));
      } else {
        const double r = day > last_day ? student.retrievability(static_cast<double>(day - last_day), s) : 1.0;
        const bool recalled = uniform(random) < r;
        rating = recalled ? (uniform(random) < 0.15 ? 2 : uniform(random) < 0.9 ? 3 : 4) : 1;
        if (day > last_day) {
          s = recalled ? student.stability_after_success(s, d, r, static_cast<Rating>(rating))
                       : student.stability_after_failure(s, d, r);
        } else {
          s = student.same_day_stability(s, static_cast<Rating>(rating));
        }
        d = student.next_difficulty(d, static_cast<Rating>(rating));
      }
      log.push_back({id, rating, now});
      last_day = day;
      believed = schedule.review(believed, static_cast<Rating>(rating), now).after;
      const auto late = static_cast<std::int64_t>(uniform(random) * 3) * kDay;
      now = std::max(now + 60'000, believed.due_ms + (believed.state == State::review ? late : 0));
    }
  }
  return log;
}

TEST(SrsOptimizer, FittedParametersBeatTheDefaultsOnLaterReviews) {
  const auto log = simulate(800, 8, 1);
  const auto report = optimize(log, default_parameters(), fixed_offset_days(0));
  EXPECT_EQ(report.reviews_used, log.size());
  EXPECT_EQ(report.fitted, "all");
  EXPECT_GT(report.held_out_items, 500u);
  EXPECT_TRUE(report.improved);
  EXPECT_LT(report.log_loss_after, report.log_loss_before);
  EXPECT_LT(report.rmse_bins_after, report.rmse_bins_before);
  // It learnt what differs: this student's first-day memory is weaker than the defaults'.
  EXPECT_LT(report.parameters[2], default_parameters()[2]);
  for (std::size_t i = 0; i < kParameterCount; ++i) {
    EXPECT_GE(report.parameters[i], parameter_bounds()[i].first) << i;
    EXPECT_LE(report.parameters[i], parameter_bounds()[i].second) << i;
  }
  EXPECT_LE(report.parameters[0], report.parameters[1]);
  EXPECT_LE(report.parameters[1], report.parameters[2]);
  EXPECT_LE(report.parameters[2], report.parameters[3]);
}

TEST(SrsOptimizer, TooFewReviewsKeepTheStartingParameters) {
  const auto log = simulate(10, 4, 2);
  const auto report = optimize(log, default_parameters(), fixed_offset_days(0));
  EXPECT_EQ(report.fitted, "nothing");
  EXPECT_FALSE(report.improved);
  EXPECT_EQ(report.parameters, default_parameters());
}

TEST(SrsOptimizer, AFewHundredItemsFitOnlyTheInitialStabilities) {
  const auto log = simulate(60, 4, 3);
  const auto report = optimize(log, default_parameters(), fixed_offset_days(0));
  ASSERT_GE(report.training_items, 64u);
  ASSERT_LT(report.training_items, 256u);
  EXPECT_EQ(report.fitted, "initial_stabilities");
  for (std::size_t i = 4; i < kParameterCount; ++i) EXPECT_EQ(report.parameters[i], default_parameters()[i]);
}

TEST(SrsOptimizer, TheSameLogGivesTheSameFit) {
  const auto log = simulate(300, 6, 4);
  const auto first = optimize(log, default_parameters(), fixed_offset_days(0));
  const auto second = optimize(log, default_parameters(), fixed_offset_days(0));
  EXPECT_EQ(first.parameters, second.parameters);
  EXPECT_EQ(first.log_loss_after, second.log_loss_after);
}

// The evaluation of bench/srs_real_logs: the optimizer sees the first 80% of the log only, its
// parameters are scored on the rest.
Scores scored_after_fitting_on_the_past(const std::vector<LoggedReview>& log, Scores& defaults, FitReport& report) {
  const auto day_of = fixed_offset_days(0);
  const auto cutoff = held_out_cutoff(log, day_of, 0.2);
  std::vector<LoggedReview> past;
  for (const auto& review : log) {
    if (review.at_ms < cutoff) past.push_back(review);
  }
  report = optimize(past, default_parameters(), day_of);
  defaults = score(predict(log, default_parameters(), day_of, cutoff));
  return score(predict(log, report.parameters, day_of, cutoff));
}

TEST(SrsOptimizer, ItsParametersPredictTheFutureItNeverSaw) {
  Scores defaults;
  FitReport report;
  const auto fitted = scored_after_fitting_on_the_past(simulate(800, 8, 5), defaults, report);
  EXPECT_GT(fitted.items, 500u);
  EXPECT_EQ(fitted.items, defaults.items);
  EXPECT_LT(fitted.log_loss, defaults.log_loss - 0.02);
  EXPECT_LT(fitted.rmse_bins, defaults.rmse_bins);
  // The setting was chosen among the offered ones.
  EXPECT_EQ(report.fitted, "all");
  const auto& choices = FitOptions{}.l2_choices;
  EXPECT_NE(std::find(choices.begin(), choices.end(), report.l2), choices.end());
}

TEST(SrsOptimizer, AStudentTheDefaultsDescribeIsNotHarmed) {
  Scores defaults;
  FitReport report;
  const auto fitted = scored_after_fitting_on_the_past(simulate(800, 8, 6, default_parameters()), defaults, report);
  EXPECT_LT(fitted.log_loss, defaults.log_loss + 0.005);  // the noise of the evaluation
}

TEST(SrsOptimizer, TheChosenSettingsAreTrainedAgainOnTheRecentReviews) {
  const auto log = simulate(800, 8, 1);
  FitOptions once;
  once.refit = false;
  const auto without = optimize(log, default_parameters(), fixed_offset_days(0), once);
  const auto with = optimize(log, default_parameters(), fixed_offset_days(0));
  ASSERT_EQ(with.fitted, "all");
  EXPECT_EQ(with.fitted, without.fitted);
  EXPECT_EQ(with.l2, without.l2);
  EXPECT_EQ(with.log_loss_after, without.log_loss_after);  // the choice is the same...
  EXPECT_NE(with.parameters, without.parameters);          // ...trained on more reviews
}

TEST(SrsScores, LogLossAndCalibrationOfKnownPredictions) {
  const std::vector<Prediction> predictions{{0, 0.9, true}, {0, 0.9, false}, {1, 0.5, true}, {1, 0.5, true}};
  const auto scores = score(predictions);
  EXPECT_EQ(scores.items, 4u);
  EXPECT_NEAR(scores.log_loss, (-std::log(0.9) - std::log(0.1) - 2 * std::log(0.5)) / 4, 1e-12);
  // Bin of 0.9: predicted 0.9, recalled half; bin of 0.5: predicted 0.5, recalled all.
  EXPECT_NEAR(scores.rmse_bins, std::sqrt((2 * 0.4 * 0.4 + 2 * 0.5 * 0.5) / 4), 1e-12);
}

TEST(SrsScores, TheCutoffHoldsOutTheMostRecentFifth) {
  std::vector<LoggedReview> log;
  for (int day = 0; day < 11; ++day) log.push_back({"a", 3, kStart + day * kDay});  // 10 labelled reviews
  const auto day_of = fixed_offset_days(0);
  const auto cutoff = held_out_cutoff(log, day_of, 0.2);
  EXPECT_EQ(cutoff, kStart + 9 * kDay);
  EXPECT_EQ(predict(log, default_parameters(), day_of, cutoff).size(), 2u);
  EXPECT_EQ(predict(log, default_parameters(), day_of, 0).size(), 10u);
}

}  // namespace
}  // namespace mnemos::srs
