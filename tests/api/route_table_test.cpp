// Tests driven by the route table, so a new route is covered the day it is added:
// tenant isolation, roles, and the OpenAPI document.
#include "../support/anki_package.hpp"
#include "../support/api_test.hpp"

#include <mnemos/core/db.hpp>
#include <mnemos/core/jobs.hpp>
#include <mnemos/core/json.hpp>
#include <mnemos/http/router.hpp>

#include <boost/json/object.hpp>

#include <chrono>
#include <map>

namespace mnemos::testing {
namespace {

class RouteTable : public ApiTest {
 protected:
  // The table writes a message for every conversation route it visits, faster than a person may.
  static void SetUpTestSuite() {
    app_ = new TestApp([](Config& config) { config.chat_messages_per_minute = 0; });
  }
};

struct Actor {
  std::string school, email;
  std::optional<Role> role;  // nullopt: anonymous
};

const std::vector<Actor>& actors() {
  static const std::vector<Actor> list{
      {"", "", std::nullopt},
      {"", "platform@mnemos.test", Role::platform_admin},
      {"demo", "admin@demo.test", Role::school_admin},
      {"demo", "teacher@demo.test", Role::teacher},
      {"demo", "student@demo.test", Role::student},
      {"demo", "support@demo.test", Role::support},
  };
  return list;
}

// The first item of a school's list (subjects, classes), looked up as that school's admin.
std::string named_id(const std::string& list, const std::string& slug) {
  HttpClient& admin = ApiTest::signed_in(slug, "admin@" + slug + ".test");
  const auto items = admin.get(list).json().at("items").as_array();
  if (items.empty()) {
    ADD_FAILURE() << list << " of " << slug << " is empty";
    return "";
  }
  return std::string(items.front().at("id").as_string());
}

struct LearningResources {
  std::string path, step, item, session;
};

// A fresh learning path of the school's teacher, assigned to its student, with one step, one card
// and the student's revision session on it.
LearningResources learning_resources(const std::string& slug) {
  HttpClient& teacher = ApiTest::signed_in(slug, "teacher@" + slug + ".test");
  LearningResources r;
  const std::string student = ApiTest::signed_in(slug, "student@" + slug + ".test").get("/api/v1/me").json().at("user").at("id").as_string().c_str();
  const auto created = teacher.post(
      "/api/v1/learning-paths",
      R"({"title":"Route table","subject_id":")" + named_id("/api/v1/subjects", slug) + R"(","student_ids":[")" + student +
          R"("],"steps":[{"title":"Cards","kind":"cards","items":[{"kind":"flashcard","content":{"front":"f","back":"b"}}]}]})");
  r.path = json_string(created.json(), "id");
  const auto detail = teacher.get("/api/v1/learning-paths/" + r.path).json();
  r.step = std::string(detail.at("steps").at(0).at("id").as_string());
  const auto items = teacher.get("/api/v1/steps/" + r.step + "/items").json();
  r.item = std::string(items.at("items").at(0).at("id").as_string());
  HttpClient& learner = ApiTest::signed_in(slug, "student@" + slug + ".test");
  r.session = json_string(learner.post("/api/v1/revision-sessions", R"({"step_id":")" + r.step + R"("})").json(), "id");
  return r;
}

// The conversation of the school's admin with its teacher, and a message `author` (admin or
// teacher) wrote in it.
std::pair<std::string, std::string> admin_teacher_message(const std::string& slug, const std::string& author) {
  HttpClient& admin = ApiTest::signed_in(slug, "admin@" + slug + ".test");
  HttpClient& teacher = ApiTest::signed_in(slug, "teacher@" + slug + ".test");
  const std::string teacher_id =
      std::string(teacher.get("/api/v1/me").json().at("user").at("id").as_string());
  const std::string conversation =
      json_string(admin.post("/api/v1/conversations", R"({"participant_ids":[")" + teacher_id + R"("]})").json(), "id");
  HttpClient& writer = author == "admin" ? admin : teacher;
  const std::string message = json_string(
      writer.post("/api/v1/conversations/" + conversation + "/messages", R"({"text":"route table"})").json(), "id");
  return {conversation, message};
}

