#include <mnemos/core/activity.hpp>
#include <mnemos/core/db.hpp>
#include <mnemos/core/jobs.hpp>
#include <mnemos/core/json.hpp>
#include <mnemos/core/mail.hpp>

#include "repository.hpp"
#include "services.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

namespace mnemos::users {

std::string PrivacyService::export_own(const RequestContext& ctx) {
  if (!ctx.authenticated()) throw Error::unauthorized("Please log in.");
  return db_.read([&](soci::session& sql) {
    const auto user = repo::find_user(sql, ctx.school_id, *ctx.user_id);
    if (!user) throw Error::unauthorized("Please log in.");
    boost::json::array roles;
    for (Role role : user->roles.list()) roles.emplace_back(to_string(role));
    boost::json::object out{
        {"format", "mnemos-personal-data/1"},
        {"exported_at", ctx.now_ms()},
        {"account", boost::json::object{{"id", user->id},
                                        {"email", user->email},
                                        {"display_name", user->display_name},
                                        {"locale", user->locale},
                                        {"status", user->status},
                                        {"roles", std::move(roles)},
                                        {"created_at", user->created_at},
                                        {"updated_at", user->updated_at}}}};
    if (user->school_id) {
      if (const auto school = repo::find_school(sql, *user->school_id)) {
        out["school"] = boost::json::object{{"name", school->name}, {"slug", school->slug}};
      }
      boost::json::array classes;
      for (const auto& c : repo::list_classes(sql, *user->school_id, user->id)) {
        classes.push_back(boost::json::object{{"name", c.name}, {"school_year", c.school_year}});
      }
      out["classes"] = std::move(classes);
    }
    if (const auto profile = repo::find_student_profile(sql, user->id)) {
      boost::json::array needs;
      for (const auto& need : profile->accessibility_needs) needs.emplace_back(need);
      out["student_profile"] = boost::json::object{
          {"preferred_session_minutes", profile->preferred_session_minutes},
          {"learning_preferences", profile->learning_preferences},
          {"accessibility_needs", std::move(needs)}};
    }
    boost::json::array sessions;
    for (const auto& s : repo::sessions_of_user(sql, user->id)) {
      sessions.push_back(boost::json::object{{"created_at", s.created_at},
                                             {"last_seen_at", s.last_seen_at},
                                             {"expires_at", s.expires_at},
                                             {"user_agent", s.user_agent},
                                             {"client_ip", s.client_ip}});
    }
    out["sessions"] = std::move(sessions);
    boost::json::array activity;
    for (const auto& a : activity_of_actor(sql, user->id, 5000)) {
      activity.push_back(boost::json::object{
          {"action", a.action}, {"target_type", a.target_type}, {"target_id", a.target_id}, {"at", a.at}});
    }
    out["activity"] = std::move(activity);
    // What the other modules keep: the learning record, the exchanges with the tutor...
    if (user->school_id) {
      for (const auto& [name, section] : sections_) out[name] = json::parse(section(sql, *user->school_id, user->id));
    }
    return json::serialize(out);
  });
}

void PrivacyService::delete_user(const RequestContext& ctx, const std::string& user_id) {
  ctx.require(Permission::users_manage);
  if (ctx.user_id == user_id) throw Error::invalid("id", "You cannot delete your own account.");
  const auto avatar = db_.write([&](soci::session& sql) {
    const auto user = repo::find_user(sql, ctx.school(), user_id);
    if (!user || user->status == "deleted") throw Error::not_found("No such user in this school.");
    if (user->roles.has(Role::school_admin)) {
      throw Error::conflict("Remove this account's administrator role before deleting it.");
    }
    mail::forget(sql, user->email);
    repo::anonymise_user(sql, user_id, ctx.now_ms());
    record_activity(sql, ctx, "user.deleted", "user", user_id);
    jobs::publish(sql, clock_, jobs_, "users.user_deleted", "{\"user_id\":\"" + user_id + "\"}",
                  ctx.school_id);
    return user->avatar_path;
  });
  sessions_.end_user(user_id, "account_deleted");
  if (avatar) files_.remove(*avatar);
}

PageOf<ActivityEntryView> PrivacyService::activity(const RequestContext& ctx, const Page& page) {
  ctx.require(Permission::activity_read);
  return db_.read([&](soci::session& sql) {
    PageOf<ActivityEntryView> result;
    for (auto& r : repo::school_activity(sql, ctx.school(), page.cursor.value_or(""), page.limit + 1)) {
      result.items.push_back({r.id, r.action, r.target_type, r.target_id, r.target_name,
                              r.request_id, r.actor_id.value_or(""), r.actor_name, r.at});
    }
    if (static_cast<int>(result.items.size()) > page.limit) {
      result.items.pop_back();
      result.next_cursor = result.items.back().id;
    }
    return result;
  });
}

}  // namespace mnemos::users
