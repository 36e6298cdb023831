#include <mnemos/core/messages.hpp>
#include <mnemos/core/ids.hpp>
#include <mnemos/http/json.hpp>

#include "routes.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

namespace mnemos::users {
namespace {

using boost::json::array;
using boost::json::object;
using http::Request;
using http::Response;
using http::RouteOptions;

object to_json(const School& s) {
  return {{"id", s.id},         {"name", s.name},
          {"slug", s.slug},     {"timezone", s.timezone},
          {"default_locale", s.default_locale},
          {"status", s.status}, {"created_at", s.created_at}};
}

object to_json(const User& u) {
  array roles;
  for (Role role : u.roles.list()) roles.emplace_back(to_string(role));
  object out{{"id", u.id},
             {"email", u.email},
             {"display_name", u.display_name},
             {"locale", u.locale},
             {"status", u.status},
             {"roles", std::move(roles)},
             {"has_avatar", u.avatar_path.has_value()},
             {"created_at", u.created_at}};
  out["school_id"] = u.school_id ? boost::json::value(*u.school_id) : boost::json::value(nullptr);
  return out;
}

object to_json(const Me& me) {
  object out{{"user", to_json(me.user)}};
  out["school"] = me.school ? boost::json::value(to_json(*me.school)) : boost::json::value(nullptr);
  out["modules"] = object{{"ai_tutor", me.ai_tutor}, {"video_rooms", me.video_rooms}};
  out["read_only"] = me.read_only;
  return out;
}

object to_json(const Subject& s) {
  return {{"id", s.id}, {"name", s.name}, {"created_at", s.created_at}};
}

object to_json(const SchoolClass& c) {
  object out{{"id", c.id},
             {"name", c.name},
             {"level", c.level},
             {"school_year", c.school_year},
             {"teacher_count", c.teacher_count},
             {"student_count", c.student_count},
             {"created_at", c.created_at}};
  return out;
}

object class_with_members(const SchoolClass& c) {
  object out = to_json(c);
  array teachers, students;
  for (const auto& m : c.members) {
    object member{{"id", m.user_id}, {"display_name", m.display_name}, {"email", m.email}};
    (m.role == "teacher" ? teachers : students).push_back(std::move(member));
  }
  out["teachers"] = std::move(teachers);
  out["students"] = std::move(students);
  return out;
}

object profile_json(const Me& me, const std::optional<StudentProfile>& student) {
  object out{{"display_name", me.user.display_name}, {"locale", me.user.locale}, {"email", me.user.email}};
  if (student) {
    array needs;
    for (const auto& need : student->accessibility_needs) needs.emplace_back(need);
    out["student"] = object{{"preferred_session_minutes", student->preferred_session_minutes},
                            {"learning_preferences", student->learning_preferences},
                            {"accessibility_needs", std::move(needs)}};
  } else {
    out["student"] = nullptr;
  }
  return out;
}

object to_json(const ApiToken& t) {
  object out{{"id", t.id}, {"name", t.name}, {"prefix", t.prefix}, {"created_at", t.created_at}};
  out["expires_at"] = t.expires_at ? boost::json::value(*t.expires_at) : boost::json::value(nullptr);
  out["last_used_at"] = t.last_used_at ? boost::json::value(*t.last_used_at) : boost::json::value(nullptr);
  return out;
}

object to_json(const ActivityEntryView& a) {
  return {{"id", a.id},           {"action", a.action},         {"target_type", a.target_type},
          {"target_id", a.target_id}, {"target_name", a.target_name},
          {"request_id", a.request_id}, {"actor_id", a.actor_id},
          {"actor_name", a.actor_name}, {"at", a.at}};
}

template <typename T>
Response list_json(const std::vector<T>& list) {
  array items;
  for (const auto& item : list) items.push_back(to_json(item));
  return http::json(200, object{{"items", std::move(items)}});
}

template <typename T>
Response page_json(const PageOf<T>& page) {
  array items;
  for (const auto& item : page.items) items.push_back(to_json(item));
  object out{{"items", std::move(items)}};
  out["next_cursor"] =
      page.next_cursor ? boost::json::value(*page.next_cursor) : boost::json::value(nullptr);
  return http::json(200, out);
}

Page page_of(const Request& req) {
  auto params = http::page_params(req);
  return Page{std::move(params.cursor), params.limit};
}

std::string session_cookie(const std::string& token, std::int64_t max_age_s, bool secure) {
  return std::string(http::kSessionCookie) + "=" + token +
         "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" + std::to_string(max_age_s) +
         (secure ? "; Secure" : "");
}

SchoolInput school_input(json::Fields& f) {
  SchoolInput in;
  in.name = f.optional_string("name", 120);
  in.slug = f.optional_string("slug", 40);
  in.timezone = f.optional_string("timezone", 64);
  in.default_locale = f.optional_string("default_locale", 5);
  in.status = f.optional_string("status", 20);
  f.done();
  return in;
}

UserInput user_input(json::Fields& f) {
  UserInput in;
  in.email = f.optional_string("email", 254);
  in.display_name = f.optional_string("display_name", 120);
  in.locale = f.optional_string("locale", 5);
  in.status = f.optional_string("status", 20);
  in.roles = f.optional_string_list("roles", 5, 20);
  f.done();
  return in;
}

// The body of the pages behind emailed links: {"token", "password"}.
std::pair<std::string, std::string> token_and_password(const Request& req) {
  const auto body = http::body_json(req);
  json::Fields f(body);
  auto token = f.required_string("token", 100);
  auto password = f.required_string("password", 256);
  f.done();
  return {std::move(token), std::move(password)};
}

ClassInput class_input(json::Fields& f) {
  ClassInput in;
  in.name = f.optional_string("name", 80);
  in.level = f.optional_string("level", 40);
  in.school_year = f.optional_string("school_year", 9);
  f.done();
  return in;
}

}  // namespace

void register_routes(http::Router& router, Services& s, const Config& config) {
  const bool secure = config.secure_cookies;

  router.post("/api/v1/auth/login",
              {.auth = false, .body_limit = 4096, .csrf = false, .hashes_password = true},
              [&s, secure](const Request& req, RequestContext& ctx) {
                const auto body = http::body_json(req);
                json::Fields f(body);
                LoginInput in;
                in.school_slug = f.optional_string("school", 40);
                in.email = f.required_string("email", 254);
                in.password = f.required_string("password", 256);
                f.done();
                in.user_agent = std::string(req.header("user-agent").value_or(""));
                const auto result = s.auth.login(ctx, in);
                object out = to_json(result.me);
                out["csrf_token"] = result.csrf_token;
                out["expires_at"] = result.expires_at;
                Response response = http::json(200, out);
                response.set_header("set-cookie",
                                    session_cookie(result.session_token,
                                                   (result.expires_at - ctx.now_ms()) / 1000, secure));
                return response;
              });

  router.post("/api/v1/auth/logout", {.while_read_only = true},
              [&s, secure](const Request& req, RequestContext& ctx) {
                const auto cookie = req.cookie(http::kSessionCookie);
                s.auth.logout(ctx, cookie, cookie ? std::optional<std::string>() : req.bearer_token());
                Response response = Response::no_content();
                response.set_header("set-cookie", session_cookie("", 0, secure));
                return response;
              });

  router.post("/api/v1/auth/logout-everywhere", {.while_read_only = true},
              [&s, secure](const Request&, RequestContext& ctx) {
                const int ended = s.auth.logout_everywhere(ctx);
                Response response = http::json(200, object{{"sessions_ended", ended}});
                response.set_header("set-cookie", session_cookie("", 0, secure));
                return response;
              });

  router.post("/api/v1/auth/password", {.body_limit = 4096, .hashes_password = true},
              [&s](const Request& req, RequestContext& ctx) {
                const auto body = http::body_json(req);
                json::Fields f(body);
                const auto current = f.required_string("current_password", 256);
                const auto next = f.required_string("new_password", 256);
                f.done();
                s.auth.change_password(ctx, current, next,
                                       req.cookie(http::kSessionCookie).value_or(""));
                return Response::no_content();
              });

  router.post("/api/v1/auth/invitation", {.auth = false, .body_limit = 4096, .csrf = false},
              [&s](const Request& req, RequestContext&) {
                const auto body = http::body_json(req);
                json::Fields f(body);
                const auto token = f.required_string("token", 100);
                f.done();
                const auto view = s.accounts.inspect_invitation(token);
                return http::json(200, object{{"email", view.email},
                                              {"display_name", view.display_name},
                                              {"school_name", view.school_name},
                                              {"school", view.school_slug}});
              });
  router.post("/api/v1/auth/invitation/accept",
              {.auth = false, .body_limit = 4096, .csrf = false, .hashes_password = true},
              [&s](const Request& req, RequestContext& ctx) {
                const auto [token, password] = token_and_password(req);
                s.accounts.accept_invitation(ctx, token, password);
                return Response::no_content();
              });
  router.post("/api/v1/auth/password-reset", {.auth = false, .body_limit = 4096, .csrf = false},
              [&s](const Request& req, RequestContext& ctx) {
                const auto body = http::body_json(req);
                json::Fields f(body);
                const auto school = f.optional_string("school", 40);
                const auto email = f.required_string("email", 254);
                f.done();
                s.accounts.request_password_reset(ctx, school, email);
                return Response::json(202, R"({"status":"sent_if_the_account_exists"})");
              });
  router.post("/api/v1/auth/password-reset/confirm",
              {.auth = false, .body_limit = 4096, .csrf = false, .hashes_password = true},
              [&s](const Request& req, RequestContext& ctx) {
                const auto [token, password] = token_and_password(req);
                s.accounts.reset_password(ctx, token, password);
                return Response::no_content();
              });

  router.get("/api/v1/me", {}, [&s](const Request&, RequestContext& ctx) {
    object out = to_json(s.auth.me(ctx));
    if (!ctx.csrf_token.empty()) out["csrf_token"] = ctx.csrf_token;
    return http::json(200, out);
  });
  router.get("/api/v1/me/api-tokens", {}, [&s](const Request&, RequestContext& ctx) {
    return list_json(s.auth.api_tokens(ctx));
  });
  router.post("/api/v1/me/api-tokens", {.body_limit = 4096},
              [&s](const Request& req, RequestContext& ctx) {
                const auto body = http::body_json(req);
                json::Fields f(body);
                const auto name = f.required_string("name", 80);
                const auto days = f.optional_int("expires_in_days", 1, 730);
                f.done();
                const auto [token, raw] = s.auth.create_api_token(
                    ctx, name, days ? std::optional<int>(static_cast<int>(*days)) : std::nullopt);
                object out = to_json(token);
                out["token"] = raw;
                return http::json(201, out);
              });
  router.del("/api/v1/me/api-tokens/{id}", {}, [&s](const Request& req, RequestContext& ctx) {
    s.auth.revoke_api_token(ctx, http::uuid_param(req, "API token"));
    return Response::no_content();
  });
  router.put("/api/v1/me/avatar", {.body_limit = AuthService::kMaxAvatarBytes},
             [&s](const Request& req, RequestContext& ctx) {
               s.auth.set_avatar(ctx, req.header("content-type").value_or(""), req.body);
               return Response::no_content();
             });
  router.del("/api/v1/me/avatar", {}, [&s](const Request&, RequestContext& ctx) {
    s.auth.remove_avatar(ctx);
    return Response::no_content();
  });
  router.get("/api/v1/users/{id}/avatar", {}, [&s](const Request& req, RequestContext& ctx) {
    auto [type, bytes] = s.auth.avatar(ctx, http::uuid_param(req, "user"));
    return Response::text(200, std::move(bytes), type);
  });
  router.get("/api/v1/me/export", {}, [&s](const Request&, RequestContext& ctx) {
    Response response = Response::json(200, s.privacy.export_own(ctx));
    response.set_header("content-disposition", "attachment; filename=\"mnemos-personal-data.json\"");
    return response;
  });
  router.get("/api/v1/me/profile", {}, [&s](const Request&, RequestContext& ctx) {
    return http::json(200, profile_json(s.auth.me(ctx), s.auth.student_profile(ctx)));
  });
  router.patch("/api/v1/me/profile", {.body_limit = 16384},
               [&s](const Request& req, RequestContext& ctx) {
                 const auto body = http::body_json(req);
                 json::Fields f(body);
                 ProfileInput in;
                 in.display_name = f.optional_string("display_name", 120);
                 in.locale = f.optional_string("locale", 5);
                 if (auto minutes = f.optional_int("preferred_session_minutes", 5, 120)) {
                   in.preferred_session_minutes = static_cast<int>(*minutes);
                 }
                 in.learning_preferences = f.optional_string("learning_preferences", 2000);
                 in.accessibility_needs = f.optional_string_list("accessibility_needs", 10, 40);
                 f.done();
                 const auto me = s.auth.update_profile(ctx, in);
                 return http::json(200, profile_json(me, s.auth.student_profile(ctx)));
               });

  router.get("/api/v1/schools", {.permission = Permission::platform_schools_manage},
             [&s](const Request& req, RequestContext& ctx) {
               return page_json(s.schools.list(ctx, page_of(req)));
             });
  router.post("/api/v1/schools", {.permission = Permission::platform_schools_manage},
              [&s](const Request& req, RequestContext& ctx) {
                const auto body = http::body_json(req);
                json::Fields f(body);
                return http::json(201, to_json(s.schools.create(ctx, school_input(f))));
              });
  router.get("/api/v1/schools/{id}/admins", {.permission = Permission::platform_schools_manage},
             [&s](const Request& req, RequestContext& ctx) {
               return list_json(s.users.school_admins(ctx, http::uuid_param(req, "school")));
             });
  router.post("/api/v1/schools/{id}/admins", {.permission = Permission::platform_schools_manage},
              [&s](const Request& req, RequestContext& ctx) {
                const auto body = http::body_json(req);
                json::Fields f(body);
                const auto input = user_input(f);
                return http::json(201, to_json(s.users.invite_school_admin(ctx, http::uuid_param(req, "school"), input)));
              });
  router.get("/api/v1/schools/{id}", {}, [&s](const Request& req, RequestContext& ctx) {
    return http::json(200, to_json(s.schools.get(ctx, http::uuid_param(req, "school"))));
  });
  router.patch("/api/v1/schools/{id}", {}, [&s](const Request& req, RequestContext& ctx) {
    const auto& id = http::uuid_param(req, "school");
    const auto body = http::body_json(req);
    json::Fields f(body);
    return http::json(200, to_json(s.schools.update(ctx, id, school_input(f))));
  });

  router.get("/api/v1/users", {.permission = Permission::users_read},
             [&s](const Request& req, RequestContext& ctx) {
               UserFilter filter;
               Validation v;
               if (auto q = req.query_param("q")) {
                 if (q->size() > 100 || !json::is_valid_utf8(*q)) {
                   v.fail("q", "Search for at most 100 characters of text.");
                 } else if (!json::trim(*q).empty()) {
                   filter.query = json::trim(*q);
                 }
               }
               if (auto role = req.query_param("role"); role && !role->empty()) {
                 filter.role = role_from_string(*role);
                 if (!filter.role) v.fail("role", "Unknown role.");
               }
               v.throw_if_failed();
               return page_json(s.users.list(ctx, filter, page_of(req)));
             });
  router.post("/api/v1/users", {.permission = Permission::users_manage, .hashes_password = true},
              [&s](const Request& req, RequestContext& ctx) {
                const auto body = http::body_json(req);
                json::Fields f(body);
                return http::json(201, to_json(s.users.create(ctx, user_input(f))));
              });
  router.get("/api/v1/users/{id}", {}, [&s](const Request& req, RequestContext& ctx) {
    return http::json(200, to_json(s.users.get(ctx, http::uuid_param(req, "user"))));
  });
  router.post("/api/v1/users/import", {.permission = Permission::users_manage},
              [&s](const Request& req, RequestContext& ctx) {
                const auto type = req.header("content-type").value_or("");
                if (type.substr(0, 8) != "text/csv" && type.substr(0, 10) != "text/plain") {
                  throw Error(ErrorCode::unsupported_media,
                              "Send the file as CSV (Content-Type: text/csv).");
                }
                const auto dry = req.query_param("dry_run");
                if (dry && *dry != "true" && *dry != "false") {
                  throw Error::invalid("dry_run", "Use true or false.");
                }
                const auto report = s.imports.import_users(ctx, req.body, dry == "true");
                array rows;
                for (const auto& r : report.rows) {
                  object row{{"line", r.line},     {"email", r.email},   {"display_name", r.display_name},
                             {"role", r.role},     {"class", r.class_name}, {"status", r.status}};
                  if (!r.reason.empty()) row["reason"] = messages::translate(ctx.locale, r.reason);
                  if (r.user_id) row["user_id"] = *r.user_id;
                  rows.push_back(std::move(row));
                }
                return http::json(report.dry_run ? 200 : 201,
                                  object{{"dry_run", report.dry_run},
                                         {"created", report.created},
                                         {"rejected", report.rejected},
                                         {"rows", std::move(rows)}});
              });
  router.del("/api/v1/users/{id}", {.permission = Permission::users_manage},
             [&s](const Request& req, RequestContext& ctx) {
               s.privacy.delete_user(ctx, http::uuid_param(req, "user"));
               return Response::no_content();
             });
  router.post("/api/v1/users/{id}/invitation", {.permission = Permission::users_manage},
              [&s](const Request& req, RequestContext& ctx) {
                s.accounts.resend_invitation(ctx, http::uuid_param(req, "user"));
                return Response::json(202, R"({"status":"sent"})");
              });

  router.get("/api/v1/activity", {.permission = Permission::activity_read},
             [&s](const Request& req, RequestContext& ctx) {
               return page_json(s.privacy.activity(ctx, page_of(req)));
             });

  router.get("/api/v1/subjects", {.permission = Permission::school_read},
             [&s](const Request&, RequestContext& ctx) { return list_json(s.subjects.list(ctx)); });
  router.post("/api/v1/subjects", {.permission = Permission::subjects_manage},
              [&s](const Request& req, RequestContext& ctx) {
                const auto body = http::body_json(req);
                json::Fields f(body);
                const auto name = f.required_string("name", 80);
                f.done();
                return http::json(201, to_json(s.subjects.create(ctx, name)));
              });
  router.patch("/api/v1/subjects/{id}", {.permission = Permission::subjects_manage},
               [&s](const Request& req, RequestContext& ctx) {
                 const auto& id = http::uuid_param(req, "subject");
                 const auto body = http::body_json(req);
                 json::Fields f(body);
                 const auto name = f.required_string("name", 80);
                 f.done();
                 return http::json(200, to_json(s.subjects.rename(ctx, id, name)));
               });
  router.del("/api/v1/subjects/{id}", {.permission = Permission::subjects_manage},
             [&s](const Request& req, RequestContext& ctx) {
               s.subjects.remove(ctx, http::uuid_param(req, "subject"));
               return Response::no_content();
             });

  router.get("/api/v1/classes", {.permission = Permission::school_read},
             [&s](const Request&, RequestContext& ctx) { return list_json(s.classes.list(ctx)); });
  router.post("/api/v1/classes", {.permission = Permission::classes_manage},
              [&s](const Request& req, RequestContext& ctx) {
                const auto body = http::body_json(req);
                json::Fields f(body);
                return http::json(201, class_with_members(s.classes.create(ctx, class_input(f))));
              });
  router.get("/api/v1/classes/{id}", {.permission = Permission::school_read},
             [&s](const Request& req, RequestContext& ctx) {
               return http::json(200, class_with_members(s.classes.get(ctx, http::uuid_param(req, "class"))));
             });
  router.patch("/api/v1/classes/{id}", {.permission = Permission::classes_manage},
               [&s](const Request& req, RequestContext& ctx) {
                 const auto& id = http::uuid_param(req, "class");
                 const auto body = http::body_json(req);
                 json::Fields f(body);
                 return http::json(200, class_with_members(s.classes.update(ctx, id, class_input(f))));
               });
  router.del("/api/v1/classes/{id}", {.permission = Permission::classes_manage},
             [&s](const Request& req, RequestContext& ctx) {
               s.classes.remove(ctx, http::uuid_param(req, "class"));
               return Response::no_content();
             });
  router.put("/api/v1/classes/{id}/members", {.permission = Permission::classes_manage},
             [&s](const Request& req, RequestContext& ctx) {
               const auto& id = http::uuid_param(req, "class");
               const auto body = http::body_json(req);
               json::Fields f(body);
               const auto teachers = f.optional_string_list("teacher_ids", 50, 40);
               const auto students = f.optional_string_list("student_ids", 500, 40);
               if (!f.has("teacher_ids")) f.validation().fail("teacher_ids", "Give the list of teachers (it may be empty).");
               if (!f.has("student_ids")) f.validation().fail("student_ids", "Give the list of students (it may be empty).");
               f.done();
               return http::json(200, class_with_members(s.classes.set_members(
                                          ctx, id, teachers.value_or(std::vector<std::string>{}),
                                          students.value_or(std::vector<std::string>{}))));
             });

  router.patch("/api/v1/users/{id}", {.permission = Permission::users_manage},
               [&s](const Request& req, RequestContext& ctx) {
                 const auto& id = http::uuid_param(req, "user");
                 const auto body = http::body_json(req);
                 json::Fields f(body);
                 return http::json(200, to_json(s.users.update(ctx, id, user_input(f))));
               });
}

}  // namespace mnemos::users
