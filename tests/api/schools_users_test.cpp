#include "../support/api_test.hpp"

#include <boost/json/object.hpp>

#include <set>

namespace mnemos::testing {
namespace {

class SchoolsApi : public ApiTest {};
class UsersApi : public ApiTest {};

TEST_F(SchoolsApi, PlatformAdminCreatesListsAndEditsSchools) {
  auto platform = logged_in("", "platform@mnemos.test");
  const auto created = platform.post(
      "/api/v1/schools",
      R"({"name":"Lycée Victor Hugo","slug":"victor-hugo","timezone":"Europe/Paris","default_locale":"fr"})");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = json_string(created.json(), "id");
  EXPECT_EQ(created.json().at("status").as_string(), "active");

  const auto page = platform.get("/api/v1/schools").json();
  std::set<std::string> slugs;
  for (const auto& s : page.at("items").as_array()) slugs.emplace(s.at("slug").as_string());
  EXPECT_TRUE(slugs.contains("victor-hugo"));
  EXPECT_TRUE(slugs.contains("demo"));

  const auto edited = platform.patch("/api/v1/schools/" + id, R"({"timezone":"America/Montreal"})");
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_EQ(edited.json().at("timezone").as_string(), "America/Montreal");
  EXPECT_EQ(platform.get("/api/v1/schools/" + id).json().at("timezone").as_string(),
            "America/Montreal");
}

TEST_F(SchoolsApi, SchoolCreationValidatesEveryField) {
  auto platform = logged_in("", "platform@mnemos.test");
  expect_problem(platform.post("/api/v1/schools", R"({"slug":"no-name","timezone":"UTC"})"), 422, "name");
  expect_problem(platform.post("/api/v1/schools", R"({"name":"X","slug":"Bad Slug","timezone":"UTC"})"),
                 422, "slug");
  expect_problem(platform.post("/api/v1/schools", R"({"name":"X","slug":"tz-bad","timezone":"Mars/Olympus"})"),
                 422, "timezone");
  expect_problem(platform.post("/api/v1/schools", R"({"name":"X","slug":"tz-path","timezone":"../../etc/passwd"})"),
                 422, "timezone");
  expect_problem(platform.post("/api/v1/schools",
                               R"({"name":"X","slug":"locale-bad","timezone":"UTC","default_locale":"de"})"),
                 422, "default_locale");
  expect_problem(platform.post("/api/v1/schools", R"({"name":"Dup","slug":"demo","timezone":"UTC"})"), 409,
                 "slug");
}

TEST_F(SchoolsApi, OnlyThePlatformManagesSchools) {
  auto admin = logged_in("demo", "admin@demo.test");
  expect_problem(admin.get("/api/v1/schools"), 403);
  expect_problem(admin.post("/api/v1/schools", R"({"name":"X","slug":"sneaky","timezone":"UTC"})"), 403);
  // A school admin sees and edits their own school, but cannot suspend it.
  const std::string demo = school_id("demo");
  EXPECT_EQ(admin.get("/api/v1/schools/" + demo).status, 200);
  EXPECT_EQ(admin.patch("/api/v1/schools/" + demo, R"({"name":"Collège Démo"})").status, 200);
  expect_problem(admin.patch("/api/v1/schools/" + demo, R"({"status":"suspended"})"), 422, "status");
}

TEST_F(SchoolsApi, SuspendingASchoolClosesItsSpaceUntilReactivated) {
  auto platform = logged_in("", "platform@mnemos.test");
  auto student = logged_in("other", "student@other.test");
  const std::string other = school_id("other");
  ASSERT_EQ(platform.patch("/api/v1/schools/" + other, R"({"status":"suspended"})").status, 200);
  expect_problem(student.get("/api/v1/me"), 401);
  expect_problem(client().login("other", "teacher@other.test"), 403);
  EXPECT_EQ(client().login("demo", "teacher@demo.test").status, 200);  // other schools unaffected
  ASSERT_EQ(platform.patch("/api/v1/schools/" + other, R"({"status":"active"})").status, 200);
  EXPECT_EQ(client().login("other", "teacher@other.test").status, 200);
}

TEST_F(UsersApi, AdminListsUsersWithSearchRoleFilterAndCursorPaging) {
  auto admin = logged_in("demo", "admin@demo.test");
  std::set<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    const auto page = admin.get("/api/v1/users?limit=10" + (cursor.empty() ? "" : "&cursor=" + cursor)).json();
    for (const auto& u : page.at("items").as_array()) {
      EXPECT_TRUE(seen.emplace(u.at("email").as_string()).second) << "duplicate across pages";
    }
    cursor = page.at("next_cursor").is_null() ? "" : std::string(page.at("next_cursor").as_string());
    ++pages;
  } while (!cursor.empty() && pages < 20);
  EXPECT_GE(seen.size(), 34u);  // admin, 2 teachers, student, 30 numbered students (+ created ones)
  EXPECT_GE(pages, 4);
  for (const auto& email : seen) EXPECT_NE(email.find("@demo.test"), std::string::npos) << email;

