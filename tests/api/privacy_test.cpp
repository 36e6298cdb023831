#include "../support/api_test.hpp"

#include <mnemos/core/db.hpp>
#include <mnemos/core/jobs.hpp>

namespace mnemos::testing {
namespace {

class PrivacyApi : public ApiTest {};

TEST_F(PrivacyApi, StudentsEditTheirProfileAndLearningPreferences) {
  auto student = logged_in("demo", "student13@demo.test");
  const auto edited = student.patch("/api/v1/me/profile",
                                    R"({"display_name":"Zoé Martin","locale":"en","preferred_session_minutes":20,
                                        "learning_preferences":"Short sessions","accessibility_needs":["dyslexia_font"]})");
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_EQ(edited.json().at("display_name").as_string(), "Zoé Martin");
  EXPECT_EQ(edited.json().at("student").at("preferred_session_minutes").as_int64(), 20);
  EXPECT_EQ(student.get("/api/v1/me").json().at("user").at("locale").as_string(), "en");
  expect_problem(student.patch("/api/v1/me/profile", R"({"preferred_session_minutes":500})"), 422,
                 "preferred_session_minutes");
  expect_problem(student.patch("/api/v1/me/profile", R"({"accessibility_needs":["x-ray-vision"]})"), 422,
                 "accessibility_needs");
  expect_problem(student.patch("/api/v1/me/profile", R"({"locale":"de"})"), 422, "locale");
  // Teachers have no learning profile.
  auto teacher = logged_in("demo", "teacher@demo.test");
  EXPECT_TRUE(teacher.get("/api/v1/me/profile").json().at("student").is_null());
  expect_problem(teacher.patch("/api/v1/me/profile", R"({"preferred_session_minutes":20})"), 422,
                 "preferred_session_minutes");
}

TEST_F(PrivacyApi, AUserDownloadsEverythingTheyHold) {
  auto student = logged_in("demo", "student14@demo.test");
  student.patch("/api/v1/me/profile", R"({"learning_preferences":"Mornings"})");
  // A card revised on the sample path, and a question to its tutor (its lesson is its source).
  auto admin = logged_in("demo", "admin@demo.test");
  const auto classes = admin.get("/api/v1/classes").json();
  std::string klass;
  for (const auto& c : classes.at("items").as_array()) {
    if (c.at("name").as_string() == "4e A") klass = json_string(c, "id");
  }
  const auto subjects = admin.get("/api/v1/subjects").json();
  auto teacher = logged_in("demo", "teacher@demo.test");
  const auto created = teacher.post(
      "/api/v1/learning-paths",
      R"({"title":"Export","status":"active","subject_id":")" + json_string(subjects.at("items").at(0), "id") +
          R"(","class_ids":[")" + klass +
          R"("],"steps":[{"title":"Cartes","kind":"cards","items":[{"kind":"flashcard","content":{"front":"to go","back":"went"}}]},)"
          R"({"title":"Leçon","kind":"lesson","items":[{"kind":"lesson","content":{"markdown":"# Les verbes irréguliers\n\nPour apprendre les verbes irréguliers, récite-les chaque jour."}}]}]})");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string path = json_string(created.json(), "id");
  const auto detail = teacher.get("/api/v1/learning-paths/" + path).json();
  const std::string cards = json_string(detail.at("steps").at(0), "id");
  const auto session = student.post("/api/v1/revision-sessions", R"({"step_id":")" + cards + R"("})").json();
  ASSERT_TRUE(session.at("current").is_object()) << session;
  ASSERT_EQ(student.post("/api/v1/revision-sessions/" + json_string(session, "id") + "/answers",
                         R"({"item_id":")" + json_string(session.at("current"), "item_id") +
                             R"(","variant":0,"duration_ms":2000,"answer":{"rating":3}})").status, 201);
  app_->app().worker().drain();
  ASSERT_EQ(student.post("/api/v1/tutor/messages", R"({"path_id":")" + path + R"(","text":"Comment apprendre les verbes irréguliers ?"})").status, 200);
  const auto response = student.get("/api/v1/me/export");
  ASSERT_EQ(response.status, 200);
  EXPECT_NE(response.header("content-disposition").find("attachment"), std::string::npos);
  const auto data = response.json();
  EXPECT_EQ(data.at("account").at("email").as_string(), "student14@demo.test");
  EXPECT_EQ(data.at("school").at("slug").as_string(), "demo");
  EXPECT_EQ(data.at("classes").as_array().size(), 1u);
  EXPECT_EQ(data.at("student_profile").at("learning_preferences").as_string(), "Mornings");
  EXPECT_GE(data.at("sessions").as_array().size(), 1u);
  bool logged = false;
  for (const auto& a : data.at("activity").as_array()) logged |= a.at("action").as_string() == "auth.login";
  EXPECT_TRUE(logged);
  EXPECT_EQ(response.body.find("password"), std::string::npos);
  // What the other modules keep about them.
  EXPECT_EQ(data.at("learning").at("revision_sessions").as_array().size(), 1u);
  EXPECT_EQ(data.at("learning").at("review_log").as_array().size(), 1u);
  EXPECT_EQ(data.at("learning").at("review_log").at(0).at("rating").as_int64(), 3);
  const auto& exchanges = data.at("tutor").at("tutor_conversations").as_array();
  ASSERT_EQ(exchanges.size(), 1u);
  EXPECT_EQ(exchanges.at(0).at("messages").at(0).at("text").as_string(), "Comment apprendre les verbes irréguliers ?");
  EXPECT_EQ(exchanges.at(0).at("messages").as_array().size(), 2u);
  // Another student's export holds none of it.
  const auto other = logged_in("demo", "student13@demo.test").get("/api/v1/me/export").json();
  EXPECT_TRUE(other.at("tutor").at("tutor_conversations").as_array().empty());
  EXPECT_TRUE(other.at("learning").at("review_log").as_array().empty());
}

