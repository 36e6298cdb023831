#pragma once
// What other modules may ask the learning module about paths (the AI tutor: whose sources these
// are, who may search them): read-only, tenant-scoped, in the caller's transaction. Every refusal
// is a 404, as for the learning routes themselves.
#include <mnemos/core/context.hpp>

#include <optional>
#include <string>
#include <vector>

namespace soci {
class session;
}

namespace mnemos::learning {

struct PathRef {
  std::string id;
  std::string school_id;
  std::string owner_id;
  std::string subject_id;
  std::string title;
  std::string status;  // draft | active | archived
};

// The answer of one card of a path, in words: what a tutor must not give away.
struct CardAnswer {
  std::string item_id;
  std::string step_id;
  std::string prompt;  // the question as the student sees it (a flashcard's front, a quiz question)
  std::vector<std::string> answers;  // a flashcard's back, a cloze's gaps, right options, accepted answers...
};

// A card another module made (the AI's generation), in the learning module's content form.
struct GeneratedItem {
  std::string kind;
  std::string content_json;
};
struct GeneratedItems {
  std::vector<std::string> item_ids;  // in the order given, for those kept
  std::vector<std::size_t> kept;      // the positions, in the items given, of those kept
  std::vector<std::string> rejected;  // why the others were left out
};

// A lesson of a path, as its students read it.
struct LessonText {
  std::string step_id;
  std::string step_title;
  std::string markdown;
};

// The cards a student missed in one session (answered Again, or wrong, at least once).
struct MissedCards {
  PathRef path;
  std::vector<CardAnswer> cards;
};

class Catalog {
 public:
  virtual ~Catalog() = default;
  // The path if `ctx` may change it (its owner or a teacher it is shared with); 404 otherwise.
  virtual PathRef editable(soci::session& sql, const RequestContext& ctx, const std::string& path_id) const = 0;
  // The path if `ctx` may use what it holds: those who may read it (its teachers, the school's
  // admins and support) and the students it is assigned to while it is active; 404 otherwise.
  virtual PathRef usable(soci::session& sql, const RequestContext& ctx, const std::string& path_id) const = 0;
  // The path of a step `ctx` may edit; 404 otherwise.
  virtual PathRef editable_step(soci::session& sql, const RequestContext& ctx, const std::string& step_id) const = 0;
  // Adds cards to a step `ctx` may edit, origin `generated` and validation `pending`: no student
  // sees them until the teacher validates them. A card whose content does not check is left out,
  // with the reason.
  virtual GeneratedItems add_generated(soci::session& sql, const RequestContext& ctx, const std::string& step_id,
                                       const std::vector<GeneratedItem>& items) const = 0;
  // The ids of the path's steps, in order.
  virtual std::vector<std::string> step_ids_of(soci::session& sql, const PathRef& path) const = 0;
  // The answers of the path's card and quiz items, validated or waiting for the teacher (a rejected
  // one never reaches a student), for the tutor's check.
  virtual std::vector<CardAnswer> answers_of(soci::session& sql, const PathRef& path) const = 0;
  // For the server's own jobs (no one asking): a path of the school, and its lessons in order.
  virtual std::optional<PathRef> find(soci::session& sql, const std::string& school_id,
                                      const std::string& path_id) const = 0;
  virtual std::vector<LessonText> lessons_of(soci::session& sql, const PathRef& path) const = 0;
  // The people of a path's channel: its teachers (owner and those it is shared with), and, while
  // it is active, the students it reaches now (its own and its classes' current members).
  virtual std::vector<std::string> people_of(soci::session& sql, const PathRef& path) const = 0;
  // The paths assigned to a class: their students change with the class's.
  virtual std::vector<std::string> paths_of_class(soci::session& sql, const std::string& school_id,
                                                  const std::string& class_id) const = 0;
  // The cards missed in a revision session of `ctx`'s own (a student's); 404 for anyone else's.
  virtual MissedCards missed_in_session(soci::session& sql, const RequestContext& ctx,
                                        const std::string& session_id) const = 0;
};

}  // namespace mnemos::learning
