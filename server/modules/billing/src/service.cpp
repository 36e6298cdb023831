// Plans and subscriptions (service.hpp, docs/billing.md).
#include <mnemos/core/activity.hpp>
#include <mnemos/core/db.hpp>
#include <mnemos/core/error.hpp>
#include <mnemos/core/ids.hpp>
#include <mnemos/core/json.hpp>

#include "repository.hpp"
#include "service.hpp"

#include <algorithm>
#include <cctype>

namespace mnemos::billing {
namespace {

constexpr std::int64_t kMaxPrice = 100'000'000;  // 1,000,000.00 a month: a typo beyond it
constexpr std::int64_t kMaxSeats = 1'000'000;

bool is_platform(const RequestContext& ctx) { return ctx.roles.has(Role::platform_admin); }

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The Luhn check French SIREN and SIRET numbers carry.
bool luhn(std::string_view digits) {
  int sum = 0;
  bool twice = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    int d = *it - '0';
    if (twice && (d *= 2) > 9) d -= 9;
    sum += d;
    twice = !twice;
  }
  return sum % 10 == 0;
}

std::string without_spaces(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != ' ' && c != '.' && c != '-') out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

void check_version(const PlanVersion& v, Validation& check) {
  const bool currency_ok = v.currency.size() == 3 && std::all_of(v.currency.begin(), v.currency.end(),
                                                                 [](char c) { return c >= 'A' && c <= 'Z'; });
  if (!currency_ok && !check.failed("currency")) check.fail("currency", "A currency is an ISO 4217 code such as EUR.");
  if (v.monthly_price < 0 || v.monthly_price > kMaxPrice) {
    check.fail("monthly_price", "A price is in cents, from 0 to 100000000.");
  }
  if (v.extra_teacher_price < 0 || v.extra_teacher_price > kMaxPrice) {
    check.fail("extra_teacher_price", "A price is in cents, from 0 to 100000000.");
  }
  if (v.extra_student_price < 0 || v.extra_student_price > kMaxPrice) {
    check.fail("extra_student_price", "A price is in cents, from 0 to 100000000.");
  }
  if (v.included_teachers < 0 || v.included_teachers > kMaxSeats) {
    check.fail("included_teachers", "Seats are counted from 0 to 1000000.");
  }
  if (v.included_students < 0 || v.included_students > kMaxSeats) {
    check.fail("included_students", "Seats are counted from 0 to 1000000.");
  }
  if (v.ai_requests_per_month && (*v.ai_requests_per_month < 0 || *v.ai_requests_per_month > 100'000'000)) {
    check.fail("ai_requests_per_month", "An AI quota is from 0 to 100000000 requests a month, or null for none.");
  }
  if (v.trial_days < 0 || v.trial_days > 365) check.fail("trial_days", "A trial lasts 0 to 365 days.");
}

// `base` with what `input` gives.
PlanVersion version_from(const PlanVersion& base, const VersionInput& input) {
  PlanVersion v = base;
  if (input.currency) v.currency = *input.currency;
  if (input.monthly_price) v.monthly_price = *input.monthly_price;
  const auto as_int = [](std::int64_t value) {
    return static_cast<int>(std::clamp<std::int64_t>(value, -1, 2'000'000'000));
  };
  if (input.included_teachers) v.included_teachers = as_int(*input.included_teachers);
  if (input.included_students) v.included_students = as_int(*input.included_students);
  if (input.extra_teacher_price) v.extra_teacher_price = *input.extra_teacher_price;
  if (input.extra_student_price) v.extra_student_price = *input.extra_student_price;
  if (input.overage_allowed) v.overage_allowed = *input.overage_allowed ? 1 : 0;
  if (input.ai_tutor) v.ai_tutor = *input.ai_tutor ? 1 : 0;
  if (input.video_rooms) v.video_rooms = *input.video_rooms ? 1 : 0;
  if (input.ai_quota_given) {
    v.ai_requests_per_month =
        input.ai_requests_per_month ? std::optional<int>(as_int(*input.ai_requests_per_month)) : std::nullopt;
  }
  if (input.trial_days) v.trial_days = as_int(*input.trial_days);
  return v;
}

PlanView view_of(soci::session& sql, const Plan& plan, bool platform) {
  PlanView view{plan, {}, {}, 0};
  auto current = repo::current_version(sql, plan.id);
  if (!current) throw std::logic_error("billing: a plan without a version: " + plan.id);
  view.current = std::move(*current);
  if (platform) {
    view.versions = repo::versions(sql, plan.id);
    view.schools = repo::schools_on_plan(sql, plan.id);
  }
  return view;
}

SubscriptionView subscription_view(soci::session& sql, const Dependencies& deps, Subscription s) {
  auto version = repo::find_version(sql, s.plan_version_id);
  if (!version) throw std::logic_error("billing: a subscription on an unknown plan version");
  auto plan = repo::find_plan(sql, version->plan_id);
  if (!plan) throw std::logic_error("billing: a plan version without its plan");
  SubscriptionView view{std::move(s), std::move(*plan), std::move(*version), {}, {}, {}, {}};
  view.teachers = {deps.directory.seats(sql, view.subscription.school_id, "teacher"), view.version.included_teachers};
  view.students = {deps.directory.seats(sql, view.subscription.school_id, "student"), view.version.included_students};
  const std::int64_t now = deps.clock.now_ms();
  view.usage = month_usage(sql, view.subscription.school_id, now);
  view.days = daily_usage(sql, view.subscription.school_id, usage_day(now - 29 * kDayMs));
  return view;
}

// Set, cleared ("") or left as it is.
void apply_optional(std::optional<std::string>& field, const std::optional<std::string>& given) {
  if (!given) return;
  const auto trimmed = json::trim(*given);
  field = trimmed.empty() ? std::nullopt : std::optional(trimmed);
}

}  // namespace

bool valid_siren(std::string_view digits) { return digits.size() == 9 && all_digits(digits) && luhn(digits); }

bool valid_siret(std::string_view digits) {
  if (digits.size() != 14 || !all_digits(digits)) return false;
  // La Poste's establishments are numbered outside the Luhn rule: their digits sum to a multiple of 5.
  if (digits.starts_with("356000000")) {
    int sum = 0;
    for (char c : digits) sum += c - '0';
    return sum % 5 == 0;
  }
  return luhn(digits);
}

bool valid_vat_number(std::string_view number) {
  if (number.size() < 4 || number.size() > 15) return false;
  if (!std::isupper(static_cast<unsigned char>(number[0])) || !std::isupper(static_cast<unsigned char>(number[1]))) {
    return false;
  }
  const auto rest = number.substr(2);
  if (!std::all_of(rest.begin(), rest.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) ||
                                                                  std::isupper(static_cast<unsigned char>(c)); })) {
    return false;
  }
  if (number.starts_with("FR")) {
    // FR, a two-digit key, the SIREN: key = (12 + 3 × (SIREN mod 97)) mod 97.
    if (number.size() != 13 || !all_digits(rest)) return false;
    const auto siren = std::stoll(std::string(number.substr(4)));
    const auto key = std::stoi(std::string(number.substr(2, 2)));
    return valid_siren(number.substr(4)) && key == (12 + 3 * (siren % 97)) % 97;
  }
  return true;
}

