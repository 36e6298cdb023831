// The card/SEPA gateway in Stripe's API shape, and its webhook signatures (gateway.hpp).
#include "gateway.hpp"

#include <mnemos/core/json.hpp>

#include <curl/curl.h>
#include <sodium.h>

#include <charconv>
#include <stdexcept>
#include <vector>

namespace mnemos::billing {
namespace {

std::string form_value(std::string_view text) {
  std::string out;
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    }
  }
  return out;
}

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

std::string hmac_hex(std::string_view secret, std::string_view message) {
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()), message.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&state, mac);
  char hex[sizeof mac * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
  return hex;
}

}  // namespace

std::optional<PaymentIntent> StripeGateway::collect(const Collection& c) {
  const std::string body = "amount=" + std::to_string(c.amount) + "&currency=" + form_value(c.currency) +
                           "&confirm=true&off_session=true&payment_method_types[]=" + form_value(c.method) +
                           "&description=" + form_value("Mnemos " + c.number) +
                           "&metadata[invoice_id]=" + form_value(c.invoice_id) +
                           "&metadata[school_id]=" + form_value(c.school_id);
  CURL* curl = curl_easy_init();
  if (curl == nullptr) throw std::runtime_error("payment gateway: curl_easy_init failed");
  curl_slist* headers = curl_slist_append(nullptr, ("Authorization: Bearer " + key_).c_str());
  headers = curl_slist_append(headers, ("Idempotency-Key: " + c.idempotency_key).c_str());
  headers = curl_slist_append(headers, "Content-Type: application/x-www-form-urlencoded");
  std::string answer;
  const std::string url = url_ + "/v1/payment_intents";
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 30000L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_POST, 1L);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer);
  const CURLcode code = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  if (code != CURLE_OK) throw std::runtime_error(std::string("payment gateway unreachable: ") + curl_easy_strerror(code));

  boost::json::value parsed;
  try {
    parsed = json::parse(answer);
  } catch (const std::exception&) {
    throw std::runtime_error("payment gateway: an answer that is not JSON (HTTP " + std::to_string(status) + ")");
  }
  const auto* object = parsed.if_object();
  if (object == nullptr) throw std::runtime_error("payment gateway: an answer that is not a JSON object");
  // A declined card or a refused debit: 402 with the intent in error.payment_intent.
  if (status == 402) {
    const auto* error = object->if_contains("error");
    const auto* intent = error && error->is_object() ? error->as_object().if_contains("payment_intent") : nullptr;
    const auto* message = error && error->is_object() ? error->as_object().if_contains("message") : nullptr;
    PaymentIntent failed;
    if (intent && intent->is_object() && intent->as_object().if_contains("id") && intent->as_object().at("id").is_string()) {
      failed.id = std::string(intent->as_object().at("id").as_string());
    }
    failed.status = "failed";
    failed.failure = message && message->is_string() ? std::string(message->as_string()) : "declined";
    return failed;
  }
  if (status < 200 || status >= 300) throw std::runtime_error("payment gateway answered HTTP " + std::to_string(status));
  const auto* id = object->if_contains("id");
  const auto* state = object->if_contains("status");
  if (!id || !id->is_string() || !state || !state->is_string()) {
    throw std::runtime_error("payment gateway: a payment intent without id or status");
  }
  const std::string intent_status(state->as_string());
  // requires_action and the like wait for the webhook; only a final answer is final.
  return PaymentIntent{std::string(id->as_string()),
                       intent_status == "succeeded" ? "succeeded"
                       : intent_status == "canceled" || intent_status == "requires_payment_method" ? "failed"
                                                                                                    : "processing",
                       intent_status == "succeeded" || intent_status == "processing" ? "" : intent_status};
}

std::string sign_payload(std::string_view payload, std::string_view secret, std::int64_t timestamp_s) {
  const std::string t = std::to_string(timestamp_s);
  return "t=" + t + ",v1=" + hmac_hex(secret, t + "." + std::string(payload));
}

SignatureCheck verify_signature(std::string_view header, std::string_view payload, std::string_view secret,
                                std::int64_t now_s, std::int64_t tolerance_s) {
  std::optional<std::int64_t> timestamp;
  std::vector<std::string_view> signatures;
  while (!header.empty()) {
    const auto comma = header.find(',');
    const auto item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    const auto equals = item.find('=');
    if (equals == std::string_view::npos) continue;
    const auto key = item.substr(0, equals);
    const auto value = item.substr(equals + 1);
    if (key == "t") {
      std::int64_t t = 0;
      const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), t);
      if (error != std::errc() || end != value.data() + value.size()) return SignatureCheck::malformed;
      timestamp = t;
    } else if (key == "v1") {
      signatures.push_back(value);
    }
  }
  if (!timestamp || signatures.empty()) return SignatureCheck::malformed;
  const std::string expected = hmac_hex(secret, std::to_string(*timestamp) + "." + std::string(payload));
  bool matched = false;
  for (const auto& s : signatures) {
    if (s.size() == expected.size() && sodium_memcmp(s.data(), expected.data(), expected.size()) == 0) matched = true;
  }
  if (!matched) return SignatureCheck::mismatch;
  // Checked after the signature: an old but authentic event is a replay, refused.
  if (now_s - *timestamp > tolerance_s || *timestamp - now_s > tolerance_s) return SignatureCheck::too_old;
  return SignatureCheck::valid;
}

}  // namespace mnemos::billing
