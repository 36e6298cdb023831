// Learning paths, content, revision sessions and scheduling, through the HTTP API
// (docs/learning.md). The product's clock is a ManualClock so days can pass.
#include "../support/anki_package.hpp"
#include "../support/api_test.hpp"

#include <mnemos/core/db.hpp>
#include <mnemos/core/jobs.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <random>
#include <set>
#include <thread>
#include <vector>

namespace mnemos::testing {
namespace {

using boost::json::array;
using boost::json::object;

// 2026-03-02 09:00 in Paris (08:00 UTC), a Monday of term.
constexpr std::int64_t kStart = 1'772'438'400'000;

class LearningApi : public ApiTest {
 protected:
  static void SetUpTestSuite() {
    clock_ = new ManualClock(kStart);
    app_ = new TestApp({}, clock_);
  }
  static void TearDownTestSuite() {
    delete app_;
    app_ = nullptr;
    delete clock_;
  }
  static inline ManualClock* clock_ = nullptr;

  static std::string subject(const std::string& name) {
    auto admin = logged_in("demo", "admin@demo.test");
    const auto list = admin.get("/api/v1/subjects").json();
    for (const auto& s : list.at("items").as_array()) {
      if (s.at("name").as_string() == name) return std::string(s.at("id").as_string());
    }
    ADD_FAILURE() << "no subject " << name;
    return "";
  }
  static std::string class_id(const std::string& name) {
    auto admin = logged_in("demo", "admin@demo.test");
    const auto list = admin.get("/api/v1/classes").json();
    for (const auto& c : list.at("items").as_array()) {
      if (c.at("name").as_string() == name) return std::string(c.at("id").as_string());
    }
    ADD_FAILURE() << "no class " << name;
    return "";
  }
  static std::string flashcards(int count, const std::string& prefix = "Q") {
    array items;
    for (int i = 0; i < count; ++i) {
      items.push_back(object{{"kind", "flashcard"},
                             {"content", object{{"front", prefix + std::to_string(i)}, {"back", "A" + std::to_string(i)}}}});
    }
    return boost::json::serialize(items);
  }
  // A path of `cards` flashcards in one step assigned to class 4e A; returns {path, step}.
  static std::pair<std::string, std::string> path_for_4e_a(int cards, const std::string& extra = "") {
    auto teacher = logged_in("demo", "teacher@demo.test");
    const auto created = teacher.post(
        "/api/v1/learning-paths",
        R"({"subject_id":")" + subject("Mathématiques") + R"(","title":"Fractions","objectives":"Add fractions",)"
            R"("level":"4e","class_ids":[")" + class_id("4e A") + R"("],)" + extra +
            R"("steps":[{"title":"Vocabulary","kind":"cards","items":)" + flashcards(cards) + "}]}");
    EXPECT_EQ(created.status, 201) << created.body;
    const auto path = json_string(created.json(), "id");
    const auto detail = teacher.get("/api/v1/learning-paths/" + path).json();
    return {path, std::string(detail.at("steps").at(0).at("id").as_string())};
  }
  // A path of one quiz step (open) of `items_json` in `subject_name`, assigned to class 4e A;
  // returns {path, step}.
  static std::pair<std::string, std::string> quiz_for_4e_a(const std::string& subject_name, const std::string& title,
                                                           const std::string& items_json) {
    auto teacher = logged_in("demo", "teacher@demo.test");
    const auto created = teacher.post(
        "/api/v1/learning-paths",
        R"({"subject_id":")" + subject(subject_name) + R"(","title":")" + title + R"(","class_ids":[")" +
            class_id("4e A") + R"("],"steps":[{"title":"Quiz","kind":"quiz","unlock_rule":"open","items":)" +
            items_json + "}]}");
    EXPECT_EQ(created.status, 201) << created.body;
    const auto path = json_string(created.json(), "id");
    const auto detail = teacher.get("/api/v1/learning-paths/" + path).json();
    return {path, std::string(detail.at("steps").at(0).at("id").as_string())};
  }
  // A student's session on a step, answering the card shown.
  struct Revising {
    HttpClient& student;
    boost::json::value session;
    std::string id() const { return json_string(session, "id"); }
    const boost::json::value& prompt() const { return session.at("current").at("prompt"); }
    HttpResponse send(const object& answer, std::int64_t duration = 8000) {
      object body{{"item_id", session.at("current").at("item_id")},
                  {"variant", session.at("current").at("variant")},
                  {"duration_ms", duration},
                  {"answer", answer}};
      auto r = student.post("/api/v1/revision-sessions/" + id() + "/answers", boost::json::serialize(body));
      if (r.status == 201) session = r.json().at("session");
      return r;
    }
    // Sends the answer, expects it taken and returns the correction.
    boost::json::value answer(const object& answer, std::int64_t duration = 8000) {
      auto r = send(answer, duration);
      EXPECT_EQ(r.status, 201) << r.body;
      return r.status == 201 ? r.json() : boost::json::value(object{});
    }
  };
  // A review session of `student` on `step`.
  static Revising start_revising(HttpClient& student, const std::string& step) {
    const auto started = student.post("/api/v1/revision-sessions", R"({"step_id":")" + step + R"("})");
    EXPECT_EQ(started.status, 201) << started.body;
    return Revising{student, started.json()};
  }
  static object answer_current(HttpClient& student, const boost::json::value& session, int rating,
                               std::int64_t duration = 8000) {
    const auto& current = session.at("current");
    object body{{"item_id", current.at("item_id")},
                {"variant", current.at("variant")},
                {"duration_ms", duration},
                {"answer", object{{"rating", rating}}}};
    const auto response = student.post("/api/v1/revision-sessions/" + json_string(session, "id") + "/answers",
                                       boost::json::serialize(body));
    EXPECT_EQ(response.status, 201) << response.body;
    return response.json().as_object();
  }
};

TEST_F(LearningApi, ATeacherCreatesAPathForAClassAndAStudentWithStepsInOneRequest) {
  auto teacher = logged_in("demo", "teacher@demo.test");
  const std::string student16 = user_id("demo", "student16@demo.test");
  const auto created = teacher.post(
      "/api/v1/learning-paths",
      R"({"subject_id":")" + subject("Anglais") + R"(","title":"  Irregular verbs ","objectives":"Know 50 verbs",)"
          R"("level":"4e","exam_date":"2026-06-15","class_ids":[")" + class_id("4e A") + R"("],"student_ids":[")" +
          student16 + R"("],"steps":[{"title":"Read","kind":"lesson","items":[{"kind":"lesson","content":{"markdown":"# Verbs\n$x^2$"}}]},)"
          R"({"title":"Drill","kind":"cards","items":)" + flashcards(3) + "}]}");
  ASSERT_EQ(created.status, 201) << created.body;
  const auto body = created.json();
  EXPECT_EQ(body.at("status").as_string(), "active");
  EXPECT_EQ(body.at("title").as_string(), "Irregular verbs");
  std::set<std::string> assigned;
  for (const auto& s : body.at("assigned_students").as_array()) assigned.insert(std::string(s.at("id").as_string()));
  EXPECT_EQ(assigned.size(), 17u);  // 4e A (16) and one student of 4e B
  EXPECT_TRUE(assigned.count(student16));
  EXPECT_TRUE(assigned.count(user_id("demo", "student@demo.test")));

  const auto detail = teacher.get("/api/v1/learning-paths/" + json_string(body, "id"));
  ASSERT_EQ(detail.status, 200);
  const auto detail_json = detail.json();
  const auto& steps = detail_json.at("steps").as_array();
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0].at("unlock_rule").as_string(), "open");
  EXPECT_EQ(steps[1].at("unlock_rule").as_string(), "sequential");
  EXPECT_EQ(steps[1].at("validated_count").as_int64(), 3);
  EXPECT_TRUE(detail.json().at("can_edit").as_bool());

  // The event for the notification and AI modules is in the outbox, with the students.
  int events = 0;
  app_->app().database().read([&](soci::session& sql) {
    sql << "SELECT COUNT(*) FROM core_events WHERE type = 'learning.path_created'", soci::into(events);
  });
  EXPECT_GE(events, 1);
}

