// The agenda through the HTTP API and /ws (docs/communication.md, "Agenda, appointments, video
// rooms"): a student proposes times to a teacher of theirs, who accepts one (a video room), declines
// or proposes others; either cancels; a reminder 15 minutes before; office hours booked once
// however many students try at the same moment; class events; the private iCalendar feed; the
// rooms' signalling between the two people only.
#include "api_test.hpp"
#include "websocket_client.hpp"

#include <mnemos/core/clock.hpp>
#include <mnemos/core/jobs.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <atomic>
#include <chrono>
#include <thread>

namespace mnemos::testing {
namespace {

using boost::json::array;
using boost::json::object;
using namespace std::chrono_literals;

constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kDay = 86'400'000;

std::string body_of(const object& o) { return boost::json::serialize(o); }

class Agenda : public ApiTest {
 protected:
  static void SetUpTestSuite() {
    clock_ = new ManualClock(SystemClock().now_ms());
    app_ = new TestApp({}, clock_);
  }
  static void TearDownTestSuite() {
    ApiTest::TearDownTestSuite();
    delete clock_;
    clock_ = nullptr;
  }

  static std::int64_t now() { return clock_->now_ms(); }
  static object slot(std::int64_t starts_at, std::int64_t minutes = 30) {
    return {{"starts_at", starts_at}, {"ends_at", starts_at + minutes * kMinute}};
  }
  static HttpResponse propose(HttpClient& c, const std::string& teacher_email, const array& slots) {
    return c.post("/api/v1/appointments",
                  body_of({{"teacher_id", user_id("demo", teacher_email)}, {"slots", slots}, {"note", "Le chapitre 3"}}));
  }
  static int unread_of_kind(HttpClient& c, const std::string& kind) {
    int n = 0;
    const auto list = c.get("/api/v1/notifications").json();
    for (const auto& item : list.at("items").as_array()) {
      if (item.at("kind") == kind.c_str() && item.at("read_at").is_null()) ++n;
    }
    return n;
  }
  static std::string feed_path(HttpClient& c) {
    const auto url = json_string(c.get("/api/v1/me/calendar-feed").json(), "url");
    return url.substr(url.find("/api/v1/"));
  }

