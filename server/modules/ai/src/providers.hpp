#pragma once
// Language-model providers behind one interface (docs/ai.md, "Providers"): Ollama and
// OpenAI-compatible endpoints spoken to over HTTP with streaming, time-outs, bounded retries and a
// circuit breaker. The built-in provider (no model) is the tutor's own extractive answerer and
// rules (tutor.cpp, generation.cpp): it is what runs when no model is configured, and what the
// tutor falls back to when a model fails.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mnemos::ai {

struct ChatMessage {
  std::string role;  // system | user | assistant
  std::string content;
};

struct ChatRequest {
  std::vector<ChatMessage> messages;
  double temperature = 0.2;
  int max_tokens = 700;
  bool json = false;  // ask for a JSON object (content generation)
};

struct ChatResult {
  std::string text;
  int prompt_tokens = 0;
  int completion_tokens = 0;
};

// Pieces of the reply as they arrive.
using TokenSink = std::function<void(std::string_view piece)>;

// Why a provider gave no reply; the tutor then falls back and says so.
struct ProviderError {
  enum class Kind { unreachable, timeout, refused, rate_limited, server_error, malformed, circuit_open };
  Kind kind;
  std::string detail;  // for logs: never holds a key or a prompt
};

struct ProviderSettings {
  std::string kind = "builtin";  // builtin | ollama | openai
  std::string url;               // http://127.0.0.1:11434 or https://api.example/v1 (without /v1 for OpenAI is fine too)
  std::string model;
  std::string embedding_model;  // empty: no embeddings
  std::string api_key;          // OpenAI-compatible only; never logged, never returned
  int connect_timeout_ms = 2000;
  int first_token_timeout_ms = 15000;  // a model that has said nothing by then is "slow"
  int idle_timeout_ms = 10000;         // silence between two pieces of a stream
  int total_timeout_ms = 120000;
  int retries = 2;                     // before the first piece only: a reply is never sent twice
  int breaker_failures = 3;            // consecutive failures that open the circuit
  int breaker_open_ms = 30000;         // how long an open circuit sends everything to the fallback
};

class Provider {
 public:
  virtual ~Provider() = default;
  virtual std::string_view name() const = 0;  // ollama | openai
  // The reply, streamed to `on_token` as it comes; throws ProviderError.
  virtual ChatResult chat(const ChatRequest& request, const TokenSink& on_token) = 0;
  // One vector per text, or nullopt when the provider has no embedding model.
  virtual std::optional<std::vector<std::vector<float>>> embed(const std::vector<std::string>& texts) = 0;
  // True when the endpoint answers and knows the model.
  virtual bool healthy() = 0;
};

// A rough count for quotas and logs when a provider reports none: about four characters a token.
int estimate_tokens(std::string_view text);

// Opens after `failures` consecutive failures, for `open_ms`; then lets one call through to try.
class CircuitBreaker {
 public:
  CircuitBreaker(int failures, int open_ms) : failures_needed_(failures), open_ms_(open_ms) {}
  bool allows(std::chrono::steady_clock::time_point now);
  void succeeded();
  void failed(std::chrono::steady_clock::time_point now);
  bool open(std::chrono::steady_clock::time_point now) const;

 private:
  mutable std::mutex mutex_;
  int failures_needed_;
  int open_ms_;
  int failures_ = 0;
  std::optional<std::chrono::steady_clock::time_point> open_until_;
  bool trial_running_ = false;
};

// nullptr for "builtin" (no model); throws std::invalid_argument for an unknown kind or a missing
// url or model.
std::unique_ptr<Provider> make_provider(const ProviderSettings& settings);

}  // namespace mnemos::ai