TEST_F(LearningApi, BadInputNamesTheFieldAndCreatesNothing) {
  auto teacher = logged_in("demo", "teacher@demo.test");
  const auto count = teacher.get("/api/v1/learning-paths").json().at("items").as_array().size();
  const std::string maths = subject("Mathématiques");
  expect_problem(teacher.post("/api/v1/learning-paths", R"({"subject_id":")" + maths + R"("})"), 422, "title");
  expect_problem(teacher.post("/api/v1/learning-paths", R"({"title":"T","subject_id":"nope"})"), 422, "subject_id");
  expect_problem(teacher.post("/api/v1/learning-paths", R"({"title":"T","subject_id":")" + maths + R"(","exam_date":"2026-02-30"})"),
                 422, "exam_date");
  expect_problem(teacher.post("/api/v1/learning-paths", R"({"title":"T","subject_id":")" + maths + R"(","colour":"red"})"),
                 422, "colour");
  // A student of another school, and a class the teacher does not teach.
  expect_problem(teacher.post("/api/v1/learning-paths", R"({"title":"T","subject_id":")" + maths +
                                                           R"(","student_ids":[")" + user_id("other", "student@other.test") + R"("]})"),
                 422, "student_ids");
  auto teacher2 = logged_in("demo", "teacher2@demo.test");
  expect_problem(teacher2.post("/api/v1/learning-paths", R"({"title":"T","subject_id":")" + maths +
                                                            R"(","student_ids":[")" + user_id("demo", "student@demo.test") + R"("]})"),
                 422, "student_ids");
  expect_problem(teacher2.post("/api/v1/learning-paths", R"({"title":"T","subject_id":")" + maths +
                                                            R"(","class_ids":[")" + class_id("4e A") + R"("]})"),
                 422, "class_ids");
  // Invalid content deep in the steps is named with its place.
  expect_problem(teacher.post("/api/v1/learning-paths",
                              R"({"title":"T","subject_id":")" + maths +
                                  R"(","steps":[{"title":"S","kind":"cards","items":[{"kind":"flashcard","content":{"front":"x"}}]}]})"),
                 422, "steps[0].items[0].content.back");
  expect_problem(teacher.post("/api/v1/learning-paths",
                              R"({"title":"T","subject_id":")" + maths +
                                  R"(","steps":[{"title":"S","kind":"lesson","items":[{"kind":"flashcard","content":{"front":"x","back":"y"}}]}]})"),
                 422, "steps[0].items[0].kind");
  expect_problem(teacher.post("/api/v1/learning-paths", "[1]"), 400);
  EXPECT_EQ(teacher.get("/api/v1/learning-paths").json().at("items").as_array().size(), count);
  // Students and support cannot create paths.
  expect_problem(logged_in("demo", "student@demo.test").post("/api/v1/learning-paths", "{}"), 403);
  expect_problem(logged_in("demo", "support@demo.test").post("/api/v1/learning-paths", "{}"), 403);
}

TEST_F(LearningApi, PathsAreVisibleToTheirOwnerSharedTeachersAndStaffOnly) {
  const auto [path, step] = path_for_4e_a(2);
  auto teacher2 = logged_in("demo", "teacher2@demo.test");
  expect_problem(teacher2.get("/api/v1/learning-paths/" + path), 404);
  expect_problem(teacher2.patch("/api/v1/learning-paths/" + path, R"({"title":"Mine"})"), 404);
  expect_problem(logged_in("other", "teacher@other.test").get("/api/v1/learning-paths/" + path), 404);
  expect_problem(logged_in("other", "admin@other.test").get("/api/v1/learning-paths/" + path), 404);
  EXPECT_EQ(logged_in("demo", "admin@demo.test").get("/api/v1/learning-paths/" + path).status, 200);
  EXPECT_EQ(logged_in("demo", "support@demo.test").get("/api/v1/learning-paths/" + path).status, 200);
  expect_problem(logged_in("demo", "admin@demo.test").patch("/api/v1/learning-paths/" + path, R"({"title":"X"})"), 403);

  auto teacher = logged_in("demo", "teacher@demo.test");
  const std::string t2 = user_id("demo", "teacher2@demo.test");
  expect_problem(teacher.request("PUT", "/api/v1/learning-paths/" + path + "/teachers",
                                 R"({"teacher_ids":[")" + user_id("demo", "student@demo.test") + R"("]})",
                                 {{"content-type", "application/json"}}),
                 422, "teacher_ids");
  const auto shared = teacher.request("PUT", "/api/v1/learning-paths/" + path + "/teachers",
                                      R"({"teacher_ids":[")" + t2 + R"("]})", {{"content-type", "application/json"}});
  ASSERT_EQ(shared.status, 200) << shared.body;
  EXPECT_EQ(teacher2.get("/api/v1/learning-paths/" + path).status, 200);
  const auto renamed = teacher2.patch("/api/v1/learning-paths/" + path, R"j({"title":"Fractions (shared)"})j");
  EXPECT_EQ(renamed.status, 200) << renamed.body;
  // Only the owner shares it further.
  expect_problem(teacher2.request("PUT", "/api/v1/learning-paths/" + path + "/teachers", R"({"teacher_ids":[]})",
                                  {{"content-type", "application/json"}}),
                 403);
}

