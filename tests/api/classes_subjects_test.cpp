#include "../support/api_test.hpp"

#include <mnemos/core/db.hpp>

#include <boost/json/object.hpp>

#include <set>

namespace mnemos::testing {
namespace {

class SubjectsApi : public ApiTest {};
class ClassesApi : public ApiTest {};

std::set<std::string> names(const boost::json::value& list, const char* key = "name") {
  std::set<std::string> out;
  for (const auto& item : list.at("items").as_array()) out.emplace(item.at(key).as_string());
  return out;
}

TEST_F(SubjectsApi, TheDemoSchoolHasThreeSubjectsThatEveryMemberSees) {
  const auto list = logged_in("demo", "student@demo.test").get("/api/v1/subjects");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(names(list.json()), (std::set<std::string>{"Anglais", "Histoire-Géographie", "Mathématiques"}));
  EXPECT_TRUE(logged_in("other", "admin@other.test").get("/api/v1/subjects").json().at("items").as_array().empty());
}

TEST_F(SubjectsApi, AdminsCreateRenameAndDeleteSubjectsWithUniqueNames) {
  auto admin = logged_in("demo", "admin@demo.test");
  const auto created = admin.post("/api/v1/subjects", R"({"name":"  Physique-Chimie "})");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.json().at("name").as_string(), "Physique-Chimie");
  const std::string id = json_string(created.json(), "id");
  expect_problem(admin.post("/api/v1/subjects", R"({"name":"Physique-Chimie"})"), 409, "name");
  expect_problem(admin.post("/api/v1/subjects", R"({"name":"   "})"), 422, "name");
  expect_problem(admin.patch("/api/v1/subjects/" + id, R"({"name":"Anglais"})"), 409, "name");
  const auto renamed = admin.patch("/api/v1/subjects/" + id, R"({"name":"Sciences physiques"})");
  ASSERT_EQ(renamed.status, 200);
  EXPECT_EQ(renamed.json().at("name").as_string(), "Sciences physiques");
  EXPECT_EQ(admin.del("/api/v1/subjects/" + id).status, 204);
  expect_problem(admin.del("/api/v1/subjects/" + id), 404);
  expect_problem(logged_in("demo", "teacher@demo.test").post("/api/v1/subjects", R"({"name":"X"})"), 403);
}

TEST_F(ClassesApi, TheDemoSchoolHasTwoClassesOfFifteen) {
  auto admin = logged_in("demo", "admin@demo.test");
  const auto list = admin.get("/api/v1/classes").json();
  ASSERT_EQ(list.at("items").as_array().size(), 2u);
  for (const auto& c : list.at("items").as_array()) {
    EXPECT_GE(c.at("student_count").as_int64(), 15);
    EXPECT_GE(c.at("teacher_count").as_int64(), 1);
  }
}

TEST_F(ClassesApi, TeachersAndStudentsSeeOnlyTheirOwnClasses) {
  EXPECT_EQ(names(logged_in("demo", "teacher@demo.test").get("/api/v1/classes").json()),
            (std::set<std::string>{"4e A", "4e B"}));
  EXPECT_EQ(names(logged_in("demo", "teacher2@demo.test").get("/api/v1/classes").json()),
            (std::set<std::string>{"4e B"}));
  auto student = logged_in("demo", "student@demo.test");
  const auto mine = student.get("/api/v1/classes").json().at("items").as_array();
  ASSERT_EQ(mine.size(), 1u);
  const auto detail = student.get("/api/v1/classes/" + std::string(mine[0].at("id").as_string())).json();
  EXPECT_FALSE(detail.at("teachers").as_array().empty());
  EXPECT_TRUE(detail.at("students").as_array().empty()) << "classmates' emails are not a student's business";
  // The other class is as good as absent for them.
  auto admin = logged_in("demo", "admin@demo.test");
  const auto all = admin.get("/api/v1/classes").json();
  for (const auto& c : all.at("items").as_array()) {
    if (c.at("name").as_string() == "4e B") {
      expect_problem(student.get("/api/v1/classes/" + std::string(c.at("id").as_string())), 404);
      EXPECT_EQ(logged_in("demo", "teacher2@demo.test").get("/api/v1/classes/" + std::string(c.at("id").as_string())).status, 200);
    }
  }
}

TEST_F(ClassesApi, AdminsCreateClassesAndSetMembersWhoMustHaveTheRightRole) {
  auto admin = logged_in("demo", "admin@demo.test");
  const auto created = admin.post("/api/v1/classes", R"({"name":"3e C","level":"3e","school_year":"2026-2027"})");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = json_string(created.json(), "id");
  expect_problem(admin.post("/api/v1/classes", R"({"name":"3e C","school_year":"2026-2027"})"), 409, "name");
  expect_problem(admin.post("/api/v1/classes", R"({"name":"3e D","school_year":"2026-2028"})"), 422, "school_year");
  expect_problem(admin.post("/api/v1/classes", R"({"level":"3e"})"), 422, "name");

  const std::string teacher = user_id("demo", "teacher2@demo.test");
  const std::string student = user_id("demo", "student07@demo.test");
  const std::string other_school_student = user_id("other", "student@other.test");
  expect_problem(admin.request("PUT", "/api/v1/classes/" + id + "/members",
                               R"({"teacher_ids":[")" + student + R"("],"student_ids":[]})",
                               {{"content-type", "application/json"}}),
                 422, "teacher_ids");
  expect_problem(admin.request("PUT", "/api/v1/classes/" + id + "/members",
                               R"({"teacher_ids":[],"student_ids":[")" + other_school_student + R"("]})",
                               {{"content-type", "application/json"}}),
                 422, "student_ids");
  const auto set = admin.request("PUT", "/api/v1/classes/" + id + "/members",
                                 R"({"teacher_ids":[")" + teacher + R"("],"student_ids":[")" + student + R"("]})",
                                 {{"content-type", "application/json"}});
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(set.json().at("teachers").as_array().size(), 1u);
  EXPECT_EQ(set.json().at("students").as_array().at(0).at("email").as_string(), "student07@demo.test");
  EXPECT_EQ(set.json().at("student_count").as_int64(), 1);

  // The change is announced to other modules through the outbox, in the same transaction.
  const int events = app_->app().database().read([&](soci::session& sql) {
    int n = 0;
    const std::string pattern = "%" + id + "%";  // SOCI binds by reference: no temporaries
    sql << "SELECT COUNT(*) FROM core_events WHERE type = 'users.class_members_changed' AND payload LIKE :p",
        soci::use(pattern), soci::into(n);
    return n;
  });
  EXPECT_EQ(events, 1);

  EXPECT_EQ(admin.del("/api/v1/classes/" + id).status, 204);
  expect_problem(admin.get("/api/v1/classes/" + id), 404);
  EXPECT_EQ(logged_in("demo", "student07@demo.test").get("/api/v1/me").status, 200);  // members remain
}

}  // namespace
}  // namespace mnemos::testing
