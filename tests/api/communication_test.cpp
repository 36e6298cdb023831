// Conversations and messages through the HTTP API and /ws (docs/communication.md): who may write
// to whom, direct conversations found again, messages in commit order with catching up after a
// message, idempotent sends, edits within 15 minutes, read marks and unread counts, class and
// path channels following their people, blocked words, reports, search, rate limits, and live delivery.
#include "api_test.hpp"
#include "anki_package.hpp"
#include "websocket_client.hpp"

#include <mnemos/core/clock.hpp>
#include <mnemos/core/jobs.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <chrono>
#include <thread>

namespace mnemos::testing {
namespace {

using boost::json::object;
using namespace std::chrono_literals;

std::string body_of(const object& o) { return boost::json::serialize(o); }

class Communication : public ApiTest {
 protected:
  static void SetUpTestSuite() {
    clock_ = new ManualClock(SystemClock().now_ms());
    app_ = new TestApp([](Config& c) { c.chat_messages_burst = 1000; }, clock_);
  }
  static void TearDownTestSuite() {
    ApiTest::TearDownTestSuite();
    delete clock_;
    clock_ = nullptr;
  }

  static std::string demo_user(const std::string& email) { return user_id("demo", email); }

  // Starts (or finds) a conversation of `c` with the people of `emails`; returns the response.
  static HttpResponse start(HttpClient& c, const std::vector<std::string>& emails) {
    boost::json::array ids;
    for (const auto& email : emails) ids.emplace_back(demo_user(email));
    return c.post("/api/v1/conversations", body_of({{"participant_ids", ids}}));
  }
  static std::string conversation(HttpClient& c, const std::vector<std::string>& emails) {
    const auto response = start(c, emails);
    EXPECT_TRUE(response.status == 201 || response.status == 200) << response.body;
    return json_string(response.json(), "id");
  }
  static HttpResponse send(HttpClient& c, const std::string& conversation_id, const std::string& text,
                           const std::string& key = "") {
    std::vector<std::pair<std::string, std::string>> headers{{"content-type", "application/json"}};
    if (!key.empty()) headers.emplace_back("idempotency-key", key);
    return c.request("POST", "/api/v1/conversations/" + conversation_id + "/messages", body_of({{"text", text}}),
                     headers);
  }
  static boost::json::value entry_of(HttpClient& c, const std::string& conversation_id) {
    const auto list = c.get("/api/v1/conversations").json();
    for (const auto& item : list.at("items").as_array()) {
      if (item.at("id").as_string() == conversation_id) return item;
    }
    return nullptr;
  }
  static std::vector<std::string> texts(const boost::json::value& page) {
    std::vector<std::string> out;
    for (const auto& m : page.at("items").as_array()) out.emplace_back(m.at("text").as_string());
    return out;
  }

