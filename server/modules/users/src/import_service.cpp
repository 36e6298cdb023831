#include <mnemos/core/activity.hpp>
#include <mnemos/core/db.hpp>
#include <mnemos/core/ids.hpp>
#include <mnemos/core/json.hpp>

#include <mnemos/core/csv.hpp>
#include "repository.hpp"
#include "services.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <map>
#include <set>

namespace mnemos::users {
namespace {

// Column names accepted in the header, in English and French.
int column(const std::vector<std::string>& header, std::initializer_list<std::string_view> names) {
  for (std::size_t i = 0; i < header.size(); ++i) {
    for (auto name : names) {
      if (header[i] == name) return static_cast<int>(i);
    }
  }
  return -1;
}

std::string cell(const csv::Row& row, int index) {
  return index >= 0 && static_cast<std::size_t>(index) < row.fields.size() ? row.fields[index] : "";
}

// "student", "élève", "eleve" -> student; "teacher", "enseignant", "professeur" -> teacher.
std::optional<Role> role_of(const std::string& text) {
  const std::string value = json::lowercase_ascii(text);
  if (value.empty() || value == "student" || value == "eleve" || value == "\xC3\xA9l\xC3\xA8ve" ||
      value == "\xC3\x89l\xC3\xA8ve") {
    return Role::student;
  }
  if (value == "teacher" || value == "enseignant" || value == "enseignante" || value == "professeur") {
    return Role::teacher;
  }
  return std::nullopt;
}

}  // namespace

ImportReport ImportService::import_users(const RequestContext& ctx, std::string_view csv_text,
                                         bool dry_run) {
  ctx.require(Permission::users_manage);
  if (!json::is_valid_utf8(csv_text)) {
    throw Error::invalid("file", "The file is not UTF-8 text. Export it as \"CSV UTF-8\".");
  }
  const auto table = csv::parse(csv_text);
  const int email_col = column(table.header, {"email", "e-mail", "courriel", "mail"});
  const int name_col = column(table.header, {"display_name", "name", "nom", "full_name"});
  const int role_col = column(table.header, {"role", "r\xC3\xB4le"});
  const int class_col = column(table.header, {"class", "classe"});
  if (email_col < 0 || name_col < 0) {
    throw Error::invalid("file", "The first line must name the columns: email and name (optional: "
                                 "role, class).");
  }
  if (table.rows.size() > kMaxRows) {
    throw Error::invalid("file", "A file holds at most " + std::to_string(kMaxRows) +
                                     " rows; split it in several imports.");
  }

  ImportReport report;
  report.dry_run = dry_run;
  db_.write([&](soci::session& sql) {
    const auto school = repo::find_school(sql, ctx.school());
    if (!school) throw Error::not_found("No such school.");
    const std::string year = school_year_of(ctx.now_ms());
    std::set<std::string> seen;
    std::map<std::string, std::optional<SchoolClass>> classes;
    std::map<std::string, std::vector<std::string>> added_to_class;
    std::map<Role, std::int64_t> would_add;  // a dry run's seats, not inserted
    for (const auto& row : table.rows) {
      ImportRow out;
      out.line = row.line;
      out.email = json::lowercase_ascii(cell(row, email_col));
      out.display_name = cell(row, name_col);
      const auto role = role_of(cell(row, role_col));
      out.role = role ? std::string(to_string(*role)) : cell(row, role_col);
      out.class_name = cell(row, class_col);
      auto reject = [&](std::string reason) {
        out.status = "rejected";
        out.reason = std::move(reason);
      };
      std::optional<SchoolClass>* school_class = nullptr;
      if (!json::looks_like_email(out.email)) {
        reject("The email address is not valid.");
      } else if (out.display_name.empty() || out.display_name.size() > 120) {
        reject("The name is missing or longer than 120 characters.");
      } else if (!role) {
        reject("Unknown role '" + out.role.substr(0, 30) + "': use student or teacher.");
      } else if (!seen.insert(out.email).second) {
        reject("This email appears earlier in the file.");
      } else if (repo::find_user_by_email(sql, ctx.school_id, out.email)) {
        reject("A user with this email already exists in the school.");
      } else if (!out.class_name.empty()) {
        auto [it, inserted] = classes.try_emplace(out.class_name);
        if (inserted) it->second = repo::find_class_by_name(sql, ctx.school(), year, out.class_name);
        school_class = &it->second;
        if (!*school_class) reject("No class named '" + out.class_name.substr(0, 80) + "' this school year.");
      }
      if (out.status.empty()) {
        if (auto refusal = seat_refusal(sql, plan_, ctx.school(), *role, dry_run ? would_add[*role] + 1 : 1)) {
          reject(*refusal);
        } else if (dry_run) {
          ++would_add[*role];
        }
      }
      if (out.status.empty()) {
        out.status = dry_run ? "would_create" : "created";
        if (!dry_run) {
          User user;
          user.id = new_id();
          user.school_id = ctx.school_id;
          user.email = out.email;
          user.display_name = out.display_name;
          user.locale = school->default_locale;
          user.status = "invited";
          user.created_at = user.updated_at = ctx.now_ms();
          user.roles = RoleSet({*role});
          repo::insert_user(sql, user);
          accounts_.invite_in(sql, ctx, user);
          out.user_id = user.id;
          if (school_class != nullptr) {
            repo::add_class_member(sql, **school_class, user.id, out.role, ctx.now_ms());
            added_to_class[(*school_class)->id].push_back(user.id);
          }
        }
        ++report.created;
      } else {
        ++report.rejected;
      }
      report.rows.push_back(std::move(out));
    }
    if (dry_run) return;
    record_activity(sql, ctx, "users.imported", "school", ctx.school(),
                    "{\"created\":" + std::to_string(report.created) +
                        ",\"rejected\":" + std::to_string(report.rejected) + "}");
    for (const auto& [class_id, ids] : added_to_class) {
      boost::json::array added;
      for (const auto& id : ids) added.emplace_back(id);
      const boost::json::object event{{"class_id", class_id}, {"added", std::move(added)},
                                      {"removed", boost::json::array()}};
      jobs::publish(sql, clock_, jobs_, "users.class_members_changed", json::serialize(event),
                    ctx.school_id);
    }
  });
  return report;
}

}  // namespace mnemos::users
