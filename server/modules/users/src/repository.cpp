#include "repository.hpp"

#include <mnemos/core/json.hpp>

#include <map>

namespace mnemos::users::repo {
namespace {

constexpr const char* kSchoolColumns =
    "id, name, slug, timezone, default_locale, status, created_at, updated_at";

// Escapes LIKE wildcards so a search for "50%" finds "50%" and not everything.
std::string like_pattern(const std::string& text) {
  std::string out = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
  }
  out.push_back('%');
  return out;
}

struct UserRow {
  User user;
  std::optional<std::string> role;
};

}  // namespace

void insert_school(soci::session& sql, const School& s) {
  sql << "INSERT INTO users_schools (id, name, slug, timezone, default_locale, status, created_at, "
         "updated_at) VALUES (:id, :name, :slug, :tz, :locale, :status, :created, :updated)",
      soci::use(s.id), soci::use(s.name), soci::use(s.slug), soci::use(s.timezone),
      soci::use(s.default_locale), soci::use(s.status), soci::use(s.created_at),
      soci::use(s.updated_at);
}

std::optional<School> find_school(soci::session& sql, const std::string& id) {
  School s;
  sql << "SELECT " << kSchoolColumns << " FROM users_schools WHERE id = :id", soci::use(id),
      soci::into(s.id), soci::into(s.name), soci::into(s.slug), soci::into(s.timezone),
      soci::into(s.default_locale), soci::into(s.status), soci::into(s.created_at),
      soci::into(s.updated_at);
  if (!sql.got_data()) return std::nullopt;
  return s;
}

std::optional<School> find_school_by_slug(soci::session& sql, const std::string& slug) {
  School s;
  sql << "SELECT " << kSchoolColumns << " FROM users_schools WHERE slug = :slug", soci::use(slug),
      soci::into(s.id), soci::into(s.name), soci::into(s.slug), soci::into(s.timezone),
      soci::into(s.default_locale), soci::into(s.status), soci::into(s.created_at),
      soci::into(s.updated_at);
  if (!sql.got_data()) return std::nullopt;
  return s;
}

PageOf<School> list_schools(soci::session& sql, const Page& page) {
  PageOf<School> result;
  School s;
  const std::string after = page.cursor.value_or("");
  const int fetch = page.limit + 1;
  soci::statement st =
      (sql.prepare << "SELECT " << kSchoolColumns
                   << " FROM users_schools WHERE slug > :after ORDER BY slug LIMIT :n",
       soci::use(after), soci::use(fetch), soci::into(s.id), soci::into(s.name),
       soci::into(s.slug), soci::into(s.timezone), soci::into(s.default_locale),
       soci::into(s.status), soci::into(s.created_at), soci::into(s.updated_at));
  st.execute();
  while (st.fetch()) result.items.push_back(s);
  if (static_cast<int>(result.items.size()) > page.limit) {
    result.items.pop_back();
    result.next_cursor = result.items.back().slug;
  }
  return result;
}

void update_school(soci::session& sql, const School& s) {
  sql << "UPDATE users_schools SET name = :name, timezone = :tz, default_locale = :locale, status "
         "= :status, updated_at = :updated WHERE id = :id",
      soci::use(s.name), soci::use(s.timezone), soci::use(s.default_locale), soci::use(s.status),
      soci::use(s.updated_at), soci::use(s.id);
}

void insert_user(soci::session& sql, const User& u) {
  sql << "INSERT INTO users_users (id, school_id, email, display_name, password_hash, locale, "
         "status, avatar_path, created_at, updated_at) VALUES (:id, :school, :email, :name, "
         ":hash, :locale, :status, :avatar, :created, :updated)",
      soci::use(u.id), soci::use(u.school_id), soci::use(u.email), soci::use(u.display_name),
      soci::use(u.password_hash), soci::use(u.locale), soci::use(u.status),
      soci::use(u.avatar_path), soci::use(u.created_at), soci::use(u.updated_at);
  set_roles(sql, u);
}

namespace {
// Reads users (and their roles, one row per role) from `query`, which selects the user columns
// then r.role; rows of one user are adjacent.
template <typename... Uses>
std::vector<User> fetch_users(soci::session& sql, const std::string& query, Uses&&... uses) {
  std::vector<User> users;
  db::for_each_row<UserRow>(
      sql, query,
      [](db::Prepared& prepared, UserRow& row) {
        prepared, soci::into(row.user.id), soci::into(row.user.school_id), soci::into(row.user.email),
            soci::into(row.user.display_name), soci::into(row.user.password_hash), soci::into(row.user.locale),
            soci::into(row.user.status), soci::into(row.user.avatar_path), soci::into(row.user.created_at),
            soci::into(row.user.updated_at), soci::into(row.role);
      },
      [&](const UserRow& row) {
        if (users.empty() || users.back().id != row.user.id) {
          users.push_back(row.user);
          users.back().roles = RoleSet();
        }
        if (row.role) {
          if (auto role = role_from_string(*row.role)) users.back().roles.add(*role);
        }
      },
      std::forward<Uses>(uses)...);
  return users;
}

constexpr const char* kUserColumns =
    "u.id, u.school_id, u.email, u.display_name, u.password_hash, u.locale, u.status, "
    "u.avatar_path, u.created_at, u.updated_at, r.role";
}  // namespace

