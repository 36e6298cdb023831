#pragma once
#include <mnemos/core/permissions.hpp>
#include <mnemos/http/request.hpp>

#include <optional>
#include <string>

namespace mnemos::http {

// Who a request speaks for, found from its session cookie or bearer token.
struct Identity {
  std::string user_id;
  std::optional<std::string> school_id;
  RoleSet roles;
  std::string locale;
  bool via_cookie = false;     // cookie sessions must prove CSRF on state changes
  std::string csrf_token;      // the session's CSRF token (cookie sessions only)
  std::string credential_id;   // the login session's or API token's id (real-time topics)
  bool read_only = false;      // the school's space is read-only (PlanPolicy::read_only)
};

// Implemented by the users module; may block (it reads the database).
class Authenticator {
 public:
  virtual ~Authenticator() = default;
  virtual std::optional<Identity> authenticate(const Request& request) = 0;
};

inline constexpr std::string_view kSessionCookie = "mnemos_session";

}  // namespace mnemos::http
