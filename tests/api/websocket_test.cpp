// The WebSocket gateway (/ws): handshake checks, envelopes, session end, back-pressure, shutdown.
#include "api_test.hpp"
#include "websocket_client.hpp"

#include <mnemos/core/broadcaster.hpp>
#include <mnemos/core/db.hpp>

#include <boost/json.hpp>

#include <thread>

namespace mnemos::testing {
namespace {

using namespace std::chrono_literals;
using Event = WebSocketClient::Event;

class WebSocketApi : public ApiTest {
 protected:
  // Opens /ws with `c`'s session cookie and reads the welcome.
  static std::unique_ptr<WebSocketClient> open(HttpClient& c) {
    auto ws = std::make_unique<WebSocketClient>();
    const auto handshake = ws->connect(app_->port(), {cookie_header(c.cookies())});
    EXPECT_TRUE(handshake.upgraded) << handshake.status << " " << handshake.body;
    EXPECT_TRUE(ws->next_of_type("welcome").has_value());
    return ws;
  }
  static boost::json::object parse(const std::string& text) {
    return boost::json::parse(text).as_object();
  }
  static double open_connections() {
    const auto metrics = client().get("/metrics").body;
    const auto at = metrics.find("\nmnemos_websocket_connections ");
    if (at == std::string::npos) return -1;
    return std::stod(metrics.substr(at + std::string("\nmnemos_websocket_connections ").size()));
  }
  static void wait_for_connections(double expected) {
    for (int i = 0; i < 100 && open_connections() != expected; ++i) std::this_thread::sleep_for(20ms);
    EXPECT_EQ(open_connections(), expected);
  }
};

TEST_F(WebSocketApi, AHandshakeWithoutASessionIsRefusedWith401Problem) {
  WebSocketClient ws;
  const auto handshake = ws.connect(app_->port());
  EXPECT_FALSE(handshake.upgraded);
  EXPECT_EQ(handshake.status, 401);
  EXPECT_NE(handshake.body.find("\"status\":401"), std::string::npos) << handshake.body;

  WebSocketClient forged;
  const auto bad_cookie = forged.connect(app_->port(), {{"cookie", "mnemos_session=not-a-session"}});
  EXPECT_EQ(bad_cookie.status, 401);
}

TEST_F(WebSocketApi, APlainRequestToWsIsAnswered426) {
  const auto response = client().get("/ws");
  expect_problem(response, 426);
  EXPECT_EQ(response.header("upgrade"), "websocket");
}

TEST_F(WebSocketApi, AHandshakeFromAnotherSiteIsRefusedWith403) {
  auto c = logged_in("demo", "student05@demo.test");
  WebSocketClient ws;
  const auto handshake =
      ws.connect(app_->port(), {cookie_header(c.cookies()), {"origin", "https://evil.example"}});
  EXPECT_FALSE(handshake.upgraded);
  EXPECT_EQ(handshake.status, 403);

  WebSocketClient same_site;
  const auto ours = same_site.connect(
      app_->port(),
      {cookie_header(c.cookies()), {"origin", "http://127.0.0.1:" + std::to_string(app_->port())}});
  EXPECT_TRUE(ours.upgraded) << ours.status << ours.body;
}

TEST_F(WebSocketApi, WelcomeThenPingIsAnsweredWithPongCarryingTheSameId) {
  auto c = logged_in("demo", "student05@demo.test");
  WebSocketClient ws;
  ASSERT_TRUE(ws.connect(app_->port(), {cookie_header(c.cookies())}).upgraded);
  const auto welcome = ws.next();
  ASSERT_EQ(welcome.kind, Event::message);
  const auto body = parse(welcome.text);
  EXPECT_EQ(body.at("type"), "welcome");
  EXPECT_EQ(body.at("data").at("user_id"), user_id("demo", "student05@demo.test").c_str());
  EXPECT_GT(body.at("data").at("heartbeat_seconds").as_int64(), 0);

  ws.send(R"({"type":"ping","id":"abc"})");
  const auto pong = parse(ws.next().text);
  EXPECT_EQ(pong.at("type"), "pong");
  EXPECT_EQ(pong.at("id"), "abc");
}

TEST_F(WebSocketApi, BadMessagesGetAnErrorEnvelopeAndTheConnectionStaysUsable) {
  auto c = logged_in("demo", "student06@demo.test");
  auto ws = open(c);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"not json", ""},
      {"[1,2]", ""},
      {R"({"id":"1"})", "type"},
      {R"({"type":42})", "type"},
      {R"({"type":"launch.rockets","id":7})", "type"},
      {R"({"type":"ping","id":{"nested":true}})", "id"},
      {std::string(200, '['), ""},
  };
  for (const auto& [text, field] : cases) {
    ws->send(text);
    const auto event = ws->next();
    ASSERT_EQ(event.kind, Event::message) << text;
    const auto error = parse(event.text);
    EXPECT_EQ(error.at("type"), "error") << text;
    EXPECT_EQ(error.at("data").at("status"), 400) << text;
    if (!field.empty()) {
      EXPECT_EQ(error.at("data").at("field"), field.c_str()) << text;
    }
  }
  const auto unknown = [&] {
    ws->send(R"({"type":"launch.rockets","id":7})");
    return parse(ws->next().text);
  }();
  EXPECT_EQ(unknown.at("id"), 7);
  ws->send_binary(std::string("\x00\x01", 2));
  EXPECT_EQ(parse(ws->next().text).at("type"), "error");
  ws->send(R"({"type":"ping","id":1})");
  EXPECT_EQ(parse(ws->next().text).at("type"), "pong");
}

