#pragma once
// The ai module: a path's sources (the teacher's documents) cut into passages and searched, and,
// built on them, the tutor and content generation (docs/ai.md). Other modules reach it only
// through this header and its events.
#include <mnemos/core/clock.hpp>
#include <mnemos/core/migrations.hpp>
#include <mnemos/core/plan.hpp>
#include <mnemos/core/usage.hpp>
#include <mnemos/http/router.hpp>
#include <mnemos/learning/catalog.hpp>
#include <mnemos/users/directory.hpp>

#include <cstdint>
#include <memory>
#include <string>

namespace soci {
class session;
}
namespace mnemos::db {
class Database;
}
namespace mnemos::jobs {
class Registry;
}

namespace mnemos::ai {

struct Limits {
  std::int64_t max_source_bytes = 20 << 20;             // one upload
  std::int64_t school_sources_bytes = std::int64_t(500) << 20;  // MNEMOS_AI_SOURCES_QUOTA_MB
  int daily_questions = 50;  // a student's questions to the tutor in 24 hours (MNEMOS_AI_DAILY_QUESTIONS)
};

// The model every school uses until the platform sets one for it (MNEMOS_AI_*; docs/ai.md).
struct ProviderConfig {
  std::string kind = "builtin";  // builtin | ollama | openai
  std::string url;
  std::string model;
  std::string embedding_model;
  std::string api_key;  // never logged, never returned
  int first_token_timeout_ms = 15000;
};

struct Dependencies {
  db::Database& db;
  const Clock& clock;
  jobs::Registry& jobs;
  const learning::Catalog& paths;
  const users::Directory& directory;
  std::string files_dir;  // where the sources' files are kept (MNEMOS_FILES_DIR)
  Limits limits;
  ProviderConfig provider;
  const PlanPolicy& plan;  // the AI tutor is a module of the school's plan (billing)
  const UsageMeter& usage;  // requests, tokens and stored bytes counted per school and day (billing)
};

// This module's section of a person's data export (users' GET /api/v1/me/export; core/personal_data.hpp).
std::string personal_data(soci::session& sql, const std::string& school_id, const std::string& user_id);

class Module {
 public:
  // Throws std::invalid_argument when the provider settings are incomplete (a start-up error).
  explicit Module(Dependencies deps);
  ~Module();

  static db::MigrationSet migrations();
  void register_routes(http::Router& router);
  // Indexing of sources, and the handlers of other modules' events.
  void register_jobs(jobs::Registry& registry);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mnemos::ai
