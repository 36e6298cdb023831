#include <mnemos/app/application.hpp>
#include <mnemos/ai/module.hpp>
#include <mnemos/billing/module.hpp>
#include <mnemos/communication/module.hpp>
#include <mnemos/core/broadcaster.hpp>
#include <mnemos/core/db.hpp>
#include <mnemos/core/jobs.hpp>
#include <mnemos/core/json.hpp>
#include <mnemos/core/mail.hpp>
#include <mnemos/core/migrations.hpp>
#include <mnemos/core/security.hpp>
#include <mnemos/http/dispatcher.hpp>
#include <mnemos/http/json.hpp>
#include <mnemos/http/server.hpp>
#include <mnemos/learning/module.hpp>
#include <mnemos/users/module.hpp>

#include "support_routes.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <spdlog/spdlog.h>

#include <fstream>
#include <thread>

namespace mnemos::app {

std::vector<EmbeddedFile> openapi_fragments();  // generated from */openapi.json

std::string version() { return MNEMOS_VERSION; }

namespace {

// "a, b,c" as {"a", "b", "c"}; empty items left out.
std::vector<std::string> comma_list(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    auto item = text.substr(start, end - start);
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (!item.empty()) out.push_back(item);
    start = end + 1;
  }
  return out;
}

// "https://school.example/app/" -> "https://school.example": what browsers send as Origin.
std::string origin_of(const std::string& url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return url;
  return url.substr(0, url.find('/', scheme_end + 3));
}
}  // namespace

struct Application::Impl {
  Impl(Config c, const Clock* given_clock)
      : config(std::move(c)),
        clock(given_clock != nullptr ? given_clock : &system_clock),
        broadcaster(config.redis_url.empty() ? std::make_unique<realtime::InProcessBroadcaster>()
                                             : realtime::make_redis_broadcaster(config.redis_url)),
        db(db::Database::open(config.database_url, config.db_pool_size)),
        mailer(config.smtp_url.empty() ? mail::make_log_mailer(*db)
                                       : mail::make_smtp_mailer(config.smtp_url, config.smtp_from, config.files_dir)),
        plan(*clock),
        users(users::Dependencies{*db, *clock, registry, config, *broadcaster, plan}),
        learning(learning::Dependencies{*db, *clock, registry, users.directory(), plan, config.files_dir, usage,
                                         *broadcaster}),
        ai(ai::Dependencies{*db, *clock, registry, learning.catalog(), users.directory(), config.files_dir,
                            ai::Limits{.school_sources_bytes = config.ai_sources_quota_mb << 20,
                                       .daily_questions = config.ai_daily_questions},
                            ai::ProviderConfig{config.ai_provider, config.ai_url, config.ai_model,
                                               config.ai_embedding_model, config.ai_api_key,
                                               config.ai_first_token_timeout_ms},
                            plan, usage}),
        communication(communication::Dependencies{*db, *clock, registry, users.directory(), learning.catalog(),
                                                  *broadcaster,
                                                  communication::Limits{
                                                      static_cast<double>(config.chat_messages_per_minute),
                                                      static_cast<double>(config.chat_messages_burst),
                                                      config.chat_digest_seconds},
                                                  config.public_url,
                                                  communication::VideoSettings{comma_list(config.stun_urls),
                                                                               comma_list(config.turn_urls),
                                                                               config.turn_secret, config.turn_ttl_s},
                                                  config.files_dir, plan}),
        billing(billing::Dependencies{*db, *clock, registry, users.directory(),
                                      billing::Seller{config.seller_name, config.seller_address,
                                                      config.seller_postal_code, config.seller_city,
                                                      config.seller_country, config.seller_siren,
                                                      config.seller_vat_number, config.seller_email,
                                                      config.seller_legal_mentions, config.seller_iban,
                                                      config.seller_bic},
                                      config.files_dir,
                                      billing::PaymentSettings{config.payment_gateway_url, config.payment_secret_key,
                                                               config.payment_webhook_secret}}),
        worker(*db, registry, *clock, "worker-" + std::to_string(::getpid())) {
    mail::register_jobs(registry, *mailer);
    users.register_jobs(registry);
    learning.register_jobs(registry);
    ai.register_jobs(registry);
    communication.register_jobs(registry);
    billing.register_jobs(registry);
    // A person's data export holds what each module keeps about them.
    users.add_personal_data("learning", learning::personal_data);
    users.add_personal_data("tutor", ai::personal_data);
    users.add_personal_data("messages", communication::personal_data);
    register_platform_routes();
    // A process without the api role answers health, metrics and (with ws) /ws only.
    if (config.runs("api")) {
      register_support_routes(router, *db, *clock, dispatcher_view);
      users.register_routes(router);
      learning.register_routes(router);
      ai.register_routes(router);
      communication.register_routes(router);
      billing.register_routes(router);
      web = std::make_unique<http::StaticFiles>(config.web_root);
    }
    http::DispatcherOptions options;
    options.body_limit = config.body_limit;
    options.rate_limit_per_minute = config.rate_limit_per_minute;
    options.rate_limit_burst = config.rate_limit_burst;
    options.secure_cookies = config.secure_cookies;
    options.websocket_origins = {origin_of(config.public_url)};
    dispatcher = std::make_unique<http::Dispatcher>(router, users.authenticator(), *clock, options,
                                                    web.get());
    dispatcher_view = dispatcher.get();
    dispatcher->metrics().add_gauge("mnemos_db_connections_in_use",
                                    "Database connections leased from the pool.",
                                    [this] { return static_cast<double>(db->in_use()); });
    dispatcher->metrics().add_gauge("mnemos_db_pool_size", "Database connection pool size.",
                                    [this] { return static_cast<double>(db->pool_size()); });
  }