TEST_F(WebSocketApi, TextThatIsNotUtf8ClosesWith1007) {
  auto c = logged_in("demo", "student06@demo.test");
  auto ws = open(c);
  ws->send("{\"type\":\"ping\",\"id\":\"\xff\xfe\"}");
  const auto event = ws->next();
  EXPECT_EQ(event.kind, Event::closed);
  EXPECT_EQ(event.close_code, 1007);  // RFC 6455: invalid frame payload data
}

TEST_F(WebSocketApi, AMessageOverTheLimitClosesWith1009) {
  auto c = logged_in("demo", "student07@demo.test");
  auto ws = open(c);
  ws->send(R"({"type":"ping","data":")" + std::string(70 * 1024, 'x') + "\"}");
  const auto event = ws->next();
  EXPECT_EQ(event.kind, Event::closed);
  EXPECT_EQ(event.close_code, 1009) << event.close_reason;
  EXPECT_EQ(client().get("/healthz").status, 200);
}

TEST_F(WebSocketApi, TooManyMessagesAreRefusedWith429) {
  auto c = logged_in("demo", "student08@demo.test");
  auto ws = open(c);
  for (int i = 0; i < 100; ++i) ws->send(R"({"type":"ping"})");
  int refused = 0;
  for (int i = 0; i < 100; ++i) {
    const auto event = ws->next();
    ASSERT_EQ(event.kind, Event::message);
    if (parse(event.text).at("type") == "error") ++refused;
  }
  EXPECT_GT(refused, 0);
}

TEST_F(WebSocketApi, LoggingOutEndsThatSessionsSocketOnly) {
  auto tab = logged_in("demo", "student09@demo.test");
  auto other_device = logged_in("demo", "student09@demo.test");
  auto tab_ws = open(tab);
  auto other_ws = open(other_device);
  ASSERT_EQ(tab.post("/api/v1/auth/logout").status, 204);

  const auto ended = tab_ws->next_of_type("session.ended");
  ASSERT_TRUE(ended.has_value());
  EXPECT_EQ(parse(*ended).at("data").at("reason"), "logged_out");
  const auto closed = tab_ws->next();
  EXPECT_EQ(closed.kind, Event::closed);
  EXPECT_EQ(closed.close_code, 4401);

  other_ws->send(R"({"type":"ping"})");
  EXPECT_TRUE(other_ws->next_of_type("pong").has_value());
}

