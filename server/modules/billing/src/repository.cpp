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

}  // namespace mnemos::billing::repo
