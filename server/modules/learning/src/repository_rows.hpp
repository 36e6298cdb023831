#pragma once
// What the learning repositories share: the column lists and row bindings of the module's records
// (repository.cpp: paths and their content; memory_repository.cpp: what students do).
#include <mnemos/core/db.hpp>

#include "domain.hpp"

#include <optional>
#include <string>
#include <vector>

namespace mnemos::learning::repo::rows {

using soci::into;
using soci::use;
using db::Prepared;

template <typename Row, typename Bind, typename... Uses>
inline std::vector<Row> fetch(soci::session& sql, const std::string& query, Bind bind, Uses&&... uses) {
  return db::fetch_rows<Row>(sql, query, bind, std::forward<Uses>(uses)...);
}

template <typename Row>
inline std::optional<Row> first(std::vector<Row> rows) {
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

inline constexpr const char* kPathColumns =
    "p.id, p.school_id, p.subject_id, p.owner_id, p.title, p.objectives, p.level, p.exam_date, "
    "p.status, p.desired_retention, p.new_cards_per_day, p.reviews_per_day, "
    "p.maximum_interval_days, p.copied_from, p.created_at, p.updated_at ";

inline void bind_path(Prepared& p, Path& r) {
  p, into(r.id), into(r.school_id), into(r.subject_id), into(r.owner_id), into(r.title),
      into(r.objectives), into(r.level), into(r.exam_date), into(r.status),
      into(r.desired_retention), into(r.new_cards_per_day), into(r.reviews_per_day),
      into(r.maximum_interval_days), into(r.copied_from), into(r.created_at), into(r.updated_at);
}

inline constexpr const char* kStepColumns =
    "id, school_id, path_id, position, title, kind, unlock_rule, prerequisite_step_id, unlock_at, "
    "created_at, updated_at ";

inline void bind_step(Prepared& p, Step& r) {
  p, into(r.id), into(r.school_id), into(r.path_id), into(r.position), into(r.title), into(r.kind),
      into(r.unlock_rule), into(r.prerequisite_step_id), into(r.unlock_at), into(r.created_at),
      into(r.updated_at);
}

inline constexpr const char* kItemColumns =
    "id, school_id, step_id, position, kind, content, tags, origin, validation, created_by, "
    "created_at, updated_at ";

inline void bind_item(Prepared& p, Item& r) {
  p, into(r.id), into(r.school_id), into(r.step_id), into(r.position), into(r.kind),
      into(r.content), into(r.tags), into(r.origin), into(r.validation), into(r.created_by),
      into(r.created_at), into(r.updated_at);
}

inline constexpr const char* kCardColumns =
    "school_id, student_id, item_id, variant, path_id, step_id, subject_id, state, stability, "
    "difficulty, learning_step, reviews, lapses, last_review_at, due_at ";

inline void bind_card(Prepared& p, Card& r) {
  p, into(r.school_id), into(r.student_id), into(r.item_id), into(r.variant), into(r.path_id),
      into(r.step_id), into(r.subject_id), into(r.state), into(r.stability), into(r.difficulty),
      into(r.learning_step), into(r.reviews), into(r.lapses), into(r.last_review_at),
      into(r.due_at);
}

inline constexpr const char* kReviewColumns =
    "id, school_id, student_id, item_id, variant, path_id, step_id, subject_id, session_id, "
    "rating, correct, practice, duration_ms, reviewed_at, retrievability, state_before, "
    "state_after, stability_after, difficulty_after, due_after ";

inline void bind_review(Prepared& p, ReviewRecord& r) {
  p, into(r.id), into(r.school_id), into(r.student_id), into(r.item_id), into(r.variant),
      into(r.path_id), into(r.step_id), into(r.subject_id), into(r.session_id), into(r.rating),
      into(r.correct), into(r.practice), into(r.duration_ms), into(r.reviewed_at),
      into(r.retrievability), into(r.state_before), into(r.state_after), into(r.stability_after),
      into(r.difficulty_after), into(r.due_after);
}

// A session's planned window: the two cards at its position. On SQLite, 80 characters of the
// planned text. PostgreSQL keeps the cards packed (migrations/0009: 18 bytes each, a UUID's 16 and
// the variant's 2, uncompressed bytea) and reads 36 bytes as 72 hex digits, which planned_turn
// reads too. Text would cost more: substr of UTF-8 text reads the value from its start (a
// character may be several bytes), and a slice of an lz4-compressed value fetches all of it.
inline std::string planned_window(const soci::session& sql, const std::string& table) {
  const std::string prefix = table.empty() ? "" : table + ".";
  if (sql.get_backend_name() == "sqlite3") return "substr(" + prefix + "planned, " + prefix + "position * 40 + 1, 80)";
  return "encode(substring(" + prefix + "planned FROM " + prefix + "position * 18 + 1 FOR 36), 'hex')";
}

// The planned text as written: on PostgreSQL, packed from hex digits (planned_hex).
inline std::string planned_parameter(const soci::session& sql) {
  return sql.get_backend_name() == "sqlite3" ? ":planned" : "decode(:planned, 'hex')";
}

inline std::string session_columns(const soci::session& sql) {
  return "id, school_id, student_id, path_id, step_id, mode, status, position, turn_count, card_count, "
         "cards_done, started_at, last_activity_at, finished_at, summary, " +
         planned_window(sql, "") + " ";
}

inline void bind_session(Prepared& p, SessionRecord& r) {
  p, into(r.id), into(r.school_id), into(r.student_id), into(r.path_id), into(r.step_id),
      into(r.mode), into(r.status), into(r.position), into(r.turn_count), into(r.card_count),
      into(r.cards_done), into(r.started_at), into(r.last_activity_at), into(r.finished_at),
      into(r.summary), into(r.planned_window);
}

}  // namespace mnemos::learning::repo::rows
