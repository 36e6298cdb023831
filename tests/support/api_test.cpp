#include "api_test.hpp"

#include <boost/json/object.hpp>

namespace mnemos::testing {

HttpClient& ApiTest::signed_in(const std::string& school, const std::string& email) {
  // The port tells one suite's application from the next one's, whichever way a suite tears down.
  const std::string key = std::to_string(app_->port()) + "/" + school + "/" + email;
  auto found = sessions_.find(key);
  if (found != sessions_.end() && found->second.get("/api/v1/me").status == 200) return found->second;
  HttpClient c = client();
  const auto response = c.login(school, email);
  EXPECT_EQ(response.status, 200) << response.body;
  return sessions_.insert_or_assign(key, std::move(c)).first->second;
}

std::string ApiTest::school_id(const std::string& slug) {
  auto& platform = signed_in("", "platform@mnemos.test");
  const auto page = platform.get("/api/v1/schools?limit=100").json();
  for (const auto& item : page.at("items").as_array()) {
    if (item.at("slug").as_string() == slug) return std::string(item.at("id").as_string());
  }
  ADD_FAILURE() << "no school " << slug;
  return "";
}

std::string ApiTest::user_id(const std::string& school, const std::string& email) {
  auto& admin = signed_in(school, "admin@" + school + ".test");
  const auto page = admin.get("/api/v1/users?limit=5&q=" + email).json();
  for (const auto& item : page.at("items").as_array()) {
    if (item.at("email").as_string() == email) return std::string(item.at("id").as_string());
  }
  ADD_FAILURE() << "no user " << email;
  return "";
}

void expect_problem(const HttpResponse& response, int status, const std::string& field) {
  EXPECT_EQ(response.status, status) << response.body;
  EXPECT_EQ(response.header("content-type"), "application/problem+json") << response.body;
  const auto body = response.json();
  ASSERT_TRUE(body.is_object());
  EXPECT_EQ(body.at("status").as_int64(), status);
  EXPECT_FALSE(body.at("detail").as_string().empty());
  if (!field.empty()) {
    ASSERT_TRUE(body.as_object().contains("field")) << response.body;
    EXPECT_EQ(body.at("field").as_string(), field) << response.body;
  }
}

}  // namespace mnemos::testing
