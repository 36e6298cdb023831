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

std::vector<ActivityEntry> activity_of_actor(soci::session& sql, const std::string& actor_id,
                                             int limit) {
  std::vector<ActivityEntry> entries;
  ActivityEntry e;
  std::optional<std::string> target_type, target_id;
  soci::statement st =
      (sql.prepare << "SELECT action, target_type, target_id, at FROM core_activity WHERE actor_id "
                      "= :actor ORDER BY at DESC LIMIT :n",
       soci::use(actor_id), soci::use(limit), soci::into(e.action), soci::into(target_type),
       soci::into(target_id), soci::into(e.at));
  st.execute();
  while (st.fetch()) {
    e.target_type = target_type.value_or("");
    e.target_id = target_id.value_or("");
    entries.push_back(e);
  }
  return entries;
}

}  // namespace mnemos
