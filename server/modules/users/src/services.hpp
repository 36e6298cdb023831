#pragma once
// The users module's services: every rule and permission check lives here, so HTTP, the CLI and
// jobs obey the same rules.
#include "domain.hpp"
#include "session_cache.hpp"

#include <mnemos/core/personal_data.hpp>
#include <mnemos/core/config.hpp>
#include <mnemos/core/context.hpp>
#include <mnemos/core/files.hpp>
#include <mnemos/core/jobs.hpp>
#include <mnemos/core/plan.hpp>
#include <mnemos/http/auth.hpp>
#include <mnemos/http/rate_limit.hpp>

#include <memory>

namespace mnemos::db {
class Database;
template <typename Request>
class Batcher;
}
namespace mnemos::users::repo {
struct SessionLookup;
}
namespace soci {
class session;
}

namespace mnemos::users {

struct Services;

// What the web app needs to know about the signed-in user.
struct Me {
  User user;
  std::optional<School> school;
  // The modules the school's plan includes (billing): the web app hides the others.
  bool ai_tutor = true;
  bool read_only = false;  // the school's space is read-only (an unpaid invoice; billing)
  bool video_rooms = true;
};

struct ProfileInput {
  std::optional<std::string> display_name, locale;
  std::optional<int> preferred_session_minutes;
  std::optional<std::string> learning_preferences;
  std::optional<std::vector<std::string>> accessibility_needs;
};

// The accessibility needs a student may declare; the web app and later modules act on them.
inline const std::vector<std::string> kAccessibilityNeeds{
    "dyslexia_font", "larger_text", "high_contrast", "reduced_motion", "screen_reader", "extra_time"};

struct LoginInput {
  std::optional<std::string> school_slug;  // absent for platform staff
  std::string email;
  std::string password;
  std::string user_agent;
};

struct LoginResult {
  std::string session_token;  // goes into the cookie, never stored
  std::string csrf_token;
  std::int64_t expires_at = 0;
  Me me;
};

class AuthService final : public http::Authenticator {
 public:
  AuthService(db::Database& db, const Clock& clock, const Config& config, const PlanPolicy& plan, SessionCache& sessions);
  ~AuthService() override;
  LoginResult login(const RequestContext& ctx, const LoginInput& input);
  void with_plan_modules(Me& me) const;
  // Ends the credential the request came with: its session (cookie), or its API token (bearer),
  // which is revoked: "log out" with a token must not leave that token working.
  void logout(const RequestContext& ctx, const std::optional<std::string>& session_token,
              const std::optional<std::string>& api_token);
  // Ends every session of the actor, including the current one. Returns how many ended.
  int logout_everywhere(const RequestContext& ctx);
  Me me(const RequestContext& ctx);
  // One's own name, language and, for students, learning profile.
  Me update_profile(const RequestContext& ctx, const ProfileInput& input);
  std::optional<StudentProfile> student_profile(const RequestContext& ctx);
  // One's picture: PNG, JPEG or WebP up to kMaxAvatarBytes, checked by its first bytes.
  void set_avatar(const RequestContext& ctx, std::string_view content_type, std::string_view bytes);
  void remove_avatar(const RequestContext& ctx);
  // The picture of a user of one's school (or one's own): {content type, bytes}.
  std::pair<std::string, std::string> avatar(const RequestContext& ctx, const std::string& user_id);
  static constexpr std::size_t kMaxAvatarBytes = 512 * 1024;
  void change_password(const RequestContext& ctx, const std::string& current_password,
                       const std::string& new_password, const std::string& current_token);
  std::optional<http::Identity> authenticate(const http::Request& request) override;

  // Bearer tokens for integrations: they act as their owner, with the owner's roles.
  std::vector<ApiToken> api_tokens(const RequestContext& ctx);
  // Returns the token record and the token itself, shown once and never stored.
  std::pair<ApiToken, std::string> create_api_token(const RequestContext& ctx, const std::string& name,
                                                    std::optional<int> expires_in_days);
  void revoke_api_token(const RequestContext& ctx, const std::string& id);
  static constexpr std::size_t kMaxApiTokens = 10;

 private:
  http::Identity with_read_only(http::Identity identity) const;

