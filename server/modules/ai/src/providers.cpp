// Ollama and OpenAI-compatible clients over libcurl (providers.hpp).
#include "providers.hpp"

#include <curl/curl.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <spdlog/spdlog.h>

#include <stdexcept>
#include <thread>

namespace mnemos::ai {

int estimate_tokens(std::string_view text) { return static_cast<int>((text.size() + 3) / 4); }

// ---- circuit breaker -------------------------------------------------------------------------------

bool CircuitBreaker::allows(std::chrono::steady_clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (!open_until_) return true;
  if (now < *open_until_ || trial_running_) return false;
  trial_running_ = true;  // half-open: one call tries the endpoint again
  return true;
}

void CircuitBreaker::succeeded() {
  std::lock_guard lock(mutex_);
  failures_ = 0;
  open_until_.reset();
  trial_running_ = false;
}

void CircuitBreaker::failed(std::chrono::steady_clock::time_point now) {
  std::lock_guard lock(mutex_);
  trial_running_ = false;
  if (++failures_ >= failures_needed_) open_until_ = now + std::chrono::milliseconds(open_ms_);
}

bool CircuitBreaker::open(std::chrono::steady_clock::time_point now) const {
  std::lock_guard lock(mutex_);
  return open_until_ && now < *open_until_;
}

namespace {

using Clock = std::chrono::steady_clock;
using boost::json::array;
using boost::json::object;

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string join_url(std::string base, std::string_view path) {
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + std::string(path);
}

// One HTTP exchange. A 200 reply's body goes to `on_line` line by line as it arrives; any other
// status's body is kept (for the log) and returned.
struct Exchange {
  long status = 0;
  std::string error_body;
  bool any_line = false;       // a line of a 200 reply was handed on
  bool timed_out = false;      // first-piece or idle limit
  std::string retry_after;     // header, for 429
  CURLcode code = CURLE_OK;
};

struct TransferState {
  CURL* curl = nullptr;
  const std::function<void(std::string_view)>* on_line = nullptr;
  Exchange* exchange = nullptr;
  std::string pending;
  Clock::time_point start;
  Clock::time_point last_data;
  int first_token_timeout_ms = 0;
  int idle_timeout_ms = 0;
  bool failed_in_callback = false;
  std::optional<ProviderError> callback_error;
};

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* state = static_cast<TransferState*>(user);
  std::string_view line(data, size * count);
  constexpr std::string_view kRetryAfter = "retry-after:";
  if (line.size() > kRetryAfter.size()) {
    std::string lower(line.substr(0, kRetryAfter.size()));
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == kRetryAfter) {
      std::string value(line.substr(kRetryAfter.size()));
      while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) value.pop_back();
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      state->exchange->retry_after = value;
    }
  }
  return size * count;
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* state = static_cast<TransferState*>(user);
  const std::size_t bytes = size * count;
  state->last_data = Clock::now();
  if (state->exchange->status == 0) curl_easy_getinfo(state->curl, CURLINFO_RESPONSE_CODE, &state->exchange->status);
  if (state->exchange->status != 200) {
    if (state->exchange->error_body.size() < 4096) state->exchange->error_body.append(data, std::min<std::size_t>(bytes, 4096));
    return bytes;
  }
  state->pending.append(data, bytes);
  std::size_t start = 0;
  for (auto end = state->pending.find('\n', start); end != std::string::npos; end = state->pending.find('\n', start)) {
    std::string_view line(state->pending.data() + start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    start = end + 1;
    if (line.empty()) continue;
    try {
      (*state->on_line)(line);
      state->exchange->any_line = true;
    } catch (const ProviderError& e) {
      state->callback_error = e;
      return 0;  // aborts the transfer
    }
  }
  state->pending.erase(0, start);
  if (state->pending.size() > (1u << 20)) {
    state->callback_error = ProviderError{ProviderError::Kind::malformed, "a line of the stream passed 1 MiB"};
    return 0;
  }
  return bytes;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* state = static_cast<TransferState*>(user);
  const auto now = Clock::now();
  const auto since = [&](Clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(now - t).count();
  };
  if (!state->exchange->any_line && since(state->start) > state->first_token_timeout_ms) {
    state->exchange->timed_out = true;
    return 1;
  }
  if (state->exchange->any_line && since(state->last_data) > state->idle_timeout_ms) {
    state->exchange->timed_out = true;
    return 1;
  }
  return 0;
}

