#include <mnemos/core/activity.hpp>
#include <mnemos/core/db.hpp>
#include <mnemos/core/ids.hpp>

namespace mnemos {

void record_activity(soci::session& sql, const RequestContext& ctx, const std::string& action,
                     const std::string& target_type, const std::string& target_id,
                     const std::string& details_json) {
  const std::string id = new_id();
  const std::int64_t at = ctx.now_ms();
  sql << "INSERT INTO core_activity (id, school_id, actor_id, action, target_type, target_id, "
         "request_id, details, at) VALUES (:id, :school, :actor, :action, :ttype, :tid, :rid, "
         ":details, :at)",
      soci::use(id), soci::use(ctx.school_id), soci::use(ctx.user_id), soci::use(action),
      soci::use(target_type), soci::use(target_id), soci::use(ctx.request_id),
      soci::use(details_json), soci::use(at);
}

}  // namespace mnemos
