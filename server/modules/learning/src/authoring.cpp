// What the authoring services share (authoring.hpp).
#include <mnemos/core/activity.hpp>
#include <mnemos/core/db.hpp>
#include <mnemos/core/ids.hpp>
#include <mnemos/core/jobs.hpp>
#include <mnemos/core/files.hpp>

#include "authoring.hpp"
#include "html.hpp"
#include "content.hpp"
#include "repository.hpp"
#include "views.hpp"

#include <boost/json/array.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace mnemos::learning {

using boost::json::array;
using boost::json::object;

namespace authoring {

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

std::vector<Assignment> checked_assignments(soci::session& sql, const users::Directory& directory,
                                            const RequestContext& ctx, const AssignmentInput& in, Validation& v) {
  const auto& class_ids = in.class_ids;
  const auto& student_ids = in.student_ids;
  const std::string& school = ctx.school();
  std::set<std::string> own_classes;
  for (const auto& c : directory.classes_of(sql, school, *ctx.user_id, "teacher")) own_classes.insert(c.id);
  std::vector<Assignment> out;
  for (const auto& id : std::set<std::string>(class_ids.begin(), class_ids.end())) {
    if (!own_classes.count(id)) {
      v.fail("class_ids", "Assign only classes you teach (" + id.substr(0, 40) + ").");
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
      v.fail("student_ids", "No student of this school has the id " + id.substr(0, 40) + ".");
    } else if (!reachable.count(id)) {
      v.fail("student_ids", "Assign only students of your classes (" + id.substr(0, 40) + ").");
    } else {
      out.push_back({"student", id});
    }
  }
  return out;
}

std::string subject_name(soci::session& sql, const users::Directory& directory,
                         const std::string& school, const std::string& subject_id) {
  auto subject = directory.subject(sql, school, subject_id);
  return subject ? subject->name : std::string();
}

Item item_from(const ItemInput& in, const Step& step, const RequestContext& ctx, int position,
               const std::string& prefix, Validation& v) {
  Item item;
  item.id = new_id();
  item.school_id = step.school_id;
  item.step_id = step.id;
  item.position = position;
  item.kind = in.kind.value_or("");
  item.origin = in.origin.value_or("manual");
  item.created_by = *ctx.user_id;
  item.created_at = item.updated_at = ctx.now_ms();
  // What a teacher writes or imports is validated by writing it; generated content waits for them.
  item.validation = in.validation.value_or(item.origin == "generated" ? "pending" : "validated");
  item.tags = tags_text(in.tags.value_or(std::vector<std::string>{}), v, prefix + "tags");
  if (item.kind.empty() || !is_item_kind(item.kind)) return item;  // the input named it
  if (!step_accepts(step.kind, item.kind)) {
    v.fail(prefix + "kind", step.kind == "lesson" || step.kind == "tutor"
                                ? "This step holds lessons only."
                                : "This step holds cards and questions, not lessons.");
    return item;
  }
  if (in.content) {
    try {
      item.content = checked_content(item.kind, *in.content);
    } catch (const Error& e) {
      if (e.code() != ErrorCode::invalid) throw;
      for (const auto& fe : e.fields()) v.fail(prefix + fe.field, fe.message);
    }
  }
  return item;
}


void lessons_changed(soci::session& sql, const Deps& d, const std::string& school_id, const std::string& path_id) {
  publish(sql, d, "learning.lessons_changed", object{{"path_id", path_id}}, school_id);
}

void item_changed(soci::session& sql, const Deps& d, const Item& item) {
  if (item.kind != "lesson") return;
  if (const auto step = repo::find_step(sql, item.school_id, item.step_id)) lessons_changed(sql, d, item.school_id, step->path_id);
}

void publish(soci::session& sql, const Deps& d, const std::string& type, const object& payload,
             const std::string& school) {
  jobs::publish(sql, d.clock, d.jobs, type, json::serialize(payload), school);
}

}  // namespace authoring

}  // namespace mnemos::learning
