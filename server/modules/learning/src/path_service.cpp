// Paths, steps and content: what teachers build (docs/learning.md).
#include <mnemos/core/activity.hpp>
#include <mnemos/core/csv.hpp>
#include <mnemos/core/db.hpp>
#include <mnemos/core/ids.hpp>
#include <mnemos/core/jobs.hpp>
#include <mnemos/core/messages.hpp>

#include "apkg.hpp"
#include "content.hpp"
#include "gift_writer.hpp"
#include "html.hpp"
#include "imports.hpp"
#include "repository.hpp"
#include "services.hpp"
#include "views.hpp"

#include <boost/json/array.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace mnemos::learning {

using boost::json::array;
using boost::json::object;

namespace {

// Every write of a path's content: the cache's copies go once it is done (or failed).
template <typename F>
auto write_content(const Deps& d, F&& work) {
  struct Drop {
    LearningCache& cache;
    ~Drop() { cache.content_changed(); }
  } drop{d.cache};
  return d.db.write(std::forward<F>(work));
}

constexpr std::size_t kMaxSteps = 100;
constexpr std::size_t kMaxItemsPerStep = 2000;
constexpr std::size_t kMaxStudents = 500;
constexpr std::size_t kMaxClasses = 50;

bool is_step_kind(std::string_view k) {
  return k == "lesson" || k == "cards" || k == "quiz" || k == "tutor";
}
bool is_unlock_rule(std::string_view r) {
  return r == "open" || r == "sequential" || r == "prerequisite" || r == "date";
}
bool is_status(std::string_view s) { return s == "draft" || s == "active" || s == "archived"; }

const char* const kNothingToPublish =
    "A path is published with at least one validated lesson or card: add or validate one first.";

// What the activity log shows of the object changed ({"label": ...} in its details): the school's
// admins read "Step updated: Vocabulary", not an id.
std::string labelled(std::string_view label) {
  return json::serialize(object{{"label", json::truncate_utf8(html::readable_label(label), 80)}});
}

std::string item_label(const Item& item) {
  const auto content = json::parse(item.content);
  for (const char* key : {"front", "question", "text", "markdown"}) {
    if (const auto* v = content.as_object().if_contains(key); v != nullptr && v->is_string()) {
      return std::string(v->get_string());
    }
  }
  return item.kind;
}

// The type a picture or sound is kept as, or "" when it is not kept: a name with control
// characters (a NUL, a line break) is nobody's file name, and the bytes decide the type.
std::string media_type_of(const std::string& name, std::string_view bytes) {
  if (!json::is_printable_utf8(name)) return {};
  std::string type = files::sniff_image_type(bytes);
  if (type.empty()) type = files::sniff_audio_type(bytes);
  return type;
}

bool has_validated_item(soci::session& sql, const std::string& path_id) {
  for (const auto& step : repo::steps_of(sql, path_id)) {
    for (const auto& item : repo::items_of(sql, step.id)) {
      if (item.validation == "validated") return true;
    }
  }
  return false;
}

// The kinds of item a step holds: lessons in lesson and tutor steps, cards elsewhere.
bool step_accepts(const std::string& step_kind, const std::string& item_kind) {
  if (step_kind == "lesson" || step_kind == "tutor") return item_kind == "lesson";
  return is_card_kind(item_kind);
}

std::string tags_text(const std::vector<std::string>& tags, Validation& v, const std::string& field) {
  std::string out;
  for (const auto& tag : tags) {
    const std::string t = json::trim(tag);
    if (t.empty()) continue;
    if (t.find(' ') != std::string::npos) {
      v.fail(field, "A tag is one word (use - or _ between words).");
      continue;
    }
    if (!out.empty()) out += ' ';
    out += t;
  }
  return out;
}

PathInput path_input(json::Fields& f) {
  PathInput in;
  in.subject_id = f.optional_string("subject_id", 40);
  in.title = f.optional_string("title", 200);
  in.objectives = f.optional_string("objectives", 5000);
  in.level = f.optional_string("level", 80);
  in.status = f.optional_string("status", 20);
  in.exam_date = nullable_string(f, "exam_date", 10);
  in.desired_retention = nullable_double(f, "desired_retention", srs::SettingBounds::min_desired_retention,
                                      srs::SettingBounds::max_desired_retention);
  auto int_field = [&](std::string_view name, int min, int max) {
    Change<int> change;
    if (auto v = nullable_int(f, name, min, max)) {
      change.given = true;
      if (*v) change.value = static_cast<int>(**v);
    }
    return change;
  };
  in.new_cards_per_day = int_field("new_cards_per_day", 0, srs::SettingBounds::max_new_cards_per_day);
  in.reviews_per_day = int_field("reviews_per_day", 0, srs::SettingBounds::max_reviews_per_day);
  in.maximum_interval_days = int_field("maximum_interval_days", 1, srs::SettingBounds::max_interval_days);
  if (in.status && !is_status(*in.status)) f.validation().fail("status", "Use draft, active or archived.");
  if (in.exam_date && *in.exam_date && !civil_day(**in.exam_date)) {
    f.validation().fail("exam_date", "Give a date as YYYY-MM-DD.");
  }
  if (in.title && json::trim(*in.title).empty()) f.validation().fail("title", "Give a title.");
  return in;
}

void apply(Path& p, const PathInput& in) {
  if (in.subject_id) p.subject_id = *in.subject_id;
  if (in.title) p.title = json::trim(*in.title);
  if (in.objectives) p.objectives = json::trim(*in.objectives);
  if (in.level) p.level = json::trim(*in.level);
  if (in.status) p.status = *in.status;
  if (in.exam_date) p.exam_date = *in.exam_date;
  if (in.desired_retention) p.desired_retention = *in.desired_retention;
  if (in.new_cards_per_day.given) p.new_cards_per_day = in.new_cards_per_day.value;
  if (in.reviews_per_day.given) p.reviews_per_day = in.reviews_per_day.value;
  if (in.maximum_interval_days.given) p.maximum_interval_days = in.maximum_interval_days.value;
}

StepInput step_input(json::Fields& f) {
  StepInput in;
  in.title = f.optional_string("title", 200);
  in.kind = f.optional_string("kind", 20);
  in.unlock_rule = f.optional_string("unlock_rule", 20);
  in.prerequisite_step_id = nullable_string(f, "prerequisite_step_id", 40);
  in.unlock_at = nullable_int(f, "unlock_at", 0, 4102444800000);  // up to 2100
  if (in.title && json::trim(*in.title).empty()) f.validation().fail("title", "Give a title.");
  if (in.kind && !is_step_kind(*in.kind)) f.validation().fail("kind", "Use lesson, cards, quiz or tutor.");
  if (in.unlock_rule && !is_unlock_rule(*in.unlock_rule)) {
    f.validation().fail("unlock_rule", "Use open, sequential, prerequisite or date.");
  }
  return in;
}

// Applies the input and checks the step's rule against its path's other steps.
void apply(Step& s, const StepInput& in, const std::vector<Step>& path_steps, Validation& v,
           const std::string& prefix) {
  if (in.title) s.title = json::trim(*in.title);
  if (in.kind) s.kind = *in.kind;
  if (in.unlock_rule) s.unlock_rule = *in.unlock_rule;
  if (in.prerequisite_step_id) s.prerequisite_step_id = *in.prerequisite_step_id;
  if (in.unlock_at) s.unlock_at = *in.unlock_at;
  if (s.unlock_rule != "prerequisite") s.prerequisite_step_id.reset();
  if (s.unlock_rule != "date") s.unlock_at.reset();
  if (s.unlock_rule == "prerequisite") {
    const bool known = s.prerequisite_step_id &&
                       std::any_of(path_steps.begin(), path_steps.end(), [&](const Step& other) {
                         return other.id == *s.prerequisite_step_id && other.id != s.id;
                       });
    if (!known) v.fail(prefix + "prerequisite_step_id", "Choose another step of this path.");
  }
  if (s.unlock_rule == "date" && !s.unlock_at) {
    v.fail(prefix + "unlock_at", "Give the date the step opens.");
  }
}

// Reads {"class_ids", "student_ids"} and checks them against the teacher's classes.
std::vector<Assignment> checked_assignments(soci::session& sql, const users::Directory& directory,
                                            const RequestContext& ctx, json::Fields& f) {
  const auto class_ids = f.optional_string_list("class_ids", kMaxClasses, 40).value_or(std::vector<std::string>{});
  const auto student_ids =
      f.optional_string_list("student_ids", kMaxStudents, 40).value_or(std::vector<std::string>{});
  const std::string& school = ctx.school();
  std::set<std::string> own_classes;
  for (const auto& c : directory.classes_of(sql, school, *ctx.user_id, "teacher")) own_classes.insert(c.id);
  std::vector<Assignment> out;
  for (const auto& id : std::set<std::string>(class_ids.begin(), class_ids.end())) {
    if (!own_classes.count(id)) {
      f.validation().fail("class_ids", "Assign only classes you teach (" + id.substr(0, 40) + ").");
    } else {
      out.push_back({"class", id});
    }
  }
  std::set<std::string> reachable;
  for (const auto& p : directory.students_taught_by(sql, school, *ctx.user_id)) reachable.insert(p.id);
  const auto found = directory.people(sql, school, student_ids);
  std::set<std::string> known;
  for (const auto& p : found) {
    if (p.student) known.insert(p.id);
  }
  for (const auto& id : std::set<std::string>(student_ids.begin(), student_ids.end())) {
    if (!known.count(id)) {
      f.validation().fail("student_ids", "No student of this school has the id " + id.substr(0, 40) + ".");
    } else if (!reachable.count(id)) {
      f.validation().fail("student_ids", "Assign only students of your classes (" + id.substr(0, 40) + ").");
    } else {
      out.push_back({"student", id});
    }
  }
  return out;
}

array people_json(const std::vector<users::PersonRef>& people) {
  array out;
  for (const auto& p : people) out.push_back(object{{"id", p.id}, {"display_name", p.display_name}});
  return out;
}

std::string subject_name(soci::session& sql, const users::Directory& directory,
                         const std::string& school, const std::string& subject_id) {
  auto subject = directory.subject(sql, school, subject_id);
  return subject ? subject->name : std::string();
}

// Reads one item from `f`; `prefix` names nested fields ("steps[0].items[1].").
Item item_from(json::Fields& f, const Step& step, const RequestContext& ctx, int position,
               const std::string& prefix) {
  Item item;
  item.id = new_id();
  item.school_id = step.school_id;
  item.step_id = step.id;
  item.position = position;
  item.kind = f.required_string("kind", 20);
  item.origin = f.optional_string("origin", 20).value_or("manual");
  item.created_by = *ctx.user_id;
  item.created_at = item.updated_at = ctx.now_ms();
  Validation& v = f.validation();
  if (item.origin != "manual" && item.origin != "imported" && item.origin != "generated") {
    v.fail(prefix + "origin", "Use manual, imported or generated.");
  }
  // What a teacher writes or imports is validated by writing it; generated content waits for them.
  item.validation = f.optional_string("validation", 20).value_or(item.origin == "generated" ? "pending" : "validated");
  if (item.validation != "pending" && item.validation != "validated" && item.validation != "rejected") {
    v.fail(prefix + "validation", "Use pending, validated or rejected.");
  }
  item.tags = tags_text(f.optional_string_list("tags", 20, 40).value_or(std::vector<std::string>{}), v,
                        prefix + "tags");
  if (!item.kind.empty() && !is_item_kind(item.kind)) {
    v.fail(prefix + "kind", "Use lesson, flashcard, cloze, choice, short_answer, matching, numerical or ordering.");
    return item;
  }
  if (!item.kind.empty() && !step_accepts(step.kind, item.kind)) {
    v.fail(prefix + "kind", step.kind == "lesson" || step.kind == "tutor"
                                ? "This step holds lessons only."
                                : "This step holds cards and questions, not lessons.");
    return item;
  }
  const auto* content = f.object().if_contains("content");
  if (content == nullptr) {
    v.fail(prefix + "content", "Give the content.");
  } else if (!item.kind.empty()) {
    try {
      item.content = checked_content(item.kind, *content);
    } catch (const Error& e) {
      if (e.code() != ErrorCode::invalid) throw;
      for (const auto& fe : e.fields()) v.fail(prefix + fe.field, fe.message);
    }
  }
  return item;
}

// Fails unless the field names are among `known`, so a typo is not silently ignored.
void only_fields(json::Fields& f, std::initializer_list<std::string_view> known, const std::string& prefix) {
  for (const auto& [key, _] : f.object()) {
    if (std::find(known.begin(), known.end(), std::string_view(key)) == known.end()) {
      f.validation().fail(prefix + std::string(key), "Unknown field.");
    }
  }
}

void publish(soci::session& sql, const Deps& d, const std::string& type, const object& payload,
             const std::string& school) {
  jobs::publish(sql, d.clock, d.jobs, type, json::serialize(payload), school);
}

}  // namespace

