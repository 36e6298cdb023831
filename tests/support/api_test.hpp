#pragma once
#include "test_support.hpp"

#include <gtest/gtest.h>

namespace mnemos::testing {

// Base fixture: one migrated, seeded application per test suite.
class ApiTest : public ::testing::Test {
 public:
  static TestApp& shared_app() { return *app_; }

 protected:
  static void SetUpTestSuite() { app_ = new TestApp(); }
  static void TearDownTestSuite() {
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
};

// Asserts an RFC 9457 problem with `status`, naming `field` when given.
void expect_problem(const HttpResponse& response, int status, const std::string& field = "");

}  // namespace mnemos::testing