  db::Database& db_;
  const Clock& clock_;
  const Config& config_;
  const PlanPolicy& plan_;
  SessionCache& sessions_;
  files::Store files_;
  http::RateLimiter per_account_;
  http::RateLimiter per_address_;
  // PostgreSQL: the sessions the cache does not hold, read for many requests at once (one request
  // in seven of students answering every 8 s; docs/decisions/0013). Null on SQLite.
  std::unique_ptr<db::Batcher<repo::SessionLookup>> session_lookups_;
};

struct SchoolInput {
  std::optional<std::string> name, slug, timezone, default_locale, status;
};

class SchoolService {
 public:
  SchoolService(db::Database& db, const Clock& clock, const jobs::Registry& jobs, SessionCache& sessions)
      : db_(db), clock_(clock), jobs_(jobs), sessions_(sessions) {}
  School create(const RequestContext& ctx, const SchoolInput& input);
  PageOf<School> list(const RequestContext& ctx, const Page& page);
  School get(const RequestContext& ctx, const std::string& id);
  School update(const RequestContext& ctx, const std::string& id, const SchoolInput& input);

 private:
  db::Database& db_;
  const Clock& clock_;
  const jobs::Registry& jobs_;
  SessionCache& sessions_;
};

// What the invitation page shows before the invitee chooses a password.
struct InvitationView {
  std::string email;
  std::string display_name;
  std::string school_name;
  std::string school_slug;
};

// Invitations and password resets: single-use links sent by email, stored as hashes.
class AccountService {
 public:
  AccountService(db::Database& db, const Clock& clock, const Config& config, SessionCache& sessions)
      : db_(db),
        clock_(clock),
        config_(config),
        sessions_(sessions),
        reset_per_account_(3 / 60.0, 3),
        reset_per_address_(60 / 60.0, 30) {}
  // Writes a new invitation for an invited user and queues its email, in the caller's transaction.
  // Earlier invitations of that user stop working.
  void invite_in(soci::session& sql, const RequestContext& ctx, const User& user);
  // Sends the invitation again (school admin).
  void resend_invitation(const RequestContext& ctx, const std::string& user_id);
  InvitationView inspect_invitation(const std::string& token);
  // Sets the password, activates the account; the invitee then logs in.
  void accept_invitation(const RequestContext& ctx, const std::string& token,
                         const std::string& password);
  // Always succeeds from the caller's point of view, so it tells nobody which accounts exist.
  void request_password_reset(const RequestContext& ctx, const std::optional<std::string>& school,
                              const std::string& email);
  // Sets the new password and ends every session of the account.
  void reset_password(const RequestContext& ctx, const std::string& token,
                      const std::string& password);

  static constexpr std::int64_t kInvitationLifetimeMs = 7 * kDayMs;
  static constexpr std::int64_t kResetLifetimeMs = kHourMs;

 private:
  // The valid, unused token of `kind` behind `token`, or Error(invalid, field "token").
  struct Redeemable;
  db::Database& db_;
  const Clock& clock_;
  const Config& config_;
  SessionCache& sessions_;
  http::RateLimiter reset_per_account_;
  http::RateLimiter reset_per_address_;
};

struct UserInput {
  std::optional<std::string> email, display_name, locale, status;
  std::optional<std::vector<std::string>> roles;
  std::optional<std::string> password;  // only for CLI-created accounts and the demo seed
};

// The seats a school's plan counts (teachers and students), and the refusal when one more would
// exceed it: asked in the transaction that adds the seat, after the change (so `count` includes it).
std::optional<std::string> seat_refusal(soci::session& sql, const PlanPolicy& plan, const std::string& school_id,
                                        Role role, std::int64_t extra = 0);

class UserService {
 public:
  UserService(db::Database& db, const Clock& clock, const PlanPolicy& plan, AccountService& accounts,
              SessionCache& sessions)
      : db_(db), clock_(clock), plan_(plan), accounts_(accounts), sessions_(sessions) {}
  PageOf<User> list(const RequestContext& ctx, const UserFilter& filter, const Page& page);
  User get(const RequestContext& ctx, const std::string& id);
  User create(const RequestContext& ctx, const UserInput& input);
  User update(const RequestContext& ctx, const std::string& id, const UserInput& input);
  // Platform admins: a school's administrators, and inviting one (a new school's way in).
  std::vector<User> school_admins(const RequestContext& ctx, const std::string& school_id);
  User invite_school_admin(const RequestContext& ctx, const std::string& school_id,
                           const UserInput& input);

 private:
  User create_in(const RequestContext& ctx, const std::string& school_id, const UserInput& input);

