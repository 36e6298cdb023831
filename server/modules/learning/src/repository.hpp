#pragma once
// SQL of the learning module: no rules here, every query filtered on the school.
#include <mnemos/core/db.hpp>

#include "domain.hpp"

#include <map>
#include <set>

namespace mnemos::learning::repo {

// Paths
void insert_path(soci::session& sql, const Path& path);
void update_path(soci::session& sql, const Path& path);
std::optional<Path> find_path(soci::session& sql, const std::string& school_id, const std::string& id);
// Every path of the school, or (teacher set) those the teacher owns or shares.
std::vector<Path> list_paths(soci::session& sql, const std::string& school_id,
                             const std::optional<std::string>& teacher_id);
// Paths assigned to the student directly or through one of `class_ids`, whatever their status.
std::vector<Path> paths_assigned_to(soci::session& sql, const std::string& school_id,
                                    const std::string& student_id,
                                    const std::vector<std::string>& class_ids);
std::int64_t count_paths(soci::session& sql, const std::string& school_id);

std::vector<std::string> path_teachers(soci::session& sql, const std::string& path_id);
void set_path_teachers(soci::session& sql, const Path& path, const std::vector<std::string>& ids,
                       std::int64_t now);
bool shares(soci::session& sql, const std::string& path_id, const std::string& teacher_id);

std::vector<Assignment> assignments(soci::session& sql, const std::string& path_id);
// The paths assigned to a target (kind "class" or "student").
std::vector<std::string> paths_assigned_to(soci::session& sql, const std::string& school_id, const std::string& kind,
                                           const std::string& target_id);
void set_assignments(soci::session& sql, const Path& path, const std::vector<Assignment>& list,
                     std::int64_t now);

// Steps
void insert_step(soci::session& sql, const Step& step);
void update_step(soci::session& sql, const Step& step);
void delete_step(soci::session& sql, const std::string& school_id, const std::string& id);
std::optional<Step> find_step(soci::session& sql, const std::string& school_id, const std::string& id);
std::vector<Step> steps_of(soci::session& sql, const std::string& path_id);  // by position

// Items
void insert_item(soci::session& sql, const Item& item);
void insert_media(soci::session& sql, const Media& media);
std::optional<Media> find_media(soci::session& sql, const std::string& school_id, const std::string& id);
// A picture already stored for the path under this name and size (a package imported twice).
std::optional<Media> find_media_by_name(soci::session& sql, const std::string& path_id,
                                        const std::string& name, std::int64_t size_bytes);
void update_item(soci::session& sql, const Item& item);
void delete_item(soci::session& sql, const std::string& school_id, const std::string& id);
std::optional<Item> find_item(soci::session& sql, const std::string& school_id, const std::string& id);
std::vector<Item> items_of(soci::session& sql, const std::string& step_id);  // by position
int next_item_position(soci::session& sql, const std::string& step_id);

// Cards and reviews
void save_card(soci::session& sql, const Card& card, bool exists);
std::vector<Card> cards_of_step(soci::session& sql, const std::string& student_id,
                                const std::string& step_id);
std::vector<Card> cards_of_student(soci::session& sql, const std::string& school_id,
                                   const std::string& student_id);
// The due queue: a student's cards due by `until`, earliest first (the benchmarked query).
std::vector<Card> due_cards(soci::session& sql, const std::string& school_id,
                            const std::string& student_id, std::int64_t until, int limit);
void insert_review(soci::session& sql, const ReviewRecord& review);
// Scheduled (not practice) reviews since `since`: all of them, and those of new cards.
std::pair<int, int> reviews_since(soci::session& sql, const std::string& school_id,
                                  const std::string& student_id, std::int64_t since);
std::vector<ReviewRecord> reviews_of_session(soci::session& sql, const std::string& session_id);
// Scheduled reviews of a student in a subject, oldest first (the optimizer's input).
std::vector<ReviewRecord> reviews_in_subject(soci::session& sql, const std::string& school_id,
                                             const std::string& student_id,
                                             const std::string& subject_id);
int count_reviews_in_subject(soci::session& sql, const std::string& school_id,
                             const std::string& student_id, const std::string& subject_id);
// Days (epoch ms of each review) a student reviewed, newest first, for the streak.
std::vector<std::int64_t> review_times(soci::session& sql, const std::string& school_id,
                                       const std::string& student_id, std::int64_t since);

// Sessions
void insert_session(soci::session& sql, const SessionRecord& session);
// The session, unless the student has an active one on its step (another tab started it since):
// one statement. True if inserted.
bool insert_session_unless_active(soci::session& sql, const SessionRecord& session);
void update_session(soci::session& sql, const SessionRecord& session);
// Saves an answered session only if it is still active at `from_position` (read before the write
// transaction); false when another answer moved it meanwhile.
bool advance_session(soci::session& sql, const SessionRecord& session, int from_position);
// The session and the student's card for an item of it, in one query (an answer's read).
std::pair<std::optional<SessionRecord>, std::optional<Card>> find_session_and_card(
    soci::session& sql, const std::string& school_id, const std::string& id, const std::string& item_id,
    int variant);
std::optional<SessionRecord> find_session(soci::session& sql, const std::string& school_id,
                                            const std::string& id);
std::optional<SessionRecord> active_session(soci::session& sql, const std::string& student_id,
                                              const std::string& step_id);
// Turns `first_position`, `first_position + 1`... of a session.
void insert_turns(soci::session& sql, const std::string& session_id, int first_position,
                  const std::vector<SessionTurn>& turns);
std::optional<SessionTurn> turn_at(soci::session& sql, const std::string& session_id, int position);
// PostgreSQL: an answer's write in one statement — the session moved on from `from_position`,
// the card (when `card` is given: a review-mode answer), the review, and a turn to come back at
// `again_position`. Nothing is written and false returned if the session had moved meanwhile.
bool save_answer(soci::session& sql, const SessionRecord& session, int from_position, const Card* card,
                 const ReviewRecord& review, const std::optional<SessionTurn>& again, int again_position);

// PostgreSQL, several answers at once (docs/decisions/0013): what find_session_and_card reads and
// save_answer writes, for every answer of a batch in one statement each.
constexpr std::size_t kMaxBatch = 64;
struct AnswerRead {
  std::string school_id, session_id, item_id;
  int variant = 0;
  std::optional<SessionRecord> session;  // out: nullopt if there is no such session
  std::optional<Card> card;              // out: nullopt if the student has no card for it yet
};
void find_sessions_and_cards(soci::session& sql, const std::vector<AnswerRead*>& reads);

struct AnswerWrite {
  const SessionRecord* session = nullptr;
  int from_position = 0;
  const Card* card = nullptr;  // written if given
  const ReviewRecord* review = nullptr;
  const std::optional<SessionTurn>* again = nullptr;
  int again_position = 0;
  // The card shown next, read back by the same statement so that the next answer reads nothing
  // (empty: none to read).
  std::string next_item_id;
  int next_variant = 0;
  bool moved = false;  // out: false if the session had moved meanwhile (nothing written)
  // out, when moved and a next card was named: the session's planned window at its new position
  // and the student's card for the next turn as it was before this statement (nullopt: none yet).
  bool next_read = false;
  std::string next_window;
  std::optional<Card> next_card;
};
// The writes must be of distinct sessions and cards (one statement cannot change a row twice).
void save_answers(soci::session& sql, const std::vector<AnswerWrite*>& writes);

// A session's planned cards (repository.cpp, migrations/0007): 40 characters each. nullopt when a
// card does not fit the format (an item id that is not a UUID): its turns are then rows.
constexpr std::size_t kPlannedWidth = 40;
std::optional<std::string> planned_text(const std::vector<SessionTurn>& turns);
// The planned card at the session's position + `offset` (0 or 1), from what the session read.
std::optional<SessionTurn> planned_turn(const SessionRecord& session, int offset);

// The turn at `position` and the one after it, in one query.
std::pair<std::optional<SessionTurn>, std::optional<SessionTurn>> turn_and_next(soci::session& sql,
                                                                               const std::string& session_id,
                                                                               int position);

// Progress
StepProgress progress(soci::session& sql, const std::string& student_id, const std::string& step_id);
// The student's progress on each step of the path, by step id (steps with nothing done are absent).
std::map<std::string, StepProgress> progress_in_path(soci::session& sql, const std::string& student_id,
                                                     const std::string& path_id);
void mark_progress(soci::session& sql, const std::string& school_id, const std::string& student_id,
                   const Step& step, std::optional<std::int64_t> completed_at,
                   std::optional<std::int64_t> mastered_at);

// Memory settings and fitted parameters
SettingsRow settings(soci::session& sql, const std::string& school_id, const std::string& scope,
                     const std::string& owner_id);
void put_settings(soci::session& sql, const std::string& school_id, const std::string& scope,
                  const std::string& owner_id, const SettingsRow& row, std::int64_t now);
std::optional<FittedParameters> fitted_parameters(soci::session& sql, const std::string& student_id,
                                                  const std::string& subject_id);
void put_fitted_parameters(soci::session& sql, const std::string& school_id,
                           const std::string& student_id, const std::string& subject_id,
                           const FittedParameters& fit);

// What a session's start reads of the student's own rows, in one statement (PostgreSQL only:
// eight round trips a start were most of PostgreSQL's work while a school opens its sessions,
// docs/performance.md item 29).
struct StartReadsKey {
  std::string school_id, student_id, path_id, subject_id, step_id;
  std::vector<std::string> class_ids;  // the student's classes, for the assignment
  std::int64_t day_start_ms = 0;       // the student's day, for its counts of reviews
};
struct StartReads {
  bool assigned = false;                          // the path reaches the student or a class of theirs
  std::map<std::string, StepProgress> progress;   // as progress_in_path
  std::optional<SessionRecord> active;            // as active_session
  int reviewed_today = 0, new_today = 0;          // as reviews_since
  SettingsRow student_settings;                   // as settings(..., "student", student)
  std::optional<FittedParameters> fit;            // as fitted_parameters
  bool has_cards = false;                         // whether cards_of_step would return any
};
StartReads start_reads(soci::session& sql, const StartReadsKey& key);

// A deleted account's learning data (users.user_deleted).
void forget_student(soci::session& sql, const std::string& school_id, const std::string& user_id);

}  // namespace mnemos::learning::repo