  std::vector<db::MigrationSet> migration_sets() const {
    return {{"core", core::migration_files()}, users::Module::migrations(),
            learning::Module::migrations(), ai::Module::migrations(),
            communication::Module::migrations(), billing::Module::migrations()};
  }

  void register_platform_routes() {
    using http::Request;
    using http::Response;
    router.get("/healthz", {.auth = false, .inline_io = true, .rate_limited = false},
               [](const Request&, RequestContext&) {
                 return Response::json(200, R"({"status":"ok"})");
               });
    router.get("/readyz", {.auth = false, .rate_limited = false},
               [this](const Request&, RequestContext&) {
                 const bool database = db->ping();
                 const bool migrated = database && db::migrations_applied(*db, migration_sets());
                 boost::json::object body{{"database", database}, {"migrations", migrated}};
                 body["status"] = database && migrated ? "ready" : "not_ready";
                 return http::json(database && migrated ? 200 : 503, body);
               });
    router.get("/metrics", {.auth = false, .inline_io = true, .rate_limited = false},
               [this](const Request&, RequestContext&) {
                 const auto& routes = router.routes();
                 return Response::text(
                     200,
                     dispatcher->metrics().render([&](std::size_t i) {
                       return i < routes.size() ? routes[i].method + " " + routes[i].pattern
                                                : std::string("unmatched");
                     }),
                     "text/plain; version=0.0.4");
               });
    router.get("/api/v1/platform/mail", {.permission = Permission::platform_mail_read},
               [this](const Request& req, RequestContext&) {
                 const std::string to = json::lowercase_ascii(req.query_param("to").value_or(""));
                 const std::string before = req.query_param("cursor").value_or("");
                 if (to.size() > 254 || before.size() > 40) {
                   throw Error::invalid(to.size() > 254 ? "to" : "cursor", "Too long.");
                 }
                 constexpr int kPage = 50;
                 auto messages = mail::recent(*db, to, before, kPage + 1);
                 boost::json::array items;
                 for (std::size_t i = 0; i < messages.size() && i < kPage; ++i) {
                   const auto& m = messages[i];
                   items.push_back(boost::json::object{{"id", m.id}, {"to", m.to}, {"subject", m.subject},
                                                       {"text", m.text}, {"created_at", m.created_at}});
                 }
                 boost::json::object body{{"items", std::move(items)}};
                 body["next_cursor"] = messages.size() > kPage ? boost::json::value(messages[kPage - 1].id)
                                                               : boost::json::value(nullptr);
                 return http::json(200, body);
               });
    router.get("/api/v1/openapi.json", {.auth = false, .inline_io = true},
               [this](const Request&, RequestContext&) {
                 return Response::json(200, openapi_document());
               });
  }