  static inline ManualClock* clock_ = nullptr;
};

TEST_F(Communication, AStudentWritesToTheirTeacherWhoSeesItUnreadThenRead) {
  auto student = logged_in("demo", "student01@demo.test");
  const auto first = start(student, {"teacher@demo.test"});
  ASSERT_EQ(first.status, 201) << first.body;
  const auto id = json_string(first.json(), "id");
  EXPECT_EQ(first.json().at("kind"), "direct");
  // The same two people: the same conversation, not a second one.
  const auto again = start(student, {"teacher@demo.test"});
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(json_string(again.json(), "id"), id);

  const auto sent = send(student, id, "Bonjour, je n'ai pas compris l'exercice 3.");
  ASSERT_EQ(sent.status, 201) << sent.body;
  EXPECT_EQ(sent.json().at("author_name"), "Élève 01");
  EXPECT_EQ(sent.json().at("seq"), 1);

  auto teacher = logged_in("demo", "teacher@demo.test");
  const auto entry = entry_of(teacher, id);
  ASSERT_TRUE(entry.is_object());
  EXPECT_EQ(entry.at("unread"), 1);
  EXPECT_EQ(entry.at("last_message").at("text"), "Bonjour, je n'ai pas compris l'exercice 3.");
  // One's own messages are never unread.
  EXPECT_EQ(entry_of(student, id).at("unread"), 0);

  const auto read = teacher.post("/api/v1/conversations/" + id + "/read",
                                 body_of({{"message_id", json_string(sent.json(), "id")}}));
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(entry_of(teacher, id).at("unread"), 0);
  // The student sees how far the teacher has read (a read receipt).
  const auto detail = student.get("/api/v1/conversations/" + id).json();
  bool seen = false;
  for (const auto& m : detail.at("members").as_array()) {
    if (m.at("id").as_string() == demo_user("teacher@demo.test")) seen = m.at("last_read_seq") == 1;
  }
  EXPECT_TRUE(seen) << boost::json::serialize(detail);
}

TEST_F(Communication, WhoMayWriteToWhomIsTheSchoolsRule) {
  auto student = logged_in("demo", "student02@demo.test");  // in 4e A, taught by Thomas Bernard
  // A teacher who does not teach them: refused; nothing made.
  expect_problem(start(student, {"teacher2@demo.test"}), 403);
  // Another student: off by default.
  expect_problem(start(student, {"student03@demo.test"}), 403);
  // The school's staff: anyone may write to them.
  EXPECT_EQ(start(student, {"admin@demo.test"}).status, 201);
  // Teachers write to each other.
  auto teacher = logged_in("demo", "teacher2@demo.test");
  EXPECT_EQ(start(teacher, {"teacher@demo.test"}).status, 201);
  // The teacher of 4e B writes to a student of 4e B, not to one of 4e A.
  EXPECT_EQ(start(teacher, {"student16@demo.test"}).status, 201);
  expect_problem(start(teacher, {"student04@demo.test"}), 403);

  // The school opens student-to-student messages.
  auto admin = logged_in("demo", "admin@demo.test");
  const std::string school = school_id("demo");
  ASSERT_EQ(admin.request("PUT", "/api/v1/schools/" + school + "/communication",
                          R"({"students_may_message_students":true})", {{"content-type", "application/json"}})
                .status,
            200);
  EXPECT_EQ(start(student, {"student03@demo.test"}).status, 201);
  ASSERT_EQ(admin.request("PUT", "/api/v1/schools/" + school + "/communication",
                          R"({"students_may_message_students":false})", {{"content-type", "application/json"}})
                .status,
            200);
  // Closed again: the conversation stays, but no new message goes through it.
  const auto existing = conversation(student, {"student03@demo.test"});
  expect_problem(send(student, existing, "Tu viens ?"), 403);

  // Nobody across schools, whatever the id: 404.
  const std::string other_student = user_id("other", "student@other.test");
  expect_problem(student.post("/api/v1/conversations", body_of({{"participant_ids", boost::json::array{other_student.c_str()}}})),
                 404);
  // The contacts a student sees are the teachers of their classes and the staff.
  const auto contacts = student.get("/api/v1/contacts").json();
  std::vector<std::string> names;
  for (const auto& p : contacts.at("items").as_array()) names.emplace_back(p.at("display_name").as_string());
  EXPECT_NE(std::find(names.begin(), names.end(), "Thomas Bernard"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "Alice Martin"), names.end());
  EXPECT_EQ(std::find(names.begin(), names.end(), "Camille Petit"), names.end());
  EXPECT_EQ(std::find(names.begin(), names.end(), "Élève 03"), names.end());
}

TEST_F(Communication, AnotherSchoolsConversationIsNotFoundWhateverTheId) {
  auto student = logged_in("demo", "student05@demo.test");
  const auto id = conversation(student, {"teacher@demo.test"});
  ASSERT_EQ(send(student, id, "Question").status, 201);
  auto stranger = logged_in("other", "admin@other.test");
  expect_problem(stranger.get("/api/v1/conversations/" + id), 404);
  expect_problem(stranger.get("/api/v1/conversations/" + id + "/messages"), 404);
  expect_problem(send(stranger, id, "hello"), 404);
  // Someone of the same school who is not in it: 404 too.
  auto classmate = logged_in("demo", "student06@demo.test");
  expect_problem(classmate.get("/api/v1/conversations/" + id + "/messages"), 404);
  expect_problem(classmate.get("/api/v1/conversations/not-an-id"), 404);
}

TEST_F(Communication, MessagesComeInOrderAndAfterCatchesUpWithNothingMissedOrTwice) {
  auto student = logged_in("demo", "student07@demo.test");
  const auto id = conversation(student, {"teacher@demo.test"});
  std::vector<std::string> ids;
  for (int i = 1; i <= 5; ++i) {
    const auto sent = send(student, id, "message " + std::to_string(i));
    ASSERT_EQ(sent.status, 201) << sent.body;
    ids.push_back(json_string(sent.json(), "id"));
  }
  const auto after = student.get("/api/v1/conversations/" + id + "/messages?after=" + ids[1]).json();
  EXPECT_EQ(texts(after), (std::vector<std::string>{"message 3", "message 4", "message 5"}));
  EXPECT_EQ(after.at("has_more"), false);
  const auto newest = student.get("/api/v1/conversations/" + id + "/messages?limit=2").json();
  EXPECT_EQ(texts(newest), (std::vector<std::string>{"message 4", "message 5"}));
  EXPECT_EQ(newest.at("has_more"), true);
  const auto older = student.get("/api/v1/conversations/" + id + "/messages?limit=2&before=" + ids[3]).json();
  EXPECT_EQ(texts(older), (std::vector<std::string>{"message 2", "message 3"}));
  const auto first_two = student.get("/api/v1/conversations/" + id + "/messages?limit=2&after=" + ids[0]).json();
  EXPECT_EQ(texts(first_two), (std::vector<std::string>{"message 2", "message 3"}));
  EXPECT_EQ(first_two.at("has_more"), true);

  // Bad parameters name themselves.
  expect_problem(student.get("/api/v1/conversations/" + id + "/messages?after=nope"), 422, "after");
  expect_problem(student.get("/api/v1/conversations/" + id + "/messages?limit=0"), 422, "limit");
  expect_problem(student.get("/api/v1/conversations/" + id + "/messages?after=" + ids[0] + "&before=" + ids[4]), 422,
                 "before");
}

TEST_F(Communication, TheSameIdempotencyKeyGivesTheSameMessageNeverTwo) {
  auto student = logged_in("demo", "student08@demo.test");
  const auto id = conversation(student, {"teacher@demo.test"});
  const auto first = send(student, id, "Envoyé une fois", "key-8-1");
  ASSERT_EQ(first.status, 201);
  const auto replay = send(student, id, "Envoyé une fois", "key-8-1");
  ASSERT_EQ(replay.status, 201);
  EXPECT_EQ(json_string(replay.json(), "id"), json_string(first.json(), "id"));
  EXPECT_EQ(replay.header("idempotent-replayed"), "true");
  EXPECT_EQ(texts(student.get("/api/v1/conversations/" + id + "/messages").json()).size(), 1u);
  // The key of another message: refused, nothing sent.
  expect_problem(send(student, id, "Autre chose", "key-8-1"), 409);
  expect_problem(send(student, id, "Clé vide", std::string(101, 'k')), 422, "Idempotency-Key");
  EXPECT_EQ(texts(student.get("/api/v1/conversations/" + id + "/messages").json()).size(), 1u);
}

TEST_F(Communication, AnAuthorChangesOrDeletesAMessageWithinFifteenMinutesOnly) {
  auto student = logged_in("demo", "student09@demo.test");
  const auto id = conversation(student, {"teacher@demo.test"});
  const auto sent = send(student, id, "Je suis absant demain");
  const auto message = json_string(sent.json(), "id");
  const auto edited = student.patch("/api/v1/conversations/" + id + "/messages/" + message,
                                    R"({"text":"Je suis absent demain"})");
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_EQ(edited.json().at("text"), "Je suis absent demain");
  EXPECT_TRUE(edited.json().at("edited_at").is_int64());
  // Not someone else's message.
  auto teacher = logged_in("demo", "teacher@demo.test");
  expect_problem(teacher.patch("/api/v1/conversations/" + id + "/messages/" + message, R"({"text":"x"})"), 403);
  expect_problem(teacher.del("/api/v1/conversations/" + id + "/messages/" + message), 403);

  const auto second = json_string(send(student, id, "Oups, mauvais message").json(), "id");
  const auto deleted = student.del("/api/v1/conversations/" + id + "/messages/" + second);
  ASSERT_EQ(deleted.status, 200);
  EXPECT_EQ(deleted.json().at("text"), "");
  EXPECT_TRUE(deleted.json().at("deleted_at").is_int64());
  // A deleted message stays in its place, shown as deleted, its text gone for everyone.
  const auto page = teacher.get("/api/v1/conversations/" + id + "/messages").json();
  EXPECT_EQ(page.at("items").as_array().back().at("text"), "");

  clock_->advance_ms(16 * 60 * 1000);
  expect_problem(student.patch("/api/v1/conversations/" + id + "/messages/" + message, R"({"text":"Trop tard"})"),
                 409);
  expect_problem(student.del("/api/v1/conversations/" + id + "/messages/" + message), 409);
}

TEST_F(Communication, ABlockedWordRefusesTheMessageWithTheReason) {
  auto admin = logged_in("demo", "admin@demo.test");
  const std::string school = school_id("demo");
  const auto put = admin.request("PUT", "/api/v1/schools/" + school + "/communication",
                                 R"({"blocked_words":["crétin","pauvre nul"]})", {{"content-type", "application/json"}});
  ASSERT_EQ(put.status, 200) << put.body;
  auto student = logged_in("demo", "student10@demo.test");
  const auto id = conversation(student, {"teacher@demo.test"});
  const auto refused = send(student, id, "Ce CRETIN de robot !");
  expect_problem(refused, 422, "text");
  EXPECT_NE(refused.body.find("crétin"), std::string::npos) << refused.body;
  expect_problem(send(student, id, "Quel pauvre   nul."), 422, "text");
  // Words that only hold a blocked word are not it.
  EXPECT_EQ(send(student, id, "Le nullité n'est pas un mot bloqué").status, 201);
  EXPECT_EQ(texts(student.get("/api/v1/conversations/" + id + "/messages").json()).size(), 1u);
  // The rules are the school's admins' to change.
  expect_problem(student.request("PUT", "/api/v1/schools/" + school + "/communication", R"({"blocked_words":[]})",
                                 {{"content-type", "application/json"}}),
                 403);
  admin.request("PUT", "/api/v1/schools/" + school + "/communication", R"({"blocked_words":[]})",
                {{"content-type", "application/json"}});
}

TEST_F(Communication, AClassChannelFollowsTheClass) {
  auto teacher = logged_in("demo", "teacher@demo.test");
  std::string channel;
  const auto list = teacher.get("/api/v1/conversations").json();
  for (const auto& item : list.at("items").as_array()) {
    if (item.at("kind") == "class" && item.at("title") == "4e A") channel = std::string(item.at("id").as_string());
  }
  ASSERT_FALSE(channel.empty());
  EXPECT_EQ(teacher.get("/api/v1/conversations/" + channel).json().at("member_count"), 17);  // 16 students, 1 teacher
  auto student = logged_in("demo", "student11@demo.test");
  ASSERT_EQ(send(teacher, channel, "Contrôle vendredi.").status, 201);
  EXPECT_EQ(entry_of(student, channel).at("unread"), 1);

  // student11 leaves the class: out of its channel once the event is handled.
  auto admin = logged_in("demo", "admin@demo.test");
  std::string klass;
  const auto classes = admin.get("/api/v1/classes").json();
  for (const auto& c : classes.at("items").as_array()) {
    if (c.at("name") == "4e A") klass = std::string(c.at("id").as_string());
  }
  const auto detail = admin.get("/api/v1/classes/" + klass).json();
  boost::json::array teachers, students;
  for (const auto& m : detail.at("teachers").as_array()) teachers.emplace_back(m.at("id").as_string());
  for (const auto& m : detail.at("students").as_array()) {
    if (m.at("id").as_string() != demo_user("student11@demo.test")) students.emplace_back(m.at("id").as_string());
  }
  const auto changed = admin.request("PUT", "/api/v1/classes/" + klass + "/members",
                                     body_of({{"teacher_ids", teachers}, {"student_ids", students}}),
                                     {{"content-type", "application/json"}});
  ASSERT_EQ(changed.status, 200) << changed.body;
  app_->app().worker().drain();
  expect_problem(student.get("/api/v1/conversations/" + channel), 404);
  EXPECT_EQ(teacher.get("/api/v1/conversations/" + channel).json().at("member_count"), 16);
  // Back in the class: back in the channel, with nothing of the past counted unread.
  students.emplace_back(demo_user("student11@demo.test"));
  admin.request("PUT", "/api/v1/classes/" + klass + "/members",
                body_of({{"teacher_ids", teachers}, {"student_ids", students}}), {{"content-type", "application/json"}});
  app_->app().worker().drain();
  EXPECT_EQ(entry_of(student, channel).at("unread"), 0);
}

TEST_F(Communication, ABigChannelNamesItsFirstMembersAndAlwaysTheReader) {
  auto admin = logged_in("demo", "admin@demo.test");
  std::string klass;
  const auto classes = admin.get("/api/v1/classes").json();
  for (const auto& c : classes.at("items").as_array()) {
    if (c.at("name") == "4e B") klass = std::string(c.at("id").as_string());
  }
  ASSERT_FALSE(klass.empty());
  // student30 leaves 4e B, 110 newcomers join it, student30 comes back: the last to have joined.
  const auto detail = admin.get("/api/v1/classes/" + klass).json();
  boost::json::array teachers, students;
  for (const auto& m : detail.at("teachers").as_array()) teachers.emplace_back(m.at("id").as_string());
  const std::string late = demo_user("student30@demo.test");
  for (const auto& m : detail.at("students").as_array()) {
    if (m.at("id").as_string() != late) students.emplace_back(m.at("id").as_string());
  }
  const auto put_members = [&] {
    clock_->advance_ms(kMinuteMs);  // joined later than the ones before
    const auto changed = admin.request("PUT", "/api/v1/classes/" + klass + "/members",
                                       body_of({{"teacher_ids", teachers}, {"student_ids", students}}),
                                       {{"content-type", "application/json"}});
    ASSERT_EQ(changed.status, 200) << changed.body;
    app_->app().worker().drain();
  };
  put_members();
  std::string csv = "email;nom;rôle;classe\n";
  for (int i = 0; i < 110; ++i) csv += "big" + std::to_string(i) + "@demo.test;Big " + std::to_string(i) + ";élève;4e B\n";
  clock_->advance_ms(kMinuteMs);
  const auto imported = admin.request("POST", "/api/v1/users/import", csv, {{"content-type", "text/csv"}});
  ASSERT_EQ(imported.status, 201) << imported.body;
  ASSERT_EQ(imported.json().at("created").as_int64(), 110);
  app_->app().worker().drain();
  students.clear();
  const auto grown = admin.get("/api/v1/classes/" + klass).json();
  for (const auto& m : grown.at("students").as_array()) students.emplace_back(m.at("id").as_string());
  students.emplace_back(late);
  put_members();

  auto student = logged_in("demo", "student30@demo.test");
  std::string channel;
  const auto list = student.get("/api/v1/conversations").json();
  for (const auto& item : list.at("items").as_array()) {
    if (item.at("kind") != "class") continue;
    channel = std::string(item.at("id").as_string());
    EXPECT_EQ(item.at("members").as_array().size(), 10u);
    EXPECT_GT(item.at("member_count").as_int64(), 120);  // 15 students, 110 newcomers, its teachers
  }
  ASSERT_FALSE(channel.empty());
  const auto one = student.get("/api/v1/conversations/" + channel).json();
  const auto& members = one.at("members").as_array();
  EXPECT_EQ(members.size(), 101u);  // the first 100 and the reader, who joined last
  EXPECT_EQ(members.back().at("id").as_string(), late);
  EXPECT_EQ(one.at("member_count"), list.at("items").at(0).at("member_count"));
  // Their own read mark is there, so the thread knows what is unread.
  auto teacher = logged_in("demo", "teacher@demo.test");
  ASSERT_EQ(send(teacher, channel, "Bienvenue à tous.").status, 201);
  EXPECT_EQ(entry_of(student, channel).at("unread"), 1);

  // The class as it was, for the tests after this one.
  students.clear();
  for (const auto& m : detail.at("students").as_array()) students.emplace_back(m.at("id").as_string());
  put_members();
}

TEST_F(Communication, APathChannelFollowsThePathsTeachersAndStudents) {
  auto teacher = logged_in("demo", "teacher@demo.test");
  auto admin = logged_in("demo", "admin@demo.test");
  const std::string sam = demo_user("student@demo.test");
  const std::string subject = json_string(admin.get("/api/v1/subjects").json().at("items").at(0), "id");
  std::string class_b;
  const auto classes = admin.get("/api/v1/classes").json();
  for (const auto& c : classes.at("items").as_array()) {
    if (c.at("name") == "4e B") class_b = std::string(c.at("id").as_string());
  }
  const auto created = teacher.post(
      "/api/v1/learning-paths",
      R"({"title":"Channel path","subject_id":")" + subject + R"(","student_ids":[")" + sam +
          R"("],"steps":[{"title":"Cards","kind":"cards","items":[{"kind":"flashcard","content":{"front":"go","back":"went"}}]}]})");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string path = json_string(created.json(), "id");
  app_->app().worker().drain();

  const auto channel_of = [&](HttpClient& c) -> std::string {
    const auto list = c.get("/api/v1/conversations").json();
    for (const auto& item : list.at("items").as_array()) {
      if (item.at("kind") == "path" && item.at("path_id").as_string() == path) return std::string(item.at("id").as_string());
    }
    return "";
  };
  const std::string channel = channel_of(teacher);
  ASSERT_FALSE(channel.empty());
  auto detail = teacher.get("/api/v1/conversations/" + channel).json();
  EXPECT_EQ(detail.at("title"), "Channel path");
  EXPECT_EQ(detail.at("path_title"), "Channel path");
  EXPECT_EQ(detail.at("member_count"), 2);  // its teacher and its student

  auto student = logged_in("demo", "student@demo.test");
  EXPECT_EQ(channel_of(student), channel);
  ASSERT_EQ(send(student, channel, "Is 'went' the past of 'go'?").status, 201);
  EXPECT_EQ(entry_of(teacher, channel).at("unread"), 1);

  // Shared with a colleague, then given to 4e B too (15 students): they join; its title follows.
  ASSERT_EQ(teacher.request("PUT", "/api/v1/learning-paths/" + path + "/teachers",
                            R"({"teacher_ids":[")" + demo_user("teacher2@demo.test") + R"("]})",
                            {{"content-type", "application/json"}}).status, 200);
  ASSERT_EQ(teacher.request("PUT", "/api/v1/learning-paths/" + path + "/assignments",
                            R"({"student_ids":[")" + sam + R"("],"class_ids":[")" + class_b + R"("]})",
                            {{"content-type", "application/json"}}).status, 200);
  ASSERT_EQ(teacher.patch("/api/v1/learning-paths/" + path, R"({"title":"Irregular verbs"})").status, 200);
  app_->app().worker().drain();
  detail = teacher.get("/api/v1/conversations/" + channel).json();
  EXPECT_EQ(detail.at("member_count"), 18);
  auto colleague = logged_in("demo", "teacher2@demo.test");
  EXPECT_EQ(channel_of(colleague), channel);
  // The title follows once the path's people change again (a rename alone is no event of theirs).

  // Sam is no longer given the path: out of its channel. A class newcomer follows the class.
  ASSERT_EQ(teacher.request("PUT", "/api/v1/learning-paths/" + path + "/assignments",
                            R"({"class_ids":[")" + class_b + R"("]})", {{"content-type", "application/json"}}).status,
            200);
  app_->app().worker().drain();
  expect_problem(student.get("/api/v1/conversations/" + channel), 404);
  detail = teacher.get("/api/v1/conversations/" + channel).json();
  EXPECT_EQ(detail.at("member_count"), 17);
  EXPECT_EQ(detail.at("title"), "Irregular verbs");
  const auto class_detail = admin.get("/api/v1/classes/" + class_b).json();
  boost::json::array teachers, students;
  for (const auto& m : class_detail.at("teachers").as_array()) teachers.emplace_back(m.at("id").as_string());
  for (const auto& m : class_detail.at("students").as_array()) students.emplace_back(m.at("id").as_string());
  students.emplace_back(demo_user("student01@demo.test"));
  ASSERT_EQ(admin.request("PUT", "/api/v1/classes/" + class_b + "/members",
                          body_of({{"teacher_ids", teachers}, {"student_ids", students}}),
                          {{"content-type", "application/json"}}).status, 200);
  app_->app().worker().drain();
  EXPECT_EQ(teacher.get("/api/v1/conversations/" + channel).json().at("member_count"), 18);

  // Archived: its students leave, its teachers keep the channel and its history.
  ASSERT_EQ(teacher.patch("/api/v1/learning-paths/" + path, R"({"status":"archived"})").status, 200);
  app_->app().worker().drain();
  EXPECT_EQ(teacher.get("/api/v1/conversations/" + channel).json().at("member_count"), 2);
  EXPECT_EQ(teacher.get("/api/v1/conversations/" + channel + "/messages").json().at("items").as_array().size(), 1u);

  // Put 4e B back as it was, for the other tests.
  students.pop_back();
  admin.request("PUT", "/api/v1/classes/" + class_b + "/members",
                body_of({{"teacher_ids", teachers}, {"student_ids", students}}), {{"content-type", "application/json"}});
  app_->app().worker().drain();
}

