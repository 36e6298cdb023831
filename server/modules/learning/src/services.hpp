#pragma once
// The learning module's rules (docs/learning.md). Services check permissions and ownership, work
// in one transaction per call and publish events in it.
#include <mnemos/core/clock.hpp>
#include <mnemos/core/context.hpp>
#include <mnemos/core/error.hpp>
#include <mnemos/core/files.hpp>
#include <mnemos/core/plan.hpp>
#include <mnemos/core/usage.hpp>
#include <mnemos/srs/fsrs.hpp>
#include <mnemos/srs/planning.hpp>
#include <mnemos/users/directory.hpp>

#include "cache.hpp"
#include "domain.hpp"
#include "revision_session.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <functional>
#include <memory>

namespace soci {
class session;
}
namespace mnemos::db {
class Database;
template <typename Request>
class Batcher;
}
namespace mnemos::learning::repo {
struct AnswerRead;
struct AnswerWrite;
}
namespace mnemos::jobs {
class Registry;
}

namespace mnemos::learning {

class AnswerPrefetch;

struct Deps {
  db::Database& db;
  const Clock& clock;
  const jobs::Registry& jobs;
  const users::Directory& directory;
  const PlanPolicy& plan;
  std::string files_dir;
  LearningCache& cache;
  const UsageMeter& usage;
};

// The limits of a path.
inline constexpr std::size_t kMaxSteps = 100;
inline constexpr std::size_t kMaxItemsPerStep = 2000;
inline constexpr std::size_t kMaxStudents = 500;  // assigned one by one
inline constexpr std::size_t kMaxClasses = 50;

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
  // The same, whether the path reaches the student decided by `reaches_student` (is_assigned, or
  // the assignment read with other rows in one statement).
  Path assigned_where(soci::session& sql, const RequestContext& ctx, const std::string& path_id,
                      const std::function<bool(const Path&)>& reaches_student) const;
  bool is_assigned(soci::session& sql, const std::string& school_id, const Path& path,
                   const std::string& student_id) const;
  // The ids of the classes the student belongs to.
  std::vector<std::string> class_ids_of(soci::session& sql, const std::string& school_id,
                                        const std::string& student_id) const;
  // The students a path reaches now (its students, and the current members of its classes).
  std::vector<users::PersonRef> students_of(soci::session& sql, const Path& path) const;
  // The step and its path, if the actor may edit the path.
  std::pair<Step, Path> editable_step(soci::session& sql, const RequestContext& ctx,
                                      const std::string& step_id) const;
  // The step and its path, if the actor may read the path as staff.
  std::pair<Step, Path> readable_step(soci::session& sql, const RequestContext& ctx,
                                      const std::string& step_id) const;
  // An item, if the actor may read its path as staff; 404 "No such item." otherwise.
  Item readable_item(soci::session& sql, const RequestContext& ctx, const std::string& item_id) const;
  // An item, if the actor may edit its path; 404 "No such item." otherwise.
  Item editable_item(soci::session& sql, const RequestContext& ctx, const std::string& item_id) const;
  // The step and its path, if the path is active and assigned to the acting student.
  std::pair<Step, Path> assigned_step(soci::session& sql, const RequestContext& ctx,
                                      const std::string& step_id) const;
  std::pair<Step, Path> assigned_step_where(soci::session& sql, const RequestContext& ctx,
                                            const std::string& step_id,
                                            const std::function<bool(const Path&)>& reaches_student) const;

 private:
  Deps d_;
};

// A body read by its route into a service's input, its errors held until the service has looked
// the resource up: another school's id answers 404 before anything is said about the body, and
// the answer is the same as for an id that exists nowhere (tests/api/route_table_test.cpp).
template <typename T>
class Parsed {
 public:
  template <typename Read>
  static Parsed read(Read&& read_body) {
    try {
      return Parsed(read_body(), std::nullopt);
    } catch (const Error& e) {
      return Parsed(std::nullopt, e);
    }
  }
  explicit Parsed(T value) : value_(std::move(value)) {}
  bool ok() const { return !error_; }
  // The input, or the body's errors.
  const T& get() const {
    if (error_) throw *error_;
    return *value_;
  }

