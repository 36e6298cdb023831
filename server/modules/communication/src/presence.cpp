// Presence (presence.hpp): connections counted per process, rows shared through the database, and
// changes told over /ws to the people one shares a conversation with.
#include <mnemos/core/broadcaster.hpp>
#include <mnemos/core/db.hpp>
#include <mnemos/core/security.hpp>

#include "presence.hpp"
#include "repository.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>
#include <unistd.h>

namespace mnemos::communication {

PresenceService::PresenceService(Dependencies& deps)
    : deps_(deps), process_id_(std::to_string(::getpid()) + "-" + security::random_token(9)) {
  refresher_ = std::thread([this] { refresh_loop(); });
}

PresenceService::~PresenceService() {
  bool wrote_rows = false;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    wrote_rows = wrote_rows_;
  }
  stop_signal_.notify_all();
  refresher_.join();
  // A clean stop: this process's people are no longer here (a crash leaves rows that go stale).
  // A command run before the migrations, such as the build's OpenAPI export, has no table to clear.
  if (!wrote_rows) return;
  try {
    deps_.db.write([&](soci::session& sql) {
      sql << "DELETE FROM communication_presence WHERE process_id = :process", soci::use(process_id_);
    });
  } catch (const std::exception& error) {
    spdlog::warn("presence: could not clear this process's rows: {}", error.what());
  }
}

void PresenceService::refresh_loop() {
  std::unique_lock lock(mutex_);
  while (!stop_signal_.wait_for(lock, std::chrono::milliseconds(kPresenceRefreshMs), [this] { return stopping_; })) {
    if (connections_.empty()) continue;
    lock.unlock();
    try {
      const auto now = deps_.clock.now_ms();
      deps_.db.write([&](soci::session& sql) {
        sql << "UPDATE communication_presence SET seen_at = :now WHERE process_id = :process", soci::use(now),
            soci::use(process_id_);
      });
    } catch (const std::exception& error) {
      spdlog::warn("presence: refresh failed: {}", error.what());
    }
    lock.lock();
  }
}

void PresenceService::connection(const RequestContext& ctx, bool open) {
  if (!ctx.user_id || !ctx.school_id) return;  // platform staff belong to no school's chat
  const auto& user = *ctx.user_id;
  const auto& school = *ctx.school_id;
  bool changed = false;
  {
    // Held through the write: this process's row follows its count even when a person's tabs open
    // and close at once on several threads.
    std::lock_guard lock(mutex_);
    int& count = connections_[user];
    const bool first = open && count++ == 0;
    const bool last = !open && count > 0 && --count == 0;
    if (count == 0) connections_.erase(user);
    if (!first && !last) return;
    const auto now = deps_.clock.now_ms();
    const std::int64_t fresh = now - kPresenceStaleMs;
    deps_.db.write([&](soci::session& sql) {
      int elsewhere = 0;
      sql << "SELECT COUNT(*) FROM communication_presence WHERE user_id = :user AND process_id <> :process AND "
             "seen_at > :fresh",
          soci::use(user), soci::use(process_id_), soci::use(fresh), soci::into(elsewhere);
      sql << "DELETE FROM communication_presence WHERE user_id = :user AND process_id = :process", soci::use(user),
          soci::use(process_id_);
      if (first) {
        sql << "INSERT INTO communication_presence (user_id, process_id, school_id, seen_at) VALUES (:user, "
               ":process, :school, :now)",
            soci::use(user), soci::use(process_id_), soci::use(school), soci::use(now);
      }
      changed = elsewhere == 0;
    });
    wrote_rows_ = wrote_rows_ || first;
  }
  if (changed) tell(school, user, open);
}

std::set<std::string> PresenceService::online(soci::session& sql, const std::string& school_id,
                                              const std::vector<std::string>& user_ids) const {
  std::set<std::string> out;
  if (user_ids.empty()) return out;
  // Only the people asked about: a school at 8:00 has thousands online.
  const std::int64_t fresh = deps_.clock.now_ms() - kPresenceStaleMs;
  const std::string ids = db::json_list(user_ids);
  std::string user;
  soci::statement st = (sql.prepare << "SELECT DISTINCT user_id FROM communication_presence WHERE school_id = :school "
                                       "AND seen_at > :fresh AND " + db::in_list(sql, "user_id", "ids"),
                        soci::use(school_id), soci::use(fresh), soci::use(ids), soci::into(user));
  st.execute();
  while (st.fetch()) out.insert(user);
  return out;
}

void PresenceService::tell(const std::string& school_id, const std::string& user_id, bool online) {
  std::set<std::string> people;
  deps_.db.read([&](soci::session& sql) {
    for (const auto& conversation : repo::conversation_ids_of(sql, school_id, user_id)) {
      // Not through big channels: a path given to a whole school would tell each of its thousands
      // of members of every other one's tab (quadratic). Their members see who is online when they
      // open the conversation.
      auto members = repo::member_ids_up_to(sql, school_id, conversation, kPresenceChannelLimit);
      if (!members) continue;
      for (auto& id : *members) people.insert(std::move(id));
    }
  });
  people.erase(user_id);
  const auto message = realtime::envelope(
      "presence.changed", boost::json::serialize(boost::json::object{{"user_id", user_id}, {"online", online}}));
  for (const auto& id : people) deps_.broadcaster.publish(realtime::user_topic(id), message);
}

}  // namespace mnemos::communication