// --- Access ---------------------------------------------------------------------------------

Path Access::editable(soci::session& sql, const RequestContext& ctx, const std::string& id) const {
  ctx.require(Permission::paths_manage);
  auto path = repo::find_path(sql, ctx.school(), id);
  if (!path || (path->owner_id != *ctx.user_id && !repo::shares(sql, path->id, *ctx.user_id))) {
    throw Error::not_found("No such learning path.");
  }
  return *path;
}

bool Access::can_edit(soci::session& sql, const RequestContext& ctx, const Path& path) const {
  return ctx.can(Permission::paths_manage) &&
         (path.owner_id == *ctx.user_id || repo::shares(sql, path.id, *ctx.user_id));
}

Path Access::readable(soci::session& sql, const RequestContext& ctx, const std::string& id) const {
  ctx.require(Permission::paths_read);
  auto path = repo::find_path(sql, ctx.school(), id);
  if (!path) throw Error::not_found("No such learning path.");
  const bool sees_all = ctx.roles.has(Role::school_admin) || ctx.roles.has(Role::support);
  if (!sees_all && path->owner_id != *ctx.user_id && !repo::shares(sql, path->id, *ctx.user_id)) {
    throw Error::not_found("No such learning path.");
  }
  return *path;
}

bool Access::is_assigned(soci::session& sql, const std::string& school, const Path& path,
                         const std::string& student_id) const {
  std::vector<std::string> classes;
  for (const auto& c : d_.directory.classes_of(sql, school, student_id, "student")) classes.push_back(c.id);
  const auto paths = repo::paths_assigned_to(sql, school, student_id, classes);
  return std::any_of(paths.begin(), paths.end(), [&](const Path& p) { return p.id == path.id; });
}

