#include <mnemos/core/config.hpp>

#include <cstdlib>
#include <stdexcept>
#include <string>

namespace mnemos {
namespace {

const char* env(const char* name) {
  const char* value = std::getenv(name);
  return (value != nullptr && *value != '\0') ? value : nullptr;
}

void read(const char* name, std::string& target) {
  if (const char* value = env(name)) target = value;
}

template <typename Int>
void read(const char* name, Int& target) {
  if (const char* value = env(name)) {
    try {
      target = static_cast<Int>(std::stoll(value));
    } catch (const std::exception&) {
      throw std::invalid_argument(std::string(name) + " must be a whole number, got '" + value + "'");
    }
  }
}

void read(const char* name, bool& target) {
  if (const char* value = env(name)) {
    const std::string text = value;
    target = text == "1" || text == "true" || text == "yes" || text == "on";
  }
}

}  // namespace

void Config::load_environment() {
  read("MNEMOS_HOST", host);
  read("MNEMOS_PORT", port);
  read("MNEMOS_DATABASE_URL", database_url);
  read("MNEMOS_DB_POOL_SIZE", db_pool_size);
  read("MNEMOS_IO_THREADS", io_threads);
  read("MNEMOS_WORKER_THREADS", worker_threads);
  read("MNEMOS_ROLES", roles);
  read("MNEMOS_WEB_ROOT", web_root);
  read("MNEMOS_FILES_DIR", files_dir);
  read("MNEMOS_AI_SOURCES_QUOTA_MB", ai_sources_quota_mb);
  read("MNEMOS_AI_DAILY_QUESTIONS", ai_daily_questions);
  read("MNEMOS_AI_PROVIDER", ai_provider);
  read("MNEMOS_AI_URL", ai_url);
  read("MNEMOS_AI_MODEL", ai_model);
  read("MNEMOS_AI_EMBEDDING_MODEL", ai_embedding_model);
  read("MNEMOS_AI_API_KEY", ai_api_key);
  read("MNEMOS_AI_FIRST_TOKEN_TIMEOUT_MS", ai_first_token_timeout_ms);
  read("MNEMOS_LOG_FORMAT", log_format);
  read("MNEMOS_LOG_LEVEL", log_level);
  read("MNEMOS_PUBLIC_URL", public_url);
  read("MNEMOS_SMTP_URL", smtp_url);
  read("MNEMOS_SMTP_FROM", smtp_from);
  read("MNEMOS_SECURE_COOKIES", secure_cookies);
  read("MNEMOS_BODY_LIMIT", body_limit);
  read("MNEMOS_REQUEST_TIMEOUT", request_timeout_s);
  read("MNEMOS_SESSION_DAYS", session_days);
  read("MNEMOS_SESSION_CACHE_SECONDS", session_cache_s);
  read("MNEMOS_LOGIN_ATTEMPTS", login_attempts_per_15min);
  read("MNEMOS_RATE_LIMIT_PER_MINUTE", rate_limit_per_minute);
  read("MNEMOS_RATE_LIMIT_BURST", rate_limit_burst);
  read("MNEMOS_REDIS_URL", redis_url);
  read("MNEMOS_CHAT_MESSAGES_PER_MINUTE", chat_messages_per_minute);
  read("MNEMOS_CHAT_MESSAGES_BURST", chat_messages_burst);
  read("MNEMOS_CHAT_DIGEST_SECONDS", chat_digest_seconds);
  read("MNEMOS_STUN_URLS", stun_urls);
  read("MNEMOS_TURN_URLS", turn_urls);
  read("MNEMOS_TURN_SECRET", turn_secret);
  read("MNEMOS_TURN_TTL_SECONDS", turn_ttl_s);
  read("MNEMOS_WS_REAUTH_SECONDS", ws_reauthenticate_s);
  read("MNEMOS_SEED_DEMO", seed_demo);
  read("MNEMOS_BILLING_DAILY_RUN", billing_daily_run);
  read("MNEMOS_SELLER_NAME", seller_name);
  read("MNEMOS_SELLER_ADDRESS", seller_address);
  read("MNEMOS_SELLER_POSTAL_CODE", seller_postal_code);
  read("MNEMOS_SELLER_CITY", seller_city);
  read("MNEMOS_SELLER_COUNTRY", seller_country);
  read("MNEMOS_SELLER_SIREN", seller_siren);
  read("MNEMOS_SELLER_VAT_NUMBER", seller_vat_number);
  read("MNEMOS_SELLER_EMAIL", seller_email);
  read("MNEMOS_SELLER_LEGAL_MENTIONS", seller_legal_mentions);
  read("MNEMOS_SELLER_IBAN", seller_iban);
  read("MNEMOS_SELLER_BIC", seller_bic);
  read("MNEMOS_PAYMENT_GATEWAY_URL", payment_gateway_url);
  read("MNEMOS_PAYMENT_SECRET_KEY", payment_secret_key);
  read("MNEMOS_PAYMENT_WEBHOOK_SECRET", payment_webhook_secret);
}

bool Config::runs(std::string_view role) const {
  std::string_view rest = roles;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const auto item = rest.substr(0, comma);
    if (item == role) return true;
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace mnemos
