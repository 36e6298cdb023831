#pragma once
// Plans, versions and subscriptions as stored (migrations/0001_plans.sql). Money: minor units.
#include <cstdint>
#include <optional>
#include <string>

namespace mnemos::billing {

struct Plan {
  std::string id;
  std::string code;
  std::string name;
  int is_default = 0;
  std::optional<std::int64_t> archived_at;
  std::int64_t created_at = 0;
};

// A plan's prices and allowances from its creation; never changed once made.
struct PlanVersion {
  std::string id;
  std::string plan_id;
  int version = 1;
  std::string currency = "EUR";
  std::int64_t monthly_price = 0;
  int included_teachers = 0;
  int included_students = 0;
  std::int64_t extra_teacher_price = 0;
  std::int64_t extra_student_price = 0;
  int overage_allowed = 0;
  int ai_tutor = 0;
  int video_rooms = 0;
  std::optional<int> ai_requests_per_month;
  int trial_days = 0;
  std::int64_t created_at = 0;
};

struct Subscription {
  std::string school_id;
  std::string plan_version_id;
  std::string status = "trialing";  // trialing | active | past_due | suspended | canceled
  int billing_day = 1;
  std::optional<std::int64_t> trial_ends_at;
  std::string legal_name;
  std::string address;
  std::string postal_code;
  std::string city;
  std::string country = "FR";
  std::optional<std::string> siren;
  std::optional<std::string> siret;
  std::optional<std::string> vat_number;
  std::optional<std::string> einvoice_address;
  std::string payment_method = "transfer";  // transfer | card | sepa_debit
  int auto_collect = 0;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

}  // namespace mnemos::billing

namespace mnemos::billing {

struct Invoice {
  std::string id;
  std::string school_id;
  std::string kind = "invoice";  // invoice | credit_note
  std::string number;
  std::string period;  // YYYY-MM
  std::int64_t period_start = 0;
  std::int64_t period_end = 0;
  std::string status = "pending";  // pending | issued | paid | void
  std::string currency;
  std::int64_t total_excl_tax = 0;
  std::int64_t tax = 0;
  std::int64_t total = 0;
  std::string tax_category;
  int tax_rate = 0;
  std::string tax_mention;
  std::string buyer;  // JSON
  std::int64_t created_at = 0;
  std::optional<std::int64_t> issued_at;
  std::optional<std::int64_t> due_at;
  // Set when issued: the seller as printed (JSON), the payment method, the PDF kept and its hash.
  std::optional<std::string> seller;
  std::optional<std::string> payment_method;
  std::optional<std::string> pdf_path;
  std::optional<std::string> pdf_sha256;
  // Payments (migrations/0004): what succeeded payments covered, when it was paid in full, the
  // gateway attempts and the reminders sent.
  std::int64_t amount_paid = 0;
  std::optional<std::int64_t> paid_at;
  int collection_attempts = 0;
  int reminders_sent = 0;
  // A credit note: the invoice it cancels, and why.
  std::optional<std::string> credited_invoice_id;
  std::optional<std::string> credit_reason;
};

struct InvoiceLineRow {
  int position = 0;
  std::string kind;
  std::string label;
  std::int64_t quantity = 1;
  std::int64_t unit_price = 0;
  int days = 0;
  int period_days = 0;
  std::int64_t amount = 0;
};

struct PlanChange {
  std::string plan_version_id;
  std::int64_t effective_at = 0;
};

}  // namespace mnemos::billing
