#pragma once
// PostgreSQL: what an answer's write read back for the next answer of the same session — the
// session as written and the student's card for the card shown next — so that the next answer
// reads nothing (docs/decisions/0013, third part). Taken once: a second request for the session
// (another tab, a double click) reads the database. What is kept can only be stale if the session
// moved elsewhere (another process, or this one outside an answer); the write's check of the
// session's position then refuses it and the answer is done again from a read.
#include "domain.hpp"

#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace mnemos::learning {

struct PrefetchedAnswer {
  SessionRecord session;            // planned_window at its position
  std::string item_id;              // the card it expects to be answered next
  int variant = 0;
  std::optional<Card> card;         // nullopt: the student has no card for it yet
};

class AnswerPrefetch {
 public:
  // Bounded memory (~1.2 kB an entry, one per session being answered): a shard past its share of
  // this drops what has expired, else starts afresh.
  static constexpr std::size_t kMaxEntries = 40'000;
  // Long enough for a student between two answers; an entry is only ever a shortcut.
  static constexpr std::int64_t kLifeMs = 10 * 60'000;

  void put(PrefetchedAnswer entry);
  // The entry for this answer, removed; nullopt if there is none for this school, session and card.
  std::optional<PrefetchedAnswer> take(const std::string& school_id, const std::string& session_id,
                                       const std::string& item_id, int variant);
  void erase(const std::string& session_id);

 private:
  struct Kept {
    PrefetchedAnswer value;
    std::int64_t expires_at = 0;
  };
  struct Shard {
    std::mutex mutex;
    std::unordered_map<std::string, Kept> entries;
  };
  static constexpr std::size_t kShards = 16;
  Shard& shard_of(const std::string& session_id);
  std::array<Shard, kShards> shards_;
};

}  // namespace mnemos::learning
