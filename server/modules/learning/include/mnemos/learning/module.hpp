#pragma once
// The learning module: learning paths, steps and content, revision sessions and the students'
// memory of each card, scheduled by the srs library. Other modules reach it only through this
// header and its events (docs/learning.md).
#include <mnemos/core/broadcaster.hpp>
#include <mnemos/core/clock.hpp>
#include <mnemos/core/migrations.hpp>
#include <mnemos/core/plan.hpp>
#include <mnemos/core/usage.hpp>
#include <mnemos/learning/catalog.hpp>
#include <mnemos/http/router.hpp>
#include <mnemos/users/directory.hpp>

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

namespace mnemos::learning {

struct Dependencies {
  db::Database& db;
  const Clock& clock;
  jobs::Registry& jobs;
  const users::Directory& directory;
  const PlanPolicy& plan;
  std::string files_dir;  // where pictures of lessons and cards are kept (MNEMOS_FILES_DIR)
  const UsageMeter& usage;  // active students per day (billing)
  realtime::Broadcaster& broadcaster;  // tells the other processes what their caches must drop
};

// This module's section of a person's data export (users' GET /api/v1/me/export; core/personal_data.hpp).
std::string personal_data(soci::session& sql, const std::string& school_id, const std::string& user_id);

class Module {
 public:
  explicit Module(Dependencies deps);
  ~Module();

  static db::MigrationSet migrations();
  void register_routes(http::Router& router);
  // What other modules may ask about paths (the AI tutor's sources and who may search them).
  const Catalog& catalog() const;
  // The optimizer job, and the handlers of other modules' events (a deleted account's data).
  void register_jobs(jobs::Registry& registry);
  // `mnemos seed --demo`: a sample path of `teacher_id` for the class, unless the teacher already
  // has a path; safe to run twice.
  void seed_demo(const std::string& school_id, const std::string& teacher_id,
                 const std::string& class_id, const std::string& subject_id);
  // `mnemos seed --load-test N`: a published path of one step of `cards` flashcards, assigned to
  // the classes, letting a student take up to 1,000 new cards a day. Returns the step's id.
  std::string seed_load_test(const std::string& school_id, const std::string& teacher_id,
                             const std::string& subject_id, const std::vector<std::string>& class_ids,
                             int cards);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mnemos::learning
