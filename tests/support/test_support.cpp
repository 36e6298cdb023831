#include "test_support.hpp"

#include <mnemos/core/ids.hpp>
#include <mnemos/core/json.hpp>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/object.hpp>
#include <mnemos/core/db.hpp>

#include <cstdlib>
#include <sys/socket.h>
#include <filesystem>
#include <stdexcept>

namespace mnemos::testing {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {
// A test must fail, not hang, when the server does not answer.
void set_timeout(tcp::socket& socket) {
  timeval timeout{30, 0};
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
}
}  // namespace

std::string TestDatabase::kind() {
  const char* value = std::getenv("MNEMOS_TEST_DB");
  return value != nullptr && std::string(value) == "postgresql" ? "postgresql" : "sqlite";
}

TestDatabase::TestDatabase() {
  if (kind() == "postgresql") {
    const char* admin = std::getenv("MNEMOS_TEST_PG_URL");
    if (admin == nullptr) throw std::runtime_error("MNEMOS_TEST_PG_URL is not set");
    postgresql_ = true;
    name_ = "mnemos_test_" + new_id().substr(24);
    auto server = db::Database::open(admin, 1);
    server->read([&](soci::session& sql) { sql << "CREATE DATABASE " + name_; });
    std::string base = admin;
    base = base.substr(0, base.rfind('/'));
    url_ = base + "/" + name_;
  } else {
    directory_ = (std::filesystem::temp_directory_path() / ("mnemos-test-" + new_id())).string();
    std::filesystem::create_directories(directory_);
    url_ = "sqlite://" + directory_ + "/test.db";
  }
}

TestDatabase::~TestDatabase() {
  try {
    if (postgresql_) {
      auto server = db::Database::open(std::getenv("MNEMOS_TEST_PG_URL"), 1);
      server->read([&](soci::session& sql) { sql << "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)"; });
    } else {
      std::filesystem::remove_all(directory_);
    }
  } catch (...) {
  }
}

boost::json::value HttpResponse::json() const { return mnemos::json::parse(body); }

std::string HttpResponse::header(const std::string& name) const {
  const auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

HttpResponse HttpClient::request(const std::string& method, const std::string& target,
                                 const std::string& body,
                                 std::vector<std::pair<std::string, std::string>> headers) {
  asio::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
  set_timeout(socket);
  bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), target, 11};
  req.set(bhttp::field::host, "127.0.0.1");
  req.set(bhttp::field::user_agent, "mnemos-tests");
  std::string cookie_header;
  for (const auto& [name, value] : cookies_) {
    if (!cookie_header.empty()) cookie_header += "; ";
    cookie_header += name + "=" + value;
  }
  if (!cookie_header.empty()) req.set(bhttp::field::cookie, cookie_header);
  if (!csrf_.empty() && method != "GET") req.set("x-csrf-token", csrf_);
  // Tests read English messages unless they ask for another language (demo users are French).
  req.set(bhttp::field::accept_language, "en");
  for (const auto& [name, value] : headers) req.set(name, value);
  req.body() = body;
  req.prepare_payload();
  req.keep_alive(false);
  boost::system::error_code write_error;
  bhttp::write(socket, req, write_error);  // a server may answer before reading everything
  boost::beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  bhttp::read(socket, buffer, parser);
  const auto& res = parser.get();
  HttpResponse out;
  out.status = static_cast<int>(res.result_int());
  out.body = res.body();
  for (const auto& field : res) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers[name] = std::string(field.value());
    if (name == "set-cookie") {
      const std::string value(field.value());
      const auto eq = value.find('=');
      const auto semi = value.find(';');
      const std::string cookie_name = value.substr(0, eq);
      const std::string cookie_value = value.substr(eq + 1, semi - eq - 1);
      if (cookie_value.empty() || value.find("Max-Age=0") != std::string::npos) {
        cookies_.erase(cookie_name);
      } else {
        cookies_[cookie_name] = cookie_value;
      }
    }
  }
  return out;
}

std::string HttpClient::raw(const std::string& raw_request) {
  asio::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
  set_timeout(socket);
  boost::system::error_code ec;
  asio::write(socket, asio::buffer(raw_request), ec);
  socket.shutdown(tcp::socket::shutdown_send, ec);
  std::string response;
  char chunk[4096];
  while (true) {
    const auto n = socket.read_some(asio::buffer(chunk), ec);
    if (n > 0) response.append(chunk, n);
    if (ec) break;
  }
  return response;
}

HttpResponse HttpClient::login(const std::string& school, const std::string& email,
                               const std::string& password) {
  boost::json::object body{{"email", email}, {"password", password}};
  if (!school.empty()) body["school"] = school;
  csrf_.clear();
  auto response = post("/api/v1/auth/login", mnemos::json::serialize(body));
  if (response.status == 200) csrf_ = json_string(response.json(), "csrf_token");
  return response;
}

TestApp::TestApp(std::function<void(Config&)> adjust, const Clock* clock) {
  Config config;
  config.database_url = database_.url();
  config.host = "127.0.0.1";
  config.port = 0;
  config.db_pool_size = 4;
  config.io_threads = 1;
  config.worker_threads = 4;
  config.web_root.clear();  // the API only
  files_dir_ = (std::filesystem::temp_directory_path() / ("mnemos-files-" + new_id())).string();
  config.files_dir = files_dir_;
  config.roles = "api,ws";  // tests drive the job worker themselves
  config.rate_limit_per_minute = 0;
  config.login_attempts_per_15min = 1000;
  config.log_level = "warn";
  if (adjust) adjust(config);
  app_ = std::make_unique<app::Application>(config, clock);
  app_->migrate();
  app_->seed_demo();
  port_ = app_->start();
}

TestApp::~TestApp() {
  if (app_) app_->stop();
  app_.reset();
  std::error_code ignored;
  std::filesystem::remove_all(files_dir_, ignored);
}

std::string json_string(const boost::json::value& value, const std::string& key) {
  const auto* object = value.if_object();
  if (object == nullptr) return "";
  const auto* found = object->if_contains(key);
  if (found == nullptr || !found->is_string()) return "";
  return std::string(found->get_string());
}

}  // namespace mnemos::testing
