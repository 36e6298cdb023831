// SQL for bearer API tokens.
#include "repository.hpp"

namespace mnemos::users::repo {
namespace {
constexpr const char* kColumns =
    "id, school_id, user_id, name, prefix, created_at, expires_at, last_used_at, revoked_at";
}

void insert_api_token(soci::session& sql, const ApiToken& t, const std::string& token_hash) {
  sql << "INSERT INTO users_api_tokens (id, school_id, user_id, name, token_hash, prefix, "
         "created_at, expires_at) VALUES (:id, :school, :user, :name, :hash, :prefix, :created, "
         ":expires)",
      soci::use(t.id), soci::use(t.school_id), soci::use(t.user_id), soci::use(t.name),
      soci::use(token_hash), soci::use(t.prefix), soci::use(t.created_at), soci::use(t.expires_at);
}

std::vector<ApiToken> api_tokens_of(soci::session& sql, const std::string& user_id) {
  std::vector<ApiToken> tokens;
  ApiToken t;
  soci::statement st =
      (sql.prepare << "SELECT " << kColumns
                   << " FROM users_api_tokens WHERE user_id = :user AND revoked_at IS NULL ORDER "
                      "BY created_at DESC",
       soci::use(user_id), soci::into(t.id), soci::into(t.school_id), soci::into(t.user_id),
       soci::into(t.name), soci::into(t.prefix), soci::into(t.created_at), soci::into(t.expires_at),
       soci::into(t.last_used_at), soci::into(t.revoked_at));
  st.execute();
  while (st.fetch()) tokens.push_back(t);
  return tokens;
}

std::optional<ApiToken> find_api_token(soci::session& sql, const std::string& user_id,
                                       const std::string& id) {
  ApiToken t;
  sql << "SELECT " << kColumns << " FROM users_api_tokens WHERE id = :id AND user_id = :user",
      soci::use(id), soci::use(user_id), soci::into(t.id), soci::into(t.school_id),
      soci::into(t.user_id), soci::into(t.name), soci::into(t.prefix), soci::into(t.created_at),
      soci::into(t.expires_at), soci::into(t.last_used_at), soci::into(t.revoked_at);
  if (!sql.got_data()) return std::nullopt;
  return t;
}

std::optional<TokenOwner> find_api_token_by_hash(soci::session& sql, const std::string& token_hash) {
  TokenOwner o;
  ApiToken& t = o.token;
  sql << "SELECT t.id, t.school_id, t.user_id, t.name, t.prefix, t.created_at, t.expires_at, "
         "t.last_used_at, t.revoked_at, u.status, u.locale, s.status FROM users_api_tokens t JOIN "
         "users_users u ON u.id = t.user_id LEFT JOIN users_schools s ON s.id = t.school_id WHERE "
         "t.token_hash = :hash",
      soci::use(token_hash), soci::into(t.id), soci::into(t.school_id), soci::into(t.user_id),
      soci::into(t.name), soci::into(t.prefix), soci::into(t.created_at), soci::into(t.expires_at),
      soci::into(t.last_used_at), soci::into(t.revoked_at), soci::into(o.user_status),
      soci::into(o.locale), soci::into(o.school_status);
  if (!sql.got_data()) return std::nullopt;
  return o;
}

void revoke_api_token(soci::session& sql, const std::string& id, std::int64_t now) {
  sql << "UPDATE users_api_tokens SET revoked_at = :now WHERE id = :id", soci::use(now),
      soci::use(id);
}

void touch_api_token(soci::session& sql, const std::string& id, std::int64_t now) {
  sql << "UPDATE users_api_tokens SET last_used_at = :now WHERE id = :id", soci::use(now),
      soci::use(id);
}

std::string api_token_hash(soci::session& sql, const std::string& id) {
  std::string hash;
  sql << "SELECT token_hash FROM users_api_tokens WHERE id = :id", soci::use(id), soci::into(hash);
  return hash;
}

}  // namespace mnemos::users::repo