TEST_F(WebSocketApi, LogOutEverywhereAndPasswordChangesEndTheOtherSockets) {
  auto phone = logged_in("demo", "student10@demo.test");
  auto laptop = logged_in("demo", "student10@demo.test");
  auto phone_ws = open(phone);
  auto laptop_ws = open(laptop);
  ASSERT_EQ(laptop.post("/api/v1/auth/logout-everywhere").status, 200);
  for (auto* ws : {phone_ws.get(), laptop_ws.get()}) {
    const auto ended = ws->next_of_type("session.ended");
    ASSERT_TRUE(ended.has_value());
    EXPECT_EQ(parse(*ended).at("data").at("reason"), "logged_out_everywhere");
    EXPECT_EQ(ws->next().close_code, 4401);
  }

  auto here = logged_in("demo", "student11@demo.test");
  auto elsewhere = logged_in("demo", "student11@demo.test");
  auto here_ws = open(here);
  auto elsewhere_ws = open(elsewhere);
  ASSERT_EQ(here.post("/api/v1/auth/password",
                      R"({"current_password":"mnemos-demo","new_password":"correct horse battery"})")
                .status,
            204);
  const auto ended = elsewhere_ws->next_of_type("session.ended");
  ASSERT_TRUE(ended.has_value());
  EXPECT_EQ(parse(*ended).at("data").at("reason"), "password_changed");
  here_ws->send(R"({"type":"ping"})");
  EXPECT_TRUE(here_ws->next_of_type("pong").has_value());  // this device stays signed in
}

TEST_F(WebSocketApi, ADisabledAccountsSocketsAreClosed) {
  auto student = logged_in("demo", "student12@demo.test");
  auto ws = open(student);
  auto admin = logged_in("demo", "admin@demo.test");
  ASSERT_EQ(admin.patch("/api/v1/users/" + user_id("demo", "student12@demo.test"),
                        R"({"status":"disabled"})")
                .status,
            200);
  const auto ended = ws->next_of_type("session.ended");
  ASSERT_TRUE(ended.has_value());
  EXPECT_EQ(parse(*ended).at("data").at("reason"), "account_disabled");
}

TEST_F(WebSocketApi, PublishedMessagesReachTheirTopicOnly) {
  auto a = logged_in("demo", "student13@demo.test");
  auto b = logged_in("demo", "student14@demo.test");
  auto foreign = logged_in("other", "student@other.test");
  auto a_ws = open(a);
  auto b_ws = open(b);
  auto foreign_ws = open(foreign);
  auto& broadcaster = app_->app().broadcaster();

  broadcaster.publish(realtime::user_topic(user_id("demo", "student13@demo.test")),
                      realtime::envelope("test.for_a", R"({"n":1})"));
  broadcaster.publish(realtime::school_topic(school_id("demo")), realtime::envelope("test.for_demo"));
  EXPECT_TRUE(a_ws->next_of_type("test.for_a").has_value());
  EXPECT_TRUE(a_ws->next_of_type("test.for_demo").has_value());
  const auto b_first = b_ws->next();
  EXPECT_EQ(parse(b_first.text).at("type"), "test.for_demo");  // never test.for_a
  EXPECT_EQ(foreign_ws->next(300ms).kind, Event::timeout);    // another school hears nothing
}

TEST_F(WebSocketApi, TheGaugeCountsOpenConnections) {
  wait_for_connections(0);
  auto c = logged_in("demo", "student15@demo.test");
  {
    auto first = open(c);
    auto second = open(c);
    wait_for_connections(2);
    first->close();
    wait_for_connections(1);
  }
  wait_for_connections(0);
}

