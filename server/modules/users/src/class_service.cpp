#include <mnemos/core/activity.hpp>
#include <mnemos/core/db.hpp>
#include <mnemos/core/ids.hpp>
#include <mnemos/core/json.hpp>

#include "repository.hpp"
#include "services.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <algorithm>
#include <chrono>
#include <set>

namespace mnemos::users {
namespace {

constexpr std::size_t kMaxStudentsPerClass = 200;
constexpr std::size_t kMaxTeachersPerClass = 20;

std::string checked_name(const std::optional<std::string>& name, std::string_view field) {
  const std::string trimmed = json::trim(name.value_or(""));
  if (trimmed.empty()) throw Error::invalid(std::string(field), "Give a name.");
  return trimmed;
}

boost::json::array to_array(const std::set<std::string>& ids) {
  boost::json::array out;
  for (const auto& id : ids) out.emplace_back(id);
  return out;
}

}  // namespace

std::string school_year_of(std::int64_t epoch_ms) {
  using namespace std::chrono;
  const auto day = floor<days>(sys_time<milliseconds>(milliseconds(epoch_ms)));
  const year_month_day date(day);
  const int year = static_cast<int>(date.year());
  const int start = static_cast<unsigned>(date.month()) >= 8 ? year : year - 1;
  return std::to_string(start) + "-" + std::to_string(start + 1);
}

bool is_valid_school_year(const std::string& text) {
  if (text.size() != 9 || text[4] != '-') return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i != 4 && (text[i] < '0' || text[i] > '9')) return false;
  }
  const int first = std::stoi(text.substr(0, 4));
  const int second = std::stoi(text.substr(5, 4));
  return second == first + 1 && first >= 2000 && first <= 2100;
}

std::vector<Subject> SubjectService::list(const RequestContext& ctx) {
  ctx.require(Permission::school_read);
  return db_.read([&](soci::session& sql) { return repo::list_subjects(sql, ctx.school()); });
}

Subject SubjectService::create(const RequestContext& ctx, const std::string& name) {
  ctx.require(Permission::subjects_manage);
  Subject subject;
  subject.id = new_id();
  subject.school_id = ctx.school();
  subject.name = checked_name(name, "name");
  subject.created_at = subject.updated_at = ctx.now_ms();
  db_.write([&](soci::session& sql) {
    if (repo::find_subject_by_name(sql, subject.school_id, subject.name)) {
      throw Error(ErrorCode::conflict, "The school already has a subject with this name.",
                  {{"name", "Already used by another subject."}});
    }
    repo::insert_subject(sql, subject);
    record_activity(sql, ctx, "subject.created", "subject", subject.id);
  });
  return subject;
}

Subject SubjectService::rename(const RequestContext& ctx, const std::string& id,
                               const std::string& name) {
  ctx.require(Permission::subjects_manage);
  const std::string new_name = checked_name(name, "name");
  return db_.write([&](soci::session& sql) {
    auto subject = repo::find_subject(sql, ctx.school(), id);
    if (!subject) throw Error::not_found("No such subject in this school.");
    if (auto same = repo::find_subject_by_name(sql, ctx.school(), new_name); same && same->id != id) {
      throw Error(ErrorCode::conflict, "The school already has a subject with this name.",
                  {{"name", "Already used by another subject."}});
    }
    subject->name = new_name;
    subject->updated_at = ctx.now_ms();
    repo::update_subject(sql, *subject);
    record_activity(sql, ctx, "subject.renamed", "subject", id);
    return *subject;
  });
}

void SubjectService::remove(const RequestContext& ctx, const std::string& id) {
  ctx.require(Permission::subjects_manage);
  db_.write([&](soci::session& sql) {
    if (!repo::find_subject(sql, ctx.school(), id)) throw Error::not_found("No such subject in this school.");
    repo::delete_subject(sql, ctx.school(), id);
    record_activity(sql, ctx, "subject.deleted", "subject", id);
  });
}

bool ClassService::sees_every_class(const RequestContext& ctx) const {
  return ctx.can(Permission::classes_manage) || ctx.roles.has(Role::support);
}

std::vector<SchoolClass> ClassService::list(const RequestContext& ctx) {
  ctx.require(Permission::school_read);
  const std::optional<std::string> member =
      sees_every_class(ctx) ? std::nullopt : ctx.user_id;
  return db_.read([&](soci::session& sql) { return repo::list_classes(sql, ctx.school(), member); });
}

SchoolClass ClassService::get(const RequestContext& ctx, const std::string& id) {
  ctx.require(Permission::school_read);
  return db_.read([&](soci::session& sql) {
    auto found = repo::find_class(sql, ctx.school(), id);
    // A class one does not belong to is as good as absent.
    if (!found || (!sees_every_class(ctx) && !repo::is_class_member(sql, id, *ctx.user_id))) {
      throw Error::not_found("No such class.");
    }
    if (!ctx.can(Permission::classes_read)) {
      // Students see who teaches them, not the list of their classmates' emails.
      std::erase_if(found->members, [](const ClassMember& m) { return m.role != "teacher"; });
    }
    return *found;
  });
}

