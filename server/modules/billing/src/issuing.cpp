// Issuing an invoice (docs/billing.md, "Issuing"): the Factur-X PDF made from the stored figures,
// kept under MNEMOS_FILES_DIR, then the invoice marked issued and `billing.invoice_issued`
// published in one transaction. A run that stops between the two leaves the invoice pending; the
// next run issues it (the PDF is written again, the same bytes but for its dates).
#include <mnemos/core/db.hpp>
#include <mnemos/core/error.hpp>
#include <mnemos/core/failpoint.hpp>
#include <mnemos/core/files.hpp>
#include <mnemos/core/jobs.hpp>
#include <mnemos/core/json.hpp>
#include <mnemos/core/security.hpp>
#include <mnemos/core/timezone.hpp>

#include "facturx.hpp"
#include "invoices.hpp"
#include "repository.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>

namespace mnemos::billing {
namespace {

constexpr std::int64_t kPaymentDays = 30;                 // due 30 days after issue (docs/billing.md)
constexpr const char* kSellerTimeZone = "Europe/Paris";  // the seller's calendar dates the invoice

std::optional<std::string> text_or_null(const boost::json::object& o, const char* key) {
  const auto* value = o.if_contains(key);
  if (value == nullptr || !value->is_string() || value->as_string().empty()) return std::nullopt;
  return std::string(value->as_string());
}
std::string text(const boost::json::object& o, const char* key) { return text_or_null(o, key).value_or(""); }

std::optional<std::string> non_empty(const std::string& value) {
  return value.empty() ? std::nullopt : std::optional(value);
}

facturx::Party buyer_party(const std::string& buyer_json) {
  const auto parsed = json::parse(buyer_json);
  const auto& b = parsed.as_object();
  facturx::Party p;
  p.name = text(b, "legal_name");
  if (p.name.empty()) p.name = text(b, "school_name");
  p.address = text(b, "address");
  p.postal_code = text(b, "postal_code");
  p.city = text(b, "city");
  p.country = text_or_null(b, "country").value_or("FR");
  p.siren = text_or_null(b, "siren");
  p.siret = text_or_null(b, "siret");
  p.vat_number = text_or_null(b, "vat_number");
  p.electronic_address = text_or_null(b, "einvoice_address");
  return p;
}

facturx::Seller seller_party(const Seller& s) {
  facturx::Seller p;
  p.name = s.name;
  p.address = s.address;
  p.postal_code = s.postal_code;
  p.city = s.city;
  p.country = s.country;
  p.siren = non_empty(s.siren);
  p.vat_number = non_empty(s.vat_number);
  p.electronic_address = non_empty(s.email);
  p.legal_mentions = s.legal_mentions;
  p.iban = s.iban;
  p.bic = s.bic;
  return p;
}

std::string seller_json(const Seller& s) {
  return boost::json::serialize(boost::json::object{{"name", s.name},
                                                    {"address", s.address},
                                                    {"postal_code", s.postal_code},
                                                    {"city", s.city},
                                                    {"country", s.country},
                                                    {"siren", s.siren},
                                                    {"vat_number", s.vat_number},
                                                    {"email", s.email},
                                                    {"legal_mentions", s.legal_mentions},
                                                    {"iban", s.iban},
                                                    {"bic", s.bic}});
}

Seller seller_from_json(const std::string& stored) {
  const auto parsed = json::parse(stored);
  const auto& o = parsed.as_object();
  return {text(o, "name"),  text(o, "address"),    text(o, "postal_code"),    text(o, "city"),
          text_or_null(o, "country").value_or("FR"), text(o, "siren"), text(o, "vat_number"),
          text(o, "email"), text(o, "legal_mentions"), text(o, "iban"), text(o, "bic")};
}

std::string plural(std::int64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n > 1 ? many : one);
}

// A stored line as printed: French labels (the seller is French; docs/billing.md).
facturx::Line printed_line(const InvoiceLineRow& l) {
  facturx::Line out;
  out.quantity = l.quantity;
  out.unit_price = l.unit_price;
  out.amount = l.amount;
  const std::string days = l.days == l.period_days ? "mois complet"
                                                   : plural(l.days, "jour", "jours") + " sur " + std::to_string(l.period_days);
  if (l.kind == "extra_teachers") {
    out.label = "Enseignants au-delà du forfait (" + l.label + ")";
    out.detail = plural(l.quantity, "enseignant", "enseignants") + ", " + days;
  } else if (l.kind == "extra_students") {
    out.label = "Élèves au-delà du forfait (" + l.label + ")";
    out.detail = plural(l.quantity, "élève", "élèves") + ", " + days;
  } else {
    out.label = "Forfait " + l.label;
    out.detail = "Abonnement mensuel, " + days;
  }
  return out;
}

std::string pdf_path_of(const Invoice& i) { return "invoices/" + i.school_id + "/" + i.number + ".pdf"; }

// A credit note names the invoice it cancels, dated as it was issued, and why.
void credited_by(facturx::Document& d, const Invoice& credited, const Invoice& note) {
  d.preceding_number = credited.number;
  d.preceding_issue_day = TimeZone::named(kSellerTimeZone)->local_day(credited.issued_at.value_or(credited.created_at));
  d.credit_reason = note.credit_reason.value_or("");
}

}  // namespace

