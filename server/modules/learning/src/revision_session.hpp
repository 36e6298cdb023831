#pragma once
// The rules of revising, with no database (docs/learning.md, "Revision sessions"): which cards a
// session takes and in what order, what an answer changes and whether its card comes back, when a
// step is unlocked or mastered, and what a finished session's summary counts. The revision
// service loads what these need, calls them and saves what they return; they are tested alone in
// tests/revision_session_test.cpp, as Anki tests its scheduler.
#include <mnemos/srs/fsrs.hpp>
#include <mnemos/srs/planning.hpp>

#include "content.hpp"
#include "domain.hpp"

#include <boost/json/object.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mnemos::learning {

inline constexpr std::size_t kMaxQueue = 200;    // cards in one review session
inline constexpr std::size_t kPracticeSize = 50;  // cards in one practice session
inline constexpr int kMaxRepeats = 3;  // a card still in its learning steps comes back at most 3 times
inline constexpr int kMaxExtraTurns = 50;  // turns a session may grow by, cards coming back
inline constexpr std::int64_t kMaxCountedDurationMs = 10 * 60 * 1000;  // a longer pause is not thinking

// A student's cards, by card_key().
using KnownCards = std::map<std::string, Card>;
// A student's progress, by step id (a step absent: nothing done yet).
using ProgressByStep = std::map<std::string, StepProgress>;

// One card of an item: an item gives one card per variant (a reversed flashcard two, a cloze one per gap).
std::string card_key(const std::string& item_id, int variant);
srs::CardState state_of(const Card& card);
// A lesson step is done when read, a cards step when mastered.
bool step_done(const Step& step, const StepProgress& progress);
// The progress recorded for a step (nothing done when none is).
StepProgress progress_of(const ProgressByStep& progress, const std::string& step_id);

// What the student has already done today (since the school day began).
struct DayCounts {
  int reviewed = 0;   // reviews in review mode
  int new_cards = 0;  // cards seen for the first time
};

// The turns of a new session, in order. Review mode: the due cards, the most forgotten (lowest
// retrievability) first, up to what is left of the day's review limit, then new cards up to what
// is left of the day's new-card limit, kMaxQueue at most. Practice mode: the weakest cards, known
// or not, kPracticeSize at most; the schedule is left alone. Throws Error::conflict saying why
// when there is nothing to take.
std::vector<SessionTurn> plan_turns(std::string_view mode, const StepCards& cards, const KnownCards& known,
                                    const srs::Scheduler& scheduler, const srs::MemorySettings& settings,
                                    DayCounts today, std::int64_t now);

// Whether a student may open `step`: always (open), from a date (date), or once the step before
// it (sequential) or its prerequisite (prerequisite) is done. The first step, or one whose
// prerequisite was deleted, is open.
bool step_unlocked(const std::vector<Step>& steps, const Step& step, const ProgressByStep& progress,
                   std::int64_t now);
// A cards step is mastered once each of its cards has graduated to review; a step with no card never is.
bool step_mastered(const StepCards& cards, const KnownCards& known);

// The steps that `progress_after` opens and `progress_before` kept locked, in path order.
std::vector<const Step*> steps_unlocked_by(const std::vector<Step>& steps, const ProgressByStep& progress_before,
                                           const ProgressByStep& progress_after, std::int64_t now);

// What an answer changed.
struct AnswerOutcome {
  Grade grade;
  Card card;                  // the card after the answer (as before it in practice mode)
  bool card_changed = false;  // review mode: the card was rescheduled
  ReviewRecord review;        // for the review log; its id is the caller's
  std::int64_t interval_days = 0;     // review mode: days until the card is due
  std::optional<SessionTurn> again;   // the card's next turn in this session, if it comes back
  bool next_is_planned = false;       // a turn planned before this answer follows (else `again`, or none)
};

// One session as its rules see it: its record, moved on by each answer.
class RevisionSession {
 public:
  explicit RevisionSession(SessionRecord record) : record_(std::move(record)) {}

  const SessionRecord& record() const { return record_; }
  SessionRecord& record() { return record_; }
  bool active() const { return record_.status == "active"; }
  // Every turn answered: the session is finished by its last answer.
  bool all_answered() const { return record_.position >= record_.turn_count; }

  // Grades `answer` to `turn` (the turn at the position) and schedules the card (review mode).
  // `card`: the student's card if it exists (else a new one is made in `path` and the session's
  // step). A card still in its learning steps comes back at the end (review mode; kMaxRepeats
  // at most); in practice mode a card answered wrongly comes back once. Throws Error(invalid)
  // for an answer that does not fit the item.
  AnswerOutcome answer(const SessionTurn& turn, const Item& item, std::optional<Card> card, const Path& path,
                       const boost::json::object& answer, std::int64_t duration_ms,
                       const srs::Scheduler& scheduler, std::int64_t now);
  // The card at the position was removed meanwhile: it counts as done and the session moves on.
  void skip(std::int64_t now);
  void finish(std::string summary_json, std::int64_t now);

 private:
  void advance(bool card_comes_back, std::int64_t now);

  SessionRecord record_;
};

// What a finished session's summary counts (docs/learning.md, "The summary").
struct SessionCounts {
  int answers = 0;
  int correct = 0;                 // answers right (self-rated: not Again)
  int cards_reviewed = 0;          // distinct cards
  int cards_right_first_time = 0;
  int cards_learned = 0;           // new cards seen in review mode
  int score = 0;                   // percentage of cards right first time
  double success_rate = 0;         // answers right / answers
  std::int64_t time_spent_ms = 0;
  std::optional<std::int64_t> next_due_at;
  std::map<std::int64_t, int> due_by_day;  // school day -> cards of the session due then
};

// `reviews`: the session's, in order; `cards`: the student's cards in the step (their schedule
// after the session); `day_of`: the school's day of an instant. Cards due are counted in review
// mode only (practice does not move them).
SessionCounts count_session(const std::vector<ReviewRecord>& reviews, const std::vector<Card>& cards,
                            bool review_mode, const std::function<std::int64_t(std::int64_t)>& day_of);

}  // namespace mnemos::learning