  const auto teachers = admin.get("/api/v1/users?role=teacher").json().at("items").as_array();
  ASSERT_EQ(teachers.size(), 2u);
  const auto search = admin.get("/api/v1/users?q=THOMAS").json().at("items").as_array();
  ASSERT_EQ(search.size(), 1u);
  EXPECT_EQ(search[0].at("email").as_string(), "teacher@demo.test");
  // LIKE wildcards are searched literally.
  EXPECT_TRUE(admin.get("/api/v1/users?q=%25").json().at("items").as_array().empty());
}

TEST_F(UsersApi, PagingParametersAreValidated) {
  auto admin = logged_in("demo", "admin@demo.test");
  expect_problem(admin.get("/api/v1/users?limit=0"), 422, "limit");
  expect_problem(admin.get("/api/v1/users?limit=1000"), 422, "limit");
  expect_problem(admin.get("/api/v1/users?limit=ten"), 422, "limit");
  expect_problem(admin.get("/api/v1/users?role=wizard"), 422, "role");
}

TEST_F(UsersApi, AdminCreatesAnInvitedUserAndEditsRoles) {
  auto admin = logged_in("demo", "admin@demo.test");
  const auto created = admin.post(
      "/api/v1/users", R"({"email":"New.Teacher@Demo.test","display_name":"Nina Teacher","roles":["teacher"]})");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.json().at("email").as_string(), "new.teacher@demo.test");
  EXPECT_EQ(created.json().at("status").as_string(), "invited");
  EXPECT_EQ(created.json().at("locale").as_string(), "fr");  // the school's default
  const std::string id = json_string(created.json(), "id");

  expect_problem(admin.post("/api/v1/users",
                            R"({"email":"new.teacher@demo.test","display_name":"Again","roles":["teacher"]})"),
                 409, "email");

  const auto edited = admin.patch("/api/v1/users/" + id, R"({"roles":["teacher","school_admin"]})");
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_EQ(edited.json().at("roles").as_array().size(), 2u);
  expect_problem(admin.patch("/api/v1/users/" + id, R"({"status":"active"})"), 422, "status");
  // An invited user cannot log in: there is no password yet.
  EXPECT_EQ(client().login("demo", "new.teacher@demo.test").status, 401);
}

TEST_F(UsersApi, UserCreationValidatesEveryField) {
  auto admin = logged_in("demo", "admin@demo.test");
  expect_problem(admin.post("/api/v1/users", R"({"display_name":"X","roles":["student"]})"), 422, "email");
  expect_problem(admin.post("/api/v1/users", R"({"email":"not-an-email","display_name":"X","roles":["student"]})"),
                 422, "email");
  expect_problem(admin.post("/api/v1/users", R"({"email":"a@demo.test","roles":["student"]})"), 422,
                 "display_name");
  expect_problem(admin.post("/api/v1/users", R"({"email":"a@demo.test","display_name":"X","roles":[]})"), 422,
                 "roles");
  expect_problem(admin.post("/api/v1/users",
                            R"({"email":"a@demo.test","display_name":"X","roles":["platform_admin"]})"),
                 422, "roles");
  expect_problem(admin.post("/api/v1/users", R"({"email":"a@demo.test","display_name":"X","roles":"student"})"),
                 422, "roles");
}

TEST_F(UsersApi, AdminsCannotLockThemselvesOut) {
  auto admin = logged_in("demo", "admin@demo.test");
  const std::string me = user_id("demo", "admin@demo.test");
  expect_problem(admin.patch("/api/v1/users/" + me, R"({"roles":["teacher"]})"), 422, "roles");
  expect_problem(admin.patch("/api/v1/users/" + me, R"({"status":"disabled"})"), 422, "status");
}

TEST_F(UsersApi, DisablingAUserEndsTheirSessionsAndBlocksLogin) {
  auto student = logged_in("demo", "student05@demo.test");
  auto admin = logged_in("demo", "admin@demo.test");
  const std::string id = user_id("demo", "student05@demo.test");
  ASSERT_EQ(admin.patch("/api/v1/users/" + id, R"({"status":"disabled"})").status, 200);
  expect_problem(student.get("/api/v1/me"), 401);
  expect_problem(client().login("demo", "student05@demo.test"), 403);
}

TEST_F(UsersApi, StudentsCannotListUsersButTeachersAndSupportCan) {
  expect_problem(logged_in("demo", "student@demo.test").get("/api/v1/users"), 403);
  EXPECT_EQ(logged_in("demo", "teacher@demo.test").get("/api/v1/users").status, 200);
  expect_problem(logged_in("demo", "teacher@demo.test")
                     .post("/api/v1/users", R"({"email":"t@demo.test","display_name":"T","roles":["student"]})"),
                 403);
}

TEST_F(UsersApi, AUserSeesTheirOwnRecordButAStudentSeesNoOneElse) {
  auto student = logged_in("demo", "student@demo.test");
  EXPECT_EQ(student.get("/api/v1/users/" + user_id("demo", "student@demo.test")).status, 200);
  expect_problem(student.get("/api/v1/users/" + user_id("demo", "student01@demo.test")), 403);
}

}  // namespace
}  // namespace mnemos::testing