Path Access::assigned(soci::session& sql, const RequestContext& ctx, const std::string& id) const {
  if (!ctx.roles.has(Role::student)) throw Error::not_found("No such learning path.");
  auto path = repo::find_path(sql, ctx.school(), id);
  if (!path || path->status != "active" || !is_assigned(sql, ctx.school(), *path, *ctx.user_id)) {
    throw Error::not_found("No such learning path.");
  }
  return *path;
}

std::vector<users::PersonRef> Access::students_of(soci::session& sql, const Path& path) const {
  std::vector<std::string> class_ids, student_ids;
  for (const auto& a : repo::assignments(sql, path.id)) {
    (a.kind == "class" ? class_ids : student_ids).push_back(a.target_id);
  }
  auto students = d_.directory.students_of_classes(sql, path.school_id, class_ids);
  std::set<std::string> seen;
  for (const auto& s : students) seen.insert(s.id);
  for (auto& p : d_.directory.people(sql, path.school_id, student_ids)) {
    if (p.student && seen.insert(p.id).second) students.push_back(std::move(p));
  }
  std::sort(students.begin(), students.end(),
            [](const auto& a, const auto& b) { return a.display_name < b.display_name; });
  return students;
}

namespace {
// The step and what `check` says of its path; any "not found" about the path is about the step.
template <typename Check>
std::pair<Step, Path> step_with_path(soci::session& sql, const RequestContext& ctx,
                                     const std::string& step_id, Check check) {
  auto step = repo::find_step(sql, ctx.school(), step_id);
  if (!step) throw Error::not_found("No such step.");
  try {
    return {*step, check(step->path_id)};
  } catch (const Error& e) {
    if (e.code() == ErrorCode::not_found) throw Error::not_found("No such step.");
    throw;
  }
}
}  // namespace

std::pair<Step, Path> Access::editable_step(soci::session& sql, const RequestContext& ctx,
                                            const std::string& step_id) const {
  ctx.require(Permission::paths_manage);
  return step_with_path(sql, ctx, step_id, [&](const std::string& path) { return editable(sql, ctx, path); });
}

std::pair<Step, Path> Access::readable_step(soci::session& sql, const RequestContext& ctx,
                                            const std::string& step_id) const {
  ctx.require(Permission::paths_read);
  return step_with_path(sql, ctx, step_id, [&](const std::string& path) { return readable(sql, ctx, path); });
}

std::pair<Step, Path> Access::assigned_step(soci::session& sql, const RequestContext& ctx,
                                            const std::string& step_id) const {
  return step_with_path(sql, ctx, step_id, [&](const std::string& path) { return assigned(sql, ctx, path); });
}

// --- Paths ----------------------------------------------------------------------------------

object PathService::create(const RequestContext& ctx, const boost::json::value& body) {
  ctx.require(Permission::paths_manage);
  json::Fields f(body);
  only_fields(f,
              {"subject_id", "title", "objectives", "level", "status", "exam_date",
               "desired_retention", "new_cards_per_day", "reviews_per_day",
               "maximum_interval_days", "class_ids", "student_ids", "steps"},
              "");
  const PathInput in = path_input(f);
  if (!in.subject_id) f.validation().fail("subject_id", "Choose the subject.");
  if (!in.title) f.validation().fail("title", "Give a title.");
  const std::int64_t now = ctx.now_ms();
  Path path;
  path.id = new_id();
  path.school_id = ctx.school();
  path.owner_id = *ctx.user_id;
  path.created_at = path.updated_at = now;
  apply(path, in);

  return write_content(d_, [&](soci::session& sql) {
    if (in.subject_id && !d_.directory.subject(sql, path.school_id, *in.subject_id)) {
      f.validation().fail("subject_id", "No subject of this school has this id.");
    }
    const auto assignments = checked_assignments(sql, d_.directory, ctx, f);

    // Initial steps, with their items.
    std::vector<Step> steps;
    std::vector<Item> items;
    if (const auto* given = f.object().if_contains("steps"); given != nullptr && !given->is_null()) {
      if (!given->is_array() || given->get_array().size() > kMaxSteps) {
        f.validation().fail("steps", "Give a list of at most 100 steps.");
      } else {
        int position = 0;
        for (const auto& entry : given->get_array()) {
          const std::string prefix = "steps[" + std::to_string(position) + "].";
          if (!entry.is_object()) {
            f.validation().fail(prefix.substr(0, prefix.size() - 1), "Each step is an object.");
            ++position;
            continue;
          }
          json::Fields sf(entry);
          only_fields(sf, {"title", "kind", "unlock_rule", "unlock_at", "items"}, prefix);
          StepInput si = step_input(sf);
          if (!si.title) sf.validation().fail("title", "Give a title.");
          Step step;
          step.id = new_id();
          step.school_id = path.school_id;
          step.path_id = path.id;
          step.position = position;
          step.title = "";
          step.kind = "cards";
          step.unlock_rule = position == 0 ? "open" : "sequential";
          step.created_at = step.updated_at = now;
          Validation rule_errors;
          apply(step, si, steps, rule_errors, "");
          // Field errors of a step, named with its place.
          try {
            sf.done();
            rule_errors.throw_if_failed();
          } catch (const Error& e) {
            for (const auto& fe : e.fields()) f.validation().fail(prefix + fe.field, fe.message);
          }
          if (const auto* list = sf.object().if_contains("items"); list != nullptr && !list->is_null()) {
            if (!list->is_array() || list->get_array().size() > kMaxItemsPerStep) {
              f.validation().fail(prefix + "items", "Give a list of at most 2000 items.");
            } else {
              int item_position = 0;
              for (const auto& raw : list->get_array()) {
                const std::string item_prefix = prefix + "items[" + std::to_string(item_position) + "].";
                if (!raw.is_object()) {
                  f.validation().fail(item_prefix.substr(0, item_prefix.size() - 1), "Each item is an object.");
                } else {
                  json::Fields itf(raw);
                  Item item = item_from(itf, step, ctx, item_position, item_prefix);
                  try {
                    itf.done();
                  } catch (const Error& e) {
                    for (const auto& fe : e.fields()) {
                      const bool named = fe.field.rfind(item_prefix, 0) == 0;
                      f.validation().fail(named ? fe.field : item_prefix + fe.field, fe.message);
                    }
                  }
                  items.push_back(std::move(item));
                }
                ++item_position;
              }
            }
          }
          steps.push_back(std::move(step));
          ++position;
        }
      }
    }
    // A path goes live with something to learn: without a validated item it starts as a draft
    // (students would see "0/0"), and asking for it to be active then is refused.
    const bool has_content = std::any_of(items.begin(), items.end(),
                                         [](const Item& i) { return i.validation == "validated"; });
    if (!in.status) {
      path.status = has_content ? "active" : "draft";
    } else if (*in.status == "active" && !has_content) {
      f.validation().fail("status", kNothingToPublish);
    }
    f.done();

    if (auto refusal = d_.plan.refusal(sql, path.school_id, "learning_paths",
                                       repo::count_paths(sql, path.school_id) + 1)) {
      throw Error(ErrorCode::limit_reached, *refusal);
    }
    repo::insert_path(sql, path);
    for (const auto& s : steps) repo::insert_step(sql, s);
    for (const auto& i : items) repo::insert_item(sql, i);
    repo::set_assignments(sql, path, assignments, now);
    const auto students = access_.students_of(sql, path);
    record_activity(sql, ctx, "learning_path.created", "learning_path", path.id, labelled(path.title));
    array student_ids;
    for (const auto& s : students) student_ids.emplace_back(s.id);
    // After commit: students are told, and the AI tutor prepares the path's context.
    publish(sql, d_, "learning.path_created",
            object{{"path_id", path.id}, {"owner_id", path.owner_id}, {"status", path.status},
                   {"student_ids", student_ids}},
            path.school_id);
    object out = path_json(path, subject_name(sql, d_.directory, path.school_id, path.subject_id));
    out["assigned_students"] = people_json(students);
    out["step_count"] = static_cast<std::int64_t>(steps.size());
    return out;
  });
}

