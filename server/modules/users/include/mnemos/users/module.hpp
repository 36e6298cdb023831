#pragma once
// The users module: schools (tenants), accounts, roles, sessions, classes, subjects.
// Other modules reach it only through this header.
#include <mnemos/core/clock.hpp>
#include <mnemos/core/config.hpp>
#include <mnemos/core/migrations.hpp>
#include <mnemos/core/plan.hpp>
#include <mnemos/core/personal_data.hpp>
#include <mnemos/http/auth.hpp>
#include <mnemos/http/router.hpp>
#include <mnemos/users/directory.hpp>

#include <memory>
#include <string>
#include <vector>

namespace mnemos::db {
class Database;
}
namespace mnemos::jobs {
class Registry;
}
namespace mnemos::realtime {
class Broadcaster;
}

namespace mnemos::users {

struct Dependencies {
  db::Database& db;
  const Clock& clock;
  jobs::Registry& jobs;
  const Config& config;
  realtime::Broadcaster& broadcaster;  // tells open WebSockets that their session ended
  const PlanPolicy& plan;              // the seats a school's plan allows (billing)
};

class Module {
 public:
  explicit Module(Dependencies deps);
  ~Module();

  static db::MigrationSet migrations();
  void register_routes(http::Router& router);
  void register_jobs(jobs::Registry& registry);
  http::Authenticator& authenticator();
  // Read-only answers about people, classes and subjects for other modules.
  const Directory& directory() const;
  // Another module's section of a person's data export (GET /api/v1/me/export), under `name`.
  void add_personal_data(std::string name, PersonalDataSection section);

  // What other modules' demo data is built on: the demo school, its teacher, class 4e A and the
  // English subject.
  struct DemoSchool {
    std::string school_id, teacher_id, class_id, subject_id;
    std::vector<std::string> class_ids;  // every class of the demo school
    std::string other_school_id;         // the second school, for isolation
  };
  // `mnemos seed --demo`: the demo schools of README.md; safe to run twice.
  DemoSchool seed_demo();
  // `mnemos seed --load-test N` (bench/load): a school of N students in classes of 30, each with a
  // signed-in session, so the load generator skips N logins. One password hash serves them all.
  struct LoadTestStudent {
    std::string id, session_token, csrf_token;
  };
  struct LoadTestSchool {
    std::string school_id, teacher_id, subject_id;
    std::vector<std::string> class_ids;
    std::vector<LoadTestStudent> students;
  };
  LoadTestSchool seed_load_test(int students, int class_size = 30);
  // `mnemos user create --platform-admin`: the first platform administrator. Returns its id.
  std::string create_platform_admin(const std::string& email, const std::string& display_name,
                                    const std::string& password);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mnemos::users
