#pragma once
// Payments and dunning (docs/billing.md, "Payments", "Overdue invoices"): transfers recorded by the
// platform, card and SEPA payments collected through the gateway when the school asked for it and
// confirmed by signed webhooks, and what happens to a school whose invoice stays unpaid.
#include <mnemos/billing/module.hpp>
#include <mnemos/core/context.hpp>

#include "domain.hpp"
#include "gateway.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace soci {
class session;
}

namespace mnemos::billing {

struct Payment {
  std::string id;
  std::string invoice_id;
  std::string school_id;
  std::string method;  // transfer | card | sepa_debit
  std::int64_t amount = 0;
  std::string currency;
  std::string status;  // processing | succeeded | failed
  std::optional<std::string> gateway_reference;
  std::optional<std::string> failure;
  std::optional<std::string> note;
  std::optional<std::string> recorded_by;
  std::optional<std::int64_t> received_at;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

// The dunning calendar, in days after the due date.
inline constexpr int kSecondReminderDays = 7;
inline constexpr int kSuspensionDays = 15;
// Failed card or SEPA payments are asked again after these many days, then left to the reminders.
inline constexpr int kRetryDays[] = {1, 3, 5};

struct DunningReport {
  int past_due = 0;      // subscriptions made past_due
  int reminders = 0;     // reminders sent
  int suspended = 0;     // subscriptions suspended
  int trials_ended = 0;  // trialing subscriptions whose trial ended, now active
};

struct WebhookOutcome {
  bool duplicate = false;  // delivered before: nothing done
  std::string type;
};

class PaymentService {
 public:
  PaymentService(Dependencies& deps, PaymentGateway& gateway) : deps_(deps), gateway_(gateway) {}

  // A transfer the platform received for an issued invoice: partial allowed, never more than due.
  Payment record_transfer(const RequestContext& ctx, const std::string& invoice_id, std::optional<std::int64_t> amount,
                          std::optional<std::int64_t> received_at, const std::optional<std::string>& note);
  std::vector<Payment> payments(soci::session& sql, const std::string& invoice_id);

  // After an invoice is issued, in its transaction: queues its collection when the school pays by
  // card or SEPA with automatic payment on.
  void queue_collection(soci::session& sql, const Invoice& invoice, const Subscription& subscription);
  // Job billing.collect: asks the gateway for what remains due on the invoice.
  void collect(const std::string& invoice_id, int attempt);
  // POST /api/v1/billing/webhooks/stripe: verified signature, each event once.
  WebhookOutcome webhook(std::string_view payload, std::string_view signature);

  // Overdue invoices: past_due, reminders, suspension after the grace period; ended trials made
  // active. Part of every invoice run, so a daily `mnemos billing run` keeps it going.
  DunningReport dunning();
  // A past_due or suspended school with nothing overdue any more is active again. In the
  // caller's transaction (a payment, a credit note).
  void restore_if_settled(soci::session& sql, const std::string& school_id);

 private:
  // Adds a succeeded payment's amount to its invoice; paid in full: `paid`, and the school back to
  // active when nothing else is overdue. In the caller's transaction.
  void apply(soci::session& sql, const std::string& invoice_id, std::int64_t amount);
  void payment_failed(soci::session& sql, const Payment& payment, const std::string& failure);
  Dependencies& deps_;
  PaymentGateway& gateway_;
};

}  // namespace mnemos::billing
