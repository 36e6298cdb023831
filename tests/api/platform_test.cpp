#include "../support/api_test.hpp"

namespace mnemos::testing {
namespace {

class PlatformApi : public ApiTest {};

TEST_F(PlatformApi, HealthAndReadiness) {
  auto c = client();
  const auto health = c.get("/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.json().at("status").as_string(), "ok");
  const auto ready = c.get("/readyz");
  EXPECT_EQ(ready.status, 200);
  EXPECT_TRUE(ready.json().at("migrations").as_bool());
}

TEST_F(PlatformApi, MetricsCountRequestsByRouteInPrometheusFormat) {
  auto c = client();
  c.get("/healthz");
  c.get("/api/v1/me");
  const auto metrics = c.get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find(R"(mnemos_http_requests_total{route="GET /healthz",status="2xx"})"),
            std::string::npos);
  EXPECT_NE(metrics.body.find(R"(mnemos_http_requests_total{route="GET /api/v1/me",status="4xx"})"),
            std::string::npos);
  EXPECT_NE(metrics.body.find("mnemos_http_request_duration_seconds_bucket{route=\"GET /healthz\",le=\"+Inf\"}"),
            std::string::npos);
  EXPECT_NE(metrics.body.find("mnemos_db_pool_size 4"), std::string::npos);
  EXPECT_NE(metrics.body.find("mnemos_websocket_connections"), std::string::npos);
}

TEST_F(PlatformApi, ResponsesCarrySecurityHeadersAndARequestId) {
  const auto response = client().get("/api/v1/me");
  EXPECT_EQ(response.header("x-content-type-options"), "nosniff");
  EXPECT_EQ(response.header("x-frame-options"), "DENY");
  EXPECT_EQ(response.header("x-request-id").size(), 36u);
  const auto given = client().request("GET", "/healthz", "", {{"x-request-id", "trace-123"}});
  EXPECT_EQ(given.header("x-request-id"), "trace-123");
  const auto unsafe = client().request("GET", "/healthz", "", {{"x-request-id", "bad id\"with quotes"}});
  EXPECT_NE(unsafe.header("x-request-id"), "bad id\"with quotes");
}

TEST_F(PlatformApi, KeepAliveServesSeveralRequestsOnOneConnection) {
  const std::string two = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  const std::string response = client().raw(two);
  std::size_t count = 0;
  for (auto pos = response.find("HTTP/1.1 200"); pos != std::string::npos;
       pos = response.find("HTTP/1.1 200", pos + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 2u);
}

TEST(Shutdown, StopDrainsAndReturns) {
  TestApp app;
  auto c = app.client();
  EXPECT_EQ(c.get("/healthz").status, 200);
  app.app().stop();
  EXPECT_THROW(c.get("/healthz"), std::exception);  // no longer accepting
}

}  // namespace
}  // namespace mnemos::testing

namespace mnemos::testing {
namespace {

// PostgreSQL restarts under a running server: requests during the outage answer 503 problem+json,
// and the pool reconnects by itself afterwards.
TEST(DatabaseOutage, RequestsGet503ThenTheServerRecoversWithoutRestart) {
  const char* pg_ctl = std::getenv("MNEMOS_TEST_PG_CTL");
  if (TestDatabase::kind() != "postgresql" || pg_ctl == nullptr) {
    GTEST_SKIP() << "needs the PostgreSQL run (scripts/with-postgres)";
  }
  TestApp app;
  auto student = app.client();
  ASSERT_EQ(student.login("demo", "student@demo.test").status, 200);
  ASSERT_EQ(student.get("/api/v1/me").status, 200);

  ASSERT_EQ(std::system((std::string(pg_ctl) + " stop").c_str()), 0);
  const auto during = student.get("/api/v1/me");
  const auto ready = app.client().get("/readyz");
  const auto health = app.client().get("/healthz");
  ASSERT_EQ(std::system((std::string(pg_ctl) + " start").c_str()), 0);

  expect_problem(during, 503);
  EXPECT_EQ(ready.status, 503);
  EXPECT_EQ(health.status, 200);  // the process itself is fine
  // Every pooled connection was cut; each is repaired on its next use.
  for (int i = 0; i < 8; ++i) {
    const auto after = student.get("/api/v1/me");
    EXPECT_EQ(after.status, 200) << "attempt " << i << ": " << after.body;
  }
  EXPECT_EQ(app.client().get("/readyz").status, 200);
}

}  // namespace
}  // namespace mnemos::testing
