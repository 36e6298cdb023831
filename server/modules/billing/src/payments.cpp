// Payments and dunning (payments.hpp).
#include <mnemos/core/activity.hpp>
#include <mnemos/core/db.hpp>
#include <mnemos/core/error.hpp>
#include <mnemos/core/ids.hpp>
#include <mnemos/core/jobs.hpp>
#include <mnemos/core/json.hpp>

#include "payments.hpp"
#include "repository.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

namespace mnemos::billing {
namespace {

constexpr const char* kPaymentColumns =
    "id, invoice_id, school_id, method, amount, currency, status, gateway_reference, failure, note, recorded_by, "
    "received_at, created_at, updated_at";

void bind_payment(db::Prepared& prepared, Payment& p) {
  prepared, soci::into(p.id), soci::into(p.invoice_id), soci::into(p.school_id), soci::into(p.method),
      soci::into(p.amount), soci::into(p.currency), soci::into(p.status), soci::into(p.gateway_reference),
      soci::into(p.failure), soci::into(p.note), soci::into(p.recorded_by), soci::into(p.received_at),
      soci::into(p.created_at), soci::into(p.updated_at);
}

void insert_payment(soci::session& sql, const Payment& p) {
  sql << "INSERT INTO billing_payments (" << kPaymentColumns
      << ") VALUES (:id, :invoice, :school, :method, :amount, :currency, :status, :reference, :failure, :note, "
         ":recorded_by, :received, :created, :updated)",
      soci::use(p.id), soci::use(p.invoice_id), soci::use(p.school_id), soci::use(p.method), soci::use(p.amount),
      soci::use(p.currency), soci::use(p.status), soci::use(p.gateway_reference), soci::use(p.failure),
      soci::use(p.note), soci::use(p.recorded_by), soci::use(p.received_at), soci::use(p.created_at),
      soci::use(p.updated_at);
}

std::optional<Payment> payment_by_reference(soci::session& sql, const std::string& reference) {
  auto rows = db::fetch_rows<Payment>(
      sql, std::string("SELECT ") + kPaymentColumns + " FROM billing_payments WHERE gateway_reference = :reference",
      bind_payment, soci::use(reference));
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

std::int64_t amount_due(const Invoice& i) { return i.total - i.amount_paid; }

// Tells the school's admins about an unpaid invoice (communication turns it into a notification).
void publish_reminder(soci::session& sql, Dependencies& deps, const Invoice& i, std::string_view reason,
                      const std::string& failure = {}) {
  const boost::json::object event{{"invoice_id", i.id},       {"number", i.number},
                                  {"amount_due", amount_due(i)}, {"currency", i.currency},
                                  {"due_at", i.due_at.value_or(0)}, {"reason", reason},
                                  {"failure", failure}};
  jobs::publish(sql, deps.clock, deps.jobs, "billing.invoice_reminder", boost::json::serialize(event), i.school_id);
}

void set_status(soci::session& sql, Dependencies& deps, const std::string& school_id, const std::string& status) {
  auto s = repo::find_subscription(sql, school_id);
  if (!s || s->status == status) return;
  const std::string before = s->status;
  s->status = status;
  s->updated_at = deps.clock.now_ms();
  repo::update_subscription(sql, *s);
  record_activity(sql, RequestContext::system(deps.clock, school_id), "billing.subscription_status", "subscription",
                  school_id, boost::json::serialize(boost::json::object{{"from", before}, {"to", status}}));
  spdlog::info("school {}: subscription {} -> {}", school_id, before, status);
}

}  // namespace

std::vector<Payment> PaymentService::payments(soci::session& sql, const std::string& invoice_id) {
  return db::fetch_rows<Payment>(
      sql, std::string("SELECT ") + kPaymentColumns + " FROM billing_payments WHERE invoice_id = :invoice ORDER BY created_at, id",
      bind_payment, soci::use(invoice_id));
}

Payment PaymentService::record_transfer(const RequestContext& ctx, const std::string& invoice_id,
                                        std::optional<std::int64_t> amount, std::optional<std::int64_t> received_at,
                                        const std::optional<std::string>& note) {
  ctx.require(Permission::platform_billing_manage);
  return deps_.db.write([&](soci::session& sql) {
    const auto invoice = repo::find_invoice(sql, invoice_id);
    if (!invoice) throw Error::not_found("No invoice of yours has this id.");
    if (invoice->status != "issued") {
      throw Error::conflict(invoice->status == "paid" ? "This invoice is paid already."
                                                      : "Only an issued invoice takes a payment.");
    }
    const std::int64_t due = amount_due(*invoice);
    const std::int64_t paid = amount.value_or(due);
    if (paid <= 0 || paid > due) throw Error::invalid("amount", "The amount is between 1 and what remains due, in cents.");
    const std::int64_t now = deps_.clock.now_ms();
    if (received_at && *received_at > now) throw Error::invalid("received_at", "A payment cannot be received in the future.");
    Payment p;
    p.id = new_id();
    p.invoice_id = invoice->id;
    p.school_id = invoice->school_id;
    p.method = "transfer";
    p.amount = paid;
    p.currency = invoice->currency;
    p.status = "succeeded";
    p.note = note;
    p.recorded_by = ctx.user_id;
    p.received_at = received_at.value_or(now);
    p.created_at = p.updated_at = now;
    insert_payment(sql, p);
    apply(sql, invoice->id, paid);
    record_activity(sql, ctx, "billing.payment_recorded", "invoice", invoice->id,
                    boost::json::serialize(boost::json::object{{"number", invoice->number}, {"amount", paid}}));
    return p;
  });
}

void PaymentService::apply(soci::session& sql, const std::string& invoice_id, std::int64_t amount) {
  const std::int64_t now = deps_.clock.now_ms();
  sql << "UPDATE billing_invoices SET amount_paid = amount_paid + :amount WHERE id = :id", soci::use(amount),
      soci::use(invoice_id);
  const auto invoice = repo::find_invoice(sql, invoice_id);
  if (!invoice || invoice->amount_paid < invoice->total || invoice->status != "issued") return;
  sql << "UPDATE billing_invoices SET status = 'paid', paid_at = :now WHERE id = :id", soci::use(now),
      soci::use(invoice_id);
  const boost::json::object event{{"invoice_id", invoice->id}, {"number", invoice->number},
                                  {"total", invoice->total}, {"currency", invoice->currency}};
  jobs::publish(sql, deps_.clock, deps_.jobs, "billing.invoice_paid", boost::json::serialize(event), invoice->school_id);
  restore_if_settled(sql, invoice->school_id);
}

void PaymentService::restore_if_settled(soci::session& sql, const std::string& school_id) {
  const auto s = repo::find_subscription(sql, school_id);
  if (s && (s->status == "past_due" || s->status == "suspended") &&
      repo::overdue_invoices(sql, school_id, deps_.clock.now_ms()).empty()) {
    set_status(sql, deps_, school_id, "active");
  }
}

void PaymentService::queue_collection(soci::session& sql, const Invoice& invoice, const Subscription& s) {
  if (s.auto_collect == 0 || s.payment_method == "transfer" || invoice.total <= 0) return;
  jobs::enqueue(sql, deps_.clock, "billing.collect",
                boost::json::serialize(boost::json::object{{"invoice_id", invoice.id}, {"attempt", 1}}), invoice.school_id);
}

void PaymentService::collect(const std::string& invoice_id, int attempt) {
  const auto loaded = deps_.db.read([&](soci::session& sql) -> std::optional<std::pair<Invoice, Subscription>> {
    auto invoice = repo::find_invoice(sql, invoice_id);
    if (!invoice || invoice->status != "issued" || amount_due(*invoice) <= 0) return std::nullopt;
    auto s = repo::find_subscription(sql, invoice->school_id);
    if (!s || s->payment_method == "transfer") return std::nullopt;
    // A payment still processing (a SEPA debit takes days): its webhook will tell.
    for (const auto& p : payments(sql, invoice->id)) {
      if (p.status == "processing") return std::nullopt;
    }
    return std::pair{std::move(*invoice), std::move(*s)};
  });
  if (!loaded) return;
  const auto& [invoice, subscription] = *loaded;
  // The same attempt asked twice (the job retried after a timeout) is one payment at the gateway.
  const Collection request{invoice.id, invoice.school_id, invoice.number, amount_due(invoice), invoice.currency,
                           subscription.payment_method, "mnemos-" + invoice.id + "-" + std::to_string(attempt)};
  const auto intent = gateway_.collect(request);  // throws when unreachable: the job retries
  if (!intent) return;
  deps_.db.write([&](soci::session& sql) {
    const std::int64_t now = deps_.clock.now_ms();
    if (!intent->id.empty() && payment_by_reference(sql, intent->id)) return;  // recorded by its webhook already
    Payment p;
    p.id = new_id();
    p.invoice_id = invoice.id;
    p.school_id = invoice.school_id;
    p.method = subscription.payment_method;
    p.amount = request.amount;
    p.currency = invoice.currency;
    p.status = intent->status;
    if (!intent->id.empty()) p.gateway_reference = intent->id;
    p.received_at = intent->status == "succeeded" ? std::optional(now) : std::nullopt;
    p.created_at = p.updated_at = now;
    insert_payment(sql, p);
    sql << "UPDATE billing_invoices SET collection_attempts = :attempt WHERE id = :id", soci::use(attempt),
        soci::use(invoice.id);
    if (intent->status == "succeeded") apply(sql, invoice.id, p.amount);
    if (intent->status == "failed") payment_failed(sql, p, intent->failure);
  });
}

void PaymentService::payment_failed(soci::session& sql, const Payment& p, const std::string& failure) {
  sql << "UPDATE billing_payments SET status = 'failed', failure = :failure, updated_at = :now WHERE id = :id",
      soci::use(failure), soci::use(deps_.clock.now_ms()), soci::use(p.id);
  const auto invoice = repo::find_invoice(sql, p.invoice_id);
  if (!invoice) return;
  // Asked again after 1, 3 and 5 days; then the reminders take over.
  const int attempts = invoice->collection_attempts;
  if (attempts >= 1 && attempts <= static_cast<int>(std::size(kRetryDays))) {
    jobs::enqueue(sql, deps_.clock, "billing.collect",
                  boost::json::serialize(boost::json::object{{"invoice_id", invoice->id}, {"attempt", attempts + 1}}),
                  invoice->school_id, deps_.clock.now_ms() + kRetryDays[attempts - 1] * kDayMs);
  }
  publish_reminder(sql, deps_, *invoice, "payment_failed", failure);
}

WebhookOutcome PaymentService::webhook(std::string_view payload, std::string_view signature) {
  if (deps_.payments.webhook_secret.empty()) throw Error::not_found("No payment gateway is configured.");
  const auto check = verify_signature(signature, payload, deps_.payments.webhook_secret, deps_.clock.now_ms() / 1000);
  if (check == SignatureCheck::malformed) throw Error::bad_request("The Stripe-Signature header is missing or malformed.");
  if (check == SignatureCheck::mismatch) throw Error::bad_request("The Stripe-Signature does not match this payload.");
  if (check == SignatureCheck::too_old) throw Error::bad_request("This event is too old to be accepted (a replay?).");

  boost::json::value parsed;
  try {
    parsed = json::parse(payload);
  } catch (const std::exception&) {
    throw Error::bad_request("The event is not JSON.");
  }
  const auto* event = parsed.if_object();
  const auto* id = event ? event->if_contains("id") : nullptr;
  const auto* type = event ? event->if_contains("type") : nullptr;
  const auto* data = event ? event->if_contains("data") : nullptr;
  const auto* object = data && data->is_object() ? data->as_object().if_contains("object") : nullptr;
  if (!id || !id->is_string() || !type || !type->is_string() || !object || !object->is_object()) {
    throw Error::bad_request("An event has an id, a type and data.object.");
  }
  WebhookOutcome outcome;
  outcome.type = std::string(type->as_string());
  const auto& intent = object->as_object();
  const auto intent_id = intent.if_contains("id") && intent.at("id").is_string() ? std::string(intent.at("id").as_string()) : "";
  deps_.db.write([&](soci::session& sql) {
    const std::int64_t now = deps_.clock.now_ms();
    const std::string event_id(id->as_string());
    int seen = 0;
    sql << "SELECT COUNT(*) FROM billing_webhook_events WHERE id = :id", soci::use(event_id), soci::into(seen);
    if (seen > 0) {
      outcome.duplicate = true;
      return;
    }
    sql << "INSERT INTO billing_webhook_events (id, type, received_at) VALUES (:id, :type, :now)", soci::use(event_id),
        soci::use(outcome.type), soci::use(now);
    if (intent_id.empty()) return;
    auto payment = payment_by_reference(sql, intent_id);
    if (!payment || payment->status != "processing") {
      if (payment) return;  // settled already (the gateway's immediate answer)
      // Not asked by us (or its answer was lost): known by the invoice named in its metadata.
      const auto* metadata = intent.if_contains("metadata");
      const auto* invoice_ref = metadata && metadata->is_object() ? metadata->as_object().if_contains("invoice_id") : nullptr;
      if (!invoice_ref || !invoice_ref->is_string()) return;
      const auto invoice = repo::find_invoice(sql, std::string(invoice_ref->as_string()));
      if (!invoice || invoice->status != "issued") return;
      Payment p;
      p.id = new_id();
      p.invoice_id = invoice->id;
      p.school_id = invoice->school_id;
      const auto* types = intent.if_contains("payment_method_types");
      p.method = types && types->is_array() && !types->as_array().empty() && types->as_array()[0] == "sepa_debit" ? "sepa_debit" : "card";
      const auto* amount = intent.if_contains("amount");
      p.amount = amount && amount->is_int64() ? std::min(amount->as_int64(), amount_due(*invoice)) : amount_due(*invoice);
      p.currency = invoice->currency;
      p.status = "processing";
      p.gateway_reference = intent_id;
      p.created_at = p.updated_at = now;
      insert_payment(sql, p);
      payment = p;
    }
    if (outcome.type == "payment_intent.succeeded") {
      sql << "UPDATE billing_payments SET status = 'succeeded', received_at = :now, updated_at = :now2 WHERE id = :id",
          soci::use(now), soci::use(now), soci::use(payment->id);
      apply(sql, payment->invoice_id, payment->amount);
    } else if (outcome.type == "payment_intent.payment_failed") {
      const auto* error = intent.if_contains("last_payment_error");
      const auto* message = error && error->is_object() ? error->as_object().if_contains("message") : nullptr;
      payment_failed(sql, *payment, message && message->is_string() ? std::string(message->as_string()) : "declined");
    }
  });
  return outcome;
}

DunningReport PaymentService::dunning() {
  DunningReport report;
  const std::int64_t now = deps_.clock.now_ms();
  deps_.db.write([&](soci::session& sql) {
    for (const auto& s : repo::subscriptions(sql)) {
      if (s.status == "trialing" && s.trial_ends_at && *s.trial_ends_at <= now) {
        set_status(sql, deps_, s.school_id, "active");
        ++report.trials_ended;
      }
    }
    for (const auto& invoice : repo::overdue_invoices(sql, std::nullopt, now)) {
      const std::int64_t late_days = (now - invoice.due_at.value_or(now)) / kDayMs;
      const auto s = repo::find_subscription(sql, invoice.school_id);
      if (!s || s->status == "canceled") continue;
      // The reminder due at this point of the calendar, once each.
      const int stage = late_days >= kSuspensionDays ? 3 : late_days >= kSecondReminderDays ? 2 : 1;
      if (invoice.reminders_sent >= stage) continue;
      if (stage == 3 && s->status != "suspended") {
        set_status(sql, deps_, invoice.school_id, "suspended");
        ++report.suspended;
      } else if (s->status == "active" || s->status == "trialing") {
        set_status(sql, deps_, invoice.school_id, "past_due");
        ++report.past_due;
      }
      sql << "UPDATE billing_invoices SET reminders_sent = :stage WHERE id = :id", soci::use(stage), soci::use(invoice.id);
      publish_reminder(sql, deps_, invoice, stage == 3 ? "suspended" : stage == 2 ? "final_notice" : "overdue");
      ++report.reminders;
    }
  });
  return report;
}

}  // namespace mnemos::billing
