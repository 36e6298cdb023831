#pragma once
// What every answer reads and teachers rarely change, kept in memory: paths,
// steps, items, memory settings, fitted parameters and schools' time zones
// (docs/decisions/0008). An entry lives at most kTtlMs; every change made
// through this process drops the entries it may affect at once, so only another
// process's change can be seen late, by at most kTtlMs (the bound the session
// cache already has, ADR 0002).
#include "domain.hpp"

#include <soci/soci.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
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
  static constexpr std::int64_t kTtlMs = 60'000;
  static constexpr std::size_t kMaxEntries =
      100'000; // then it starts afresh: bounded memory

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
      entries_.insert_or_assign(key, Entry{value, now + kTtlMs});
    }
    return value;
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
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  std::uint64_t generation_ = 0;
};

} // namespace cache_detail

class LearningCache {
public:
  // Keys carry the school: an id from another school is never served from here.
  cache_detail::Table<std::optional<Path>> paths;
  cache_detail::Table<std::optional<Step>> steps;
  cache_detail::Table<std::optional<Item>> items;
  cache_detail::Table<SettingsRow> settings; // school/scope/owner
  cache_detail::Table<std::optional<FittedParameters>> fits; // student/subject
  cache_detail::Table<std::string> timezones; // school -> IANA name
  cache_detail::Table<std::shared_ptr<const StepCards>>
      step_cards; // step -> its cards

  std::optional<Path> path(soci::session &sql, const std::string &school_id,
                           const std::string &id);
  std::optional<Step> step(soci::session &sql, const std::string &school_id,
                           const std::string &id);
  std::optional<Item> item(soci::session &sql, const std::string &school_id,
                           const std::string &id);
  SettingsRow settings_of(soci::session &sql, const std::string &school_id,
                          const std::string &scope,
                          const std::string &owner_id);
  std::optional<FittedParameters> fit(soci::session &sql,
                                      const std::string &student_id,
                                      const std::string &subject_id);

  // A path, step or item was created, changed or removed (by a teacher, an
  // import...).
  void content_changed() {
    paths.clear();
    steps.clear();
    items.clear();
    step_cards.clear();
  }
};

} // namespace mnemos::learning
