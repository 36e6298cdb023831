// Two mnemos processes behind one database share live messages through a real redis-server on
// loopback (docs/communication.md, "Several processes"): a message sent to one process reaches a
// WebSocket open on the other. Redis stopped: the API keeps answering and nothing is lost (the
// other process's client reads it through the API); Redis back: live delivery recovers by itself.
// A student's answers served by either process in turn are all taken, from the card as it is.
#include "api_test.hpp"
#include "websocket_client.hpp"

#include <mnemos/core/db.hpp>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <arpa/inet.h>
#include <csignal>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

namespace mnemos::testing {
namespace {

using namespace std::chrono_literals;

std::uint16_t free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t size = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  ::close(fd);
  return ntohs(address.sin_port);
}

// A child process, its output in `log`, stopped (SIGTERM, then SIGKILL) when destroyed, and
// killed with the test process if that one dies first.
class Process {
 public:
  Process(std::vector<std::string> argv, const std::vector<std::string>& environment, const std::string& log) {
    pid_ = ::fork();
    if (pid_ == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // a test that crashes leaves no server behind
      const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      ::dup2(out, 1);
      ::dup2(out, 2);
      for (const auto& entry : environment) ::putenv(const_cast<char*>(entry.c_str()));
      std::vector<char*> args;
      for (auto& a : argv) args.push_back(a.data());
      args.push_back(nullptr);
      ::execv(args[0], args.data());
      ::_exit(127);
    }
  }
  ~Process() { stop(); }
  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    for (int i = 0; i < 100; ++i) {
      if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = -1;
        return;
      }
      std::this_thread::sleep_for(50ms);
    }
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

 private:
  pid_t pid_ = -1;
};

