#include <mnemos/ai/module.hpp>
#include <mnemos/core/jobs.hpp>
#include <mnemos/core/json.hpp>

#include "messages.hpp"
#include "routes.hpp"
#include "sources.hpp"

#include <boost/json/object.hpp>

namespace mnemos::ai {

std::vector<EmbeddedFile> migration_files();  // generated from migrations/*.sql

struct Module::Impl {
  explicit Impl(Dependencies d) : deps(std::move(d)), sources(deps) {}
  Dependencies deps;
  SourceService sources;
};

Module::Module(Dependencies deps) : impl_(std::make_unique<Impl>(std::move(deps))) {
  messages::add_catalog(french_messages());
}
Module::~Module() = default;

db::MigrationSet Module::migrations() { return {"ai", migration_files()}; }

void Module::register_routes(http::Router& router) { ai::register_routes(router, impl_->sources); }

void Module::register_jobs(jobs::Registry& registry) {
  // Reading a source is the slow part of an upload; a failure of the file itself is recorded on
  // the source, so an attempt fails only for the server's reasons (a database restart) and retries.
  registry.handle("ai.index_source", [this](const jobs::Job& job) {
    if (!job.school_id) return;
    const auto payload = json::parse(job.payload);
    const auto* id = payload.as_object().if_contains("source_id");
    if (id == nullptr || !id->is_string()) return;
    impl_->sources.index(*job.school_id, std::string(id->get_string()));
  }, 5);
}

}  // namespace mnemos::ai