TEST_F(Communication, AReportedMessageReachesTheSchoolsAdminsWithItsText) {
  auto teacher = logged_in("demo", "teacher@demo.test");
  const auto id = conversation(teacher, {"student12@demo.test"});
  const auto message = json_string(send(teacher, id, "Un message à signaler").json(), "id");
  auto student = logged_in("demo", "student12@demo.test");
  expect_problem(student.post("/api/v1/conversations/" + id + "/messages/" + message + "/report", R"({"reason":"  "})"), 422, "reason");
  const auto reported = student.post("/api/v1/conversations/" + id + "/messages/" + message + "/report", R"({"reason":"Ce message me gêne."})");
  ASSERT_EQ(reported.status, 201) << reported.body;
  expect_problem(teacher.post("/api/v1/conversations/" + id + "/messages/" + message + "/report", R"({"reason":"moi"})"), 409);
  auto outsider = logged_in("demo", "student13@demo.test");
  expect_problem(outsider.post("/api/v1/conversations/" + id + "/messages/" + message + "/report", R"({"reason":"x"})"), 404);
  expect_problem(student.get("/api/v1/message-reports"), 403);

  auto admin = logged_in("demo", "admin@demo.test");
  const auto reports = admin.get("/api/v1/message-reports").json();
  std::string report;
  for (const auto& r : reports.at("items").as_array()) {
    if (r.at("message").at("id").as_string() == message) {
      report = std::string(r.at("id").as_string());
      EXPECT_EQ(r.at("message_text"), "Un message à signaler");
      EXPECT_EQ(r.at("reporter_name"), "Élève 12");
    }
  }
  ASSERT_FALSE(report.empty());
  EXPECT_EQ(admin.get("/api/v1/message-reports/" + report).json().at("reason"), "Ce message me gêne.");
  EXPECT_EQ(admin.post("/api/v1/message-reports/" + report + "/resolve").status, 204);
  const auto open = admin.get("/api/v1/message-reports").json();
  for (const auto& r : open.at("items").as_array()) {
    EXPECT_NE(r.at("id").as_string(), report);
  }
  // Another school's admin sees none of it.
  auto other = logged_in("other", "admin@other.test");
  expect_problem(other.post("/api/v1/message-reports/" + report + "/resolve"), 404);
}

