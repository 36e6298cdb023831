#pragma once
#include "services.hpp"

#include <mnemos/http/router.hpp>

namespace mnemos::users {

struct Services {
  SessionCache sessions;
  AuthService auth;
  AccountService accounts;
  SchoolService schools;
  UserService users;
  SubjectService subjects;
  ClassService classes;
  ImportService imports;
  PrivacyService privacy;
};

void register_routes(http::Router& router, Services& services, const Config& config);

}  // namespace mnemos::users