TEST_F(WebSocketApi, AnApiTokenConnectsWithoutACookie) {
  auto c = logged_in("demo", "teacher@demo.test");
  const auto created = c.post("/api/v1/me/api-tokens", R"({"name":"realtime"})");
  ASSERT_EQ(created.status, 201);
  const std::string token = json_string(created.json(), "token");
  WebSocketClient ws;
  ASSERT_TRUE(ws.connect(app_->port(), {{"authorization", "Bearer " + token}}).upgraded);
  EXPECT_TRUE(ws.next_of_type("welcome").has_value());
  ASSERT_EQ(c.del("/api/v1/me/api-tokens/" + json_string(created.json(), "id")).status, 204);
  const auto ended = ws.next_of_type("session.ended");
  ASSERT_TRUE(ended.has_value());
  EXPECT_EQ(parse(*ended).at("data").at("reason"), "token_revoked");
}

TEST_F(WebSocketApi, AClientThatStopsReadingIsDroppedAndTheServerCarriesOn) {
  auto slow = logged_in("demo", "student16@demo.test");
  auto ws = open(slow);
  auto& broadcaster = app_->app().broadcaster();
  const std::string topic = realtime::user_topic(user_id("demo", "student16@demo.test"));
  const std::string payload = "{\"filler\":\"" + std::string(16 * 1024, 'x') + "\"}";
  // Far more than the socket buffers and the 256-message queue hold while nobody reads.
  for (int i = 0; i < 3000; ++i) broadcaster.publish(topic, realtime::envelope("test.flood", payload));
  Event event;
  int received = 0;
  do {
    event = ws->next(2s);
    if (event.kind == Event::message) ++received;
  } while (event.kind == Event::message);
  EXPECT_EQ(event.kind, Event::closed);
  EXPECT_LT(received, 3000);
  EXPECT_EQ(client().get("/healthz").status, 200);
}

TEST(WebSocketGateway, ShutdownSendsGoingAwayCloseFrames) {
  TestApp app;
  auto c = app.client();
  ASSERT_EQ(c.login("demo", "student17@demo.test").status, 200);
  WebSocketClient ws;
  ASSERT_TRUE(ws.connect(app.port(), {cookie_header(c.cookies())}).upgraded);
  ASSERT_TRUE(ws.next_of_type("welcome").has_value());
  std::thread stopper([&] { app.app().stop(); });
  const auto event = ws.next(10s);
  stopper.join();
  EXPECT_EQ(event.kind, Event::closed);
  EXPECT_EQ(event.close_code, 1001);
}

TEST(WebSocketGateway, ProcessesWithoutTheWsRoleDoNotServeIt) {
  TestApp app([](Config& config) { config.roles = "api"; });
  auto c = app.client();
  ASSERT_EQ(c.login("demo", "student18@demo.test").status, 200);
  WebSocketClient ws;
  const auto handshake = ws.connect(app.port(), {cookie_header(c.cookies())});
  EXPECT_FALSE(handshake.upgraded);
  EXPECT_EQ(handshake.status, 404);
}

// A session ended where no message tells (here: deleted straight from the database) is noticed
// by the periodic check once the session cache forgets it (MNEMOS_SESSION_CACHE_SECONDS).
TEST(WebSocketGateway, SessionsEndedElsewhereAreNoticedByThePeriodicCheck) {
  TestApp app([](Config& config) {
    config.ws_reauthenticate_s = 1;
    config.session_cache_s = 3;
  });
  auto c = app.client();
  ASSERT_EQ(c.login("demo", "student19@demo.test").status, 200);
  WebSocketClient ws;
  ASSERT_TRUE(ws.connect(app.port(), {cookie_header(c.cookies())}).upgraded);
  ASSERT_TRUE(ws.next_of_type("welcome").has_value());
  app.app().database().write([](soci::session& sql) { sql << "DELETE FROM users_sessions"; });
  const auto ended = ws.next_of_type("session.ended", 15s);
  ASSERT_TRUE(ended.has_value());
  EXPECT_EQ(boost::json::parse(*ended).at("data").at("reason"), "expired");
  EXPECT_EQ(ws.next().close_code, 4401);
}

}  // namespace
}  // namespace mnemos::testing
