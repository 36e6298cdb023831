#include <mnemos/core/activity.hpp>
#include <mnemos/core/db.hpp>
#include <mnemos/core/ids.hpp>
#include <mnemos/core/json.hpp>
#include <mnemos/core/mail.hpp>
#include <mnemos/core/security.hpp>

#include "repository.hpp"
#include "services.hpp"

#include <spdlog/spdlog.h>

namespace mnemos::users {
namespace {

constexpr const char* kInvitation = "invitation";
constexpr const char* kPasswordReset = "password_reset";

std::string link(const Config& config, std::string_view page, const std::string& token) {
  std::string base = config.public_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + std::string(page) + "?token=" + token;
}

// The account's school as the login form wants it ("demo"), or "" for platform staff.
std::string school_line(const std::optional<School>& school, bool french) {
  if (!school) return "";
  return french ? "Établissement : " + school->name + " (identifiant « " + school->slug + " »)\n"
                : "School: " + school->name + " (identifier \"" + school->slug + "\")\n";
}

mail::Message invitation_mail(const User& user, const std::optional<School>& school,
                              const std::string& url) {
  const bool fr = user.locale == "fr";
  mail::Message m;
  m.to = user.email;
  const std::string school_name = school ? school->name : "Mnemos";
  if (fr) {
    m.subject = "Votre compte Mnemos — " + school_name;
    m.text = "Bonjour " + user.display_name + ",\n\nUn compte Mnemos vous attend. Choisissez votre " +
             "mot de passe avec ce lien, valable 7 jours :\n\n" + url + "\n\n" +
             school_line(school, true) + "Identifiant : " + user.email +
             "\n\nSi vous n'attendiez pas ce message, ignorez-le.\n";
  } else {
    m.subject = "Your Mnemos account — " + school_name;
    m.text = "Hello " + user.display_name + ",\n\nA Mnemos account is waiting for you. Choose your " +
             "password with this link, valid for 7 days:\n\n" + url + "\n\n" +
             school_line(school, false) + "Login: " + user.email +
             "\n\nIf you did not expect this message, ignore it.\n";
  }
  return m;
}

mail::Message reset_mail(const User& user, const std::optional<School>& school,
                         const std::string& url) {
  const bool fr = user.locale == "fr";
  mail::Message m;
  m.to = user.email;
  if (fr) {
    m.subject = "Réinitialiser votre mot de passe Mnemos";
    m.text = "Bonjour " + user.display_name + ",\n\nPour choisir un nouveau mot de passe, suivez ce " +
             "lien, valable une heure :\n\n" + url + "\n\n" + school_line(school, true) +
             "\nSi vous n'avez rien demandé, ignorez ce message : votre mot de passe ne change pas.\n";
  } else {
    m.subject = "Reset your Mnemos password";
    m.text = "Hello " + user.display_name + ",\n\nTo choose a new password, follow this link, " +
             "valid for one hour:\n\n" + url + "\n\n" + school_line(school, false) +
             "\nIf you did not ask for this, ignore this message: your password stays the same.\n";
  }
  return m;
}

const char* const kBadLink =
    "This link is not valid: it may have expired or been used already. Ask for a new one.";

}  // namespace

struct AccountService::Redeemable {
  repo::AccountToken token;
  User user;
  std::optional<School> school;