SchoolClass ClassService::create(const RequestContext& ctx, const ClassInput& input) {
  ctx.require(Permission::classes_manage);
  Validation v;
  SchoolClass c;
  c.id = new_id();
  c.school_id = ctx.school();
  c.name = json::trim(input.name.value_or(""));
  if (c.name.empty()) v.fail("name", "Give the class a name.");
  c.level = json::trim(input.level.value_or(""));
  c.school_year = input.school_year.value_or(school_year_of(ctx.now_ms()));
  if (!is_valid_school_year(c.school_year)) v.fail("school_year", "Use the form 2026-2027.");
  v.throw_if_failed();
  c.created_at = c.updated_at = ctx.now_ms();
  db_.write([&](soci::session& sql) {
    if (repo::find_class_by_name(sql, c.school_id, c.school_year, c.name)) {
      throw Error(ErrorCode::conflict, "A class with this name already exists for this school year.",
                  {{"name", "Already used this school year."}});
    }
    repo::insert_class(sql, c);
    record_activity(sql, ctx, "class.created", "class", c.id);
  });
  return c;
}

SchoolClass ClassService::update(const RequestContext& ctx, const std::string& id,
                                 const ClassInput& input) {
  ctx.require(Permission::classes_manage);
  Validation v;
  if (input.name && json::trim(*input.name).empty()) v.fail("name", "Give the class a name.");
  if (input.school_year && !is_valid_school_year(*input.school_year)) {
    v.fail("school_year", "Use the form 2026-2027.");
  }
  v.throw_if_failed();
  return db_.write([&](soci::session& sql) {
    auto c = repo::find_class(sql, ctx.school(), id);
    if (!c) throw Error::not_found("No such class.");
    if (input.name) c->name = json::trim(*input.name);
    if (input.level) c->level = json::trim(*input.level);
    if (input.school_year) c->school_year = *input.school_year;
    if (auto same = repo::find_class_by_name(sql, c->school_id, c->school_year, c->name);
        same && same->id != id) {
      throw Error(ErrorCode::conflict, "A class with this name already exists for this school year.",
                  {{"name", "Already used this school year."}});
    }
    c->updated_at = ctx.now_ms();
    repo::update_class(sql, *c);
    record_activity(sql, ctx, "class.updated", "class", id);
    return *c;
  });
}

void ClassService::remove(const RequestContext& ctx, const std::string& id) {
  ctx.require(Permission::classes_manage);
  db_.write([&](soci::session& sql) {
    auto c = repo::find_class(sql, ctx.school(), id);
    if (!c) throw Error::not_found("No such class.");
    std::set<std::string> removed;
    for (const auto& m : c->members) removed.insert(m.user_id);
    repo::delete_class(sql, ctx.school(), id);
    record_activity(sql, ctx, "class.deleted", "class", id);
    const boost::json::object event{{"class_id", id}, {"added", boost::json::array()},
                                    {"removed", to_array(removed)}};
    jobs::publish(sql, clock_, jobs_, "users.class_members_changed", json::serialize(event),
                  ctx.school_id);
  });
}

SchoolClass ClassService::set_members(const RequestContext& ctx, const std::string& id,
                                       const std::vector<std::string>& teacher_ids,
                                       const std::vector<std::string>& student_ids) {
  ctx.require(Permission::classes_manage);
  const std::set<std::string> teachers(teacher_ids.begin(), teacher_ids.end());
  const std::set<std::string> students(student_ids.begin(), student_ids.end());
  Validation v;
  if (teachers.size() > kMaxTeachersPerClass) {
    v.fail("teacher_ids", "A class has at most " + std::to_string(kMaxTeachersPerClass) + " teachers.");
  }
  if (students.size() > kMaxStudentsPerClass) {
    v.fail("student_ids", "A class has at most " + std::to_string(kMaxStudentsPerClass) + " students.");
  }
  v.throw_if_failed();
  return db_.write([&](soci::session& sql) {
    auto c = repo::find_class(sql, ctx.school(), id);
    if (!c) throw Error::not_found("No such class.");
    std::vector<ClassMember> members;
    auto check = [&](const std::set<std::string>& ids, Role role, const char* field) {
      for (const auto& user_id : ids) {
        const auto user = is_uuid(user_id) ? repo::find_user(sql, ctx.school_id, user_id) : std::nullopt;
        if (!user || !user->roles.has(role) || user->status == "disabled") {
          throw Error::invalid(field, "No active " + std::string(to_string(role)) +
                                          " of this school has the id " + user_id.substr(0, 40) + ".");
        }
        members.push_back({user_id, user->display_name, user->email, std::string(to_string(role))});
      }
    };
    check(teachers, Role::teacher, "teacher_ids");
    check(students, Role::student, "student_ids");
    std::set<std::string> before, after;
    for (const auto& m : c->members) before.insert(m.user_id);
    for (const auto& m : members) after.insert(m.user_id);
    std::set<std::string> added, removed;
    std::set_difference(after.begin(), after.end(), before.begin(), before.end(),
                        std::inserter(added, added.end()));
    std::set_difference(before.begin(), before.end(), after.begin(), after.end(),
                        std::inserter(removed, removed.end()));
    repo::set_class_members(sql, *c, members, ctx.now_ms());
    record_activity(sql, ctx, "class.members_changed", "class", id,
                    "{\"added\":" + std::to_string(added.size()) +
                        ",\"removed\":" + std::to_string(removed.size()) + "}");
    if (!added.empty() || !removed.empty()) {
      const boost::json::object event{{"class_id", id}, {"added", to_array(added)},
                                      {"removed", to_array(removed)}};
      jobs::publish(sql, clock_, jobs_, "users.class_members_changed", json::serialize(event),
                    ctx.school_id);
    }
    return *repo::find_class(sql, ctx.school(), id);
  });
}

}  // namespace mnemos::users
