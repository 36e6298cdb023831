#pragma once
#include <mnemos/core/context.hpp>

#include <string>

namespace soci {
class session;
}

namespace mnemos {
// Appends to the activity log in the caller's transaction: who did what to which target.
// `details_json` must hold no secrets; reporting reads this table.
void record_activity(soci::session& sql, const RequestContext& ctx, const std::string& action,
                     const std::string& target_type, const std::string& target_id,
                     const std::string& details_json = "{}");
}  // namespace mnemos