bool wait_ready(std::uint16_t port) {
  for (int i = 0; i < 200; ++i) {
    try {
      if (HttpClient(port).get("/readyz").status == 200) return true;
    } catch (const std::exception&) {
      // Not listening yet.
    }
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

bool redis_answers(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool up = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return up;
}

class TwoProcesses : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("mnemos-two-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    redis_port_ = free_port();
    start_redis();
    const std::vector<std::string> common{"MNEMOS_DATABASE_URL=" + database_.url(),
                                          "MNEMOS_REDIS_URL=redis://127.0.0.1:" + std::to_string(redis_port_),
                                          "MNEMOS_HOST=127.0.0.1",
                                          "MNEMOS_FILES_DIR=" + (dir_ / "files").string(),
                                          "MNEMOS_WEB_ROOT=" + (dir_ / "web").string(),
                                          "MNEMOS_LOG_LEVEL=warn"};
    for (int i = 0; i < 2; ++i) {
      ports_[i] = free_port();
      auto environment = common;
      environment.push_back("MNEMOS_PORT=" + std::to_string(ports_[i]));
      environment.push_back("MNEMOS_PUBLIC_URL=http://127.0.0.1:" + std::to_string(ports_[i]));
      std::vector<std::string> argv{MNEMOS_BINARY, "serve"};
      if (i == 0) argv.push_back("--seed-demo");  // migrates and seeds; the second waits for it
      processes_[i] = std::make_unique<Process>(argv, environment, (dir_ / ("mnemos" + std::to_string(i) + ".log")).string());
      ASSERT_TRUE(wait_ready(ports_[i])) << "mnemos " << i << " did not start: see " << dir_.string();
    }
  }
  void TearDown() override {
    for (auto& p : processes_) p.reset();
    redis_.reset();
    if (!HasFailure()) std::filesystem::remove_all(dir_);
  }
  void start_redis() {
    redis_ = std::make_unique<Process>(
        std::vector<std::string>{"/usr/bin/redis-server", "--port", std::to_string(redis_port_), "--bind", "127.0.0.1",
                                 "--save", "", "--appendonly", "no"},
        std::vector<std::string>{}, (dir_ / "redis.log").string());
    for (int i = 0; i < 100 && !redis_answers(redis_port_); ++i) std::this_thread::sleep_for(20ms);
    ASSERT_TRUE(redis_answers(redis_port_)) << "redis-server did not start";
  }

  TestDatabase database_;
  std::filesystem::path dir_;
  std::uint16_t redis_port_ = 0;
  std::uint16_t ports_[2] = {0, 0};
  std::unique_ptr<Process> redis_;
  std::unique_ptr<Process> processes_[2];
};

TEST_F(TwoProcesses, AMessageSentToOneProcessArrivesLiveOnTheOtherAndSurvivesRedisGoingDown) {
  // The student speaks to process 0; the teacher listens on process 1.
  HttpClient student(ports_[0]);
  ASSERT_EQ(student.login("demo", "student@demo.test").status, 200);
  HttpClient teacher(ports_[1]);
  const auto signed_in = teacher.login("demo", "teacher@demo.test");
  ASSERT_EQ(signed_in.status, 200);
  const std::string teacher_id(signed_in.json().at("user").at("id").as_string());
  WebSocketClient teacher_ws;
  ASSERT_TRUE(teacher_ws.connect(ports_[1], {cookie_header(teacher.cookies())}).upgraded);
  ASSERT_TRUE(teacher_ws.next_of_type("welcome"));

  const auto started = student.post("/api/v1/conversations",
                                    R"({"participant_ids":[")" + teacher_id + R"("]})");
  ASSERT_EQ(started.status, 201) << started.body;
  const std::string conversation = json_string(started.json(), "id");
  const std::string messages = "/api/v1/conversations/" + conversation + "/messages";
  const auto sent = student.post(messages, R"({"text":"Par Redis"})");
  ASSERT_EQ(sent.status, 201);
  const auto live = teacher_ws.next_of_type("message.created", 5s);
  ASSERT_TRUE(live) << "not delivered across processes";
  EXPECT_EQ(boost::json::parse(*live).at("data").at("id"), json_string(sent.json(), "id").c_str());
  // Presence is shared too: the teacher, connected to process 1, is online for process 0.
  const auto listed = student.get("/api/v1/conversations/" + conversation).json();
  bool teacher_online = false;
  for (const auto& m : listed.at("members").as_array()) {
    if (m.at("id") == teacher_id.c_str()) teacher_online = m.at("online").as_bool();
  }
  EXPECT_TRUE(teacher_online) << "presence not shared between processes";

  // Redis stops: the API keeps answering, the message is stored, the other process serves it.
  redis_->stop();
  const auto while_down = student.post(messages, R"({"text":"Redis est tombé"})");
  ASSERT_EQ(while_down.status, 201) << while_down.body;
  const auto read = teacher.get(messages + "?after=" + json_string(sent.json(), "id")).json();
  ASSERT_EQ(read.at("items").as_array().size(), 1u);
  EXPECT_EQ(read.at("items").at(0).at("text"), "Redis est tombé");

  // Redis is back: live delivery across processes recovers without a restart.
  start_redis();
  bool recovered = false;
  for (int attempt = 0; attempt < 10 && !recovered; ++attempt) {
    // A fresh socket per attempt: the test client cannot read again after a read timed out.
    WebSocketClient listener;
    ASSERT_TRUE(listener.connect(ports_[1], {cookie_header(teacher.cookies())}).upgraded);
    ASSERT_TRUE(listener.next_of_type("welcome"));
    const auto again = student.post(messages, R"({"text":"De retour ?"})");
    ASSERT_EQ(again.status, 201) << again.body;
    const auto event = listener.next_of_type("message.created", 2s);
    recovered = event && boost::json::parse(*event).at("data").at("id") == json_string(again.json(), "id").c_str();
  }
  EXPECT_TRUE(recovered) << "live delivery did not come back with Redis";
}

// Sessions are cached a minute in each process: what one process changes or ends reaches the
// other's cache through Redis at once, not a minute later.
TEST_F(TwoProcesses, ALanguageChangedOrALogoutOnOneProcessIsSeenOnTheOtherAtOnce) {
  HttpClient on_one(ports_[1]);
  ASSERT_EQ(on_one.login("demo", "student@demo.test").status, 200);
  HttpClient on_zero(ports_[0]);
  on_zero.cookies() = on_one.cookies();  // the same browser, its next request served by process 0
  auto refused_on_zero = [&] {  // said in the session's language
    return on_zero.request("GET", "/api/v1/schools", "", {{"accept-language", ""}});
  };
  const auto in_french = refused_on_zero();
  ASSERT_EQ(in_french.status, 403) << in_french.body;  // and the session is now in process 0's cache
  ASSERT_NE(json_string(in_french.json(), "detail").find("Votre rôle"), std::string::npos) << in_french.body;
  const std::string french = json_string(in_french.json(), "detail");

  ASSERT_EQ(on_one.patch("/api/v1/me/profile", R"({"locale":"en"})").status, 200);
  std::string now_said = french;
  for (int i = 0; i < 40 && now_said == french; ++i) {
    std::this_thread::sleep_for(50ms);
    now_said = json_string(refused_on_zero().json(), "detail");
  }
  EXPECT_NE(now_said, french) << "process 0 still speaks the session's old language";

  ASSERT_EQ(on_one.post("/api/v1/auth/logout").status, 204);
  int status = 200;
  for (int i = 0; i < 40 && status != 401; ++i) {
    std::this_thread::sleep_for(50ms);
    status = on_zero.get("/api/v1/me").status;
  }
  EXPECT_EQ(status, 401) << "the session logged out on process 1 still works on process 0";
}

// On PostgreSQL a process keeps what an answer's write read back for the session's next answer
// (docs/decisions/0013, third part). The next answer served elsewhere makes that stale: the answer
// that comes back to the first process is taken all the same, from the card as the other left it.
TEST_F(TwoProcesses, AnswersServedByEitherProcessInTurnAreAllTakenFromTheCardAsItIs) {
  HttpClient teacher(ports_[0]);
  ASSERT_EQ(teacher.login("demo", "teacher@demo.test").status, 200);
  HttpClient on_zero(ports_[0]);
  ASSERT_EQ(on_zero.login("demo", "student@demo.test").status, 200);
  HttpClient on_one = on_zero.on_port(ports_[1]);
  const std::string student = json_string(on_zero.get("/api/v1/me").json().at("user"), "id");
  std::string subject;
  const auto subjects = teacher.get("/api/v1/subjects").json();
  for (const auto& s : subjects.at("items").as_array()) {
    if (s.at("name").as_string() == "Mathématiques") subject = json_string(s, "id");
  }
  ASSERT_FALSE(subject.empty());
  const auto created = teacher.post(
      "/api/v1/learning-paths",
      R"({"subject_id":")" + subject + R"(","title":"Two processes","student_ids":[")" + student +
          R"("],"steps":[{"title":"Cards","kind":"cards","items":[)"
          R"({"kind":"flashcard","content":{"front":"X","back":"x"}}]}]})");
  ASSERT_EQ(created.status, 201) << created.body;
  const auto path = teacher.get("/api/v1/learning-paths/" + json_string(created.json(), "id")).json();
  const std::string step = json_string(path.at("steps").at(0), "id");

  const auto started = on_zero.post("/api/v1/revision-sessions", R"({"step_id":")" + step + R"("})");
  ASSERT_EQ(started.status, 201) << started.body;
  boost::json::value session = started.json();
  const std::string id = json_string(session, "id");
  const std::string card = json_string(session.at("current"), "item_id");
  auto answer = [&](HttpClient& client, int rating) {
    const auto& current = session.at("current");
    const boost::json::object body{{"item_id", current.at("item_id")},
                                   {"variant", current.at("variant")},
                                   {"duration_ms", 3000},
                                   {"answer", boost::json::object{{"rating", rating}}}};
    auto r = client.post("/api/v1/revision-sessions/" + id + "/answers", boost::json::serialize(body));
    if (r.status == 201) session = r.json().at("session");
    return r;
  };
  // The one card, new, Good: it comes back in the session, and process 0 keeps the card for then.
  const auto first = answer(on_zero, 3);
  ASSERT_EQ(first.status, 201) << first.body;
  ASSERT_EQ(json_string(session.at("current"), "item_id"), card) << boost::json::serialize(session);
  // Again, on process 1: it comes back once more.
  const auto forgotten = answer(on_one, 1);
  ASSERT_EQ(forgotten.status, 201) << forgotten.body;
  ASSERT_EQ(json_string(session.at("current"), "item_id"), card) << boost::json::serialize(session);
  // Back on process 0, whose copy is one answer behind.
  const auto again = answer(on_zero, 3);
  ASSERT_EQ(again.status, 201) << again.body;

  const auto database = db::Database::open(database_.url(), 1);
  database->read([&](soci::session& sql) {
    int reviews = 0, logged = 0;
    sql << "SELECT reviews FROM learning_cards WHERE student_id = :student AND item_id = :item",
        soci::use(student), soci::use(card), soci::into(reviews);
    EXPECT_EQ(reviews, 3);  // from the card process 1 left (2 reviews), not from process 0's copy
    sql << "SELECT COUNT(*) FROM learning_reviews WHERE session_id = :id", soci::use(id), soci::into(logged);
    EXPECT_EQ(logged, 3);
  });
}

}  // namespace
}  // namespace mnemos::testing