 private:
  Parsed(std::optional<T> value, std::optional<Error> error) : value_(std::move(value)), error_(std::move(error)) {}
  std::optional<T> value_;
  std::optional<Error> error_;
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
  std::optional<std::string> kind;  // given when adding
  std::optional<boost::json::value> content;  // checked for the kind by content.cpp
  std::optional<std::vector<std::string>> tags;
  std::optional<std::string> origin, validation;
  std::optional<int> position;  // when editing
};

// A teacher's verdict on a step's items (the validation queue), in bulk.
struct ReviewInput {
  std::vector<std::string> validated, rejected;
};

// The classes and students a path is assigned to (checked against the teacher's classes).
struct AssignmentInput {
  std::vector<std::string> class_ids, student_ids;
};

struct NewStep {
  StepInput step;
  std::vector<ItemInput> items;
};

// A new path with its assignment and first steps.
struct NewPath {
  PathInput path;
  AssignmentInput assignments;
  std::vector<NewStep> steps;
};

// A step and how many of its items are validated or waiting (the builder's list).
struct StepWithCounts {
  Step step;
  int items = 0, validated = 0, pending = 0;
};

// A path and what a screen shows with it; the parts a call does not give stay empty.
struct PathView {
  Path path;
  std::string subject_name;
  // The list of paths.
  std::optional<std::int64_t> step_count, student_count;
  std::optional<bool> shared;  // the actor shares it, not owns it
  // One path, as its teachers see it.
  std::optional<std::vector<StepWithCounts>> steps;
  std::optional<std::vector<users::ClassRef>> assigned_classes;
  std::optional<std::vector<users::PersonRef>> assigned_students;
  std::optional<std::int64_t> assigned_student_count;
  std::optional<std::vector<users::PersonRef>> teachers;
  std::optional<std::string> owner_name;
  std::optional<bool> can_edit;
};

// The people of a path after a change: its students (assignment) or its teachers (sharing).
struct PathPeople {
  std::string path_id;
  std::vector<users::PersonRef> people;
};

