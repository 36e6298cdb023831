#pragma once
// SQL for the users module, and nothing else: no rules, no permissions.
#include "domain.hpp"

#include <mnemos/core/db.hpp>

namespace mnemos::users::repo {

void insert_school(soci::session& sql, const School& school);
std::optional<School> find_school(soci::session& sql, const std::string& id);
std::optional<School> find_school_by_slug(soci::session& sql, const std::string& slug);
PageOf<School> list_schools(soci::session& sql, const Page& page);
void update_school(soci::session& sql, const School& school);

void insert_user(soci::session& sql, const User& user);
// The user and their school in one query: the hot path of GET /api/v1/me.
std::optional<std::pair<User, std::optional<School>>> find_user_with_school(
    soci::session& sql, const std::optional<std::string>& school_id, const std::string& id);
std::optional<User> find_user(soci::session& sql, const std::optional<std::string>& school_id,
                              const std::string& id);
std::optional<User> find_user_by_email(soci::session& sql,
                                       const std::optional<std::string>& school_id,
                                       const std::string& email);
PageOf<User> list_users(soci::session& sql, const std::string& school_id, const UserFilter& filter,
                        const Page& page);
void update_user(soci::session& sql, const User& user);
void set_roles(soci::session& sql, const User& user);
RoleSet roles_of(soci::session& sql, const std::string& user_id);
void set_password_hash(soci::session& sql, const std::string& user_id, const std::string& hash,
                       std::int64_t now);
// People holding `role` who are active or invited: the seats billing counts.
std::int64_t count_seats(soci::session& sql, const std::string& school_id, const std::string& role);
int count_users(soci::session& sql, const std::string& school_id);

void insert_subject(soci::session& sql, const Subject& subject);
std::optional<Subject> find_subject(soci::session& sql, const std::string& school_id,
                                    const std::string& id);
std::optional<Subject> find_subject_by_name(soci::session& sql, const std::string& school_id,
                                            const std::string& name);
std::vector<Subject> list_subjects(soci::session& sql, const std::string& school_id);
void update_subject(soci::session& sql, const Subject& subject);
void delete_subject(soci::session& sql, const std::string& school_id, const std::string& id);

void insert_class(soci::session& sql, const SchoolClass& school_class);
std::optional<SchoolClass> find_class(soci::session& sql, const std::string& school_id,
                                      const std::string& id);
std::optional<SchoolClass> find_class_by_name(soci::session& sql, const std::string& school_id,
                                              const std::string& school_year,
                                              const std::string& name);
// Classes of the school; only those `member_id` belongs to when given.
std::vector<SchoolClass> list_classes(soci::session& sql, const std::string& school_id,
                                      const std::optional<std::string>& member_id);
void update_class(soci::session& sql, const SchoolClass& school_class);
void delete_class(soci::session& sql, const std::string& school_id, const std::string& id);
std::vector<ClassMember> class_members(soci::session& sql, const std::string& class_id);
void set_class_members(soci::session& sql, const SchoolClass& school_class,
                       const std::vector<ClassMember>& members, std::int64_t now);
void add_class_member(soci::session& sql, const SchoolClass& school_class,
                      const std::string& user_id, const std::string& role, std::int64_t now);
bool is_class_member(soci::session& sql, const std::string& class_id, const std::string& user_id);

std::optional<StudentProfile> find_student_profile(soci::session& sql, const std::string& user_id);
void save_student_profile(soci::session& sql, const std::string& user_id, const std::string& school_id,
                          const StudentProfile& profile);

struct AccountToken {
  std::string id;
  std::optional<std::string> school_id;
  std::string user_id;
  std::string kind;  // invitation | password_reset
  std::string token_hash;
  std::optional<std::string> created_by;
  std::int64_t created_at = 0;
  std::int64_t expires_at = 0;
  std::optional<std::int64_t> used_at;
};
void insert_account_token(soci::session& sql, const AccountToken& token);
std::optional<AccountToken> find_account_token(soci::session& sql, const std::string& token_hash);
// Marks the token used; false when it already was (another request won the race).
bool use_account_token(soci::session& sql, const std::string& id, std::int64_t now);
// Ends every unused token of this kind for the user (a newer link replaces older ones).
void revoke_account_tokens(soci::session& sql, const std::string& user_id, const std::string& kind,
                           std::int64_t now);

void insert_api_token(soci::session& sql, const ApiToken& token, const std::string& token_hash);
std::vector<ApiToken> api_tokens_of(soci::session& sql, const std::string& user_id);
std::optional<ApiToken> find_api_token(soci::session& sql, const std::string& user_id,
                                       const std::string& id);
// The live token behind a hash, with its owner's status and school status.
struct TokenOwner {
  ApiToken token;
  std::string user_status;
  std::string locale;
  std::optional<std::string> school_status;
};
std::optional<TokenOwner> find_api_token_by_hash(soci::session& sql, const std::string& token_hash);
void revoke_api_token(soci::session& sql, const std::string& id, std::int64_t now);
void touch_api_token(soci::session& sql, const std::string& id, std::int64_t now);
std::string api_token_hash(soci::session& sql, const std::string& id);

struct ActivityRow {
  std::string id, action, target_type, target_id, target_name, request_id;
  std::optional<std::string> actor_id;
  std::string actor_name;
  std::int64_t at = 0;
};
// The school's activity log (core_activity, the shared kernel's table) with the actors' names,
// newest first, older than `before_id` when given.
std::vector<ActivityRow> school_activity(soci::session& sql, const std::string& school_id,
                                         const std::string& before_id, int limit);

struct SessionSummary {
  std::int64_t created_at = 0, last_seen_at = 0, expires_at = 0;
  std::string user_agent, client_ip;
};
std::vector<SessionSummary> sessions_of_user(soci::session& sql, const std::string& user_id);
// Removes what identifies a person and keeps the row (ids stay valid for aggregate statistics).
void anonymise_user(soci::session& sql, const std::string& user_id, std::int64_t now);

struct NewSession {
  std::string id, token_hash, user_id;
  std::optional<std::string> school_id;
  std::string csrf_token;
  std::int64_t created_at, expires_at;
  std::string user_agent, client_ip;
};
void insert_session(soci::session& sql, const NewSession& session);
std::optional<StoredSession> find_session(soci::session& sql, const std::string& token_hash);
// PostgreSQL: the sessions of several requests in one query (AuthService batches them).
struct SessionLookup {
  std::string token_hash;
  std::optional<StoredSession> session;  // out
};
void find_sessions(soci::session& sql, const std::vector<SessionLookup*>& lookups);
void touch_session(soci::session& sql, const std::string& id, std::int64_t now);
void delete_session(soci::session& sql, const std::string& token_hash);
// Ids of the user's login sessions, but `except_session_id` (to tell their WebSockets).
std::vector<std::string> session_ids_of_user(soci::session& sql, const std::string& user_id,
                                             const std::optional<std::string>& except_session_id);
int delete_sessions_of_user(soci::session& sql, const std::string& user_id,
                            const std::optional<std::string>& except_session_id = {});

}  // namespace mnemos::users::repo
