#include <mnemos/core/db.hpp>
#include <mnemos/core/jobs.hpp>
#include <mnemos/core/json.hpp>
#include <mnemos/learning/module.hpp>

#include "repository.hpp"
#include "routes.hpp"

#include <boost/json/object.hpp>

namespace mnemos::learning {

std::vector<EmbeddedFile> migration_files();  // generated from migrations/*.sql

struct Module::Impl {
  explicit Impl(Dependencies d)
      : deps(d),
        services{d.db, d.clock, d.jobs, d.directory, d.plan},
        paths(services),
        revision(services) {}
  Dependencies deps;
  Deps services;
  PathService paths;
  RevisionService revision;
};

Module::Module(Dependencies deps) : impl_(std::make_unique<Impl>(deps)) {}
Module::~Module() = default;

db::MigrationSet Module::migrations() { return {"learning", migration_files()}; }

void Module::register_routes(http::Router& router) {
  learning::register_routes(router, impl_->paths, impl_->revision);
}

namespace {
std::string field(const jobs::Job& job, const char* name) {
  const auto payload = json::parse(job.payload);
  const auto* value = payload.as_object().if_contains(name);
  return value != nullptr && value->is_string() ? std::string(value->get_string()) : std::string();
}
}  // namespace

void Module::register_jobs(jobs::Registry& registry) {
  registry.handle("learning.fit_parameters", [this](const jobs::Job& job) {
    if (!job.school_id) return;
    impl_->revision.fit_parameters(*job.school_id, field(job, "student_id"), field(job, "subject_id"));
  });
  // A deleted account takes its cards, reviews, sessions and settings with it (privacy).
  registry.handle("learning.forget_user", [this](const jobs::Job& job) {
    if (!job.school_id) return;
    const std::string user = field(job, "user_id");
    impl_->deps.db.write([&](soci::session& sql) { repo::forget_student(sql, *job.school_id, user); });
  });
  registry.subscribe("users.user_deleted", "learning.forget_user");
}

}  // namespace mnemos::learning
