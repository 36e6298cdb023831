// `mnemos seed --demo`: the demo plans and the demo schools' subscriptions (docs/billing.md).
// Safe to run twice: what exists is left as it is.
#include <mnemos/core/db.hpp>
#include <mnemos/core/ids.hpp>

#include "repository.hpp"
#include "service.hpp"

#include <spdlog/spdlog.h>

namespace mnemos::billing {
namespace {

struct DemoPlan {
  const char* code;
  const char* name;
  bool is_default;
  PlanVersion version;
};

PlanVersion prices(std::int64_t monthly, int teachers, int students, std::int64_t extra_teacher,
                   std::int64_t extra_student, bool overage, bool ai, bool video, std::optional<int> ai_quota) {
  PlanVersion v;
  v.currency = "EUR";
  v.monthly_price = monthly;
  v.included_teachers = teachers;
  v.included_students = students;
  v.extra_teacher_price = extra_teacher;
  v.extra_student_price = extra_student;
  v.overage_allowed = overage ? 1 : 0;
  v.ai_tutor = ai ? 1 : 0;
  v.video_rooms = video ? 1 : 0;
  v.ai_requests_per_month = ai_quota;
  v.trial_days = 30;
  return v;
}

std::string ensure_plan(soci::session& sql, const DemoPlan& demo, std::int64_t now) {
  if (const auto existing = repo::find_plan_by_code(sql, demo.code)) return existing->id;
  const Plan plan{new_id(), demo.code, demo.name, demo.is_default ? 1 : 0, std::nullopt, now};
  repo::insert_plan(sql, plan);
  PlanVersion version = demo.version;
  version.id = new_id();
  version.plan_id = plan.id;
  version.version = 1;
  version.created_at = now;
  repo::insert_version(sql, version);
  return plan.id;
}

}  // namespace

void BillingService::seed_demo(const std::vector<std::string>& school_ids) {
  // Prices in cents, excluding VAT.
  const DemoPlan plans[] = {
      {"decouverte", "Découverte", false, prices(4900, 2, 60, 0, 0, false, false, false, std::nullopt)},
      {"essentiel", "Essentiel", true, prices(14900, 10, 300, 900, 100, false, false, true, std::nullopt)},
      {"etablissement", "Établissement", false, prices(49900, 60, 1000, 800, 80, true, true, true, 20000)},
  };
  const std::int64_t now = deps_.clock.now_ms();
  // Subscribed two months ago, so that `mnemos billing run` has a whole past month to invoice.
  const std::int64_t subscribed = now - 62 * kDayMs;
  deps_.db.write([&](soci::session& sql) {
    std::string chosen[2];
    for (const auto& p : plans) {
      const auto id = ensure_plan(sql, p, now);
      if (std::string_view(p.code) == "etablissement") chosen[0] = id;
      if (std::string_view(p.code) == "decouverte") chosen[1] = id;
    }
    // The demo school pays for everything (its tutor and video rooms work); the other one tries
    // the smallest plan, two teachers.
    for (std::size_t i = 0; i < school_ids.size() && i < 2; ++i) {
      if (repo::find_subscription(sql, school_ids[i])) continue;
      const auto version = repo::current_version(sql, chosen[i]);
      Subscription s;
      s.school_id = school_ids[i];
      s.plan_version_id = version->id;
      s.status = i == 0 ? "active" : "trialing";
      if (i == 1) s.trial_ends_at = now + version->trial_days * kDayMs;  // trying it now: nothing to bill yet
      s.billing_day = 1;
      s.legal_name = deps_.directory.school_name(sql, school_ids[i]).value_or("");
      if (i == 0) {
        s.address = "12 rue des Écoles";
        s.postal_code = "75005";
        s.city = "Paris";
        s.siren = "197500010";
        s.siret = "19750001000016";
        s.einvoice_address = "197500010@chorus-pro.gouv.fr";
      } else {
        s.address = "1 School Lane";
        s.postal_code = "SW1A 1AA";
        s.city = "London";
        s.country = "GB";
      }
      s.created_at = s.updated_at = i == 0 ? subscribed : now;
      repo::insert_subscription(sql, s);
      repo::insert_plan_change(sql, s.school_id, s.plan_version_id, s.created_at, std::nullopt, now);
    }
  });
  spdlog::info("demo plans seeded: Découverte, Essentiel (default), Établissement");
}

}  // namespace mnemos::billing