TEST_F(Communication, SearchFindsOnesOwnMessagesOnly) {
  auto teacher = logged_in("demo", "teacher@demo.test");
  const auto id = conversation(teacher, {"student14@demo.test"});
  ASSERT_EQ(send(teacher, id, "Révisez la photosynthèse pour jeudi").status, 201);
  auto student = logged_in("demo", "student14@demo.test");
  const auto found = student.get("/api/v1/messages/search?q=photosynthese").json();
  ASSERT_EQ(found.at("items").as_array().size(), 1u) << boost::json::serialize(found);
  EXPECT_EQ(found.at("items").at(0).at("conversation_id"), id.c_str());
  auto outsider = logged_in("demo", "student15@demo.test");
  EXPECT_TRUE(outsider.get("/api/v1/messages/search?q=photosynthese").json().at("items").as_array().empty());
  expect_problem(student.get("/api/v1/messages/search?q=a"), 422, "q");
}

TEST_F(Communication, BadInputIsRefusedNamingTheFieldAndChangesNothing) {
  auto student = logged_in("demo", "student@demo.test");
  expect_problem(student.post("/api/v1/conversations", R"({})"), 422, "participant_ids");
  expect_problem(student.post("/api/v1/conversations", R"({"participant_ids":"x"})"), 422, "participant_ids");
  expect_problem(student.post("/api/v1/conversations", R"({"participant_ids":[]})"), 422, "participant_ids");
  expect_problem(student.post("/api/v1/conversations", R"({"participant_ids":["not-an-id"]})"), 422,
                 "participant_ids");
  const auto teacher = demo_user("teacher@demo.test");
  expect_problem(student.post("/api/v1/conversations", body_of({{"participant_ids", boost::json::array{teacher.c_str()}},
                                                                {"subject_id", "01900000-0000-7000-8000-000000000000"}})),
                 422, "subject_id");
  const auto id = conversation(student, {"teacher@demo.test"});
  expect_problem(send(student, id, "   "), 422, "text");
  expect_problem(send(student, id, std::string(4001, 'a')), 422, "text");
  expect_problem(send(student, id, "bell\x07"), 422, "text");
  expect_problem(student.post("/api/v1/conversations/" + id + "/messages", R"({"text":12})"), 422, "text");
  expect_problem(student.post("/api/v1/conversations/" + id + "/messages", "{"), 400);
  expect_problem(student.post("/api/v1/conversations/" + id + "/read", R"({"message_id":"nope"})"), 422, "message_id");
  EXPECT_TRUE(student.get("/api/v1/conversations/" + id + "/messages").json().at("items").as_array().empty());
}