array PathService::list(const RequestContext& ctx) {
  ctx.require(Permission::paths_read);
  const bool sees_all = ctx.roles.has(Role::school_admin) || ctx.roles.has(Role::support);
  return d_.db.read([&](soci::session& sql) {
    std::map<std::string, std::string> subjects;
    for (const auto& s : d_.directory.subjects(sql, ctx.school())) subjects[s.id] = s.name;
    array out;
    for (const auto& p : repo::list_paths(sql, ctx.school(), sees_all ? std::nullopt : ctx.user_id)) {
      object o = path_json(p, subjects[p.subject_id]);
      o["step_count"] = static_cast<std::int64_t>(repo::steps_of(sql, p.id).size());
      o["student_count"] = static_cast<std::int64_t>(access_.students_of(sql, p).size());
      o["shared"] = p.owner_id != *ctx.user_id;
      out.push_back(std::move(o));
    }
    return out;
  });
}

object PathService::get(const RequestContext& ctx, const std::string& id) {
  return d_.db.read([&](soci::session& sql) {
    const Path path = access_.readable(sql, ctx, id);
    object out = path_json(path, subject_name(sql, d_.directory, path.school_id, path.subject_id));
    array steps;
    for (const auto& s : repo::steps_of(sql, path.id)) {
      object o = step_json(s);
      int validated = 0, pending = 0, total = 0;
      for (const auto& i : repo::items_of(sql, s.id)) {
        ++total;
        validated += i.validation == "validated";
        pending += i.validation == "pending";
      }
      o["item_count"] = total;
      o["validated_count"] = validated;
      o["pending_count"] = pending;
      steps.push_back(std::move(o));
    }
    out["steps"] = std::move(steps);
    array classes, students;
    for (const auto& a : repo::assignments(sql, path.id)) {
      if (a.kind == "class") {
        if (auto c = d_.directory.school_class(sql, path.school_id, a.target_id)) {
          classes.push_back(object{{"id", c->id}, {"name", c->name}, {"school_year", c->school_year}});
        }
      } else if (auto p = d_.directory.person(sql, path.school_id, a.target_id)) {
        students.push_back(object{{"id", p->id}, {"display_name", p->display_name}});
      }
    }
    out["assigned_classes"] = std::move(classes);
    out["assigned_students"] = std::move(students);
    out["assigned_student_count"] = static_cast<std::int64_t>(access_.students_of(sql, path).size());
    out["teachers"] = people_json(d_.directory.people(sql, path.school_id, repo::path_teachers(sql, path.id)));
    if (auto owner = d_.directory.person(sql, path.school_id, path.owner_id)) {
      out["owner_name"] = owner->display_name;
    }
    out["can_edit"] = access_.can_edit(sql, ctx, path);
    return out;
  });
}

object PathService::update(const RequestContext& ctx, const std::string& id,
                           const boost::json::value& body) {
  return write_content(d_, [&](soci::session& sql) {
    Path path = access_.editable(sql, ctx, id);
    json::Fields f(body);
    only_fields(f,
                {"subject_id", "title", "objectives", "level", "status", "exam_date",
                 "desired_retention", "new_cards_per_day", "reviews_per_day",
                 "maximum_interval_days"},
                "");
    const PathInput in = path_input(f);
    if (in.subject_id && !d_.directory.subject(sql, path.school_id, *in.subject_id)) {
      f.validation().fail("subject_id", "No subject of this school has this id.");
    }
    if (in.status == "active" && path.status != "active" && !has_validated_item(sql, path.id)) {
      f.validation().fail("status", kNothingToPublish);
    }
    f.done();
    const std::string before = path.status;
    apply(path, in);
    path.updated_at = ctx.now_ms();
    repo::update_path(sql, path);
    record_activity(sql, ctx, "learning_path.updated", "learning_path", path.id, labelled(path.title));
    if (before != "active" && path.status == "active") {
      array ids;
      for (const auto& s : access_.students_of(sql, path)) ids.emplace_back(s.id);
      publish(sql, d_, "learning.path_activated", object{{"path_id", path.id}, {"student_ids", ids}},
              path.school_id);
    }
    return path_json(path, subject_name(sql, d_.directory, path.school_id, path.subject_id));
  });
}