// A school admin sees their own school; the platform sees any. Another school: 404.
void BillingService::require_school(const RequestContext& ctx, const std::string& school_id) const {
  if (is_platform(ctx)) return;
  if (!ctx.school_id || *ctx.school_id != school_id) throw Error::not_found("No such school.");
}

std::vector<PlanView> BillingService::plans(const RequestContext& ctx) {
  ctx.require(Permission::billing_read);
  const bool platform = ctx.can(Permission::platform_billing_manage);
  return deps_.db.read([&](soci::session& sql) {
    std::vector<PlanView> out;
    for (const auto& plan : repo::plans(sql)) {
      // A school chooses among the plans on offer.
      if (!platform && plan.archived_at) continue;
      out.push_back(view_of(sql, plan, platform));
    }
    return out;
  });
}

PlanView BillingService::plan(const RequestContext& ctx, const std::string& id) {
  ctx.require(Permission::platform_billing_manage);
  return deps_.db.read([&](soci::session& sql) {
    const auto plan = repo::find_plan(sql, id);
    if (!plan) throw Error::not_found("No plan has this id.");
    return view_of(sql, *plan, true);
  });
}

PlanView BillingService::create_plan(const RequestContext& ctx, const PlanInput& input) {
  ctx.require(Permission::platform_billing_manage);
  Validation check = input.version.parsed;
  const std::string code = json::lowercase_ascii(json::trim(input.code.value_or("")));
  const bool code_ok = code.size() >= 2 && code.size() <= 40 &&
                       std::all_of(code.begin(), code.end(), [](char c) {
                         return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
                       });
  if (!code_ok) check.fail("code", "A plan's code is 2 to 40 lowercase letters, digits or dashes.");
  const std::string name = json::trim(input.name.value_or(""));
  if (name.empty() || name.size() > 100) check.fail("name", "A plan's name is 1 to 100 characters long.");
  const auto& v = input.version;
  if (!v.monthly_price && !check.failed("monthly_price")) check.fail("monthly_price", "Give the monthly price in cents.");
  if (!v.included_teachers && !check.failed("included_teachers")) {
    check.fail("included_teachers", "Give the number of teachers included.");
  }
  if (!v.included_students && !check.failed("included_students")) {
    check.fail("included_students", "Give the number of students included.");
  }
  PlanVersion version = version_from(PlanVersion{}, v);
  check_version(version, check);
  check.throw_if_failed();

  const std::int64_t now = ctx.now_ms();
  return deps_.db.write([&](soci::session& sql) {
    if (repo::find_plan_by_code(sql, code)) {
      throw Error(ErrorCode::conflict, "A plan already has this code.", {{"code", "Already used by a plan."}});
    }
    Plan plan{new_id(), code, name, input.is_default.value_or(false) ? 1 : 0, std::nullopt, now};
    if (input.archived.value_or(false)) plan.archived_at = now;
    repo::insert_plan(sql, plan);
    if (plan.is_default) repo::clear_default(sql, plan.id);
    version.id = new_id();
    version.plan_id = plan.id;
    version.version = 1;
    version.created_at = now;
    repo::insert_version(sql, version);
    record_activity(sql, ctx, "billing.plan_created", "plan", plan.id);
    return view_of(sql, plan, true);
  });
}

