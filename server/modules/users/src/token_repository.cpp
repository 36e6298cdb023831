// SQL for account tokens: invitations and password resets.
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

}  // namespace mnemos::users::repo
