// The outbox and job worker, on the database under test.
#include "../support/test_support.hpp"

#include <mnemos/core/db.hpp>
#include <mnemos/core/jobs.hpp>
#include <mnemos/core/migrations.hpp>

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

namespace mnemos::testing {
namespace {

class Jobs : public ::testing::Test {
 protected:
  void SetUp() override {
    spdlog::set_level(spdlog::level::critical);  // these tests fail jobs on purpose
    db_ = db::Database::open(database_.url(), 2);
    db::migrate(*db_, {{"core", core::migration_files()}});
  }
  void TearDown() override { spdlog::set_level(spdlog::level::warn); }
  TestDatabase database_;
  std::unique_ptr<db::Database> db_;
  ManualClock clock_{1'700'000'000'000};
};

TEST_F(Jobs, APublishedEventBecomesOneJobPerSubscriberAndRuns) {
  jobs::Registry registry;
  std::vector<std::string> ran;
  registry.handle("notify.a", [&](const jobs::Job& job) { ran.push_back("a:" + job.payload); });
  registry.handle("notify.b", [&](const jobs::Job& job) { ran.push_back("b:" + job.payload); });
  registry.subscribe("thing.happened", "notify.a");
  registry.subscribe("thing.happened", "notify.b");
  db_->write([&](soci::session& sql) {
    jobs::publish(sql, clock_, registry, "thing.happened", R"({"n":1})", std::string("school-1"));
  });
  jobs::Worker worker(*db_, registry, clock_, "test");
  EXPECT_EQ(worker.drain(), 2);
  std::sort(ran.begin(), ran.end());
  EXPECT_EQ(ran, (std::vector<std::string>{R"(a:{"n":1})", R"(b:{"n":1})"}));
  EXPECT_EQ(worker.stats().done, 2);
}

TEST_F(Jobs, AnEventWrittenInARolledBackTransactionNeverRuns) {
  jobs::Registry registry;
  int ran = 0;
  registry.handle("j", [&](const jobs::Job&) { ++ran; });
  registry.subscribe("e", "j");
  EXPECT_THROW(db_->write([&](soci::session& sql) {
    jobs::publish(sql, clock_, registry, "e", "{}", std::nullopt);
    throw std::runtime_error("the change failed");
  }),
               std::runtime_error);
  jobs::Worker worker(*db_, registry, clock_, "test");
  EXPECT_EQ(worker.drain(), 0);
  EXPECT_EQ(ran, 0);
}

TEST_F(Jobs, AFailingJobIsRetriedWithBackoffThenMarkedDead) {
  jobs::Registry registry;
  int attempts = 0;
  registry.handle("flaky", [&](const jobs::Job& job) {
    ++attempts;
    EXPECT_EQ(job.attempts, attempts);
    throw std::runtime_error("remote down");
  }, /*max_attempts=*/3);
  db_->write([&](soci::session& sql) { jobs::enqueue(sql, clock_, "flaky", "{}", std::nullopt, 0, 3); });
  jobs::Worker worker(*db_, registry, clock_, "test");
  EXPECT_TRUE(worker.run_once());
  EXPECT_FALSE(worker.run_once());  // not due until the backoff has passed
  clock_.advance_ms(jobs::backoff_ms(1));
  EXPECT_TRUE(worker.run_once());
  clock_.advance_ms(jobs::backoff_ms(2));
  EXPECT_TRUE(worker.run_once());
  clock_.advance_ms(kHourMs);
  EXPECT_FALSE(worker.run_once());
  EXPECT_EQ(attempts, 3);
  EXPECT_EQ(worker.stats().dead, 1);
}

TEST_F(Jobs, ASucceedingRetryCompletesTheJob) {
  jobs::Registry registry;
  int attempts = 0;
  registry.handle("once-flaky", [&](const jobs::Job&) {
    if (++attempts == 1) throw std::runtime_error("first try fails");
  });
  db_->write([&](soci::session& sql) { jobs::enqueue(sql, clock_, "once-flaky", "{}", std::nullopt); });
  jobs::Worker worker(*db_, registry, clock_, "test");
  worker.run_once();
  clock_.advance_ms(jobs::backoff_ms(1));
  worker.run_once();
  EXPECT_EQ(worker.stats().done, 1);
  EXPECT_EQ(worker.stats().dead, 0);
}

TEST(JobsBackoff, GrowsExponentiallyAndIsCapped) {
  EXPECT_EQ(jobs::backoff_ms(1), 2000);
  EXPECT_EQ(jobs::backoff_ms(2), 4000);
  EXPECT_EQ(jobs::backoff_ms(5), 32000);
  EXPECT_EQ(jobs::backoff_ms(40), kHourMs);
}

}  // namespace
}  // namespace mnemos::testing