object PathService::copy(const RequestContext& ctx, const std::string& id,
                         const boost::json::value& body) {
  return write_content(d_, [&](soci::session& sql) {
    const Path source = access_.editable(sql, ctx, id);
    json::Fields f(body);
    only_fields(f, {"title"}, "");
    auto title = f.optional_string("title", 200);
    if (title && json::trim(*title).empty()) f.validation().fail("title", "Give a title.");
    f.done();
    const std::int64_t now = ctx.now_ms();
    Path path = source;
    path.id = new_id();
    path.owner_id = *ctx.user_id;
    path.title = title ? json::trim(*title) : source.title;
    path.status = "draft";  // a copy is for another class or year: assign it, then activate it
    path.copied_from = source.id;
    path.created_at = path.updated_at = now;
    if (auto refusal = d_.plan.refusal(sql, path.school_id, "learning_paths",
                                       repo::count_paths(sql, path.school_id) + 1)) {
      throw Error(ErrorCode::limit_reached, *refusal);
    }
    repo::insert_path(sql, path);
    std::map<std::string, std::string> new_ids;
    auto steps = repo::steps_of(sql, source.id);
    for (const auto& s : steps) new_ids[s.id] = new_id();
    for (auto s : steps) {
      const std::string old_id = s.id;
      s.id = new_ids[old_id];
      s.path_id = path.id;
      if (s.prerequisite_step_id) s.prerequisite_step_id = new_ids[*s.prerequisite_step_id];
      s.created_at = s.updated_at = now;
      repo::insert_step(sql, s);
      for (auto item : repo::items_of(sql, old_id)) {
        item.id = new_id();
        item.step_id = s.id;
        item.created_at = item.updated_at = now;
        repo::insert_item(sql, item);
      }
    }
    record_activity(sql, ctx, "learning_path.copied", "learning_path", path.id, labelled(path.title));
    return path_json(path, subject_name(sql, d_.directory, path.school_id, path.subject_id));
  });
}

object PathService::set_assignments(const RequestContext& ctx, const std::string& id,
                                    const boost::json::value& body) {
  return write_content(d_, [&](soci::session& sql) {
    const Path path = access_.editable(sql, ctx, id);
    json::Fields f(body);
    only_fields(f, {"class_ids", "student_ids"}, "");
    const auto before = access_.students_of(sql, path);
    const auto assignments = checked_assignments(sql, d_.directory, ctx, f);
    f.done();
    repo::set_assignments(sql, path, assignments, ctx.now_ms());
    const auto after = access_.students_of(sql, path);
    std::set<std::string> had;
    for (const auto& s : before) had.insert(s.id);
    array added;
    for (const auto& s : after) {
      if (!had.count(s.id)) added.emplace_back(s.id);
    }
    record_activity(sql, ctx, "learning_path.assigned", "learning_path", path.id, labelled(path.title));
    if (!added.empty()) {
      publish(sql, d_, "learning.path_assigned", object{{"path_id", path.id}, {"student_ids", added}},
              path.school_id);
    }
    return object{{"path_id", path.id}, {"assigned_students", people_json(after)}};
  });
}

object PathService::set_teachers(const RequestContext& ctx, const std::string& id,
                                 const boost::json::value& body) {
  return write_content(d_, [&](soci::session& sql) {
    const Path path = access_.editable(sql, ctx, id);
    if (path.owner_id != *ctx.user_id) throw Error::forbidden("Only the path's owner shares it.");
    json::Fields f(body);
    only_fields(f, {"teacher_ids"}, "");
    auto ids = f.optional_string_list("teacher_ids", 50, 40);
    if (!f.has("teacher_ids")) f.validation().fail("teacher_ids", "Give the list of teachers (it may be empty).");
    const std::vector<std::string> given = ids.value_or(std::vector<std::string>{});
    std::set<std::string> wanted(given.begin(), given.end());
    wanted.erase(path.owner_id);
    std::set<std::string> teachers;
    for (const auto& p : d_.directory.people(sql, path.school_id, {wanted.begin(), wanted.end()})) {
      if (p.teacher) teachers.insert(p.id);
    }
    for (const auto& id_wanted : wanted) {
      if (!teachers.count(id_wanted)) {
        f.validation().fail("teacher_ids", "No teacher of this school has the id " + id_wanted.substr(0, 40) + ".");
      }
    }
    f.done();
    repo::set_path_teachers(sql, path, {teachers.begin(), teachers.end()}, ctx.now_ms());
    record_activity(sql, ctx, "learning_path.shared", "learning_path", path.id, labelled(path.title));
    return object{{"path_id", path.id},
                  {"teachers", people_json(d_.directory.people(sql, path.school_id, {teachers.begin(), teachers.end()}))}};
  });
}

// --- Steps ----------------------------------------------------------------------------------

object PathService::add_step(const RequestContext& ctx, const std::string& path_id,
                             const boost::json::value& body) {
  return write_content(d_, [&](soci::session& sql) {
    const Path path = access_.editable(sql, ctx, path_id);
    json::Fields f(body);
    only_fields(f, {"title", "kind", "unlock_rule", "prerequisite_step_id", "unlock_at"}, "");
    const StepInput in = step_input(f);
    if (!in.title) f.validation().fail("title", "Give a title.");
    const auto steps = repo::steps_of(sql, path.id);
    if (steps.size() >= kMaxSteps) f.validation().fail("title", "A path has at most 100 steps.");
    Step step;
    step.id = new_id();
    step.school_id = path.school_id;
    step.path_id = path.id;
    step.position = steps.empty() ? 0 : steps.back().position + 1;
    step.kind = "cards";
    step.unlock_rule = steps.empty() ? "open" : "sequential";
    step.created_at = step.updated_at = ctx.now_ms();
    apply(step, in, steps, f.validation(), "");
    f.done();
    repo::insert_step(sql, step);
    record_activity(sql, ctx, "learning_step.created", "learning_step", step.id, labelled(step.title));
    return step_json(step);
  });
}

object PathService::reorder_steps(const RequestContext& ctx, const std::string& path_id,
                                  const boost::json::value& body) {
  return write_content(d_, [&](soci::session& sql) {
    const Path path = access_.editable(sql, ctx, path_id);
    json::Fields f(body);
    only_fields(f, {"step_ids"}, "");
    const auto order = f.optional_string_list("step_ids", kMaxSteps, 40);
    auto steps = repo::steps_of(sql, path.id);
    std::set<std::string> existing;
    for (const auto& s : steps) existing.insert(s.id);
    if (!order || std::set<std::string>(order->begin(), order->end()) != existing ||
        order->size() != existing.size()) {
      f.validation().fail("step_ids", "List every step of the path once, in the new order.");
    }
    f.done();
    std::map<std::string, int> position;
    for (std::size_t i = 0; i < order->size(); ++i) position[(*order)[i]] = static_cast<int>(i);
    array out;
    std::sort(steps.begin(), steps.end(),
              [&](const Step& a, const Step& b) { return position[a.id] < position[b.id]; });
    for (auto& s : steps) {
      s.position = position[s.id];
      s.updated_at = ctx.now_ms();
      repo::update_step(sql, s);
      out.push_back(step_json(s));
    }
    record_activity(sql, ctx, "learning_path.reordered", "learning_path", path.id, labelled(path.title));
    return object{{"steps", std::move(out)}};
  });
}

