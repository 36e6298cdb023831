#pragma once
// How invoices are paid (docs/billing.md, "Payments"): a gateway collects a card or SEPA direct
// debit payment when the school asked for it; a bank transfer is made by the school and recorded by
// the platform. The card/SEPA gateway speaks Stripe's API shape: payment intents created with an
// idempotency key, their outcome confirmed by webhook events signed with HMAC-SHA256.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mnemos::billing {

struct Collection {
  std::string invoice_id;
  std::string school_id;
  std::string number;
  std::int64_t amount = 0;  // minor units
  std::string currency;
  std::string method;           // card | sepa_debit
  std::string idempotency_key;  // the same attempt asked twice is one payment
};

struct PaymentIntent {
  std::string id;
  std::string status;   // succeeded | processing | failed
  std::string failure;  // why, when failed
};

class PaymentGateway {
 public:
  virtual ~PaymentGateway() = default;
  // Asks for the payment; nullopt when this gateway collects nothing itself (transfers). Throws
  // std::runtime_error when the gateway could not be reached or answered an error (retried).
  virtual std::optional<PaymentIntent> collect(const Collection& collection) = 0;
};

// Bank transfers: the school pays by itself; the platform records what arrives.
class TransferGateway final : public PaymentGateway {
 public:
  std::optional<PaymentIntent> collect(const Collection&) override { return std::nullopt; }
};

// Stripe's API shape: POST {url}/v1/payment_intents (form-encoded, Bearer key, Idempotency-Key),
// confirmed off-session for the school's saved card or SEPA mandate.
class StripeGateway final : public PaymentGateway {
 public:
  StripeGateway(std::string url, std::string secret_key) : url_(std::move(url)), key_(std::move(secret_key)) {}
  std::optional<PaymentIntent> collect(const Collection& collection) override;

 private:
  std::string url_;
  std::string key_;
};

enum class SignatureCheck { valid, malformed, mismatch, too_old };
// Checks a `Stripe-Signature` header (t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.payload">,...)
// against `secret`: one matching v1 suffices; older than `tolerance_s` is refused.
SignatureCheck verify_signature(std::string_view header, std::string_view payload, std::string_view secret,
                                std::int64_t now_s, std::int64_t tolerance_s = 300);
// The header a gateway would send (tests and the fake gateway).
std::string sign_payload(std::string_view payload, std::string_view secret, std::int64_t timestamp_s);

}  // namespace mnemos::billing
