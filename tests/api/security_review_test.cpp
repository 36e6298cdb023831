// The findings of the black-box security review (issue "The classroom, tried for real", section 3),
// each kept as the regression test that would have caught it.
#include "../support/api_test.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <sys/socket.h>
#include <sys/time.h>

namespace mnemos::testing {
namespace {

using boost::json::array;
using boost::json::object;

class SecurityReview : public ApiTest {
 protected:
  static std::string first_id(HttpClient& c, const std::string& list, const std::string& name) {
    const auto rows = c.get(list).json();
    for (const auto& row : rows.at("items").as_array()) {
      if (row.at("name").as_string() == name) return std::string(row.at("id").as_string());
    }
    ADD_FAILURE() << "nothing named " << name << " in " << list;
    return "";
  }
  // A path of one cards step holding `items` (a JSON array), created by teacher@demo.test.
  static std::string path_with(HttpClient& teacher, const std::string& title, const array& items) {
    auto admin = logged_in("demo", "admin@demo.test");
    object body{{"subject_id", first_id(admin, "/api/v1/subjects", "Mathématiques")},
                {"title", title},
                {"steps", array{object{{"title", title}, {"kind", "cards"}, {"items", items}}}}};
    const auto created = teacher.post("/api/v1/learning-paths", boost::json::serialize(body));
    EXPECT_EQ(created.status, 201) << created.body;
    return json_string(created.json(), "id");
  }
  static int status_of(const std::string& raw_answer) {
    return raw_answer.size() >= 12 ? std::stoi(raw_answer.substr(9, 3)) : 0;
  }
};

TEST_F(SecurityReview, CsvExportShowsFormulasAsTextNotAsLiveFormulas) {
  auto teacher = logged_in("demo", "teacher@demo.test");
  array items{
      object{{"kind", "flashcard"}, {"content", object{{"front", "=cmd|' /C calc'!A0"}, {"back", "@SUM(1+1)"}}}},
      object{{"kind", "flashcard"}, {"content", object{{"front", "-2+3"}, {"back", "\tTab"}}}},
      object{{"kind", "choice"},
             {"content", object{{"question", "Pick"}, {"options", array{"+1", "ok"}}, {"answers", array{0}}}}}};
  const auto path = path_with(teacher, "+HYPERLINK(\"http://evil\")", items);
  const auto exported = teacher.get("/api/v1/learning-paths/" + path + "/export?format=csv");
  ASSERT_EQ(exported.status, 200) << exported.body;
  for (const std::string live : {"\"=cmd", "\"@SUM", "\"-2+3", "\"\tTab", "\"+HYPERLINK", "\"+1"}) {
    EXPECT_EQ(exported.body.find(live), std::string::npos) << live << " in " << exported.body;
  }
  for (const std::string text : {"\"'=cmd|' /C calc'!A0\"", "\"'@SUM(1+1)\"", "\"'-2+3\"",
                                 "\"'+HYPERLINK(\"\"http://evil\"\")\"", "\"'+1\""}) {
    EXPECT_NE(exported.body.find(text), std::string::npos) << text << " not in " << exported.body;
  }
}

TEST_F(SecurityReview, ATransferCodingOtherThanChunkedAloneIsRefusedAndTheConnectionClosed) {
  for (const std::string coding : {"chunked, identity", "xchunked", "identity", "gzip", "gzip, chunked"}) {
    // Were the body read as empty, "GET /healthz" inside it would run as a second request.
    const std::string answer = client().raw(
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Transfer-Encoding: " + coding + "\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(status_of(answer), 400) << coding << ": " << answer;
    EXPECT_EQ(answer.find("HTTP/1.1 200"), std::string::npos) << coding << ": " << answer;
    EXPECT_EQ(answer.find("HTTP/1.1 ", 1), std::string::npos) << coding << ": one answer only";
  }
  // Two Transfer-Encoding lines are refused too; plain chunked still works.
  EXPECT_EQ(status_of(client().raw("POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
                                   "chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")),
            400);
  const std::string chunked = client().raw(
      "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
  EXPECT_EQ(status_of(chunked), 422) << chunked;  // read, then refused for its missing fields
}

TEST_F(SecurityReview, AnApiTokenIsNeverTakenForASessionCookieNorACookieForAToken) {
  auto teacher = logged_in("demo", "teacher2@demo.test");
  const auto created = teacher.post("/api/v1/me/api-tokens", R"({"name":"cache keys"})");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string token = json_string(created.json(), "token");
  // A Bearer use puts the token's identity in the authentication cache...
  ASSERT_EQ(client().request("GET", "/api/v1/me", "", {{"authorization", "Bearer " + token}}).status, 200);
  // ...which must not answer for the same value sent as the session cookie (that would skip CSRF).
  HttpClient as_cookie = client();
  as_cookie.cookies()["mnemos_session"] = token;
  expect_problem(as_cookie.get("/api/v1/me"), 401);
  expect_problem(as_cookie.request("POST", "/api/v1/me/api-tokens", R"({"name":"no csrf"})",
                                   {{"content-type", "application/json"}}),
                 401);
  // And a session cookie's value is not a Bearer token, cached or not.
  const std::string session = teacher.cookies().at("mnemos_session");
  ASSERT_EQ(teacher.get("/api/v1/me").status, 200);
  expect_problem(client().request("GET", "/api/v1/me", "", {{"authorization", "Bearer " + session}}), 401);
}

TEST_F(SecurityReview, LoggingOutWithATokenRevokesTheToken) {
  auto owner = logged_in("demo", "student22@demo.test");
  const std::string token =
      json_string(owner.post("/api/v1/me/api-tokens", R"({"name":"script"})").json(), "token");
  const std::vector<std::pair<std::string, std::string>> bearer{{"authorization", "Bearer " + token}};
  ASSERT_EQ(client().request("GET", "/api/v1/me", "", bearer).status, 200);
  EXPECT_EQ(client().request("POST", "/api/v1/auth/logout", "", bearer).status, 204);
  expect_problem(client().request("GET", "/api/v1/me", "", bearer), 401);
  // The owner's browser session is untouched.
  EXPECT_EQ(owner.get("/api/v1/me").status, 200);
}

TEST_F(SecurityReview, InvitedThenDisabledThenEnabledIsInvitedAgainNotActiveWithoutAPassword) {
  auto admin = logged_in("demo", "admin@demo.test");
  const auto created = admin.post("/api/v1/users", R"({"email":"never-set@demo.test","display_name":"Never Set","roles":["student"]})");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = json_string(created.json(), "id");
  ASSERT_EQ(json_string(created.json(), "status"), "invited");
  ASSERT_EQ(admin.patch("/api/v1/users/" + id, R"({"status":"disabled"})").status, 200);
  const auto enabled = admin.patch("/api/v1/users/" + id, R"({"status":"active"})");
  ASSERT_EQ(enabled.status, 200) << enabled.body;
  EXPECT_EQ(json_string(enabled.json(), "status"), "invited");
  EXPECT_EQ(json_string(admin.get("/api/v1/users/" + id).json(), "status"), "invited");
}

TEST_F(SecurityReview, MediaNamesWithControlCharactersAreRefusedNamingTheField) {
  auto teacher = logged_in("demo", "teacher@demo.test");
  const auto path = path_with(teacher, "Pictures", array{object{{"kind", "flashcard"}, {"content", object{{"front", "a"}, {"back", "b"}}}}});
  const std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0", 33);
  for (const std::string name : {"a%00b.png", "line%0Abreak.png", "bell%07.png"}) {
    const auto refused = teacher.request("POST", "/api/v1/learning-paths/" + path + "/media?name=" + name, png,
                                         {{"content-type", "image/png"}});
    expect_problem(refused, 422, "name");
  }
  const auto kept = teacher.request("POST", "/api/v1/learning-paths/" + path + "/media?name=carte%20%C3%A9t%C3%A9.png",
                                    png, {{"content-type", "image/png"}});
  ASSERT_EQ(kept.status, 201) << kept.body;
  EXPECT_EQ(json_string(kept.json(), "name"), "carte été.png");
  // Course media are immutable and private: the browser may keep them, no shared cache may.
  const auto served = teacher.get(json_string(kept.json(), "url"));
  ASSERT_EQ(served.status, 200);
  EXPECT_EQ(served.header("cache-control"), "private, max-age=31536000, immutable");
  EXPECT_EQ(teacher.get("/api/v1/me").header("cache-control"), "no-store");
}

TEST_F(SecurityReview, AThousandsOfUnknownFieldsBodyGetsAShortAnswer) {
  auto teacher = logged_in("demo", "teacher@demo.test");
  object content{{"front", "a"}, {"back", "b"}};
  for (int i = 0; i < 20000; ++i) content["unknown_field_number_" + std::to_string(i)] = 1;
  object body{{"subject_id", "x"}, {"title", "t"},
              {"steps", array{object{{"title", "s"}, {"kind", "cards"},
                                     {"items", array{object{{"kind", "flashcard"}, {"content", content}}}}}}}};
  const auto refused = teacher.post("/api/v1/learning-paths", boost::json::serialize(body));
  expect_problem(refused, 422);
  EXPECT_LT(refused.body.size(), 16u * 1024) << "the answer echoes the body back";
  EXPECT_LE(refused.json().at("errors").as_array().size(), 50u);
}

TEST_F(SecurityReview, PagesForbidBaseAndForeignFormsAndAllowTheirOwnFonts) {
  const auto page = client().get("/no-such-page");
  const std::string policy = page.header("content-security-policy");
  EXPECT_NE(policy.find("base-uri 'none'"), std::string::npos) << policy;
  EXPECT_NE(policy.find("form-action 'self'"), std::string::npos) << policy;
  EXPECT_NE(policy.find("font-src 'self' data:"), std::string::npos) << policy;  // KaTeX's fonts
  EXPECT_NE(policy.find("object-src 'none'"), std::string::npos) << policy;
  EXPECT_TRUE(page.header("strict-transport-security").empty());  // plain HTTP: not ours to say
}

TEST_F(SecurityReview, AWebSocketHandshakeMustComeFromOurOriginSchemeIncluded) {
  auto c = logged_in("demo", "student23@demo.test");
  std::string cookie;
  for (const auto& [name, value] : c.cookies()) cookie += name + "=" + value;
  const std::string port = std::to_string(app_->port());
  auto handshake = [&](const std::string& host, const std::string& origin) {
    return status_of(client().raw("GET /ws HTTP/1.1\r\nHost: " + host + "\r\nOrigin: " + origin +
                                  "\r\nCookie: " + cookie +
                                  "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                                  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"));
  };
  EXPECT_EQ(handshake("127.0.0.1:" + port, "http://127.0.0.1:" + port), 101);
  EXPECT_EQ(handshake("127.0.0.1:" + port, "https://127.0.0.1:" + port), 403);  // the scheme counts
  EXPECT_EQ(handshake("evil.example", "http://evil.example"), 403);            // a Host is no proof
  EXPECT_EQ(handshake("127.0.0.1:" + port, "http://127.0.0.1:1"), 403);
}

// Settings that change the server itself get an application of their own.
class SecurityReviewSettings : public ::testing::Test {};

TEST_F(SecurityReviewSettings, SlowHeadersGetTheRequestTimeoutNotTheKeepAliveWait) {
  TestApp app([](Config& config) { config.request_timeout_s = 1; });
  namespace asio = boost::asio;
  asio::io_context ioc;
  asio::ip::tcp::socket socket(ioc);
  socket.connect({asio::ip::make_address("127.0.0.1"), app.port()});
  timeval wait{15, 0};  // far below the 60 s an idle keep-alive connection may wait
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
  asio::write(socket, asio::buffer(std::string("GET /healthz HTTP/1.1\r\nHost: x\r\n")));
  char byte = 0;
  boost::system::error_code ec;
  const auto read = socket.read_some(asio::buffer(&byte, 1), ec);
  EXPECT_EQ(read, 0u);
  EXPECT_TRUE(ec == asio::error::eof || ec == asio::error::connection_reset) << ec.message();
}

TEST_F(SecurityReviewSettings, GuessingTheCurrentPasswordIsRateLimited) {
  TestApp app([](Config& config) { config.login_attempts_per_15min = 3; });
  HttpClient c = app.client();
  ASSERT_EQ(c.login("demo", "teacher2@demo.test").status, 200);
  int refused_as_wrong = 0;
  HttpResponse last;
  for (int i = 0; i < 6; ++i) {
    last = c.post("/api/v1/auth/password", R"({"current_password":"guess-)" + std::to_string(i) +
                                               R"(","new_password":"a-long-new-password-1"})");
    if (last.status == 422) ++refused_as_wrong;
    if (last.status == 429) break;
  }
  EXPECT_EQ(refused_as_wrong, 3);
  expect_problem(last, 429);
  EXPECT_FALSE(last.header("retry-after").empty());
}

TEST_F(SecurityReviewSettings, BehindTlsBrowsersAreToldToKeepToHttps) {
  TestApp app([](Config& config) { config.secure_cookies = true; });
  EXPECT_EQ(app.client().get("/healthz").header("strict-transport-security"), "max-age=31536000");
}

}  // namespace
}  // namespace mnemos::testing