object PathService::update_step(const RequestContext& ctx, const std::string& step_id,
                                const boost::json::value& body) {
  return write_content(d_, [&](soci::session& sql) {
    auto [step, path] = access_.editable_step(sql, ctx, step_id);
    json::Fields f(body);
    only_fields(f, {"title", "kind", "unlock_rule", "prerequisite_step_id", "unlock_at"}, "");
    const StepInput in = step_input(f);
    const auto steps = repo::steps_of(sql, path.id);
    const std::string old_kind = step.kind;
    apply(step, in, steps, f.validation(), "");
    if (in.kind && *in.kind != old_kind && !repo::items_of(sql, step.id).empty() &&
        ((old_kind == "lesson" || old_kind == "tutor") != (step.kind == "lesson" || step.kind == "tutor"))) {
      f.validation().fail("kind", "Remove the step's items before making it hold another kind of content.");
    }
    // A prerequisite chain must not loop back to this step.
    if (step.prerequisite_step_id) {
      std::map<std::string, std::optional<std::string>> requires_step;
      for (const auto& s : steps) requires_step[s.id] = s.prerequisite_step_id;
      requires_step[step.id] = step.prerequisite_step_id;
      std::optional<std::string> at = step.prerequisite_step_id;
      for (std::size_t hops = 0; at && hops <= steps.size(); ++hops) {
        if (*at == step.id) {
          f.validation().fail("prerequisite_step_id", "These prerequisites would wait on each other forever.");
          break;
        }
        at = requires_step[*at];
      }
    }
    f.done();
    step.updated_at = ctx.now_ms();
    repo::update_step(sql, step);
    record_activity(sql, ctx, "learning_step.updated", "learning_step", step.id, labelled(step.title));
    return step_json(step);
  });
}

void PathService::delete_step(const RequestContext& ctx, const std::string& step_id) {
  write_content(d_, [&](soci::session& sql) {
    auto [step, path] = access_.editable_step(sql, ctx, step_id);
    // Steps that waited on this one now follow the order of the path.
    for (auto s : repo::steps_of(sql, path.id)) {
      if (s.prerequisite_step_id == step.id) {
        s.unlock_rule = "sequential";
        s.prerequisite_step_id.reset();
        s.updated_at = ctx.now_ms();
        repo::update_step(sql, s);
      }
    }
    repo::delete_step(sql, path.school_id, step.id);
    record_activity(sql, ctx, "learning_step.deleted", "learning_step", step.id, labelled(step.title));
  });
}

// --- Items ----------------------------------------------------------------------------------

object PathService::step(const RequestContext& ctx, const std::string& step_id) {
  return d_.db.read([&](soci::session& sql) {
    const auto [step, path] = access_.readable_step(sql, ctx, step_id);
    object out = step_json(step);
    array list;
    for (const auto& i : repo::items_of(sql, step.id)) list.push_back(item_json(i));
    out["items"] = std::move(list);
    return out;
  });
}

object PathService::item(const RequestContext& ctx, const std::string& item_id) {
  return d_.db.read([&](soci::session& sql) {
    auto item = repo::find_item(sql, ctx.school(), item_id);
    if (!item) throw Error::not_found("No such item.");
    try {
      access_.readable_step(sql, ctx, item->step_id);
    } catch (const Error& e) {
      if (e.code() == ErrorCode::not_found) throw Error::not_found("No such item.");
      throw;
    }
    return item_json(*item);
  });
}

array PathService::items(const RequestContext& ctx, const std::string& step_id) {
  return d_.db.read([&](soci::session& sql) {
    const auto [step, path] = access_.readable_step(sql, ctx, step_id);
    array out;
    for (const auto& i : repo::items_of(sql, step.id)) out.push_back(item_json(i));
    return out;
  });
}

object PathService::add_item(const RequestContext& ctx, const std::string& step_id,
                             const boost::json::value& body) {
  return write_content(d_, [&](soci::session& sql) {
    auto [step, path] = access_.editable_step(sql, ctx, step_id);
    json::Fields f(body);
    only_fields(f, {"kind", "content", "tags", "origin", "validation"}, "");
    const auto existing = repo::items_of(sql, step.id);
    if (existing.size() >= kMaxItemsPerStep) throw Error::conflict("A step holds at most 2000 items.");
    Item item = item_from(f, step, ctx, repo::next_item_position(sql, step.id), "");
    f.done();
    repo::insert_item(sql, item);
    record_activity(sql, ctx, "learning_item.created", "learning_item", item.id, labelled(item_label(item)));
    return item_json(item);
  });
}

object PathService::update_item(const RequestContext& ctx, const std::string& item_id,
                                const boost::json::value& body) {
  return write_content(d_, [&](soci::session& sql) {
    auto item = repo::find_item(sql, ctx.school(), item_id);
    if (!item) throw Error::not_found("No such item.");
    Step step;
    try {
      step = access_.editable_step(sql, ctx, item->step_id).first;
    } catch (const Error& e) {
      if (e.code() == ErrorCode::not_found) throw Error::not_found("No such item.");
      throw;
    }
    json::Fields f(body);
    only_fields(f, {"content", "tags", "validation", "position"}, "");
    if (const auto* content = f.object().if_contains("content")) {
      try {
        item->content = checked_content(item->kind, *content);
      } catch (const Error& e) {
        if (e.code() != ErrorCode::invalid) throw;
        for (const auto& fe : e.fields()) f.validation().fail(fe.field, fe.message);
      }
    }
    if (auto tags = f.optional_string_list("tags", 20, 40)) {
      item->tags = tags_text(*tags, f.validation(), "tags");
    }
    if (auto validation = f.optional_string("validation", 20)) {
      if (*validation != "pending" && *validation != "validated" && *validation != "rejected") {
        f.validation().fail("validation", "Use pending, validated or rejected.");
      }
      item->validation = *validation;
    }
    if (auto position = f.optional_int("position", 0, 100000)) item->position = static_cast<int>(*position);
    f.done();
    item->updated_at = ctx.now_ms();
    repo::update_item(sql, *item);
    record_activity(sql, ctx, "learning_item.updated", "learning_item", item->id, labelled(item_label(*item)));
    return item_json(*item);
  });
}

void PathService::delete_item(const RequestContext& ctx, const std::string& item_id) {
  write_content(d_, [&](soci::session& sql) {
    auto item = repo::find_item(sql, ctx.school(), item_id);
    if (!item) throw Error::not_found("No such item.");
    try {
      access_.editable_step(sql, ctx, item->step_id);
    } catch (const Error& e) {
      if (e.code() == ErrorCode::not_found) throw Error::not_found("No such item.");
      throw;
    }
    repo::delete_item(sql, ctx.school(), item->id);
    record_activity(sql, ctx, "learning_item.deleted", "learning_item", item->id, labelled(item_label(*item)));
  });
}