// An appointment the school's student proposed to their teacher two days ahead (taken by the
// teacher when `accepted`, so that it has a video room).
boost::json::value demo_appointment(const std::string& slug, bool accepted) {
  static int made = 0;
  HttpClient& student = ApiTest::signed_in(slug, "student@" + slug + ".test");
  HttpClient& teacher = ApiTest::signed_in(slug, "teacher@" + slug + ".test");
  const std::string teacher_id =
      std::string(teacher.get("/api/v1/me").json().at("user").at("id").as_string());
  const auto starts = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch()).count() +
                      2 * 86400000LL + (made++) * 3600000LL;
  const auto proposed = student.post("/api/v1/appointments", R"({"teacher_id":")" + teacher_id +
                                                                  R"(","slots":[{"starts_at":)" + std::to_string(starts) +
                                                                  R"(,"ends_at":)" + std::to_string(starts + 1800000) + "}]}");
  if (!accepted) return proposed.json();
  return teacher.post("/api/v1/appointments/" + json_string(proposed.json(), "id") + "/accept", R"({"slot":0})").json();
}

// Students own their sessions, their view of a path and their appointments; teachers their paths' content.
bool student_owned(const std::string& pattern) {
  return pattern.starts_with("/api/v1/revision-sessions/") || pattern.starts_with("/api/v1/me/learning-paths/") ||
         pattern.starts_with("/api/v1/appointments/") || pattern.starts_with("/api/v1/rooms/");
}

