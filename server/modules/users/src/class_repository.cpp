// SQL for subjects and classes.
#include "repository.hpp"

namespace mnemos::users::repo {

void insert_subject(soci::session& sql, const Subject& s) {
  sql << "INSERT INTO users_subjects (id, school_id, name, created_at, updated_at) VALUES (:id, "
         ":school, :name, :created, :updated)",
      soci::use(s.id), soci::use(s.school_id), soci::use(s.name), soci::use(s.created_at),
      soci::use(s.updated_at);
}

namespace {
std::optional<Subject> one_subject(soci::session& sql, const std::string& where,
                                   const std::string& school_id, const std::string& value) {
  Subject s;
  sql << "SELECT id, school_id, name, created_at, updated_at FROM users_subjects WHERE school_id = "
         ":school AND " + where,
      soci::use(school_id), soci::use(value), soci::into(s.id), soci::into(s.school_id),
      soci::into(s.name), soci::into(s.created_at), soci::into(s.updated_at);
  if (!sql.got_data()) return std::nullopt;
  return s;
}
}  // namespace

std::optional<Subject> find_subject(soci::session& sql, const std::string& school_id,
                                    const std::string& id) {
  return one_subject(sql, "id = :id", school_id, id);
}

std::optional<Subject> find_subject_by_name(soci::session& sql, const std::string& school_id,
                                            const std::string& name) {
  return one_subject(sql, "name = :name", school_id, name);
}

std::vector<Subject> list_subjects(soci::session& sql, const std::string& school_id) {
  std::vector<Subject> subjects;
  Subject s;
  soci::statement st =
      (sql.prepare << "SELECT id, school_id, name, created_at, updated_at FROM users_subjects "
                      "WHERE school_id = :school ORDER BY name",
       soci::use(school_id), soci::into(s.id), soci::into(s.school_id), soci::into(s.name),
       soci::into(s.created_at), soci::into(s.updated_at));
  st.execute();
  while (st.fetch()) subjects.push_back(s);
  return subjects;
}

void update_subject(soci::session& sql, const Subject& s) {
  sql << "UPDATE users_subjects SET name = :name, updated_at = :updated WHERE id = :id AND "
         "school_id = :school",
      soci::use(s.name), soci::use(s.updated_at), soci::use(s.id), soci::use(s.school_id);
}

void delete_subject(soci::session& sql, const std::string& school_id, const std::string& id) {
  sql << "DELETE FROM users_subjects WHERE id = :id AND school_id = :school", soci::use(id),
      soci::use(school_id);
}

void insert_class(soci::session& sql, const SchoolClass& c) {
  sql << "INSERT INTO users_classes (id, school_id, name, level, school_year, created_at, "
         "updated_at) VALUES (:id, :school, :name, :level, :year, :created, :updated)",
      soci::use(c.id), soci::use(c.school_id), soci::use(c.name), soci::use(c.level),
      soci::use(c.school_year), soci::use(c.created_at), soci::use(c.updated_at);
}

namespace {
constexpr const char* kClassSelect =
    "SELECT c.id, c.school_id, c.name, c.level, c.school_year, c.created_at, c.updated_at, "
    "(SELECT COUNT(*) FROM users_class_members m WHERE m.class_id = c.id AND m.role = 'teacher'), "
    "(SELECT COUNT(*) FROM users_class_members m WHERE m.class_id = c.id AND m.role = 'student') "
    "FROM users_classes c ";

template <typename... Uses>
std::vector<SchoolClass> fetch_classes(soci::session& sql, const std::string& query,
                                       Uses&&... uses) {
  return db::fetch_rows<SchoolClass>(
      sql, query,
      [](db::Prepared& prepared, SchoolClass& c) {
        prepared, soci::into(c.id), soci::into(c.school_id), soci::into(c.name), soci::into(c.level),
            soci::into(c.school_year), soci::into(c.created_at), soci::into(c.updated_at),
            soci::into(c.teacher_count), soci::into(c.student_count);
      },
      std::forward<Uses>(uses)...);
}
}  // namespace

std::optional<SchoolClass> find_class(soci::session& sql, const std::string& school_id,
                                      const std::string& id) {
  auto found = fetch_classes(sql, std::string(kClassSelect) + "WHERE c.school_id = :school AND c.id = :id",
                             soci::use(school_id), soci::use(id));
  if (found.empty()) return std::nullopt;
  found.front().members = class_members(sql, id);
  return found.front();
}

std::optional<SchoolClass> find_class_by_name(soci::session& sql, const std::string& school_id,
                                              const std::string& school_year,
                                              const std::string& name) {
  auto found = fetch_classes(
      sql, std::string(kClassSelect) + "WHERE c.school_id = :school AND c.school_year = :year AND c.name = :name",
      soci::use(school_id), soci::use(school_year), soci::use(name));
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::vector<SchoolClass> list_classes(soci::session& sql, const std::string& school_id,
                                      const std::optional<std::string>& member_id) {
  const std::string member = member_id.value_or("");
  return fetch_classes(sql,
                       std::string(kClassSelect) +
                           "WHERE c.school_id = :school AND (:member = '' OR EXISTS (SELECT 1 FROM "
                           "users_class_members x WHERE x.class_id = c.id AND x.user_id = :member2)) "
                           "ORDER BY c.school_year DESC, c.name",
                       soci::use(school_id), soci::use(member), soci::use(member));
}

void update_class(soci::session& sql, const SchoolClass& c) {
  sql << "UPDATE users_classes SET name = :name, level = :level, school_year = :year, updated_at "
         "= :updated WHERE id = :id AND school_id = :school",
      soci::use(c.name), soci::use(c.level), soci::use(c.school_year), soci::use(c.updated_at),
      soci::use(c.id), soci::use(c.school_id);
}

void delete_class(soci::session& sql, const std::string& school_id, const std::string& id) {
  sql << "DELETE FROM users_classes WHERE id = :id AND school_id = :school", soci::use(id),
      soci::use(school_id);
}

std::vector<ClassMember> class_members(soci::session& sql, const std::string& class_id) {
  std::vector<ClassMember> members;
  ClassMember m;
  soci::statement st =
      (sql.prepare << "SELECT m.user_id, u.display_name, u.email, m.role FROM users_class_members "
                      "m JOIN users_users u ON u.id = m.user_id WHERE m.class_id = :id ORDER BY "
                      "m.role DESC, u.display_name, u.email",
       soci::use(class_id), soci::into(m.user_id), soci::into(m.display_name), soci::into(m.email),
       soci::into(m.role));
  st.execute();
  while (st.fetch()) members.push_back(m);
  return members;
}

void add_class_member(soci::session& sql, const SchoolClass& c, const std::string& user_id,
                      const std::string& role, std::int64_t now) {
  sql << "INSERT INTO users_class_members (class_id, user_id, school_id, role, added_at) VALUES "
         "(:class, :user, :school, :role, :now)",
      soci::use(c.id), soci::use(user_id), soci::use(c.school_id), soci::use(role), soci::use(now);
}

void set_class_members(soci::session& sql, const SchoolClass& c,
                       const std::vector<ClassMember>& members, std::int64_t now) {
  sql << "DELETE FROM users_class_members WHERE class_id = :id", soci::use(c.id);
  for (const auto& m : members) add_class_member(sql, c, m.user_id, m.role, now);
}

bool is_class_member(soci::session& sql, const std::string& class_id, const std::string& user_id) {
  int count = 0;
  sql << "SELECT COUNT(*) FROM users_class_members WHERE class_id = :c AND user_id = :u",
      soci::use(class_id), soci::use(user_id), soci::into(count);
  return count > 0;
}

}  // namespace mnemos::users::repo