PlanView BillingService::change_plan(const RequestContext& ctx, const std::string& id, const PlanInput& input) {
  ctx.require(Permission::platform_billing_manage);
  Validation check = input.version.parsed;
  if (input.code) check.fail("code", "A plan's code cannot change.");
  if (input.name && (json::trim(*input.name).empty() || json::trim(*input.name).size() > 100)) {
    check.fail("name", "A plan's name is 1 to 100 characters long.");
  }
  check.throw_if_failed();
  return deps_.db.write([&](soci::session& sql) {
    auto plan = repo::find_plan(sql, id);
    if (!plan) throw Error::not_found("No plan has this id.");
    if (input.name) plan->name = json::trim(*input.name);
    if (input.archived) plan->archived_at = *input.archived ? std::optional(plan->archived_at.value_or(ctx.now_ms())) : std::nullopt;
    if (input.is_default) plan->is_default = *input.is_default ? 1 : 0;
    if (plan->is_default && plan->archived_at) {
      throw Error::invalid("is_default", "An archived plan cannot be the default one.");
    }
    repo::update_plan(sql, *plan);
    if (plan->is_default) repo::clear_default(sql, plan->id);
    record_activity(sql, ctx, "billing.plan_changed", "plan", plan->id);
    return view_of(sql, *plan, true);
  });
}

