// SQL for account tokens (invitations, password resets) and student profiles.
#include <mnemos/core/json.hpp>

#include "repository.hpp"

namespace mnemos::users::repo {

void insert_account_token(soci::session& sql, const AccountToken& t) {
  sql << "INSERT INTO users_account_tokens (id, school_id, user_id, kind, token_hash, created_by, "
         "created_at, expires_at, used_at) VALUES (:id, :school, :user, :kind, :hash, :by, :created, "
         ":expires, NULL)",
      soci::use(t.id), soci::use(t.school_id), soci::use(t.user_id), soci::use(t.kind),
      soci::use(t.token_hash), soci::use(t.created_by), soci::use(t.created_at),
      soci::use(t.expires_at);
}

std::optional<AccountToken> find_account_token(soci::session& sql, const std::string& token_hash) {
  AccountToken t;
  sql << "SELECT id, school_id, user_id, kind, token_hash, created_by, created_at, expires_at, "
         "used_at FROM users_account_tokens WHERE token_hash = :hash",
      soci::use(token_hash), soci::into(t.id), soci::into(t.school_id), soci::into(t.user_id),
      soci::into(t.kind), soci::into(t.token_hash), soci::into(t.created_by),
      soci::into(t.created_at), soci::into(t.expires_at), soci::into(t.used_at);
  if (!sql.got_data()) return std::nullopt;
  return t;
}

bool use_account_token(soci::session& sql, const std::string& id, std::int64_t now) {
  soci::statement st = (sql.prepare << "UPDATE users_account_tokens SET used_at = :now WHERE id = "
                                       ":id AND used_at IS NULL",
                        soci::use(now), soci::use(id));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

void revoke_account_tokens(soci::session& sql, const std::string& user_id, const std::string& kind,
                           std::int64_t now) {
  sql << "UPDATE users_account_tokens SET used_at = :now WHERE user_id = :user AND kind = :kind "
         "AND used_at IS NULL",
      soci::use(now), soci::use(user_id), soci::use(kind);
}

std::optional<StudentProfile> find_student_profile(soci::session& sql, const std::string& user_id) {
  StudentProfile p;
  std::string needs;
  sql << "SELECT preferred_session_minutes, learning_preferences, accessibility_needs, updated_at "
         "FROM users_student_profiles WHERE user_id = :id",
      soci::use(user_id), soci::into(p.preferred_session_minutes), soci::into(p.learning_preferences),
      soci::into(needs), soci::into(p.updated_at);
  if (!sql.got_data()) return std::nullopt;
  std::size_t start = 0;
  while (start < needs.size()) {
    auto end = needs.find(',', start);
    if (end == std::string::npos) end = needs.size();
    if (end > start) p.accessibility_needs.push_back(needs.substr(start, end - start));
    start = end + 1;
  }
  return p;
}

void save_student_profile(soci::session& sql, const std::string& user_id, const std::string& school_id,
                          const StudentProfile& p) {
  std::string needs;
  for (const auto& need : p.accessibility_needs) needs += (needs.empty() ? "" : ",") + need;
  sql << "DELETE FROM users_student_profiles WHERE user_id = :id", soci::use(user_id);
  sql << "INSERT INTO users_student_profiles (user_id, school_id, preferred_session_minutes, "
         "learning_preferences, accessibility_needs, updated_at) VALUES (:id, :school, :minutes, "
         ":prefs, :needs, :at)",
      soci::use(user_id), soci::use(school_id), soci::use(p.preferred_session_minutes),
      soci::use(p.learning_preferences), soci::use(needs), soci::use(p.updated_at);
}

std::vector<SessionSummary> sessions_of_user(soci::session& sql, const std::string& user_id) {
  std::vector<SessionSummary> sessions;
  SessionSummary s;
  std::optional<std::string> agent, ip;
  soci::statement st =
      (sql.prepare << "SELECT created_at, last_seen_at, expires_at, user_agent, client_ip FROM "
                      "users_sessions WHERE user_id = :id ORDER BY created_at DESC",
       soci::use(user_id), soci::into(s.created_at), soci::into(s.last_seen_at),
       soci::into(s.expires_at), soci::into(agent), soci::into(ip));
  st.execute();
  while (st.fetch()) {
    s.user_agent = agent.value_or("");
    s.client_ip = ip.value_or("");
    sessions.push_back(s);
  }
  return sessions;
}

void anonymise_user(soci::session& sql, const std::string& user_id, std::int64_t now) {
  const std::string email = "deleted+" + user_id + "@invalid";
  sql << "UPDATE users_users SET email = :email, display_name = 'Deleted user', password_hash = "
         "NULL, avatar_path = NULL, status = 'deleted', updated_at = :now WHERE id = :id",
      soci::use(email), soci::use(now), soci::use(user_id);
  sql << "DELETE FROM users_sessions WHERE user_id = :id", soci::use(user_id);
  sql << "DELETE FROM users_account_tokens WHERE user_id = :id", soci::use(user_id);
  sql << "DELETE FROM users_student_profiles WHERE user_id = :id", soci::use(user_id);
  sql << "DELETE FROM users_class_members WHERE user_id = :id", soci::use(user_id);
}

std::vector<ActivityRow> school_activity(soci::session& sql, const std::string& school_id,
                                         const std::string& before_id, int limit) {
  std::vector<ActivityRow> rows;
  ActivityRow r;
  std::optional<std::string> target_type, target_id, request_id, actor_name, details, user_name,
      class_name, subject_name;
  const std::string before = before_id.empty() ? "~" : before_id;
  // The object's name: this module's own tables for people, classes and subjects; for other
  // modules' objects, the label they wrote in the entry's details when it was recorded.
  soci::statement st =
      (sql.prepare << "SELECT a.id, a.action, a.target_type, a.target_id, a.request_id, a.actor_id, "
                      "u.display_name, a.at, a.details, tu.display_name, tc.name, ts.name "
                      "FROM core_activity a LEFT JOIN users_users u ON u.id = a.actor_id "
                      "LEFT JOIN users_users tu ON a.target_type = 'user' AND tu.id = a.target_id "
                      "LEFT JOIN users_classes tc ON a.target_type = 'class' AND tc.id = a.target_id "
                      "LEFT JOIN users_subjects ts ON a.target_type = 'subject' AND ts.id = a.target_id "
                      "WHERE a.school_id = :school AND a.id < :before ORDER BY a.id DESC LIMIT :n",
       soci::use(school_id), soci::use(before), soci::use(limit), soci::into(r.id),
       soci::into(r.action), soci::into(target_type), soci::into(target_id),
       soci::into(request_id), soci::into(r.actor_id), soci::into(actor_name), soci::into(r.at),
       soci::into(details), soci::into(user_name), soci::into(class_name), soci::into(subject_name));
  st.execute();
  while (st.fetch()) {
    r.target_type = target_type.value_or("");
    r.target_id = target_id.value_or("");
    r.request_id = request_id.value_or("");
    r.actor_name = actor_name.value_or("");
    r.target_name = user_name ? *user_name : class_name ? *class_name : subject_name ? *subject_name : "";
    if (r.target_name.empty() && details && details->find("\"label\"") != std::string::npos) {
      try {
        const auto parsed = json::parse(*details);
        if (const auto* label = parsed.as_object().if_contains("label"); label && label->is_string()) {
          r.target_name = std::string(label->get_string());
        }
      } catch (const std::exception&) {
        // details of another shape: no name
      }
    }
    rows.push_back(r);
  }
  return rows;
}

}  // namespace mnemos::users::repo
