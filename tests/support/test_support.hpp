#pragma once
// What API tests share: a database of the kind under test (MNEMOS_TEST_DB=sqlite|postgresql),
// the real application on an ephemeral port, and a small HTTP client with a cookie jar.
#include <mnemos/app/application.hpp>

#include <boost/json/value.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mnemos::testing {

// A fresh, empty database for one test suite; dropped (PostgreSQL) or deleted (SQLite) at the end.
class TestDatabase {
 public:
  TestDatabase();
  ~TestDatabase();
  const std::string& url() const { return url_; }
  bool is_postgresql() const { return postgresql_; }
  static std::string kind();  // "sqlite" or "postgresql"

 private:
  std::string url_;
  std::string name_;
  std::string directory_;
  bool postgresql_ = false;
};

struct HttpResponse {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lowercase names
  boost::json::value json() const;
  std::string header(const std::string& name) const;
};

class HttpClient {
 public:
  explicit HttpClient(std::uint16_t port) : port_(port) {}
  HttpResponse request(const std::string& method, const std::string& target,
                       const std::string& body = "",
                       std::vector<std::pair<std::string, std::string>> headers = {});
  // A raw HTTP/1.1 exchange, for malformed requests: writes `raw`, reads until the server closes.
  std::string raw(const std::string& raw_request);
  HttpResponse get(const std::string& target) { return request("GET", target); }
  HttpResponse post(const std::string& target, const std::string& json_body = "{}") {
    return request("POST", target, json_body, {{"content-type", "application/json"}});
  }
  HttpResponse patch(const std::string& target, const std::string& json_body) {
    return request("PATCH", target, json_body, {{"content-type", "application/json"}});
  }
  HttpResponse del(const std::string& target) { return request("DELETE", target); }

  // Logs in (school empty for platform staff); keeps the cookie and CSRF token. Returns the response.
  HttpResponse login(const std::string& school, const std::string& email,
                     const std::string& password = "mnemos-demo");
  void forget_csrf() { csrf_.clear(); }
  const std::string& csrf() const { return csrf_; }
  std::map<std::string, std::string>& cookies() { return cookies_; }
  // The same browser (cookies, CSRF token) with its requests served on another port.
  HttpClient on_port(std::uint16_t port) const {
    HttpClient other = *this;
    other.port_ = port;
    return other;
  }

 private:
  std::uint16_t port_;
  std::map<std::string, std::string> cookies_;
  std::string csrf_;
};

// The whole product, migrated and seeded with the demo schools, serving on 127.0.0.1:<port>.
class TestApp {
 public:
  // `clock`: the time the product sees (a ManualClock to test scheduling over days); real time if null.
  explicit TestApp(std::function<void(Config&)> adjust = {}, const Clock* clock = nullptr);
  ~TestApp();
  std::uint16_t port() const { return port_; }
  app::Application& app() { return *app_; }
  HttpClient client() const { return HttpClient(port_); }
  const TestDatabase& database() const { return database_; }

 private:
  TestDatabase database_;
  std::string files_dir_;
  std::unique_ptr<app::Application> app_;
  std::uint16_t port_ = 0;
};

std::string json_string(const boost::json::value& value, const std::string& key);

}  // namespace mnemos::testing
