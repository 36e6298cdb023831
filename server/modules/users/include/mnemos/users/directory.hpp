#pragma once
// What other modules may ask the users module about a school's people, classes and subjects:
// read-only, tenant-scoped, and answered in the caller's transaction so that the answers and the
// caller's writes agree (a student removed from a class while a path is created is seen either
// before or after, never half-way).
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

class Directory {
 public:
  // The person if they belong to the school (never someone of another school).
  std::optional<PersonRef> person(soci::session& sql, const std::string& school_id,
                                  const std::string& user_id) const;
  // Those of `user_ids` that belong to the school, in no particular order.
  std::vector<PersonRef> people(soci::session& sql, const std::string& school_id,
                                const std::vector<std::string>& user_ids) const;
  std::optional<SubjectRef> subject(soci::session& sql, const std::string& school_id,
                                    const std::string& subject_id) const;
  std::vector<SubjectRef> subjects(soci::session& sql, const std::string& school_id) const;
  std::optional<ClassRef> school_class(soci::session& sql, const std::string& school_id,
                                       const std::string& class_id) const;
  // The classes `user_id` belongs to as `role` (teacher | student).
  std::vector<ClassRef> classes_of(soci::session& sql, const std::string& school_id,
                                   const std::string& user_id, const std::string& role) const;
  // Students of the given classes (each once).
  std::vector<PersonRef> students_of_classes(soci::session& sql, const std::string& school_id,
                                             const std::vector<std::string>& class_ids) const;
  // Students of any class `teacher_id` teaches.
  std::vector<PersonRef> students_taught_by(soci::session& sql, const std::string& school_id,
                                            const std::string& teacher_id) const;
  // The school's IANA time zone ("UTC" if the school is unknown).
  std::string school_timezone(soci::session& sql, const std::string& school_id) const;
};

}  // namespace mnemos::users
