#pragma once
#include <mnemos/core/permissions.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mnemos::users {

struct School {
  std::string id;
  std::string name;
  std::string slug;
  std::string timezone;
  std::string default_locale;
  std::string status;  // active | suspended
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

struct User {
  std::string id;
  std::optional<std::string> school_id;
  std::string email;
  std::string display_name;
  std::optional<std::string> password_hash;
  std::string locale;
  std::string status;  // active | invited | disabled
  std::optional<std::string> avatar_path;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  RoleSet roles;
};

struct StudentProfile {
  int preferred_session_minutes = 15;
  std::string learning_preferences;  // free text from the student
  std::vector<std::string> accessibility_needs;  // from a fixed list (see kAccessibilityNeeds)
  std::int64_t updated_at = 0;
};

struct ApiToken {
  std::string id;
  std::optional<std::string> school_id;
  std::string user_id;
  std::string name;
  std::string prefix;  // the first characters, to recognise a token in a list
  std::int64_t created_at = 0;
  std::optional<std::int64_t> expires_at;
  std::optional<std::int64_t> last_used_at;
  std::optional<std::int64_t> revoked_at;
};

struct StoredSession {
  std::string id;
  std::string user_id;
  std::optional<std::string> school_id;
  std::string csrf_token;
  std::int64_t expires_at = 0;
  std::int64_t last_seen_at = 0;
  std::string user_status;
  std::string locale;
  std::optional<std::string> school_status;
  std::string roles;  // the user's roles, comma-separated (read with the session: one query)
};

struct Subject {
  std::string id;
  std::string school_id;
  std::string name;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

struct ClassMember {
  std::string user_id;
  std::string display_name;
  std::string email;
  std::string role;  // teacher | student
};

struct SchoolClass {
  std::string id;
  std::string school_id;
  std::string name;
  std::string level;
  std::string school_year;  // "2026-2027"
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  int teacher_count = 0;
  int student_count = 0;
  std::vector<ClassMember> members;  // filled when one class is read
};

struct Page {
  std::optional<std::string> cursor;
  int limit = 50;
};

template <typename T>
struct PageOf {
  std::vector<T> items;
  std::optional<std::string> next_cursor;
};

struct UserFilter {
  std::optional<std::string> query;  // part of a name or email
  std::optional<Role> role;
};

}  // namespace mnemos::users