std::optional<User> find_user(soci::session& sql, const std::optional<std::string>& school_id,
                              const std::string& id) {
  const std::string scope = school_id.value_or("");
  auto users = fetch_users(sql,
                           std::string("SELECT ") + kUserColumns +
                               " FROM users_users u LEFT JOIN users_user_roles r ON r.user_id = "
                               "u.id WHERE u.id = :id AND COALESCE(u.school_id, '') = :school",
                           soci::use(id), soci::use(scope));
  if (users.empty()) return std::nullopt;
  return users.front();
}

namespace {
struct UserWithSchoolQuery {
  explicit UserWithSchoolQuery(soci::session& sql)
      : statement((sql.prepare << std::string("SELECT ") + kUserColumns +
                                      ", s.name, s.slug, s.timezone, s.default_locale, s.status, "
                                      "s.created_at, s.updated_at FROM users_users u LEFT JOIN "
                                      "users_user_roles r ON r.user_id = u.id LEFT JOIN "
                                      "users_schools s ON s.id = u.school_id WHERE u.id = :id AND "
                                      "COALESCE(u.school_id, '') = :school",
                   soci::use(id), soci::use(scope), soci::into(row.user.id),
                   soci::into(row.user.school_id), soci::into(row.user.email),
                   soci::into(row.user.display_name), soci::into(row.user.password_hash),
                   soci::into(row.user.locale), soci::into(row.user.status),
                   soci::into(row.user.avatar_path), soci::into(row.user.created_at),
                   soci::into(row.user.updated_at), soci::into(row.role), soci::into(school_name),
                   soci::into(school_slug), soci::into(school_timezone), soci::into(school_locale),
                   soci::into(school_status), soci::into(school_created),
                   soci::into(school_updated))) {}

  std::string id, scope;
  UserRow row;
  std::optional<std::string> school_name, school_slug, school_timezone, school_locale, school_status;
  std::optional<std::int64_t> school_created, school_updated;
  soci::statement statement;  // last: built from the members above
};
}  // namespace

std::optional<std::pair<User, std::optional<School>>> find_user_with_school(
    soci::session& sql, const std::optional<std::string>& school_id, const std::string& id) {
  auto& q = db::prepared<UserWithSchoolQuery>(sql);
  q.id = id;
  q.scope = school_id.value_or("");
  q.statement.execute();
  std::optional<std::pair<User, std::optional<School>>> found;
  while (q.statement.fetch()) {
    if (!found) {
      found.emplace(q.row.user, std::nullopt);
      found->first.roles = RoleSet();
      if (q.row.user.school_id && q.school_name) {
        found->second = School{*q.row.user.school_id,       *q.school_name,
                               q.school_slug.value_or(""),   q.school_timezone.value_or(""),
                               q.school_locale.value_or(""), q.school_status.value_or(""),
                               q.school_created.value_or(0), q.school_updated.value_or(0)};
      }
    }
    if (q.row.role) {
      if (auto role = role_from_string(*q.row.role)) found->first.roles.add(*role);
    }
  }
  return found;
}

std::optional<User> find_user_by_email(soci::session& sql,
                                       const std::optional<std::string>& school_id,
                                       const std::string& email) {
  const std::string scope = school_id.value_or("");
  auto users = fetch_users(sql,
                           std::string("SELECT ") + kUserColumns +
                               " FROM users_users u LEFT JOIN users_user_roles r ON r.user_id = "
                               "u.id WHERE u.email = :email AND COALESCE(u.school_id, '') = :school",
                           soci::use(email), soci::use(scope));
  if (users.empty()) return std::nullopt;
  return users.front();
}

