// Bad input is a category of its own: each answers a clear 4xx problem, changes nothing, and the
// server keeps serving.
#include "../support/api_test.hpp"

namespace mnemos::testing {
namespace {

class BadInput : public ApiTest {
 protected:
  void TearDown() override {
    // Whatever came before, the server still answers.
    EXPECT_EQ(client().get("/healthz").status, 200);
  }
  static std::string create_user_body(const std::string& email) {
    return R"({"email":")" + email + R"(","display_name":"X","roles":["student"]})";
  }
};

TEST_F(BadInput, MalformedJsonIs400) {
  auto admin = logged_in("demo", "admin@demo.test");
  expect_problem(admin.post("/api/v1/users", "{\"email\": "), 400);
  expect_problem(admin.post("/api/v1/users", "[1,2,3]"), 400);
  expect_problem(admin.post("/api/v1/users", "null"), 400);
  expect_problem(admin.post("/api/v1/users", ""), 400);
}

TEST_F(BadInput, NonJsonContentTypeIs415) {
  auto admin = logged_in("demo", "admin@demo.test");
  expect_problem(admin.request("POST", "/api/v1/users", create_user_body("form@demo.test"),
                               {{"content-type", "application/x-www-form-urlencoded"}}),
                 415);
}

TEST_F(BadInput, WrongTypesNameTheField) {
  auto platform = logged_in("", "platform@mnemos.test");
  expect_problem(platform.post("/api/v1/schools", R"({"name":["x"],"slug":"t1","timezone":"UTC"})"), 422, "name");
  expect_problem(platform.post("/api/v1/schools", R"({"name":"x","slug":12,"timezone":"UTC"})"), 422, "slug");
  expect_problem(platform.post("/api/v1/schools", R"({"name":"x","slug":"t2","timezone":true})"), 422, "timezone");
}

TEST_F(BadInput, HugeNumbersAndOverlongStringsAreRefused) {
  auto admin = logged_in("demo", "admin@demo.test");
  expect_problem(admin.get("/api/v1/users?limit=99999999999999999999999"), 422, "limit");
  const std::string long_name(500, 'a');
  expect_problem(admin.post("/api/v1/users", R"({"email":"long@demo.test","display_name":")" + long_name +
                                                  R"(","roles":["student"]})"),
                 422, "display_name");
  expect_problem(admin.post("/api/v1/users",
                            R"({"email":"n@demo.test","display_name":1e400,"roles":["student"]})"),
                 422, "display_name");
}

TEST_F(BadInput, InvalidUtf8Is400) {
  auto admin = logged_in("demo", "admin@demo.test");
  const std::string body = "{\"email\":\"u@demo.test\",\"display_name\":\"\xC3\x28\",\"roles\":[\"student\"]}";
  expect_problem(admin.post("/api/v1/users", body), 400);
  expect_problem(admin.get("/api/v1/users?q=%C3%28"), 422, "q");
}

TEST_F(BadInput, ControlCharactersInTextAreRefused) {
  auto admin = logged_in("demo", "admin@demo.test");
  expect_problem(admin.post("/api/v1/users", R"({"email":"c@demo.test","display_name":"a\u0000b","roles":["student"]})"),
                 422, "display_name");
}

TEST_F(BadInput, DeepNestingIs400) {
  auto admin = logged_in("demo", "admin@demo.test");
  std::string deep(200, '[');
  deep += std::string(200, ']');
  expect_problem(admin.post("/api/v1/users", "{\"email\":" + deep + "}"), 400);
}

TEST_F(BadInput, OversizedBodiesAre413) {
  auto c = client();
  const std::string big(5000, 'x');  // the login route accepts 4 KiB
  const auto response = c.post("/api/v1/auth/login", R"({"email":")" + big + R"("})");
  EXPECT_EQ(response.status, 413);
  auto admin = logged_in("demo", "admin@demo.test");
  const std::string huge(2 * 1024 * 1024, 'x');
  EXPECT_EQ(admin.post("/api/v1/users", huge).status, 413);
}

TEST_F(BadInput, HeaderFloodsAre431) {
  std::string request = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 2000; ++i) request += "X-Flood-" + std::to_string(i) + ": yes\r\n";
  request += "\r\n";
  const std::string response = client().raw(request);
  EXPECT_NE(response.find("431"), std::string::npos) << response.substr(0, 200);
}

// Clients that ask before sending a large body are answered at once: invited, or refused unsent.
TEST_F(BadInput, ExpectContinueIsAnsweredBeforeTheBody) {
  const std::string invited = client().raw(
      "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Expect: 100-continue\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
  EXPECT_EQ(invited.substr(0, 25), "HTTP/1.1 100 Continue\r\n\r\n") << invited.substr(0, 200);
  EXPECT_NE(invited.find("HTTP/1.1 422", 25), std::string::npos) << invited.substr(0, 300);
  const std::string refused = client().raw(
      "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Expect: 100-continue\r\nContent-Length: 100000\r\n\r\n");  // the route takes 4 KiB
  EXPECT_EQ(refused.substr(0, 12), "HTTP/1.1 413") << refused.substr(0, 200);
}

TEST_F(BadInput, GarbageRequestLinesAre400) {
  EXPECT_NE(client().raw("HELLO\r\n\r\n").find("400"), std::string::npos);
  EXPECT_NE(client().raw("GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n").find("400"), std::string::npos);
}

TEST_F(BadInput, UnknownRoutesAre404AndWrongMethods405) {
  auto c = client();
  expect_problem(c.get("/api/v1/nothing-here"), 404);
  expect_problem(c.request("DELETE", "/api/v1/me"), 405);
}

TEST_F(BadInput, MalformedIdsAre404) {
  auto admin = logged_in("demo", "admin@demo.test");
  expect_problem(admin.get("/api/v1/users/not-a-uuid"), 404);
  expect_problem(admin.get("/api/v1/users/%27%20OR%20%271%27%3D%271"), 404);
  expect_problem(admin.get("/api/v1/users/00000000-0000-7000-8000-000000000000"), 404);
}

TEST_F(BadInput, NothingIsCreatedByRefusedRequests) {
  auto admin = logged_in("demo", "admin@demo.test");
  admin.post("/api/v1/users", R"({"email":"refused@demo.test","display_name":"","roles":["student"]})");
  admin.post("/api/v1/users", R"({"email":"refused@demo.test","display_name":"R","roles":["wizard"]})");
  EXPECT_TRUE(admin.get("/api/v1/users?q=refused").json().at("items").as_array().empty());
}

}  // namespace
}  // namespace mnemos::testing