PlanView BillingService::add_version(const RequestContext& ctx, const std::string& id, const VersionInput& input) {
  ctx.require(Permission::platform_billing_manage);
  return deps_.db.write([&](soci::session& sql) {
    const auto plan = repo::find_plan(sql, id);
    if (!plan) throw Error::not_found("No plan has this id.");
    const auto current = repo::current_version(sql, id);
    if (!current) throw std::logic_error("billing: a plan without a version: " + id);
    PlanVersion version = version_from(*current, input);
    Validation check = input.parsed;
    check_version(version, check);
    check.throw_if_failed();
    version.id = new_id();
    version.version = current->version + 1;
    version.created_at = ctx.now_ms();
    // Schools keep the version they have until they switch plans or the platform moves them: a
    // running period keeps its prices.
    repo::insert_version(sql, version);
    record_activity(sql, ctx, "billing.plan_version_created", "plan", plan->id);
    return view_of(sql, *plan, true);
  });
}

SubscriptionView BillingService::subscription(const RequestContext& ctx, const std::string& school_id) {
  ctx.require(Permission::billing_read);
  require_school(ctx, school_id);
  return deps_.db.read([&](soci::session& sql) {
    auto s = repo::find_subscription(sql, school_id);
    if (!s) {
      if (!deps_.directory.school_exists(sql, school_id)) throw Error::not_found("No such school.");
      throw Error::not_found("This school has no subscription yet.");
    }
    return subscription_view(sql, deps_, std::move(*s));
  });
}

SubscriptionView BillingService::change_details(const RequestContext& ctx, const std::string& school_id,
                                                const DetailsInput& input) {
  ctx.require(Permission::billing_manage);
  require_school(ctx, school_id);
  return deps_.db.write([&](soci::session& sql) {
    auto s = repo::find_subscription(sql, school_id);
    if (!s) throw Error::not_found("This school has no subscription yet.");
    Validation check = input.parsed;
    const auto text = [&](const std::optional<std::string>& given, std::string& field, const char* name,
                          std::size_t max) {
      if (!given) return;
      const auto trimmed = json::trim(*given);
      if (trimmed.size() > max || !json::is_printable_utf8(trimmed)) {
        check.fail(name, "This field is too long or holds control characters.");
        return;
      }
      field = trimmed;
    };
    text(input.legal_name, s->legal_name, "legal_name", 200);
    text(input.address, s->address, "address", 300);
    text(input.postal_code, s->postal_code, "postal_code", 20);
    text(input.city, s->city, "city", 100);
    if (input.country) {
      const auto country = without_spaces(*input.country);
      if (country.size() != 2 || !std::isupper(static_cast<unsigned char>(country[0])) ||
          !std::isupper(static_cast<unsigned char>(country[1]))) {
        check.fail("country", "A country is a two-letter ISO 3166 code such as FR.");
      } else {
        s->country = country;
      }
    }
    const auto number = [&](const std::optional<std::string>& given, std::optional<std::string>& field) {
      apply_optional(field, given ? std::optional(without_spaces(*given)) : std::nullopt);
    };
    number(input.siren, s->siren);
    number(input.siret, s->siret);
    number(input.vat_number, s->vat_number);
    apply_optional(s->einvoice_address, input.einvoice_address);
    if (s->siren && !valid_siren(*s->siren)) check.fail("siren", "A SIREN is 9 digits with a valid check digit.");
    if (s->siret && !valid_siret(*s->siret)) check.fail("siret", "A SIRET is 14 digits with a valid check digit.");
    if (s->siren && s->siret && !s->siret->starts_with(*s->siren)) {
      check.fail("siret", "A SIRET starts with the school's SIREN.");
    }
    if (s->vat_number && !valid_vat_number(*s->vat_number)) {
      check.fail("vat_number", "A VAT number starts with its country's two letters (FR and 11 digits in France).");
    }
    if (s->einvoice_address && s->einvoice_address->size() > 200) {
      check.fail("einvoice_address", "This field is too long or holds control characters.");
    }
    if (input.payment_method) {
      if (*input.payment_method != "transfer" && *input.payment_method != "card" &&
          *input.payment_method != "sepa_debit") {
        check.fail("payment_method", "Choose transfer, card or sepa_debit.");
      } else {
        s->payment_method = *input.payment_method;
      }
    }
    if (input.auto_collect) s->auto_collect = *input.auto_collect ? 1 : 0;
    if (s->auto_collect && s->payment_method == "transfer") {
      check.fail("auto_collect", "A bank transfer is made by the school: automatic payment needs a card or SEPA direct debit.");
    }
    if (input.billing_day) {
      if (*input.billing_day < 1 || *input.billing_day > 28) {
        check.fail("billing_day", "The billing day is from 1 to 28.");
      } else {
        s->billing_day = static_cast<int>(*input.billing_day);
      }
    }
    check.throw_if_failed();
    s->updated_at = ctx.now_ms();
    repo::update_subscription(sql, *s);
    record_activity(sql, ctx, "billing.details_changed", "school", school_id);
    return subscription_view(sql, deps_, std::move(*s));
  });
}