  // The base document with every module's paths and schemas merged in.
  std::string build_openapi() const {
    boost::json::object document;
    boost::json::object paths;
    boost::json::object schemas;
    for (const auto& fragment : openapi_fragments()) {
      auto value = json::parse(fragment.content);
      auto& part = value.as_object();
      if (fragment.name == "openapi-base.json") {
        document = part;
        continue;
      }
      // Two modules naming a path or a schema alike would silently replace one another.
      if (auto* p = part.if_contains("paths")) {
        for (auto& [path, item] : p->as_object()) {
          if (paths.contains(path)) throw std::logic_error("OpenAPI path defined twice: " + std::string(path));
          paths[path] = item;
        }
      }
      if (auto* c = part.if_contains("schemas")) {
        for (auto& [name, schema] : c->as_object()) {
          if (schemas.contains(name)) throw std::logic_error("OpenAPI schema defined twice: " + std::string(name));
          schemas[name] = schema;
        }
      }
    }
    for (auto& [path, item] : document["paths"].as_object()) paths[path] = item;
    auto& components = document["components"].as_object();
    for (auto& [name, schema] : components["schemas"].as_object()) schemas[name] = schema;
    document["paths"] = std::move(paths);
    components["schemas"] = std::move(schemas);
    document["info"].as_object()["version"] = version();
    return json::serialize(document);
  }

  const std::string& openapi_document() {
    std::call_once(openapi_once, [this] { openapi = build_openapi(); });
    return openapi;
  }

  Config config;
  SystemClock system_clock;
  const Clock* clock;
  // In-process, or Redis pub/sub between the processes behind one address (MNEMOS_REDIS_URL).
  std::unique_ptr<realtime::Broadcaster> broadcaster;
  std::unique_ptr<db::Database> db;
  jobs::Registry registry;
  std::unique_ptr<mail::Mailer> mailer;
  http::Router router;
  // What each school's plan allows (seats, modules), asked by users and learning.
  billing::SubscriptionPolicy plan;
  // What each school uses per day (AI requests and tokens, storage, active students), for billing.
  billing::Meter usage;
  users::Module users;
  learning::Module learning;
  ai::Module ai;
  communication::Module communication;
  billing::Module billing;
  jobs::Worker worker;
  std::unique_ptr<http::StaticFiles> web;
  std::unique_ptr<http::Dispatcher> dispatcher;
  const http::Dispatcher* dispatcher_view = nullptr;  // for routes that read its error log
  std::unique_ptr<http::Server> server;
  std::thread server_thread;
  std::once_flag openapi_once;
  std::string openapi;
};

Application::Application(Config config, const Clock* clock) {
  security::init();
  impl_ = std::make_unique<Impl>(std::move(config), clock);
}

Application::~Application() { stop(); }

int Application::migrate() { return db::migrate(*impl_->db, impl_->migration_sets()); }

void Application::seed_demo() {
  const auto demo = impl_->users.seed_demo();
  impl_->learning.seed_demo(demo.school_id, demo.teacher_id, demo.class_id, demo.subject_id);
  impl_->communication.seed_demo(demo.school_id, demo.class_ids);
  impl_->billing.seed_demo({demo.school_id, demo.other_school_id});
}

int Application::seed_load_test(int students, int class_size, const std::string& out_file) {
  std::ofstream out(out_file);
  if (!out) {
    spdlog::error("mnemos seed --load-test: --out: cannot write {}", out_file);
    return 2;
  }
  const auto school = impl_->users.seed_load_test(students, class_size);
  const auto step_id = impl_->learning.seed_load_test(school.school_id, school.teacher_id,
                                                      school.subject_id, school.class_ids, 1000);
  // Each class's channel, as the job following class membership makes it (bench/chat writes in them).
  impl_->communication.seed_demo(school.school_id, school.class_ids);
  // A school of this size has had its statistics gathered long before a morning's revision; a
  // database filled a second ago has none, and PostgreSQL then plans blind (a class lookup took
  // 7 ms instead of 0.05 ms in the first runs of bench/load).
  impl_->db->write([](soci::session& sql) { sql << "ANALYZE"; });
  for (const auto& student : school.students) {
    out << student.session_token << '\t' << student.csrf_token << '\t' << step_id << '\n';
  }
  out.close();
  if (!out) {
    spdlog::error("mnemos seed --load-test: could not finish writing {}", out_file);
    return 1;
  }
  spdlog::info("{} students' sessions written to {} (secrets: delete it after the run)", students, out_file);
  return 0;
}