// A picture or sound added to a path, with the Markdown that shows it.
struct MediaAdded {
  std::string id, url, name, content_type, markdown;
  std::int64_t size_bytes = 0;
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
  PathView create(const RequestContext& ctx, const NewPath& in);
  std::vector<PathView> list(const RequestContext& ctx);
  PathView get(const RequestContext& ctx, const std::string& id);
  PathView update(const RequestContext& ctx, const std::string& id, const Parsed<PathInput>& input);
  // A draft copy with its steps and items (`title`: the copy's, else the source's).
  PathView copy(const RequestContext& ctx, const std::string& id, const Parsed<std::optional<std::string>>& title);
  PathPeople set_assignments(const RequestContext& ctx, const std::string& id, const Parsed<AssignmentInput>& input);
  PathPeople set_teachers(const RequestContext& ctx, const std::string& id,
                          const Parsed<std::vector<std::string>>& teacher_ids);
  Step add_step(const RequestContext& ctx, const std::string& path_id, const Parsed<StepInput>& input);
  std::vector<Step> reorder_steps(const RequestContext& ctx, const std::string& path_id,
                                  const Parsed<std::vector<std::string>>& step_ids);
  Step update_step(const RequestContext& ctx, const std::string& step_id, const Parsed<StepInput>& input);
  void delete_step(const RequestContext& ctx, const std::string& step_id);
  std::vector<Item> items(const RequestContext& ctx, const std::string& step_id);
  Item add_item(const RequestContext& ctx, const std::string& step_id, const Parsed<ItemInput>& input);
  Item update_item(const RequestContext& ctx, const std::string& item_id, const Parsed<ItemInput>& input);
  void delete_item(const RequestContext& ctx, const std::string& item_id);
  // Validates and rejects items of a step in one go; returns how many of each changed.
  std::pair<int, int> review_items(const RequestContext& ctx, const std::string& step_id, const Parsed<ReviewInput>& input);
  // A step and its items (the teacher's view).
  std::pair<Step, std::vector<Item>> step(const RequestContext& ctx, const std::string& step_id);
  Item item(const RequestContext& ctx, const std::string& item_id);
  // CSV, GIFT or an Anki package into a step; `format` may be empty (then the content type tells).
  // `dry_run`: the same report, every check made, nothing kept (a preview before importing).
  ImportReport import_items(const RequestContext& ctx, const std::string& step_id, std::string format,
                            std::string_view content_type, std::string_view body, bool dry_run = false);
  // A picture or sound for the path's lessons and cards.
  MediaAdded add_media(const RequestContext& ctx, const std::string& path_id,
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

// POST /revision-sessions.
struct StartInput {
  std::string step_id;
  std::string mode = "review";  // review | practice
};

// POST /revision-sessions/{id}/answers.
struct AnswerInput {
  std::string item_id;
  int variant = 0;
  std::int64_t duration_ms = 0;
  boost::json::object answer;  // its fields depend on the item's kind (content.hpp, grade)
};

// Memory settings as a PUT gives them (null or absent: inherited from the level above).
struct SettingsInput {
  SettingsRow row;
  std::vector<std::string> limits_given;  // the daily-limit fields in the body: students may not set them
};

// One level's memory settings: teacher, student or subject.
struct ScopedSettings {
  std::string scope;
  SettingsRow row;
};

// A session as its student sees it: its record and, while it is active, the card at its position.
struct SessionState {
  SessionRecord record;
  std::optional<SessionTurn> current;
  std::optional<Item> current_item;
};

struct AnswerResult {
  bool skipped = false;  // the teacher removed the card meanwhile: nothing was graded
  SessionState session;  // after the answer
  std::optional<Item> item;
  int variant = 0;
  AnswerOutcome outcome;
};

// What a student is led to next from their home: a step to revise or a lesson to read.
struct NextStep {
  std::string kind;  // the step's kind
  std::string path_id, path_title, step_id, step_title;
  int due = 0, fresh = 0;  // cards due, new cards the day still allows
};

// One of the student's paths on their home.
struct HomePath {
  Path path;
  std::string subject_name;
  int due_today = 0, new_available = 0, steps_done = 0;
  std::int64_t step_count = 0;
};

struct SubjectDue {
  std::string subject_id, subject_name;
  int due_today = 0;
};

// A count on a school day (days since 1970), for histories and forecasts.
struct DayCount {
  std::int64_t day = 0;
  int count = 0;
};

// The student's home: what is due today per subject and path, streak, history and forecast.
struct StudentHome {
  std::int64_t today = 0;
  int due_today = 0, reviewed_today = 0, new_today = 0, streak_days = 0;
  bool reviewed_today_any = false;
  std::vector<SubjectDue> subjects;
  std::vector<HomePath> paths;
  std::optional<NextStep> next_step;
  std::vector<DayCount> history;   // the last twelve weeks, oldest first
  std::vector<DayCount> forecast;  // the next 30 days, today first
};

// How many cards of a step a student has, due and new, and their session on it if one is open.
struct StepCardsDue {
  std::int64_t card_count = 0;
  int due = 0, fresh = 0;
  std::optional<std::string> active_session_id;
};

// One step of a path as its student sees it.
struct StudentStep {
  Step step;
  bool locked = false, done = false;
  StepProgress progress;
  std::optional<StepCardsDue> cards;       // cards and quiz steps
  std::optional<std::vector<Item>> lessons;  // lesson steps, once open: their validated lessons
};

// A path as its student sees it (GET /me/learning-paths/{id}).
struct StudentPath {
  Path path;
  std::string subject_name;
  srs::MemorySettings memory;  // in effect for this student
  std::vector<StudentStep> steps;
};

// One of a teacher's paths on their day: content waiting for validation, students behind.
struct TeachingPath {
  Path path;
  std::int64_t validated_items = 0, pending_items = 0;
  std::optional<std::string> first_pending_step_id;
  std::int64_t student_count = 0, students_behind = 0, students_not_started = 0;
};

// A student with a backlog of a day's work or more, or cards waiting and no review for three days.
struct StudentBehind {
  std::string student_id, display_name, path_id, path_title;
  int due = 0;
  std::optional<std::int64_t> last_review_at;
};

// A teacher's day (GET /me/teaching).
struct TeachingToday {
  std::vector<TeachingPath> paths;
  std::vector<StudentBehind> students_behind;  // the largest backlog first
  std::vector<Path> paths_without_content;     // nothing validated to learn yet
  std::int64_t pending_items = 0;
};

// A path as its students would see it: each step with its validated items.
struct PathPreview {
  Path path;
  std::string subject_name;
  bool can_edit = false;
  std::vector<std::pair<Step, std::vector<Item>>> steps;
};

// One student of a path, as its teachers follow them.
struct StudentProgress {
  users::PersonRef person;
  std::int64_t cards_started = 0;
  int reviews = 0, lapses = 0, due_now = 0, due_next_7_days = 0, steps_done = 0;
  std::optional<double> average_retrievability;  // none before any card
  std::optional<std::int64_t> last_review_at;
  std::optional<FittedParameters> model;  // the student's own memory model in the path's subject
};

// A path's students and the class's forecast (GET /learning-paths/{id}/progress).
struct PathProgress {
  std::string path_id;
  std::int64_t step_count = 0;
  std::vector<StudentProgress> students;
  std::vector<DayCount> forecast;  // reviews due on each of the next 30 days
};

class RevisionService {
 public:
  explicit RevisionService(Deps deps);
  ~RevisionService();

  // {created, session}: an active session on the step is resumed, not duplicated.
  std::pair<bool, SessionState> start(const RequestContext& ctx, const StartInput& in);
  SessionState get(const RequestContext& ctx, const std::string& id);
  AnswerResult answer(const RequestContext& ctx, const std::string& id, const Parsed<AnswerInput>& input);
  SessionState finish(const RequestContext& ctx, const std::string& id);
  // A lesson step marked as read: when it was first (reading it again changes nothing).
  std::int64_t complete_lesson(const RequestContext& ctx, const std::string& step_id);
  // The student's home: due today per subject and per path, streak, 30-day forecast.
  StudentHome home(const RequestContext& ctx);
  // A student's view of one path: steps locked or not, progress, due cards.
  StudentPath student_path(const RequestContext& ctx, const std::string& path_id);
  // A teacher's day: their paths' content and students, what needs attention (students behind,
  // paths with nothing to learn, items waiting for validation).
  TeachingToday teaching_today(const RequestContext& ctx);
  // A path as its students would see it (validated lessons and cards, with the right answers),
  // for its teachers before publishing: nothing is scheduled or logged.
  PathPreview preview(const RequestContext& ctx, const std::string& path_id);
  // The teacher's view of a path's students: progress and due load, and the class forecast.
  PathProgress path_progress(const RequestContext& ctx, const std::string& path_id);

  // The acting teacher's or student's own level.
  ScopedSettings memory_settings(const RequestContext& ctx);
  ScopedSettings put_memory_settings(const RequestContext& ctx, const SettingsInput& in);
  ScopedSettings subject_settings(const RequestContext& ctx, const std::string& subject_id);
  ScopedSettings put_subject_settings(const RequestContext& ctx, const std::string& subject_id,
                                      const Parsed<SettingsInput>& input);

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
  // `may_use_prefetch` false: read the session, what was kept of it having proved stale.
  AnswerResult answer(const RequestContext& ctx, const std::string& id, const Parsed<AnswerInput>& input,
                      bool may_use_prefetch);

  Deps d_;
  Access access_;
  // PostgreSQL: the answers' reads and writes of many students, one statement for each batch
  // (docs/decisions/0013-answers-batched-on-postgresql.md); null on SQLite, whose one writer
  // already commits the writes queued together.
  std::unique_ptr<db::Batcher<repo::AnswerRead>> answer_reads_;
  std::unique_ptr<db::Batcher<repo::AnswerWrite>> answer_writes_;
  // PostgreSQL: what each answer's write read back for the session's next answer.
  std::unique_ptr<AnswerPrefetch> prefetch_;
};

}  // namespace mnemos::learning
