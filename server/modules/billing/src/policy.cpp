// What a school's plan allows (module.hpp, SubscriptionPolicy), asked by other modules in their
// own transaction.
#include <mnemos/billing/module.hpp>

#include "repository.hpp"
#include "usage.hpp"

namespace mnemos::billing {

std::optional<std::string> SubscriptionPolicy::refusal(soci::session& sql, const std::string& school_id,
                                                       std::string_view resource, std::int64_t count_after) const {
  const auto subscription = repo::find_subscription(sql, school_id);
  if (!subscription) return std::nullopt;
  const auto version = repo::find_version(sql, subscription->plan_version_id);
  if (!version) return std::nullopt;
  const auto plan = repo::find_plan(sql, version->plan_id);
  const std::string name = plan ? plan->name : std::string();
  if (resource == "teachers" || resource == "students") {
    const bool teachers = resource == "teachers";
    const int included = teachers ? version->included_teachers : version->included_students;
    // Seats beyond the plan are billed when it allows overage; otherwise refused, saying how to get more.
    if (count_after <= included || version->overage_allowed) return std::nullopt;
    return "The plan " + name + " includes " + std::to_string(included) + (teachers ? " teachers" : " students") +
           ". Free a seat or move the school to a bigger plan (Subscription page).";
  }
  if (resource == "ai_tutor" && !version->ai_tutor) {
    return "The plan " + name + " does not include the AI tutor. Move the school to a plan that does (Subscription page).";
  }
  if (resource == "ai_requests" && version->ai_requests_per_month) {
    // This month's requests (UTC month) and the one asked for.
    const auto used = month_usage(sql, school_id, clock_.now_ms()).ai_requests;
    if (used + count_after > *version->ai_requests_per_month) {
      return "The plan " + name + " includes " + std::to_string(*version->ai_requests_per_month) +
             " AI requests a month and this month's are used. They come back on the 1st; a bigger plan has more "
             "(Subscription page).";
    }
  }
  if (resource == "video_rooms" && !version->video_rooms) {
    return "The plan " + name + " does not include video rooms. Move the school to a plan that does (Subscription page).";
  }
  return std::nullopt;
}

bool SubscriptionPolicy::read_only(soci::session& sql, const std::string& school_id) const {
  const auto subscription = repo::find_subscription(sql, school_id);
  return subscription && subscription->status == "suspended";
}

}  // namespace mnemos::billing