TEST_F(LearningApi, AStudentRevisesResumesAndFinishesWithNextDueDates) {
  clock_->set_ms(kStart);
  const auto [path, step] = path_for_4e_a(3);
  auto student = logged_in("demo", "student01@demo.test");
  const auto home = student.get("/api/v1/me/learning");
  ASSERT_EQ(home.status, 200) << home.body;

  const auto started = student.post("/api/v1/revision-sessions", R"({"step_id":")" + step + R"("})");
  ASSERT_EQ(started.status, 201) << started.body;
  auto session = started.json();
  EXPECT_EQ(session.at("total").as_int64(), 3);
  EXPECT_EQ(session.at("current").at("prompt").at("front").as_string(), "Q0");
  const std::string id = json_string(session, "id");

  // An answer for another card than the one shown changes nothing.
  expect_problem(student.post("/api/v1/revision-sessions/" + id + "/answers",
                              R"({"item_id":"00000000-0000-7000-8000-000000000000","answer":{"rating":3}})"),
                 409);
  expect_problem(student.post("/api/v1/revision-sessions/" + id + "/answers",
                              R"({"item_id":")" + json_string(session.at("current"), "item_id") + R"(","answer":{"rating":7}})"),
                 422, "answer.rating");

  // Good on a new card: it stays in its learning steps and comes back later in the session.
  auto result = answer_current(student, session, 3);
  EXPECT_EQ(result.at("card").at("state").as_string(), "learning");
  EXPECT_EQ(result.at("session").at("total").as_int64(), 4);
  clock_->advance_ms(20'000);

  // The tab is closed; starting again resumes the same session where it was.
  const auto resumed = student.post("/api/v1/revision-sessions", R"({"step_id":")" + step + R"("})");
  ASSERT_EQ(resumed.status, 200) << resumed.body;
  EXPECT_EQ(json_string(resumed.json(), "id"), id);
  EXPECT_EQ(resumed.json().at("position").as_int64(), 1);

  // Easy on the other two: straight to review, days away.
  session = resumed.json();
  result = answer_current(student, session, 4);
  EXPECT_EQ(result.at("card").at("state").as_string(), "review");
  EXPECT_GE(result.at("card").at("interval_days").as_int64(), 1);
  session = result.at("session");
  result = answer_current(student, session, 4);
  session = result.at("session");
  // The first card again, ten minutes later: Easy graduates it.
  clock_->advance_ms(10 * 60'000);
  result = answer_current(student, session, 4);
  EXPECT_TRUE(result.at("session").at("current").is_null());
  // Three cards, four answers: the counter counts cards, and the last answer finished the session.
  EXPECT_EQ(result.at("session").at("cards").as_int64(), 3);
  EXPECT_EQ(result.at("session").at("cards_done").as_int64(), 3);
  EXPECT_EQ(result.at("session").at("status").as_string(), "finished");
  EXPECT_TRUE(result.at("session").at("summary").at("step_mastered").as_bool());

  const auto finished = student.post("/api/v1/revision-sessions/" + id + "/finish");
  ASSERT_EQ(finished.status, 200) << finished.body;
  const auto finished_json = finished.json();
  const auto& summary = finished_json.at("summary");
  EXPECT_EQ(summary.at("cards_reviewed").as_int64(), 3);
  EXPECT_EQ(summary.at("cards_learned").as_int64(), 3);
  EXPECT_EQ(summary.at("answers").as_int64(), 4);
  EXPECT_EQ(summary.at("score").as_int64(), 100);
  EXPECT_GT(summary.at("next_due_at").as_int64(), clock_->now_ms() + 86'400'000 / 2);
  EXPECT_TRUE(summary.at("step_mastered").as_bool());  // every card has reached review
  EXPECT_EQ(summary.at("path_progress").at("steps_done").as_int64(), 1);
  // Finishing twice answers the same summary.
  EXPECT_EQ(student.post("/api/v1/revision-sessions/" + id + "/finish").json().at("summary"), summary);
  expect_problem(student.post("/api/v1/revision-sessions/" + id + "/answers",
                              R"({"item_id":"00000000-0000-7000-8000-000000000000","answer":{"rating":3}})"),
                 409);

  // Nothing is due now: a review session is refused and practice is offered instead.
  expect_problem(student.post("/api/v1/revision-sessions", R"({"step_id":")" + step + R"("})"), 409);
  const auto practice = student.post("/api/v1/revision-sessions", R"({"step_id":")" + step + R"(","mode":"practice"})");
  ASSERT_EQ(practice.status, 201) << practice.body;
  const auto before = logged_in("demo", "teacher@demo.test").get("/api/v1/learning-paths/" + path + "/progress").json();
  answer_current(student, practice.json(), 1);
  const auto after = logged_in("demo", "teacher@demo.test").get("/api/v1/learning-paths/" + path + "/progress").json();
  EXPECT_EQ(before, after) << "a practice answer changed the schedule";

  // Another student cannot see or answer this student's session.
  auto other = logged_in("demo", "student02@demo.test");
  expect_problem(other.get("/api/v1/revision-sessions/" + id), 404);
  expect_problem(logged_in("other", "student@other.test").get("/api/v1/revision-sessions/" + id), 404);

  // The teacher sees the result.
  const auto progress = logged_in("demo", "teacher@demo.test").get("/api/v1/learning-paths/" + path + "/progress");
  ASSERT_EQ(progress.status, 200);
  bool seen = false;
  const auto progress_json = progress.json();
  for (const auto& s : progress_json.at("students").as_array()) {
    if (s.at("display_name").as_string() == "Élève 01") {
      seen = true;
      EXPECT_EQ(s.at("cards_started").as_int64(), 3);
      EXPECT_EQ(s.at("steps_done").as_int64(), 1);
    }
  }
  EXPECT_TRUE(seen);
  EXPECT_EQ(progress.json().at("forecast").as_array().size(), 30u);
}

// Tabs starting the same step at the same moment, many times over: one session is started and
// the others resume it (on PostgreSQL two could both pass the check for an active session before
// either inserted; the unique index on active sessions, learning migration 0010, settles it).
TEST_F(LearningApi, TabsStartingTheSameStepAtOnceShareOneSession) {
  clock_->set_ms(kStart);
  const auto [path, step] = path_for_4e_a(12);
  std::vector<HttpClient> tabs;
  for (int i = 0; i < 4; ++i) tabs.push_back(logged_in("demo", "student06@demo.test"));
  const std::string body = R"({"step_id":")" + step + R"(","mode":"practice"})";
  for (int round = 0; round < 6; ++round) {
    std::vector<HttpResponse> responses(tabs.size());
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < tabs.size(); ++i) {
      threads.emplace_back([&, i] { responses[i] = tabs[i].post("/api/v1/revision-sessions", body); });
    }
    for (auto& t : threads) t.join();
    std::set<std::string> ids;
    int created = 0;
    for (const auto& r : responses) {
      ASSERT_TRUE(r.status == 201 || r.status == 200) << r.body;
      created += r.status == 201;
      ids.insert(json_string(r.json(), "id"));
    }
    EXPECT_EQ(created, 1) << "round " << round;
    ASSERT_EQ(ids.size(), 1u) << "round " << round;
    const int active = app_->app().database().read([&](soci::session& sql) {
      int n = 0;
      sql << "SELECT COUNT(*) FROM learning_sessions WHERE step_id = :step AND status = 'active'", soci::use(step),
          soci::into(n);
      return n;
    });
    EXPECT_EQ(active, 1) << "round " << round;
    const auto finished = tabs[0].post("/api/v1/revision-sessions/" + *ids.begin() + "/finish", "{}");
    ASSERT_EQ(finished.status, 200) << finished.body;
  }
}

// Two tabs send the same answer at the same moment, many times over: one is taken, the other
// told the card was answered meanwhile, and the review log holds each answer once (on PostgreSQL
// both may reach the same batch of writes: docs/decisions/0013).
TEST_F(LearningApi, TheSameAnswerFromTwoTabsAtOnceIsTakenOnce) {
  clock_->set_ms(kStart);
  const auto [path, step] = path_for_4e_a(12);
  auto first_tab = logged_in("demo", "student04@demo.test");
  auto second_tab = logged_in("demo", "student04@demo.test");
  auto session = start_revising(first_tab, step).session;
  const std::string id = json_string(session, "id");
  int taken = 0, refused = 0;
  for (int round = 0; round < 8; ++round) {
    const auto& current = session.at("current");
    const std::string body = boost::json::serialize(object{{"item_id", current.at("item_id")},
                                                           {"variant", current.at("variant")},
                                                           {"duration_ms", 4000},
                                                           {"answer", object{{"rating", 3}}}});
    HttpResponse a, b;
    std::thread other([&] { b = second_tab.post("/api/v1/revision-sessions/" + id + "/answers", body); });
    a = first_tab.post("/api/v1/revision-sessions/" + id + "/answers", body);
    other.join();
    for (const auto* r : {&a, &b}) {
      if (r->status == 201) {
        ++taken;
        session = r->json().at("session");
      } else {
        EXPECT_EQ(r->status, 409) << r->body;
        ++refused;
      }
    }
    ASSERT_TRUE(a.status == 201 || b.status == 201) << a.body << b.body;
  }
  EXPECT_EQ(taken, 8);
  EXPECT_EQ(refused, 8);
  const int logged = app_->app().database().read([&](soci::session& sql) {
    int n = 0;
    sql << "SELECT COUNT(*) FROM learning_reviews WHERE session_id = :id", soci::use(id), soci::into(n);
    return n;
  });
  EXPECT_EQ(logged, 8);
  const auto resumed = first_tab.get("/api/v1/revision-sessions/" + id);
  ASSERT_EQ(resumed.status, 200) << resumed.body;
  EXPECT_EQ(resumed.json().at("position").as_int64(), 8);
}

TEST_F(LearningApi, AnswersAreGradedAutomaticallyWithToleranceAndResponseTime) {
  clock_->set_ms(kStart);
  const auto [path, step] = quiz_for_4e_a("Histoire-Géographie", "Capitals", R"([
      {"kind":"short_answer","content":{"question":"Capital of Ecuador?","accepted":["Quito"]}},
      {"kind":"choice","content":{"question":"Rivers of Paris?","options":["Seine","Loire","Marne"],"answers":[0,2]}},
      {"kind":"cloze","content":{"text":"{{c1::Paris}} is the capital of {{c2::France::country}}."}}])");
  auto student = logged_in("demo", "student02@demo.test");
  auto revising = start_revising(student, step);
  const auto& session = revising.session;
  EXPECT_EQ(session.at("total").as_int64(), 4);  // the cloze gives one card per gap
  auto send = [&](const object& answer, std::int64_t duration) { return revising.answer(answer, duration); };
  // Case and accents are forgiven; a quick right answer is Easy.
  auto r = send(object{{"text", "  quíto "}}, 3000);
  EXPECT_TRUE(r.at("correct").as_bool());
  EXPECT_EQ(r.at("rating").as_int64(), 4);
  // Both right options are needed.
  EXPECT_TRUE(session.at("current").at("prompt").at("multiple").as_bool());
  r = send(object{{"selected", array{0}}}, 10000);
  EXPECT_FALSE(r.at("correct").as_bool());
  EXPECT_EQ(r.at("rating").as_int64(), 1);
  // The cloze hides one gap per card and shows its hint.
  EXPECT_EQ(session.at("current").at("prompt").at("text").as_string(), "[...] is the capital of France.");
  r = send(object{{"answers", array{"paris"}}}, 30000);
  EXPECT_TRUE(r.at("correct").as_bool());
  EXPECT_EQ(r.at("rating").as_int64(), 2);  // right, but slow: Hard
  EXPECT_EQ(session.at("current").at("prompt").at("text").as_string(), "Paris is the capital of [country].");
  r = send(object{{"answers", array{"Fance"}}}, 8000);
  EXPECT_FALSE(r.at("correct").as_bool());
  EXPECT_EQ(r.at("solution").at("answers").at(0).as_string(), "France");
  // The correction is in words: what the student wrote beside what was expected.
  EXPECT_EQ(r.at("correction").at("given"), (array{"Fance"}));
  EXPECT_EQ(r.at("correction").at("expected"), (array{"France"}));
}

