// The Ollama and OpenAI-compatible clients against a fake server that speaks their protocols
// (providers.hpp): streams, cuts, slowness, refusals, retries and the circuit breaker.
#include "../src/providers.hpp"
#include "fake_http_server.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace mnemos::ai {
namespace {

using namespace std::chrono_literals;
using test::FakeHttpServer;
using test::FakeReply;
using test::FakeRequest;

ProviderSettings settings_for(const std::string& kind, const FakeHttpServer& server) {
  ProviderSettings s;
  s.kind = kind;
  s.url = server.url();
  s.model = "tutor-model";
  s.embedding_model = "embed-model";
  s.api_key = kind == "openai" ? "sk-secret-key" : "";
  s.first_token_timeout_ms = 400;
  s.idle_timeout_ms = 400;
  s.retries = 2;
  s.breaker_failures = 3;
  s.breaker_open_ms = 60000;
  return s;
}

ChatRequest question() {
  ChatRequest request;
  request.messages.push_back({.role = "system", .content = "You are a tutor."});
  request.messages.push_back({.role = "user", .content = "Qu'est-ce qu'un volcan ?"});
  return request;
}

FakeReply ollama_stream(std::vector<std::string> words, bool finish = true) {
  FakeReply reply;
  reply.content_type = "application/x-ndjson";
  for (const auto& w : words) reply.pieces.push_back(R"({"model":"tutor-model","message":{"role":"assistant","content":")" + w + R"("},"done":false})" "\n");
  if (finish) reply.pieces.push_back(R"({"model":"tutor-model","message":{"role":"assistant","content":""},"done":true,"prompt_eval_count":42,"eval_count":7})" "\n");
  return reply;
}

FakeReply openai_stream(std::vector<std::string> words, bool finish = true) {
  FakeReply reply;
  reply.content_type = "text/event-stream";
  reply.pieces.push_back(": keep-alive\n\n");
  for (const auto& w : words) reply.pieces.push_back(R"(data: {"choices":[{"index":0,"delta":{"content":")" + w + R"("}}]})" "\n\n");
  if (finish) {
    reply.pieces.push_back(R"(data: {"choices":[],"usage":{"prompt_tokens":40,"completion_tokens":6}})" "\n\n");
    reply.pieces.push_back("data: [DONE]\n\n");
  }
  return reply;
}

ProviderError::Kind failure_kind(Provider& provider, std::string* streamed = nullptr) {
  try {
    provider.chat(question(), [&](std::string_view piece) {
      if (streamed) streamed->append(piece);
    });
  } catch (const ProviderError& e) {
    return e.kind;
  }
  ADD_FAILURE() << "the chat succeeded";
  return ProviderError::Kind::refused;
}

TEST(Ollama, StreamsTheReplyPieceByPieceWithItsCounts) {
  FakeHttpServer server([](const FakeRequest&) { return ollama_stream({"Un ", "volcan ", "est..."}); });
  auto provider = make_provider(settings_for("ollama", server));
  std::vector<std::string> pieces;
  const auto result = provider->chat(question(), [&](std::string_view p) { pieces.emplace_back(p); });
  EXPECT_EQ(pieces, (std::vector<std::string>{"Un ", "volcan ", "est..."}));
  EXPECT_EQ(result.text, "Un volcan est...");
  EXPECT_EQ(result.prompt_tokens, 42);
  EXPECT_EQ(result.completion_tokens, 7);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].target, "/api/chat");
  const auto body = boost::json::parse(requests[0].body).as_object();
  EXPECT_EQ(body.at("model").as_string(), "tutor-model");
  EXPECT_TRUE(body.at("stream").as_bool());
  EXPECT_EQ(body.at("messages").as_array().size(), 2u);
  EXPECT_FALSE(requests[0].headers.contains("authorization"));
}