TEST_F(Communication, AMessageArrivesLiveOnTheWebSocketOfEveryMemberAndTypingIsShown) {
  auto teacher = logged_in("demo", "teacher2@demo.test");
  auto student = logged_in("demo", "student17@demo.test");
  const auto id = conversation(student, {"teacher2@demo.test"});
  WebSocketClient teacher_ws;
  ASSERT_TRUE(teacher_ws.connect(app_->port(), {cookie_header(teacher.cookies())}).upgraded);
  ASSERT_TRUE(teacher_ws.next_of_type("welcome"));
  WebSocketClient student_ws;
  ASSERT_TRUE(student_ws.connect(app_->port(), {cookie_header(student.cookies())}).upgraded);
  ASSERT_TRUE(student_ws.next_of_type("welcome"));

  student_ws.send(body_of({{"type", "typing"}, {"id", 1}, {"data", {{"conversation_id", id}}}}));
  const auto typing = teacher_ws.next_of_type("typing");
  ASSERT_TRUE(typing);
  EXPECT_EQ(boost::json::parse(*typing).at("data").at("display_name"), "Élève 17");

  const auto sent = send(student, id, "Vous êtes là ?");
  ASSERT_EQ(sent.status, 201);
  const auto live = teacher_ws.next_of_type("message.created");
  ASSERT_TRUE(live);
  const auto data = boost::json::parse(*live).at("data");
  EXPECT_EQ(data.at("id"), json_string(sent.json(), "id").c_str());
  EXPECT_EQ(data.at("text"), "Vous êtes là ?");
  // The author's own tabs hear of it too.
  EXPECT_TRUE(student_ws.next_of_type("message.created"));

  // Typing in a conversation that is not one's own: an error naming nothing of it.
  auto outsider = logged_in("demo", "student18@demo.test");
  WebSocketClient outsider_ws;
  ASSERT_TRUE(outsider_ws.connect(app_->port(), {cookie_header(outsider.cookies())}).upgraded);
  ASSERT_TRUE(outsider_ws.next_of_type("welcome"));
  outsider_ws.send(body_of({{"type", "typing"}, {"id", "t"}, {"data", {{"conversation_id", id}}}}));
  const auto error = outsider_ws.next_of_type("error");
  ASSERT_TRUE(error);
  EXPECT_EQ(boost::json::parse(*error).at("data").at("status"), 404);
  outsider_ws.send(R"({"type":"typing","id":"u","data":{}})");
  const auto missing = outsider_ws.next_of_type("error");
  ASSERT_TRUE(missing);
  EXPECT_EQ(boost::json::parse(*missing).at("data").at("field"), "conversation_id");
}

