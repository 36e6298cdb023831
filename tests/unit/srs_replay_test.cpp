// `mnemos srs replay`: the JSON contract of issue #3 and its errors.
#include <mnemos/app/srs_commands.hpp>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <sstream>

namespace mnemos::app {
namespace {

struct Run {
  int code;
  std::string out, err;
};

Run replay(const std::string& input) {
  std::istringstream in(input);
  std::ostringstream out, err;
  const int code = srs_replay(in, out, err);
  return {code, out.str(), err.str()};
}

TEST(SrsReplay, PrintsTheStateAfterEachReview) {
  const auto run = replay(R"({"reviews": [{"at": "2022-11-29T12:30:00Z", "rating": 3},
                                          {"at": "2022-11-29T12:40:00Z", "rating": 3},
                                          {"at": "2022-12-01T12:30:00Z", "rating": 3}]})");
  ASSERT_EQ(run.code, 0) << run.err;
  const auto reviews = boost::json::parse(run.out).at("reviews").as_array();
  ASSERT_EQ(reviews.size(), 3u);
  EXPECT_EQ(reviews[0].at("state"), "learning");
  EXPECT_EQ(reviews[0].at("interval_days"), 0);
  EXPECT_TRUE(reviews[0].at("retrievability").is_null());
  EXPECT_EQ(reviews[0].at("due"), "2022-11-29T12:40:00Z");
  EXPECT_EQ(reviews[1].at("state"), "review");
  EXPECT_EQ(reviews[1].at("interval_days"), 2);
  EXPECT_EQ(reviews[2].at("elapsed_days"), 2);
  EXPECT_NEAR(reviews[2].at("retrievability").as_double(), 0.9094932559773545, 1e-12);
  EXPECT_NEAR(reviews[2].at("stability").as_double(), 10.971048263078137, 1e-9);
  EXPECT_EQ(reviews[2].at("interval_days"), 11);
  for (const char* key : {"at", "rating", "elapsed_days", "retrievability", "state", "stability",
                          "difficulty", "due", "interval_days"}) {
    EXPECT_TRUE(reviews[2].as_object().contains(key)) << key;
  }
}

TEST(SrsReplay, DaysFollowTheTimeZoneAndItsDayStart) {
  // 01:30 UTC is 03:30 in Paris (summer): still the previous day until 04:00 local.
  const std::string reviews = R"("reviews": [{"at": "2026-06-10T12:00:00Z", "rating": 4},
                                             {"at": "2026-06-12T01:30:00Z", "rating": 3}])";
  const auto paris = replay(R"({"timezone": "Europe/Paris", )" + reviews + "}");
  ASSERT_EQ(paris.code, 0) << paris.err;
  EXPECT_EQ(boost::json::parse(paris.out).at("reviews").at(1).at("elapsed_days"), 1);
  const auto utc_early = replay(R"({"timezone": "UTC", "day_start_hour": 0, )" + reviews + "}");
  EXPECT_EQ(boost::json::parse(utc_early.out).at("reviews").at(1).at("elapsed_days"), 2);
}

TEST(SrsReplay, SettingsChangeTheSchedule) {
  const std::string reviews = R"("reviews": [{"at": "2022-01-01T10:00:00Z", "rating": 4}])";
  const auto base = boost::json::parse(replay("{" + reviews + "}").out).at("reviews").at(0);
  const auto strict = boost::json::parse(replay(R"({"desired_retention": 0.97, )" + reviews + "}").out)
                          .at("reviews").at(0);
  EXPECT_LT(strict.at("interval_days").as_int64(), base.at("interval_days").as_int64());
  const auto capped = boost::json::parse(replay(R"({"maximum_interval": 3, )" + reviews + "}").out)
                          .at("reviews").at(0);
  EXPECT_EQ(capped.at("interval_days"), 3);
  const auto no_steps = replay(R"({"learning_steps": [], "reviews": [{"at": "2022-01-01T10:00:00Z", "rating": 1}]})");
  EXPECT_EQ(boost::json::parse(no_steps.out).at("reviews").at(0).at("state"), "review");
  const auto five = replay(R"({"parameters": [0.4, 0.6, 2.4, 5.8, 4.93, 0.94, 0.86, 0.01, 1.49, 0.14, 0.94,
                                              2.18, 0.05, 0.34, 1.26, 0.29, 2.61, 0.5, 0.3], )" + reviews + "}");
  EXPECT_EQ(five.code, 0) << five.err;
}

