// mnemos: one binary for every role. `mnemos --help` lists the commands.
#include <mnemos/app/application.hpp>

#include <mnemos/app/srs_commands.hpp>
#include <mnemos/core/error.hpp>
#include <mnemos/core/logging.hpp>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <unistd.h>

namespace {

void add_common_flags(CLI::App& command, mnemos::Config& config) {
  command.add_option("--database-url", config.database_url,
                     "sqlite://path.db or postgresql://user:pass@host/db (MNEMOS_DATABASE_URL)");
}

void print_error(const mnemos::Error& error) {
  std::cerr << "error: " << error.what() << "\n";
  for (const auto& field : error.fields()) {
    std::cerr << "  " << field.field << ": " << field.message << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  mnemos::Config config;
  try {
    config.load_environment();
  } catch (const std::exception& e) {
    std::cerr << "configuration error: " << e.what() << "\n";
    return 2;
  }

  CLI::App cli{"Mnemos: a learning platform for schools, built around memory."};
  cli.set_version_flag("--version", mnemos::app::version());
  cli.require_subcommand(1);

  auto* serve = cli.add_subcommand("serve", "Migrate, then serve the API, WebSocket and jobs");
  add_common_flags(*serve, config);
  serve->add_option("--host", config.host, "Address to listen on (MNEMOS_HOST)");
  serve->add_option("--port", config.port, "Port to listen on (MNEMOS_PORT)");
  serve->add_option("--roles", config.roles, "api,ws,worker or a subset (MNEMOS_ROLES)");
  serve->add_option("--web-root", config.web_root, "The built web app (MNEMOS_WEB_ROOT)");
  serve->add_flag("--seed-demo", config.seed_demo, "Seed the demo schools first (MNEMOS_SEED_DEMO)");

  auto* migrate = cli.add_subcommand("migrate", "Apply pending database migrations");
  add_common_flags(*migrate, config);

  auto* seed = cli.add_subcommand("seed", "Create demo data");
  add_common_flags(*seed, config);
  bool demo = false;
  int load_students = 0;
  int load_class_size = 30;
  std::string load_out = "load-test.tsv";
  auto* demo_flag = seed->add_flag("--demo", demo, "The demo schools 'demo' and 'other' (see README)");
  auto* load_flag = seed->add_option(
      "--load-test", load_students,
      "A school of N students with a 1,000-card path, for bench/load (docs/performance.md)");
  load_flag->check(CLI::Range(1, 200000));
  seed->add_option("--class-size", load_class_size, "With --load-test: students per class (default 30)")
      ->check(CLI::Range(1, 5000));
  seed->add_option("--out", load_out, "With --load-test: where the students' sessions are written");
  demo_flag->excludes(load_flag);
  seed->require_option(1, 4);

  auto* user = cli.add_subcommand("user", "Manage accounts");
  user->require_subcommand(1);
  auto* create = user->add_subcommand("create", "Create the first platform administrator");
  add_common_flags(*create, config);
  std::string email, name;
  bool platform_admin = false;
  create->add_option("--email", email, "Login email")->required();
  create->add_option("--name", name, "Display name");
  create->add_flag("--platform-admin", platform_admin, "Give the platform_admin role")->required();

  auto* billing = cli.add_subcommand("billing", "Schools' subscriptions and invoices");
  billing->require_subcommand(1);
  auto* billing_run = billing->add_subcommand(
      "run", "Make the monthly invoices of every school whose period has ended (safe to run twice)");
  add_common_flags(*billing_run, config);
  std::optional<std::string> billing_period;
  billing_run->add_option("--period", billing_period, "The month, YYYY-MM (default: the month before this one)");

  auto* openapi = cli.add_subcommand("openapi", "Print the OpenAPI document");

  auto* srs = cli.add_subcommand("srs", "The memory engine (FSRS-6), without a database");
  srs->require_subcommand(1);
  auto* replay = srs->add_subcommand(
      "replay", "Read one card's review history as JSON on stdin; print the state after each review");
  auto* optimize = srs->add_subcommand(
      "optimize", "Fit the model to a review log (CSV) and compare it with the defaults on later reviews");
  std::string reviews_file, timezone = "UTC";
  int day_start_hour = 4;
  optimize->add_option("--reviews", reviews_file, "CSV: card_id,review_rating,review_time[,review_duration]")
      ->required();
  optimize->add_option("--timezone", timezone, "IANA time zone of the days (default UTC)");
  optimize->add_option("--day-start-hour", day_start_hour, "Hour at which a day starts (default 4)");

  CLI11_PARSE(cli, argc, argv);
  mnemos::init_logging(config.log_format, config.log_level);

  try {
    if (*replay) return mnemos::app::srs_replay(std::cin, std::cout, std::cerr);
    if (*optimize) {
      std::ifstream file(reviews_file);
      if (!file) {
        std::cerr << "mnemos srs optimize: --reviews: cannot read " << reviews_file << "\n";
        return 2;
      }
      return mnemos::app::srs_optimize(file, timezone, day_start_hour, std::cout, std::cerr);
    }
    if (*openapi) {
      config.database_url = "sqlite::memory:";
      config.web_root.clear();
      mnemos::app::Application app(config);
      std::cout << app.openapi_json() << "\n";
      return 0;
    }
    mnemos::app::Application app(config);
    app.migrate();
    if (*migrate) return 0;
    if (*seed) {
      if (load_students > 0) return app.seed_load_test(load_students, load_class_size, load_out);
      app.seed_demo();
      return 0;
    }
    if (*billing_run) return app.billing_run(billing_period, std::cout);
    if (*create) {
      // The password never goes on the command line (it would show in `ps` and shell history).
      std::string password;
      if (const char* from_env = std::getenv("MNEMOS_ADMIN_PASSWORD")) {
        password = from_env;
      } else {
        if (isatty(STDIN_FILENO)) std::cerr << "Password: ";
        std::getline(std::cin, password);
      }
      const auto id = app.create_platform_admin(email, name, password);
      std::cout << "platform administrator created: " << id << "\n";
      return 0;
    }
    if (*serve) {
      if (config.seed_demo) app.seed_demo();
      app.run();
      return 0;
    }
  } catch (const mnemos::Error& error) {
    print_error(error);
    return 1;
  } catch (const std::exception& error) {
    spdlog::critical("{}", error.what());
    return 1;
  }
  return 0;
}