facturx::Document InvoiceService::document(const Invoice& invoice, const std::vector<InvoiceLineRow>& lines,
                                           const Seller& seller, const std::string& payment_method,
                                           const std::string& school_time_zone) const {
  const auto seller_zone = TimeZone::named(kSellerTimeZone);
  const auto school_zone = TimeZone::named(school_time_zone);
  facturx::Document d;
  d.number = invoice.number;
  d.credit_note = invoice.kind == "credit_note";
  d.issued_at_ms = invoice.issued_at.value_or(invoice.created_at);
  d.issue_day = seller_zone->local_day(d.issued_at_ms);
  d.due_day = invoice.due_at ? seller_zone->local_day(*invoice.due_at) : d.issue_day + kPaymentDays;
  d.period_first_day = school_zone->local_day(invoice.period_start);
  d.period_last_day = school_zone->local_day(invoice.period_end) - 1;
  d.currency = invoice.currency;
  d.seller = seller_party(seller);
  d.buyer = buyer_party(invoice.buyer);
  for (const auto& l : lines) d.lines.push_back(printed_line(l));
  d.total_excl_tax = invoice.total_excl_tax;
  d.tax = invoice.tax;
  d.total = invoice.total;
  d.tax_category = invoice.tax_category;
  d.tax_rate_basis_points = invoice.tax_rate;
  d.tax_mention = invoice.tax_mention;
  d.payment_method = payment_method;
  return d;
}

bool InvoiceService::issue(const std::string& invoice_id) {
  struct Loaded {
    Invoice invoice;
    std::vector<InvoiceLineRow> lines;
    std::string payment_method;
    std::string time_zone;
    std::optional<Invoice> credited;  // a credit note's invoice
  };
  const auto loaded = deps_.db.read([&](soci::session& sql) -> std::optional<Loaded> {
    auto invoice = repo::find_invoice(sql, invoice_id);
    if (!invoice || invoice->status != "pending") return std::nullopt;
    const auto subscription = repo::find_subscription(sql, invoice->school_id);
    auto time_zone = deps_.directory.school_timezone(sql, invoice->school_id);
    Loaded out{std::move(*invoice), {}, subscription ? subscription->payment_method : "transfer", std::move(time_zone)};
    out.lines = repo::invoice_lines(sql, out.invoice.id);
    if (out.invoice.credited_invoice_id) out.credited = repo::find_invoice(sql, *out.invoice.credited_invoice_id);
    return out;
  });
  if (!loaded) return false;

  Invoice issued = loaded->invoice;
  const std::int64_t now = deps_.clock.now_ms();
  issued.issued_at = now;
  issued.due_at = now + kPaymentDays * kDayMs;
  issued.seller = seller_json(deps_.seller);
  issued.payment_method = loaded->payment_method;
  auto printed = document(issued, loaded->lines, deps_.seller, loaded->payment_method, loaded->time_zone);
  if (loaded->credited) credited_by(printed, *loaded->credited, issued);
  const auto bytes = facturx::facturx_pdf(printed, facturx::Assets{});
  issued.pdf_path = pdf_path_of(issued);
  issued.pdf_sha256 = security::sha256_hex(bytes);
  files::Store(deps_.files_dir).put(*issued.pdf_path, bytes);
  failpoint("billing.after_pdf_stored");

  return deps_.db.write([&](soci::session& sql) {
    if (!repo::mark_issued(sql, issued)) return false;  // another run issued it meanwhile
    const boost::json::object event{{"invoice_id", issued.id},     {"number", issued.number}, {"kind", issued.kind},
                                     {"period", issued.period},    {"total", issued.total},
                                     {"currency", issued.currency}, {"due_at", *issued.due_at},
                                     {"pdf_path", *issued.pdf_path}};
    jobs::publish(sql, deps_.clock, deps_.jobs, "billing.invoice_issued", boost::json::serialize(event), issued.school_id);
    const auto s = repo::find_subscription(sql, issued.school_id);
    if (s && issued.kind == "invoice") payments_.queue_collection(sql, issued, *s);
    return true;
  });
}

void InvoiceService::issue_pending(InvoiceRun& report) {
  const auto pending = deps_.db.read([&](soci::session& sql) { return repo::pending_invoice_ids(sql); });
  for (const auto& id : pending) {
    try {
      if (issue(id)) ++report.issued;
    } catch (const std::exception& error) {
      // The invoice stays pending, its number kept; the next run tries again.
      ++report.not_issued;
      spdlog::error("invoice {} could not be issued: {}", id, error.what());
    }
  }
}

std::string InvoiceService::pdf(const RequestContext& ctx, const std::string& id) {
  const auto view = get(ctx, id);
  const auto& invoice = view.invoice;
  if (!invoice.pdf_path || !invoice.pdf_sha256) {
    throw Error(ErrorCode::conflict, "This invoice is not issued yet: its PDF comes with the next invoice run.");
  }
  auto bytes = files::Store(deps_.files_dir).get(*invoice.pdf_path);
  if (!bytes || security::sha256_hex(*bytes) != *invoice.pdf_sha256) {
    // The file kept is gone or not the one sent: made again from the stored figures and seller,
    // with the dates it was issued with. Logged: the archive needs looking at.
    spdlog::error("invoice {}: the PDF kept under the files folder is missing or changed; made again", invoice.number);
    const auto time_zone = deps_.db.read([&](soci::session& sql) { return deps_.directory.school_timezone(sql, invoice.school_id); });
    auto printed = document(invoice, view.lines, seller_from_json(invoice.seller.value_or("{}")),
                            invoice.payment_method.value_or("transfer"), time_zone);
    if (invoice.credited_invoice_id) {
      const auto credited = deps_.db.read([&](soci::session& sql) { return repo::find_invoice(sql, *invoice.credited_invoice_id); });
      if (credited) credited_by(printed, *credited, invoice);
    }
    bytes = facturx::facturx_pdf(printed, facturx::Assets{});
  }
  return std::move(*bytes);
}

}  // namespace mnemos::billing
