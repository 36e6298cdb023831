#include "../support/api_test.hpp"

namespace mnemos::testing {
namespace {

class ApiTokens : public ApiTest {};

TEST_F(ApiTokens, ATokenActsAsItsOwnerWithoutCookieOrCsrfUntilRevoked) {
  auto teacher = logged_in("demo", "teacher@demo.test");
  const auto created = teacher.post("/api/v1/me/api-tokens", R"({"name":"Gradebook sync","expires_in_days":30})");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string token = json_string(created.json(), "token");
  const std::string id = json_string(created.json(), "id");
  ASSERT_EQ(token.rfind("mnm_", 0), 0u);
  EXPECT_FALSE(created.json().at("expires_at").is_null());

  HttpClient integration = client();
  const auto me = integration.request("GET", "/api/v1/me", "", {{"authorization", "Bearer " + token}});
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json().at("user").at("email").as_string(), "teacher@demo.test");
  EXPECT_FALSE(me.json().as_object().contains("csrf_token"));
  // The owner's roles, no more: a teacher cannot create users, token or not.
  expect_problem(integration.request("POST", "/api/v1/users", R"({"email":"t@demo.test","display_name":"T","roles":["student"]})",
                                     {{"authorization", "Bearer " + token}, {"content-type", "application/json"}}),
                 403);
  // The list never shows the token again.
  const auto list = teacher.get("/api/v1/me/api-tokens");
  EXPECT_EQ(list.body.find(token), std::string::npos);
  EXPECT_EQ(list.json().at("items").as_array().size(), 1u);

  ASSERT_EQ(teacher.del("/api/v1/me/api-tokens/" + id).status, 204);
  expect_problem(integration.request("GET", "/api/v1/me", "", {{"authorization", "Bearer " + token}}), 401);
  expect_problem(teacher.del("/api/v1/me/api-tokens/" + id), 404);
}

TEST_F(ApiTokens, ForgedTokensAndOtherUsersTokensAreRefused) {
  expect_problem(client().request("GET", "/api/v1/me", "", {{"authorization", "Bearer mnm_forged"}}), 401);
  auto owner = logged_in("demo", "teacher2@demo.test");
  const std::string id = json_string(owner.post("/api/v1/me/api-tokens", R"({"name":"mine"})").json(), "id");
  expect_problem(logged_in("demo", "admin@demo.test").del("/api/v1/me/api-tokens/" + id), 404);
  expect_problem(owner.post("/api/v1/me/api-tokens", R"({"name":"  "})"), 422, "name");
  expect_problem(owner.post("/api/v1/me/api-tokens", R"({"name":"x","expires_in_days":0})"), 422, "expires_in_days");
}

TEST_F(ApiTokens, AUserHoldsAtMostTenLiveTokens) {
  auto student = logged_in("demo", "student20@demo.test");
  for (int i = 0; i < 10; ++i) {
    ASSERT_EQ(student.post("/api/v1/me/api-tokens", R"({"name":"t"})").status, 201);
  }
  expect_problem(student.post("/api/v1/me/api-tokens", R"({"name":"one too many"})"), 409);
}

TEST_F(ApiTokens, DisablingTheOwnerStopsTheirTokensAtOnce) {
  auto student = logged_in("demo", "student21@demo.test");
  const std::string token = json_string(student.post("/api/v1/me/api-tokens", R"({"name":"t"})").json(), "token");
  ASSERT_EQ(client().request("GET", "/api/v1/me", "", {{"authorization", "Bearer " + token}}).status, 200);
  auto admin = logged_in("demo", "admin@demo.test");
  ASSERT_EQ(admin.patch("/api/v1/users/" + user_id("demo", "student21@demo.test"), R"({"status":"disabled"})").status, 200);
  expect_problem(client().request("GET", "/api/v1/me", "", {{"authorization", "Bearer " + token}}), 401);
}

}  // namespace
}  // namespace mnemos::testing