// A resource of school `slug` for every kind of id a route takes. A route whose pattern is not
// listed here fails the test: extend the table when adding a route.
std::string resource_for(const std::string& pattern, const std::string& slug,
                         const std::function<std::string(const std::string&)>& school_id,
                         const std::function<std::string(const std::string&, const std::string&)>& user_id) {
  if (pattern.starts_with("/api/v1/schools/{id}")) return school_id(slug);
  if (pattern.starts_with("/api/v1/users/{id}")) return user_id(slug, "student30@" + slug + ".test");
  if (pattern.starts_with("/api/v1/subjects/{id}")) return named_id("/api/v1/subjects", slug);
  if (pattern.starts_with("/api/v1/classes/{id}")) return named_id("/api/v1/classes", slug);
  if (pattern.starts_with("/api/v1/me/api-tokens/{id}")) {
    HttpClient& admin = ApiTest::signed_in(slug, "admin@" + slug + ".test");
    return json_string(admin.post("/api/v1/me/api-tokens", R"({"name":"route table"})").json(), "id");
  }
  if (pattern.starts_with("/api/v1/jobs/{id}")) {
    // A job of the school, as a module would queue it (the test app runs no worker).
    auto& app = ApiTest::shared_app().app();
    const std::string school = school_id(slug);
    SystemClock clock;
    app.database().write([&](soci::session& sql) {
      jobs::enqueue(sql, clock, "route_table.sample", "{}", school);
    });
    HttpClient& platform = ApiTest::signed_in("", "platform@mnemos.test");
    return json_string(platform.get("/api/v1/jobs?limit=1&school_id=" + school).json().at("items").at(0), "id");
  }
  if (pattern.starts_with("/api/v1/appointments/{id}")) return json_string(demo_appointment(slug, false), "id");
  if (pattern.starts_with("/api/v1/rooms/{id}")) return json_string(demo_appointment(slug, true).at("room"), "id");
  if (pattern.starts_with("/api/v1/office-hours/{id}")) {
    static int published = 0;
    HttpClient& teacher = ApiTest::signed_in(slug, "teacher@" + slug + ".test");
    const auto starts = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch()).count() +
                        10 * 86400000LL + (published++) * 3600000LL;
    const auto made = teacher.post("/api/v1/office-hours", R"({"starts_at":)" + std::to_string(starts) +
                                                               R"(,"ends_at":)" + std::to_string(starts + 1800000) + "}");
    return json_string(made.json().at("items").at(0), "id");
  }
  if (pattern.starts_with("/api/v1/events/{id}")) {
    HttpClient& teacher = ApiTest::signed_in(slug, "teacher@" + slug + ".test");
    const auto classes = teacher.get("/api/v1/classes").json();
    const auto starts = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch()).count() + 5 * 86400000LL;
    const auto made = teacher.post("/api/v1/events", R"({"class_id":")" + json_string(classes.at("items").at(0), "id") +
                                                         R"(","kind":"exam","title":"Contrôle","starts_at":)" +
                                                         std::to_string(starts) + R"(,"ends_at":)" +
                                                         std::to_string(starts + 3600000) + "}");
    return json_string(made.json(), "id");
  }
  if (pattern.starts_with("/api/v1/agents/{subject_id}")) return named_id("/api/v1/subjects", slug);
  if (pattern.starts_with("/api/v1/notifications/{id}")) {
    // The admin's notification of a message of theirs the teacher reported.
    const auto [conversation, message] = admin_teacher_message(slug, "admin");
    HttpClient& teacher = ApiTest::signed_in(slug, "teacher@" + slug + ".test");
    teacher.post("/api/v1/conversations/" + conversation + "/messages/" + message + "/report", R"({"reason":"route table"})");
    ApiTest::shared_app().app().worker().drain();
    HttpClient& admin = ApiTest::signed_in(slug, "admin@" + slug + ".test");
    const auto list = admin.get("/api/v1/notifications").json();
    return json_string(list.at("items").at(0), "id");
  }
  if (pattern.find("/attachments/{attachment_id}") != std::string::npos) {
    // A file the teacher sent the school's admin.
    const auto [conversation, message] = admin_teacher_message(slug, "teacher");
    HttpClient& teacher = ApiTest::signed_in(slug, "teacher@" + slug + ".test");
    const auto uploaded = teacher.request("POST", "/api/v1/conversations/" + conversation + "/attachments?name=pixel.png",
                                          test::tiny_png(), {{"content-type", "application/octet-stream"}});
    const auto file = json_string(uploaded.json(), "id");
    teacher.post("/api/v1/conversations/" + conversation + "/messages", R"({"attachment_ids":[")" + file + R"("]})");
    return conversation + " " + file;
  }
  if (pattern.starts_with("/api/v1/conversations/{id}") || pattern.starts_with("/api/v1/message-reports/{id}")) {
    // A conversation of the school's admin with its teacher, holding the teacher's message; the
    // admin's report of it.
    const auto [conversation, message] = admin_teacher_message(slug, "teacher");
    if (pattern.starts_with("/api/v1/message-reports/{id}")) {
      HttpClient& admin = ApiTest::signed_in(slug, "admin@" + slug + ".test");
      admin.post("/api/v1/conversations/" + conversation + "/messages/" + message + "/report", R"({"reason":"route table"})");
      const auto reports = admin.get("/api/v1/message-reports").json();
      return json_string(reports.at("items").at(0), "id");
    }
    return conversation + " " + message;
  }
  if (pattern.find("/sources/{source_id}") != std::string::npos) {
    const std::string path = learning_resources(slug).path;
    HttpClient& teacher = ApiTest::signed_in(slug, "teacher@" + slug + ".test");
    const auto uploaded = teacher.request("POST", "/api/v1/learning-paths/" + path + "/sources?name=notes.md",
                                          "# Notes\n\nUne source.", {{"content-type", "text/markdown"}});
    return path + " " + json_string(uploaded.json(), "id");
  }
  if (pattern.find("/passages/{passage_id}") != std::string::npos) {
    // A real passage: the school's source indexed by the worker.
    const std::string path = learning_resources(slug).path;
    HttpClient& teacher = ApiTest::signed_in(slug, "teacher@" + slug + ".test");
    teacher.request("POST", "/api/v1/learning-paths/" + path + "/sources?name=passage.md",
                    "# Passage\n\nUne source à citer.", {{"content-type", "text/markdown"}});
    ApiTest::shared_app().app().worker().drain();
    const auto found = teacher.get("/api/v1/learning-paths/" + path + "/search?q=citer").json();
    return path + " " + json_string(found.at("passages").at(0), "passage_id");
  }
  if (pattern.starts_with("/api/v1/learning-paths/{id}") || pattern.starts_with("/api/v1/me/learning-paths/{id}")) {
    return learning_resources(slug).path;
  }
  if (pattern.starts_with("/api/v1/invoices/{id}")) {
    // The demo school's last month, invoiced by the monthly run (the platform's).
    ApiTest::signed_in("", "platform@mnemos.test").post("/api/v1/billing/runs", "{}");
    HttpClient& admin = ApiTest::signed_in(slug, "admin@" + slug + ".test");
    return json_string(admin.get("/api/v1/invoices").json().at("items").at(0), "id");
  }
  if (pattern.starts_with("/api/v1/plans/{id}")) {
    // Plans belong to the platform, not to a school.
    HttpClient& platform = ApiTest::signed_in("", "platform@mnemos.test");
    return json_string(platform.get("/api/v1/plans").json().at("items").at(0), "id");
  }
  if (pattern.starts_with("/api/v1/steps/{id}")) return learning_resources(slug).step;
  if (pattern.starts_with("/api/v1/items/{id}")) return learning_resources(slug).item;
  if (pattern.starts_with("/api/v1/revision-sessions/{id}")) return learning_resources(slug).session;
  if (pattern.starts_with("/api/v1/learning-media/{id}")) {
    HttpClient& teacher = ApiTest::signed_in(slug, "teacher@" + slug + ".test");
    const auto uploaded = teacher.request("POST", "/api/v1/learning-paths/" + learning_resources(slug).path + "/media",
                                          test::tiny_png(), {{"content-type", "image/png"}});
    return json_string(uploaded.json(), "id");
  }
  ADD_FAILURE() << "no resource known for " << pattern << ": extend resource_for()";
  return "";
}