PageOf<User> list_users(soci::session& sql, const std::string& school_id, const UserFilter& filter,
                        const Page& page) {
  const std::string after = page.cursor.value_or("");
  const std::string query = filter.query.value_or("");
  const std::string pattern = like_pattern(query);
  const std::string role = filter.role ? std::string(to_string(*filter.role)) : "";
  const int fetch = page.limit + 1;
  PageOf<User> result;
  result.items = fetch_users(
      sql,
      std::string("SELECT ") + kUserColumns +
          " FROM (SELECT * FROM users_users WHERE school_id = :school AND status <> 'deleted' AND email > :after AND "
          "(:q = '' OR LOWER(display_name) LIKE :p1 ESCAPE '\\' OR email LIKE :p2 ESCAPE '\\') "
          "AND (:role = '' OR EXISTS (SELECT 1 FROM users_user_roles x WHERE x.user_id = "
          "users_users.id AND x.role = :role2)) ORDER BY email LIMIT :n) u LEFT JOIN "
          "users_user_roles r ON r.user_id = u.id ORDER BY u.email, r.role",
      soci::use(school_id), soci::use(after), soci::use(query), soci::use(pattern),
      soci::use(pattern), soci::use(role), soci::use(role), soci::use(fetch));
  if (static_cast<int>(result.items.size()) > page.limit) {
    result.items.pop_back();
    result.next_cursor = result.items.back().email;
  }
  return result;
}

void update_user(soci::session& sql, const User& u) {
  sql << "UPDATE users_users SET display_name = :name, locale = :locale, status = :status, "
         "avatar_path = :avatar, updated_at = :updated WHERE id = :id",
      soci::use(u.display_name), soci::use(u.locale), soci::use(u.status), soci::use(u.avatar_path),
      soci::use(u.updated_at), soci::use(u.id);
}

void set_roles(soci::session& sql, const User& u) {
  sql << "DELETE FROM users_user_roles WHERE user_id = :id", soci::use(u.id);
  for (Role role : u.roles.list()) {
    const std::string name(to_string(role));
    sql << "INSERT INTO users_user_roles (user_id, school_id, role) VALUES (:id, :school, :role)",
        soci::use(u.id), soci::use(u.school_id), soci::use(name);
  }
}

namespace {
// Read whenever a session is not in the session cache (every request of a student who answers
// every 8 s, one in two): prepared once per connection (db::prepared), the roles with it.
struct FindSession {
  std::string token_hash;
  StoredSession row;
  soci::statement statement;  // last: built from the members above
  explicit FindSession(soci::session& sql)
      : statement((sql.prepare << std::string("SELECT s.id, s.user_id, s.school_id, s.csrf_token, s.expires_at, "
                                              "s.last_seen_at, u.status, u.locale, sc.status, COALESCE((SELECT ") +
                                  (sql.get_backend_name() == "sqlite3" ? "group_concat(r.role, ',')"
                                                                       : "string_agg(r.role, ',')") +
                                  " FROM users_user_roles r WHERE r.user_id = s.user_id), '') FROM users_sessions "
                                  "s JOIN users_users u ON u.id = s.user_id LEFT JOIN users_schools "
                                  "sc ON sc.id = s.school_id WHERE s.token_hash = :hash",
                   soci::use(token_hash), soci::into(row.id), soci::into(row.user_id),
                   soci::into(row.school_id), soci::into(row.csrf_token), soci::into(row.expires_at),
                   soci::into(row.last_seen_at), soci::into(row.user_status), soci::into(row.locale),
                   soci::into(row.school_status), soci::into(row.roles))) {}
};

struct RolesOf {
  std::string user_id, role;
  soci::statement statement;  // last: built from the members above
  explicit RolesOf(soci::session& sql)
      : statement((sql.prepare << "SELECT role FROM users_user_roles WHERE user_id = :id",
                   soci::use(user_id), soci::into(role))) {}
};
}  // namespace

RoleSet roles_of(soci::session& sql, const std::string& user_id) {
  RoleSet roles;
  auto& q = db::prepared<RolesOf>(sql);
  q.user_id = user_id;
  q.statement.execute();
  while (q.statement.fetch()) {
    if (auto parsed = role_from_string(q.role)) roles.add(*parsed);
  }
  return roles;
}

void set_password_hash(soci::session& sql, const std::string& user_id, const std::string& hash,
                       std::int64_t now) {
  sql << "UPDATE users_users SET password_hash = :hash, updated_at = :now WHERE id = :id",
      soci::use(hash), soci::use(now), soci::use(user_id);
}

std::int64_t count_seats(soci::session& sql, const std::string& school_id, const std::string& role) {
  std::int64_t count = 0;
  sql << "SELECT COUNT(*) FROM users_user_roles r JOIN users_users u ON u.id = r.user_id WHERE r.school_id = "
         ":school AND r.role = :role AND u.status IN ('active', 'invited')",
      soci::use(school_id), soci::use(role), soci::into(count);
  return count;
}

int count_users(soci::session& sql, const std::string& school_id) {
  int count = 0;
  sql << "SELECT COUNT(*) FROM users_users WHERE school_id = :school", soci::use(school_id),
      soci::into(count);
  return count;
}