// Moodle's matching, numerical and ordering questions: graded per part, rated from the share
// right, refused with a reason when the answer cannot be read, exported to GIFT and read back.
TEST_F(LearningApi, MatchingNumericalAndOrderingCardsAreGradedPerPartAndGoBackToMoodle) {
  clock_->set_ms(kStart);
  const auto [path, step] = quiz_for_4e_a("Mathématiques", "Measures", R"([
    {"kind":"matching","content":{"question":"Match each unit with its quantity.","pairs":[
      {"left":"metre","right":"length"},{"left":"second","right":"time"},{"left":"kelvin","right":"temperature"}],
      "distractors":["colour"]}},
    {"kind":"numerical","content":{"question":"Height of the desk?","answers":[{"value":0.75,"tolerance":0.02}],
      "units":[{"unit":"m","multiplier":1},{"unit":"cm","multiplier":100}]}},
    {"kind":"ordering","content":{"question":"Order these lengths.","steps":["millimetre","centimetre","metre","kilometre"]}}])");
  auto pupil = logged_in("demo", "student05@demo.test");
  auto revising = start_revising(pupil, step);

  // Matching: the choices in alphabetical order; two of three right is Hard, not right.
  ASSERT_EQ(revising.prompt().at("kind").as_string(), "matching");
  EXPECT_EQ(revising.prompt().at("lefts"), (array{"metre", "second", "kelvin"}));
  EXPECT_EQ(revising.prompt().at("choices"), (array{"colour", "length", "temperature", "time"}));
  auto r = revising.send(object{{"matches", array{1, 3, 0}}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_FALSE(r.json().at("correct").as_bool());
  EXPECT_EQ(r.json().at("rating").as_int64(), 2);
  EXPECT_EQ(r.json().at("parts"), (object{{"right", 2}, {"total", 3}}));
  EXPECT_EQ(r.json().at("correction").at("given").at(2).as_string(), "kelvin → colour");
  EXPECT_EQ(r.json().at("correction").at("expected").at(2).as_string(), "kelvin → temperature");

  // Numerical: an unknown unit is refused with the units allowed, and nothing moves.
  ASSERT_EQ(revising.prompt().at("kind").as_string(), "numerical");
  EXPECT_EQ(revising.prompt().at("units"), (array{"m", "cm"}));
  const auto position = revising.session.at("position").as_int64();
  r = revising.send(object{{"text", "75 mm"}});
  expect_problem(r, 422, "answer.text");
  const auto again = pupil.get("/api/v1/revision-sessions/" + revising.id()).json();
  EXPECT_EQ(again.at("position").as_int64(), position);
  r = revising.send(object{{"text", "76 cm"}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_TRUE(r.json().at("correct").as_bool());
  EXPECT_FALSE(r.json().as_object().contains("parts"));
  EXPECT_EQ(r.json().at("correction").at("expected"), (array{"0.75 ± 0.02 m"}));

  // Ordering: shown shuffled, answered by the positions shown.
  ASSERT_EQ(revising.prompt().at("kind").as_string(), "ordering");
  const auto& shown = revising.prompt().at("steps").as_array();
  ASSERT_EQ(shown.size(), 4u);
  EXPECT_NE(shown, (array{"millimetre", "centimetre", "metre", "kilometre"}));
  array order;
  for (const char* step_text : {"millimetre", "centimetre", "metre", "kilometre"}) {
    for (std::size_t i = 0; i < shown.size(); ++i) {
      if (shown[i].as_string() == step_text) order.push_back(static_cast<std::int64_t>(i));
    }
  }
  expect_problem(revising.send(object{{"order", array{0, 0, 1, 2}}}), 422, "answer.order");
  r = revising.send(object{{"order", order}}, 3000);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_TRUE(r.json().at("correct").as_bool());
  EXPECT_EQ(r.json().at("rating").as_int64(), 4);
  EXPECT_EQ(r.json().at("parts"), (object{{"right", 3}, {"total", 3}}));

  // To Moodle and back: the GIFT export names what it leaves out; its import gives the same cards.
  auto teacher = logged_in("demo", "teacher@demo.test");
  const auto gift = teacher.get("/api/v1/learning-paths/" + path + "/export?format=gift");
  ASSERT_EQ(gift.status, 200) << gift.body;
  EXPECT_NE(gift.header("content-type").find("text/plain"), std::string::npos);
  EXPECT_NE(gift.body.find("=metre -> length"), std::string::npos) << gift.body;
  EXPECT_NE(gift.body.find("{#0.75:0.02}"), std::string::npos) << gift.body;
  EXPECT_NE(gift.body.find("// Left out: \"Order these lengths.\" (ordering)"), std::string::npos) << gift.body;
  const auto [copy, copy_step] = path_for_4e_a(0);
  const auto imported = teacher.request("POST", "/api/v1/steps/" + copy_step + "/import?format=gift", gift.body,
                                        {{"content-type", "text/plain"}});
  ASSERT_EQ(imported.status, 201) << imported.body;
  EXPECT_EQ(imported.json().at("taken").as_int64(), 2);
  const auto items = teacher.get("/api/v1/steps/" + copy_step + "/items").json().at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].at("kind").as_string(), "matching");
  EXPECT_EQ(items[0].at("content").at("distractors"), (array{"colour"}));
  EXPECT_EQ(items[1].at("kind").as_string(), "numerical");
  // The CSV export writes every kind's right answer in words.
  const auto csv = teacher.get("/api/v1/learning-paths/" + path + "/export?format=csv");
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_NE(csv.body.find("metre → length; second → time; kelvin → temperature"), std::string::npos) << csv.body;
  EXPECT_NE(csv.body.find("millimetre; centimetre; metre; kilometre"), std::string::npos) << csv.body;
  // Bad content names its field and creates nothing.
  expect_problem(teacher.post("/api/v1/steps/" + step + "/items",
                              R"({"kind":"numerical","content":{"question":"?","answers":[{"min":2,"max":1}]}})"),
                 422, "content.answers");
  expect_problem(teacher.post("/api/v1/steps/" + step + "/items",
                              R"({"kind":"matching","content":{"question":"?","pairs":[{"left":"a","right":"b"}]}})"),
                 422, "content.pairs");
  EXPECT_EQ(teacher.get("/api/v1/steps/" + step + "/items").json().at("items").as_array().size(), 3u);
}

// Items, paths and settings are cached for answers (docs/decisions/0008): a teacher's change must
// reach a student in the middle of a session at once, and a removed card must be skipped.
TEST_F(LearningApi, ATeachersCorrectionReachesAStudentMidSessionAtOnce) {
  clock_->set_ms(kStart);
  auto teacher = logged_in("demo", "teacher@demo.test");
  const auto [path, step] = quiz_for_4e_a("Histoire-Géographie", "Capitals", R"([
      {"kind":"short_answer","content":{"question":"Capital of Australia?","accepted":["Sydney"]}},
      {"kind":"short_answer","content":{"question":"Capital of Canada?","accepted":["Ottawa"]}},
      {"kind":"short_answer","content":{"question":"Capital of Brazil?","accepted":["Brasília"]}}])");
  auto student = logged_in("demo", "student03@demo.test");
  auto revising = start_revising(student, step);
  const auto& session = revising.session;
  auto answer = [&](const std::string& text) { return revising.answer(object{{"text", text}}, 5000); };
  const std::string first(session.at("current").at("item_id").as_string());
  // The first question was wrong in the teacher's deck: corrected while the student answers.
  const auto fixed = teacher.patch("/api/v1/items/" + first,
                                   R"({"content":{"question":"Capital of Australia?","accepted":["Canberra"]}})");
  ASSERT_EQ(fixed.status, 200) << fixed.body;
  auto r = answer("Canberra");
  EXPECT_TRUE(r.at("correct").as_bool()) << r;
  EXPECT_EQ(r.at("correction").at("expected"), (array{"Canberra"}));
  // The next card is removed before it is answered: the answer skips it.
  const std::string second(session.at("current").at("item_id").as_string());
  const auto done_before = session.at("cards_done").as_int64();
  ASSERT_EQ(teacher.del("/api/v1/items/" + second).status, 204);
  r = answer("Ottawa");
  EXPECT_TRUE(r.at("skipped").as_bool()) << r;
  EXPECT_EQ(session.at("cards_done").as_int64(), done_before + 1);  // nothing left of the removed card
}

TEST_F(LearningApi, TheCorrectionShowsTheStudentsAnswerAndTheRightOneInWords) {
  clock_->set_ms(kStart);
  const auto [path, step] = quiz_for_4e_a("Anglais", "Past tense", R"([
      {"kind":"choice","content":{"question":"Past of go?","options":["goed","went","gone"],"answers":[1]}},
      {"kind":"short_answer","content":{"question":"Past of buy?","accepted":["bought"]}}])");
  auto student = logged_in("demo", "student04@demo.test");
  auto revising = start_revising(student, step);
  const auto& session = revising.session;
  auto send = [&](const object& answer) { return revising.answer(answer, 6000); };
  auto r = send(object{{"selected", array{0}}});  // options by their text, never their numbers
  EXPECT_EQ(r.at("correction").at("given"), (array{"goed"}));
  EXPECT_EQ(r.at("correction").at("expected"), (array{"went"}));
  r = send(object{{"text", "buyed"}});
  EXPECT_EQ(r.at("correction").at("given"), (array{"buyed"}));
  EXPECT_EQ(r.at("correction").at("expected"), (array{"bought"}));
  // Two cards, and each wrong one comes back once: the counter says 2 cards, answers grow.
  EXPECT_EQ(session.at("cards").as_int64(), 2);
  EXPECT_EQ(session.at("cards_done").as_int64(), 0);
  EXPECT_EQ(session.at("total").as_int64(), 4);
}