TEST_F(PrivacyApi, DeletingAStudentRemovesTheirPersonalDataButKeepsTheCounts) {
  auto admin = logged_in("demo", "admin@demo.test");
  auto student = logged_in("demo", "student15@demo.test");
  student.patch("/api/v1/me/profile", R"({"learning_preferences":"Private note"})");
  client().post("/api/v1/auth/password-reset", R"({"school":"demo","email":"student15@demo.test"})");
  app_->app().worker().drain();
  const std::string id = user_id("demo", "student15@demo.test");
  const auto before = app_->app().database().read([&](soci::session& sql) {
    int users = 0;
    sql << "SELECT COUNT(*) FROM users_users WHERE school_id IS NOT NULL", soci::into(users);
    return users;
  });

  ASSERT_EQ(admin.del("/api/v1/users/" + id).status, 204);
  expect_problem(student.get("/api/v1/me"), 401);
  expect_problem(admin.get("/api/v1/users/" + id), 404);
  EXPECT_TRUE(admin.get("/api/v1/users?q=student15").json().at("items").as_array().empty());
  EXPECT_EQ(client().login("demo", "student15@demo.test").status, 401);

  app_->app().database().read([&](soci::session& sql) {
    int users = 0, profiles = 0, mails = 0, memberships = 0;
    std::string name, email;
    sql << "SELECT COUNT(*) FROM users_users WHERE school_id IS NOT NULL", soci::into(users);
    sql << "SELECT display_name, email FROM users_users WHERE id = :id", soci::use(id), soci::into(name),
        soci::into(email);
    sql << "SELECT COUNT(*) FROM users_student_profiles WHERE user_id = :id", soci::use(id), soci::into(profiles);
    sql << "SELECT COUNT(*) FROM core_mail_log WHERE recipient = 'student15@demo.test'", soci::into(mails);
    sql << "SELECT COUNT(*) FROM users_class_members WHERE user_id = :id", soci::use(id), soci::into(memberships);
    EXPECT_EQ(users, before);  // the row stays for aggregate statistics
    EXPECT_EQ(name, "Deleted user");
    EXPECT_EQ(email.find("student15"), std::string::npos);
    EXPECT_EQ(profiles, 0);
    EXPECT_EQ(mails, 0);
    EXPECT_EQ(memberships, 0);
  });
  expect_problem(admin.del("/api/v1/users/" + id), 404);
  expect_problem(admin.del("/api/v1/users/" + user_id("demo", "admin@demo.test")), 422, "id");
  expect_problem(logged_in("demo", "teacher@demo.test").del("/api/v1/users/" + user_id("demo", "student16@demo.test")), 403);
}

}  // namespace
}  // namespace mnemos::testing