TEST_F(Communication, FilesAreCheckedByTheirBytesSentWithAMessageAndServedToMembersOnly) {
  auto student = logged_in("demo", "student19@demo.test");
  auto teacher = logged_in("demo", "teacher2@demo.test");
  const auto id = conversation(student, {"teacher2@demo.test"});
  auto ids_of = [](const std::vector<std::string>& ids) {
    boost::json::array out;
    for (const auto& i : ids) out.emplace_back(i);
    return out;
  };
  auto upload = [&](HttpClient& c, const std::string& name, const std::string& bytes) {
    return c.request("POST", "/api/v1/conversations/" + id + "/attachments?name=" + name, bytes,
                     {{"content-type", "application/octet-stream"}});
  };
  // What the bytes are, not what the name or the header says.
  const auto png = upload(student, "sch%C3%A9ma.png", test::tiny_png());
  ASSERT_EQ(png.status, 201) << png.body;
  EXPECT_EQ(png.json().at("content_type"), "image/png");
  EXPECT_EQ(png.json().at("name"), "schéma.png");
  expect_problem(upload(student, "photo.png", std::string("MZ\x90\x00\x03", 5) + std::string(100, 'x')), 422, "file");
  expect_problem(upload(student, "notes.txt", std::string("abc\0def", 7)), 422, "file");
  expect_problem(upload(student, "vide.txt", ""), 422, "file");
  const auto text = upload(student, "notes.txt", "Bonjour, voici mes notes.\n");
  ASSERT_EQ(text.status, 201);
  EXPECT_EQ(text.json().at("content_type"), "text/plain");
  EXPECT_EQ(upload(student, "gros.pdf", "%PDF-1.4\n" + std::string((10 << 20) + 16, 'x')).status, 413);
  const auto file = json_string(png.json(), "id");
  const auto path = "/api/v1/conversations/" + id + "/attachments/" + file;

  // Not sent yet: only its uploader sees it.
  EXPECT_EQ(student.get(path).status, 200);
  expect_problem(teacher.get(path), 404);
  // Sent with an empty text: the message carries it.
  const auto sent = student.post("/api/v1/conversations/" + id + "/messages",
                                 body_of({{"text", ""}, {"attachment_ids", ids_of({file})}}));
  ASSERT_EQ(sent.status, 201) << sent.body;
  EXPECT_EQ(sent.json().at("attachments").as_array().size(), 1u);
  // Once only.
  expect_problem(student.post("/api/v1/conversations/" + id + "/messages",
                              body_of({{"text", "encore"}, {"attachment_ids", ids_of({file})}})),
                 422, "attachment_ids");
  // Someone else's upload cannot be sent by another member.
  const auto students_text = json_string(text.json(), "id");
  expect_problem(teacher.post("/api/v1/conversations/" + id + "/messages",
                              body_of({{"text", "à moi"}, {"attachment_ids", ids_of({students_text})}})),
                 422, "attachment_ids");
  const auto page = teacher.get("/api/v1/conversations/" + id + "/messages").json();
  const auto& last = page.at("items").as_array().back();
  EXPECT_EQ(last.at("attachments").at(0).at("name"), "schéma.png");
  const auto downloaded = teacher.get(path);
  ASSERT_EQ(downloaded.status, 200);
  EXPECT_EQ(downloaded.body, test::tiny_png());
  EXPECT_EQ(downloaded.header("content-type"), "image/png");
  EXPECT_EQ(downloaded.header("x-content-type-options"), "nosniff");
  EXPECT_NE(downloaded.header("content-security-policy").find("sandbox"), std::string::npos);
  // Nobody else: another student of the school, another school.
  expect_problem(logged_in("demo", "student18@demo.test").get(path), 404);
  expect_problem(logged_in("other", "student@other.test").get(path), 404);
  // The message deleted: its file is gone.
  ASSERT_EQ(student.del("/api/v1/conversations/" + id + "/messages/" + json_string(sent.json(), "id")).status, 200);
  expect_problem(teacher.get(path), 404);
}