TEST_F(LearningApi, ANewPathWithNothingToLearnIsADraftAndIsPublishedOnlyWithContent) {
  clock_->set_ms(kStart);
  auto teacher = logged_in("demo", "teacher@demo.test");
  const auto created = teacher.post("/api/v1/learning-paths",
                                    R"({"subject_id":")" + subject("Mathématiques") + R"(","title":"Empty","class_ids":[")" +
                                        class_id("4e A") + R"("],"steps":[{"title":"Cards","kind":"cards"}]})");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(json_string(created.json(), "status"), "draft");
  const std::string path = json_string(created.json(), "id");
  expect_problem(teacher.post("/api/v1/learning-paths",
                              R"({"subject_id":")" + subject("Mathématiques") + R"(","title":"Empty","status":"active"})"),
                 422, "status");
  // Students see nothing of a draft.
  auto student = logged_in("demo", "student05@demo.test");
  expect_problem(student.get("/api/v1/me/learning-paths/" + path), 404);
  const auto home = student.get("/api/v1/me/learning").json();
  for (const auto& p : home.at("paths").as_array()) EXPECT_NE(p.at("id").as_string(), path);
  // Publishing an empty path is refused; a pending (unvalidated) card is not enough either.
  expect_problem(teacher.patch("/api/v1/learning-paths/" + path, R"({"status":"active"})"), 422, "status");
  const auto detail = teacher.get("/api/v1/learning-paths/" + path).json();
  const std::string step(detail.at("steps").at(0).at("id").as_string());
  const auto pending = teacher.post("/api/v1/steps/" + step + "/items",
                                    R"({"kind":"flashcard","validation":"pending","content":{"front":"2+2","back":"4"}})");
  ASSERT_EQ(pending.status, 201) << pending.body;
  expect_problem(teacher.patch("/api/v1/learning-paths/" + path, R"({"status":"active"})"), 422, "status");

  // The teacher previews it as a student would see it: validated cards only, answers in words.
  ASSERT_EQ(teacher.post("/api/v1/steps/" + step + "/items",
                         R"({"kind":"choice","content":{"question":"2+3?","options":["4","5"],"answers":[1]}})").status,
            201);
  const auto preview = teacher.get("/api/v1/learning-paths/" + path + "/preview");
  ASSERT_EQ(preview.status, 200) << preview.body;
  const auto cards = preview.json().at("steps").at(0).at("cards").as_array();
  ASSERT_EQ(cards.size(), 1u);
  EXPECT_EQ(cards[0].at("prompt").at("question").as_string(), "2+3?");
  EXPECT_EQ(cards[0].at("expected"), (array{"5"}));
  expect_problem(student.get("/api/v1/learning-paths/" + path + "/preview"), 403);
  expect_problem(logged_in("other", "teacher@other.test").get("/api/v1/learning-paths/" + path + "/preview"), 404);
  // Previewing logged nothing: no student and no teacher has a card of this path.
  const auto progress = teacher.get("/api/v1/learning-paths/" + path + "/progress").json();
  for (const auto& s : progress.at("students").as_array()) EXPECT_EQ(s.at("cards_started").as_int64(), 0);

  const auto published = teacher.patch("/api/v1/learning-paths/" + path, R"({"status":"active"})");
  ASSERT_EQ(published.status, 200) << published.body;
  EXPECT_EQ(json_string(published.json(), "status"), "active");
  EXPECT_EQ(student.get("/api/v1/me/learning-paths/" + path).status, 200);
  // The school's activity log names what was changed, not only its kind.
  const auto activity = logged_in("demo", "admin@demo.test").get("/api/v1/activity?limit=20").json();
  bool named = false;
  for (const auto& entry : activity.at("items").as_array()) {
    if (entry.at("action").as_string() == "learning_item.created" && entry.at("target_name").as_string() == "2+3?") named = true;
  }
  EXPECT_TRUE(named) << boost::json::serialize(activity);
}

TEST_F(LearningApi, ATeachersDayShowsStudentsBehindEmptyPathsAndItemsToValidate) {
  clock_->set_ms(kStart);
  auto teacher = logged_in("demo", "teacher2@demo.test");
  const std::string student = user_id("demo", "student28@demo.test");
  const auto created = teacher.post(
      "/api/v1/learning-paths",
      R"({"subject_id":")" + subject("Mathématiques") + R"(","title":"Tables","student_ids":[")" + student +
          R"("],"steps":[{"title":"Cards","kind":"cards","items":)" + flashcards(3, "T") + "}]}");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string path = json_string(created.json(), "id");
  ASSERT_EQ(teacher.post("/api/v1/learning-paths", R"({"subject_id":")" + subject("Mathématiques") + R"(","title":"Empty draft"})").status, 201);
  const auto step = teacher.get("/api/v1/learning-paths/" + path).json().at("steps").at(0).at("id");
  ASSERT_EQ(teacher.post("/api/v1/steps/" + std::string(step.as_string()) + "/items",
                         R"({"kind":"flashcard","validation":"pending","content":{"front":"AI","back":"draft"}})").status, 201);
  // The student answers Again on every card, then stays away for four days.
  auto learner = logged_in("demo", "student28@demo.test");
  auto session = learner.post("/api/v1/revision-sessions", R"({"step_id":")" + std::string(step.as_string()) + R"("})").json();
  for (int i = 0; i < 3; ++i) session = answer_current(learner, session, 1).at("session");
  clock_->advance_ms(4LL * 86'400'000);

  const auto day = teacher.get("/api/v1/me/teaching");
  ASSERT_EQ(day.status, 200) << day.body;
  const auto today = day.json();
  bool behind = false;
  for (const auto& s : today.at("students_behind").as_array()) {
    if (s.at("student_id").as_string() == student && s.at("path_id").as_string() == path) {
      behind = true;
      EXPECT_EQ(s.at("due").as_int64(), 3);
    }
  }
  EXPECT_TRUE(behind) << day.body;
  bool empty_listed = false;
  for (const auto& p : today.at("paths_without_content").as_array()) empty_listed |= p.at("title").as_string() == "Empty draft";
  EXPECT_TRUE(empty_listed);
  EXPECT_GE(today.at("pending_items").as_int64(), 1);
  for (const auto& p : today.at("paths").as_array()) {
    if (p.at("id").as_string() == path) {
      EXPECT_EQ(p.at("students_not_started").as_int64(), 0);
    }
  }
  expect_problem(learner.get("/api/v1/me/teaching"), 403);
}

TEST_F(LearningApi, TheLastAnswerCompletesTheStepWithoutFinishingByHand) {
  clock_->set_ms(kStart);
  auto teacher = logged_in("demo", "teacher@demo.test");
  const auto created = teacher.post(
      "/api/v1/learning-paths",
      R"({"subject_id":")" + subject("Mathématiques") + R"(","title":"Two steps","student_ids":[")" +
          user_id("demo", "student27@demo.test") +
          R"("],"steps":[{"title":"First","kind":"cards","items":)" + flashcards(2) + R"(},)"
          R"({"title":"Second","kind":"cards","items":)" + flashcards(1, "S") + "}]}");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string path = json_string(created.json(), "id");
  auto student = logged_in("demo", "student27@demo.test");  // in no class the other tests use
  auto view = student.get("/api/v1/me/learning-paths/" + path).json();
  const std::string first(view.at("steps").at(0).at("id").as_string());
  ASSERT_TRUE(view.at("steps").at(1).at("locked").as_bool());
  auto session = student.post("/api/v1/revision-sessions", R"({"step_id":")" + first + R"("})").json();
  session = answer_current(student, session, 4).at("session");
  const auto last = answer_current(student, session, 4);
  // The student closes the tab here, without asking for the results.
  EXPECT_EQ(last.at("session").at("status").as_string(), "finished");
  view = student.get("/api/v1/me/learning-paths/" + path).json();
  EXPECT_TRUE(view.at("steps").at(0).at("done").as_bool());
  EXPECT_FALSE(view.at("steps").at(1).at("locked").as_bool());
  EXPECT_TRUE(view.at("steps").at(0).at("active_session_id").is_null());  // nothing empty to resume
  // Asking for the results afterwards answers the same summary, once.
  const auto finished = student.post("/api/v1/revision-sessions/" + json_string(session, "id") + "/finish");
  ASSERT_EQ(finished.status, 200);
  EXPECT_EQ(finished.json().at("summary"), last.at("session").at("summary"));
  EXPECT_EQ(finished.json().at("summary").at("unlocked_steps").as_array().size(), 1u);
  // Home and path agree on what is due, by one definition: what a review would take now.
  const auto home = student.get("/api/v1/me/learning").json();
  // "Revise now" leads to the step just opened (its new card), and today counts in the history.
  ASSERT_FALSE(home.at("next_step").is_null());
  EXPECT_EQ(home.at("next_step").at("step_title").as_string(), "Second");
  EXPECT_EQ(home.at("next_step").at("new").as_int64(), 1);
  EXPECT_EQ(home.at("history").as_array().size(), 84u);
  EXPECT_EQ(home.at("history").as_array().back().at("count").as_int64(), 2);
  for (const auto& p : home.at("paths").as_array()) {
    if (p.at("id").as_string() != path) continue;
    std::int64_t due_in_steps = 0;
    for (const auto& s : view.at("steps").as_array()) due_in_steps += s.at("due").as_int64();
    EXPECT_EQ(p.at("due_today").as_int64(), due_in_steps);
  }
}

