// Credit notes (docs/billing.md, "Credit notes"): an issued invoice is never changed; the platform
// cancels it with a credit note of the same lines and figures, numbered in its own gapless series
// (A-<year>-NNNNNN), issued as a Factur-X document of type 381 naming the invoice.
#include <mnemos/core/activity.hpp>
#include <mnemos/core/db.hpp>
#include <mnemos/core/error.hpp>
#include <mnemos/core/ids.hpp>
#include <mnemos/core/jobs.hpp>
#include <mnemos/core/json.hpp>
#include <mnemos/core/timezone.hpp>

#include "invoices.hpp"
#include "repository.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>

namespace mnemos::billing {

InvoiceView InvoiceService::credit(const RequestContext& ctx, const std::string& invoice_id, const std::string& reason) {
  ctx.require(Permission::platform_billing_manage);
  const std::string why = json::trim(reason);
  if (why.empty()) throw Error::invalid("reason", "Say why the invoice is cancelled: it is printed on the credit note.");
  const std::string note_id = deps_.db.write([&](soci::session& sql) {
    const auto invoice = repo::find_invoice(sql, invoice_id);
    if (!invoice || invoice->kind != "invoice") throw Error::not_found("No invoice of yours has this id.");
    if (invoice->status == "pending") {
      throw Error::conflict("This invoice is not issued yet: a credit note cancels an issued invoice.");
    }
    if (invoice->status == "void") throw Error::conflict("This invoice is cancelled already.");
    const std::int64_t now = deps_.clock.now_ms();
    Invoice note = *invoice;
    note.id = new_id();
    note.kind = "credit_note";
    note.status = "pending";
    note.created_at = now;
    note.issued_at.reset();
    note.due_at = now;
    note.seller.reset();
    note.payment_method.reset();
    note.pdf_path.reset();
    note.pdf_sha256.reset();
    note.amount_paid = 0;
    note.paid_at.reset();
    note.collection_attempts = 0;
    note.reminders_sent = 0;
    note.credited_invoice_id = invoice->id;
    note.credit_reason = why;
    const auto zone = TimeZone::named("Europe/Paris");
    const auto year = static_cast<int>(
        std::chrono::year_month_day{std::chrono::sys_days{std::chrono::days{zone->local_day(now)}}}.year());
    const std::string series = "A-" + std::to_string(year);
    char number[32];
    std::snprintf(number, sizeof number, "%s-%06lld", series.c_str(), static_cast<long long>(repo::next_number(sql, series)));
    note.number = number;
    try {
      repo::insert_invoice(sql, note, repo::invoice_lines(sql, invoice->id));
    } catch (const std::exception& error) {
      if (db::is_unique_violation(error)) throw Error::conflict("This invoice is cancelled already.");
      throw;
    }
    // An unpaid invoice is settled by its credit note; a paid one stays paid (a refund is owed:
    // not built, docs/billing.md).
    if (invoice->status == "issued") {
      sql << "UPDATE billing_invoices SET status = 'void' WHERE id = :id", soci::use(invoice->id);
      payments_.restore_if_settled(sql, invoice->school_id);
    }
    record_activity(sql, ctx, "billing.invoice_credited", "invoice", invoice->id,
                    boost::json::serialize(boost::json::object{{"number", invoice->number}, {"credit_note", note.number}}));
    return note.id;
  });
  try {
    issue(note_id);
  } catch (const std::exception& error) {
    // Made and numbered; its PDF comes with the next invoice run (which issues what is pending).
    spdlog::error("credit note {} could not be issued: {}", note_id, error.what());
  }
  return get(ctx, note_id);
}

}  // namespace mnemos::billing