TEST_F(Communication, ThePeopleOneTalksWithSeeWhetherOneIsOnline) {
  auto student = logged_in("demo", "student22@demo.test");
  auto teacher = logged_in("demo", "teacher2@demo.test");
  const auto id = conversation(student, {"teacher2@demo.test"});
  const auto teacher_id = demo_user("teacher2@demo.test");
  auto teacher_online = [&] {
    const auto entry = entry_of(student, id);
    for (const auto& m : entry.at("members").as_array()) {
      if (m.at("id") == teacher_id.c_str()) return m.at("online").as_bool();
    }
    return false;
  };
  EXPECT_FALSE(teacher_online());
  WebSocketClient student_ws;
  ASSERT_TRUE(student_ws.connect(app_->port(), {cookie_header(student.cookies())}).upgraded);
  ASSERT_TRUE(student_ws.next_of_type("welcome"));

  {
    WebSocketClient teacher_ws;
    ASSERT_TRUE(teacher_ws.connect(app_->port(), {cookie_header(teacher.cookies())}).upgraded);
    ASSERT_TRUE(teacher_ws.next_of_type("welcome"));
    const auto online = student_ws.next_of_type("presence.changed");
    ASSERT_TRUE(online);
    EXPECT_EQ(boost::json::parse(*online).at("data").at("user_id"), teacher_id.c_str());
    EXPECT_EQ(boost::json::parse(*online).at("data").at("online"), true);
    EXPECT_TRUE(teacher_online());
    // A second tab of the teacher's: no news (still online).
    WebSocketClient second;
    ASSERT_TRUE(second.connect(app_->port(), {cookie_header(teacher.cookies())}).upgraded);
    ASSERT_TRUE(second.next_of_type("welcome"));
    // The server hears of a tab opening just after its welcome: let it, before closing both.
    std::this_thread::sleep_for(300ms);
    second.close();
    teacher_ws.close();
  }
  // The last tab closed: offline, told once.
  const auto offline = student_ws.next_of_type("presence.changed");
  ASSERT_TRUE(offline);
  EXPECT_EQ(boost::json::parse(*offline).at("data").at("online"), false);
  EXPECT_FALSE(teacher_online());
}

TEST_F(Communication, AnUnreadMessageGoesInOneEmailDigestAfterTheDelayAReadOneInNone) {
  auto student = logged_in("demo", "student20@demo.test");  // 4e B, taught by Camille Petit too
  auto teacher = logged_in("demo", "teacher2@demo.test");
  const auto id = conversation(student, {"teacher2@demo.test"});
  const auto mail_count = [] {
    auto platform = logged_in("", "platform@mnemos.test");
    const auto mails = platform.get("/api/v1/platform/mail?to=teacher2@demo.test").json();
    return mails.at("items").as_array().size();
  };
  // A digest of earlier tests' messages to this teacher (one is still unread) goes first.
  clock_->advance_ms(11 * 60 * 1000);
  app_->app().worker().drain();
  const auto before = mail_count();
  ASSERT_EQ(send(student, id, "Première question").status, 201);
  clock_->advance_ms(60 * 1000);
  ASSERT_EQ(send(student, id, "Deuxième question").status, 201);
  app_->app().worker().drain();
  EXPECT_EQ(mail_count(), before);  // not yet: the digest waits for its delay
  clock_->advance_ms(10 * 60 * 1000);
  app_->app().worker().drain();
  ASSERT_EQ(mail_count(), before + 1);  // one digest for both messages
  auto platform = logged_in("", "platform@mnemos.test");
  const auto mails = platform.get("/api/v1/platform/mail?to=teacher2@demo.test").json();
  const auto& digest = mails.at("items").at(0);
  EXPECT_EQ(digest.at("subject"), "2 nouveaux messages sur Mnemos");
  const std::string text(digest.at("text").as_string());
  EXPECT_NE(text.find("Première question"), std::string::npos) << text;
  EXPECT_NE(text.find("Deuxième question"), std::string::npos) << text;
  EXPECT_NE(text.find("/messages"), std::string::npos) << text;

  // Read in time (the teacher was online): no digest.
  const auto third = send(student, id, "Troisième question");
  teacher.post("/api/v1/conversations/" + id + "/read", body_of({{"message_id", json_string(third.json(), "id")}}));
  clock_->advance_ms(11 * 60 * 1000);
  app_->app().worker().drain();
  EXPECT_EQ(mail_count(), before + 1);
  // Chosen off: no digest either.
  ASSERT_EQ(teacher.request("PUT", "/api/v1/me/notification-settings", R"({"message":"in_app"})",
                            {{"content-type", "application/json"}})
                .status,
            200);
  ASSERT_EQ(send(student, id, "Quatrième question").status, 201);
  clock_->advance_ms(11 * 60 * 1000);
  app_->app().worker().drain();
  EXPECT_EQ(mail_count(), before + 1);
}