TEST(SrsReplay, BadInputIsRefusedNamingTheField) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"not json", "input"},
      {"[]", "input"},
      {"{}", "reviews"},
      {R"({"reviews": [{"at": "yesterday", "rating": 3}]})", "reviews[0].at"},
      {R"({"reviews": [{"at": "2022-01-01T10:00:00", "rating": 3}]})", "reviews[0].at"},
      {R"({"reviews": [{"at": "2022-01-01T10:00:00Z", "rating": 5}]})", "reviews[0].rating"},
      {R"({"reviews": [{"at": "2022-01-02T10:00:00Z", "rating": 3}, {"at": "2022-01-01T10:00:00Z", "rating": 3}]})",
       "reviews[1].at"},
      {R"({"parameters": [1, 2, 3], "reviews": []})", "parameters"},
      {R"({"desired_retention": 1.5, "reviews": []})", "desired_retention"},
      {R"({"maximum_interval": 0, "reviews": []})", "maximum_interval"},
      {R"({"learning_steps": ["5 minutes"], "reviews": []})", "learning_steps"},
      {R"({"timezone": "Mars/Olympus", "reviews": []})", "timezone"},
      {R"({"timezone": "../../etc/passwd", "reviews": []})", "timezone"},
      {R"({"day_start_hour": 25, "reviews": []})", "day_start_hour"},
      {R"({"fuzz": "yes", "reviews": []})", "fuzz"},
  };
  for (const auto& [input, field] : cases) {
    const auto run = replay(input);
    EXPECT_EQ(run.code, 2) << input;
    EXPECT_NE(run.err.find(field + ":"), std::string::npos) << input << " -> " << run.err;
    EXPECT_TRUE(run.out.empty()) << input;
  }
}

}  // namespace
}  // namespace mnemos::app

namespace mnemos::app {
namespace {

Run optimize_csv(const std::string& csv, const std::string& zone = "UTC") {
  std::istringstream in(csv);
  std::ostringstream out, err;
  const int code = srs_optimize(in, zone, 4, out, err);
  return {code, out.str(), err.str()};
}

TEST(SrsOptimizeCommand, PrintsTheContractsFieldsAndSkipsNonReviews) {
  std::string csv = "card_id,review_rating,review_time,review_duration\n";
  for (int card = 0; card < 5; ++card) {
    csv += std::to_string(card) + ",3,2024-03-0" + std::to_string(card + 1) + "T10:00:00Z,4000\n";
    csv += std::to_string(card) + ",3,2024-03-1" + std::to_string(card) + "T10:00:00.250Z,3500\n";
  }
  csv += "9,0,2024-03-20T10:00:00Z,0\n";  // an Anki manual reschedule: not a review
  const auto run = optimize_csv(csv);
  ASSERT_EQ(run.code, 0) << run.err;
  const auto report = boost::json::parse(run.out).as_object();
  for (const char* key : {"parameters", "log_loss_before", "log_loss_after", "rmse_bins_before",
                          "rmse_bins_after", "reviews_used"}) {
    EXPECT_TRUE(report.contains(key)) << key;
  }
  EXPECT_EQ(report.at("parameters").as_array().size(), 21u);
  EXPECT_EQ(report.at("reviews_used"), 10);
  EXPECT_EQ(report.at("rows_skipped"), 1);
  EXPECT_EQ(report.at("fitted"), "nothing");  // far too few reviews to fit anything
}

TEST(SrsOptimizeCommand, BadFilesAreRefusedWithTheLine) {
  EXPECT_NE(optimize_csv("").err.find("reviews:"), std::string::npos);
  EXPECT_NE(optimize_csv("id,rating,time\n").err.find("first line must name"), std::string::npos);
  const auto bad_time = optimize_csv("card_id,review_rating,review_time\n1,3,yesterday\n");
  EXPECT_EQ(bad_time.code, 2);
  EXPECT_NE(bad_time.err.find("line 2 review_time"), std::string::npos) << bad_time.err;
  const auto bad_rating = optimize_csv("card_id,review_rating,review_time\n1,good,2024-01-01T00:00:00Z\n");
  EXPECT_NE(bad_rating.err.find("line 2"), std::string::npos) << bad_rating.err;
  EXPECT_NE(optimize_csv("card_id,review_rating,review_time\n", "Nowhere/City").err.find("timezone"),
            std::string::npos);
}

}  // namespace
}  // namespace mnemos::app