  static Redeemable find(soci::session& sql, const std::string& raw_token, const char* kind,
                         std::int64_t now) {
    if (raw_token.empty() || raw_token.size() > 100) throw Error::invalid("token", kBadLink);
    auto token = repo::find_account_token(sql, security::token_hash(raw_token));
    if (!token || token->kind != kind || token->used_at || token->expires_at <= now) {
      throw Error::invalid("token", kBadLink);
    }
    auto user = repo::find_user(sql, token->school_id, token->user_id);
    if (!user || user->status == "disabled") throw Error::invalid("token", kBadLink);
    std::optional<School> school;
    if (user->school_id) {
      school = repo::find_school(sql, *user->school_id);
      if (!school || school->status != "active") throw Error::invalid("token", kBadLink);
    }
    return {*token, *user, school};
  }
};

void AccountService::invite_in(soci::session& sql, const RequestContext& ctx, const User& user) {
  const std::int64_t now = ctx.now_ms();
  repo::revoke_account_tokens(sql, user.id, kInvitation, now);
  const std::string token = security::random_token(32);
  repo::insert_account_token(sql, {new_id(), user.school_id, user.id, kInvitation,
                                   security::token_hash(token), ctx.user_id, now,
                                   now + kInvitationLifetimeMs, std::nullopt});
  const auto school = user.school_id ? repo::find_school(sql, *user.school_id) : std::nullopt;
  mail::enqueue(sql, clock_, invitation_mail(user, school, link(config_, "/accept-invitation", token)),
                user.school_id);
  record_activity(sql, ctx, "user.invited", "user", user.id);
}

void AccountService::resend_invitation(const RequestContext& ctx, const std::string& user_id) {
  ctx.require(Permission::users_manage);
  db_.write([&](soci::session& sql) {
    auto user = repo::find_user(sql, ctx.school(), user_id);
    if (!user) throw Error::not_found("No such user in this school.");
    if (user->status != "invited") {
      throw Error::conflict("This account is already active: there is nothing to accept.");
    }
    invite_in(sql, ctx, *user);
  });
}

InvitationView AccountService::inspect_invitation(const std::string& token) {
  return db_.read([&](soci::session& sql) {
    const auto found = Redeemable::find(sql, token, kInvitation, clock_.now_ms());
    return InvitationView{found.user.email, found.user.display_name,
                          found.school ? found.school->name : "",
                          found.school ? found.school->slug : ""};
  });
}

void AccountService::accept_invitation(const RequestContext& ctx, const std::string& token,
                                       const std::string& password) {
  const auto email = db_.read([&](soci::session& sql) {
    return Redeemable::find(sql, token, kInvitation, clock_.now_ms()).user.email;
  });
  check_password_policy(password, email, "password");
  const std::string hash = security::hash_password(password);  // slow: outside the transaction
  db_.write([&](soci::session& sql) {
    const std::int64_t now = clock_.now_ms();
    auto found = Redeemable::find(sql, token, kInvitation, now);
    if (!repo::use_account_token(sql, found.token.id, now)) throw Error::invalid("token", kBadLink);
    repo::set_password_hash(sql, found.user.id, hash, now);
    found.user.status = "active";
    found.user.updated_at = now;
    repo::update_user(sql, found.user);
    RequestContext actor = ctx;
    actor.user_id = found.user.id;
    actor.school_id = found.user.school_id;
    record_activity(sql, actor, "user.invitation_accepted", "user", found.user.id);
  });
}

void AccountService::request_password_reset(const RequestContext& ctx,
                                            const std::optional<std::string>& school,
                                            const std::string& raw_email) {
  const std::string email = json::lowercase_ascii(json::trim(raw_email));
  const std::string slug = json::lowercase_ascii(school.value_or(""));
  const std::int64_t now = clock_.now_ms();
  int retry_after = 0;
  if (!reset_per_address_.allow("ip:" + ctx.client_ip, now, &retry_after) ||
      !reset_per_account_.allow(slug + "/" + email, now, &retry_after)) {
    throw Error(ErrorCode::too_many_requests,
                "Too many reset requests. Wait " + std::to_string(retry_after) +
                    " seconds before asking again.")
        .with_retry_after(retry_after);
  }
  db_.write([&](soci::session& sql) {
    std::optional<School> found_school;
    if (!slug.empty()) {
      found_school = repo::find_school_by_slug(sql, slug);
      if (!found_school || found_school->status != "active") return;
    }
    auto user = repo::find_user_by_email(
        sql, found_school ? std::optional(found_school->id) : std::nullopt, email);
    // Invited accounts have no password to reset: their invitation is the way in.
    if (!user || user->status != "active") return;
    repo::revoke_account_tokens(sql, user->id, kPasswordReset, now);
    const std::string token = security::random_token(32);
    repo::insert_account_token(sql, {new_id(), user->school_id, user->id, kPasswordReset,
                                     security::token_hash(token), std::nullopt, now,
                                     now + kResetLifetimeMs, std::nullopt});
    mail::enqueue(sql, clock_, reset_mail(*user, found_school, link(config_, "/reset-password", token)),
                  user->school_id);
    RequestContext actor = ctx;
    actor.school_id = user->school_id;
    record_activity(sql, actor, "auth.password_reset_requested", "user", user->id);
  });
}

void AccountService::reset_password(const RequestContext& ctx, const std::string& token,
                                    const std::string& password) {
  const auto email = db_.read([&](soci::session& sql) {
    return Redeemable::find(sql, token, kPasswordReset, clock_.now_ms()).user.email;
  });
  check_password_policy(password, email, "password");
  const std::string hash = security::hash_password(password);
  const std::string user_id = db_.write([&](soci::session& sql) {
    const std::int64_t now = clock_.now_ms();
    auto found = Redeemable::find(sql, token, kPasswordReset, now);
    if (!repo::use_account_token(sql, found.token.id, now)) throw Error::invalid("token", kBadLink);
    repo::set_password_hash(sql, found.user.id, hash, now);
    repo::delete_sessions_of_user(sql, found.user.id);
    RequestContext actor = ctx;
    actor.user_id = found.user.id;
    actor.school_id = found.user.school_id;
    record_activity(sql, actor, "auth.password_reset", "user", found.user.id);
    return found.user.id;
  });
  sessions_.end_user(user_id, "password_reset");
}

}  // namespace mnemos::users