TEST_F(Communication, EventsBecomeNotificationsOnceEachAsEachPersonChose) {
  auto admin = logged_in("demo", "admin@demo.test");
  auto teacher = logged_in("demo", "teacher@demo.test");
  auto student = logged_in("demo", "student13@demo.test");
  const auto unread = [](HttpClient& c) { return c.get("/api/v1/notifications").json().at("unread").as_int64(); };
  // What the demo's seeding queued (its own path assigned) is told first: run alone, this test
  // counted it as this path's notification.
  app_->app().worker().drain();
  const auto student_before = unread(student);
  // A path for 4e A: each of its students is told, once.
  std::string subject, klass;
  {
    const auto subjects = admin.get("/api/v1/subjects").json();
    subject = json_string(subjects.at("items").at(0), "id");
    const auto classes = admin.get("/api/v1/classes").json();
    for (const auto& c : classes.at("items").as_array()) {
      if (c.at("name") == "4e A") klass = std::string(c.at("id").as_string());
    }
  }
  const auto path = teacher.post("/api/v1/learning-paths",
                                 R"({"subject_id":")" + subject + R"(","title":"Les fractions","class_ids":[")" + klass +
                                     R"("],"steps":[{"title":"Cartes","kind":"cards","items":[{"kind":"flashcard","content":{"front":"1/2 + 1/2","back":"1"}}]}]})");
  ASSERT_EQ(path.status, 201) << path.body;
  app_->app().worker().drain();
  app_->app().worker().drain();
  EXPECT_EQ(unread(student), student_before + 1);
  const auto list = student.get("/api/v1/notifications").json();
  const auto& newest = list.at("items").at(0);
  EXPECT_EQ(newest.at("kind"), "path_assigned");
  EXPECT_EQ(newest.at("title"), "Nouveau parcours : Les fractions");
  EXPECT_EQ(newest.at("link"), ("/learning/my/" + json_string(path.json(), "id")).c_str());
  // Read: the count goes down; someone else cannot read it for them.
  auto other = logged_in("demo", "student14@demo.test");
  expect_problem(other.post("/api/v1/notifications/" + json_string(newest, "id") + "/read"), 404);
  EXPECT_EQ(student.post("/api/v1/notifications/" + json_string(newest, "id") + "/read").status, 204);
  EXPECT_EQ(unread(student), student_before);

  // A reported message: the school's admins, live on their socket too.
  WebSocketClient admin_ws;
  ASSERT_TRUE(admin_ws.connect(app_->port(), {cookie_header(admin.cookies())}).upgraded);
  ASSERT_TRUE(admin_ws.next_of_type("welcome"));
  const auto id = conversation(teacher, {"student13@demo.test"});
  const auto message = json_string(send(teacher, id, "Rendez le devoir demain").json(), "id");
  ASSERT_EQ(student.post("/api/v1/conversations/" + id + "/messages/" + message + "/report", R"({"reason":"Ton sec"})").status,
            201);
  app_->app().worker().drain();
  const auto live = admin_ws.next_of_type("notification.created");
  ASSERT_TRUE(live);
  EXPECT_EQ(boost::json::parse(*live).at("data").at("body"), "Élève 13 a signalé un message : Ton sec");
  EXPECT_EQ(admin.post("/api/v1/notifications/read-all").status, 204);
  EXPECT_EQ(unread(admin), 0);

  // Settings: every kind with its channel; a wrong kind or channel is named.
  const auto settings = student.get("/api/v1/me/notification-settings").json();
  EXPECT_EQ(settings.at("items").as_array().size(), 7u);
  expect_problem(student.request("PUT", "/api/v1/me/notification-settings", R"({"path_assigned":"pigeon"})",
                                 {{"content-type", "application/json"}}),
                 422, "path_assigned");
  expect_problem(student.request("PUT", "/api/v1/me/notification-settings", R"({"weather":"email"})",
                                 {{"content-type", "application/json"}}),
                 422, "weather");
  ASSERT_EQ(student.request("PUT", "/api/v1/me/notification-settings", R"({"path_assigned":"none"})",
                            {{"content-type", "application/json"}})
                .status,
            200);
  const auto quiet_before = unread(student);
  ASSERT_EQ(teacher.post("/api/v1/learning-paths",
                         R"({"subject_id":")" + subject + R"(","title":"Les décimaux","class_ids":[")" + klass +
                             R"("],"steps":[{"title":"Cartes","kind":"cards","items":[{"kind":"flashcard","content":{"front":"0,5","back":"1/2"}}]}]})")
                .status,
            201);
  app_->app().worker().drain();
  EXPECT_EQ(unread(student), quiet_before);
}

// The default limits, on the real clock: a flood is refused with a clear error and a delay.
class CommunicationLimits : public ApiTest {};

TEST_F(CommunicationLimits, AFloodOfMessagesIsRefusedWith429AndRetryAfter) {
  auto student = logged_in("demo", "student19@demo.test");
  boost::json::array ids{user_id("demo", "teacher@demo.test").c_str()};
  const auto id = json_string(student.post("/api/v1/conversations", body_of({{"participant_ids", ids}})).json(), "id");
  int accepted = 0;
  HttpResponse refused;
  for (int i = 0; i < 40; ++i) {
    const auto r = student.post("/api/v1/conversations/" + id + "/messages", body_of({{"text", "spam " + std::to_string(i)}}));
    if (r.status == 201) ++accepted;
    else refused = r;
  }
  EXPECT_GE(accepted, 20);
  EXPECT_LT(accepted, 40);
  expect_problem(refused, 429);
  EXPECT_FALSE(refused.header("retry-after").empty());
  // Another person is not held up by it.
  auto teacher = logged_in("demo", "teacher@demo.test");
  EXPECT_EQ(teacher.post("/api/v1/conversations/" + id + "/messages", R"({"text":"Calme-toi."})").status, 201);
}

}  // namespace
}  // namespace mnemos::testing