// Each {parameter} of the pattern gets the next of the space-separated `ids` (the last one again
// when they run out).
std::string fill(const std::string& pattern, const std::string& ids) {
  std::string path = pattern;
  std::size_t from = 0;
  for (auto open = path.find('{'); open != std::string::npos; open = path.find('{', open)) {
    const auto space = ids.find(' ', from);
    const std::string id = ids.substr(from, space == std::string::npos ? std::string::npos : space - from);
    if (space != std::string::npos) from = space + 1;
    path.replace(open, path.find('}', open) + 1 - open, id);
    open += id.size();
  }
  return path;
}

// What the owner sees of the resource: the item if it can be read alone, else its collection.
std::string snapshot(HttpClient& owner, const std::string& pattern, const std::string& id) {
  const std::string item = fill(pattern.substr(0, pattern.find('}') + 1), id.substr(0, id.find(' ')));
  auto response = owner.get(item);
  if (response.status == 405) response = owner.get(pattern.substr(0, pattern.find("/{")));
  EXPECT_EQ(response.status, 200) << pattern;
  return response.body;
}

HttpResponse call(HttpClient& c, const http::Route& route, const std::string& path) {
  if (route.method == "GET") return c.get(path);
  if (route.method == "DELETE") return c.del(path);
  // An edit that would be visible if it went through.
  return c.request(route.method, path,
                   R"({"display_name":"Hacked","name":"Hacked","teacher_ids":[],"student_ids":[]})",
                   {{"content-type", "application/json"}});
}