namespace {

constexpr std::size_t kMaxTextImportBytes = 4u << 20;

// The text a student is asked about: two items with the same prompt in a step are one too many.
std::string prompt_key(const std::string& kind, const object& content) {
  const char* field = kind == "flashcard" ? "front" : kind == "cloze" ? "text" : "question";
  const auto* value = content.if_contains(field);
  return value != nullptr && value->is_string() ? json::trim(std::string(value->get_string())) : std::string();
}

// Swaps each media placeholder of html::to_markdown ("![alt](<placeholder>)") for the file's
// address, or removes it when the file could not be kept; true when one was removed.
bool resolve_media(boost::json::value& value, const std::map<std::string, std::string>& urls) {
  bool removed = false;
  if (value.is_string()) {
    std::string text(value.get_string());
    for (auto at = text.find("](\x01"); at != std::string::npos; at = text.find("](\x01", at)) {
      const auto open = text.rfind("![", at);
      const auto close = text.find("\x01)", at + 3);
      if (open == std::string::npos || close == std::string::npos) break;
      const auto url = urls.find(text.substr(at + 3, close - at - 3));
      const std::string replacement =
          url == urls.end() ? std::string() : text.substr(open, at - open) + "](" + url->second + ")";
      removed = removed || url == urls.end();
      text.replace(open, close + 2 - open, replacement);
      at = open + replacement.size();
    }
    if (removed) text = json::trim(text);
    value = text;
  } else if (value.is_array()) {
    for (auto& element : value.get_array()) removed = resolve_media(element, urls) || removed;
  } else if (value.is_object()) {
    for (auto& entry : value.get_object()) removed = resolve_media(entry.value(), urls) || removed;
  }
  return removed;
}

// A file name as the alt text of a picture: no extension, no brackets that would end the link.
std::string alt_text(const std::string& file_name) {
  std::string alt = file_name.substr(0, file_name.rfind('.'));
  std::erase_if(alt, [](char c) { return c == '[' || c == ']' || c == '\n'; });
  return alt == "audio" ? "picture" : alt;
}

std::string import_format(std::string format, std::string_view content_type) {
  const std::string type(json::trim(std::string(content_type.substr(0, content_type.find(';')))));
  if (format.empty()) {
    if (type == "text/x-gift") return "gift";
    if (type == "text/csv" || type == "text/plain") return "csv";
    if (type == "application/zip" || type == "application/x-zip-compressed" ||
        type == "application/octet-stream" || type == "application/vnd.anki") {
      return "apkg";
    }
    throw Error(ErrorCode::unsupported_media,
                "Send a CSV file (text/csv), a GIFT file (text/plain with format=gift) or an Anki package (application/zip).");
  }
  if (format != "csv" && format != "gift" && format != "apkg") throw Error::invalid("format", "Use csv, gift or apkg.");
  if (format != "apkg" && type.substr(0, 5) != "text/") {
    throw Error(ErrorCode::unsupported_media, "Send a CSV or GIFT file as text (Content-Type: text/csv or text/plain).");
  }
  return format;
}

}  // namespace

std::string PathService::store_media(soci::session& sql, const RequestContext& ctx, const Path& path,
                                     const std::string& name, std::string_view bytes) {
  const std::string type = media_type_of(name, bytes);
  if (type.empty()) return {};
  const auto size = static_cast<std::int64_t>(bytes.size());
  if (auto known = repo::find_media_by_name(sql, path.id, name, size)) return known->id;
  Media media;
  media.id = new_id();
  media.school_id = path.school_id;
  media.path_id = path.id;
  media.name = json::truncate_utf8(name, 200);
  media.content_type = type;
  media.size_bytes = size;
  media.storage_path = "learning/" + path.school_id + "/" + media.id + "." + type.substr(6);
  media.created_by = *ctx.user_id;
  media.created_at = ctx.now_ms();
  files_.put(media.storage_path, bytes);  // written before the row points at it
  repo::insert_media(sql, media);
  return media.id;
}

namespace {
// Thrown at the end of a dry run so that its transaction rolls back: the report is all it leaves.
struct DryRun {
  ImportReport report;
};
}  // namespace

ImportReport PathService::import_items(const RequestContext& ctx, const std::string& step_id,
                                       std::string format, std::string_view content_type,
                                       std::string_view body, bool dry_run) {
  try {
    return import_items_in(ctx, step_id, std::move(format), content_type, body, dry_run);
  } catch (DryRun& done) {
    return std::move(done.report);
  }
}

ImportReport PathService::import_items_in(const RequestContext& ctx, const std::string& step_id,
                                          std::string format, std::string_view content_type,
                                          std::string_view body, bool dry_run) {
  return write_content(d_, [&](soci::session& sql) {
    auto [step, path] = access_.editable_step(sql, ctx, step_id);
    format = import_format(std::move(format), content_type);
    if (!step_accepts(step.kind, "flashcard")) {
      throw Error::invalid("file", "Import cards into a cards or quiz step.");
    }
    ImportReport report;
    report.format = format;
    std::vector<imports::Candidate> candidates;
    std::map<std::string, std::string> media_urls;
    if (format == "apkg") {
      const auto package = apkg::read(body);
      for (const auto& [name, bytes] : package.media) {
        // A dry run writes no file: a file that would be kept gets a stand-in address.
        const std::string id = dry_run ? (media_type_of(name, bytes).empty() ? "" : "dry-run")
                                       : store_media(sql, ctx, path, name, bytes);
        if (!id.empty()) media_urls[name] = "/api/v1/learning-media/" + id;
      }
      candidates = imports::from_anki(package.notes);
    } else {
      if (body.size() > kMaxTextImportBytes) {
        throw Error(ErrorCode::payload_too_large, "A CSV or GIFT file may weigh at most 4 MiB.");
      }
      // Not UTF-8: read as Windows-1252 (Moodle on Windows, Excel), and the report says so.
      const auto decoded = imports::decode_text(body);
      report.encoding = decoded.encoding;
      if (format == "csv") {
        candidates = imports::from_csv(decoded.text);
      } else {
        candidates = imports::from_gift(decoded.text, {messages::translate(ctx.locale, "True"),
                                                       messages::translate(ctx.locale, "False")});
      }
    }
    if (candidates.empty()) throw Error::invalid("file", "The file holds no card or question.");

    auto existing = repo::items_of(sql, step.id);
    int position = repo::next_item_position(sql, step.id);
    const std::size_t room = kMaxItemsPerStep - std::min(kMaxItemsPerStep, existing.size());
    std::set<std::string> prompts;
    for (const auto& i : existing) {
      if (is_card_kind(i.kind)) prompts.insert(prompt_key(i.kind, json::parse(i.content).as_object()));
    }
    for (auto& candidate : candidates) {
      ImportLine line;
      line.line = candidate.line;
      line.kind = candidate.kind;
      line.front = json::truncate_utf8(html::readable_label(candidate.label), 80);
      line.reason = candidate.skipped;
      std::string content;
      if (line.reason.empty()) {
        boost::json::value given(std::move(candidate.content));
        if (resolve_media(given, media_urls)) {
          candidate.note = "A picture or sound was left out: it is missing, larger than 2 MiB, or of a kind Mnemos cannot show.";
        }
        try {
          content = checked_content(candidate.kind, given);
        } catch (const Error& e) {
          line.reason = e.fields().empty() ? e.what() : e.fields().front().message;
        }
      }
      if (line.reason.empty()) {
        const auto key = prompt_key(candidate.kind, json::parse(content).as_object());
        if (prompts.count(key)) {
          line.reason = candidate.kind == "flashcard" ? "The step already has a card with this front."
                                                      : "The step already has this question.";
        } else if (static_cast<std::size_t>(report.taken) >= room) {
          line.reason = "The step is full (2000 items).";
        }
      }
      if (!line.reason.empty()) {
        line.status = "skipped";
        ++report.skipped;
        report.lines.push_back(std::move(line));
        continue;
      }
      Item item;
      item.id = new_id();
      item.school_id = step.school_id;
      item.step_id = step.id;
      item.position = position++;
      item.kind = candidate.kind;
      item.content = content;
      // Tags that are not single words are left out rather than losing the card.
      Validation ignored;
      std::vector<std::string> tags;
      for (auto& tag : candidate.tags) {
        Validation check;
        tags_text({tag}, check, "tags");
        if (check.ok() && tags.size() < 20) tags.push_back(std::move(tag));
      }
      item.tags = tags_text(tags, ignored, "tags");
      item.origin = "imported";
      item.validation = "validated";
      item.created_by = *ctx.user_id;
      item.created_at = item.updated_at = ctx.now_ms();
      repo::insert_item(sql, item);
      prompts.insert(prompt_key(item.kind, json::parse(content).as_object()));
      line.status = "taken";
      line.reason = candidate.note;
      line.item_id = item.id;
      ++report.taken;
      report.lines.push_back(std::move(line));
    }
    report.dry_run = dry_run;
    if (dry_run) throw DryRun{std::move(report)};
    record_activity(sql, ctx, "learning_step.imported", "learning_step", step.id, labelled(step.title));
    return report;
  });
}

