#include "../support/api_test.hpp"

#include <boost/json/object.hpp>

#include <atomic>
#include <thread>
#include <vector>

namespace mnemos::testing {
namespace {

class AuthApi : public ApiTest {};

TEST_F(AuthApi, LoginSetsAHardenedCookieAndAnswersUserRolesAndCsrf) {
  auto c = client();
  const auto response = c.login("demo", "teacher@demo.test");
  ASSERT_EQ(response.status, 200) << response.body;
  const std::string cookie = response.header("set-cookie");
  EXPECT_NE(cookie.find("mnemos_session="), std::string::npos);
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Lax"), std::string::npos);
  const auto body = response.json();
  EXPECT_EQ(body.at("user").at("email").as_string(), "teacher@demo.test");
  EXPECT_EQ(body.at("user").at("roles").as_array().at(0).as_string(), "teacher");
  EXPECT_EQ(body.at("school").at("slug").as_string(), "demo");
  EXPECT_GE(body.at("csrf_token").as_string().size(), 24u);
  EXPECT_EQ(body.at("user").as_object().count("password_hash"), 0u);
}

TEST_F(AuthApi, PlatformAdminLogsInWithoutASchool) {
  auto c = client();
  const auto response = c.login("", "platform@mnemos.test");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_TRUE(response.json().at("school").is_null());
  EXPECT_EQ(response.json().at("user").at("roles").as_array().at(0).as_string(), "platform_admin");
}

TEST_F(AuthApi, WrongPasswordUnknownEmailAndUnknownSchoolAllAnswerTheSame401) {
  auto c = client();
  const auto wrong_password = c.login("demo", "teacher@demo.test", "not-the-password");
  const auto unknown_email = c.login("demo", "nobody@demo.test");
  const auto unknown_school = c.login("nowhere", "teacher@demo.test");
  const auto wrong_school = c.login("other", "teacher@demo.test");
  for (const auto* r : {&wrong_password, &unknown_email, &unknown_school, &wrong_school}) {
    expect_problem(*r, 401);
    EXPECT_EQ(r->json().at("detail"), wrong_password.json().at("detail"));
    EXPECT_TRUE(r->header("set-cookie").empty());
  }
}

TEST_F(AuthApi, LoginIsCaseInsensitiveOnTheEmail) {
  auto c = client();
  EXPECT_EQ(c.login("demo", "  Teacher@DEMO.test ").status, 200);
}

TEST_F(AuthApi, LoginRejectsMissingFieldsNamingThem) {
  auto c = client();
  expect_problem(c.post("/api/v1/auth/login", R"({"school":"demo","password":"x"})"), 422, "email");
  expect_problem(c.post("/api/v1/auth/login", R"({"school":"demo","email":"a@b.c"})"), 422,
                 "password");
  expect_problem(c.post("/api/v1/auth/login", R"({"email":42,"password":"x"})"), 422, "email");
}

TEST_F(AuthApi, MeNeedsASession) {
  auto c = client();
  expect_problem(c.get("/api/v1/me"), 401);
  c.cookies()["mnemos_session"] = "forged-token";
  expect_problem(c.get("/api/v1/me"), 401);
  c.login("demo", "student@demo.test");
  const auto me = c.get("/api/v1/me");
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(me.json().at("user").at("email").as_string(), "student@demo.test");
  EXPECT_EQ(me.header("cache-control"), "no-store");
}

TEST_F(AuthApi, StateChangesWithACookieNeedTheCsrfToken) {
  auto c = logged_in("demo", "admin@demo.test");
  c.forget_csrf();
  const auto refused = c.post("/api/v1/users", R"({"email":"csrf@demo.test","display_name":"C","roles":["student"]})");
  expect_problem(refused, 403);
  // Nothing was created.
  auto admin = logged_in("demo", "admin@demo.test");
  const auto page = admin.get("/api/v1/users?q=csrf@").json();
  EXPECT_TRUE(page.at("items").as_array().empty());
}

TEST_F(AuthApi, LogoutEndsTheSession) {
  auto c = logged_in("demo", "student01@demo.test");
  const auto cookies = c.cookies();
  ASSERT_EQ(c.post("/api/v1/auth/logout").status, 204);
  expect_problem(c.get("/api/v1/me"), 401);
  // The old cookie is dead on the server, not only forgotten by the browser.
  HttpClient replay = client();
  replay.cookies() = cookies;
  expect_problem(replay.get("/api/v1/me"), 401);
}

TEST_F(AuthApi, LogoutEverywhereEndsEverySessionOfTheUser) {
  auto phone = logged_in("demo", "student02@demo.test");
  auto laptop = logged_in("demo", "student02@demo.test");
  auto other_user = logged_in("demo", "student03@demo.test");
  const auto response = laptop.post("/api/v1/auth/logout-everywhere");
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.json().at("sessions_ended").as_int64(), 2);
  expect_problem(phone.get("/api/v1/me"), 401);
  expect_problem(laptop.get("/api/v1/me"), 401);
  EXPECT_EQ(other_user.get("/api/v1/me").status, 200);
}

TEST_F(AuthApi, PasswordChangeChecksTheCurrentOneAndThePolicy) {
  auto c = logged_in("demo", "student04@demo.test");
  auto other_device = logged_in("demo", "student04@demo.test");
  expect_problem(c.post("/api/v1/auth/password",
                        R"({"current_password":"wrong-one-here","new_password":"a-new-long-password"})"),
                 422, "current_password");
  expect_problem(c.post("/api/v1/auth/password",
                        R"({"current_password":"mnemos-demo","new_password":"short"})"),
                 422, "new_password");
  expect_problem(c.post("/api/v1/auth/password",
                        R"({"current_password":"mnemos-demo","new_password":"azertyuiop"})"),
                 422, "new_password");
  ASSERT_EQ(c.post("/api/v1/auth/password",
                   R"({"current_password":"mnemos-demo","new_password":"correct horse battery"})")
                .status,
            204);
  EXPECT_EQ(c.get("/api/v1/me").status, 200);                 // this device stays in
  expect_problem(other_device.get("/api/v1/me"), 401);        // others must log in again
  HttpClient fresh = client();
  EXPECT_EQ(fresh.login("demo", "student04@demo.test").status, 401);
  EXPECT_EQ(fresh.login("demo", "student04@demo.test", "correct horse battery").status, 200);
}

TEST(AuthRateLimit, RepeatedLoginFailuresOnOneAccountAreRefusedWithRetryAfter) {
  TestApp app([](Config& config) { config.login_attempts_per_15min = 3; });
  HttpClient c = app.client();
  for (int i = 0; i < 3; ++i) EXPECT_EQ(c.login("demo", "teacher@demo.test", "bad-password").status, 401);
  const auto limited = c.login("demo", "teacher@demo.test", "bad-password");
  expect_problem(limited, 429);
  EXPECT_FALSE(limited.header("retry-after").empty());
  // Another account from the same address is still served.
  EXPECT_EQ(c.login("demo", "student@demo.test").status, 200);
}

// The limits are for guessing: a school behind one address logs in all at once at 8:00, and a
// pupil who logs in on several devices is not a guesser. Successful logins give their tokens back.
TEST(AuthRateLimit, SuccessfulLoginsDoNotUseUpTheLimits) {
  // One attempt per account and 10 per address, per 15 minutes.
  TestApp app([](Config& config) { config.login_attempts_per_15min = 1; });
  HttpClient c = app.client();
  for (int i = 0; i < 3; ++i) EXPECT_EQ(c.login("demo", "teacher@demo.test").status, 200) << i;
  for (int i = 1; i <= 15; ++i) {
    const std::string email = "student" + std::string(i < 10 ? "0" : "") + std::to_string(i) + "@demo.test";
    EXPECT_EQ(c.login("demo", email).status, 200) << email;
  }
  // Failures still count: the account's one attempt, then the address's ten.
  EXPECT_EQ(c.login("demo", "student20@demo.test", "wrong password").status, 401);
  expect_problem(c.login("demo", "student20@demo.test", "wrong password"), 429);
  for (int i = 21; i <= 29; ++i) {
    EXPECT_EQ(c.login("demo", "student" + std::to_string(i) + "@demo.test", "wrong").status, 401) << i;
  }
  const auto limited = c.login("demo", "student30@demo.test");
  expect_problem(limited, 429);
  EXPECT_FALSE(limited.header("retry-after").empty());
}

// Logins hash passwords (argon2id) on a pool of their own: a crowd logging in at once must not
// hold up the one thread that every other request needs. Before, a burst of logins occupied the
// blocking pool and /api/v1/me waited behind all of them (measured: 4 answers in 5 s).
TEST(AuthLoad, ALoginCrowdDoesNotHoldUpOtherRequests) {
  TestApp app([](Config& config) { config.worker_threads = 1; });
  HttpClient signed_in = app.client();
  ASSERT_EQ(signed_in.login("demo", "student@demo.test").status, 200);
  constexpr int kLogins = 8;
  std::atomic<int> finished = 0;
  std::atomic<int> succeeded = 0;
  std::vector<std::thread> crowd;
  for (int i = 0; i < kLogins; ++i) {
    crowd.emplace_back([&app, &finished, &succeeded] {
      HttpClient c = app.client();
      if (c.login("demo", "teacher@demo.test").status == 200) ++succeeded;
      ++finished;
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the logins are queued by now
  const auto me = signed_in.get("/api/v1/me");
  const int finished_when_me_answered = finished.load();
  for (auto& thread : crowd) thread.join();
  EXPECT_EQ(me.status, 200) << me.body;
  EXPECT_LT(finished_when_me_answered, kLogins) << "/api/v1/me waited for every login";
  EXPECT_EQ(succeeded.load(), kLogins);
}

}  // namespace
}  // namespace mnemos::testing