class HttpProvider : public Provider {
 public:
  explicit HttpProvider(ProviderSettings settings)
      : settings_(std::move(settings)), breaker_(settings_.breaker_failures, settings_.breaker_open_ms) {
    init_curl_once();
  }

  ChatResult chat(const ChatRequest& request, const TokenSink& on_token) override {
    if (!breaker_.allows(Clock::now())) {
      throw ProviderError{ProviderError::Kind::circuit_open, std::string(name()) + " failed repeatedly; resting"};
    }
    try {
      ChatResult result = chat_with_retries(request, on_token);
      breaker_.succeeded();
      return result;
    } catch (const ProviderError& e) {
      // A refusal of our request (a 4xx) says nothing about the endpoint's health.
      if (e.kind == ProviderError::Kind::refused) {
        breaker_.succeeded();
      } else {
        breaker_.failed(Clock::now());
      }
      throw;
    }
  }

 protected:
  // The request body and the path of the chat call; the parser of one line of the reply, which
  // returns true on the line that ends the reply.
  virtual std::string chat_path() const = 0;
  virtual std::string chat_body(const ChatRequest& request) const = 0;
  virtual bool parse_line(std::string_view line, ChatResult& result, const TokenSink& on_token) const = 0;

  Exchange perform(const std::string& method, const std::string& url, const std::string& body,
                   const std::function<void(std::string_view)>& on_line, int first_timeout_ms) const {
    Exchange exchange;
    CURL* curl = curl_easy_init();
    if (curl == nullptr) throw ProviderError{ProviderError::Kind::unreachable, "curl_easy_init failed"};
    curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
    headers = curl_slist_append(headers, "Accept: application/json, application/x-ndjson, text/event-stream");
    if (!settings_.api_key.empty()) headers = curl_slist_append(headers, ("Authorization: Bearer " + settings_.api_key).c_str());
    TransferState state;
    state.curl = curl;
    state.on_line = &on_line;
    state.exchange = &exchange;
    state.start = state.last_data = Clock::now();
    state.first_token_timeout_ms = first_timeout_ms;
    state.idle_timeout_ms = settings_.idle_timeout_ms;
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(settings_.connect_timeout_ms));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(settings_.total_timeout_ms));
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    if (method == "POST") {
      curl_easy_setopt(curl, CURLOPT_POST, 1L);
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    }
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &state);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &state);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &state);
    exchange.code = curl_easy_perform(curl);
    if (exchange.status == 0) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &exchange.status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    if (state.callback_error) throw *state.callback_error;
    // A last line without its newline.
    if (exchange.code == CURLE_OK && exchange.status == 200 && !state.pending.empty()) {
      std::string_view line(state.pending);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (!line.empty()) {
        on_line(line);
        exchange.any_line = true;
      }
    }
    return exchange;
  }

  // Sorts a failed exchange into the error the tutor reports; nullopt when it succeeded.
  std::optional<ProviderError> failure_of(const Exchange& exchange) const {
    using Kind = ProviderError::Kind;
    if (exchange.timed_out || exchange.code == CURLE_OPERATION_TIMEDOUT) {
      return ProviderError{Kind::timeout, "no reply in time"};
    }
    if (exchange.code == CURLE_COULDNT_CONNECT || exchange.code == CURLE_COULDNT_RESOLVE_HOST ||
        exchange.code == CURLE_SEND_ERROR || (exchange.code == CURLE_RECV_ERROR && exchange.status == 0) ||
        (exchange.code == CURLE_GOT_NOTHING)) {
      return ProviderError{Kind::unreachable, curl_easy_strerror(exchange.code)};
    }
    if (exchange.code != CURLE_OK && exchange.status == 200) {
      return ProviderError{Kind::malformed, std::string("stream cut: ") + curl_easy_strerror(exchange.code)};
    }
    if (exchange.code != CURLE_OK) return ProviderError{Kind::unreachable, curl_easy_strerror(exchange.code)};
    if (exchange.status == 429) return ProviderError{Kind::rate_limited, "429"};
    if (exchange.status >= 500) return ProviderError{Kind::server_error, "HTTP " + std::to_string(exchange.status)};
    if (exchange.status != 200) {
      return ProviderError{Kind::refused, "HTTP " + std::to_string(exchange.status) + ": " + exchange.error_body.substr(0, 300)};
    }
    return std::nullopt;
  }

  ChatResult chat_with_retries(const ChatRequest& request, const TokenSink& on_token) const {
    const std::string body = chat_body(request);
    const std::string url = join_url(settings_.url, chat_path());
    for (int attempt = 0;; ++attempt) {
      ChatResult result;
      bool done = false;
      bool any_token = false;
      const TokenSink counted = [&](std::string_view piece) {
        any_token = true;
        on_token(piece);
      };
      std::function<void(std::string_view)> on_line = [&](std::string_view line) {
        if (done) return;
        done = parse_line(line, result, counted);
      };
      Exchange exchange;
      std::optional<ProviderError> failure;
      try {
        exchange = perform("POST", url, body, on_line, settings_.first_token_timeout_ms);
        failure = failure_of(exchange);
        if (!failure && !done) failure = ProviderError{ProviderError::Kind::malformed, "the stream ended before its end"};
      } catch (const ProviderError& e) {
        failure = e;
      }
      if (!failure) {
        if (result.prompt_tokens == 0) {
          for (const auto& m : request.messages) result.prompt_tokens += estimate_tokens(m.content);
        }
        if (result.completion_tokens == 0) result.completion_tokens = estimate_tokens(result.text);
        return result;
      }
      // Once a piece has reached the student, trying again would say it twice.
      const bool retryable = !any_token && attempt < settings_.retries &&
                             (failure->kind == ProviderError::Kind::unreachable ||
                              failure->kind == ProviderError::Kind::rate_limited ||
                              failure->kind == ProviderError::Kind::server_error);
      if (!retryable) throw *failure;
      int wait_ms = 250 << attempt;
      if (failure->kind == ProviderError::Kind::rate_limited && !exchange.retry_after.empty()) {
        try {
          wait_ms = std::min(5000, std::stoi(exchange.retry_after) * 1000);
        } catch (const std::exception&) {
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
    }
  }

  // A whole JSON reply (embeddings, health).
  std::optional<boost::json::value> get_json(const std::string& method, const std::string& path, const std::string& body,
                                             int timeout_ms) const {
    std::string text;
    std::function<void(std::string_view)> on_line = [&](std::string_view line) {
      if (text.size() > (64u << 20)) throw ProviderError{ProviderError::Kind::malformed, "reply too large"};
      text.append(line);
      text.push_back('\n');
    };
    const auto exchange = perform(method, join_url(settings_.url, path), body, on_line, timeout_ms);
    if (auto failure = failure_of(exchange)) throw *failure;
    boost::system::error_code error;
    auto value = boost::json::parse(text, error);
    if (error) throw ProviderError{ProviderError::Kind::malformed, "reply is not JSON"};
    return value;
  }

  static const boost::json::object* object_at(const boost::json::value& value, std::string_view key) {
    const auto* object = value.if_object();
    if (object == nullptr) return nullptr;
    const auto* field = object->if_contains(key);
    return field != nullptr ? field->if_object() : nullptr;
  }

  static int int_at(const boost::json::object& object, std::string_view key) {
    const auto* field = object.if_contains(key);
    return field != nullptr && field->is_int64() ? static_cast<int>(field->as_int64()) : 0;
  }

  static std::vector<float> floats_of(const boost::json::value& value) {
    std::vector<float> out;
    const auto* list = value.if_array();
    if (list == nullptr) throw ProviderError{ProviderError::Kind::malformed, "an embedding is not a list"};
    out.reserve(list->size());
    for (const auto& number : *list) {
      if (!number.is_number()) throw ProviderError{ProviderError::Kind::malformed, "an embedding holds a non-number"};
      out.push_back(static_cast<float>(number.to_number<double>()));
    }
    return out;
  }

  static array messages_json(const ChatRequest& request) {
    array messages;
    for (const auto& m : request.messages) messages.push_back(object{{"role", m.role}, {"content", m.content}});
    return messages;
  }

  ProviderSettings settings_;
  CircuitBreaker breaker_;
};

boost::json::value parse_chunk(std::string_view line) {
  boost::system::error_code error;
  auto value = boost::json::parse(line, error);
  if (error || !value.is_object()) {
    throw ProviderError{ProviderError::Kind::malformed, "a chunk of the stream is not a JSON object"};
  }
  return value;
}

// Ollama: /api/chat streams one JSON object per line; the last has "done": true and the counts.
class OllamaProvider final : public HttpProvider {
 public:
  using HttpProvider::HttpProvider;
  std::string_view name() const override { return "ollama"; }

  std::optional<std::vector<std::vector<float>>> embed(const std::vector<std::string>& texts) override {
    if (settings_.embedding_model.empty()) return std::nullopt;
    array input;
    for (const auto& t : texts) input.emplace_back(t);
    const auto reply = get_json("POST", "/api/embed",
                                boost::json::serialize(object{{"model", settings_.embedding_model}, {"input", input}}),
                                settings_.first_token_timeout_ms);
    const auto* list = reply->as_object().if_contains("embeddings");
    if (list == nullptr || !list->is_array() || list->as_array().size() != texts.size()) {
      throw ProviderError{ProviderError::Kind::malformed, "embeddings missing"};
    }
    std::vector<std::vector<float>> out;
    for (const auto& e : list->as_array()) out.push_back(floats_of(e));
    return out;
  }

  bool healthy() override {
    try {
      const auto reply = get_json("GET", "/api/tags", "", settings_.connect_timeout_ms * 2);
      const auto* models = reply->as_object().if_contains("models");
      if (models == nullptr || !models->is_array()) return false;
      for (const auto& m : models->as_array()) {
        const auto* name = m.is_object() ? m.as_object().if_contains("name") : nullptr;
        if (name != nullptr && name->is_string()) {
          const std::string_view n = name->as_string();
          if (n == settings_.model || n == settings_.model + ":latest") return true;
        }
      }
      return false;
    } catch (const ProviderError&) {
      return false;
    }
  }

 protected:
  std::string chat_path() const override { return "/api/chat"; }
  std::string chat_body(const ChatRequest& request) const override {
    object body{{"model", settings_.model},
                {"messages", messages_json(request)},
                {"stream", true},
                {"options", object{{"temperature", request.temperature}, {"num_predict", request.max_tokens}}}};
    if (request.json) body["format"] = "json";
    return boost::json::serialize(body);
  }
  bool parse_line(std::string_view line, ChatResult& result, const TokenSink& on_token) const override {
    const auto chunk = parse_chunk(line);
    const auto& o = chunk.as_object();
    if (const auto* error = o.if_contains("error")) {
      throw ProviderError{ProviderError::Kind::server_error,
                          error->is_string() ? std::string(error->as_string()) : std::string("error")};
    }
    if (const auto* message = object_at(chunk, "message")) {
      const auto* content = message->if_contains("content");
      if (content != nullptr && content->is_string() && !content->as_string().empty()) {
        const std::string_view piece = content->as_string();
        result.text.append(piece);
        on_token(piece);
      }
    }
    const auto* done = o.if_contains("done");
    if (done != nullptr && done->is_bool() && done->as_bool()) {
      result.prompt_tokens = int_at(o, "prompt_eval_count");
      result.completion_tokens = int_at(o, "eval_count");
      return true;
    }
    return false;
  }
};

// OpenAI-compatible: /v1/chat/completions streams server-sent events, "data: {...}" lines and a
// last "data: [DONE]"; usage comes in a last chunk when asked for.
class OpenAiProvider final : public HttpProvider {
 public:
  using HttpProvider::HttpProvider;
  std::string_view name() const override { return "openai"; }

  std::optional<std::vector<std::vector<float>>> embed(const std::vector<std::string>& texts) override {
    if (settings_.embedding_model.empty()) return std::nullopt;
    array input;
    for (const auto& t : texts) input.emplace_back(t);
    const auto reply = get_json("POST", api("/embeddings"),
                                boost::json::serialize(object{{"model", settings_.embedding_model}, {"input", input}}),
                                settings_.first_token_timeout_ms);
    const auto* data = reply->as_object().if_contains("data");
    if (data == nullptr || !data->is_array() || data->as_array().size() != texts.size()) {
      throw ProviderError{ProviderError::Kind::malformed, "embeddings missing"};
    }
    std::vector<std::vector<float>> out(texts.size());
    for (const auto& item : data->as_array()) {
      const auto* o = item.if_object();
      const int index = o != nullptr ? int_at(*o, "index") : -1;
      const auto* embedding = o != nullptr ? o->if_contains("embedding") : nullptr;
      if (index < 0 || index >= static_cast<int>(texts.size()) || embedding == nullptr) {
        throw ProviderError{ProviderError::Kind::malformed, "an embedding is out of place"};
      }
      out[index] = floats_of(*embedding);
    }
    return out;
  }

  bool healthy() override {
    try {
      get_json("GET", api("/models"), "", settings_.connect_timeout_ms * 2);
      return true;
    } catch (const ProviderError&) {
      return false;
    }
  }

 protected:
  // Endpoints are written with or without their /v1.
  std::string api(std::string_view path) const {
    const bool has_v1 = settings_.url.ends_with("/v1") || settings_.url.ends_with("/v1/");
    return (has_v1 ? std::string() : std::string("/v1")) + std::string(path);
  }
  std::string chat_path() const override { return api("/chat/completions"); }
  std::string chat_body(const ChatRequest& request) const override {
    object body{{"model", settings_.model},
                {"messages", messages_json(request)},
                {"stream", true},
                {"stream_options", object{{"include_usage", true}}},
                {"temperature", request.temperature},
                {"max_tokens", request.max_tokens}};
    if (request.json) body["response_format"] = object{{"type", "json_object"}};
    return boost::json::serialize(body);
  }
  bool parse_line(std::string_view line, ChatResult& result, const TokenSink& on_token) const override {
    if (line.front() == ':') return false;  // an SSE comment (keep-alive)
    if (!line.starts_with("data:")) return false;  // event:, id:, retry: fields
    line.remove_prefix(5);
    while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    if (line == "[DONE]") return true;
    const auto chunk = parse_chunk(line);
    const auto& o = chunk.as_object();
    if (const auto* error = object_at(chunk, "error")) {
      const auto* message = error->if_contains("message");
      throw ProviderError{ProviderError::Kind::server_error,
                          message != nullptr && message->is_string() ? std::string(message->as_string()) : "error"};
    }
    if (const auto* usage = object_at(chunk, "usage")) {
      result.prompt_tokens = int_at(*usage, "prompt_tokens");
      result.completion_tokens = int_at(*usage, "completion_tokens");
    }
    const auto* choices = o.if_contains("choices");
    if (choices != nullptr && choices->is_array() && !choices->as_array().empty()) {
      if (const auto* delta = object_at(choices->as_array().front(), "delta")) {
        const auto* content = delta->if_contains("content");
        if (content != nullptr && content->is_string() && !content->as_string().empty()) {
          const std::string_view piece = content->as_string();
          result.text.append(piece);
          on_token(piece);
        }
      }
    }
    return false;
  }
};

}  // namespace

std::unique_ptr<Provider> make_provider(const ProviderSettings& settings) {
  if (settings.kind == "builtin" || settings.kind.empty()) return nullptr;
  if (settings.url.empty()) throw std::invalid_argument("MNEMOS_AI_URL is required for the " + settings.kind + " provider");
  if (settings.model.empty()) throw std::invalid_argument("MNEMOS_AI_MODEL is required for the " + settings.kind + " provider");
  if (settings.kind == "ollama") return std::make_unique<OllamaProvider>(settings);
  if (settings.kind == "openai") return std::make_unique<OpenAiProvider>(settings);
  throw std::invalid_argument("MNEMOS_AI_PROVIDER must be builtin, ollama or openai, not " + settings.kind);
}

}  // namespace mnemos::ai
