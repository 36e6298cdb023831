#include <mnemos/core/activity.hpp>
#include <mnemos/core/db.hpp>
#include <mnemos/core/ids.hpp>
#include <mnemos/core/json.hpp>
#include <mnemos/core/security.hpp>

#include "repository.hpp"
#include "services.hpp"

namespace mnemos::users {
namespace {

// Roles a school can give; platform_admin belongs to the platform only.
std::optional<RoleSet> school_roles(const std::vector<std::string>& names, Validation& v) {
  RoleSet roles;
  for (const auto& name : names) {
    const auto role = role_from_string(name);
    if (!role || *role == Role::platform_admin) {
      v.fail("roles", "Unknown role '" + name + "': use school_admin, teacher, student or support.");
      return std::nullopt;
    }
    roles.add(*role);
  }
  if (roles.empty()) {
    v.fail("roles", "Give at least one role.");
    return std::nullopt;
  }
  return roles;
}

void check_common(const UserInput& input, Validation& v) {
  if (input.display_name && json::trim(*input.display_name).empty()) {
    v.fail("display_name", "Give a name.");
  }
  if (input.locale && *input.locale != "fr" && *input.locale != "en") v.fail("locale", "Use fr or en.");
}

}  // namespace

PageOf<User> UserService::list(const RequestContext& ctx, const UserFilter& filter,
                               const Page& page) {
  ctx.require(Permission::users_read);
  const std::string& school = ctx.school();
  return db_.read([&](soci::session& sql) { return repo::list_users(sql, school, filter, page); });
}

User UserService::get(const RequestContext& ctx, const std::string& id) {
  if (ctx.user_id != id) ctx.require(Permission::users_read);
  const std::string& school = ctx.school();
  auto user = db_.read([&](soci::session& sql) { return repo::find_user(sql, school, id); });
  if (!user || user->status == "deleted") throw Error::not_found("No such user in this school.");
  return *user;
}

User UserService::create(const RequestContext& ctx, const UserInput& input) {
  ctx.require(Permission::users_manage);
  return create_in(ctx, ctx.school(), input);
}

std::vector<User> UserService::school_admins(const RequestContext& ctx, const std::string& school_id) {
  ctx.require(Permission::platform_schools_manage);
  return db_.read([&](soci::session& sql) {
    if (!repo::find_school(sql, school_id)) throw Error::not_found("No such school.");
    Page page;
    page.limit = 100;
    return repo::list_users(sql, school_id, UserFilter{std::nullopt, Role::school_admin}, page).items;
  });
}

User UserService::invite_school_admin(const RequestContext& ctx, const std::string& school_id,
                                      const UserInput& input) {
  ctx.require(Permission::platform_schools_manage);
  if (input.password) {
    throw Error::invalid("password", "A school administrator chooses their own password from the invitation.");
  }
  UserInput admin = input;
  admin.roles = std::vector<std::string>{"school_admin"};
  // Recorded in the school's own activity log, where its administrators will look.
  RequestContext in_school = ctx;
  in_school.school_id = school_id;
  return create_in(in_school, school_id, admin);
}

std::optional<std::string> seat_refusal(soci::session& sql, const PlanPolicy& plan, const std::string& school_id,
                                        Role role, std::int64_t extra) {
  if (role != Role::teacher && role != Role::student) return std::nullopt;
  return plan.refusal(sql, school_id, role == Role::teacher ? "teachers" : "students",
                      repo::count_seats(sql, school_id, std::string(to_string(role))) + extra);
}

namespace {
// Refuses (rolling the transaction back) a change that made `user` take a seat their school's plan
// does not have: `before` is what they held before it (nothing for a new account).
void require_seats(soci::session& sql, const PlanPolicy& plan, const User& user, const std::optional<User>& before) {
  const auto holds = [](const User& u, Role role) {
    return u.roles.has(role) && (u.status == "active" || u.status == "invited");
  };
  for (const Role role : {Role::teacher, Role::student}) {
    if (!holds(user, role) || (before && holds(*before, role))) continue;
    if (auto refusal = seat_refusal(sql, plan, user.school_id.value_or(""), role)) {
      throw Error(ErrorCode::limit_reached, *refusal);
    }
  }
}
}  // namespace

User UserService::create_in(const RequestContext& ctx, const std::string& school_id,
                            const UserInput& input) {
  Validation v;
  const std::string email = json::lowercase_ascii(json::trim(input.email.value_or("")));
  if (!json::looks_like_email(email)) v.fail("email", "Give a valid email address.");
  if (!input.display_name) v.fail("display_name", "Give a name.");
  check_common(input, v);
  std::optional<RoleSet> roles;
  if (!input.roles) {
    v.fail("roles", "Give at least one role.");
  } else {
    roles = school_roles(*input.roles, v);
  }
  if (input.password) check_password_policy(*input.password, email, "password");
  v.throw_if_failed();
  const std::optional<std::string> hash =
      input.password ? std::optional(security::hash_password(*input.password)) : std::nullopt;

  return db_.write([&](soci::session& sql) {
    const auto school = repo::find_school(sql, school_id);
    if (!school) throw Error::not_found("No such school.");
    if (repo::find_user_by_email(sql, school_id, email)) {
      throw Error(ErrorCode::conflict, "A user with this email already exists in the school.",
                  {{"email", "Already used in this school."}});
    }
    User user;
    user.id = new_id();
    user.school_id = school_id;
    user.email = email;
    user.display_name = json::trim(*input.display_name);
    user.password_hash = hash;
    user.locale = input.locale.value_or(school->default_locale);
    user.status = hash ? "active" : "invited";
    user.created_at = user.updated_at = ctx.now_ms();
    user.roles = *roles;
    repo::insert_user(sql, user);
    require_seats(sql, plan_, user, std::nullopt);
    record_activity(sql, ctx, "user.created", "user", user.id);
    if (user.status == "invited") accounts_.invite_in(sql, ctx, user);
    return user;
  });
}

User UserService::update(const RequestContext& ctx, const std::string& id, const UserInput& input) {
  ctx.require(Permission::users_manage);
  const std::string& school_id = ctx.school();
  Validation v;
  if (input.email) v.fail("email", "An email address cannot change; create a new account instead.");
  if (input.password) v.fail("password", "Passwords are changed by their owner only.");
  check_common(input, v);
  if (input.status && *input.status != "active" && *input.status != "disabled") {
    v.fail("status", "Use active or disabled.");
  }
  std::optional<RoleSet> roles;
  if (input.roles) roles = school_roles(*input.roles, v);
  v.throw_if_failed();

  const User updated = db_.write([&](soci::session& sql) {
    auto user = repo::find_user(sql, school_id, id);
    if (!user || user->status == "deleted") throw Error::not_found("No such user in this school.");
    const User before = *user;
    if (ctx.user_id == id) {
      if (roles && !roles->has(Role::school_admin)) {
        throw Error::invalid("roles", "You cannot remove your own administrator role.");
      }
      if (input.status == "disabled") {
        throw Error::invalid("status", "You cannot disable your own account.");
      }
    }
    if (input.display_name) user->display_name = json::trim(*input.display_name);
    if (input.locale) user->locale = *input.locale;
    if (input.status) {
      if (user->status == "invited" && *input.status == "active") {
        throw Error::invalid("status", "An invited user becomes active by accepting the invitation.");
      }
      // Enabling again an account that never set a password gives it back its invitation:
      // an active account with no password would be one nobody can prove to own.
      user->status = *input.status == "active" && !user->password_hash ? "invited" : *input.status;
    }
    user->updated_at = ctx.now_ms();
    repo::update_user(sql, *user);
    if (roles) {
      user->roles = *roles;
      repo::set_roles(sql, *user);
    }
    require_seats(sql, plan_, *user, before);
    if (user->status == "disabled") repo::delete_sessions_of_user(sql, user->id);
    record_activity(sql, ctx, "user.updated", "user", user->id);
    return *user;
  });
  if (updated.status == "disabled") {
    sessions_.end_user(id, "account_disabled");
  } else {
    sessions_.evict_user(id);  // roles or status may have changed
  }
  return updated;
}

}  // namespace mnemos::users