void insert_session(soci::session& sql, const NewSession& s) {
  sql << "INSERT INTO users_sessions (id, token_hash, user_id, school_id, csrf_token, created_at, "
         "expires_at, last_seen_at, user_agent, client_ip) VALUES (:id, :hash, :user, :school, "
         ":csrf, :created, :expires, :seen, :agent, :ip)",
      soci::use(s.id), soci::use(s.token_hash), soci::use(s.user_id), soci::use(s.school_id),
      soci::use(s.csrf_token), soci::use(s.created_at), soci::use(s.expires_at),
      soci::use(s.created_at), soci::use(s.user_agent), soci::use(s.client_ip);
}


std::optional<StoredSession> find_session(soci::session& sql, const std::string& token_hash) {
  auto& q = db::prepared<FindSession>(sql);
  q.token_hash = token_hash;
  if (!q.statement.execute(true)) return std::nullopt;
  return q.row;
}

namespace {
struct FindSessions {
  std::string rows;
  int n = 0;
  StoredSession row;
  soci::statement statement;  // last: built from the members above
  explicit FindSessions(soci::session& sql)
      // Sessions found by `= ANY(ARRAY(...))`, an index lookup whatever the planner believes of
      // json_to_recordset's rows (100: a plain join was planned as a scan of every session).
      : statement((sql.prepare << "WITH i AS MATERIALIZED (SELECT * FROM json_to_recordset(CAST(:rows AS json)) "
                                  "AS i(n integer, hash text)) "
                                  "SELECT i.n, s.id, s.user_id, s.school_id, s.csrf_token, s.expires_at, "
                                  "s.last_seen_at, u.status, u.locale, sc.status, COALESCE((SELECT "
                                  "string_agg(r.role, ',') FROM users_user_roles r WHERE r.user_id = s.user_id), '') "
                                  "FROM i JOIN users_sessions s ON s.token_hash = i.hash JOIN users_users u ON u.id = s.user_id "
                                  "LEFT JOIN users_schools sc ON sc.id = s.school_id "
                                  "WHERE s.token_hash = ANY(ARRAY(SELECT hash FROM i))",
                   soci::use(rows), soci::into(n), soci::into(row.id), soci::into(row.user_id),
                   soci::into(row.school_id), soci::into(row.csrf_token), soci::into(row.expires_at),
                   soci::into(row.last_seen_at), soci::into(row.user_status), soci::into(row.locale),
                   soci::into(row.school_status), soci::into(row.roles))) {}
};
}  // namespace

void find_sessions(soci::session& sql, const std::vector<SessionLookup*>& lookups) {
  if (lookups.empty()) return;
  json::RowsWriter rows;
  for (std::size_t n = 0; n < lookups.size(); ++n) {
    rows.row().integer("n", static_cast<std::int64_t>(n)).text("hash", lookups[n]->token_hash);
    lookups[n]->session.reset();
  }
  auto& q = db::prepared<FindSessions>(sql);
  q.rows = rows.finish();
  if (!q.statement.execute(true)) return;
  do {
    if (q.n >= 0 && static_cast<std::size_t>(q.n) < lookups.size()) lookups[static_cast<std::size_t>(q.n)]->session = q.row;
  } while (q.statement.fetch());
}

void touch_session(soci::session& sql, const std::string& id, std::int64_t now) {
  sql << "UPDATE users_sessions SET last_seen_at = :now WHERE id = :id", soci::use(now),
      soci::use(id);
}

void delete_session(soci::session& sql, const std::string& token_hash) {
  sql << "DELETE FROM users_sessions WHERE token_hash = :hash", soci::use(token_hash);
}

std::vector<std::string> session_ids_of_user(soci::session& sql, const std::string& user_id,
                                             const std::optional<std::string>& except_session_id) {
  const std::string keep = except_session_id.value_or("");
  std::vector<std::string> ids;
  std::string id;
  soci::statement st = (sql.prepare << "SELECT id FROM users_sessions WHERE user_id = :user AND id <> :keep",
                        soci::use(user_id), soci::use(keep), soci::into(id));
  st.execute();
  while (st.fetch()) ids.push_back(id);
  return ids;
}

int delete_sessions_of_user(soci::session& sql, const std::string& user_id,
                            const std::optional<std::string>& except_session_id) {
  const std::string keep = except_session_id.value_or("");
  soci::statement st = (sql.prepare << "DELETE FROM users_sessions WHERE user_id = :user AND id <> :keep",
                        soci::use(user_id), soci::use(keep));
  st.execute(true);
  return static_cast<int>(st.get_affected_rows());
}

}  // namespace mnemos::users::repo
