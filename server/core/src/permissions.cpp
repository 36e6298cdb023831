#include <mnemos/core/context.hpp>
#include <mnemos/core/error.hpp>
#include <mnemos/core/permissions.hpp>

#include <algorithm>

namespace mnemos {

std::string_view to_string(Role role) {
  switch (role) {
    case Role::platform_admin: return "platform_admin";
    case Role::school_admin: return "school_admin";
    case Role::teacher: return "teacher";
    case Role::student: return "student";
    case Role::support: return "support";
  }
  return "unknown";
}

std::optional<Role> role_from_string(std::string_view text) {
  for (Role role : all_roles()) {
    if (to_string(role) == text) return role;
  }
  return std::nullopt;
}

const std::vector<Role>& all_roles() {
  static const std::vector<Role> roles{Role::platform_admin, Role::school_admin, Role::teacher,
                                       Role::student, Role::support};
  return roles;
}

std::string_view to_string(Permission permission) {
  switch (permission) {
    case Permission::platform_schools_manage: return "platform.schools.manage";
    case Permission::platform_mail_read: return "platform.mail.read";
    case Permission::school_read: return "school.read";
    case Permission::school_manage: return "school.manage";
    case Permission::users_read: return "users.read";
    case Permission::users_manage: return "users.manage";
    case Permission::classes_read: return "classes.read";
    case Permission::classes_manage: return "classes.manage";
    case Permission::subjects_manage: return "subjects.manage";
    case Permission::activity_read: return "activity.read";
    case Permission::jobs_read: return "jobs.read";
    case Permission::jobs_manage: return "jobs.manage";
    case Permission::paths_read: return "paths.read";
    case Permission::paths_manage: return "paths.manage";
    case Permission::billing_read: return "billing.read";
    case Permission::billing_manage: return "billing.manage";
    case Permission::platform_billing_manage: return "platform.billing.manage";
    case Permission::kCount: break;
  }
  return "unknown";
}

// The one table of who may do what. Support is read-only; students and teachers reach their own
// data through ownership checks in services rather than through these school-wide capabilities.
bool role_grants(Role role, Permission permission) {
  using P = Permission;
  switch (role) {
    case Role::platform_admin:
      return permission == P::platform_schools_manage || permission == P::platform_mail_read ||
             permission == P::jobs_read || permission == P::jobs_manage || permission == P::billing_read ||
             permission == P::platform_billing_manage;
    case Role::school_admin:
      return permission == P::school_read || permission == P::school_manage ||
             permission == P::users_read || permission == P::users_manage ||
             permission == P::classes_read || permission == P::classes_manage ||
             permission == P::subjects_manage || permission == P::activity_read ||
             permission == P::paths_read || permission == P::billing_read || permission == P::billing_manage;
    case Role::teacher:
      return permission == P::school_read || permission == P::users_read ||
             permission == P::classes_read || permission == P::paths_read ||
             permission == P::paths_manage;
    case Role::student:
      return permission == P::school_read;
    case Role::support:
      return permission == P::school_read || permission == P::users_read ||
             permission == P::classes_read || permission == P::activity_read ||
             permission == P::jobs_read || permission == P::paths_read;
  }
  return false;
}

bool RoleSet::has(Role role) const {
  return std::find(roles_.begin(), roles_.end(), role) != roles_.end();
}

bool RoleSet::can(Permission permission) const {
  return std::any_of(roles_.begin(), roles_.end(),
                     [&](Role role) { return role_grants(role, permission); });
}

void RoleSet::add(Role role) {
  if (!has(role)) roles_.push_back(role);
}

void RequestContext::require(Permission permission) const {
  if (!authenticated()) throw Error::unauthorized("Please log in.");
  if (!can(permission)) {
    throw Error::forbidden("Your role does not allow this action (" +
                           std::string(to_string(permission)) + ").");
  }
}

const std::string& RequestContext::school() const {
  if (!school_id) throw Error::forbidden("This action happens inside a school.");
  return *school_id;
}

RequestContext RequestContext::system(const Clock& clock, std::optional<std::string> school_id) {
  RequestContext ctx;
  ctx.request_id = "system";
  ctx.school_id = std::move(school_id);
  ctx.clock = &clock;
  return ctx;
}

}  // namespace mnemos