SubscriptionView BillingService::switch_plan(const RequestContext& ctx, const std::string& school_id,
                                             const std::optional<std::string>& given_plan) {
  ctx.require(Permission::billing_manage);
  require_school(ctx, school_id);
  if (!given_plan || json::trim(*given_plan).empty()) throw Error::invalid("plan_id", "Choose one of the plans on offer.");
  const std::string plan_id = json::trim(*given_plan);
  return deps_.db.write([&](soci::session& sql) {
    auto s = repo::find_subscription(sql, school_id);
    if (!s) throw Error::not_found("This school has no subscription yet.");
    const auto plan = repo::find_plan(sql, plan_id);
    if (!plan || plan->archived_at) throw Error::invalid("plan_id", "Choose one of the plans on offer.");
    const auto version = repo::current_version(sql, plan_id);
    if (!version) throw std::logic_error("billing: a plan without a version: " + plan_id);
    if (version->id == s->plan_version_id) return subscription_view(sql, deps_, std::move(*s));
    if (s->status == "suspended" || s->status == "canceled") {
      throw Error(ErrorCode::conflict, "A suspended or canceled subscription changes plan once it is settled.");
    }
    // Downgrading below the seats in use would leave the school over its plan at once.
    if (!version->overage_allowed) {
      const auto teachers = deps_.directory.seats(sql, school_id, "teacher");
      const auto students = deps_.directory.seats(sql, school_id, "student");
      if (teachers > version->included_teachers) {
        throw Error(ErrorCode::limit_reached,
                    "The plan " + plan->name + " includes " + std::to_string(version->included_teachers) +
                        " teachers and the school has " + std::to_string(teachers) + ".");
      }
      if (students > version->included_students) {
        throw Error(ErrorCode::limit_reached,
                    "The plan " + plan->name + " includes " + std::to_string(version->included_students) +
                        " students and the school has " + std::to_string(students) + ".");
      }
    }
    const std::int64_t now = ctx.now_ms();
    s->plan_version_id = version->id;
    s->updated_at = now;
    repo::update_subscription(sql, *s);
    repo::insert_plan_change(sql, school_id, version->id, now, ctx.user_id, now);
    record_activity(sql, ctx, "billing.plan_switched", "school", school_id);
    return subscription_view(sql, deps_, std::move(*s));
  });
}

void BillingService::start_trial(const std::string& school_id) {
  deps_.db.write([&](soci::session& sql) {
    if (repo::find_subscription(sql, school_id) || !deps_.directory.school_exists(sql, school_id)) return;
    const auto plan = repo::default_plan(sql);
    if (!plan) return;
    const auto version = repo::current_version(sql, plan->id);
    if (!version) return;
    const std::int64_t now = deps_.clock.now_ms();
    Subscription s;
    s.school_id = school_id;
    s.plan_version_id = version->id;
    s.status = version->trial_days > 0 ? "trialing" : "active";
    if (version->trial_days > 0) s.trial_ends_at = now + version->trial_days * kDayMs;
    s.legal_name = deps_.directory.school_name(sql, school_id).value_or("");
    s.created_at = s.updated_at = now;
    repo::insert_subscription(sql, s);
    repo::insert_plan_change(sql, school_id, version->id, now, std::nullopt, now);
  });
}

}  // namespace mnemos::billing