TEST(OpenAi, StreamsServerSentEventsAndSendsItsKey) {
  FakeHttpServer server([](const FakeRequest&) { return openai_stream({"A ", "volcano"}); });
  auto settings = settings_for("openai", server);
  settings.url += "/v1";
  auto provider = make_provider(settings);
  std::string streamed;
  const auto result = provider->chat(question(), [&](std::string_view p) { streamed.append(p); });
  EXPECT_EQ(streamed, "A volcano");
  EXPECT_EQ(result.prompt_tokens, 40);
  EXPECT_EQ(result.completion_tokens, 6);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].target, "/v1/chat/completions");
  EXPECT_EQ(requests[0].headers.at("authorization"), "Bearer sk-secret-key");
}

TEST(Providers, AStreamCutMidWayIsAnErrorAndIsNotSentAgain) {
  for (const std::string kind : {"ollama", "openai"}) {
    FakeHttpServer server([&](const FakeRequest&) {
      auto reply = kind == "ollama" ? ollama_stream({"Un ", "vol"}, false) : openai_stream({"A ", "vol"}, false);
      reply.cut = true;
      return reply;
    });
    auto provider = make_provider(settings_for(kind, server));
    std::string streamed;
    EXPECT_EQ(failure_kind(*provider, &streamed), ProviderError::Kind::malformed) << kind;
    EXPECT_FALSE(streamed.empty());
    EXPECT_EQ(server.requests().size(), 1u) << kind << ": a reply already streamed must not be asked twice";
  }
}

TEST(Providers, ASlowFirstTokenTimesOutWithoutRetrying) {
  for (const std::string kind : {"ollama", "openai"}) {
    FakeHttpServer server([&](const FakeRequest&) {
      auto reply = kind == "ollama" ? ollama_stream({"late"}) : openai_stream({"late"});
      reply.before_first = 1500ms;
      return reply;
    });
    auto provider = make_provider(settings_for(kind, server));
    EXPECT_EQ(failure_kind(*provider), ProviderError::Kind::timeout) << kind;
    EXPECT_EQ(server.requests().size(), 1u);
  }
}

TEST(Providers, ASilenceInTheMiddleOfAStreamTimesOut) {
  FakeHttpServer server([](const FakeRequest&) {
    auto reply = ollama_stream({"Un ", "volcan"});
    reply.between = 1500ms;
    return reply;
  });
  auto provider = make_provider(settings_for("ollama", server));
  EXPECT_EQ(failure_kind(*provider), ProviderError::Kind::timeout);
}

TEST(Providers, RateLimitsAndServerErrorsAreRetriedABoundedNumberOfTimes) {
  int calls = 0;
  FakeHttpServer server([&](const FakeRequest&) {
    if (++calls == 1) {
      FakeReply limited;
      limited.status = 429;
      limited.headers = {{"Retry-After", "0"}};
      limited.pieces = {R"({"error":"slow down"})"};
      return limited;
    }
    return openai_stream({"ok"});
  });
  auto provider = make_provider(settings_for("openai", server));
  EXPECT_EQ(provider->chat(question(), [](std::string_view) {}).text, "ok");
  EXPECT_EQ(server.requests().size(), 2u);

  server.set_handler([](const FakeRequest&) {
    FakeReply failing;
    failing.status = 500;
    failing.pieces = {R"({"error":"boom"})"};
    return failing;
  });
  auto second = make_provider(settings_for("openai", server));
  EXPECT_EQ(failure_kind(*second), ProviderError::Kind::server_error);
  EXPECT_EQ(server.requests().size(), 2u + 3u);  // one attempt and two retries
}

TEST(Providers, AMalformedChunkOrAnErrorInTheStreamFails) {
  FakeHttpServer server([](const FakeRequest&) {
    FakeReply reply;
    reply.pieces = {R"({"message":{"content":"Un "},"done":false})" "\n", "{not json\n"};
    return reply;
  });
  auto provider = make_provider(settings_for("ollama", server));
  EXPECT_EQ(failure_kind(*provider), ProviderError::Kind::malformed);
  server.set_handler([](const FakeRequest&) {
    FakeReply reply;
    reply.pieces = {R"({"error":"model not found"})" "\n"};
    return reply;
  });
  EXPECT_EQ(failure_kind(*provider), ProviderError::Kind::server_error);
}