namespace mnemos::testing {
namespace {

class ActivityApi : public ApiTest {};

TEST_F(ActivityApi, AdminsReadTheirSchoolsActivityNewestFirstAndNobodyElseDoes) {
  auto admin = logged_in("demo", "admin@demo.test");
  ASSERT_EQ(admin.post("/api/v1/subjects", R"({"name":"Musique"})").status, 201);
  const auto page = admin.get("/api/v1/activity?limit=5");
  ASSERT_EQ(page.status, 200) << page.body;
  const auto body = page.json();
  const auto& items = body.at("items").as_array();
  ASSERT_FALSE(items.empty());
  EXPECT_EQ(items[0].at("action").as_string(), "subject.created");
  EXPECT_EQ(items[0].at("actor_name").as_string(), "Alice Martin");
  EXPECT_EQ(items[0].at("request_id").as_string().size(), 36u);
  // Paging walks back in time without repeats.
  const auto next = body.at("next_cursor");
  if (!next.is_null()) {
    const auto older = admin.get("/api/v1/activity?limit=5&cursor=" + std::string(next.as_string())).json();
    for (const auto& item : older.at("items").as_array()) EXPECT_LT(item.at("id").as_string(), items.back().at("id").as_string());
  }
  // Another school sees its own log only; teachers and students see none.
  const auto other = logged_in("other", "admin@other.test").get("/api/v1/activity").json();
  for (const auto& item : other.at("items").as_array()) EXPECT_NE(item.at("action").as_string(), "subject.created");
  expect_problem(logged_in("demo", "teacher@demo.test").get("/api/v1/activity"), 403);
  expect_problem(logged_in("demo", "student@demo.test").get("/api/v1/activity"), 403);
}

}  // namespace
}  // namespace mnemos::testing

namespace mnemos::testing {
namespace {

class AvatarApi : public ApiTest {
 protected:
  // The smallest valid PNG signature followed by some bytes: the server checks the signature only.
  static std::string png() { return std::string("\x89PNG\r\n\x1a\n", 8) + std::string(200, 'x'); }
};

TEST_F(AvatarApi, AUserSetsAPictureThatTheirSchoolSeesAndNoOtherSchoolDoes) {
  auto student = logged_in("demo", "student22@demo.test");
  ASSERT_EQ(student.request("PUT", "/api/v1/me/avatar", png(), {{"content-type", "image/png"}}).status, 204);
  const std::string id = user_id("demo", "student22@demo.test");
  const auto seen = logged_in("demo", "teacher@demo.test").get("/api/v1/users/" + id + "/avatar");
  ASSERT_EQ(seen.status, 200);
  EXPECT_EQ(seen.header("content-type"), "image/png");
  EXPECT_EQ(seen.body, png());
  EXPECT_TRUE(student.get("/api/v1/me").json().at("user").at("has_avatar").as_bool());
  expect_problem(logged_in("other", "admin@other.test").get("/api/v1/users/" + id + "/avatar"), 404);
  ASSERT_EQ(student.del("/api/v1/me/avatar").status, 204);
  expect_problem(student.get("/api/v1/users/" + id + "/avatar"), 404);
}

TEST_F(AvatarApi, OnlyRealPicturesOfAcceptedTypesAndSizesAreKept) {
  auto student = logged_in("demo", "student23@demo.test");
  expect_problem(student.request("PUT", "/api/v1/me/avatar", "<svg onload=alert(1)>", {{"content-type", "image/svg+xml"}}), 415);
  expect_problem(student.request("PUT", "/api/v1/me/avatar", "not a png at all", {{"content-type", "image/png"}}), 422, "file");
  expect_problem(student.request("PUT", "/api/v1/me/avatar", png(), {{"content-type", "image/jpeg"}}), 422, "file");
  EXPECT_EQ(student.request("PUT", "/api/v1/me/avatar", png() + std::string(600 * 1024, 'x'), {{"content-type", "image/png"}}).status, 413);
  expect_problem(student.get("/api/v1/users/" + user_id("demo", "student23@demo.test") + "/avatar"), 404);
}

}  // namespace
}  // namespace mnemos::testing
