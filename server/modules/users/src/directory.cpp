// The users module's answers to other modules (include/mnemos/users/directory.hpp).
#include <mnemos/core/db.hpp>
#include <mnemos/users/directory.hpp>

#include "directory.hpp"
#include "repository.hpp"

#include <set>

namespace mnemos::users {
namespace {

constexpr const char* kPersonColumns =
    "u.id, u.display_name, u.status, u.email, u.locale, "
    "(SELECT COUNT(*) FROM users_user_roles r WHERE r.user_id = u.id AND r.role = 'teacher'), "
    "(SELECT COUNT(*) FROM users_user_roles r WHERE r.user_id = u.id AND r.role = 'student'), "
    "(SELECT COUNT(*) FROM users_user_roles r WHERE r.user_id = u.id AND r.role IN ('school_admin', 'support')) ";

struct PersonRow {
  PersonRef person;
  int teacher = 0, student = 0, staff = 0;
  PersonRef value() const {
    PersonRef out = person;
    out.teacher = teacher > 0;
    out.student = student > 0;
    out.staff = staff > 0;
    return out;
  }
};

template <typename... Uses>
std::vector<PersonRef> fetch_people(soci::session& sql, const std::string& query, Uses&&... uses) {
  std::vector<PersonRef> out;
  db::for_each_row<PersonRow>(
      sql, query,
      [](db::Prepared& prepared, PersonRow& row) {
        prepared, soci::into(row.person.id), soci::into(row.person.display_name), soci::into(row.person.status),
            soci::into(row.person.email), soci::into(row.person.locale), soci::into(row.teacher), soci::into(row.student), soci::into(row.staff);
      },
      [&](const PersonRow& row) { out.push_back(row.value()); }, std::forward<Uses>(uses)...);
  return out;
}

}  // namespace

std::optional<PersonRef> SqlDirectory::person(soci::session& sql, const std::string& school_id,
                                           const std::string& user_id) const {
  auto found = people(sql, school_id, {user_id});
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::vector<PersonRef> SqlDirectory::people(soci::session& sql, const std::string& school_id,
                                         const std::vector<std::string>& user_ids) const {
  std::vector<PersonRef> out;
  std::string id;
  PersonRow row;
  soci::statement st =
      (sql.prepare << std::string("SELECT ") + kPersonColumns +
                          "FROM users_users u WHERE u.school_id = :school AND u.id = :id",
       soci::use(school_id), soci::use(id), soci::into(row.person.id),
       soci::into(row.person.display_name), soci::into(row.person.status), soci::into(row.person.email),
       soci::into(row.person.locale), soci::into(row.teacher),
       soci::into(row.student), soci::into(row.staff));
  for (const auto& wanted : std::set<std::string>(user_ids.begin(), user_ids.end())) {
    id = wanted;
    if (st.execute(true)) out.push_back(row.value());
  }
  return out;
}

std::optional<SubjectRef> SqlDirectory::subject(soci::session& sql, const std::string& school_id,
                                             const std::string& subject_id) const {
  SubjectRef s;
  sql << "SELECT id, name FROM users_subjects WHERE school_id = :school AND id = :id",
      soci::use(school_id), soci::use(subject_id), soci::into(s.id), soci::into(s.name);
  if (!sql.got_data()) return std::nullopt;
  return s;
}

std::vector<SubjectRef> SqlDirectory::subjects(soci::session& sql, const std::string& school_id) const {
  std::vector<SubjectRef> out;
  SubjectRef s;
  soci::statement st = (sql.prepare << "SELECT id, name FROM users_subjects WHERE school_id = "
                                       ":school ORDER BY name",
                        soci::use(school_id), soci::into(s.id), soci::into(s.name));
  st.execute();
  while (st.fetch()) out.push_back(s);
  return out;
}

std::optional<ClassRef> SqlDirectory::school_class(soci::session& sql, const std::string& school_id,
                                                const std::string& class_id) const {
  ClassRef c;
  sql << "SELECT id, name, school_year FROM users_classes WHERE school_id = :school AND id = :id",
      soci::use(school_id), soci::use(class_id), soci::into(c.id), soci::into(c.name),
      soci::into(c.school_year);
  if (!sql.got_data()) return std::nullopt;
  return c;
}

std::vector<ClassRef> SqlDirectory::classes_of(soci::session& sql, const std::string& school_id,
                                            const std::string& user_id,
                                            const std::string& role) const {
  return db::fetch_rows<ClassRef>(
      sql,
      "SELECT c.id, c.name, c.school_year FROM users_classes c JOIN users_class_members m ON m.class_id = c.id "
      "WHERE c.school_id = :school AND m.user_id = :user AND m.role = :role ORDER BY c.school_year DESC, c.name",
      [](db::Prepared& p, ClassRef& c) { p, soci::into(c.id), soci::into(c.name), soci::into(c.school_year); },
      soci::use(school_id), soci::use(user_id), soci::use(role));
}

std::vector<PersonRef> SqlDirectory::students_of_classes(soci::session& sql,
                                                      const std::string& school_id,
                                                      const std::vector<std::string>& class_ids) const {
  std::vector<PersonRef> out;
  std::set<std::string> seen;
  for (const auto& class_id : std::set<std::string>(class_ids.begin(), class_ids.end())) {
    auto members = fetch_people(
        sql,
        std::string("SELECT ") + kPersonColumns +
            "FROM users_users u JOIN users_class_members m ON m.user_id = u.id WHERE "
            "m.school_id = :school AND m.class_id = :class AND m.role = 'student' ORDER BY u.display_name",
        soci::use(school_id), soci::use(class_id));
    for (auto& p : members) {
      if (seen.insert(p.id).second) out.push_back(std::move(p));
    }
  }
  return out;
}

std::vector<ClassMemberRef> SqlDirectory::class_members(soci::session& sql, const std::string& school_id,
                                                        const std::string& class_id) const {
  std::vector<ClassMemberRef> out;
  ClassMemberRef m;
  soci::statement st = (sql.prepare << "SELECT user_id, role FROM users_class_members WHERE school_id = :school "
                                       "AND class_id = :class ORDER BY role, user_id",
                        soci::use(school_id), soci::use(class_id), soci::into(m.user_id), soci::into(m.role));
  st.execute();
  while (st.fetch()) out.push_back(m);
  return out;
}

std::vector<PersonRef> SqlDirectory::find_people(soci::session& sql, const std::string& school_id,
                                                 const std::string& text, int limit) const {
  // LIKE's own marks in the text are matched as themselves.
  std::string pattern = "%";
  for (const char c : text) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  pattern += '%';
  return fetch_people(sql,
                      std::string("SELECT ") + kPersonColumns +
                          "FROM users_users u WHERE u.school_id = :school AND u.status = 'active' AND "
                          "LOWER(u.display_name) LIKE :pattern ESCAPE '\\' ORDER BY u.display_name LIMIT :limit",
                      soci::use(school_id), soci::use(pattern), soci::use(limit));
}

std::vector<PersonRef> SqlDirectory::people_with_role(soci::session& sql, const std::string& school_id,
                                                      const std::string& role) const {
  return fetch_people(sql,
                      std::string("SELECT ") + kPersonColumns +
                          "FROM users_users u WHERE u.school_id = :school AND u.status = 'active' AND u.id IN "
                          "(SELECT r.user_id FROM users_user_roles r WHERE r.role = :role) ORDER BY u.display_name",
                      soci::use(school_id), soci::use(role));
}

std::vector<PersonRef> SqlDirectory::students_taught_by(soci::session& sql,
                                                     const std::string& school_id,
                                                     const std::string& teacher_id) const {
  return fetch_people(
      sql,
      std::string("SELECT ") + kPersonColumns +
          "FROM users_users u WHERE u.school_id = :school AND u.id IN (SELECT m.user_id FROM "
          "users_class_members m JOIN users_class_members t ON t.class_id = m.class_id WHERE "
          "t.user_id = :teacher AND t.role = 'teacher' AND m.role = 'student') ORDER BY u.display_name",
      soci::use(school_id), soci::use(teacher_id));
}

std::int64_t SqlDirectory::seats(soci::session& sql, const std::string& school_id, const std::string& role) const {
  return repo::count_seats(sql, school_id, role);
}

std::optional<std::string> SqlDirectory::school_name(soci::session& sql, const std::string& school_id) const {
  std::string name;
  sql << "SELECT name FROM users_schools WHERE id = :school", soci::use(school_id), soci::into(name);
  if (!sql.got_data()) return std::nullopt;
  return name;
}

bool SqlDirectory::school_exists(soci::session& sql, const std::string& school_id) const {
  int found = 0;
  sql << "SELECT COUNT(*) FROM users_schools WHERE id = :id", soci::use(school_id), soci::into(found);
  return found > 0;
}

std::string SqlDirectory::school_timezone(soci::session& sql, const std::string& school_id) const {
  std::string timezone;
  sql << "SELECT timezone FROM users_schools WHERE id = :id", soci::use(school_id),
      soci::into(timezone);
  return sql.got_data() ? timezone : "UTC";
}

}  // namespace mnemos::users