boost::json::object PathService::add_media(const RequestContext& ctx, const std::string& path_id,
                                           std::string_view content_type, std::string_view name,
                                           std::string_view bytes) {
  return write_content(d_, [&](soci::session& sql) {
    const Path path = access_.editable(sql, ctx, path_id);
    const std::string declared(content_type.substr(0, content_type.find(';')));
    const bool sound = declared.starts_with("audio/");
    if (declared != "image/png" && declared != "image/jpeg" && declared != "image/webp" && declared != "image/gif" && !sound) {
      throw Error(ErrorCode::unsupported_media, "Send a picture (PNG, JPEG, WebP or GIF) or a sound (MP3, Ogg, WAV or M4A).");
    }
    if (bytes.size() > apkg::kMaxMediaBytes) {
      throw Error(ErrorCode::payload_too_large, "A picture or sound may weigh at most 2 MiB.");
    }
    // Browsers name sounds in several ways (audio/mp3, audio/x-wav): the bytes decide.
    const std::string type = sound ? files::sniff_audio_type(bytes) : files::sniff_image_type(bytes);
    if (type.empty() || (!sound && type != declared)) {
      throw Error::invalid("file", "This file is not the picture or sound it claims to be.");
    }
    std::string file_name = json::trim(std::string(name));
    if (!json::is_printable_utf8(file_name)) {
      throw Error::invalid("name", "A file name may not hold control characters.");
    }
    if (file_name.empty()) file_name = sound ? "sound" : "picture";
    file_name = json::truncate_utf8(file_name, 200);
    const std::string id = store_media(sql, ctx, path, file_name, bytes);
    record_activity(sql, ctx, "learning_media.added", "learning_path", path.id, labelled(file_name));
    const std::string url = "/api/v1/learning-media/" + id;
    return object{{"id", id}, {"url", url}, {"name", file_name}, {"content_type", type},
                  {"size_bytes", static_cast<std::int64_t>(bytes.size())},
                  {"markdown", "![" + (sound ? std::string("audio") : alt_text(file_name)) + "](" + url + ")"}};
  });
}

std::pair<std::string, std::string> PathService::media(const RequestContext& ctx, const std::string& id) {
  const auto media = d_.db.read([&](soci::session& sql) { return repo::find_media(sql, ctx.school(), id); });
  if (!media) throw Error::not_found("No such media file.");
  auto bytes = files_.get(media->storage_path);
  if (!bytes) throw Error::not_found("No such media file.");
  return {media->content_type, std::move(*bytes)};
}

std::tuple<std::string, std::string, std::string> PathService::export_path(
    const RequestContext& ctx, const std::string& id, const std::string& format) {
  return d_.db.read([&](soci::session& sql) -> std::tuple<std::string, std::string, std::string> {
    const Path path = access_.readable(sql, ctx, id);
    if (format != "json" && format != "csv" && format != "gift") throw Error::invalid("format", "Use json, csv or gift.");
    const auto steps = repo::steps_of(sql, path.id);
    if (format == "gift") {
      std::vector<gift::Section> sections;
      for (const auto& s : steps) sections.push_back({path.title + "/" + s.title, repo::items_of(sql, s.id)});
      return {"text/plain; charset=utf-8", "learning-path.gift.txt", gift::write(sections)};
    }
    if (format == "json") {
      object out{{"format", "mnemos.learning_path"}, {"version", 1}};
      out["path"] = path_json(path, subject_name(sql, d_.directory, path.school_id, path.subject_id));
      array list;
      for (const auto& s : steps) {
        object o = step_json(s);
        array items;
        for (const auto& i : repo::items_of(sql, s.id)) items.push_back(item_json(i));
        o["items"] = std::move(items);
        list.push_back(std::move(o));
      }
      out["steps"] = std::move(list);
      return {"application/json", "learning-path.json", json::serialize(out)};
    }
    // CSV: one row per item; front/back hold the question and its answer for every kind.
    std::string csv_text = "step,kind,front,back,tags,validation\r\n";
    for (const auto& s : steps) {
      for (const auto& i : repo::items_of(sql, s.id)) {
        const auto c = json::parse(i.content).as_object();
        auto text = [&](const char* key) {
          const auto* v = c.if_contains(key);
          return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
        };
        std::string front, back;
        if (i.kind == "flashcard") {
          front = text("front");
          back = text("back");
        } else if (i.kind == "cloze") {
          front = text("text");
        } else if (i.kind == "lesson") {
          front = text("markdown");
        } else {
          // The question, and its right answers in words (options' text, accepted answers, pairs,
          // numbers, steps in order).
          front = text("question");
          for (const auto& words : expected_in_words(i, 0)) back += (back.empty() ? "" : "; ") + words;
        }
        csv_text += csv::field(s.title) + "," + i.kind + "," + csv::field(front) + "," +
                    csv::field(back) + "," + csv::field(i.tags) + "," + i.validation + "\r\n";
      }
    }
    return {"text/csv; charset=utf-8", "learning-path.csv", csv_text};
  });
}

}  // namespace mnemos::learning
