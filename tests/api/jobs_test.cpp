// The support views: background jobs and recent server errors.
#include "api_test.hpp"

#include <mnemos/core/clock.hpp>
#include <mnemos/core/db.hpp>
#include <mnemos/core/jobs.hpp>

#include <boost/json.hpp>

namespace mnemos::testing {
namespace {

class JobViews : public ApiTest {
 protected:
  // Queues a job as a module would, optionally marking it failed or dead.
  static std::string make_job(const std::optional<std::string>& school, const std::string& type,
                              const std::string& status = "queued", bool failed_before = false) {
    SystemClock clock;
    return app_->app().database().write([&](soci::session& sql) {
      jobs::enqueue(sql, clock, type, R"({"secret":"reset-link-token"})", school);
      std::string id;
      sql << "SELECT id FROM core_jobs ORDER BY id DESC LIMIT 1", soci::into(id);
      const std::string error = failed_before || status == "dead" ? "smtp: connection refused" : "";
      const int dead = status == "dead" ? 1 : 0;  // SOCI binds by reference: no temporaries
      sql << "UPDATE core_jobs SET status = :status, last_error = NULLIF(:error, ''), attempts = "
             "CASE WHEN :dead = 1 THEN max_attempts ELSE 1 END WHERE id = :id",
          soci::use(status), soci::use(error), soci::use(dead), soci::use(id);
      return id;
    });
  }
  static std::vector<std::string> ids_of(const HttpResponse& response) {
    std::vector<std::string> ids;
    const auto body = response.json();  // kept: the loop reads into it
    for (const auto& item : body.at("items").as_array()) ids.emplace_back(item.at("id").as_string());
    return ids;
  }
  static bool contains(const std::vector<std::string>& ids, const std::string& id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  }
};

TEST_F(JobViews, SupportSeesItsSchoolsJobsWithoutTheirPayload) {
  const auto ours = make_job(school_id("demo"), "test.ours", "dead");
  const auto theirs = make_job(school_id("other"), "test.theirs", "dead");
  const auto platform = make_job(std::nullopt, "test.platform", "dead");
  auto support = logged_in("demo", "support@demo.test");
  const auto listed = support.get("/api/v1/jobs?status=dead");
  ASSERT_EQ(listed.status, 200) << listed.body;
  const auto ids = ids_of(listed);
  EXPECT_TRUE(contains(ids, ours));
  EXPECT_FALSE(contains(ids, theirs));
  EXPECT_FALSE(contains(ids, platform));
  EXPECT_EQ(listed.body.find("reset-link-token"), std::string::npos);
  EXPECT_EQ(listed.body.find("payload"), std::string::npos);
  const auto job = support.get("/api/v1/jobs/" + ours).json().as_object();
  EXPECT_EQ(job.at("status"), "dead");
  EXPECT_EQ(job.at("last_error"), "smtp: connection refused");
  expect_problem(support.get("/api/v1/jobs/" + theirs), 404);
  // Support cannot widen its view to another school.
  EXPECT_FALSE(contains(ids_of(support.get("/api/v1/jobs?school_id=" + school_id("other"))), theirs));
}

TEST_F(JobViews, TheSummaryCountsEachState) {
  auto support = logged_in("other", "support@other.test");
  const auto before = support.get("/api/v1/jobs/summary").json().as_object();
  make_job(school_id("other"), "test.count", "queued", true);
  make_job(school_id("other"), "test.count", "dead");
  make_job(school_id("demo"), "test.count", "dead");  // another school: not counted
  const auto after = support.get("/api/v1/jobs/summary").json().as_object();
  EXPECT_EQ(after.at("queued").as_int64(), before.at("queued").as_int64() + 1);
  EXPECT_EQ(after.at("failing").as_int64(), before.at("failing").as_int64() + 1);
  EXPECT_EQ(after.at("dead").as_int64(), before.at("dead").as_int64() + 1);
}

TEST_F(JobViews, ListsPageNewestFirstAndFilterByState) {
  const auto school = school_id("demo");
  std::vector<std::string> made;
  for (int i = 0; i < 5; ++i) made.push_back(make_job(school, "test.paging", "queued", true));
  auto platform = logged_in("", "platform@mnemos.test");
  const auto first = platform.get("/api/v1/jobs?status=failing&limit=3&school_id=" + school);
  ASSERT_EQ(first.status, 200);
  const auto first_ids = ids_of(first);
  ASSERT_EQ(first_ids.size(), 3u);
  EXPECT_EQ(first_ids[0], made[4]);
  const std::string cursor(first.json().at("next_cursor").as_string());
  const auto second_ids =
      ids_of(platform.get("/api/v1/jobs?status=failing&limit=3&school_id=" + school + "&cursor=" + cursor));
  EXPECT_EQ(second_ids.at(0), made[1]);
  const auto first_body = first.json();
  for (const auto& item : first_body.at("items").as_array()) {
    EXPECT_EQ(item.at("status"), "queued");
    EXPECT_FALSE(item.at("last_error").is_null());
  }
}

TEST_F(JobViews, ThePlatformAdminRetriesADeadJobOnly) {
  const auto dead = make_job(school_id("demo"), "test.retry", "dead");
  const auto queued = make_job(school_id("demo"), "test.retry", "queued");
  auto support = logged_in("demo", "support@demo.test");
  expect_problem(support.post("/api/v1/jobs/" + dead + "/retry"), 403);
  auto platform = logged_in("", "platform@mnemos.test");
  const auto retried = platform.post("/api/v1/jobs/" + dead + "/retry");
  ASSERT_EQ(retried.status, 200) << retried.body;
  EXPECT_EQ(retried.json().at("status"), "queued");
  EXPECT_EQ(retried.json().at("attempts"), 0);
  expect_problem(platform.post("/api/v1/jobs/" + queued + "/retry"), 409);
  expect_problem(platform.post("/api/v1/jobs/00000000-0000-7000-8000-000000000000/retry"), 404);
  expect_problem(platform.post("/api/v1/jobs/not-an-id/retry"), 404);
}

TEST_F(JobViews, BadFiltersAreNamed) {
  auto platform = logged_in("", "platform@mnemos.test");
  expect_problem(platform.get("/api/v1/jobs?status=exploded"), 422, "status");
  expect_problem(platform.get("/api/v1/jobs?limit=0"), 422, "limit");
  expect_problem(platform.get("/api/v1/jobs?limit=abc"), 422, "limit");
  expect_problem(platform.get("/api/v1/jobs?cursor=zzz"), 422, "cursor");
  expect_problem(platform.get("/api/v1/jobs?school_id=demo"), 422, "school_id");
  expect_problem(logged_in("demo", "teacher@demo.test").get("/api/v1/jobs"), 403);
}

// A real server failure (a table gone from under the server) shows in the error views: with its
// request id for support of that school, with the internal message for platform staff only.
TEST(ServerErrorView, FailuresAreListedWithTheirRequestId) {
  TestApp app;
  auto teacher = app.client();
  const auto login = teacher.login("demo", "teacher@demo.test");
  ASSERT_EQ(login.status, 200);
  const std::string school_id_of_demo(login.json().at("school").at("id").as_string());
  app.app().database().write([](soci::session& sql) { sql << "DROP TABLE users_subjects"; });
  const auto failed = teacher.get("/api/v1/subjects");
  ASSERT_EQ(failed.status, 500);
  const std::string request_id = failed.header("x-request-id");

  auto support = app.client();
  ASSERT_EQ(support.login("demo", "support@demo.test").status, 200);
  const auto seen = support.get("/api/v1/errors").json().at("items").as_array();
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen[0].at("request_id"), request_id.c_str());
  EXPECT_EQ(seen[0].at("route"), "/api/v1/subjects");
  EXPECT_EQ(seen[0].at("status"), 500);
  EXPECT_FALSE(seen[0].as_object().contains("detail"));

  auto other_support = app.client();
  ASSERT_EQ(other_support.login("other", "support@other.test").status, 200);
  EXPECT_TRUE(other_support.get("/api/v1/errors").json().at("items").as_array().empty());

  auto platform = app.client();
  ASSERT_EQ(platform.login("", "platform@mnemos.test").status, 200);
  const auto all = platform.get("/api/v1/errors").json().at("items").as_array();
  ASSERT_FALSE(all.empty());
  const std::string detail(all[0].at("detail").as_string());
  EXPECT_NE(detail.find("users_subjects"), std::string::npos) << detail;
  EXPECT_EQ(detail.find(school_id_of_demo), std::string::npos) << "bound values stay out: " << detail;
}

}  // namespace
}  // namespace mnemos::testing
