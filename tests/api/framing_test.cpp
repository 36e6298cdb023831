// How answers are framed on the wire: the server writes the status line and headers itself
// (server.cpp, response_head), so the rules Beast's serializer used to apply are checked here.
#include "../support/api_test.hpp"

namespace mnemos::testing {
namespace {

class Framing : public ApiTest {};

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++count;
  return count;
}

TEST_F(Framing, KeepAliveAnswersEachRequestInOrderAndClosesWhenAsked) {
  const std::string answers = client().raw(
      "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /nowhere/api HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /api/v1/nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(count_of(answers, "HTTP/1.1 "), 3u) << answers;
  EXPECT_EQ(answers.substr(0, 17), "HTTP/1.1 200 OK\r\n");
  EXPECT_NE(answers.find("content-length: 15\r\n"), std::string::npos);
  EXPECT_NE(answers.find("{\"status\":\"ok\"}HTTP/1.1 "), std::string::npos) << answers;
  EXPECT_NE(answers.find("HTTP/1.1 404 Not Found\r\n"), std::string::npos);
  EXPECT_EQ(count_of(answers, "connection: close\r\n"), 1u);
  EXPECT_EQ(count_of(answers, "server: mnemos\r\n"), 3u);
}

TEST_F(Framing, HeadStatesTheLengthWithoutTheBody) {
  const std::string answer = client().raw("HEAD /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(answer.substr(0, 17), "HTTP/1.1 200 OK\r\n");
  EXPECT_NE(answer.find("content-length: 15\r\n"), std::string::npos) << answer;
  EXPECT_EQ(answer.substr(answer.size() - 4), "\r\n\r\n") << answer;  // nothing after the head
}

TEST_F(Framing, Http10IsAnsweredIn10AndClosedUnlessKeptAlive) {
  const std::string closed = client().raw("GET /healthz HTTP/1.0\r\n\r\n");
  EXPECT_EQ(closed.substr(0, 17), "HTTP/1.0 200 OK\r\n") << closed;
  EXPECT_EQ(closed.find("connection:"), std::string::npos) << closed;
  const std::string kept = client().raw(
      "GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /healthz HTTP/1.0\r\n\r\n");
  EXPECT_EQ(count_of(kept, "HTTP/1.0 200 OK\r\n"), 2u) << kept;
  EXPECT_EQ(count_of(kept, "connection: keep-alive\r\n"), 1u) << kept;
}

TEST_F(Framing, NoContentHasNoLengthAndNoBody) {
  auto c = client();
  ASSERT_EQ(c.login("demo", "teacher@demo.test").status, 200);
  const auto cookie = c.cookies().at("mnemos_session");
  const std::string answer = client().raw(
      "POST /api/v1/auth/logout HTTP/1.1\r\nHost: x\r\nCookie: mnemos_session=" + cookie +
      "\r\nX-CSRF-Token: " + c.csrf() + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(answer.substr(0, 25), "HTTP/1.1 204 No Content\r\n") << answer;
  EXPECT_EQ(answer.find("content-length"), std::string::npos) << answer;
  EXPECT_EQ(answer.substr(answer.size() - 4), "\r\n\r\n") << answer;
}

}  // namespace
}  // namespace mnemos::testing