TEST_F(LearningApi, StepsUnlockInOrderAndLessonsAreMarkedRead) {
  clock_->set_ms(kStart);
  auto teacher = logged_in("demo", "teacher@demo.test");
  const auto created = teacher.post(
      "/api/v1/learning-paths",
      R"({"subject_id":")" + subject("Mathématiques") + R"(","title":"Ordered","class_ids":[")" + class_id("4e A") +
          R"("],"steps":[{"title":"Lesson","kind":"lesson","items":[{"kind":"lesson","content":{"markdown":"Read me"}}]},)"
          R"({"title":"Cards","kind":"cards","items":)" + flashcards(1) + "}]}");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string path = json_string(created.json(), "id");
  auto student = logged_in("demo", "student03@demo.test");
  auto view = student.get("/api/v1/me/learning-paths/" + path);
  ASSERT_EQ(view.status, 200) << view.body;
  const std::string lesson(view.json().at("steps").at(0).at("id").as_string());
  const std::string cards(view.json().at("steps").at(1).at("id").as_string());
  EXPECT_FALSE(view.json().at("steps").at(0).at("locked").as_bool());
  EXPECT_TRUE(view.json().at("steps").at(1).at("locked").as_bool());
  EXPECT_EQ(view.json().at("steps").at(0).at("lessons").at(0).at("markdown").as_string(), "Read me");
  expect_problem(student.post("/api/v1/revision-sessions", R"({"step_id":")" + cards + R"("})"), 409);
  expect_problem(student.post("/api/v1/revision-sessions", R"({"step_id":")" + lesson + R"("})"), 409);
  ASSERT_EQ(student.post("/api/v1/steps/" + lesson + "/complete").status, 200);
  view = student.get("/api/v1/me/learning-paths/" + path);
  EXPECT_FALSE(view.json().at("steps").at(1).at("locked").as_bool());
  EXPECT_EQ(student.post("/api/v1/revision-sessions", R"({"step_id":")" + cards + R"("})").status, 201);

  // A draft path is invisible to its students; a student outside its classes never sees it.
  ASSERT_EQ(teacher.patch("/api/v1/learning-paths/" + path, R"({"status":"draft"})").status, 200);
  expect_problem(student.get("/api/v1/me/learning-paths/" + path), 404);
  ASSERT_EQ(teacher.patch("/api/v1/learning-paths/" + path, R"({"status":"active"})").status, 200);
  expect_problem(logged_in("demo", "student20@demo.test").get("/api/v1/me/learning-paths/" + path), 404);
}

TEST_F(LearningApi, ClassMembershipChangesFlowThroughToPaths) {
  const auto [path, step] = path_for_4e_a(1);
  auto student = logged_in("demo", "student05@demo.test");
  ASSERT_EQ(student.get("/api/v1/me/learning-paths/" + path).status, 200);
  // The admin moves student05 out of 4e A.
  auto admin = logged_in("demo", "admin@demo.test");
  const std::string c = class_id("4e A");
  const auto members = admin.get("/api/v1/classes/" + c).json();
  array teachers, students;
  for (const auto& t : members.at("teachers").as_array()) teachers.push_back(t.at("id"));
  const std::string removed = user_id("demo", "student05@demo.test");
  for (const auto& s : members.at("students").as_array()) {
    if (s.at("id").as_string() != removed) students.push_back(s.at("id"));
  }
  const auto put = admin.request("PUT", "/api/v1/classes/" + c + "/members",
                                 boost::json::serialize(object{{"teacher_ids", teachers}, {"student_ids", students}}),
                                 {{"content-type", "application/json"}});
  ASSERT_EQ(put.status, 200) << put.body;
  expect_problem(student.get("/api/v1/me/learning-paths/" + path), 404);
  students.push_back(boost::json::value(removed));
  admin.request("PUT", "/api/v1/classes/" + c + "/members",
                boost::json::serialize(object{{"teacher_ids", teachers}, {"student_ids", students}}),
                {{"content-type", "application/json"}});
  EXPECT_EQ(student.get("/api/v1/me/learning-paths/" + path).status, 200);
}

TEST_F(LearningApi, CsvImportReportsEachLineAndExportGivesItBack) {
  const auto [path, step] = path_for_4e_a(1);
  auto teacher = logged_in("demo", "teacher@demo.test");
  const std::string csv =
      "front,back,tags\n"
      "to go,went,verbs irregular\n"
      "to be,,verbs\n"
      "Q0,dup,\n"
      "\"to \"\"say\"\"\",said,verbs\n";
  // A dry run gives the same report, duplicates included, and keeps nothing.
  const auto preview = teacher.request("POST", "/api/v1/steps/" + step + "/import?dry_run=true", csv, {{"content-type", "text/csv"}});
  ASSERT_EQ(preview.status, 200) << preview.body;
  EXPECT_TRUE(preview.json().at("dry_run").as_bool());
  EXPECT_EQ(preview.json().at("taken").as_int64(), 2);
  EXPECT_EQ(preview.json().at("skipped").as_int64(), 2);
  EXPECT_EQ(teacher.get("/api/v1/steps/" + step + "/items").json().at("items").as_array().size(), 1u);
  expect_problem(teacher.request("POST", "/api/v1/steps/" + step + "/import?dry_run=maybe", csv, {{"content-type", "text/csv"}}), 422, "dry_run");
  const auto imported = teacher.request("POST", "/api/v1/steps/" + step + "/import", csv, {{"content-type", "text/csv"}});
  ASSERT_EQ(imported.status, 201) << imported.body;
  const auto report = imported.json();
  EXPECT_EQ(report.at("taken").as_int64(), 2);
  EXPECT_EQ(report.at("skipped").as_int64(), 2);
  EXPECT_EQ(report.at("lines").at(1).at("status").as_string(), "skipped");
  EXPECT_EQ(report.at("lines").at(1).at("line").as_int64(), 3);
  EXPECT_FALSE(report.at("lines").at(1).at("reason").as_string().empty());
  expect_problem(teacher.request("POST", "/api/v1/steps/" + step + "/import", csv, {{"content-type", "application/pdf"}}), 415);

  const auto items = teacher.get("/api/v1/steps/" + step + "/items").json().at("items").as_array();
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[2].at("content").at("front").as_string(), "to \"say\"");
  EXPECT_EQ(items[1].at("origin").as_string(), "imported");

  const auto exported = teacher.get("/api/v1/learning-paths/" + path + "/export?format=csv");
  ASSERT_EQ(exported.status, 200);
  EXPECT_NE(exported.body.find("\"to \"\"say\"\"\",\"said\""), std::string::npos) << exported.body;
  const auto as_json = teacher.get("/api/v1/learning-paths/" + path + "/export?format=json");
  ASSERT_EQ(as_json.status, 200);
  EXPECT_EQ(as_json.json().at("steps").at(0).at("items").as_array().size(), 3u);
  expect_problem(teacher.get("/api/v1/learning-paths/" + path + "/export?format=xml"), 422, "format");

  // A copy has the same content, no students, and starts as a draft.
  const auto copy = teacher.post("/api/v1/learning-paths/" + path + "/copy", R"({"title":"Fractions 2027"})");
  ASSERT_EQ(copy.status, 201) << copy.body;
  EXPECT_EQ(copy.json().at("status").as_string(), "draft");
  const auto copied = teacher.get("/api/v1/learning-paths/" + json_string(copy.json(), "id")).json();
  EXPECT_EQ(copied.at("steps").at(0).at("item_count").as_int64(), 3);
  EXPECT_EQ(copied.at("assigned_student_count").as_int64(), 0);
}

