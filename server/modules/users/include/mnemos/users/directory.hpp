#pragma once
// What other modules may ask the users module about a school's people, classes and subjects:
// read-only, tenant-scoped, and answered in the caller's transaction so that the answers and the
// caller's writes agree (a student removed from a class while a path is created is seen either
// before or after, never half-way).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace soci {
class session;
}

namespace mnemos::users {

struct PersonRef {
  std::string id;
  std::string display_name;
  std::string status;  // active | invited | disabled
  bool teacher = false;
  bool student = false;
  bool staff = false;  // a school admin or support: may write to anyone of the school
  std::string email;   // where notifications are mailed
  std::string locale;  // fr | en: the language of what is written to them
};

struct ClassMemberRef {
  std::string user_id;
  std::string role;  // teacher | student
};

struct ClassRef {
  std::string id;
  std::string name;
  std::string school_year;
};

struct SubjectRef {
  std::string id;
  std::string name;
};

// An interface, so that a module that asks it can be tested with a fake (no users tables); the
// users module answers it from its tables (users::Module::directory()).
class Directory {
 public:
  virtual ~Directory() = default;
  // The person if they belong to the school (never someone of another school).
  virtual std::optional<PersonRef> person(soci::session& sql, const std::string& school_id,
                                  const std::string& user_id) const = 0;
  // Those of `user_ids` that belong to the school, in no particular order.
  virtual std::vector<PersonRef> people(soci::session& sql, const std::string& school_id,
                                const std::vector<std::string>& user_ids) const = 0;
  virtual std::optional<SubjectRef> subject(soci::session& sql, const std::string& school_id,
                                    const std::string& subject_id) const = 0;
  virtual std::vector<SubjectRef> subjects(soci::session& sql, const std::string& school_id) const = 0;
  virtual std::optional<ClassRef> school_class(soci::session& sql, const std::string& school_id,
                                       const std::string& class_id) const = 0;
  // The classes `user_id` belongs to as `role` (teacher | student).
  virtual std::vector<ClassRef> classes_of(soci::session& sql, const std::string& school_id,
                                   const std::string& user_id, const std::string& role) const = 0;
  // Students of the given classes (each once).
  virtual std::vector<PersonRef> students_of_classes(soci::session& sql, const std::string& school_id,
                                             const std::vector<std::string>& class_ids) const = 0;
  // The class's teachers and students (empty for a class of another school or none).
  virtual std::vector<ClassMemberRef> class_members(soci::session& sql, const std::string& school_id,
                                                    const std::string& class_id) const = 0;
  // Active people of the school whose name holds `text` (case-insensitive), by name, at most `limit`.
  virtual std::vector<PersonRef> find_people(soci::session& sql, const std::string& school_id,
                                             const std::string& text, int limit) const = 0;
  // The active people of the school holding `role` (school_admin, teacher, ...), by name.
  virtual std::vector<PersonRef> people_with_role(soci::session& sql, const std::string& school_id,
                                                  const std::string& role) const = 0;
  // Students of any class `teacher_id` teaches.
  virtual std::vector<PersonRef> students_taught_by(soci::session& sql, const std::string& school_id,
                                            const std::string& teacher_id) const = 0;
  // The seats a role takes in the school: its people holding `role` who are not disabled (an
  // invited person holds a seat; billing counts them against the plan).
  virtual std::int64_t seats(soci::session& sql, const std::string& school_id, const std::string& role) const = 0;
  // The school's name (nothing for an unknown school).
  virtual std::optional<std::string> school_name(soci::session& sql, const std::string& school_id) const = 0;
  // The school's IANA time zone ("UTC" if the school is unknown).
  virtual bool school_exists(soci::session& sql, const std::string& school_id) const = 0;
  virtual std::string school_timezone(soci::session& sql, const std::string& school_id) const = 0;
};

}  // namespace mnemos::users
