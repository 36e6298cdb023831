// Paths: what teachers create, share, assign and export (docs/learning.md).
#include <mnemos/core/activity.hpp>
#include <mnemos/core/db.hpp>
#include <mnemos/core/ids.hpp>
#include <mnemos/core/jobs.hpp>
#include <mnemos/core/csv.hpp>

#include "gift_writer.hpp"

#include "authoring.hpp"
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
using namespace authoring;

// --- Paths ----------------------------------------------------------------------------------

PathView PathService::create(const RequestContext& ctx, const NewPath& in) {
  ctx.require(Permission::paths_manage);
  const std::int64_t now = ctx.now_ms();
  Path path;
  path.id = new_id();
  path.school_id = ctx.school();
  path.owner_id = *ctx.user_id;
  path.created_at = path.updated_at = now;
  apply(path, in.path);

  return write_content(d_, [&](soci::session& sql) {
    Validation v;
    if (!d_.directory.subject(sql, path.school_id, path.subject_id)) {
      v.fail("subject_id", "No subject of this school has this id.");
    }
    const auto assignments = checked_assignments(sql, d_.directory, ctx, in.assignments, v);

    // Initial steps, with their items.
    std::vector<Step> steps;
    std::vector<Item> items;
    for (const auto& given : in.steps) {
      const int position = static_cast<int>(steps.size());
      const std::string prefix = "steps[" + std::to_string(position) + "].";
      Step step;
      step.id = new_id();
      step.school_id = path.school_id;
      step.path_id = path.id;
      step.position = position;
      step.kind = "cards";
      step.unlock_rule = position == 0 ? "open" : "sequential";
      step.created_at = step.updated_at = now;
      apply(step, given.step, steps, v, prefix);
      for (std::size_t i = 0; i < given.items.size(); ++i) {
        const std::string item_prefix = prefix + "items[" + std::to_string(i) + "].";
        items.push_back(item_from(given.items[i], step, ctx, static_cast<int>(i), item_prefix, v));
      }
      steps.push_back(std::move(step));
    }
    // A path goes live with something to learn: without a validated item it starts as a draft
    // (students would see "0/0"), and asking for it to be active then is refused.
    const bool has_content = std::any_of(items.begin(), items.end(),
                                         [](const Item& i) { return i.validation == "validated"; });
    if (!in.path.status) {
      path.status = has_content ? "active" : "draft";
    } else if (*in.path.status == "active" && !has_content) {
      v.fail("status", kNothingToPublish);
    }
    v.throw_if_failed();

    if (auto refusal = d_.plan.refusal(sql, path.school_id, "learning_paths",
                                       repo::count_paths(sql, path.school_id) + 1)) {
      throw Error(ErrorCode::limit_reached, *refusal);
    }
    repo::insert_path(sql, path);
    for (const auto& s : steps) repo::insert_step(sql, s);
    for (const auto& i : items) repo::insert_item(sql, i);
    repo::set_assignments(sql, path, assignments, now);
    PathView out{.path = path, .subject_name = subject_name(sql, d_.directory, path.school_id, path.subject_id)};
    out.assigned_students = access_.students_of(sql, path);
    out.step_count = static_cast<std::int64_t>(steps.size());
    record_activity(sql, ctx, "learning_path.created", "learning_path", path.id, labelled(path.title));
    array student_ids;
    for (const auto& s : *out.assigned_students) student_ids.emplace_back(s.id);
    // After commit: students are told, and the AI tutor prepares the path's context.
    publish(sql, d_, "learning.path_created",
            object{{"path_id", path.id}, {"owner_id", path.owner_id}, {"status", path.status},
                   {"student_ids", student_ids}},
            path.school_id);
    return out;
  });
}

std::vector<PathView> PathService::list(const RequestContext& ctx) {
  ctx.require(Permission::paths_read);
  const bool sees_all = ctx.roles.has(Role::school_admin) || ctx.roles.has(Role::support);
  return d_.db.read([&](soci::session& sql) {
    std::map<std::string, std::string> subjects;
    for (const auto& s : d_.directory.subjects(sql, ctx.school())) subjects[s.id] = s.name;
    std::vector<PathView> out;
    for (auto& p : repo::list_paths(sql, ctx.school(), sees_all ? std::nullopt : ctx.user_id)) {
      PathView view{.path = p, .subject_name = subjects[p.subject_id]};
      view.step_count = static_cast<std::int64_t>(repo::steps_of(sql, p.id).size());
      view.student_count = static_cast<std::int64_t>(access_.students_of(sql, p).size());
      view.shared = p.owner_id != *ctx.user_id;
      out.push_back(std::move(view));
    }
    return out;
  });
}

PathView PathService::get(const RequestContext& ctx, const std::string& id) {
  return d_.db.read([&](soci::session& sql) {
    const Path path = access_.readable(sql, ctx, id);
    PathView out{.path = path, .subject_name = subject_name(sql, d_.directory, path.school_id, path.subject_id)};
    auto& steps = out.steps.emplace();
    for (auto& s : repo::steps_of(sql, path.id)) {
      StepWithCounts counted{.step = s};
      for (const auto& i : repo::items_of(sql, s.id)) {
        ++counted.items;
        counted.validated += i.validation == "validated";
        counted.pending += i.validation == "pending";
      }
      steps.push_back(std::move(counted));
    }
    auto& classes = out.assigned_classes.emplace();
    auto& students = out.assigned_students.emplace();
    for (const auto& a : repo::assignments(sql, path.id)) {
      if (a.kind == "class") {
        if (auto c = d_.directory.school_class(sql, path.school_id, a.target_id)) classes.push_back(std::move(*c));
      } else if (auto p = d_.directory.person(sql, path.school_id, a.target_id)) {
        students.push_back(std::move(*p));
      }
    }
    out.assigned_student_count = static_cast<std::int64_t>(access_.students_of(sql, path).size());
    out.teachers = d_.directory.people(sql, path.school_id, repo::path_teachers(sql, path.id));
    if (auto owner = d_.directory.person(sql, path.school_id, path.owner_id)) out.owner_name = owner->display_name;
    out.can_edit = access_.can_edit(sql, ctx, path);
    return out;
  });
}

