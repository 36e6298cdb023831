// SQL of plans and subscriptions (repository.hpp).
#include <mnemos/core/db.hpp>
#include <mnemos/core/ids.hpp>

#include "repository.hpp"

namespace mnemos::billing::repo {
namespace {

constexpr const char* kPlanColumns = "id, code, name, is_default, archived_at, created_at";

void bind_plan(db::Prepared& prepared, Plan& p) {
  prepared, soci::into(p.id), soci::into(p.code), soci::into(p.name), soci::into(p.is_default),
      soci::into(p.archived_at), soci::into(p.created_at);
}

constexpr const char* kVersionColumns =
    "id, plan_id, version, currency, monthly_price, included_teachers, included_students, extra_teacher_price, "
    "extra_student_price, overage_allowed, ai_tutor, video_rooms, ai_requests_per_month, trial_days, created_at";

void bind_version(db::Prepared& prepared, PlanVersion& v) {
  prepared, soci::into(v.id), soci::into(v.plan_id), soci::into(v.version), soci::into(v.currency),
      soci::into(v.monthly_price), soci::into(v.included_teachers), soci::into(v.included_students),
      soci::into(v.extra_teacher_price), soci::into(v.extra_student_price), soci::into(v.overage_allowed),
      soci::into(v.ai_tutor), soci::into(v.video_rooms), soci::into(v.ai_requests_per_month),
      soci::into(v.trial_days), soci::into(v.created_at);
}

constexpr const char* kSubscriptionColumns =
    "school_id, plan_version_id, status, billing_day, trial_ends_at, legal_name, address, postal_code, city, "
    "country, siren, siret, vat_number, einvoice_address, payment_method, auto_collect, created_at, updated_at";

void bind_subscription(db::Prepared& prepared, Subscription& s) {
  prepared, soci::into(s.school_id), soci::into(s.plan_version_id), soci::into(s.status),
      soci::into(s.billing_day), soci::into(s.trial_ends_at), soci::into(s.legal_name), soci::into(s.address),
      soci::into(s.postal_code), soci::into(s.city), soci::into(s.country), soci::into(s.siren),
      soci::into(s.siret), soci::into(s.vat_number), soci::into(s.einvoice_address),
      soci::into(s.payment_method), soci::into(s.auto_collect), soci::into(s.created_at),
      soci::into(s.updated_at);
}

template <typename Row, typename Bind, typename... Uses>
std::optional<Row> one(soci::session& sql, const std::string& query, Bind&& bind, Uses&&... uses) {
  auto rows = db::fetch_rows<Row>(sql, query, std::forward<Bind>(bind), std::forward<Uses>(uses)...);
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

}  // namespace

void insert_plan(soci::session& sql, const Plan& p) {
  sql << "INSERT INTO billing_plans (" << kPlanColumns
      << ") VALUES (:id, :code, :name, :is_default, :archived_at, :created_at)",
      soci::use(p.id), soci::use(p.code), soci::use(p.name), soci::use(p.is_default), soci::use(p.archived_at),
      soci::use(p.created_at);
}

void update_plan(soci::session& sql, const Plan& p) {
  sql << "UPDATE billing_plans SET name = :name, is_default = :is_default, archived_at = :archived_at WHERE id = :id",
      soci::use(p.name), soci::use(p.is_default), soci::use(p.archived_at), soci::use(p.id);
}

void clear_default(soci::session& sql, const std::string& except_id) {
  sql << "UPDATE billing_plans SET is_default = 0 WHERE id <> :id AND is_default = 1", soci::use(except_id);
}

std::optional<Plan> find_plan(soci::session& sql, const std::string& id) {
  return one<Plan>(sql, std::string("SELECT ") + kPlanColumns + " FROM billing_plans WHERE id = :id", bind_plan,
                   soci::use(id));
}

std::optional<Plan> find_plan_by_code(soci::session& sql, const std::string& code) {
  return one<Plan>(sql, std::string("SELECT ") + kPlanColumns + " FROM billing_plans WHERE code = :code", bind_plan,
                   soci::use(code));
}

std::optional<Plan> default_plan(soci::session& sql) {
  return one<Plan>(sql,
                   std::string("SELECT ") + kPlanColumns +
                       " FROM billing_plans WHERE is_default = 1 AND archived_at IS NULL ORDER BY created_at LIMIT 1",
                   bind_plan);
}

std::vector<Plan> plans(soci::session& sql) {
  return db::fetch_rows<Plan>(sql, std::string("SELECT ") + kPlanColumns + " FROM billing_plans ORDER BY created_at, id",
                              bind_plan);
}

void insert_version(soci::session& sql, const PlanVersion& v) {
  sql << "INSERT INTO billing_plan_versions (" << kVersionColumns
      << ") VALUES (:id, :plan, :version, :currency, :price, :teachers, :students, :extra_teacher, :extra_student, "
         ":overage, :ai, :video, :ai_quota, :trial, :created)",
      soci::use(v.id), soci::use(v.plan_id), soci::use(v.version), soci::use(v.currency), soci::use(v.monthly_price),
      soci::use(v.included_teachers), soci::use(v.included_students), soci::use(v.extra_teacher_price),
      soci::use(v.extra_student_price), soci::use(v.overage_allowed), soci::use(v.ai_tutor), soci::use(v.video_rooms),
      soci::use(v.ai_requests_per_month), soci::use(v.trial_days), soci::use(v.created_at);
}

std::optional<PlanVersion> find_version(soci::session& sql, const std::string& id) {
  return one<PlanVersion>(sql, std::string("SELECT ") + kVersionColumns + " FROM billing_plan_versions WHERE id = :id",
                          bind_version, soci::use(id));
}

std::optional<PlanVersion> current_version(soci::session& sql, const std::string& plan_id) {
  return one<PlanVersion>(sql,
                          std::string("SELECT ") + kVersionColumns +
                              " FROM billing_plan_versions WHERE plan_id = :plan ORDER BY version DESC LIMIT 1",
                          bind_version, soci::use(plan_id));
}

std::vector<PlanVersion> versions(soci::session& sql, const std::string& plan_id) {
  return db::fetch_rows<PlanVersion>(
      sql, std::string("SELECT ") + kVersionColumns + " FROM billing_plan_versions WHERE plan_id = :plan ORDER BY version",
      bind_version, soci::use(plan_id));
}

std::int64_t schools_on_plan(soci::session& sql, const std::string& plan_id) {
  std::int64_t count = 0;
  sql << "SELECT COUNT(*) FROM billing_subscriptions s JOIN billing_plan_versions v ON v.id = s.plan_version_id "
         "WHERE v.plan_id = :plan AND s.status <> 'canceled'",
      soci::use(plan_id), soci::into(count);
  return count;
}

void insert_subscription(soci::session& sql, const Subscription& s) {
  sql << "INSERT INTO billing_subscriptions (" << kSubscriptionColumns
      << ") VALUES (:school, :version, :status, :day, :trial, :legal, :address, :postal, :city, :country, :siren, "
         ":siret, :vat, :einvoice, :method, :auto, :created, :updated)",
      soci::use(s.school_id), soci::use(s.plan_version_id), soci::use(s.status), soci::use(s.billing_day),
      soci::use(s.trial_ends_at), soci::use(s.legal_name), soci::use(s.address), soci::use(s.postal_code),
      soci::use(s.city), soci::use(s.country), soci::use(s.siren), soci::use(s.siret), soci::use(s.vat_number),
      soci::use(s.einvoice_address), soci::use(s.payment_method), soci::use(s.auto_collect), soci::use(s.created_at),
      soci::use(s.updated_at);
}

void update_subscription(soci::session& sql, const Subscription& s) {
  sql << "UPDATE billing_subscriptions SET plan_version_id = :version, status = :status, billing_day = :day, "
         "trial_ends_at = :trial, legal_name = :legal, address = :address, postal_code = :postal, city = :city, "
         "country = :country, siren = :siren, siret = :siret, vat_number = :vat, einvoice_address = :einvoice, "
         "payment_method = :method, auto_collect = :auto, updated_at = :updated WHERE school_id = :school",
      soci::use(s.plan_version_id), soci::use(s.status), soci::use(s.billing_day), soci::use(s.trial_ends_at),
      soci::use(s.legal_name), soci::use(s.address), soci::use(s.postal_code), soci::use(s.city),
      soci::use(s.country), soci::use(s.siren), soci::use(s.siret), soci::use(s.vat_number),
      soci::use(s.einvoice_address), soci::use(s.payment_method), soci::use(s.auto_collect), soci::use(s.updated_at),
      soci::use(s.school_id);
}

std::optional<Subscription> find_subscription(soci::session& sql, const std::string& school_id) {
  return one<Subscription>(
      sql, std::string("SELECT ") + kSubscriptionColumns + " FROM billing_subscriptions WHERE school_id = :school",
      bind_subscription, soci::use(school_id));
}

void insert_plan_change(soci::session& sql, const std::string& school_id, const std::string& plan_version_id,
                        std::int64_t effective_at, const std::optional<std::string>& changed_by, std::int64_t now) {
  const std::string id = new_id();
  sql << "INSERT INTO billing_plan_changes (id, school_id, plan_version_id, effective_at, changed_by, created_at) "
         "VALUES (:id, :school, :version, :effective, :by, :now)",
      soci::use(id), soci::use(school_id), soci::use(plan_version_id), soci::use(effective_at), soci::use(changed_by),
      soci::use(now);
}

std::vector<PlanChange> plan_changes(soci::session& sql, const std::string& school_id) {
  return db::fetch_rows<PlanChange>(
      sql,
      "SELECT plan_version_id, effective_at FROM billing_plan_changes WHERE school_id = :school "
      "ORDER BY effective_at, created_at",
      [](db::Prepared& prepared, PlanChange& c) { prepared, soci::into(c.plan_version_id), soci::into(c.effective_at); },
      soci::use(school_id));
}

std::vector<Subscription> subscriptions(soci::session& sql) {
  return db::fetch_rows<Subscription>(
      sql, std::string("SELECT ") + kSubscriptionColumns + " FROM billing_subscriptions ORDER BY school_id",
      bind_subscription);
}

std::int64_t next_number(soci::session& sql, const std::string& series) {
  sql << "INSERT INTO billing_number_series (series, last_number) VALUES (:series, 1) ON CONFLICT (series) DO "
         "UPDATE SET last_number = billing_number_series.last_number + 1",
      soci::use(series);
  std::int64_t number = 0;
  sql << "SELECT last_number FROM billing_number_series WHERE series = :series", soci::use(series),
      soci::into(number);
  return number;
}

namespace {
constexpr const char* kInvoiceColumns =
    "id, school_id, kind, number, period, period_start, period_end, status, currency, total_excl_tax, tax, total, "
    "tax_category, tax_rate, tax_mention, buyer, created_at, issued_at, due_at, seller, payment_method, pdf_path, "
    "pdf_sha256, amount_paid, paid_at, collection_attempts, reminders_sent, credited_invoice_id, credit_reason";
constexpr const char* kNewInvoiceColumns =
    "id, school_id, kind, number, period, period_start, period_end, status, currency, total_excl_tax, tax, total, "
    "tax_category, tax_rate, tax_mention, buyer, created_at, issued_at, due_at, credited_invoice_id, credit_reason";

void bind_invoice(db::Prepared& prepared, Invoice& i) {
  prepared, soci::into(i.id), soci::into(i.school_id), soci::into(i.kind), soci::into(i.number), soci::into(i.period),
      soci::into(i.period_start), soci::into(i.period_end), soci::into(i.status), soci::into(i.currency),
      soci::into(i.total_excl_tax), soci::into(i.tax), soci::into(i.total), soci::into(i.tax_category),
      soci::into(i.tax_rate), soci::into(i.tax_mention), soci::into(i.buyer), soci::into(i.created_at),
      soci::into(i.issued_at), soci::into(i.due_at), soci::into(i.seller), soci::into(i.payment_method),
      soci::into(i.pdf_path), soci::into(i.pdf_sha256), soci::into(i.amount_paid), soci::into(i.paid_at),
      soci::into(i.collection_attempts), soci::into(i.reminders_sent), soci::into(i.credited_invoice_id),
      soci::into(i.credit_reason);
}
}  // namespace

void insert_invoice(soci::session& sql, const Invoice& i, const std::vector<InvoiceLineRow>& lines) {
  sql << "INSERT INTO billing_invoices (" << kNewInvoiceColumns
      << ") VALUES (:id, :school, :kind, :number, :period, :start, :end, :status, :currency, :excl, :tax, :total, "
         ":category, :rate, :mention, :buyer, :created, :issued, :due, :credited, :reason)",
      soci::use(i.id), soci::use(i.school_id), soci::use(i.kind), soci::use(i.number), soci::use(i.period),
      soci::use(i.period_start), soci::use(i.period_end), soci::use(i.status), soci::use(i.currency),
      soci::use(i.total_excl_tax), soci::use(i.tax), soci::use(i.total), soci::use(i.tax_category),
      soci::use(i.tax_rate), soci::use(i.tax_mention), soci::use(i.buyer), soci::use(i.created_at),
      soci::use(i.issued_at), soci::use(i.due_at), soci::use(i.credited_invoice_id), soci::use(i.credit_reason);
  for (const auto& l : lines) {
    sql << "INSERT INTO billing_invoice_lines (invoice_id, position, kind, label, quantity, unit_price, days, "
           "period_days, amount) VALUES (:invoice, :position, :kind, :label, :quantity, :unit, :days, :period_days, "
           ":amount)",
        soci::use(i.id), soci::use(l.position), soci::use(l.kind), soci::use(l.label), soci::use(l.quantity),
        soci::use(l.unit_price), soci::use(l.days), soci::use(l.period_days), soci::use(l.amount);
  }
}

std::optional<Invoice> find_invoice(soci::session& sql, const std::string& id) {
  return one<Invoice>(sql, std::string("SELECT ") + kInvoiceColumns + " FROM billing_invoices WHERE id = :id",
                      bind_invoice, soci::use(id));
}

std::optional<Invoice> find_invoice_for(soci::session& sql, const std::string& school_id, const std::string& period,
                                        const std::string& kind) {
  return one<Invoice>(sql,
                      std::string("SELECT ") + kInvoiceColumns +
                          " FROM billing_invoices WHERE school_id = :school AND period = :period AND kind = :kind",
                      bind_invoice, soci::use(school_id), soci::use(period), soci::use(kind));
}

std::vector<InvoiceLineRow> invoice_lines(soci::session& sql, const std::string& invoice_id) {
  return db::fetch_rows<InvoiceLineRow>(
      sql,
      "SELECT position, kind, label, quantity, unit_price, days, period_days, amount FROM billing_invoice_lines "
      "WHERE invoice_id = :invoice ORDER BY position",
      [](db::Prepared& prepared, InvoiceLineRow& l) {
        prepared, soci::into(l.position), soci::into(l.kind), soci::into(l.label), soci::into(l.quantity),
            soci::into(l.unit_price), soci::into(l.days), soci::into(l.period_days), soci::into(l.amount);
      },
      soci::use(invoice_id));
}

std::vector<Invoice> invoices(soci::session& sql, const std::optional<std::string>& school_id, int limit) {
  const long long read = limit;
  if (school_id) {
    return db::fetch_rows<Invoice>(sql,
                                   std::string("SELECT ") + kInvoiceColumns +
                                       " FROM billing_invoices WHERE school_id = :school ORDER BY period_start DESC, "
                                       "number DESC LIMIT :limit",
                                   bind_invoice, soci::use(*school_id), soci::use(read));
  }
  return db::fetch_rows<Invoice>(
      sql, std::string("SELECT ") + kInvoiceColumns + " FROM billing_invoices ORDER BY period_start DESC, number DESC LIMIT :limit",
      bind_invoice, soci::use(read));
}

std::vector<std::string> pending_invoice_ids(soci::session& sql) {
  return db::fetch_rows<std::string>(
      sql, "SELECT id FROM billing_invoices WHERE status = 'pending' ORDER BY number",
      [](db::Prepared& prepared, std::string& id) { prepared, soci::into(id); });
}

bool mark_issued(soci::session& sql, const Invoice& i) {
  soci::statement st = (sql.prepare << "UPDATE billing_invoices SET status = 'issued', issued_at = :issued, due_at = :due, "
                                       "seller = :seller, payment_method = :method, pdf_path = :path, pdf_sha256 = :sha "
                                       "WHERE id = :id AND status = 'pending'",
                        soci::use(i.issued_at), soci::use(i.due_at), soci::use(i.seller), soci::use(i.payment_method),
                        soci::use(i.pdf_path), soci::use(i.pdf_sha256), soci::use(i.id));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

std::vector<Invoice> overdue_invoices(soci::session& sql, const std::optional<std::string>& school_id, std::int64_t now) {
  if (school_id) {
    return db::fetch_rows<Invoice>(sql,
                                   std::string("SELECT ") + kInvoiceColumns +
                                       " FROM billing_invoices WHERE status = 'issued' AND kind = 'invoice' AND due_at < :now AND "
                                       "school_id = :school ORDER BY due_at",
                                   bind_invoice, soci::use(now), soci::use(*school_id));
  }
  return db::fetch_rows<Invoice>(
      sql, std::string("SELECT ") + kInvoiceColumns + " FROM billing_invoices WHERE status = 'issued' AND kind = 'invoice' AND due_at < :now ORDER BY due_at",
      bind_invoice, soci::use(now));
}

}  // namespace mnemos::billing::repo
