#include <mnemos/ai/module.hpp>
#include <mnemos/core/jobs.hpp>
#include <mnemos/core/json.hpp>

#include "messages.hpp"
#include "providers.hpp"
#include "routes.hpp"
#include "sources.hpp"
#include "generation_service.hpp"
#include "tutor.hpp"

#include <mnemos/core/db.hpp>

#include <boost/json/object.hpp>
#include <spdlog/spdlog.h>

namespace mnemos::ai {

std::vector<EmbeddedFile> migration_files();  // generated from migrations/*.sql

namespace {
// The endpoint without what may follow its host (a path, credentials in the address are refused
// by the log: only scheme and host are written).
std::string host_of(const std::string& url) {
  const auto scheme = url.find("://");
  const auto start = scheme == std::string::npos ? 0 : scheme + 3;
  auto host = url.substr(start, url.find('/', start) - start);
  if (const auto at = host.rfind('@'); at != std::string::npos) host = host.substr(at + 1);
  return url.substr(0, start) + host;
}
}  // namespace

struct Module::Impl {
  explicit Impl(Dependencies d)
      : deps(std::move(d)),
        providers(deps.provider),
        sources(deps, providers),
        tutor(deps, providers),
        generation(deps, providers),
        school_settings(deps) {
    if (deps.provider.kind != "builtin" && !deps.provider.kind.empty()) {
      spdlog::info("ai: {} at {} with {}", deps.provider.kind, host_of(deps.provider.url), deps.provider.model);
    } else {
      spdlog::info("ai: built-in provider (no model): the tutor quotes the course");
    }
  }
  Dependencies deps;
  ProviderPool providers;  // the server's default model, and each school's own
  SourceService sources;
  TutorService tutor;
  GenerationService generation;
  SchoolAiService school_settings;
};

Module::Module(Dependencies deps) : impl_(std::make_unique<Impl>(std::move(deps))) {
  messages::add_catalog(french_messages());
}
Module::~Module() = default;

db::MigrationSet Module::migrations() { return {"ai", migration_files()}; }

void Module::register_routes(http::Router& router) {
  ai::register_routes(router, impl_->sources);
  register_tutor_routes(router, impl_->tutor);
  register_generation_routes(router, impl_->generation);
  register_settings_routes(router, impl_->school_settings);
}

namespace {
// A school's job whose payload names one id (`field`): the handler gets the school and the id; a
// payload without them (a job queued by an older version) is done, with nothing to do.
jobs::Handler with_id(const char* field, std::function<void(const std::string&, const std::string&)> work) {
  return [field, work = std::move(work)](const jobs::Job& job) {
    if (!job.school_id) return;
    const auto payload = json::parse(job.payload);
    const auto* id = payload.is_object() ? payload.as_object().if_contains(field) : nullptr;
    if (id == nullptr || !id->is_string()) return;
    work(*job.school_id, std::string(id->get_string()));
  };
}
}  // namespace

void Module::register_jobs(jobs::Registry& registry) {
  // Reading a source is the slow part of an upload; a failure of the file itself is recorded on
  // the source, so an attempt fails only for the server's reasons (a database restart) and retries.
  registry.handle("ai.index_source", with_id("source_id", [this](const std::string& school, const std::string& id) {
    impl_->sources.index(school, id);
  }), 5);
  // The path's own lessons, read again when the path is made and after each change to them.
  registry.handle("ai.index_lessons", with_id("path_id", [this](const std::string& school, const std::string& id) {
    impl_->sources.index_lessons(school, id);
  }), 5);
  registry.subscribe("learning.path_created", "ai.index_lessons");
  registry.subscribe("learning.lessons_changed", "ai.index_lessons");
  // A deleted account takes its exchanges with the tutor and its agents with it (privacy).
  registry.handle("ai.forget_user", with_id("user_id", [this](const std::string& school, const std::string& id) {
    impl_->deps.db.write([&](soci::session& sql) { repo::forget_user(sql, school, id); });
  }));
  registry.subscribe("users.user_deleted", "ai.forget_user");
}

}  // namespace mnemos::ai