TEST_F(LearningApi, AnkiPackagesAreImportedWithTheirPicturesAndEachNoteReported) {
  const auto [path, step] = path_for_4e_a(1);
  auto teacher = logged_in("demo", "teacher@demo.test");
  test::AnkiDeck deck;
  deck.current_layout = true;
  deck.notes = {
      {"basic", {"Le <b>soleil</b> <img src=\"sun.png\">", "the sun"}, "astronomy"},
      {"reversed", {"la lune", "the moon"}, ""},
      {"cloze", {"The {{c1::Earth}} turns around the {{c2::Sun}}.", ""}, ""},
      {"type_in", {"Closest star?", "the Sun"}, ""},
      {"single_field", {"a note with one field"}, ""},
      {"basic", {"Q0", "already in the step"}, ""},
      {"basic", {"no back", ""}, ""},
      {"basic", {"broken picture <img src=\"gone.png\">", "x"}, ""},
      {"basic", {"hello [sound:hello.mp3]", "bonjour"}, ""},
  };
  deck.media["sun.png"] = test::tiny_png();
  deck.media["hello.mp3"] = std::string("ID3\x04\0\0\0\0\0\0", 10) + std::string(32, '\x55');
  const std::string package = test::make_apkg(deck);
  const auto imported = teacher.request("POST", "/api/v1/steps/" + step + "/import", package,
                                        {{"content-type", "application/zip"}});
  ASSERT_EQ(imported.status, 201) << imported.body;
  const auto report = imported.json();
  EXPECT_EQ(report.at("format").as_string(), "apkg");
  EXPECT_EQ(report.at("taken").as_int64(), 6) << imported.body;
  EXPECT_EQ(report.at("skipped").as_int64(), 3);
  const auto& lines = report.at("lines").as_array();
  ASSERT_EQ(lines.size(), 9u);
  EXPECT_EQ(lines[2].at("kind").as_string(), "cloze");
  EXPECT_EQ(lines[3].at("kind").as_string(), "short_answer");
  EXPECT_EQ(lines[4].at("status").as_string(), "skipped");
  EXPECT_EQ(lines[5].at("status").as_string(), "skipped");
  EXPECT_EQ(lines[6].at("status").as_string(), "skipped");
  EXPECT_EQ(lines[7].at("status").as_string(), "taken");
  EXPECT_FALSE(lines[7].at("reason").as_string().empty());  // the picture that was not there

  const auto items = teacher.get("/api/v1/steps/" + step + "/items").json().at("items").as_array();
  ASSERT_EQ(items.size(), 7u);
  const std::string front(items[1].at("content").at("front").as_string());
  const auto url_at = front.find("/api/v1/learning-media/");
  ASSERT_NE(url_at, std::string::npos) << front;
  EXPECT_EQ(front.substr(0, 16), "Le **soleil** ![");
  const std::string url = front.substr(url_at, front.find(')', url_at) - url_at);
  EXPECT_TRUE(items[2].at("content").at("reversed").as_bool());
  EXPECT_EQ(items[1].at("tags").at(0).as_string(), "astronomy");

  // Students of the school see the picture; another school does not, whatever it tries.
  auto student = logged_in("demo", "student@demo.test");
  const auto picture = student.get(url);
  ASSERT_EQ(picture.status, 200);
  EXPECT_EQ(picture.header("content-type"), "image/png");
  EXPECT_EQ(picture.body, test::tiny_png());
  expect_problem(logged_in("other", "teacher@other.test").get(url), 404);
  // The sound plays from the school too.
  const std::string hello(items[6].at("content").at("front").as_string());
  ASSERT_EQ(hello.substr(0, 14), "hello ![audio]") << hello;
  const auto sound = student.get(hello.substr(15, hello.size() - 16));
  ASSERT_EQ(sound.status, 200);
  EXPECT_EQ(sound.header("content-type"), "audio/mpeg");

  // Importing the same package again takes nothing twice.
  const auto again = teacher.request("POST", "/api/v1/steps/" + step + "/import?format=apkg", package,
                                     {{"content-type", "application/octet-stream"}});
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(again.json().at("taken").as_int64(), 0);

  // What is not a package says why, and changes nothing.
  expect_problem(teacher.request("POST", "/api/v1/steps/" + step + "/import", "front,back\n",
                                 {{"content-type", "application/zip"}}),
                 422, "file");
  expect_problem(teacher.request("POST", "/api/v1/steps/" + step + "/import?format=docx", "x",
                                 {{"content-type", "text/plain"}}),
                 422, "format");
  EXPECT_EQ(teacher.get("/api/v1/steps/" + step + "/items").json().at("items").as_array().size(), 7u);
}

// Uploads declare their own limit above the usual 1 MiB body limit, and the server honours it.
TEST_F(LearningApi, APackageLargerThanTheUsualBodyLimitIsImported) {
  const auto [path, step] = path_for_4e_a(0);
  test::AnkiDeck deck;
  deck.notes = {{"basic", {"big <img src=\"big.png\">", "picture"}, ""}};
  std::mt19937 random(7);
  std::string noise(1'600'000, '\0');
  for (auto& c : noise) c = static_cast<char>(random());
  deck.media["big.png"] = test::tiny_png() + noise;
  const std::string package = test::make_apkg(deck);
  ASSERT_GT(package.size(), 1u << 20);
  auto teacher = logged_in("demo", "teacher@demo.test");
  const auto imported = teacher.request("POST", "/api/v1/steps/" + step + "/import", package,
                                        {{"content-type", "application/zip"}});
  ASSERT_EQ(imported.status, 201) << imported.body.substr(0, 300);
  EXPECT_EQ(imported.json().at("taken").as_int64(), 1);
  EXPECT_FALSE(imported.json().at("lines").at(0).as_object().contains("reason"));  // the picture was kept
}

TEST_F(LearningApi, GiftQuizzesBecomeQuestionsAndPicturesAndSoundsCanBeUploaded) {
  const auto [path, step] = path_for_4e_a(0);
  auto teacher = logged_in("demo", "teacher@demo.test");
  const std::string gift =
      "// quiz\n::q1:: 2 + 2 = ? {=4 ~3 ~5}\n\nThe Earth is flat. {F}\n\n"
      "Capital of Spain? {=Madrid}\n\nWrite about your holidays. {}\n\n"
      "Rome is the {=capital} of Italy.\n";
  const auto imported = teacher.request("POST", "/api/v1/steps/" + step + "/import?format=gift", gift,
                                        {{"content-type", "text/plain"}, {"accept-language", "fr"}});
  ASSERT_EQ(imported.status, 201) << imported.body;
  const auto report = imported.json();
  EXPECT_EQ(report.at("taken").as_int64(), 4);
  EXPECT_EQ(report.at("skipped").as_int64(), 1);
  EXPECT_EQ(report.at("lines").at(3).at("line").as_int64(), 8);
  EXPECT_EQ(report.at("lines").at(3).at("reason").as_string(),
            "Les questions ouvertes sont corrigées à la main ; elles ne sont pas importées.");
  const auto items = teacher.get("/api/v1/steps/" + step + "/items").json().at("items").as_array();
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[0].at("kind").as_string(), "choice");
  EXPECT_EQ(items[1].at("content").at("options").at(0).as_string(), "Vrai");
  EXPECT_EQ(items[2].at("kind").as_string(), "short_answer");
  EXPECT_EQ(items[3].at("content").at("text").as_string(), "Rome is the {{c1::capital}} of Italy.");
  EXPECT_EQ(report.at("encoding").as_string(), "utf-8");

  // A quiz saved by Moodle on Windows (Windows-1252): read, with its accents, and said so.
  const auto latin = teacher.request("POST", "/api/v1/steps/" + step + "/import?format=gift",
                                     "Capitale de l'\xC9quateur ? {=Quito}\n",
                                     {{"content-type", "text/plain"}, {"accept-language", "fr"}});
  ASSERT_EQ(latin.status, 201) << latin.body;
  EXPECT_EQ(latin.json().at("encoding").as_string(), "windows-1252");
  EXPECT_EQ(latin.json().at("lines").at(0).at("front").as_string(), "Capitale de l'Équateur ?");

  // A picture for a lesson: stored, addressed, and refused when it is not what it says.
  const auto uploaded = teacher.request("POST", "/api/v1/learning-paths/" + path + "/media?name=sun.png",
                                        test::tiny_png(), {{"content-type", "image/png"}});
  ASSERT_EQ(uploaded.status, 201) << uploaded.body;
  EXPECT_EQ(teacher.get(json_string(uploaded.json(), "url")).body, test::tiny_png());
  EXPECT_EQ(json_string(uploaded.json(), "markdown"), "![sun](" + json_string(uploaded.json(), "url") + ")");
  // A sound: the browser may call it audio/mp3; the bytes decide what it is.
  const auto sound = teacher.request("POST", "/api/v1/learning-paths/" + path + "/media?name=hello.mp3",
                                     std::string("ID3\x04\0\0\0\0\0\0", 10) + std::string(32, '\x55'),
                                     {{"content-type", "audio/mp3"}});
  ASSERT_EQ(sound.status, 201) << sound.body;
  EXPECT_EQ(json_string(sound.json(), "content_type"), "audio/mpeg");
  EXPECT_EQ(json_string(sound.json(), "markdown"), "![audio](" + json_string(sound.json(), "url") + ")");
  expect_problem(teacher.request("POST", "/api/v1/learning-paths/" + path + "/media", "not a sound",
                                 {{"content-type", "audio/mpeg"}}),
                 422, "file");
  expect_problem(teacher.request("POST", "/api/v1/learning-paths/" + path + "/media", "not a picture",
                                 {{"content-type", "image/png"}}),
                 422, "file");
  expect_problem(teacher.request("POST", "/api/v1/learning-paths/" + path + "/media", "%PDF",
                                 {{"content-type", "application/pdf"}}),
                 415);
  expect_problem(logged_in("demo", "student@demo.test")
                     .request("POST", "/api/v1/learning-paths/" + path + "/media", test::tiny_png(),
                              {{"content-type", "image/png"}}),
                 403);
}

