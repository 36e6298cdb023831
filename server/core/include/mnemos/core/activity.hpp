#pragma once
#include <mnemos/core/context.hpp>

#include <string>
#include <vector>

namespace soci {
class session;
}

namespace mnemos {
// Appends to the activity log in the caller's transaction: who did what to which target.
// `details_json` must hold no secrets; reporting reads this table.
void record_activity(soci::session& sql, const RequestContext& ctx, const std::string& action,
                     const std::string& target_type, const std::string& target_id,
                     const std::string& details_json = "{}");
struct ActivityEntry {
  std::string action, target_type, target_id;
  std::int64_t at = 0;
};
// What `actor_id` did, newest first (for a personal data export).
std::vector<ActivityEntry> activity_of_actor(soci::session& sql, const std::string& actor_id,
                                             int limit);

}  // namespace mnemos
