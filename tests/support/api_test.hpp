#pragma once
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <map>

namespace mnemos::testing {

// Base fixture: one migrated, seeded application per test suite.
class ApiTest : public ::testing::Test {
 public:
  static TestApp& shared_app() { return *app_; }
  // A signed-in client per person, kept for the suite and signed in again only when its session
  // has ended: a login costs an argon2 hash (64 MiB, about 0.2 s), which tests that go over every
  // route as every role would otherwise pay hundreds of times.
  static HttpClient& signed_in(const std::string& school, const std::string& email);

 protected:
  static void SetUpTestSuite() { app_ = new TestApp(); }
  static void TearDownTestSuite() {
    sessions_.clear();
    delete app_;
    app_ = nullptr;
  }
  static HttpClient client() { return app_->client(); }
  static HttpClient logged_in(const std::string& school, const std::string& email) {
    HttpClient c = client();
    const auto response = c.login(school, email);
    EXPECT_EQ(response.status, 200) << response.body;
    return c;
  }
  // The id of the school with this slug, looked up as the platform admin.
  static std::string school_id(const std::string& slug);
  // The id of a user of a school, looked up as that school's admin.
  static std::string user_id(const std::string& school, const std::string& email);

  static inline TestApp* app_ = nullptr;
  static inline std::map<std::string, HttpClient> sessions_;
};

// Asserts an RFC 9457 problem with `status`, naming `field` when given.
void expect_problem(const HttpResponse& response, int status, const std::string& field = "");

}  // namespace mnemos::testing