TEST_F(RouteTable, AnotherSchoolsResourceAnswers404AndNothingChanges) {
  auto school_id_of = [](const std::string& slug) { return school_id(slug); };
  auto user_id_of = [](const std::string& slug, const std::string& email) { return user_id(slug, email); };
  int checked = 0;
  for (const auto& route : app_->app().router().routes()) {
    if (route.pattern.find('{') == std::string::npos) continue;
    const auto granted = [&](Role role) {
      return !route.options.permission || role_grants(role, *route.options.permission);
    };
    // Whoever may see the resource in its own school watches it (platform staff for platform routes).
    auto& owner = student_owned(route.pattern)    ? signed_in("demo", "student@demo.test")
                 : granted(Role::school_admin) ? signed_in("demo", "admin@demo.test")
                 : granted(Role::teacher)      ? signed_in("demo", "teacher@demo.test")
                 : granted(Role::support)      ? signed_in("demo", "support@demo.test")
                                               : signed_in("", "platform@mnemos.test");
    const std::string id = resource_for(route.pattern, "demo", school_id_of, user_id_of);
    const std::string path = fill(route.pattern, id);
    const std::string before = snapshot(owner, route.pattern, id);
    const std::vector<std::pair<std::string, Role>> intruders = {{"admin@other.test", Role::school_admin},
                                                                 {"teacher@other.test", Role::teacher},
                                                                 {"student@other.test", Role::student},
                                                                 {"support@other.test", Role::support}};
    for (const auto& [email, role] : intruders) {
      auto& intruder = signed_in("other", email);
      const auto response = call(intruder, route, path);
      // The answer must be the one for an id that exists nowhere: nothing tells them apart.
      const auto nowhere = call(intruder, route, fill(route.pattern, "00000000-0000-7000-8000-000000000000"));
      EXPECT_EQ(response.status, nowhere.status) << route.method << " " << route.pattern;
      EXPECT_EQ(json_string(response.json(), "detail"), json_string(nowhere.json(), "detail"));
      const std::string where = route.method + " " + route.pattern + " as " + email;
      if (!granted(role)) {
        EXPECT_EQ(response.status, 403) << where;
      } else if (role == Role::school_admin || (role == Role::support && route.options.permission)) {
        // Allowed to use the route in its own school: only "not found" is left to say.
        EXPECT_EQ(response.status, 404) << where;
      } else {
        EXPECT_TRUE(response.status == 404 || response.status == 403) << where << ": " << response.status;
      }
    }
    const std::string after = snapshot(owner, route.pattern, id);
    EXPECT_EQ(before, after) << route.method << " " << route.pattern << " changed another school's data";
    ++checked;
  }
  EXPECT_GE(checked, 4);
}

TEST_F(RouteTable, EveryRouteAnswersEveryRoleWithoutAServerErrorAndEnforcesItsPermission) {
  auto school_id_of = [](const std::string& slug) { return school_id(slug); };
  auto user_id_of = [](const std::string& slug, const std::string& email) { return user_id(slug, email); };
  // Ids are looked up once: some calls below delete what they are given.
  std::map<std::string, std::string> ids;
  for (const auto& route : app_->app().router().routes()) {
    if (route.pattern.find('{') != std::string::npos && !ids.contains(route.pattern)) {
      ids[route.pattern] = resource_for(route.pattern, "demo", school_id_of, user_id_of);
    }
  }
  for (const auto& actor : actors()) {
    for (const auto& route : app_->app().router().routes()) {
      // Logging out would end the session the loop is using; it is tested on its own.
      if (route.pattern.starts_with("/api/v1/auth/logout")) continue;
      HttpClient anonymous = client();
      HttpClient& c = actor.role ? signed_in(actor.school, actor.email) : anonymous;
      const std::string id = ids.contains(route.pattern) ? ids[route.pattern] : "";
      const auto response = call(c, route, fill(route.pattern, id));
      const std::string where = route.method + " " + route.pattern + " as " +
                                (actor.role ? std::string(to_string(*actor.role)) : "anonymous");
      EXPECT_LT(response.status, 500) << where << ": " << response.body;
      if (!actor.role && route.options.auth) {
        EXPECT_EQ(response.status, 401) << where;
      }
      if (actor.role && route.options.permission &&
          !role_grants(*actor.role, *route.options.permission)) {
        EXPECT_EQ(response.status, 403) << where;
      }
    }
  }
}

TEST_F(RouteTable, EveryRouteIsInTheOpenApiDocumentAndEveryDocumentedRouteExists) {
  const auto response = client().get("/api/v1/openapi.json");
  ASSERT_EQ(response.status, 200);
  const auto document = response.json();
  EXPECT_EQ(document.at("openapi").as_string(), "3.1.0");
  const auto& paths = document.at("paths").as_object();
  std::size_t operations = 0;
  for (const auto& route : app_->app().router().routes()) {
    const auto* item = paths.if_contains(route.pattern);
    ASSERT_NE(item, nullptr) << route.pattern << " is missing from the OpenAPI document";
    std::string method = json::lowercase_ascii(route.method);
    EXPECT_TRUE(item->as_object().contains(method))
        << route.method << " " << route.pattern << " is missing from the OpenAPI document";
    ++operations;
  }
  std::size_t documented = 0;
  for (const auto& [path, item] : paths) {
    for (const auto& [method, operation] : item.as_object()) {
      if (method != "parameters") ++documented;
    }
  }
  EXPECT_EQ(documented, operations) << "the document describes routes that do not exist";
}

}  // namespace
}  // namespace mnemos::testing
