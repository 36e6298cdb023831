// Who may see or change a path (services.hpp, docs/learning.md "Who sees what").
#include <mnemos/core/activity.hpp>
#include <mnemos/core/db.hpp>
#include <mnemos/core/ids.hpp>
#include <mnemos/core/jobs.hpp>

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

std::vector<std::string> Access::class_ids_of(soci::session& sql, const std::string& school_id,
                                              const std::string& student_id) const {
  std::vector<std::string> out;
  for (const auto& c : d_.directory.classes_of(sql, school_id, student_id, "student")) out.push_back(c.id);
  return out;
}

bool Access::is_assigned(soci::session& sql, const std::string& school, const Path& path,
                         const std::string& student_id) const {
  const auto paths = repo::paths_assigned_to(sql, school, student_id, class_ids_of(sql, school, student_id));
  return std::any_of(paths.begin(), paths.end(), [&](const Path& p) { return p.id == path.id; });
}

Path Access::assigned(soci::session& sql, const RequestContext& ctx, const std::string& id) const {
  return assigned_where(sql, ctx, id,
                        [&](const Path& path) { return is_assigned(sql, ctx.school(), path, *ctx.user_id); });
}

Path Access::assigned_where(soci::session& sql, const RequestContext& ctx, const std::string& id,
                            const std::function<bool(const Path&)>& reaches_student) const {
  if (!ctx.roles.has(Role::student)) throw Error::not_found("No such learning path.");
  // From the cache, as answers read it: every change of a path's content or status drops it
  // (authoring::write_content), and a school revising at 8:00 starts ~170 sessions a second.
  auto path = d_.cache.path(sql, ctx.school(), id);
  if (!path || path->status != "active" || !reaches_student(*path)) throw Error::not_found("No such learning path.");
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
std::pair<Step, Path> step_with_path(std::optional<Step> step, Check check) {
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
  return step_with_path(repo::find_step(sql, ctx.school(), step_id),
                        [&](const std::string& path) { return editable(sql, ctx, path); });
}

std::pair<Step, Path> Access::readable_step(soci::session& sql, const RequestContext& ctx,
                                            const std::string& step_id) const {
  ctx.require(Permission::paths_read);
  return step_with_path(repo::find_step(sql, ctx.school(), step_id),
                        [&](const std::string& path) { return readable(sql, ctx, path); });
}

std::pair<Step, Path> Access::assigned_step(soci::session& sql, const RequestContext& ctx,
                                            const std::string& step_id) const {
  return assigned_step_where(sql, ctx, step_id, [&](const Path& path) {
    return is_assigned(sql, ctx.school(), path, *ctx.user_id);
  });
}

std::pair<Step, Path> Access::assigned_step_where(soci::session& sql, const RequestContext& ctx,
                                                  const std::string& step_id,
                                                  const std::function<bool(const Path&)>& reaches_student) const {
  return step_with_path(d_.cache.step(sql, ctx.school(), step_id),  // as assigned() reads its path
                        [&](const std::string& path) { return assigned_where(sql, ctx, path, reaches_student); });
}

namespace {
// The item and what `check` says of its step; any "not found" about the step is about the item.
template <typename Check>
Item item_with_step(soci::session& sql, const RequestContext& ctx, const std::string& item_id, Check check) {
  auto item = repo::find_item(sql, ctx.school(), item_id);
  if (!item) throw Error::not_found("No such item.");
  try {
    check(item->step_id);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::not_found) throw Error::not_found("No such item.");
    throw;
  }
  return *item;
}
}  // namespace

Item Access::readable_item(soci::session& sql, const RequestContext& ctx, const std::string& item_id) const {
  return item_with_step(sql, ctx, item_id, [&](const std::string& step) { readable_step(sql, ctx, step); });
}

Item Access::editable_item(soci::session& sql, const RequestContext& ctx, const std::string& item_id) const {
  return item_with_step(sql, ctx, item_id, [&](const std::string& step) { editable_step(sql, ctx, step); });
}

}  // namespace mnemos::learning
