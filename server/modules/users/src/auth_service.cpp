#include <mnemos/core/activity.hpp>
#include <mnemos/core/batcher.hpp>
#include <mnemos/core/db.hpp>
#include <mnemos/core/ids.hpp>
#include <mnemos/core/json.hpp>
#include <mnemos/core/security.hpp>

#include "repository.hpp"
#include "services.hpp"

#include <algorithm>

namespace mnemos::users {
namespace {

constexpr std::int64_t kTouchEveryMs = 5 * kMinuteMs;
const char* const kWrongCredentials =
    "The email or the password is wrong. Check them, and the school, and try again.";

// Verifying against a real hash when the account does not exist keeps the answer's timing the
// same, so login cannot be used to find out which emails have accounts.
const std::string& dummy_hash() {
  static const std::string hash = security::hash_password("not-a-real-password-for-timing");
  return hash;
}

}  // namespace

AuthService::AuthService(db::Database& db, const Clock& clock, const Config& config, const PlanPolicy& plan,
                         SessionCache& sessions)
    : db_(db),
      clock_(clock),
      config_(config),
      plan_(plan),
      sessions_(sessions),
      files_(config.files_dir),
      per_account_(config.login_attempts_per_15min / 15.0, config.login_attempts_per_15min),
      // A whole school may sit behind one address: generous, but it stops a scripted guesser.
      per_address_(config.login_attempts_per_15min * 20 / 15.0,
                   config.login_attempts_per_15min * 10) {
  if (db.dialect() != db::Dialect::postgresql) return;
  session_lookups_ = std::make_unique<db::Batcher<repo::SessionLookup>>(
      2, 64, [&db](const std::vector<repo::SessionLookup*>& batch, std::vector<std::exception_ptr>&) {
        db.read([&](soci::session& sql) { repo::find_sessions(sql, batch); });
      });
}

AuthService::~AuthService() = default;

LoginResult AuthService::login(const RequestContext& ctx, const LoginInput& input) {
  const std::string email = json::lowercase_ascii(json::trim(input.email));
  const std::string account_key = input.school_slug.value_or("") + "/" + email;
  int retry_after = 0;
  const std::int64_t now = clock_.now_ms();
  // Every attempt takes a token before the (costly) hash; a successful one gives them back below:
  // the limits are for guessing, and a whole school behind one address logs in at 8:00.
  const std::string address_key = "ip:" + ctx.client_ip;
  if (!per_address_.allow(address_key, now, &retry_after)) {
    throw Error(ErrorCode::too_many_requests,
                "Too many login attempts. Wait " + std::to_string(retry_after) +
                    " seconds before trying again.")
        .with_retry_after(retry_after);
  }
  if (!per_account_.allow(account_key, now, &retry_after)) {
    per_address_.refund(address_key);
    throw Error(ErrorCode::too_many_requests,
                "Too many login attempts. Wait " + std::to_string(retry_after) +
                    " seconds before trying again.")
        .with_retry_after(retry_after);
  }

  struct Found {
    std::optional<School> school;
    std::optional<User> user;
  };
  const Found found = db_.read([&](soci::session& sql) {
    Found f;
    if (input.school_slug) {
      f.school = repo::find_school_by_slug(sql, json::lowercase_ascii(*input.school_slug));
      if (!f.school) return f;
    }
    f.user = repo::find_user_by_email(sql, f.school ? std::optional(f.school->id) : std::nullopt,
                                      email);
    return f;
  });

  const std::string& hash =
      found.user && found.user->password_hash ? *found.user->password_hash : dummy_hash();
  const bool password_ok = security::verify_password(input.password, hash);
  if (!found.user || !found.user->password_hash || !password_ok) {
    throw Error::unauthorized(kWrongCredentials);
  }
  if (found.user->status != "active") {
    throw Error::forbidden("This account is disabled. Ask your school's administrator.");
  }
  if (found.school && found.school->status != "active") {
    throw Error::forbidden("This school's space is suspended. Ask your school's administrator.");
  }

  LoginResult result;
  result.session_token = security::random_token(32);
  result.csrf_token = security::random_token(24);
  result.expires_at = now + config_.session_days * kDayMs;
  result.me = Me{*found.user, found.school};
  with_plan_modules(result.me);
  repo::NewSession session{new_id(),
                           security::token_hash(result.session_token),
                           found.user->id,
                           found.user->school_id,
                           result.csrf_token,
                           now,
                           result.expires_at,
                           input.user_agent.substr(0, 300),
                           ctx.client_ip};
  db_.write([&](soci::session& sql) {
    repo::insert_session(sql, session);
    RequestContext actor = ctx;
    actor.user_id = found.user->id;
    actor.school_id = found.user->school_id;
    record_activity(sql, actor, "auth.login", "user", found.user->id);
  });
  per_address_.refund(address_key);
  per_account_.refund(account_key);
  return result;
}

void AuthService::logout(const RequestContext& ctx, const std::optional<std::string>& session_token,
                         const std::optional<std::string>& api_token) {
  if (session_token) {
    const std::string hash = security::token_hash(*session_token);
    const auto ended = db_.write([&](soci::session& sql) {
      const auto session = repo::find_session(sql, hash);
      repo::delete_session(sql, hash);
      record_activity(sql, ctx, "auth.logout", "user", ctx.user_id.value_or(""));
      return session ? std::vector{session->id} : std::vector<std::string>{};
    });
    sessions_.evict(SessionCache::key(SessionCache::Credential::session, hash));
    sessions_.end_sessions(ended, "logged_out");
    return;
  }
  if (api_token && ctx.authenticated()) {
    const std::string hash = security::token_hash(*api_token);
    const auto revoked = db_.write([&](soci::session& sql) -> std::optional<std::string> {
      const auto owner = repo::find_api_token_by_hash(sql, hash);
      if (!owner || owner->token.user_id != *ctx.user_id || owner->token.revoked_at) return std::nullopt;
      repo::revoke_api_token(sql, owner->token.id, ctx.now_ms());
      record_activity(sql, ctx, "api_token.revoked", "api_token", owner->token.id);
      return owner->token.id;
    });
    sessions_.evict(SessionCache::key(SessionCache::Credential::api_token, hash));
    if (revoked) sessions_.end_sessions({*revoked}, "token_revoked");
  }
}

int AuthService::logout_everywhere(const RequestContext& ctx) {
  if (!ctx.authenticated()) throw Error::unauthorized("Please log in.");
  const int ended = db_.write([&](soci::session& sql) {
    const int count = repo::delete_sessions_of_user(sql, *ctx.user_id);
    record_activity(sql, ctx, "auth.logout_everywhere", "user", *ctx.user_id,
                    "{\"sessions\":" + std::to_string(count) + "}");
    return count;
  });
  sessions_.end_user(*ctx.user_id, "logged_out_everywhere");
  return ended;
}

Me AuthService::me(const RequestContext& ctx) {
  if (!ctx.authenticated()) throw Error::unauthorized("Please log in.");
  auto found = db_.read([&](soci::session& sql) {
    return repo::find_user_with_school(sql, ctx.school_id, *ctx.user_id);
  });
  if (!found) throw Error::unauthorized("Please log in.");
  Me out{std::move(found->first), std::move(found->second)};
  with_plan_modules(out);
  return out;
}

void AuthService::with_plan_modules(Me& me) const {
  if (!me.school) return;
  db_.read([&](soci::session& sql) {
    me.ai_tutor = !plan_.refusal(sql, me.school->id, "ai_tutor", 1);
    me.video_rooms = !plan_.refusal(sql, me.school->id, "video_rooms", 1);
    me.read_only = plan_.read_only(sql, me.school->id);
  });
}

Me AuthService::update_profile(const RequestContext& ctx, const ProfileInput& input) {
  if (!ctx.authenticated()) throw Error::unauthorized("Please log in.");
  Validation v;
  if (input.display_name && json::trim(*input.display_name).empty()) v.fail("display_name", "Give a name.");
  if (input.locale && *input.locale != "fr" && *input.locale != "en") v.fail("locale", "Use fr or en.");
  const bool touches_student_profile = input.preferred_session_minutes || input.learning_preferences ||
                                       input.accessibility_needs;
  if (touches_student_profile && !ctx.roles.has(Role::student)) {
    v.fail("preferred_session_minutes", "Only students have a learning profile.");
  }
  if (input.accessibility_needs) {
    for (const auto& need : *input.accessibility_needs) {
      if (std::find(kAccessibilityNeeds.begin(), kAccessibilityNeeds.end(), need) ==
          kAccessibilityNeeds.end()) {
        v.fail("accessibility_needs", "Unknown need '" + need.substr(0, 40) + "'.");
        break;
      }
    }
  }
  v.throw_if_failed();
  db_.write([&](soci::session& sql) {
    auto user = repo::find_user(sql, ctx.school_id, *ctx.user_id);
    if (!user) throw Error::unauthorized("Please log in.");
    if (input.display_name) user->display_name = json::trim(*input.display_name);
    if (input.locale) user->locale = *input.locale;
    user->updated_at = ctx.now_ms();
    repo::update_user(sql, *user);
    if (touches_student_profile) {
      auto profile = repo::find_student_profile(sql, user->id).value_or(StudentProfile{});
      if (input.preferred_session_minutes) profile.preferred_session_minutes = *input.preferred_session_minutes;
      if (input.learning_preferences) profile.learning_preferences = json::trim(*input.learning_preferences);
      if (input.accessibility_needs) profile.accessibility_needs = *input.accessibility_needs;
      profile.updated_at = ctx.now_ms();
      repo::save_student_profile(sql, user->id, ctx.school(), profile);
    }
    record_activity(sql, ctx, "user.profile_updated", "user", user->id);
  });
  sessions_.evict_user(*ctx.user_id);  // the cached identity carries the locale
  return me(ctx);
}

std::optional<StudentProfile> AuthService::student_profile(const RequestContext& ctx) {
  if (!ctx.roles.has(Role::student)) return std::nullopt;
  return db_.read([&](soci::session& sql) {
    return repo::find_student_profile(sql, *ctx.user_id).value_or(StudentProfile{});
  });
}

void AuthService::set_avatar(const RequestContext& ctx, std::string_view content_type,
                             std::string_view bytes) {
  if (!ctx.authenticated()) throw Error::unauthorized("Please log in.");
  const std::string type(content_type.substr(0, content_type.find(';')));
  if (type != "image/png" && type != "image/jpeg" && type != "image/webp") {
    throw Error(ErrorCode::unsupported_media, "Send a PNG, JPEG or WebP picture.");
  }
  if (bytes.size() > kMaxAvatarBytes) {
    throw Error(ErrorCode::payload_too_large, "A picture may weigh at most 512 KiB.");
  }
  if (files::sniff_image_type(bytes) != type) {
    throw Error::invalid("file", "This file is not the " + type + " picture it claims to be.");
  }
  const std::string extension = type.substr(6);
  const std::string path = "avatars/" + *ctx.user_id + "." + extension;
  files_.put(path, bytes);  // written before the row points at it, so no row points nowhere
  const auto previous = db_.write([&](soci::session& sql) {
    auto user = repo::find_user(sql, ctx.school_id, *ctx.user_id);
    if (!user) throw Error::unauthorized("Please log in.");
    auto old = user->avatar_path;
    user->avatar_path = path;
    user->updated_at = ctx.now_ms();
    repo::update_user(sql, *user);
    record_activity(sql, ctx, "user.avatar_changed", "user", user->id);
    return old;
  });
  if (previous && *previous != path) files_.remove(*previous);
}

void AuthService::remove_avatar(const RequestContext& ctx) {
  if (!ctx.authenticated()) throw Error::unauthorized("Please log in.");
  const auto previous = db_.write([&](soci::session& sql) {
    auto user = repo::find_user(sql, ctx.school_id, *ctx.user_id);
    if (!user) throw Error::unauthorized("Please log in.");
    auto old = user->avatar_path;
    user->avatar_path.reset();
    user->updated_at = ctx.now_ms();
    repo::update_user(sql, *user);
    return old;
  });
  if (previous) files_.remove(*previous);
}

std::pair<std::string, std::string> AuthService::avatar(const RequestContext& ctx,
                                                        const std::string& user_id) {
  if (ctx.user_id != user_id) ctx.require(Permission::school_read);
  const auto user = db_.read([&](soci::session& sql) { return repo::find_user(sql, ctx.school_id, user_id); });
  if (!user || user->status == "deleted" || !user->avatar_path) throw Error::not_found("No picture.");
  auto bytes = files_.get(*user->avatar_path);
  if (!bytes) throw Error::not_found("No picture.");
  return {files::sniff_image_type(*bytes), std::move(*bytes)};
}

void AuthService::change_password(const RequestContext& ctx, const std::string& current_password,
                                  const std::string& new_password,
                                  const std::string& current_token) {
  if (!ctx.authenticated()) throw Error::unauthorized("Please log in.");
  const auto user = db_.read(
      [&](soci::session& sql) { return repo::find_user(sql, ctx.school_id, *ctx.user_id); });
  if (!user) throw Error::unauthorized("Please log in.");
  // A stolen session must not become a way to guess the password (and keep the account): the
  // same per-account limit as logging in, given back when the password was right.
  const std::string limit_key = "password-change/" + user->id;
  int retry_after = 0;
  if (!per_account_.allow(limit_key, clock_.now_ms(), &retry_after)) {
    throw Error(ErrorCode::too_many_requests,
                "Too many wrong passwords. Wait " + std::to_string(retry_after) +
                    " seconds before trying again.")
        .with_retry_after(retry_after);
  }
  if (!user->password_hash || !security::verify_password(current_password, *user->password_hash)) {
    throw Error::invalid("current_password", "The current password is wrong.");
  }
  per_account_.refund(limit_key);
  check_password_policy(new_password, user->email, "new_password");
  const std::string hash = security::hash_password(new_password);
  const auto ended = db_.write([&](soci::session& sql) {
    repo::set_password_hash(sql, user->id, hash, ctx.now_ms());
    // Other devices must log in again with the new password; this one stays signed in.
    const auto current = repo::find_session(sql, security::token_hash(current_token));
    const auto keep = current ? std::optional(current->id) : std::nullopt;
    auto others = repo::session_ids_of_user(sql, user->id, keep);
    repo::delete_sessions_of_user(sql, user->id, keep);
    record_activity(sql, ctx, "auth.password_changed", "user", user->id);
    return others;
  });
  sessions_.evict_user(user->id);
  sessions_.end_sessions(ended, "password_changed");
}

// A session stays cached for a minute, but a school that pays or is suspended must see it within
// the few seconds billing keeps its state: the read-only flag is asked again on every request.
http::Identity AuthService::with_read_only(http::Identity identity) const {
  if (!identity.school_id) return identity;
  const std::string& school = *identity.school_id;
  if (const auto known = plan_.known_read_only(school)) {
    identity.read_only = *known;
  } else {
    identity.read_only = db_.read([&](soci::session& sql) { return plan_.read_only(sql, school); });
  }
  return identity;
}

std::optional<http::Identity> AuthService::authenticate(const http::Request& request) {
  const std::int64_t now = clock_.now_ms();
  if (const auto bearer = request.bearer_token()) {
    if (bearer->empty() || bearer->size() > 100) return std::nullopt;
    const std::string hash = security::token_hash(*bearer);
    const std::string cache_key = SessionCache::key(SessionCache::Credential::api_token, hash);
    if (auto cached = sessions_.find(cache_key, now)) return with_read_only(std::move(*cached));
    bool read_only = false;
    auto found = db_.read([&](soci::session& sql) -> std::optional<std::pair<repo::TokenOwner, RoleSet>> {
      auto owner = repo::find_api_token_by_hash(sql, hash);
      if (!owner) return std::nullopt;
      if (owner->token.school_id) read_only = plan_.read_only(sql, *owner->token.school_id);
      return std::pair{*owner, repo::roles_of(sql, owner->token.user_id)};
    });
    if (!found) return std::nullopt;
    const auto& [owner, roles] = *found;
    if (owner.token.revoked_at || (owner.token.expires_at && *owner.token.expires_at <= now) ||
        owner.user_status != "active" || (owner.school_status && *owner.school_status != "active")) {
      return std::nullopt;
    }
    if (!owner.token.last_used_at || now - *owner.token.last_used_at > kTouchEveryMs) {
      db_.write([&](soci::session& sql) { repo::touch_api_token(sql, owner.token.id, now); });
    }
    http::Identity identity;
    identity.user_id = owner.token.user_id;
    identity.school_id = owner.token.school_id;
    identity.roles = roles;
    identity.locale = owner.locale;
    identity.via_cookie = false;  // no cookie, so no cross-site request to guard against
    identity.credential_id = owner.token.id;
    identity.read_only = read_only;
    sessions_.put(cache_key, identity, now, owner.token.expires_at.value_or(now + sessions_.ttl_ms()));
    return identity;
  }
  const auto token = request.cookie(http::kSessionCookie);
  if (!token || token->empty() || token->size() > 100) return std::nullopt;
  const std::string hash = security::token_hash(*token);
  const std::string cache_key = SessionCache::key(SessionCache::Credential::session, hash);
  if (auto cached = sessions_.find(cache_key, now)) return with_read_only(std::move(*cached));
  bool read_only = false;
  std::optional<repo::SessionLookup> batched;
  if (session_lookups_) {
    batched.emplace();
    batched->token_hash = hash;
    session_lookups_->run(*batched);
    if (!batched->session) return std::nullopt;
  }
  auto found = db_.read([&](soci::session& sql) -> std::optional<StoredSession> {
    auto session = batched ? std::move(batched->session) : repo::find_session(sql, hash);
    if (!session) return std::nullopt;
    if (session->school_id) read_only = plan_.read_only(sql, *session->school_id);
    return session;
  });
  if (!found) return std::nullopt;
  const StoredSession& session = *found;
  RoleSet roles;
  for (std::size_t start = 0; start < session.roles.size();) {
    const std::size_t comma = std::min(session.roles.find(',', start), session.roles.size());
    if (auto role = role_from_string(session.roles.substr(start, comma - start))) roles.add(*role);
    start = comma + 1;
  }
  if (session.expires_at <= now || session.user_status != "active" ||
      (session.school_status && *session.school_status != "active")) {
    return std::nullopt;
  }
  if (now - session.last_seen_at > kTouchEveryMs) {
    db_.write([&](soci::session& sql) { repo::touch_session(sql, session.id, now); });
  }
  http::Identity identity;
  identity.user_id = session.user_id;
  identity.school_id = session.school_id;
  identity.roles = roles;
  identity.locale = session.locale;
  identity.via_cookie = true;
  identity.csrf_token = session.csrf_token;
  identity.credential_id = session.id;
  identity.read_only = read_only;
  sessions_.put(cache_key, identity, now, session.expires_at);
  return identity;
}

std::vector<ApiToken> AuthService::api_tokens(const RequestContext& ctx) {
  if (!ctx.authenticated()) throw Error::unauthorized("Please log in.");
  return db_.read([&](soci::session& sql) { return repo::api_tokens_of(sql, *ctx.user_id); });
}

std::pair<ApiToken, std::string> AuthService::create_api_token(const RequestContext& ctx,
                                                               const std::string& name,
                                                               std::optional<int> expires_in_days) {
  if (!ctx.authenticated()) throw Error::unauthorized("Please log in.");
  const std::string label = json::trim(name);
  if (label.empty()) throw Error::invalid("name", "Name the token after what will use it.");
  const std::string raw = "mnm_" + security::random_token(32);
  ApiToken token;
  token.id = new_id();
  token.school_id = ctx.school_id;
  token.user_id = *ctx.user_id;
  token.name = label;
  token.prefix = raw.substr(0, 10);
  token.created_at = ctx.now_ms();
  if (expires_in_days) token.expires_at = token.created_at + *expires_in_days * kDayMs;
  db_.write([&](soci::session& sql) {
    if (repo::api_tokens_of(sql, token.user_id).size() >= kMaxApiTokens) {
      throw Error(ErrorCode::limit_reached,
                  "You already have " + std::to_string(kMaxApiTokens) +
                      " API tokens. Revoke one you no longer use first.");
    }
    repo::insert_api_token(sql, token, security::token_hash(raw));
    record_activity(sql, ctx, "api_token.created", "api_token", token.id);
  });
  return {token, raw};
}

void AuthService::revoke_api_token(const RequestContext& ctx, const std::string& id) {
  if (!ctx.authenticated()) throw Error::unauthorized("Please log in.");
  const std::string hash = db_.write([&](soci::session& sql) {
    const auto token = repo::find_api_token(sql, *ctx.user_id, id);
    if (!token || token->revoked_at) throw Error::not_found("No such API token.");
    repo::revoke_api_token(sql, id, ctx.now_ms());
    record_activity(sql, ctx, "api_token.revoked", "api_token", id);
    return repo::api_token_hash(sql, id);
  });
  sessions_.evict(SessionCache::key(SessionCache::Credential::api_token, hash));
  sessions_.end_sessions({id}, "token_revoked");
}

}  // namespace mnemos::users
