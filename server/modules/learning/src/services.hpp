#pragma once
// The learning module's rules (docs/learning.md). Services check permissions and ownership, work
// in one transaction per call and publish events in it.
#include <mnemos/core/clock.hpp>
#include <mnemos/core/context.hpp>
#include <mnemos/core/files.hpp>
#include <mnemos/core/plan.hpp>
#include <mnemos/srs/fsrs.hpp>
#include <mnemos/srs/planning.hpp>
#include <mnemos/users/directory.hpp>

#include "cache.hpp"
#include "domain.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace soci {
class session;
}
namespace mnemos::db {
class Database;
}
namespace mnemos::jobs {
class Registry;
}

namespace mnemos::learning {

class RevisionSession;

struct Deps {
  db::Database& db;
  const Clock& clock;
  const jobs::Registry& jobs;
  const users::Directory& directory;
  const PlanPolicy& plan;
  std::string files_dir;
  LearningCache& cache;
};

// New reviews in a subject since the last fit that start a new fit of the student's parameters.
constexpr int kReviewsBeforeRefit = 64;

// Who may see or change a path; shared by the services.
class Access {
 public:
  explicit Access(Deps deps) : d_(deps) {}
  // The path if the actor may edit it (owner or shared teacher); 404 otherwise.
  Path editable(soci::session& sql, const RequestContext& ctx, const std::string& path_id) const;
  // Whether the actor may edit the path: a teacher who owns it or shares it.
  bool can_edit(soci::session& sql, const RequestContext& ctx, const Path& path) const;
  // The path if the actor may read it as staff (admin/support: any; teacher: own or shared).
  Path readable(soci::session& sql, const RequestContext& ctx, const std::string& path_id) const;
  // The path if it is active and assigned to the acting student; 404 otherwise.
  Path assigned(soci::session& sql, const RequestContext& ctx, const std::string& path_id) const;
  bool is_assigned(soci::session& sql, const std::string& school_id, const Path& path,
                   const std::string& student_id) const;
  // The students a path reaches now (its students, and the current members of its classes).
  std::vector<users::PersonRef> students_of(soci::session& sql, const Path& path) const;
  // The step and its path, if the actor may edit the path.
  std::pair<Step, Path> editable_step(soci::session& sql, const RequestContext& ctx,
                                      const std::string& step_id) const;
  // The step and its path, if the actor may read the path as staff.
  std::pair<Step, Path> readable_step(soci::session& sql, const RequestContext& ctx,
                                      const std::string& step_id) const;
  // The step and its path, if the path is active and assigned to the acting student.
  std::pair<Step, Path> assigned_step(soci::session& sql, const RequestContext& ctx,
                                      const std::string& step_id) const;

 private:
  Deps d_;
};

// A field of a PATCH: not given (leave it), given as null (clear it) or given a value.
template <typename T>
struct Change {
  bool given = false;
  std::optional<T> value;
};

struct PathInput {
  std::optional<std::string> subject_id, title, objectives, level, status;
  std::optional<std::optional<std::string>> exam_date;  // set to null: no exam
  std::optional<std::optional<double>> desired_retention;
  Change<int> new_cards_per_day, reviews_per_day, maximum_interval_days;
};

struct StepInput {
  std::optional<std::string> title, kind, unlock_rule;
  std::optional<std::optional<std::string>> prerequisite_step_id;
  std::optional<std::optional<std::int64_t>> unlock_at;
};

struct ItemInput {
  std::optional<std::string> kind;
  const boost::json::value* content = nullptr;
  std::optional<std::vector<std::string>> tags;
  std::optional<std::string> origin, validation;
};

struct ImportLine {
  int line = 0;
  std::string status;  // taken | skipped
  std::string reason;  // why it was skipped, or a remark on what was taken (English message key)
  std::optional<std::string> item_id;
  std::string kind;
  std::string front;
};

struct ImportReport {
  std::string format;
  std::optional<std::string> encoding;  // text files: utf-8 | windows-1252
  bool dry_run = false;
  int taken = 0, skipped = 0;
  std::vector<ImportLine> lines;
};

class PathService {
 public:
  explicit PathService(Deps deps) : d_(deps), access_(deps), files_(deps.files_dir) {}

