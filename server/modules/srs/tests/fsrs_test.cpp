// The FSRS-6 formulas against values worked out independently from the formulas of docs/srs.md, the
// scheduler's learning steps, fuzz and exam cap, and properties over many random histories.
#include <mnemos/srs/fsrs.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <map>
#include <set>

namespace mnemos::srs {
namespace {

constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kDay = 86'400'000;
// 2026-09-01 10:00 UTC: a morning, well after the 04:00 day start.
constexpr std::int64_t kStart = 1'788'256'800'000;

const Model model{default_parameters()};

TEST(FsrsFormulas, ForgettingCurveAndIntervalAgreeAtNinetyPercent) {
  EXPECT_NEAR(model.factor(), 0.9803464944134797, 1e-12);
  for (double s : {0.5, 1.0, 7.3, 120.0}) {
    EXPECT_NEAR(model.retrievability(s, s), 0.9, 1e-12);
    EXPECT_NEAR(model.interval(s, 0.9), s, 1e-9);
  }
  EXPECT_NEAR(model.retrievability(10, 5), 0.8458846451494336, 1e-12);
  EXPECT_NEAR(model.interval(5, 0.8), 16.579798931154908, 1e-9);
  EXPECT_DOUBLE_EQ(model.retrievability(0, 3), 1.0);
}

TEST(FsrsFormulas, InitialStabilityAndDifficulty) {
  EXPECT_DOUBLE_EQ(model.initial_stability(Rating::again), 0.212);
  EXPECT_DOUBLE_EQ(model.initial_stability(Rating::easy), 8.2956);
  EXPECT_NEAR(model.initial_difficulty(Rating::again), 6.4133, 1e-12);
  EXPECT_NEAR(model.initial_difficulty(Rating::hard), 5.112170705601055, 1e-12);
  EXPECT_NEAR(model.initial_difficulty(Rating::good), 2.118103970459015, 1e-12);
  EXPECT_DOUBLE_EQ(model.initial_difficulty(Rating::easy), 1.0);  // clamped
  EXPECT_NEAR(model.initial_difficulty(Rating::easy, false), -4.771630703161737, 1e-12);
}

TEST(FsrsFormulas, DifficultyMovesWithTheRatingAndRevertsTowardsEasy) {
  EXPECT_NEAR(model.next_difficulty(5, Rating::again), 8.341762369296838, 1e-12);
  EXPECT_NEAR(model.next_difficulty(5, Rating::easy), 3.3144613692968385, 1e-12);
  EXPECT_NEAR(model.next_difficulty(2.118103970459015, Rating::good), 2.1112142357853942, 1e-12);
  // At the top, Again cannot push further; the reversion still pulls a little.
  EXPECT_NEAR(model.next_difficulty(10, Rating::again), 0.001 * -4.771630703161737 + 0.999 * 10, 1e-12);
}

TEST(FsrsFormulas, StabilityAfterSuccessFailureAndTheSameDay) {
  EXPECT_NEAR(model.stability_after_success(10, 5, 0.85, Rating::good), 43.715300400785104, 1e-9);
  EXPECT_NEAR(model.stability_after_success(10, 5, 0.85, Rating::hard), 30.27638166103216, 1e-9);
  EXPECT_NEAR(model.stability_after_success(10, 5, 0.85, Rating::easy), 73.14538612063042, 1e-9);
  EXPECT_NEAR(model.stability_after_failure(10, 5, 0.85), 1.5115675173735756, 1e-12);
  EXPECT_NEAR(model.same_day_stability(2.3065, Rating::again), 0.7750839828558983, 1e-12);
  EXPECT_DOUBLE_EQ(model.same_day_stability(2.3065, Rating::good), 2.3065);  // never lowered
}

TEST(FsrsParameters, NineteenValuesGetTheFsrs6TailAndBadVectorsAreRefused) {
  std::vector<double> five(default_parameters().begin(), default_parameters().begin() + 19);
  const auto w = parameters_from(five);
  EXPECT_DOUBLE_EQ(w[19], 0.0);
  EXPECT_DOUBLE_EQ(w[20], 0.5);
  EXPECT_THROW(parameters_from(std::vector<double>(20, 1.0)), std::invalid_argument);
  auto out_of_bounds = std::vector<double>(default_parameters().begin(), default_parameters().end());
  out_of_bounds[4] = 11;
  EXPECT_THROW(parameters_from(out_of_bounds), std::invalid_argument);
  out_of_bounds[4] = std::nan("");
  EXPECT_THROW(parameters_from(out_of_bounds), std::invalid_argument);
}

Scheduler utc_scheduler(Settings settings = {}) { return Scheduler(std::move(settings), fixed_offset_days(0)); }

TEST(FsrsScheduler, ANewCardWalksItsLearningStepsThenGraduates) {
  const auto scheduler = utc_scheduler();
  const auto first = scheduler.review(CardState{}, Rating::good, kStart);
  EXPECT_EQ(first.after.state, State::learning);
  EXPECT_EQ(first.after.step, 1);
  EXPECT_EQ(first.after.due_ms, kStart + 10 * kMinute);
  EXPECT_EQ(first.interval_days, 0);
  EXPECT_FALSE(first.retrievability.has_value());

  const auto second = scheduler.review(first.after, Rating::good, kStart + 10 * kMinute);
  EXPECT_EQ(second.after.state, State::review);
  EXPECT_EQ(second.elapsed_days, 0);
  EXPECT_DOUBLE_EQ(second.after.stability, 2.3065);
  EXPECT_NEAR(second.after.difficulty, 2.1112142357853942, 1e-12);
  EXPECT_EQ(second.interval_days, 2);

  const auto third = scheduler.review(second.after, Rating::good, kStart + 2 * kDay);
  EXPECT_EQ(third.elapsed_days, 2);
  EXPECT_NEAR(*third.retrievability, 0.9094932559773545, 1e-12);
  EXPECT_NEAR(third.after.stability, 10.971048263078137, 1e-9);
  EXPECT_EQ(third.interval_days, 11);

  const auto lapse = scheduler.review(third.after, Rating::again, kStart + 13 * kDay);
  EXPECT_EQ(lapse.after.state, State::relearning);
  EXPECT_EQ(lapse.after.lapses, 1);
  EXPECT_NEAR(lapse.after.stability, 1.5390125302814703, 1e-9);
  EXPECT_NEAR(lapse.after.difficulty, 7.389975788014609, 1e-9);
  EXPECT_EQ(lapse.after.due_ms, kStart + 13 * kDay + 10 * kMinute);
}

TEST(FsrsScheduler, HardAndAgainInLearning) {
  const auto scheduler = utc_scheduler();
  const auto hard = scheduler.review(CardState{}, Rating::hard, kStart);
  EXPECT_EQ(hard.after.due_ms, kStart + (60 + 600) / 2 * 1000);  // halfway between the steps
  const auto again = scheduler.review(hard.after, Rating::again, kStart + 6 * kMinute);
  EXPECT_EQ(again.after.step, 0);
  EXPECT_EQ(again.after.due_ms, kStart + 7 * kMinute);
  const auto easy = scheduler.review(CardState{}, Rating::easy, kStart);
  EXPECT_EQ(easy.after.state, State::review);
  EXPECT_EQ(easy.interval_days, 8);  // round(S0(Easy)) = round(8.2956)
}

TEST(FsrsScheduler, DaysStartAtFourInTheSchoolsTimeZone) {
  // 03:30 and 05:00 local time are different days; 23:00 and 03:00 the same one.
  const auto paris = fixed_offset_days(2 * 3600);  // summer time
  const std::int64_t midnight_local = kStart - 10 * 3'600'000 - 2 * 3'600'000 + kDay;  // next 00:00 local
  EXPECT_EQ(paris(midnight_local + 3 * 3'600'000 + 30 * kMinute) + 1, paris(midnight_local + 5 * 3'600'000));
  EXPECT_EQ(paris(midnight_local - 1 * 3'600'000), paris(midnight_local + 3 * 3'600'000));
}

TEST(FsrsScheduler, ReviewIntervalsKeepHardBelowGoodBelowEasy) {
  Settings settings;
  settings.fuzz = true;
  const auto scheduler = utc_scheduler(settings);
  for (std::uint64_t card = 1; card <= 200; ++card) {
    CardState state{State::review, 2.0 + static_cast<double>(card % 50), 5.0, 0, 5, 0, kStart, 0};
    const auto when = kStart + static_cast<std::int64_t>(card % 30) * kDay;
    const auto hard = scheduler.review(state, Rating::hard, when, card).interval_days;
    const auto good = scheduler.review(state, Rating::good, when, card).interval_days;
    const auto easy = scheduler.review(state, Rating::easy, when, card).interval_days;
    EXPECT_LE(hard, good) << card;
    EXPECT_LT(good, easy) << card;
  }
}

TEST(FsrsScheduler, FuzzStaysWithinItsRangeAndIsReproducible) {
  Settings plain;
  Settings fuzzed;
  fuzzed.fuzz = true;
  const auto exact = utc_scheduler(plain);
  const auto fuzzy = utc_scheduler(fuzzed);
  const CardState card{State::review, 30, 5, 0, 4, 0, kStart, 0};
  const auto base = exact.review(card, Rating::good, kStart + 30 * kDay).interval_days;
  std::set<std::int64_t> seen;
  for (std::uint64_t seed = 0; seed < 300; ++seed) {
    const auto days = fuzzy.review(card, Rating::good, kStart + 30 * kDay, seed).interval_days;
    EXPECT_EQ(days, fuzzy.review(card, Rating::good, kStart + 30 * kDay, seed).interval_days);
    const double delta = 1 + 0.15 * 4.5 + 0.10 * 13 + 0.05 * (static_cast<double>(base) - 20);
    EXPECT_GE(days, std::round(static_cast<double>(base) - delta) - 1) << seed;
    EXPECT_LE(days, std::round(static_cast<double>(base) + delta) + 1) << seed;
    seen.insert(days);
  }
  EXPECT_GT(seen.size(), 5u);  // it does spread
}

TEST(FsrsScheduler, BeforeAnExamEveryCardComesBackInTheLastDaysSpreadEvenly) {
  Settings settings;
  const std::int64_t today = fixed_offset_days(0)(kStart + 30 * kDay);
  settings.exam_day = today + 20;
  settings.exam_window_days = 4;
  const auto scheduler = utc_scheduler(settings);
  const CardState strong{State::review, 100, 3, 0, 6, 0, kStart, 0};  // would come back in months
  std::map<std::int64_t, int> per_day;
  for (std::uint64_t card = 0; card < 400; ++card) {
    const auto days = scheduler.review(strong, Rating::good, kStart + 30 * kDay, card).interval_days;
    EXPECT_GE(today + days, today + 16) << card;  // inside the window ...
    EXPECT_LT(today + days, today + 20) << card;  // ... and before the exam
    ++per_day[today + days];
  }
  ASSERT_EQ(per_day.size(), 4u);
  for (const auto& [day, count] : per_day) EXPECT_NEAR(count, 100, 30) << day;
  // A card that comes back before the exam anyway keeps its interval.
  const CardState weak{State::review, 2, 6, 0, 3, 0, kStart + 28 * kDay, 0};
  EXPECT_EQ(scheduler.review(weak, Rating::good, kStart + 30 * kDay, 1).interval_days,
            utc_scheduler().review(weak, Rating::good, kStart + 30 * kDay, 1).interval_days);
  // Once reviewed in the window, the card is left to its own schedule.
  const auto in_window = kStart + 47 * kDay;
  EXPECT_GT(scheduler.review(strong, Rating::good, in_window, 1).interval_days, 10);
}

TEST(FsrsProperties, RandomHistoriesKeepTheStateInBoundsAndRepeatExactly) {
  Settings settings;
  settings.fuzz = true;
  const auto scheduler = utc_scheduler(settings);
  std::mt19937_64 random(42);
  for (int history = 0; history < 500; ++history) {
    CardState card;
    CardState replayed;
    std::int64_t now = kStart;
    for (int i = 0; i < 30; ++i) {
      const auto rating = static_cast<Rating>(1 + random() % 4);
      const auto review = scheduler.review(card, rating, now, static_cast<std::uint64_t>(history));
      const auto again = scheduler.review(replayed, rating, now, static_cast<std::uint64_t>(history));
      ASSERT_EQ(review.after.due_ms, again.after.due_ms);
      ASSERT_GE(review.after.stability, kMinStability);
      ASSERT_LE(review.after.stability, kMaxStability);
      ASSERT_GE(review.after.difficulty, 1.0);
      ASSERT_LE(review.after.difficulty, 10.0);
      ASSERT_GT(review.after.due_ms, now);
      card = review.after;
      replayed = again.after;
      // Sometimes early, sometimes on time, sometimes late.
      now = std::max(now + kMinute, card.due_ms + static_cast<std::int64_t>(random() % 3) * kDay - kDay);
    }
  }
}

TEST(FsrsProperties, IntervalsGrowWhenEveryReviewIsGood) {
  const auto scheduler = utc_scheduler();
  CardState card;
  std::int64_t now = kStart;
  std::int64_t previous = 0;
  for (int i = 0; i < 12; ++i) {
    const auto review = scheduler.review(card, Rating::good, now);
    if (review.after.state == State::review) {
      EXPECT_GE(review.interval_days, previous) << "review " << i;
      previous = review.interval_days;
    }
    card = review.after;
    now = card.due_ms;
  }
  EXPECT_GT(previous, 100);
}

}  // namespace
}  // namespace mnemos::srs
