#pragma once
// Monthly invoices (docs/billing.md, "Monthly invoices"): the job that makes one per school and
// period, and who may read them.
#include <mnemos/billing/module.hpp>
#include <mnemos/core/context.hpp>

#include "domain.hpp"
#include "facturx.hpp"
#include "payments.hpp"
#include "invoice_math.hpp"

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <vector>

namespace mnemos::billing {

// A school's billing period: from its billing day in month `period` to the same day the month
// after, midnight in the school's time zone.
struct BillingPeriod {
  std::string period;  // YYYY-MM
  std::int64_t start_ms = 0, end_ms = 0;
  std::int64_t start_day = 0, end_day = 0;  // local days since 1970-01-01
  int days() const { return static_cast<int>(end_day - start_day); }
};

// Parses YYYY-MM (2000 to 2999); nullopt when it is not one.
std::optional<std::pair<int, unsigned>> parse_period(std::string_view text);
BillingPeriod billing_period(int year, unsigned month, int billing_day, const std::string& time_zone);
// The stretches of `period` spent on each plan version, from the school's plan changes, leaving
// out the days before the subscription began and the trial's.
struct DatedChange {
  std::string plan_version_id;
  std::int64_t day = 0;  // the local day it took effect
};
std::vector<std::pair<std::string, int>> days_per_version(const std::vector<DatedChange>& changes,
                                                          const BillingPeriod& period,
                                                          std::optional<std::int64_t> trial_end_day);

// A subscription's billing details as JSON: in the API and, copied, on each invoice (`buyer`).
boost::json::object billing_details_json(const Subscription& s);

struct InvoiceView {
  Invoice invoice;
  std::vector<InvoiceLineRow> lines;
  std::vector<Payment> payments;
};


class InvoiceService {
 public:
  InvoiceService(Dependencies& deps, PaymentService& payments) : deps_(deps), payments_(payments) {}

  // Invoices every subscribed school for `period` (default: the month before this one) whose
  // period has ended. Safe to run again: what was invoiced is left as it is.
  InvoiceRun run(const std::optional<std::string>& period);
  // Cancels an issued invoice with a credit note of the same figures (platform; credit_notes.cpp):
  // the credit note, issued.
  InvoiceView credit(const RequestContext& ctx, const std::string& invoice_id, const std::string& reason);
  // A transfer received (platform): the invoice as it is after it.
  InvoiceView record_payment(const RequestContext& ctx, const std::string& invoice_id, std::optional<std::int64_t> amount,
                             std::optional<std::int64_t> received_at, const std::optional<std::string>& note);
  // One school's invoice for the period, in its own transaction; nullopt when there is nothing to
  // bill. Throws Error(conflict) when another worker made it meanwhile.
  std::optional<Invoice> invoice_school(const std::string& school_id, int year, unsigned month);

  std::vector<InvoiceView> list(const RequestContext& ctx, const std::optional<std::string>& school_id);
  InvoiceView get(const RequestContext& ctx, const std::string& id);
  // The issued invoice's Factur-X PDF; Error(conflict) while it is pending.
  std::string pdf(const RequestContext& ctx, const std::string& id);

  // Issues a pending invoice (issuing.cpp): its PDF made and kept, the invoice marked issued and
  // billing.invoice_issued published. False when it was not pending. Throws when the PDF fails.
  bool issue(const std::string& invoice_id);
  // Issues every pending invoice, counting into `report`.
  void issue_pending(InvoiceRun& report);
  // The invoice as printed.
  facturx::Document document(const Invoice& invoice, const std::vector<InvoiceLineRow>& lines, const Seller& seller,
                             const std::string& payment_method, const std::string& school_time_zone) const;

 private:
  Dependencies& deps_;
  PaymentService& payments_;
};

}  // namespace mnemos::billing
