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

std::optional<bool> SubscriptionPolicy::known_read_only(const std::string& school_id) const {
  const std::int64_t now = clock_.now_ms();
  std::lock_guard lock(read_only_mutex_);
  if (const auto it = read_only_.find(school_id); it != read_only_.end() && it->second.until_ms > now) {
    return it->second.suspended;
  }
  return std::nullopt;
}

bool SubscriptionPolicy::read_only(soci::session& sql, const std::string& school_id) const {
  constexpr std::int64_t kKeptMs = 5'000;
  constexpr std::size_t kMaxSchools = 100'000;
  if (const auto known = known_read_only(school_id)) return *known;
  const std::int64_t now = clock_.now_ms();
  const auto subscription = repo::find_subscription(sql, school_id);
  const bool suspended = subscription && subscription->status == "suspended";
  std::lock_guard lock(read_only_mutex_);
  if (read_only_.size() >= kMaxSchools) read_only_.clear();
  read_only_[school_id] = {suspended, now + kKeptMs};
  return suspended;
}

}  // namespace mnemos::billing