  db::Database& db_;
  const Clock& clock_;
  const PlanPolicy& plan_;
  AccountService& accounts_;
  SessionCache& sessions_;
};

struct ActivityEntryView {
  std::string id, action, target_type, target_id, target_name, request_id, actor_id, actor_name;
  std::int64_t at = 0;
};

// Personal data: export one's own, delete a student's (GDPR articles 15, 17 and 20).
class PrivacyService {
 public:
  PrivacyService(db::Database& db, const Clock& clock, const jobs::Registry& jobs,
                 SessionCache& sessions, const std::string& files_dir)
      : db_(db), clock_(clock), jobs_(jobs), sessions_(sessions), files_(files_dir) {}
  // Everything the platform holds about the actor, as one JSON document (the export's format is
  // JSON by definition, so the service builds it).
  std::string export_own(const RequestContext& ctx);
  // Another module's part of the export (its name, and how to read it for one person).
  void add_section(std::string name, PersonalDataSection section) {
    sections_.emplace_back(std::move(name), std::move(section));
  }
  // Anonymises the account: name, email, password, sessions, links, learning profile and class
  // places go; the row stays under an opaque id so the school's statistics keep their counts.
  // Publishes users.user_deleted for the modules that hold the person's own content.
  void delete_user(const RequestContext& ctx, const std::string& user_id);
  // The school's activity log, newest first (school admin, support).
  PageOf<ActivityEntryView> activity(const RequestContext& ctx, const Page& page);

 private:
  db::Database& db_;
  const Clock& clock_;
  const jobs::Registry& jobs_;
  SessionCache& sessions_;
  files::Store files_;
  std::vector<std::pair<std::string, PersonalDataSection>> sections_;
};

class SubjectService {
 public:
  SubjectService(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {}
  std::vector<Subject> list(const RequestContext& ctx);
  Subject create(const RequestContext& ctx, const std::string& name);
  Subject rename(const RequestContext& ctx, const std::string& id, const std::string& name);
  void remove(const RequestContext& ctx, const std::string& id);

 private:
  db::Database& db_;
  const Clock& clock_;
};

struct ClassInput {
  std::optional<std::string> name, level, school_year;
};

class ClassService {
 public:
  ClassService(db::Database& db, const Clock& clock, const jobs::Registry& jobs)
      : db_(db), clock_(clock), jobs_(jobs) {}
  // Administrators and support see every class; teachers and students see their own.
  std::vector<SchoolClass> list(const RequestContext& ctx);
  SchoolClass get(const RequestContext& ctx, const std::string& id);
  SchoolClass create(const RequestContext& ctx, const ClassInput& input);
  SchoolClass update(const RequestContext& ctx, const std::string& id, const ClassInput& input);
  void remove(const RequestContext& ctx, const std::string& id);
  // Replaces the class's teachers and students; publishes users.class_members_changed.
  SchoolClass set_members(const RequestContext& ctx, const std::string& id,
                          const std::vector<std::string>& teacher_ids,
                          const std::vector<std::string>& student_ids);

 private:
  bool sees_every_class(const RequestContext& ctx) const;
  db::Database& db_;
  const Clock& clock_;
  const jobs::Registry& jobs_;
};

struct ImportRow {
  int line = 0;
  std::string email, display_name, role, class_name;
  std::string status;  // created | would_create | rejected
  std::string reason;  // why a row was rejected
  std::optional<std::string> user_id;
};

struct ImportReport {
  bool dry_run = false;
  int created = 0;
  int rejected = 0;
  std::vector<ImportRow> rows;
};

// CSV import of students and teachers. Per row: valid rows are created (as invited accounts, each
// sent an invitation) and invalid rows are reported and skipped; all the creations commit together.
// A dry run reports the same without creating anything.
class ImportService {
 public:
  ImportService(db::Database& db, const Clock& clock, const jobs::Registry& jobs, const PlanPolicy& plan,
                AccountService& accounts)
      : db_(db), clock_(clock), jobs_(jobs), plan_(plan), accounts_(accounts) {}
  ImportReport import_users(const RequestContext& ctx, std::string_view csv_text, bool dry_run);

  static constexpr std::size_t kMaxRows = 2000;

 private:
  db::Database& db_;
  const Clock& clock_;
  const jobs::Registry& jobs_;
  const PlanPolicy& plan_;
  AccountService& accounts_;
};

// "2026-2027" for a date from August 2026 to July 2027 (UTC).
std::string school_year_of(std::int64_t epoch_ms);
bool is_valid_school_year(const std::string& text);

// Password rules shared by sign-up, change and reset. Throws Error(invalid) naming `field`.
void check_password_policy(const std::string& password, const std::string& email,
                           const std::string& field);
bool is_valid_timezone(const std::string& name);
bool is_valid_slug(const std::string& slug);

}  // namespace mnemos::users
