// HTTP routes of the billing module (docs/billing.md, openapi.json beside this folder).
#include <mnemos/core/ids.hpp>
#include <mnemos/core/json.hpp>
#include <mnemos/http/json.hpp>

#include "overview.hpp"
#include "routes.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

namespace mnemos::billing {
namespace {

using boost::json::array;
using boost::json::object;
using http::Request;
using http::Response;

using json::or_null;

object version_json(const PlanVersion& v) {
  return {{"id", v.id},
          {"version", v.version},
          {"currency", v.currency},
          {"monthly_price", v.monthly_price},
          {"included_teachers", v.included_teachers},
          {"included_students", v.included_students},
          {"extra_teacher_price", v.extra_teacher_price},
          {"extra_student_price", v.extra_student_price},
          {"overage_allowed", v.overage_allowed != 0},
          {"ai_tutor", v.ai_tutor != 0},
          {"video_rooms", v.video_rooms != 0},
          {"ai_requests_per_month", or_null(v.ai_requests_per_month)},
          {"trial_days", v.trial_days},
          {"created_at", v.created_at}};
}

object plan_json(const PlanView& view, bool platform) {
  object out{{"id", view.plan.id},
             {"code", view.plan.code},
             {"name", view.plan.name},
             {"is_default", view.plan.is_default != 0},
             {"archived_at", or_null(view.plan.archived_at)},
             {"created_at", view.plan.created_at},
             {"current", version_json(view.current)}};
  if (platform) {
    array versions;
    for (const auto& v : view.versions) versions.push_back(version_json(v));
    out["versions"] = std::move(versions);
    out["schools"] = view.schools;
  }
  return out;
}

object usage_json(const SubscriptionView& view) {
  array days;
  for (const auto& d : view.days) {
    days.push_back(object{{"day", d.day}, {"active_students", d.active_students}, {"ai_requests", d.ai_requests},
                          {"ai_tokens", d.ai_tokens}, {"storage_bytes", d.storage_bytes}});
  }
  return {{"month", view.usage.month},
          {"ai_requests", view.usage.ai_requests},
          {"ai_requests_quota", or_null(view.version.ai_requests_per_month)},
          {"ai_tokens", view.usage.ai_tokens},
          {"active_students", view.usage.active_students},
          {"storage_bytes", view.usage.storage_bytes},
          {"days", std::move(days)}};
}

object subscription_json(const SubscriptionView& view) {
  const auto& s = view.subscription;
  return {{"school_id", s.school_id},
          {"status", s.status},
          {"plan", object{{"id", view.plan.id}, {"code", view.plan.code}, {"name", view.plan.name}}},
          {"version", version_json(view.version)},
          {"billing_day", s.billing_day},
          {"trial_ends_at", or_null(s.trial_ends_at)},
          {"seats", object{{"teachers", object{{"used", view.teachers.used}, {"included", view.teachers.included}}},
                           {"students", object{{"used", view.students.used}, {"included", view.students.included}}}}},
          {"billing_details", billing_details_json(s)},
          {"payment_method", s.payment_method},
          {"auto_collect", s.auto_collect != 0},
          {"usage", usage_json(view)},
          {"created_at", s.created_at},
          {"updated_at", s.updated_at}};
}

VersionInput version_input(json::Fields& fields) {
  VersionInput v;
  constexpr std::int64_t kBig = 100'000'000;
  v.currency = fields.optional_string("currency", 3);
  v.monthly_price = fields.optional_int("monthly_price", 0, kBig);
  v.included_teachers = fields.optional_int("included_teachers", 0, 1'000'000);
  v.included_students = fields.optional_int("included_students", 0, 1'000'000);
  v.extra_teacher_price = fields.optional_int("extra_teacher_price", 0, kBig);
  v.extra_student_price = fields.optional_int("extra_student_price", 0, kBig);
  v.overage_allowed = fields.optional_bool("overage_allowed");
  v.ai_tutor = fields.optional_bool("ai_tutor");
  v.video_rooms = fields.optional_bool("video_rooms");
  // null: no quota; absent: as it was.
  v.ai_quota_given = fields.object().contains("ai_requests_per_month");
  v.ai_requests_per_month = fields.optional_int("ai_requests_per_month", 0, kBig);
  v.trial_days = fields.optional_int("trial_days", 0, 365);
  return v;
}

PlanInput plan_input(const Request& req) {
  const auto body = http::body_json(req);
  json::Fields fields(body);
  PlanInput in;
  in.code = fields.optional_string("code", 40);
  in.name = fields.optional_string("name", 100);
  in.is_default = fields.optional_bool("is_default");
  in.archived = fields.optional_bool("archived");
  in.version = version_input(fields);
  in.version.parsed = fields.validation();
  return in;
}

std::string school_name_of(const Invoice& i) {
  const auto buyer = json::parse(i.buyer);
  const auto* name = buyer.is_object() ? buyer.as_object().if_contains("school_name") : nullptr;
  return name && name->is_string() ? std::string(name->as_string()) : std::string();
}

array money_json(const std::map<std::string, std::int64_t>& by_currency) {
  array items;
  for (const auto& [currency, amount] : by_currency) items.push_back(object{{"currency", currency}, {"amount", amount}});
  return items;
}

object overview_json(const Overview& o) {
  array plans, months, rows;
  for (const auto& p : o.by_plan) {
    plans.push_back(object{{"plan_id", p.plan_id}, {"code", p.code}, {"name", p.name}, {"currency", p.currency},
                           {"schools", p.schools}, {"paying", p.paying}, {"mrr", p.mrr}});
  }
  for (const auto& m : o.months) {
    months.push_back(object{{"period", m.period}, {"currency", m.currency}, {"invoiced", m.invoiced}, {"collected", m.collected}});
  }
  for (const auto& r : o.subscriptions) {
    rows.push_back(object{{"school_id", r.school_id}, {"school_name", r.school_name}, {"plan_name", r.plan_name},
                          {"status", r.status}, {"currency", r.currency}, {"monthly_price", r.monthly_price},
                          {"trial_ends_at", or_null(r.trial_ends_at)}, {"overdue", r.overdue}});
  }
  object statuses;
  for (const auto& [status, count] : o.by_status) statuses[status] = count;
  return object{{"mrr", money_json(o.mrr)},
                {"overdue", money_json(o.overdue)},
                {"overdue_invoices", o.overdue_invoices},
                {"by_status", std::move(statuses)},
                {"by_plan", std::move(plans)},
                {"months", std::move(months)},
                {"subscriptions", std::move(rows)}};
}

object invoice_json(const InvoiceView& view, bool detail) {
  const auto& i = view.invoice;
  object out{{"id", i.id},
             {"school_id", i.school_id},
             {"school_name", school_name_of(i)},
             {"kind", i.kind},
             {"number", i.number},
             {"period", i.period},
             {"period_start", i.period_start},
             {"period_end", i.period_end},
             {"status", i.status},
             {"currency", i.currency},
             {"total_excl_tax", i.total_excl_tax},
             {"tax", i.tax},
             {"total", i.total},
             {"created_at", i.created_at},
             {"issued_at", or_null(i.issued_at)},
             {"due_at", or_null(i.due_at)},
             {"pdf_url", i.pdf_path ? boost::json::value("/api/v1/invoices/" + i.id + "/pdf") : boost::json::value(nullptr)},
             {"amount_paid", i.amount_paid},
             {"amount_due", i.status == "issued" ? i.total - i.amount_paid : 0},
             {"paid_at", or_null(i.paid_at)}};
  if (detail) {
    out["credited_invoice_id"] = or_null(i.credited_invoice_id);
    out["credit_reason"] = or_null(i.credit_reason);
    array payments;
    for (const auto& p : view.payments) {
      payments.push_back(object{{"id", p.id},
                                {"method", p.method},
                                {"amount", p.amount},
                                {"currency", p.currency},
                                {"status", p.status},
                                {"failure", or_null(p.failure)},
                                {"note", or_null(p.note)},
                                {"received_at", or_null(p.received_at)},
                                {"created_at", p.created_at}});
    }
    out["payments"] = std::move(payments);
    out["tax_category"] = i.tax_category;
    out["tax_rate"] = i.tax_rate;
    out["tax_mention"] = i.tax_mention;
    out["buyer"] = json::parse(i.buyer);
    array lines;
    for (const auto& l : view.lines) {
      lines.push_back(object{{"position", l.position}, {"kind", l.kind}, {"label", l.label}, {"quantity", l.quantity},
                             {"unit_price", l.unit_price}, {"days", l.days}, {"period_days", l.period_days},
                             {"amount", l.amount}});
    }
    out["lines"] = std::move(lines);
  }
  return out;
}

}  // namespace

void register_invoice_routes(http::Router& router, InvoiceService& invoices, PaymentService& payments,
                             Dependencies& deps) {
  router.get("/api/v1/billing/overview", {.permission = Permission::platform_billing_manage},
             [&deps](const Request&, RequestContext& ctx) { return http::json(200, overview_json(billing_overview(deps, ctx))); });
  router.post("/api/v1/invoices/{id}/payments", {.permission = Permission::platform_billing_manage, .body_limit = 4096},
              [&invoices](const Request& req, RequestContext& ctx) {
                const auto& id = http::uuid_param(req, "invoice");
                ctx.require(Permission::platform_billing_manage);
                std::optional<std::int64_t> amount, received_at;
                std::optional<std::string> note;
                {
                  const auto body = http::body_json(req);
                  json::Fields fields(body);
                  amount = fields.optional_int("amount", 1, 1'000'000'000'000);
                  received_at = fields.optional_int("received_at", 0, 32'503'680'000'000);
                  note = fields.optional_string("note", 300);
                  fields.done();
                }
                return http::json(201, invoice_json(invoices.record_payment(ctx, id, amount, received_at, note), true));
              });
  router.post("/api/v1/invoices/{id}/credit-notes", {.permission = Permission::platform_billing_manage, .body_limit = 4096},
              [&invoices](const Request& req, RequestContext& ctx) {
                const auto& id = http::uuid_param(req, "invoice");
                ctx.require(Permission::platform_billing_manage);
                std::optional<std::string> reason;
                {
                  const auto body = http::body_json(req);
                  json::Fields fields(body);
                  reason = fields.optional_string("reason", 300);
                  fields.done();
                }
                return http::json(201, invoice_json(invoices.credit(ctx, id, reason.value_or("")), true));
              });
  // The gateway's events: no session, no CSRF; the signature is the credential.
  router.post("/api/v1/billing/webhooks/stripe", {.auth = false, .body_limit = 65536, .csrf = false},
              [&payments](const Request& req, RequestContext&) {
                const auto outcome = payments.webhook(req.body, req.header("stripe-signature").value_or(""));
                return http::json(200, object{{"received", true}, {"duplicate", outcome.duplicate}, {"type", outcome.type}});
              });
  router.get("/api/v1/invoices", {.permission = Permission::billing_read}, [&invoices](const Request& req, RequestContext& ctx) {
    std::optional<std::string> school;
    if (auto given = req.query_param("school_id")) {
      if (!is_uuid(*given)) throw Error::invalid("school_id", "A school id is a UUID.");
      school = std::string(*given);
    }
    array items;
    for (const auto& v : invoices.list(ctx, school)) items.push_back(invoice_json(v, false));
    return http::json(200, object{{"items", std::move(items)}});
  });
  router.get("/api/v1/invoices/{id}", {.permission = Permission::billing_read}, [&invoices](const Request& req, RequestContext& ctx) {
    return http::json(200, invoice_json(invoices.get(ctx, http::uuid_param(req, "invoice")), true));
  });
  router.get("/api/v1/invoices/{id}/pdf", {.permission = Permission::billing_read},
             [&invoices](const Request& req, RequestContext& ctx) {
               const auto& id = http::uuid_param(req, "invoice");
               const auto number = invoices.get(ctx, id).invoice.number;
               Response response = Response::text(200, invoices.pdf(ctx, id), "application/pdf");
               // Opens in the browser's viewer; ?download=1 saves it. Never run as a page of ours.
               const bool download = req.query_param("download").has_value();
               response.set_header("content-disposition",
                                   std::string(download ? "attachment" : "inline") + "; filename=\"" + number + ".pdf\"");
               response.set_header("x-content-type-options", "nosniff");
               response.set_header("cache-control", "private, max-age=86400");
               return response;
             });
  router.post("/api/v1/billing/runs", {.permission = Permission::platform_billing_manage, .body_limit = 4096},
              [&invoices](const Request& req, RequestContext& ctx) {
                ctx.require(Permission::platform_billing_manage);
                std::optional<std::string> period;
                {
                  const auto body = http::body_json(req);
                  json::Fields fields(body);
                  period = fields.optional_string("period", 7);
                  fields.done();
                }
                const auto run = invoices.run(period);
                array created;
                for (const auto& n : run.created) created.emplace_back(n);
                return http::json(200, object{{"period", run.period},
                                              {"created", std::move(created)},
                                              {"issued", run.issued},
                                              {"not_issued", run.not_issued},
                                              {"already", run.already},
                                              {"nothing_due", run.nothing_due},
                                              {"not_ended", run.not_ended},
                                              {"past_due", run.past_due},
                                              {"suspended", run.suspended},
                                              {"reminders", run.reminders},
                                              {"trials_ended", run.trials_ended}});
              });
}

void register_routes(http::Router& router, BillingService& billing) {
  router.get("/api/v1/plans", {.permission = Permission::billing_read}, [&billing](const Request&, RequestContext& ctx) {
    array items;
    const bool platform = ctx.can(Permission::platform_billing_manage);
    for (const auto& p : billing.plans(ctx)) items.push_back(plan_json(p, platform));
    return http::json(200, object{{"items", std::move(items)}});
  });
  router.post("/api/v1/plans", {.permission = Permission::platform_billing_manage, .body_limit = 16384},
              [&billing](const Request& req, RequestContext& ctx) {
                return http::json(201, plan_json(billing.create_plan(ctx, plan_input(req)), true));
              });
  router.get("/api/v1/plans/{id}", {.permission = Permission::platform_billing_manage},
             [&billing](const Request& req, RequestContext& ctx) {
               return http::json(200, plan_json(billing.plan(ctx, http::uuid_param(req, "plan")), true));
             });
  router.patch("/api/v1/plans/{id}", {.permission = Permission::platform_billing_manage, .body_limit = 16384},
               [&billing](const Request& req, RequestContext& ctx) {
                 const auto& id = http::uuid_param(req, "plan");
                 return http::json(200, plan_json(billing.change_plan(ctx, id, plan_input(req)), true));
               });
  router.post("/api/v1/plans/{id}/versions", {.permission = Permission::platform_billing_manage, .body_limit = 16384},
              [&billing](const Request& req, RequestContext& ctx) {
                const auto& id = http::uuid_param(req, "plan");
                VersionInput in;
                {
                  const auto body = http::body_json(req);
                  json::Fields fields(body);
                  in = version_input(fields);
                  in.parsed = fields.validation();
                }
                return http::json(201, plan_json(billing.add_version(ctx, id, in), true));
              });

  router.get("/api/v1/schools/{id}/subscription", {.permission = Permission::billing_read},
             [&billing](const Request& req, RequestContext& ctx) {
               return http::json(200, subscription_json(billing.subscription(ctx, http::uuid_param(req, "school"))));
             });
  router.patch("/api/v1/schools/{id}/subscription",
               {.permission = Permission::billing_manage, .body_limit = 16384, .while_read_only = true},
               [&billing](const Request& req, RequestContext& ctx) {
                 const auto& school = http::uuid_param(req, "school");
                 ctx.require(Permission::billing_manage);
                 billing.require_school(ctx, school);
                 DetailsInput in;
                 {
                   const auto body = http::body_json(req);
                   json::Fields fields(body);
                   in.legal_name = fields.optional_string("legal_name", 200);
                   in.address = fields.optional_string("address", 300);
                   in.postal_code = fields.optional_string("postal_code", 20);
                   in.city = fields.optional_string("city", 100);
                   in.country = fields.optional_string("country", 2);
                   in.siren = fields.optional_string("siren", 20);
                   in.siret = fields.optional_string("siret", 30);
                   in.vat_number = fields.optional_string("vat_number", 20);
                   in.einvoice_address = fields.optional_string("einvoice_address", 200);
                   in.payment_method = fields.optional_string("payment_method", 20);
                   in.auto_collect = fields.optional_bool("auto_collect");
                   in.billing_day = fields.optional_int("billing_day", 1, 28);
                   in.parsed = fields.validation();
                 }
                 return http::json(200, subscription_json(billing.change_details(ctx, school, in)));
               });
  router.post("/api/v1/schools/{id}/subscription/plan", {.permission = Permission::billing_manage, .body_limit = 4096},
              [&billing](const Request& req, RequestContext& ctx) {
                const auto& school = http::uuid_param(req, "school");
                ctx.require(Permission::billing_manage);
                billing.require_school(ctx, school);
                std::optional<std::string> plan_id;
                {
                  const auto body = http::body_json(req);
                  json::Fields fields(body);
                  plan_id = fields.optional_string("plan_id", 36);
                  fields.done();
                }
                return http::json(200, subscription_json(billing.switch_plan(ctx, school, plan_id)));
              });
}

}  // namespace mnemos::billing