  // The scenario of docs/learning.md: checks, one transaction, events after commit.
  boost::json::object create(const RequestContext& ctx, const boost::json::value& body);
  boost::json::array list(const RequestContext& ctx);
  boost::json::object get(const RequestContext& ctx, const std::string& id);
  boost::json::object update(const RequestContext& ctx, const std::string& id,
                             const boost::json::value& body);
  boost::json::object copy(const RequestContext& ctx, const std::string& id,
                           const boost::json::value& body);
  boost::json::object set_assignments(const RequestContext& ctx, const std::string& id,
                                      const boost::json::value& body);
  boost::json::object set_teachers(const RequestContext& ctx, const std::string& id,
                                   const boost::json::value& body);
  boost::json::object add_step(const RequestContext& ctx, const std::string& path_id,
                               const boost::json::value& body);
  boost::json::object reorder_steps(const RequestContext& ctx, const std::string& path_id,
                                    const boost::json::value& body);
  boost::json::object update_step(const RequestContext& ctx, const std::string& step_id,
                                  const boost::json::value& body);
  void delete_step(const RequestContext& ctx, const std::string& step_id);
  boost::json::array items(const RequestContext& ctx, const std::string& step_id);
  boost::json::object add_item(const RequestContext& ctx, const std::string& step_id,
                               const boost::json::value& body);
  boost::json::object update_item(const RequestContext& ctx, const std::string& item_id,
                                  const boost::json::value& body);
  void delete_item(const RequestContext& ctx, const std::string& item_id);
  // A step and its items (the teacher's view).
  boost::json::object step(const RequestContext& ctx, const std::string& step_id);
  boost::json::object item(const RequestContext& ctx, const std::string& item_id);
  // CSV, GIFT or an Anki package into a step; `format` may be empty (then the content type tells).
  // `dry_run`: the same report, every check made, nothing kept (a preview before importing).
  ImportReport import_items(const RequestContext& ctx, const std::string& step_id, std::string format,
                            std::string_view content_type, std::string_view body, bool dry_run = false);
  // A picture or sound for the path's lessons and cards: {id, url, name, content_type, size_bytes,
  // markdown}.
  boost::json::object add_media(const RequestContext& ctx, const std::string& path_id,
                                std::string_view content_type, std::string_view name,
                                std::string_view bytes);
  // {content_type, bytes} of a picture or sound, for any signed-in member of its school.
  std::pair<std::string, std::string> media(const RequestContext& ctx, const std::string& id);
  // {"content_type", "filename", "body"}
  std::tuple<std::string, std::string, std::string> export_path(const RequestContext& ctx,
                                                                const std::string& id,
                                                                const std::string& format);

 private:
  ImportReport import_items_in(const RequestContext& ctx, const std::string& step_id, std::string format,
                               std::string_view content_type, std::string_view body, bool dry_run);
  std::string store_media(soci::session& sql, const RequestContext& ctx, const Path& path,
                          const std::string& name, std::string_view bytes);

  Deps d_;
  Access access_;
  files::Store files_;
};

class RevisionService {
 public:
  explicit RevisionService(Deps deps) : d_(deps), access_(deps) {}

  // {"created": bool, "session": ...}: an active session on the step is resumed, not duplicated.
  std::pair<bool, boost::json::object> start(const RequestContext& ctx,
                                             const boost::json::value& body);
  boost::json::object get(const RequestContext& ctx, const std::string& id);
  boost::json::object answer(const RequestContext& ctx, const std::string& id,
                             const boost::json::value& body);
  boost::json::object finish(const RequestContext& ctx, const std::string& id);
  // A lesson step marked as read.
  boost::json::object complete_lesson(const RequestContext& ctx, const std::string& step_id);
  // The student's home: due today per subject and per path, streak, 30-day forecast.
  boost::json::object home(const RequestContext& ctx);
  // A student's view of one path: steps locked or not, progress, due cards.
  boost::json::object student_path(const RequestContext& ctx, const std::string& path_id);
  // A teacher's day: their paths' content and students, what needs attention (students behind,
  // paths with nothing to learn, items waiting for validation).
  boost::json::object teaching_today(const RequestContext& ctx);
  // A path as its students would see it (validated lessons and cards, with the right answers),
  // for its teachers before publishing: nothing is scheduled or logged.
  boost::json::object preview(const RequestContext& ctx, const std::string& path_id);
  // The teacher's view of a path's students: progress and due load, and the class forecast.
  boost::json::object path_progress(const RequestContext& ctx, const std::string& path_id);

  boost::json::object memory_settings(const RequestContext& ctx);
  boost::json::object put_memory_settings(const RequestContext& ctx, const boost::json::value& body);
  boost::json::object subject_settings(const RequestContext& ctx, const std::string& subject_id);
  boost::json::object put_subject_settings(const RequestContext& ctx, const std::string& subject_id,
                                           const boost::json::value& body);

  // The job run after enough new reviews: fits the student's parameters in a subject.
  void fit_parameters(const std::string& school_id, const std::string& student_id,
                      const std::string& subject_id);

 private:
  srs::MemorySettings settings_for(soci::session& sql, const Path& path,
                                   const std::optional<std::string>& student_id) const;
  srs::Scheduler scheduler_for(soci::session& sql, const Path& path, const std::string& student_id,
                               const srs::MemorySettings& settings) const;
  void update_mastery(soci::session& sql, const SessionRecord& session, const Step& step,
                      std::int64_t now) const;
  // Summary, mastery, unlocked steps and the session_finished event, in the caller's transaction.
  void finish_session(soci::session& sql, RevisionSession& session, std::int64_t now) const;

  Deps d_;
  Access access_;
};

}  // namespace mnemos::learning
