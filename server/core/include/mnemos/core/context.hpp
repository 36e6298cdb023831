#pragma once
#include <mnemos/core/clock.hpp>
#include <mnemos/core/permissions.hpp>

#include <optional>
#include <string>

namespace mnemos {

// Who is acting, for which school, in which request. The only source of the tenant for services.
struct RequestContext {
  std::string request_id;
  std::optional<std::string> school_id;  // empty for platform staff acting platform-wide
  std::optional<std::string> user_id;    // empty for anonymous requests and system jobs
  RoleSet roles;
  std::string client_ip;
  std::string locale = "fr";
  std::string csrf_token;  // of a cookie session, so the web app can recover it after a reload
  const Clock* clock = nullptr;

  std::int64_t now_ms() const { return clock->now_ms(); }
  bool authenticated() const { return user_id.has_value(); }
  bool can(Permission permission) const { return roles.can(permission); }
  // Throws Error(unauthorized/forbidden) unless the actor holds `permission`.
  void require(Permission permission) const;
  // The school the actor acts in; throws Error(forbidden) for a platform-wide actor.
  const std::string& school() const;

  // A context for jobs and CLI commands acting as the system within one school (or none).
  static RequestContext system(const Clock& clock, std::optional<std::string> school_id = {});
};

}  // namespace mnemos