TEST(Providers, ARefusalIsNotRetriedAndLeavesTheCircuitClosed) {
  FakeHttpServer server([](const FakeRequest&) {
    FakeReply refused;
    refused.status = 400;
    refused.pieces = {R"({"error":{"message":"bad request"}})"};
    return refused;
  });
  auto provider = make_provider(settings_for("openai", server));
  for (int i = 0; i < 4; ++i) EXPECT_EQ(failure_kind(*provider), ProviderError::Kind::refused);
  EXPECT_EQ(server.requests().size(), 4u);
}

TEST(Providers, TheCircuitOpensAfterRepeatedFailuresAndStopsCalling) {
  auto unreachable = ProviderSettings{};
  unreachable.kind = "ollama";
  unreachable.url = "http://127.0.0.1:9";  // discard port: nothing listens
  unreachable.model = "m";
  unreachable.retries = 0;
  unreachable.breaker_failures = 2;
  unreachable.breaker_open_ms = 60000;
  auto provider = make_provider(unreachable);
  EXPECT_EQ(failure_kind(*provider), ProviderError::Kind::unreachable);
  EXPECT_EQ(failure_kind(*provider), ProviderError::Kind::unreachable);
  EXPECT_EQ(failure_kind(*provider), ProviderError::Kind::circuit_open);
}

TEST(CircuitBreaker, LetsOneTrialThroughAfterItsRest) {
  CircuitBreaker breaker(2, 1000);
  const auto t0 = std::chrono::steady_clock::now();
  breaker.failed(t0);
  EXPECT_TRUE(breaker.allows(t0));
  breaker.failed(t0);
  EXPECT_FALSE(breaker.allows(t0 + 500ms));
  EXPECT_TRUE(breaker.allows(t0 + 1001ms));   // the trial
  EXPECT_FALSE(breaker.allows(t0 + 1002ms));  // only one at a time
  breaker.succeeded();
  EXPECT_TRUE(breaker.allows(t0 + 1003ms));
}

TEST(Providers, EmbeddingsAndHealthSpeakEachProtocol) {
  FakeHttpServer server([](const FakeRequest& r) {
    FakeReply reply;
    if (r.target == "/api/embed") reply.pieces = {R"({"embeddings":[[0.1,0.2],[0.3,0.4]]})"};
    else if (r.target == "/v1/embeddings") reply.pieces = {R"({"data":[{"index":1,"embedding":[3,4]},{"index":0,"embedding":[1,2]}]})"};
    else if (r.target == "/api/tags") reply.pieces = {R"({"models":[{"name":"tutor-model:latest"}]})"};
    else if (r.target == "/v1/models") reply.pieces = {R"({"data":[]})"};
    else reply.status = 404;
    return reply;
  });
  auto ollama = make_provider(settings_for("ollama", server));
  const auto ollama_vectors = ollama->embed({"a", "b"});
  ASSERT_TRUE(ollama_vectors);
  EXPECT_FLOAT_EQ((*ollama_vectors)[1][0], 0.3f);
  EXPECT_TRUE(ollama->healthy());
  auto openai = make_provider(settings_for("openai", server));
  const auto openai_vectors = openai->embed({"a", "b"});
  ASSERT_TRUE(openai_vectors);
  EXPECT_FLOAT_EQ((*openai_vectors)[0][1], 2.0f);  // put back in the order asked
  EXPECT_TRUE(openai->healthy());
  auto settings = settings_for("ollama", server);
  settings.model = "absent";
  settings.embedding_model.clear();
  auto other = make_provider(settings);
  EXPECT_FALSE(other->healthy());
  EXPECT_FALSE(other->embed({"a"}));
}

TEST(Providers, SettingsAreChecked) {
  EXPECT_EQ(make_provider(ProviderSettings{}), nullptr);  // built-in: no model
  ProviderSettings s;
  s.kind = "ollama";
  EXPECT_THROW(make_provider(s), std::invalid_argument);
  s.kind = "gpt";
  s.url = "http://x";
  s.model = "m";
  EXPECT_THROW(make_provider(s), std::invalid_argument);
}

}  // namespace
}  // namespace mnemos::ai