TEST_F(LearningApi, StepsAreAddedReorderedEditedAndDeleted) {
  const auto [path, first] = path_for_4e_a(1);
  auto teacher = logged_in("demo", "teacher@demo.test");
  const auto second = teacher.post("/api/v1/learning-paths/" + path + "/steps", R"({"title":"Quiz","kind":"quiz"})");
  ASSERT_EQ(second.status, 201) << second.body;
  const std::string second_id = json_string(second.json(), "id");
  expect_problem(teacher.post("/api/v1/learning-paths/" + path + "/steps", R"({"title":"X","unlock_rule":"prerequisite"})"),
                 422, "prerequisite_step_id");
  expect_problem(teacher.patch("/api/v1/steps/" + first, R"({"unlock_rule":"prerequisite","prerequisite_step_id":")" + first + R"("})"),
                 422, "prerequisite_step_id");
  expect_problem(teacher.request("PUT", "/api/v1/learning-paths/" + path + "/step-order", R"({"step_ids":[")" + first + R"("]})",
                                 {{"content-type", "application/json"}}),
                 422, "step_ids");
  const auto reordered = teacher.request("PUT", "/api/v1/learning-paths/" + path + "/step-order",
                                         R"({"step_ids":[")" + second_id + R"(",")" + first + R"("]})",
                                         {{"content-type", "application/json"}});
  ASSERT_EQ(reordered.status, 200) << reordered.body;
  const auto detail = teacher.get("/api/v1/learning-paths/" + path).json();
  EXPECT_EQ(detail.at("steps").at(0).at("id").as_string(), second_id);
  // Items: a pending one (generated) does not reach students until validated.
  const auto item = teacher.post("/api/v1/steps/" + second_id + "/items",
                                 R"({"kind":"short_answer","origin":"generated","content":{"question":"2+2?","accepted":["4"]}})");
  ASSERT_EQ(item.status, 201) << item.body;
  EXPECT_EQ(item.json().at("validation").as_string(), "pending");
  expect_problem(teacher.post("/api/v1/steps/" + second_id + "/items", R"({"kind":"choice","content":{"question":"?","options":["a","a"],"answers":[3]}})"),
                 422, "content.options");
  const std::string item_id = json_string(item.json(), "id");
  ASSERT_EQ(teacher.patch("/api/v1/items/" + item_id, R"({"validation":"validated"})").status, 200);
  EXPECT_EQ(teacher.get("/api/v1/items/" + item_id).json().at("validation").as_string(), "validated");
  EXPECT_EQ(teacher.del("/api/v1/items/" + item_id).status, 204);
  expect_problem(teacher.get("/api/v1/items/" + item_id), 404);
  EXPECT_EQ(teacher.del("/api/v1/steps/" + second_id).status, 204);
  EXPECT_EQ(teacher.get("/api/v1/learning-paths/" + path).json().at("steps").as_array().size(), 1u);
}

TEST_F(LearningApi, MemorySettingsFollowTheHierarchyAndStudentsMayOnlyAimHigher) {
  clock_->set_ms(kStart);
  auto teacher = logged_in("demo", "teacher@demo.test");
  // The path allows two new cards a day.
  const auto [path, step] = path_for_4e_a(5, R"("new_cards_per_day":2,)");
  auto student = logged_in("demo", "student06@demo.test");
  const auto session = student.post("/api/v1/revision-sessions", R"({"step_id":")" + step + R"("})");
  ASSERT_EQ(session.status, 201) << session.body;
  EXPECT_EQ(session.json().at("total").as_int64(), 2);

  expect_problem(student.request("PUT", "/api/v1/me/memory-settings", R"({"new_cards_per_day":50})",
                                 {{"content-type", "application/json"}}),
                 422, "new_cards_per_day");
  expect_problem(student.request("PUT", "/api/v1/me/memory-settings", R"({"desired_retention":1.5})",
                                 {{"content-type", "application/json"}}),
                 422, "desired_retention");
  // A lower goal than the teacher's is ignored; a higher one applies.
  ASSERT_EQ(student.request("PUT", "/api/v1/me/memory-settings", R"({"desired_retention":0.8})",
                            {{"content-type", "application/json"}}).status, 200);
  EXPECT_DOUBLE_EQ(student.get("/api/v1/me/learning-paths/" + path).json().at("memory").at("desired_retention").as_double(), 0.9);
  ASSERT_EQ(student.request("PUT", "/api/v1/me/memory-settings", R"({"desired_retention":0.95})",
                            {{"content-type", "application/json"}}).status, 200);
  const auto memory = student.get("/api/v1/me/learning-paths/" + path).json().at("memory");
  EXPECT_DOUBLE_EQ(memory.at("desired_retention").as_double(), 0.95);
  EXPECT_EQ(memory.at("retention_from").as_string(), "student");
  EXPECT_EQ(memory.at("new_cards_per_day").as_int64(), 2);

  ASSERT_EQ(teacher.request("PUT", "/api/v1/me/memory-settings", R"({"desired_retention":0.85,"reviews_per_day":100})",
                            {{"content-type", "application/json"}}).status, 200);
  EXPECT_EQ(teacher.get("/api/v1/me/memory-settings").json().at("reviews_per_day").as_int64(), 100);
  // The school sets a subject's level; a teacher cannot.
  const std::string maths = subject("Mathématiques");
  expect_problem(teacher.request("PUT", "/api/v1/subjects/" + maths + "/memory-settings", R"({"desired_retention":0.9})",
                                 {{"content-type", "application/json"}}),
                 403);
  auto admin = logged_in("demo", "admin@demo.test");
  ASSERT_EQ(admin.request("PUT", "/api/v1/subjects/" + maths + "/memory-settings", R"({"maximum_interval_days":120})",
                          {{"content-type", "application/json"}}).status, 200);
  EXPECT_EQ(student.get("/api/v1/me/learning-paths/" + path).json().at("memory").at("maximum_interval_days").as_int64(), 120);
  admin.request("PUT", "/api/v1/subjects/" + maths + "/memory-settings", "{}", {{"content-type", "application/json"}});
}

TEST_F(LearningApi, EnoughReviewsFitTheStudentsOwnParametersInTheBackground) {
  clock_->set_ms(kStart);
  const auto [path, step] = path_for_4e_a(20, R"("new_cards_per_day":20,)");
  auto student = logged_in("demo", "student07@demo.test");
  // Twelve days of sessions, a few lapses, until more than 64 reviews exist.
  for (int day = 0; day < 12; ++day) {
    auto started = student.post("/api/v1/revision-sessions", R"({"step_id":")" + step + R"("})");
    if (started.status == 409) {
      clock_->advance_ms(86'400'000);
      continue;
    }
    ASSERT_LT(started.status, 300) << started.body;
    auto session = started.json();
    int n = 0;
    while (!session.at("current").is_null()) {
      const int rating = (n++ % 5 == 0) ? 1 : 3;
      session = answer_current(student, session, rating).at("session");
      clock_->advance_ms(11 * 60'000);
    }
    ASSERT_EQ(student.post("/api/v1/revision-sessions/" + json_string(session, "id") + "/finish").status, 200);
    clock_->advance_ms(86'400'000);
    student = logged_in("demo", "student07@demo.test");
  }
  app_->app().worker().drain();
  const auto progress = logged_in("demo", "teacher@demo.test").get("/api/v1/learning-paths/" + path + "/progress").json();
  bool found = false;
  for (const auto& s : progress.at("students").as_array()) {
    if (s.at("display_name").as_string() != "Élève 07") continue;
    found = true;
    EXPECT_GE(s.at("reviews").as_int64(), 64);
    ASSERT_TRUE(s.at("model").as_object().contains("log_loss_before")) << boost::json::serialize(s);
    EXPECT_GT(s.at("model").at("reviews_used").as_int64(), 0);
  }
  EXPECT_TRUE(found);
  // The last days may have had nothing due (the schedule's fuzz follows the cards' random ids): one
  // card practised today makes the streak certain.
  const auto practice = student.post("/api/v1/revision-sessions", R"({"step_id":")" + step + R"(","mode":"practice"})");
  ASSERT_LT(practice.status, 300) << practice.body;
  answer_current(student, practice.json(), 3);
  const auto home = student.get("/api/v1/me/learning").json();
  EXPECT_GE(home.at("streak_days").as_int64(), 1);
  EXPECT_EQ(home.at("forecast").as_array().size(), 30u);
}

TEST_F(LearningApi, ExamModeBringsReviewsBeforeTheExam) {
  clock_->set_ms(kStart);  // Monday 2 March; the exam is on Friday 6 March
  const auto [path, step] = path_for_4e_a(1, R"("exam_date":"2026-03-06",)");
  auto student = logged_in("demo", "student08@demo.test");
  const auto session = student.post("/api/v1/revision-sessions", R"({"step_id":")" + step + R"("})");
  ASSERT_EQ(session.status, 201) << session.body;
  // Easy on a new card would wait about a week; the exam brings it back before Friday.
  const auto result = answer_current(student, session.json(), 4);
  EXPECT_EQ(result.at("card").at("state").as_string(), "review");
  const std::int64_t friday = 1'772'766'000'000;  // 2026-03-06 04:00 Paris (03:00 UTC)
  EXPECT_LT(result.at("card").at("due_at").as_int64(), friday);
  EXPECT_GT(result.at("card").at("due_at").as_int64(), clock_->now_ms());
}

}  // namespace
}  // namespace mnemos::testing