PathView PathService::update(const RequestContext& ctx, const std::string& id, const Parsed<PathInput>& input) {
  return write_content(d_, [&](soci::session& sql) {
    Path path = access_.editable(sql, ctx, id);
    const PathInput& in = input.get();
    Validation v;
    if (in.subject_id && !d_.directory.subject(sql, path.school_id, *in.subject_id)) {
      v.fail("subject_id", "No subject of this school has this id.");
    }
    if (in.status == "active" && path.status != "active" && !has_validated_item(sql, path.id)) {
      v.fail("status", kNothingToPublish);
    }
    v.throw_if_failed();
    const std::string before = path.status;
    apply(path, in);
    path.updated_at = ctx.now_ms();
    repo::update_path(sql, path);
    record_activity(sql, ctx, "learning_path.updated", "learning_path", path.id, labelled(path.title));
    if (before != path.status) {
      // Its channel's students come and go with the path's being active (the communication module).
      publish(sql, d_, "learning.path_people_changed", object{{"path_id", path.id}}, path.school_id);
    }
    if (before != "active" && path.status == "active") {
      array ids;
      for (const auto& s : access_.students_of(sql, path)) ids.emplace_back(s.id);
      publish(sql, d_, "learning.path_activated", object{{"path_id", path.id}, {"student_ids", ids}},
              path.school_id);
    }
    return PathView{.path = path, .subject_name = subject_name(sql, d_.directory, path.school_id, path.subject_id)};
  });
}

PathView PathService::copy(const RequestContext& ctx, const std::string& id,
                           const Parsed<std::optional<std::string>>& given_title) {
  return write_content(d_, [&](soci::session& sql) {
    const Path source = access_.editable(sql, ctx, id);
    const auto& title = given_title.get();
    const std::int64_t now = ctx.now_ms();
    Path path = source;
    path.id = new_id();
    path.owner_id = *ctx.user_id;
    path.title = title.value_or(source.title);
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
    authoring::lessons_changed(sql, d_, path.school_id, path.id);
    return PathView{.path = path, .subject_name = subject_name(sql, d_.directory, path.school_id, path.subject_id)};
  });
}

PathPeople PathService::set_assignments(const RequestContext& ctx, const std::string& id,
                                       const Parsed<AssignmentInput>& input) {
  return write_content(d_, [&](soci::session& sql) {
    const Path path = access_.editable(sql, ctx, id);
    const AssignmentInput& in = input.get();
    const auto before = access_.students_of(sql, path);
    Validation v;
    const auto assignments = checked_assignments(sql, d_.directory, ctx, in, v);
    v.throw_if_failed();
    repo::set_assignments(sql, path, assignments, ctx.now_ms());
    auto after = access_.students_of(sql, path);
    std::set<std::string> had;
    for (const auto& s : before) had.insert(s.id);
    array added;
    for (const auto& s : after) {
      if (!had.count(s.id)) added.emplace_back(s.id);
    }
    if (!added.empty() || after.size() != before.size()) {
      publish(sql, d_, "learning.path_people_changed", object{{"path_id", path.id}}, path.school_id);
    }
    record_activity(sql, ctx, "learning_path.assigned", "learning_path", path.id, labelled(path.title));
    if (!added.empty()) {
      publish(sql, d_, "learning.path_assigned", object{{"path_id", path.id}, {"student_ids", added}},
              path.school_id);
    }
    return PathPeople{path.id, std::move(after)};
  });
}

PathPeople PathService::set_teachers(const RequestContext& ctx, const std::string& id,
                                     const Parsed<std::vector<std::string>>& input) {
  return write_content(d_, [&](soci::session& sql) {
    const Path path = access_.editable(sql, ctx, id);
    if (path.owner_id != *ctx.user_id) throw Error::forbidden("Only the path's owner shares it.");
    const auto& teacher_ids = input.get();
    std::set<std::string> wanted(teacher_ids.begin(), teacher_ids.end());
    wanted.erase(path.owner_id);
    std::set<std::string> teachers;
    for (const auto& p : d_.directory.people(sql, path.school_id, {wanted.begin(), wanted.end()})) {
      if (p.teacher) teachers.insert(p.id);
    }
    Validation v;
    for (const auto& id_wanted : wanted) {
      if (!teachers.count(id_wanted)) {
        v.fail("teacher_ids", "No teacher of this school has the id " + id_wanted.substr(0, 40) + ".");
      }
    }
    v.throw_if_failed();
    repo::set_path_teachers(sql, path, {teachers.begin(), teachers.end()}, ctx.now_ms());
    publish(sql, d_, "learning.path_people_changed", object{{"path_id", path.id}}, path.school_id);
    record_activity(sql, ctx, "learning_path.shared", "learning_path", path.id, labelled(path.title));
    return PathPeople{path.id, d_.directory.people(sql, path.school_id, {teachers.begin(), teachers.end()})};
  });
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
