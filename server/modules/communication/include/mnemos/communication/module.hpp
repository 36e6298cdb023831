#pragma once
// The communication module: conversations and messages between people of one school, delivered
// live over /ws (docs/communication.md). Other modules reach it only through this header and its
// events.
#include <mnemos/core/clock.hpp>
#include <mnemos/core/migrations.hpp>
#include <mnemos/core/plan.hpp>
#include <mnemos/http/router.hpp>
#include <mnemos/learning/catalog.hpp>
#include <mnemos/users/directory.hpp>

#include <memory>
#include <string>
#include <vector>

namespace soci {
class session;
}
namespace mnemos::db {
class Database;
}
namespace mnemos::jobs {
class Registry;
}
namespace mnemos::realtime {
class Broadcaster;
}

namespace mnemos::communication {

struct Limits {
  double messages_per_minute = 60;  // a person's messages, sustained (MNEMOS_CHAT_MESSAGES_PER_MINUTE)
  double messages_burst = 20;       // and at once
  int digest_delay_s = 600;         // an unread message waits this long before its email digest (MNEMOS_CHAT_DIGEST_SECONDS)
};

// STUN/TURN servers for video rooms (MNEMOS_STUN_URLS, MNEMOS_TURN_URLS, MNEMOS_TURN_SECRET,
// MNEMOS_TURN_TTL_SECONDS): TURN credentials are coturn's `use-auth-secret` kind, made per person.
struct VideoSettings {
  std::vector<std::string> stun_urls;
  std::vector<std::string> turn_urls;
  std::string turn_secret;
  int turn_ttl_s = 6 * 3600;
};

struct Dependencies {
  db::Database& db;
  const Clock& clock;
  jobs::Registry& jobs;
  const users::Directory& directory;
  const learning::Catalog& paths;
  realtime::Broadcaster& broadcaster;
  Limits limits;
  std::string public_url;  // links in emails (MNEMOS_PUBLIC_URL)
  VideoSettings video;
  std::string files_dir;  // attachments' bytes (MNEMOS_FILES_DIR)
  const PlanPolicy& plan;  // video rooms are a module of the school's plan (billing)
};

// This module's section of a person's data export (users' GET /api/v1/me/export; core/personal_data.hpp).
std::string personal_data(soci::session& sql, const std::string& school_id, const std::string& user_id);

class Module {
 public:
  explicit Module(Dependencies deps);
  ~Module();

  static db::MigrationSet migrations();
  void register_routes(http::Router& router);
  // Class channels following class membership; a deleted account's messages erased.
  void register_jobs(jobs::Registry& registry);
  // `mnemos seed --demo`: the channels of the demo school's classes and of their paths (seeded without events).
  void seed_demo(const std::string& school_id, const std::vector<std::string>& class_ids);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mnemos::communication