  static inline ManualClock* clock_ = nullptr;
};

TEST_F(Agenda, AStudentProposesTheTeacherAcceptsARoomIsMadeAndTheFeedListsIt) {
  auto student = logged_in("demo", "student@demo.test");
  auto teacher = logged_in("demo", "teacher@demo.test");
  const auto tomorrow = now() + kDay;
  const auto proposed = propose(student, "teacher@demo.test", array{slot(tomorrow), slot(tomorrow + 2 * 3600'000)});
  ASSERT_EQ(proposed.status, 201) << proposed.body;
  const auto id = json_string(proposed.json(), "id");
  EXPECT_EQ(proposed.json().at("status"), "proposed");
  EXPECT_EQ(proposed.json().at("teacher_name"), "Thomas Bernard");
  EXPECT_TRUE(proposed.json().at("room").is_null());
  app_->app().worker().drain();
  EXPECT_EQ(unread_of_kind(teacher, "appointment"), 1);

  // The one who proposed does not answer their own times.
  expect_problem(student.post("/api/v1/appointments/" + id + "/accept", R"({"slot":0})"), 403);
  expect_problem(teacher.post("/api/v1/appointments/" + id + "/accept", R"({"slot":2})"), 422, "slot");
  expect_problem(teacher.post("/api/v1/appointments/" + id + "/accept", "{}"), 422, "slot");

  const auto accepted = teacher.post("/api/v1/appointments/" + id + "/accept", R"({"slot":1})");
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  const auto a = accepted.json();
  EXPECT_EQ(a.at("status"), "accepted");
  EXPECT_EQ(a.at("starts_at").as_int64(), tomorrow + 2 * 3600'000);
  EXPECT_EQ(a.at("ends_at").as_int64(), tomorrow + 2 * 3600'000 + 30 * kMinute);
  const auto room_id = json_string(a.at("room"), "id");
  EXPECT_GE(room_id.size(), 24u);
  EXPECT_NE(json_string(a.at("room"), "url").find("/rooms/" + room_id), std::string::npos);
  // Accepted twice: no longer waiting.
  expect_problem(teacher.post("/api/v1/appointments/" + id + "/accept", R"({"slot":0})"), 409);
  app_->app().worker().drain();
  EXPECT_EQ(unread_of_kind(student, "appointment"), 1);

  // The room: both may see it, waiting until 10 minutes before; nobody else.
  const auto room = student.get("/api/v1/rooms/" + room_id);
  ASSERT_EQ(room.status, 200) << room.body;
  EXPECT_EQ(room.json().at("status"), "waiting");
  EXPECT_EQ(room.json().at("participants").as_array().size(), 2u);
  EXPECT_EQ(room.json().at("opens_at").as_int64(), tomorrow + 2 * 3600'000 - 10 * kMinute);
  EXPECT_EQ(teacher.get("/api/v1/rooms/" + room_id).status, 200);
  auto classmate = logged_in("demo", "student01@demo.test");
  expect_problem(classmate.get("/api/v1/rooms/" + room_id), 404);
  auto other_school = logged_in("other", "student@other.test");
  expect_problem(other_school.get("/api/v1/rooms/" + room_id), 404);
  expect_problem(other_school.get("/api/v1/appointments/" + id), 404);

  // The private feed: no session needed, the token is the key; times in UTC.
  const auto path = feed_path(student);
  const auto feed = client().get(path);
  ASSERT_EQ(feed.status, 200) << feed.body;
  EXPECT_NE(feed.header("content-type").find("text/calendar"), std::string::npos);
  EXPECT_EQ(feed.body.rfind("BEGIN:VCALENDAR\r\n", 0), 0u);
  EXPECT_NE(feed.body.find("UID:" + id + "@mnemos\r\n"), std::string::npos);
  EXPECT_NE(feed.body.find("SUMMARY:Mnemos: Thomas Bernard\r\n"), std::string::npos);
  EXPECT_NE(feed.body.find("/rooms/" + room_id + "\r\n"), std::string::npos);
  const auto dtstart = feed.body.find("DTSTART:");
  ASSERT_NE(dtstart, std::string::npos);
  EXPECT_EQ(feed.body.substr(dtstart + 8 + 15, 3), "Z\r\n");  // 20261203T140000Z
  EXPECT_NE(feed.body.find("DTEND:"), std::string::npos);
  EXPECT_EQ(feed_path(student), path);  // the same address when asked again
  // Reset: a new address, the old one dead.
  const auto reset = student.post("/api/v1/me/calendar-feed/reset", "");
  ASSERT_EQ(reset.status, 200);
  expect_problem(client().get(path), 404);
  EXPECT_EQ(client().get(feed_path(student)).status, 200);
  expect_problem(client().get("/api/v1/calendar.ics?token=nothing"), 404);

  // Cancelled by the student: the room is gone, the teacher told, the feed without it.
  const auto cancelled = student.post("/api/v1/appointments/" + id + "/cancel", R"({"reply":"Malade"})");
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(cancelled.json().at("status"), "cancelled");
  expect_problem(teacher.get("/api/v1/rooms/" + room_id), 404);
  expect_problem(student.post("/api/v1/appointments/" + id + "/cancel", "{}"), 409);
  EXPECT_EQ(client().get(feed_path(student)).body.find(id), std::string::npos);
}

TEST_F(Agenda, OnlyAStudentsOwnTeacherIsProposedTimesAndBadTimesAreRefusedNamingTheSlot) {
  auto student = logged_in("demo", "student02@demo.test");  // 4e A: Thomas Bernard, not Camille Petit
  const auto tomorrow = now() + kDay;
  expect_problem(propose(student, "teacher2@demo.test", array{slot(tomorrow)}), 422, "teacher_id");
  expect_problem(propose(student, "student03@demo.test", array{slot(tomorrow)}), 422, "teacher_id");
  expect_problem(student.post("/api/v1/appointments", body_of({{"teacher_id", user_id("other", "teacher@other.test")},
                                                                 {"slots", array{slot(tomorrow)}}})),
                 422, "teacher_id");
  expect_problem(propose(student, "teacher@demo.test", array{}), 422, "slots");
  expect_problem(propose(student, "teacher@demo.test", array{slot(tomorrow), slot(tomorrow + 1), slot(tomorrow + 2),
                                                             slot(tomorrow + 3)}),
                 422, "slots");
  expect_problem(propose(student, "teacher@demo.test", array{slot(tomorrow), slot(now() - kMinute)}), 422,
                 "slots[1].starts_at");
  expect_problem(propose(student, "teacher@demo.test", array{slot(tomorrow, 5 * 60)}), 422, "slots[0].ends_at");
  expect_problem(propose(student, "teacher@demo.test", array{slot(tomorrow, 0)}), 422, "slots[0].ends_at");
  expect_problem(student.post("/api/v1/appointments", body_of({{"teacher_id", user_id("demo", "teacher@demo.test")},
                                                                 {"slots", array{object{{"starts_at", "demain"}}}}})),
                 422, "slots[0].starts_at");
  // Nothing was made by any of these.
  EXPECT_TRUE(student.get("/api/v1/appointments").json().at("items").as_array().empty());

  // A teacher may propose to a student of theirs, not to another's.
  auto teacher2 = logged_in("demo", "teacher2@demo.test");
  expect_problem(teacher2.post("/api/v1/appointments", body_of({{"student_id", user_id("demo", "student02@demo.test")},
                                                                  {"slots", array{slot(tomorrow)}}})),
                 422, "student_id");
  const auto made = teacher2.post("/api/v1/appointments", body_of({{"student_id", user_id("demo", "student20@demo.test")},
                                                                     {"slots", array{slot(tomorrow)}}}));
  EXPECT_EQ(made.status, 201) << made.body;
}

TEST_F(Agenda, TheTeacherProposesOtherTimesWhichTheStudentAcceptsOrDeclines) {
  auto student = logged_in("demo", "student04@demo.test");
  auto teacher = logged_in("demo", "teacher@demo.test");
  const auto day = now() + 3 * kDay;
  const auto id = json_string(propose(student, "teacher@demo.test", array{slot(day)}).json(), "id");
  const auto other = teacher.post("/api/v1/appointments/" + id + "/propose",
                                  body_of({{"slots", array{slot(day + 3600'000), slot(day + 7200'000)}},
                                           {"reply", "Plutôt plus tard"}}));
  ASSERT_EQ(other.status, 200) << other.body;
  EXPECT_EQ(other.json().at("proposed_by"), user_id("demo", "teacher@demo.test").c_str());
  EXPECT_EQ(other.json().at("slots").as_array().size(), 2u);
  // Now the teacher waits and the student answers.
  expect_problem(teacher.post("/api/v1/appointments/" + id + "/accept", R"({"slot":0})"), 403);
  const auto accepted = student.post("/api/v1/appointments/" + id + "/accept", R"({"slot":1})");
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  EXPECT_EQ(accepted.json().at("starts_at").as_int64(), day + 7200'000);

  // Another student's proposal at the same time: the teacher is taken.
  auto classmate = logged_in("demo", "student05@demo.test");
  const auto clash = json_string(propose(classmate, "teacher@demo.test", array{slot(day + 7200'000 + 10 * kMinute)}).json(), "id");
  expect_problem(teacher.post("/api/v1/appointments/" + clash + "/accept", "{}"), 409);
  const auto declined = teacher.post("/api/v1/appointments/" + clash + "/decline", R"({"reply":"Déjà pris"})");
  ASSERT_EQ(declined.status, 200);
  EXPECT_EQ(declined.json().at("status"), "declined");
  EXPECT_EQ(declined.json().at("reply"), "Déjà pris");
  expect_problem(classmate.post("/api/v1/appointments/" + clash + "/cancel", "{}"), 409);
}

TEST_F(Agenda, BothAreRemindedFifteenMinutesBeforeOnceAndTheRoomOpensTenMinutesBefore) {
  auto student = logged_in("demo", "student06@demo.test");
  auto teacher = logged_in("demo", "teacher@demo.test");
  const auto starts = now() + 2 * 3600'000;
  const auto id = json_string(propose(student, "teacher@demo.test", array{slot(starts)}).json(), "id");
  const auto room = json_string(teacher.post("/api/v1/appointments/" + id + "/accept", "{}").json().at("room"), "id");
  app_->app().worker().drain();
  const int before = unread_of_kind(student, "appointment");
  clock_->advance_ms(2 * 3600'000 - 16 * kMinute);
  app_->app().worker().drain();
  EXPECT_EQ(unread_of_kind(student, "appointment"), before);  // not yet
  EXPECT_EQ(student.get("/api/v1/rooms/" + room).json().at("status"), "waiting");
  clock_->advance_ms(kMinute);
  app_->app().worker().drain();
  app_->app().worker().drain();
  EXPECT_EQ(unread_of_kind(student, "appointment"), before + 1);
  bool teacher_reminded = false;
  const auto teacher_notes = teacher.get("/api/v1/notifications").json();
  for (const auto& n : teacher_notes.at("items").as_array()) {
    if (std::string(n.at("title").as_string()).find("Rendez-vous à") == 0 ||
        std::string(n.at("title").as_string()).find("Appointment at") == 0) {
      teacher_reminded = true;
    }
  }
  EXPECT_TRUE(teacher_reminded);
  clock_->advance_ms(5 * kMinute);
  EXPECT_EQ(student.get("/api/v1/rooms/" + room).json().at("status"), "open");
  clock_->advance_ms(40 * kMinute);
  EXPECT_EQ(student.get("/api/v1/rooms/" + room).json().at("status"), "closed");
}

TEST_F(Agenda, AnOfficeHourIsBookedByOneStudentWhenManyTryAtOnce) {
  auto teacher = logged_in("demo", "teacher@demo.test");
  const auto starts = now() + 5 * kDay;
  const auto published = teacher.post("/api/v1/office-hours", body_of({{"starts_at", starts},
                                                                        {"ends_at", starts + 60 * kMinute},
                                                                        {"slot_minutes", 15},
                                                                        {"note", "Salle 12"}}));
  ASSERT_EQ(published.status, 201) << published.body;
  const auto published_json = published.json();
  const auto& slots = published_json.at("items").as_array();
  ASSERT_EQ(slots.size(), 4u);
  const auto first = json_string(slots.at(0), "id");
  // Overlapping the published window: refused.
  expect_problem(teacher.post("/api/v1/office-hours", body_of({{"starts_at", starts + 30 * kMinute},
                                                              {"ends_at", starts + 90 * kMinute}})),
                 409);
  expect_problem(teacher.post("/api/v1/office-hours", body_of({{"starts_at", starts + 2 * kDay},
                                                              {"ends_at", starts + 2 * kDay + 60 * kMinute},
                                                              {"slot_minutes", 1}})),
                 422, "slot_minutes");
  auto student_b = logged_in("demo", "student20@demo.test");  // 4e B: also taught by Thomas Bernard
  EXPECT_EQ(student_b.get("/api/v1/office-hours").json().at("items").as_array().size(), 4u);

  // Eight students book the first slot at the same moment: one gets it.
  std::vector<HttpClient> students;
  for (int i = 7; i <= 14; ++i) {
    students.push_back(logged_in("demo", "student" + std::string(i < 10 ? "0" : "") + std::to_string(i) + "@demo.test"));
  }
  std::atomic<int> booked{0};
  std::atomic<int> refused{0};
  std::atomic<int> other{0};
  std::vector<std::thread> threads;
  for (auto& s : students) {
    threads.emplace_back([&, c = &s] {
      const auto r = c->post("/api/v1/office-hours/" + first + "/book", R"({"note":"moi"})");
      if (r.status == 201) {
        ++booked;
      } else if (r.status == 409) {
        ++refused;
      } else {
        ADD_FAILURE() << r.status << " " << r.body;
        ++other;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(booked.load(), 1);
  EXPECT_EQ(refused.load(), 7);
  EXPECT_EQ(other.load(), 0);
  // The slot is no longer free; the teacher sees who took it.
  EXPECT_EQ(student_b.get("/api/v1/office-hours").json().at("items").as_array().size(), 3u);
  std::string booking;
  const auto teacher_hours = teacher.get("/api/v1/office-hours").json();
  for (const auto& o : teacher_hours.at("items").as_array()) {
    if (o.at("id") == first.c_str()) {
      EXPECT_TRUE(o.at("booked").as_bool());
      EXPECT_FALSE(o.at("student_name").is_null());
      booking = json_string(o, "appointment_id");
    }
  }
  ASSERT_FALSE(booking.empty());
  EXPECT_EQ(teacher.get("/api/v1/appointments/" + booking).json().at("status"), "accepted");
  // Cancelled by the teacher: the slot is free again.
  ASSERT_EQ(teacher.post("/api/v1/appointments/" + booking + "/cancel", "{}").status, 200);
  EXPECT_EQ(student_b.get("/api/v1/office-hours").json().at("items").as_array().size(), 4u);
  // A teacher does not book; another school never sees it.
  expect_problem(teacher.post("/api/v1/office-hours/" + first + "/book", "{}"), 403);
  auto other_school = logged_in("other", "student@other.test");
  expect_problem(other_school.post("/api/v1/office-hours/" + first + "/book", "{}"), 404);
  // Removed: gone for the students.
  EXPECT_EQ(teacher.del("/api/v1/office-hours/" + json_string(slots.at(3), "id")).status, 204);
  EXPECT_EQ(student_b.get("/api/v1/office-hours").json().at("items").as_array().size(), 3u);
}

TEST_F(Agenda, AClassEventReachesTheClassAgendaOnly) {
  auto teacher = logged_in("demo", "teacher2@demo.test");  // Camille Petit: 4e B only
  std::string class_b;
  std::string class_a;
  auto admin = logged_in("demo", "admin@demo.test");
  const auto classes = admin.get("/api/v1/classes").json();
  for (const auto& c : classes.at("items").as_array()) {
    (c.at("name") == "4e B" ? class_b : class_a) = json_string(c, "id");
  }
  const auto exam_at = now() + 4 * kDay;
  expect_problem(teacher.post("/api/v1/events", body_of({{"class_id", class_a}, {"kind", "exam"}, {"title", "Contrôle"},
                                                          {"starts_at", exam_at}})),
                 422, "class_id");
  expect_problem(teacher.post("/api/v1/events", body_of({{"class_id", class_b}, {"kind", "party"}, {"title", "Fête"},
                                                          {"starts_at", exam_at}})),
                 422, "kind");
  const auto made = teacher.post("/api/v1/events", body_of({{"class_id", class_b},
                                                            {"kind", "exam"},
                                                            {"title", "Contrôle de grammaire"},
                                                            {"starts_at", exam_at},
                                                            {"ends_at", exam_at + 3600'000},
                                                            {"video", true}}));
  ASSERT_EQ(made.status, 201) << made.body;
  const auto id = json_string(made.json(), "id");
  EXPECT_EQ(made.json().at("class_name"), "4e B");
  EXPECT_FALSE(made.json().at("room").is_null());
  app_->app().worker().drain();

  const auto range = "?from=" + std::to_string(now()) + "&to=" + std::to_string(now() + 30 * kDay);
  auto in_b = logged_in("demo", "student21@demo.test");
  auto in_a = logged_in("demo", "student08@demo.test");
  auto has_event = [&](HttpClient& c) {
    const auto agenda = c.get("/api/v1/agenda" + range);
    EXPECT_EQ(agenda.status, 200) << agenda.body;
    EXPECT_FALSE(json_string(agenda.json(), "timezone").empty());
    const auto agenda_json = agenda.json();
    for (const auto& item : agenda_json.at("items").as_array()) {
      if (item.at("id") == id.c_str()) return true;
    }
    return false;
  };
  EXPECT_TRUE(has_event(in_b));
  EXPECT_TRUE(has_event(teacher));
  EXPECT_FALSE(has_event(in_a));
  EXPECT_EQ(unread_of_kind(in_b, "class_event"), 1);
  expect_problem(in_a.get("/api/v1/events/" + id), 404);
  // The class's room: its students may enter, the other class may not.
  const auto room = json_string(made.json().at("room"), "id");
  EXPECT_EQ(in_b.get("/api/v1/rooms/" + room).status, 200);
  expect_problem(in_a.get("/api/v1/rooms/" + room), 404);
  // A student changes nothing; the teacher moves it.
  expect_problem(in_b.patch("/api/v1/events/" + id, R"({"title":"Annulé"})"), 403);
  const auto moved = teacher.patch("/api/v1/events/" + id, body_of({{"starts_at", exam_at + kDay}, {"ends_at", exam_at + kDay + 3600'000}}));
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_EQ(in_b.get("/api/v1/rooms/" + room).json().at("opens_at").as_int64(), exam_at + kDay - 10 * kMinute);
  // A period too long, or backwards.
  expect_problem(in_b.get("/api/v1/agenda?from=" + std::to_string(now()) + "&to=" + std::to_string(now() + 90 * kDay)),
                 422, "to");
  expect_problem(in_b.get("/api/v1/agenda?from=" + std::to_string(now()) + "&to=1"), 422, "to");
  expect_problem(in_b.get("/api/v1/agenda?from=soon&to=1"), 422, "from");
  EXPECT_EQ(teacher.del("/api/v1/events/" + id).status, 204);
  EXPECT_FALSE(has_event(in_b));
}

TEST_F(Agenda, TheRoomsSignallingGoesBetweenItsPeopleOnly) {
  auto student = logged_in("demo", "student09@demo.test");
  auto teacher = logged_in("demo", "teacher@demo.test");
  const auto starts = now() + 5 * kMinute;  // the room is open already
  const auto id = json_string(propose(student, "teacher@demo.test", array{slot(starts)}).json(), "id");
  const auto accepted = teacher.post("/api/v1/appointments/" + id + "/accept", "{}");
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  const auto room = json_string(accepted.json().at("room"), "id");
  const auto teacher_id = user_id("demo", "teacher@demo.test");

  WebSocketClient teacher_ws;
  ASSERT_TRUE(teacher_ws.connect(app_->port(), {cookie_header(teacher.cookies())}).upgraded);
  ASSERT_TRUE(teacher_ws.next_of_type("welcome"));
  WebSocketClient student_ws;
  ASSERT_TRUE(student_ws.connect(app_->port(), {cookie_header(student.cookies())}).upgraded);
  ASSERT_TRUE(student_ws.next_of_type("welcome"));

  student_ws.send(body_of({{"type", "room.join"}, {"id", 1}, {"data", {{"room_id", room}, {"peer_id", "student-tab-1"}}}}));
  const auto joined = teacher_ws.next_of_type("room.peer_joined");
  ASSERT_TRUE(joined);
  EXPECT_EQ(boost::json::parse(*joined).at("data").at("peer_id"), "student-tab-1");
  // The teacher's tab offers to the student's.
  student_ws.send(body_of({{"type", "room.signal"}, {"id", 2},
                           {"data", {{"room_id", room}, {"peer_id", "student-tab-1"}, {"to_user", teacher_id},
                                     {"to_peer", "teacher-tab-1"}, {"signal", {{"type", "offer"}, {"sdp", "v=0"}}}}}}));
  const auto signal = teacher_ws.next_of_type("room.signal");
  ASSERT_TRUE(signal);
  const auto data = boost::json::parse(*signal).at("data");
  EXPECT_EQ(data.at("from_peer"), "student-tab-1");
  EXPECT_EQ(data.at("to_peer"), "teacher-tab-1");
  EXPECT_EQ(data.at("signal").at("sdp"), "v=0");

  // Someone else may neither join nor signal.
  auto outsider = logged_in("demo", "student10@demo.test");
  WebSocketClient outsider_ws;
  ASSERT_TRUE(outsider_ws.connect(app_->port(), {cookie_header(outsider.cookies())}).upgraded);
  ASSERT_TRUE(outsider_ws.next_of_type("welcome"));
  outsider_ws.send(body_of({{"type", "room.join"}, {"id", 3}, {"data", {{"room_id", room}, {"peer_id", "intruder-1"}}}}));
  const auto error = outsider_ws.next_of_type("error");
  ASSERT_TRUE(error);
  EXPECT_EQ(boost::json::parse(*error).at("data").at("status"), 404);
  outsider_ws.send(body_of({{"type", "room.signal"}, {"id", 4},
                            {"data", {{"room_id", room}, {"peer_id", "intruder-1"}, {"to_user", teacher_id},
                                      {"to_peer", "teacher-tab-1"}, {"signal", "not an object"}}}}));
  const auto malformed = outsider_ws.next_of_type("error");
  ASSERT_TRUE(malformed);
  EXPECT_EQ(boost::json::parse(*malformed).at("data").at("field"), "signal");
  student_ws.send(body_of({{"type", "room.leave"}, {"id", 5}, {"data", {{"room_id", room}, {"peer_id", "student-tab-1"}}}}));
  EXPECT_TRUE(teacher_ws.next_of_type("room.peer_left"));
}

}  // namespace
}  // namespace mnemos::testing
