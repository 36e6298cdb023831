#pragma once
// The learning module's records, as stored (docs/learning.md describes them for people).
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mnemos::learning {

struct Path {
  std::string id;
  std::string school_id;
  std::string subject_id;
  std::string owner_id;
  std::string title;
  std::string objectives;
  std::string level;
  std::optional<std::string> exam_date;  // YYYY-MM-DD
  std::string status;                    // draft | active | archived
  std::optional<double> desired_retention;
  std::optional<int> new_cards_per_day;
  std::optional<int> reviews_per_day;
  std::optional<int> maximum_interval_days;
  std::optional<std::string> copied_from;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

struct Assignment {
  std::string kind;  // class | student
  std::string target_id;
};

struct Step {
  std::string id;
  std::string school_id;
  std::string path_id;
  int position = 0;
  std::string title;
  std::string kind;         // lesson | cards | quiz | tutor
  std::string unlock_rule;  // open | sequential | prerequisite | date
  std::optional<std::string> prerequisite_step_id;
  std::optional<std::int64_t> unlock_at;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

struct Item {
  std::string id;
  std::string school_id;
  std::string step_id;
  int position = 0;
  std::string kind;        // lesson | flashcard | cloze | choice | short_answer | matching | numerical | ordering
  std::string content;     // JSON, checked by content.cpp
  std::string tags;        // space-separated
  std::string origin;      // manual | imported | generated
  std::string validation;  // pending | validated | rejected
  std::string created_by;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

// A step's validated cards, in order: each item with each of its variants.
using StepCards = std::vector<std::pair<Item, int>>;

// A picture of a path's content (migrations/0003_media.sql).
struct Media {
  std::string id;
  std::string school_id;
  std::string path_id;
  std::string name;  // the file name it had (an Anki package's, an upload's)
  std::string content_type;
  std::int64_t size_bytes = 0;
  std::string storage_path;
  std::string created_by;
  std::int64_t created_at = 0;
};

// One card of one student: an item and a variant (0 = the item itself; 1 = a flashcard's reverse;
// n = the n-th gap of a cloze).
struct Card {
  std::string school_id;
  std::string student_id;
  std::string item_id;
  int variant = 0;
  std::string path_id;
  std::string step_id;
  std::string subject_id;
  int state = 0;
  double stability = 0;
  double difficulty = 0;
  int learning_step = 0;
  int reviews = 0;
  int lapses = 0;
  std::int64_t last_review_at = 0;
  std::int64_t due_at = 0;
};

struct ReviewRecord {
  std::string id;
  std::string school_id;
  std::string student_id;
  std::string item_id;
  int variant = 0;
  std::string path_id;
  std::string step_id;
  std::string subject_id;
  std::optional<std::string> session_id;
  int rating = 0;
  std::optional<int> correct;
  int practice = 0;
  std::int64_t duration_ms = 0;
  std::int64_t reviewed_at = 0;
  std::optional<double> retrievability;
  int state_before = 0;
  int state_after = 0;
  double stability_after = 0;
  double difficulty_after = 0;
  std::int64_t due_after = 0;
};

struct SessionRecord {
  std::string id;
  std::string school_id;
  std::string student_id;
  std::string path_id;
  std::string step_id;
  std::string mode;    // review | practice
  std::string status;  // active | finished
  int position = 0;    // the turn being answered (learning_session_turns)
  int turn_count = 0;  // turns in all: a card answered wrongly gets another at the end
  int card_count = 0;  // distinct cards
  int cards_done = 0;  // cards none of whose turns is left
  std::int64_t started_at = 0;
  std::int64_t last_activity_at = 0;
  std::optional<std::int64_t> finished_at;
  std::optional<std::string> summary;  // JSON, once finished
  // The planned cards, written once at the start (migrations/0007_planned_queue.sql)...
  std::string planned;
  // ...and, as read, only the entries at `position` and the one after (what an answer needs).
  std::string planned_window;
};

// One turn of a session: a card to show, and how many times it came back already.
struct SessionTurn {
  std::string item_id;
  int variant = 0;
  int repeats = 0;
};

struct StepProgress {
  std::optional<std::int64_t> completed_at;
  std::optional<std::int64_t> mastered_at;
};

// One level of the memory settings kept outside paths (teacher, subject, student).
struct SettingsRow {
  std::optional<double> desired_retention;
  std::optional<int> new_cards_per_day;
  std::optional<int> reviews_per_day;
  std::optional<int> maximum_interval_days;
};

struct FittedParameters {
  std::optional<std::string> parameters;  // JSON array of 21 numbers, when a fit was kept
  int improved = 0;
  std::string fitted;
  double log_loss_before = 0;
  double log_loss_after = 0;
  int reviews_used = 0;
  int reviews_at_fit = 0;
  std::int64_t fitted_at = 0;
};

}  // namespace mnemos::learning
