#include <mnemos/http/problem.hpp>
#include <mnemos/http/rate_limit.hpp>
#include <mnemos/http/router.hpp>
#include <mnemos/http/static_files.hpp>

#include <gtest/gtest.h>

namespace mnemos::http {
namespace {

Response ok(const Request&, RequestContext&) { return Response::no_content(); }

TEST(Router, MatchesLiteralAndParameterSegments) {
  Router router;
  router.get("/api/v1/users", {}, ok);
  router.get("/api/v1/users/{id}", {}, ok);
  router.patch("/api/v1/users/{id}", {}, ok);
  std::map<std::string, std::string, std::less<>> params;
  bool known = false;
  const Route* route = router.match("GET", "/api/v1/users/abc", params, known);
  ASSERT_NE(route, nullptr);
  EXPECT_EQ(route->pattern, "/api/v1/users/{id}");
  EXPECT_EQ(params.at("id"), "abc");
  EXPECT_EQ(router.match("PATCH", "/api/v1/users/abc", params, known)->method, "PATCH");
  EXPECT_EQ(router.match("GET", "/api/v1/users", params, known)->pattern, "/api/v1/users");
  EXPECT_EQ(router.match("GET", "/api/v1/users/", params, known), nullptr);
  EXPECT_EQ(router.match("GET", "/api/v1/users/a/b", params, known), nullptr);
  EXPECT_EQ(router.match("DELETE", "/api/v1/users/abc", params, known), nullptr);
  EXPECT_TRUE(known);  // the path exists with other methods: 405
  EXPECT_NE(router.match("HEAD", "/api/v1/users", params, known), nullptr);
}

TEST(RateLimiter, AllowsBurstsThenRefillsAtTheRate) {
  RateLimiter limiter(60, 3);  // one a second, bursts of 3
  std::int64_t now = 1'000'000;
  EXPECT_TRUE(limiter.allow("k", now));
  EXPECT_TRUE(limiter.allow("k", now));
  EXPECT_TRUE(limiter.allow("k", now));
  int retry = 0;
  EXPECT_FALSE(limiter.allow("k", now, &retry));
  EXPECT_EQ(retry, 1);
  EXPECT_TRUE(limiter.allow("other", now));
  EXPECT_TRUE(limiter.allow("k", now + 1000));
  EXPECT_FALSE(limiter.allow("k", now + 1000));
}

TEST(RateLimiter, ZeroRateMeansOff) {
  RateLimiter limiter(0, 0);
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(limiter.allow("k", 0));
}

TEST(Problem, NamesTheFieldAndMapsCodesToStatuses) {
  const auto response = problem(Error::invalid("email", "Give a valid email."), "/x", "rid");
  EXPECT_EQ(response.status, 422);
  EXPECT_EQ(response.header("content-type"), "application/problem+json");
  EXPECT_NE(response.body.find(R"("field":"email")"), std::string::npos);
  EXPECT_NE(response.body.find(R"("request_id":"rid")"), std::string::npos);
  EXPECT_EQ(status_of(ErrorCode::not_found), 404);
  EXPECT_EQ(status_of(ErrorCode::unavailable), 503);
  EXPECT_EQ(status_of(ErrorCode::too_many_requests), 429);
}

TEST(StaticFiles, ContentTypes) {
  EXPECT_EQ(StaticFiles::content_type("/index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(StaticFiles::content_type("/assets/app-1a2b.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(StaticFiles::content_type("/x.woff2"), "font/woff2");
  EXPECT_EQ(StaticFiles::content_type("/x.unknown"), "application/octet-stream");
}

}  // namespace
}  // namespace mnemos::http
