#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mnemos {

enum class Role : std::uint8_t { platform_admin, school_admin, teacher, student, support };

std::string_view to_string(Role role);
std::optional<Role> role_from_string(std::string_view text);
const std::vector<Role>& all_roles();

// Named capabilities checked in services. Each role grants a fixed set (see permissions.cpp and
// docs/roles.md); a user may hold several roles in one school.
enum class Permission : std::uint8_t {
  platform_schools_manage,  // create and edit schools
  platform_mail_read,       // read the outgoing mail log
  school_read,              // see the school's settings
  school_manage,            // edit the school's settings
  users_read,               // list and look up users of the school
  users_manage,             // create, edit, deactivate, delete users; invitations; imports
  classes_read,
  classes_manage,
  subjects_manage,
  activity_read,            // read the activity log
  jobs_read,                // read job and error views (support)
  jobs_manage,              // retry dead jobs (platform)
  paths_read,               // see the school's learning paths and their progress
  paths_manage,             // create learning paths (editing: the owner and those it is shared with)
  billing_read,             // see the school's subscription, seats and invoices (platform: every school's)
  billing_manage,           // change the school's plan, billing details and payment method
  platform_billing_manage,  // plans and their prices; payments recorded by hand
  kCount
};

std::string_view to_string(Permission permission);

class RoleSet {
 public:
  RoleSet() = default;
  explicit RoleSet(std::vector<Role> roles) : roles_(std::move(roles)) {}
  bool has(Role role) const;
  bool can(Permission permission) const;
  bool empty() const { return roles_.empty(); }
  const std::vector<Role>& list() const { return roles_; }
  void add(Role role);

 private:
  std::vector<Role> roles_;
};

bool role_grants(Role role, Permission permission);

}  // namespace mnemos
