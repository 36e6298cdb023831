#pragma once
// What every answer reads and teachers rarely change, kept in memory: paths,
// steps, items, memory settings, fitted parameters and schools' time zones
// (docs/decisions/0008). Every change made through this process drops the
// entries it may affect at once and tells the other processes through the
// broadcaster (topic `cache:learning`, which no WebSocket hears), which drop
// theirs. An entry's life bounds how late a change is seen only when that message
// cannot travel (several processes without Redis, or Redis down) and for time
// zones, which the users module changes: a minute, ten for the settings and
// fitted parameters every answer of every student needs.
#include "domain.hpp"

#include <mnemos/core/broadcaster.hpp>

#include <soci/soci.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace mnemos::learning {

namespace cache_detail {

// One kind of entry. A load that raced with a change (it began before the
// change and ends after) is returned but not kept: the generation tells.
template <typename Value> class Table {
public:
  // A minute: a student answers every few seconds, and a shorter life (10 s was tried) made one
  // read in two a miss with 20,000 students answering every 8 s.
  static constexpr std::int64_t kDefaultTtlMs = 60'000;
  static constexpr std::size_t kMaxEntries =
      100'000; // then it starts afresh: bounded memory

  explicit Table(std::int64_t ttl_ms = kDefaultTtlMs) : ttl_ms_(ttl_ms) {}

  template <typename Load> Value get(const std::string &key, Load &&load) {
    const std::int64_t now = now_ms();
    std::uint64_t generation = 0;
    {
      std::lock_guard lock(mutex_);
      if (const auto found = entries_.find(key);
          found != entries_.end() && found->second.expires_at > now) {
        return found->second.value;
      }
      generation = generation_;
    }
    Value value = load();
    std::lock_guard lock(mutex_);
    if (generation == generation_) {
      if (entries_.size() >= kMaxEntries)
        entries_.clear();
      entries_.insert_or_assign(key, Entry{value, now + ttl_ms_});
    }
    return value;
  }

  // For a value read outside get() (with other rows, in one statement): taken before that read
  // and given to keep().
  std::uint64_t generation() {
    std::lock_guard lock(mutex_);
    return generation_;
  }

  // Keeps a value read outside get(), unless a change came after `read_at` (a generation()).
  void keep(const std::string &key, Value value, std::uint64_t read_at) {
    const std::int64_t now = now_ms();
    std::lock_guard lock(mutex_);
    if (read_at != generation_) return;
    if (entries_.size() >= kMaxEntries)
      entries_.clear();
    entries_.insert_or_assign(key, Entry{std::move(value), now + ttl_ms_});
  }

  void clear() {
    std::lock_guard lock(mutex_);
    entries_.clear();
    ++generation_;
  }

  void erase(const std::string &key) {
    std::lock_guard lock(mutex_);
    entries_.erase(key);
    ++generation_;
  }

private:
  static std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }
  struct Entry {
    Value value;
    std::int64_t expires_at;
  };
  const std::int64_t ttl_ms_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  std::uint64_t generation_ = 0;
};

} // namespace cache_detail

class LearningCache {
public:
  // Per student: at 20,000 students answering every 8 s a minute's life left ~330 reads a second
  // of each (docs/performance.md).
  static constexpr std::int64_t kPerStudentTtlMs = 600'000;
  static constexpr std::string_view kTopic = "cache:learning";

  explicit LearningCache(realtime::Broadcaster &broadcaster);
  LearningCache(const LearningCache &) = delete;
  LearningCache &operator=(const LearningCache &) = delete;

  // Keys carry the school: an id from another school is never served from here.
  cache_detail::Table<std::optional<Path>> paths;
  cache_detail::Table<std::optional<Step>> steps;
  cache_detail::Table<std::shared_ptr<const std::vector<Step>>> path_steps; // by position
  cache_detail::Table<std::optional<Item>> items;
  cache_detail::Table<SettingsRow> settings{kPerStudentTtlMs}; // school/scope/owner
  cache_detail::Table<std::optional<FittedParameters>> fits{kPerStudentTtlMs}; // student/subject
  cache_detail::Table<std::string> timezones; // school -> IANA name
  cache_detail::Table<std::shared_ptr<const StepCards>>
      step_cards; // step -> its cards

  std::optional<Path> path(soci::session &sql, const std::string &school_id,
                           const std::string &id);
  std::optional<Step> step(soci::session &sql, const std::string &school_id,
                           const std::string &id);
  // The steps of a path the caller has found in this school, by position.
  std::shared_ptr<const std::vector<Step>> steps_of(soci::session &sql, const std::string &school_id,
                                                    const std::string &path_id);
  std::optional<Item> item(soci::session &sql, const std::string &school_id,
                           const std::string &id);
  SettingsRow settings_of(soci::session &sql, const std::string &school_id,
                          const std::string &scope,
                          const std::string &owner_id);
  std::optional<FittedParameters> fit(soci::session &sql,
                                      const std::string &student_id,
                                      const std::string &subject_id);

  // A student's own settings and fit read with the student's other rows (repo::start_reads),
  // kept as settings_of() and fit() would have kept them unless a change came since `read_at`.
  struct Generations {
    std::uint64_t settings = 0, fits = 0;
  };
  Generations generations() { return {settings.generation(), fits.generation()}; }
  void keep_student(const std::string &school_id, const std::string &student_id,
                    const std::string &subject_id, const SettingsRow &own,
                    const std::optional<FittedParameters> &fit, Generations read_at);

  // After the commit that made the change, here and in every other process.
  // A path, step or item was created, changed or removed (by a teacher, an
  // import...).
  void content_changed() { changed("content"); }
  void settings_changed() { changed("settings"); }
  void fit_changed(const std::string &student_id, const std::string &subject_id) {
    changed("fit:" + student_id + "/" + subject_id);
  }

private:
  void changed(const std::string &what);
  void drop(std::string_view what);

  realtime::Broadcaster &broadcaster_;
  std::shared_ptr<void> listening_;
};

} // namespace mnemos::learning
