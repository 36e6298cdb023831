#include <mnemos/core/db.hpp>
#include <mnemos/core/ids.hpp>
#include <mnemos/core/json.hpp>
#include <mnemos/core/security.hpp>
#include <mnemos/users/module.hpp>

#include "directory.hpp"
#include "messages.hpp"
#include "repository.hpp"
#include "routes.hpp"

#include <spdlog/spdlog.h>

#include <cstdio>

namespace mnemos::users {

std::vector<EmbeddedFile> migration_files();  // generated from migrations/*.sql

struct Module::Impl {
  explicit Impl(Dependencies d)
      : deps(d),
        services{SessionCache(d.broadcaster, std::int64_t{d.config.session_cache_s} * 1000),
                 AuthService(d.db, d.clock, d.config, d.plan, services.sessions),
                 AccountService(d.db, d.clock, d.config, services.sessions),
                 SchoolService(d.db, d.clock, d.jobs, services.sessions),
                 UserService(d.db, d.clock, d.plan, services.accounts, services.sessions),
                 SubjectService(d.db, d.clock),
                 ClassService(d.db, d.clock, d.jobs),
                 ImportService(d.db, d.clock, d.jobs, d.plan, services.accounts),
                 PrivacyService(d.db, d.clock, d.jobs, services.sessions, d.config.files_dir)} {}
  Dependencies deps;
  Services services;
  SqlDirectory directory;
};

Module::Module(Dependencies deps) : impl_(std::make_unique<Impl>(deps)) {
  messages::add_catalog(french_messages());
}
Module::~Module() = default;

db::MigrationSet Module::migrations() { return {"users", migration_files()}; }

void Module::register_routes(http::Router& router) {
  users::register_routes(router, impl_->services, impl_->deps.config);
}

void Module::register_jobs(jobs::Registry&) {}

http::Authenticator& Module::authenticator() { return impl_->services.auth; }

const Directory& Module::directory() const { return impl_->directory; }

void Module::add_personal_data(std::string name, PersonalDataSection section) {
  impl_->services.privacy.add_section(std::move(name), std::move(section));
}

namespace {

// Creates the user unless the school already has one with this email.
void ensure_user(soci::session& sql, const std::optional<std::string>& school_id,
                 const std::string& email, const std::string& name, std::vector<Role> roles,
                 const std::string& hash, const std::string& locale, std::int64_t now) {
  if (repo::find_user_by_email(sql, school_id, email)) return;
  User user;
  user.id = new_id();
  user.school_id = school_id;
  user.email = email;
  user.display_name = name;
  user.password_hash = hash;
  user.locale = locale;
  user.status = "active";
  user.created_at = user.updated_at = now;
  user.roles = RoleSet(std::move(roles));
  repo::insert_user(sql, user);
}

std::string ensure_school(soci::session& sql, const std::string& slug, const std::string& name,
                          const std::string& timezone, const std::string& locale, std::int64_t now) {
  if (auto existing = repo::find_school_by_slug(sql, slug)) return existing->id;
  School school{new_id(), name, slug, timezone, locale, "active", now, now};
  repo::insert_school(sql, school);
  return school.id;
}

// Two classes of 15 numbered students each, both taught by teacher@demo.test (teacher2 joins the
// second), and three subjects.
void ensure_subjects_and_classes(soci::session& sql, const std::string& school_id, std::int64_t now) {
  for (const char* name : {"Mathématiques", "Histoire-Géographie", "Anglais"}) {
    if (!repo::find_subject_by_name(sql, school_id, name)) {
      repo::insert_subject(sql, Subject{new_id(), school_id, name, now, now});
    }
  }
  const std::string year = school_year_of(now);
  const auto teacher = repo::find_user_by_email(sql, school_id, "teacher@demo.test");
  const auto teacher2 = repo::find_user_by_email(sql, school_id, "teacher2@demo.test");
  const auto student = repo::find_user_by_email(sql, school_id, "student@demo.test");
  const std::pair<const char*, int> classes[] = {{"4e A", 1}, {"4e B", 16}};
  for (const auto& [name, first] : classes) {
    if (repo::find_class_by_name(sql, school_id, year, name)) continue;
    SchoolClass c{new_id(), school_id, name, "4e", year, now, now, 0, 0, {}};
    repo::insert_class(sql, c);
    std::vector<ClassMember> members{{teacher->id, "", "", "teacher"}};
    if (first == 16) members.push_back({teacher2->id, "", "", "teacher"});
    if (first == 1) members.push_back({student->id, "", "", "student"});
    for (int i = first; i < first + 15; ++i) {
      char email[32];
      std::snprintf(email, sizeof email, "student%02d@demo.test", i);
      members.push_back({repo::find_user_by_email(sql, school_id, email)->id, "", "", "student"});
    }
    repo::set_class_members(sql, c, members, now);
  }
}

}  // namespace

Module::DemoSchool Module::seed_demo() {
  auto& db = impl_->deps.db;
  const std::int64_t now = impl_->deps.clock.now_ms();
  // Every demo account shares the documented password, so one hash serves them all and seeding
  // stays quick (argon2id is deliberately slow).
  const std::string hash = security::hash_password("mnemos-demo");
  DemoSchool demo_school;
  db.write([&](soci::session& sql) {
    ensure_user(sql, std::nullopt, "platform@mnemos.test", "Platform Admin",
                {Role::platform_admin}, hash, "en", now);
    const std::string demo =
        ensure_school(sql, "demo", "Collège Démo", "Europe/Paris", "fr", now);
    ensure_user(sql, demo, "admin@demo.test", "Alice Martin", {Role::school_admin}, hash, "fr", now);
    ensure_user(sql, demo, "teacher@demo.test", "Thomas Bernard", {Role::teacher}, hash, "fr", now);
    ensure_user(sql, demo, "teacher2@demo.test", "Camille Petit", {Role::teacher}, hash, "fr", now);
    ensure_user(sql, demo, "student@demo.test", "Sam Durand", {Role::student}, hash, "fr", now);
    ensure_user(sql, demo, "support@demo.test", "Sofia Support", {Role::support}, hash, "fr", now);
    for (int i = 1; i <= 30; ++i) {
      char email[32];
      std::snprintf(email, sizeof email, "student%02d@demo.test", i);
      char name[32];
      std::snprintf(name, sizeof name, "Élève %02d", i);
      ensure_user(sql, demo, email, name, {Role::student}, hash, "fr", now);
    }
    ensure_subjects_and_classes(sql, demo, now);
    demo_school.school_id = demo;
    demo_school.teacher_id = repo::find_user_by_email(sql, demo, "teacher@demo.test")->id;
    demo_school.class_id = repo::find_class_by_name(sql, demo, school_year_of(now), "4e A")->id;
    demo_school.subject_id = repo::find_subject_by_name(sql, demo, "Anglais")->id;
    for (const char* name : {"4e A", "4e B"}) {
      demo_school.class_ids.push_back(repo::find_class_by_name(sql, demo, school_year_of(now), name)->id);
    }
    const std::string other = ensure_school(sql, "other", "Other School", "Europe/London", "en", now);
    demo_school.other_school_id = other;
    ensure_user(sql, other, "admin@other.test", "Olivia Admin", {Role::school_admin}, hash, "en", now);
    ensure_user(sql, other, "teacher@other.test", "Oscar Teacher", {Role::teacher}, hash, "en", now);
    ensure_user(sql, other, "student@other.test", "Oona Student", {Role::student}, hash, "en", now);
    ensure_user(sql, other, "support@other.test", "Otto Support", {Role::support}, hash, "en", now);
  });
  spdlog::info("demo schools seeded: demo, other (password: mnemos-demo)");
  return demo_school;
}

Module::LoadTestSchool Module::seed_load_test(int students, int class_size) {
  const auto class_members = static_cast<std::size_t>(class_size);
  constexpr std::int64_t kSessionMs = 14LL * 24 * 3600 * 1000;
  auto& db = impl_->deps.db;
  const std::int64_t now = impl_->deps.clock.now_ms();
  const std::string hash = security::hash_password("mnemos-load");
  LoadTestSchool out;
  db.write([&](soci::session& sql) {
    if (repo::find_school_by_slug(sql, "load-test")) {
      throw std::runtime_error("the school 'load-test' exists already: seed a fresh database");
    }
    out.school_id = ensure_school(sql, "load-test", "Load test", "Europe/Paris", "fr", now);
    ensure_user(sql, out.school_id, "teacher@load.test", "Load Teacher", {Role::teacher}, hash, "fr", now);
    out.teacher_id = repo::find_user_by_email(sql, out.school_id, "teacher@load.test")->id;
    out.subject_id = new_id();
    repo::insert_subject(sql, Subject{out.subject_id, out.school_id, "Anglais", now, now});
    const std::string year = school_year_of(now);
    std::vector<ClassMember> members;
    auto close_class = [&] {
      SchoolClass c{new_id(), out.school_id, "Classe " + std::to_string(out.class_ids.size() + 1),
                    "4e", year, now, now, 0, 0, {}};
      repo::insert_class(sql, c);
      members.push_back({out.teacher_id, "", "", "teacher"});
      repo::set_class_members(sql, c, members, now);
      out.class_ids.push_back(c.id);
      members.clear();
    };
    for (int i = 1; i <= students; ++i) {
      User user;
      user.id = new_id();
      user.school_id = out.school_id;
      user.email = "student" + std::to_string(i) + "@load.test";
      user.display_name = "Élève " + std::to_string(i);
      user.password_hash = hash;
      user.locale = "fr";
      user.status = "active";
      user.created_at = user.updated_at = now;
      user.roles = RoleSet({Role::student});
      repo::insert_user(sql, user);
      LoadTestStudent student{user.id, security::random_token(32), security::random_token(24)};
      repo::insert_session(sql, {new_id(), security::token_hash(student.session_token), user.id,
                                 out.school_id, student.csrf_token, now, now + kSessionMs,
                                 "mnemos-load", "127.0.0.1"});
      members.push_back({user.id, "", "", "student"});
      if (members.size() == class_members) close_class();
      out.students.push_back(std::move(student));
    }
    if (!members.empty()) close_class();
  });
  spdlog::info("load-test school seeded: {} students in {} classes", students, out.class_ids.size());
  return out;
}

std::string Module::create_platform_admin(const std::string& email,
                                          const std::string& display_name,
                                          const std::string& password) {
  const std::string address = json::lowercase_ascii(json::trim(email));
  if (!json::looks_like_email(address)) throw Error::invalid("email", "Give a valid email address.");
  check_password_policy(password, address, "password");
  const std::string hash = security::hash_password(password);
  auto& deps = impl_->deps;
  return deps.db.write([&](soci::session& sql) {
    if (repo::find_user_by_email(sql, std::nullopt, address)) {
      throw Error::conflict("A platform account with this email already exists.");
    }
    User user;
    user.id = new_id();
    user.email = address;
    user.display_name = display_name.empty() ? address : display_name;
    user.password_hash = hash;
    user.locale = "en";
    user.status = "active";
    user.created_at = user.updated_at = deps.clock.now_ms();
    user.roles = RoleSet({Role::platform_admin});
    repo::insert_user(sql, user);
    return user.id;
  });
}

}  // namespace mnemos::users
