#pragma once
// users::Directory answered from the users module's tables.
#include <mnemos/users/directory.hpp>

namespace mnemos::users {

class SqlDirectory final : public Directory {
 public:
  std::optional<PersonRef> person(soci::session& sql, const std::string& school_id,
                                  const std::string& user_id) const override;
  std::vector<PersonRef> people(soci::session& sql, const std::string& school_id,
                                const std::vector<std::string>& user_ids) const override;
  std::optional<SubjectRef> subject(soci::session& sql, const std::string& school_id,
                                    const std::string& subject_id) const override;
  std::vector<SubjectRef> subjects(soci::session& sql, const std::string& school_id) const override;
  std::optional<ClassRef> school_class(soci::session& sql, const std::string& school_id,
                                       const std::string& class_id) const override;
  std::vector<ClassRef> classes_of(soci::session& sql, const std::string& school_id,
                                   const std::string& user_id, const std::string& role) const override;
  std::vector<PersonRef> students_of_classes(soci::session& sql, const std::string& school_id,
                                             const std::vector<std::string>& class_ids) const override;
  std::vector<ClassMemberRef> class_members(soci::session& sql, const std::string& school_id,
                                            const std::string& class_id) const override;
  std::vector<PersonRef> find_people(soci::session& sql, const std::string& school_id,
                                     const std::string& text, int limit) const override;
  std::vector<PersonRef> people_with_role(soci::session& sql, const std::string& school_id,
                                          const std::string& role) const override;
  std::vector<PersonRef> students_taught_by(soci::session& sql, const std::string& school_id,
                                            const std::string& teacher_id) const override;
  std::int64_t seats(soci::session& sql, const std::string& school_id, const std::string& role) const override;
  std::optional<std::string> school_name(soci::session& sql, const std::string& school_id) const override;
  bool school_exists(soci::session& sql, const std::string& school_id) const override;
  std::string school_timezone(soci::session& sql, const std::string& school_id) const override;
};

}  // namespace mnemos::users
