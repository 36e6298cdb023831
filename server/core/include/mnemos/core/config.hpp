#pragma once
#include <cstdint>
#include <string>

namespace mnemos {

// Every setting, with its default. Read from MNEMOS_* environment variables, then overridden by
// command-line flags. Documented in docs/configuration.md.
struct Config {
  std::string host = "127.0.0.1";                   // MNEMOS_HOST
  std::uint16_t port = 8080;                        // MNEMOS_PORT
  std::string database_url = "sqlite://var/mnemos.db";  // MNEMOS_DATABASE_URL
  int db_pool_size = 16;                            // MNEMOS_DB_POOL_SIZE
  int io_threads = 2;                               // MNEMOS_IO_THREADS
  int worker_threads = 0;  // MNEMOS_WORKER_THREADS (blocking pool); 0: chosen for the database
  std::string roles = "api,ws,worker";              // MNEMOS_ROLES
  std::string web_root = "web/dist";                // MNEMOS_WEB_ROOT
  std::string files_dir = "var/files";              // MNEMOS_FILES_DIR
  std::int64_t ai_sources_quota_mb = 500;           // MNEMOS_AI_SOURCES_QUOTA_MB: a school's sources for the tutor
  int ai_daily_questions = 50;                      // MNEMOS_AI_DAILY_QUESTIONS: a student's questions in 24 hours
  // The language model every school uses until the platform sets one for it (docs/ai.md).
  std::string ai_provider = "builtin";              // MNEMOS_AI_PROVIDER: builtin | ollama | openai
  std::string ai_url;                               // MNEMOS_AI_URL: http://127.0.0.1:11434, https://host/v1
  std::string ai_model;                             // MNEMOS_AI_MODEL
  std::string ai_embedding_model;                   // MNEMOS_AI_EMBEDDING_MODEL (empty: no embeddings)
  std::string ai_api_key;                           // MNEMOS_AI_API_KEY (OpenAI-compatible; never logged)
  int ai_first_token_timeout_ms = 15000;            // MNEMOS_AI_FIRST_TOKEN_TIMEOUT_MS: slower falls back
  std::string log_format = "text";                  // MNEMOS_LOG_FORMAT: text | json
  std::string log_level = "info";                   // MNEMOS_LOG_LEVEL
  std::string public_url = "http://localhost:8080"; // MNEMOS_PUBLIC_URL (links in emails)
  std::string smtp_url;                             // MNEMOS_SMTP_URL (empty: mail to the log)
  std::string smtp_from = "Mnemos <no-reply@mnemos.local>";  // MNEMOS_SMTP_FROM
  bool secure_cookies = false;                      // MNEMOS_SECURE_COOKIES (behind TLS)
  std::size_t body_limit = 1 << 20;                 // MNEMOS_BODY_LIMIT bytes
  int request_timeout_s = 30;                       // MNEMOS_REQUEST_TIMEOUT
  int session_days = 14;                            // MNEMOS_SESSION_DAYS
  int session_cache_s = 60;                         // MNEMOS_SESSION_CACHE_SECONDS: without Redis, how late another process may see a session ended
  int login_attempts_per_15min = 10;                // MNEMOS_LOGIN_ATTEMPTS (per account)
  int rate_limit_per_minute = 1200;                 // MNEMOS_RATE_LIMIT_PER_MINUTE per address, API (0: off)
  int rate_limit_burst = 300;                       // MNEMOS_RATE_LIMIT_BURST
  std::string redis_url;                            // MNEMOS_REDIS_URL: redis://host:6379 shares live messages between processes
  int chat_messages_per_minute = 60;                // MNEMOS_CHAT_MESSAGES_PER_MINUTE per person (0: off)
  int chat_messages_burst = 20;                     // MNEMOS_CHAT_MESSAGES_BURST
  int chat_digest_seconds = 600;                    // MNEMOS_CHAT_DIGEST_SECONDS: unread this long, a message goes in an email digest
  std::string stun_urls;                            // MNEMOS_STUN_URLS: stun:host:3478,... for video rooms (empty: none)
  std::string turn_urls;                            // MNEMOS_TURN_URLS: turn:host:3478?transport=udp,...
  std::string turn_secret;                          // MNEMOS_TURN_SECRET: coturn's static-auth-secret (never logged)
  int turn_ttl_s = 21600;                           // MNEMOS_TURN_TTL_SECONDS: how long a TURN credential lasts
  int ws_reauthenticate_s = 60;                     // MNEMOS_WS_REAUTH_SECONDS: sessions of open WebSockets rechecked
  bool seed_demo = false;                           // MNEMOS_SEED_DEMO: seed demo schools on start
  bool billing_daily_run = true;                    // MNEMOS_BILLING_DAILY_RUN: invoices and dunning every day at 03:00 UTC
  // The platform's company, the seller on every invoice (MNEMOS_SELLER_*). The defaults describe a
  // fictitious demo company: set them all before issuing a real invoice (docs/billing.md).
  std::string seller_name = "Mnemos SAS";           // MNEMOS_SELLER_NAME
  std::string seller_address = "10 rue de la Paix";  // MNEMOS_SELLER_ADDRESS
  std::string seller_postal_code = "75002";         // MNEMOS_SELLER_POSTAL_CODE
  std::string seller_city = "Paris";                // MNEMOS_SELLER_CITY
  std::string seller_country = "FR";                // MNEMOS_SELLER_COUNTRY
  std::string seller_siren = "100000009";           // MNEMOS_SELLER_SIREN
  std::string seller_vat_number = "FR88100000009";  // MNEMOS_SELLER_VAT_NUMBER
  std::string seller_email = "factures@mnemos.example";  // MNEMOS_SELLER_EMAIL
  std::string seller_legal_mentions = "SAS au capital de 10 000 € · RCS Paris 100 000 009 (société fictive de démonstration)";  // MNEMOS_SELLER_LEGAL_MENTIONS
  std::string seller_iban = "FR7630006000011234567890189";  // MNEMOS_SELLER_IBAN
  std::string seller_bic = "AGRIFRPP";              // MNEMOS_SELLER_BIC
  // The card/SEPA payment gateway, Stripe's API shape (docs/billing.md, "Payments").
  std::string payment_gateway_url = "https://api.stripe.com";  // MNEMOS_PAYMENT_GATEWAY_URL
  std::string payment_secret_key;                   // MNEMOS_PAYMENT_SECRET_KEY (empty: transfers only; never logged)
  std::string payment_webhook_secret;               // MNEMOS_PAYMENT_WEBHOOK_SECRET (the gateway's signing secret; never logged)

  // Applies MNEMOS_* variables found in the environment.
  void load_environment();
  bool runs(std::string_view role) const;
};

}  // namespace mnemos
