#include "answer_prefetch.hpp"

#include <chrono>
#include <functional>
#include <utility>

namespace mnemos::learning {

namespace {
std::int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
}  // namespace

AnswerPrefetch::Shard& AnswerPrefetch::shard_of(const std::string& session_id) {
  return shards_[std::hash<std::string>{}(session_id) % kShards];
}

void AnswerPrefetch::put(PrefetchedAnswer entry) {
  const std::int64_t now = steady_ms();
  Shard& shard = shard_of(entry.session.id);
  std::lock_guard lock(shard.mutex);
  if (shard.entries.size() >= kMaxEntries / kShards) {
    std::erase_if(shard.entries, [now](const auto& kept) { return kept.second.expires_at <= now; });
    if (shard.entries.size() >= kMaxEntries / kShards) shard.entries.clear();
  }
  std::string key = entry.session.id;
  shard.entries.insert_or_assign(std::move(key), Kept{std::move(entry), now + kLifeMs});
}

std::optional<PrefetchedAnswer> AnswerPrefetch::take(const std::string& school_id, const std::string& session_id,
                                                     const std::string& item_id, int variant) {
  Shard& shard = shard_of(session_id);
  std::lock_guard lock(shard.mutex);
  const auto found = shard.entries.find(session_id);
  if (found == shard.entries.end()) return std::nullopt;
  Kept kept = std::move(found->second);
  shard.entries.erase(found);
  const PrefetchedAnswer& v = kept.value;
  if (kept.expires_at <= steady_ms() || v.session.school_id != school_id || v.item_id != item_id ||
      v.variant != variant) {
    return std::nullopt;
  }
  return std::move(kept.value);
}

void AnswerPrefetch::erase(const std::string& session_id) {
  Shard& shard = shard_of(session_id);
  std::lock_guard lock(shard.mutex);
  shard.entries.erase(session_id);
}

}  // namespace mnemos::learning
