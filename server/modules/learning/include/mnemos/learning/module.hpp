#pragma once
// The learning module: learning paths, steps and content, revision sessions and the students'
// memory of each card, scheduled by the srs library. Other modules reach it only through this
// header and its events (docs/learning.md).
#include <mnemos/core/clock.hpp>
#include <mnemos/core/migrations.hpp>
#include <mnemos/core/plan.hpp>
#include <mnemos/http/router.hpp>
#include <mnemos/users/directory.hpp>

#include <memory>

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
};

class Module {
 public:
  explicit Module(Dependencies deps);
  ~Module();

  static db::MigrationSet migrations();
  void register_routes(http::Router& router);
  // The optimizer job, and the handlers of other modules' events (a deleted account's data).
  void register_jobs(jobs::Registry& registry);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mnemos::learning
