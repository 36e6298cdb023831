#pragma once
// Wires the modules into one process: database, migrations, routes, jobs, HTTP server.
// main.cpp and the API tests both build the product through this class.
#include <mnemos/core/clock.hpp>
#include <mnemos/core/config.hpp>

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

namespace mnemos::db {
class Database;
}
namespace mnemos::http {
class Router;
}
namespace mnemos::jobs {
class Worker;
}
namespace mnemos::realtime {
class Broadcaster;
}

namespace mnemos::app {

class Application {
 public:
  // `clock` defaults to the system clock; tests pass a ManualClock.
  explicit Application(Config config, const Clock* clock = nullptr);
  ~Application();

  // Applies pending migrations of every module; returns how many ran.
  int migrate();
  void seed_demo();
  // `mnemos seed --load-test N --out FILE`: writes one line per student, tab-separated: session
  // token, CSRF token, the step to revise (bench/load reads it). Returns the exit code.
  int seed_load_test(int students, int class_size, const std::string& out_file);
  // `mnemos billing run [--period YYYY-MM]`: the monthly invoices now; prints what it made.
  int billing_run(const std::optional<std::string>& period, std::ostream& out);
  std::string create_platform_admin(const std::string& email, const std::string& name,
                                    const std::string& password);

  // Binds the port and serves in background threads; returns the bound port (tests).
  std::uint16_t start();
  // Serves in the foreground until SIGINT/SIGTERM, then drains.
  void run();
  // Drains and stops what start() started.
  void stop();

  // The OpenAPI 3.1 document of every route.
  std::string openapi_json() const;

  db::Database& database();
  http::Router& router();
  jobs::Worker& worker();
  realtime::Broadcaster& broadcaster();
  const Config& config() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

std::string version();

}  // namespace mnemos::app
