#pragma once
// The rules of plans and subscriptions (docs/billing.md): who may see and change what, what a
// plan version may hold, what a school may switch to.
#include <mnemos/billing/module.hpp>
#include <mnemos/core/context.hpp>
#include <mnemos/core/error.hpp>

#include "domain.hpp"
#include "usage.hpp"

#include <optional>
#include <string>
#include <vector>

namespace mnemos::billing {

// The fields of a plan version; those left out of a new version are the current one's.
struct VersionInput {
  std::optional<std::string> currency;
  std::optional<std::int64_t> monthly_price;
  std::optional<std::int64_t> included_teachers;
  std::optional<std::int64_t> included_students;
  std::optional<std::int64_t> extra_teacher_price;
  std::optional<std::int64_t> extra_student_price;
  std::optional<bool> overage_allowed;
  std::optional<bool> ai_tutor;
  std::optional<bool> video_rooms;
  bool ai_quota_given = false;                  // ai_requests_per_month was in the request
  std::optional<std::int64_t> ai_requests_per_month;  // null: no quota
  std::optional<std::int64_t> trial_days;
  Validation parsed;  // what the request's fields already failed (a wrong type, out of range): reported with the rest
};

struct PlanInput {
  std::optional<std::string> code;
  std::optional<std::string> name;
  std::optional<bool> is_default;
  std::optional<bool> archived;
  VersionInput version;
};

struct PlanView {
  Plan plan;
  PlanVersion current;
  std::vector<PlanVersion> versions;  // the platform's view only
  std::int64_t schools = 0;           // subscriptions on it, the platform's view only
};

struct DetailsInput {
  std::optional<std::string> legal_name, address, postal_code, city, country;
  std::optional<std::string> siren, siret, vat_number, einvoice_address;  // "" clears
  std::optional<std::string> payment_method;
  std::optional<bool> auto_collect;
  std::optional<std::int64_t> billing_day;
  Validation parsed;
};

struct Seats {
  std::int64_t used = 0;
  std::int64_t included = 0;
};

struct SubscriptionView {
  Subscription subscription;
  Plan plan;
  PlanVersion version;
  Seats teachers, students;
  MonthUsage usage;                // this month's (usage.hpp)
  std::vector<DayUsage> days;      // the last 30 days'
};

class BillingService {
 public:
  explicit BillingService(Dependencies& deps) : deps_(deps) {}

  std::vector<PlanView> plans(const RequestContext& ctx);
  PlanView plan(const RequestContext& ctx, const std::string& id);
  PlanView create_plan(const RequestContext& ctx, const PlanInput& input);
  PlanView change_plan(const RequestContext& ctx, const std::string& id, const PlanInput& input);
  PlanView add_version(const RequestContext& ctx, const std::string& id, const VersionInput& input);

  // Another school's id answers 404 before its body is read (nothing tells it from an unknown id).
  void require_school(const RequestContext& ctx, const std::string& school_id) const;
  SubscriptionView subscription(const RequestContext& ctx, const std::string& school_id);
  SubscriptionView change_details(const RequestContext& ctx, const std::string& school_id, const DetailsInput& input);
  // Moves the school to the plan's current version from now on (prorated on the next invoice).
  SubscriptionView switch_plan(const RequestContext& ctx, const std::string& school_id,
                               const std::optional<std::string>& plan_id);

  // A new school's trial on the default plan (nothing if it has a subscription or no plan is the default).
  void start_trial(const std::string& school_id);
  void seed_demo(const std::vector<std::string>& school_ids);

 private:
  Dependencies& deps_;
};

// Checks used by the service and tested on their own.
bool valid_siren(std::string_view digits);
bool valid_siret(std::string_view digits);
// An EU VAT number's shape (two letters and 2 to 13 characters; France's key checked against its SIREN).
bool valid_vat_number(std::string_view number);

}  // namespace mnemos::billing