int Application::billing_run(const std::optional<std::string>& period, std::ostream& out) {
  const auto run = impl_->billing.run_invoices(period);
  out << "period " << run.period << ": " << run.created.size() << " invoice(s) made";
  for (const auto& number : run.created) out << " " << number;
  out << "; " << run.issued << " issued";
  out << "; dunning: " << run.past_due << " past due, " << run.suspended << " suspended, " << run.reminders
      << " reminder(s), " << run.trials_ended << " trial(s) ended";
  if (run.not_issued > 0) out << ", " << run.not_issued << " left pending (see the log)";
  out << "; " << run.already << " already invoiced, " << run.nothing_due << " with nothing to bill, "
      << run.not_ended << " whose period is not over\n";
  return run.not_issued > 0 ? 1 : 0;
}

std::string Application::create_platform_admin(const std::string& email, const std::string& name,
                                               const std::string& password) {
  return impl_->users.create_platform_admin(email, name, password);
}

namespace {
// Requests wait on the database: PostgreSQL's queries on the network, SQLite's writes on the one
// writer's commit (docs/decisions/0008), and the more requests wait together the more writes one
// commit carries. On 2 cores, 31 students answering as fast as they could: 2 threads gave 1,030
// answers/s, 16 gave 1,290 and 32 gave 1,650 on SQLite. On PostgreSQL an answer waits for two
// batches and a durable commit: 20,000 students answering every 8 s need more requests waiting at
// once than 32 threads allow (Little's law; 64 threads fell behind too). 128 kept up until a
// moment's slowdown made an answer wait past 128 / 2,500 s = 51 ms: then every thread waited and
// the queue grew for seconds (four runs in eight); with 256, none of four (docs/performance.md).
int worker_threads_for(const Config& config) {
  if (config.worker_threads > 0) return config.worker_threads;
  return config.database_url.starts_with("postgres") ? 256 : 32;
}

http::ServerOptions server_options(const Config& config, realtime::Broadcaster& broadcaster,
                                   const http::Router& router) {
  http::ServerOptions options;
  options.host = config.host;
  options.port = config.port;
  options.io_threads = config.io_threads;
  options.blocking_threads = worker_threads_for(config);
  // The parser's cap: the configured limit, or more for the upload routes that declare it (an
  // Anki package); each route's own limit is applied once its path is known.
  options.max_body_limit = std::max<std::size_t>(config.body_limit, 1 << 20);
  for (const auto& route : router.routes()) {
    options.max_body_limit = std::max(options.max_body_limit, route.options.body_limit);
  }
  options.request_timeout_s = config.request_timeout_s;
  options.websocket.enabled = config.runs("ws");
  options.websocket.broadcaster = &broadcaster;
  options.websocket.reauthenticate_s = std::max(1, config.ws_reauthenticate_s);
  return options;
}
}  // namespace

std::uint16_t Application::start() {
  impl_->server = std::make_unique<http::Server>(server_options(impl_->config, *impl_->broadcaster, impl_->router),
                                                 *impl_->dispatcher);
  const auto port = impl_->server->listen();
  if (impl_->config.runs("worker")) {
    if (impl_->config.billing_daily_run) impl_->billing.schedule_daily_run();
    impl_->worker.start();
  }
  impl_->server_thread = std::thread([this] { impl_->server->run(false); });
  return port;
}

void Application::run() {
  impl_->server = std::make_unique<http::Server>(server_options(impl_->config, *impl_->broadcaster, impl_->router),
                                                 *impl_->dispatcher);
  const auto port = impl_->server->listen();
  if (impl_->config.runs("worker")) {
    if (impl_->config.billing_daily_run) impl_->billing.schedule_daily_run();
    impl_->worker.start();
  }
  spdlog::info("mnemos {} serving on http://{}:{} (database: {})", version(), impl_->config.host,
               port, impl_->db->url_for_logs());
  impl_->server->run(true);
  impl_->worker.stop();
  spdlog::info("mnemos stopped cleanly");
}

void Application::stop() {
  if (!impl_) return;
  if (impl_->server) impl_->server->stop();
  if (impl_->server_thread.joinable()) impl_->server_thread.join();
  impl_->worker.stop();
}

std::string Application::openapi_json() const { return impl_->build_openapi(); }
db::Database& Application::database() { return *impl_->db; }
realtime::Broadcaster& Application::broadcaster() { return *impl_->broadcaster; }
http::Router& Application::router() { return impl_->router; }
jobs::Worker& Application::worker() { return impl_->worker; }
const Config& Application::config() const { return impl_->config; }

}  // namespace mnemos::app
