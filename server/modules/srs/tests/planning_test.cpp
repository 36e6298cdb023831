// The settings hierarchy and the workload forecast.
#include <mnemos/srs/planning.hpp>

#include <gtest/gtest.h>

#include <numeric>

namespace mnemos::srs {
namespace {

constexpr std::int64_t kDay = 86'400'000;
constexpr std::int64_t kNow = 1'788'256'800'000;  // 2026-09-01 10:00 UTC

TEST(MemorySettingsHierarchy, TheMostSpecificLevelWins) {
  const SettingsLayer platform{0.9, 20, 200, 36500};
  EXPECT_EQ(resolve_settings(platform, {}, {}, {}, std::nullopt).retention_from, "platform");
  const SettingsLayer teacher{0.85, 10, {}, {}};
  const SettingsLayer subject{{}, 15, 300, {}};
  const SettingsLayer path{0.93, {}, {}, 180};
  const auto resolved = resolve_settings(platform, teacher, subject, path, std::nullopt);
  EXPECT_DOUBLE_EQ(resolved.desired_retention, 0.93);
  EXPECT_EQ(resolved.retention_from, "path");
  EXPECT_EQ(resolved.new_cards_per_day, 15);
  EXPECT_EQ(resolved.reviews_per_day, 300);
  EXPECT_EQ(resolved.maximum_interval_days, 180);
  const auto from_teacher = resolve_settings(platform, teacher, subject, {}, std::nullopt);
  EXPECT_DOUBLE_EQ(from_teacher.desired_retention, 0.85);
  EXPECT_EQ(from_teacher.retention_from, "teacher");
}

TEST(MemorySettingsHierarchy, AStudentMayOnlyAimHigher) {
  const SettingsLayer platform{0.9, 20, 200, 36500};
  const SettingsLayer path{0.88, {}, {}, {}};
  const auto stricter = resolve_settings(platform, {}, {}, path, 0.95);
  EXPECT_DOUBLE_EQ(stricter.desired_retention, 0.95);
  EXPECT_EQ(stricter.retention_from, "student");
  const auto looser = resolve_settings(platform, {}, {}, path, 0.8);
  EXPECT_DOUBLE_EQ(looser.desired_retention, 0.88);
  EXPECT_EQ(looser.retention_from, "path");
}

TEST(MemorySettingsHierarchy, ValuesOutOfRangeNameTheirLevelAndField) {
  const SettingsLayer platform{0.9, 20, 200, 36500};
  try {
    resolve_settings(platform, {}, SettingsLayer{{}, -1, {}, {}}, {}, std::nullopt);
    FAIL() << "accepted a negative limit";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("subject.new_cards_per_day"), std::string::npos);
  }
  EXPECT_THROW(resolve_settings(platform, SettingsLayer{1.2, {}, {}, {}}, {}, {}, std::nullopt), std::invalid_argument);
  EXPECT_THROW(resolve_settings(platform, {}, {}, {}, 0.5), std::invalid_argument);
}

TEST(WorkloadForecast, CountsDueReviewsAndTheirReturnsInTheWindow) {
  const Scheduler scheduler(Settings{}, fixed_offset_days(0));
  std::vector<CardState> cards;
  cards.push_back({State::review, 2.0, 5.0, 0, 3, 0, kNow - 3 * kDay, kNow - kDay});   // overdue
  cards.push_back({State::review, 50.0, 5.0, 0, 6, 0, kNow - 10 * kDay, kNow + 40 * kDay});  // beyond
  cards.push_back({State::learning, 2.3, 2.1, 1, 1, 0, kNow - 60'000, kNow + 9 * 60'000});  // in steps
  cards.push_back(CardState{});  // new: not part of the review load
  const auto days = forecast(scheduler, cards, kNow, 30);
  ASSERT_EQ(days.size(), 30u);
  EXPECT_EQ(days[0], 2);  // the overdue card and the learning card, once each
  EXPECT_GT(std::accumulate(days.begin(), days.end(), 0), 4);  // both come back within 30 days
  for (int count : days) EXPECT_GE(count, 0);
  const auto none = forecast(scheduler, std::vector<CardState>{cards[1]}, kNow, 30);
  EXPECT_EQ(std::accumulate(none.begin(), none.end(), 0), 0);
  EXPECT_TRUE(forecast(scheduler, cards, kNow, 0).empty());
}

TEST(WorkloadForecast, AClassSumsItsStudents) {
  const Scheduler scheduler(Settings{}, fixed_offset_days(0));
  const std::vector<CardState> one{{State::review, 4.0, 5.0, 0, 3, 0, kNow - 4 * kDay, kNow}};
  const auto single = forecast(scheduler, one, kNow, 30);
  std::vector<CardState> class_cards;
  for (int student = 0; student < 25; ++student) class_cards.push_back(one[0]);
  const auto whole = forecast(scheduler, class_cards, kNow, 30);
  for (std::size_t d = 0; d < 30; ++d) EXPECT_EQ(whole[d], 25 * single[d]) << d;
}

}  // namespace
}  // namespace mnemos::srs
