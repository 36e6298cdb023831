#include <mnemos/billing/module.hpp>
#include <mnemos/core/db.hpp>
#include <mnemos/core/jobs.hpp>
#include <mnemos/core/json.hpp>

#include "invoices.hpp"
#include "messages.hpp"
#include "routes.hpp"
#include "service.hpp"

#include <spdlog/spdlog.h>

namespace mnemos::billing {

std::vector<EmbeddedFile> migration_files();  // generated from migrations/*.sql

namespace {
std::unique_ptr<PaymentGateway> make_gateway(const PaymentSettings& settings) {
  if (settings.secret_key.empty()) return std::make_unique<TransferGateway>();
  return std::make_unique<StripeGateway>(settings.gateway_url, settings.secret_key);
}
}  // namespace

struct Module::Impl {
  explicit Impl(Dependencies d)
      : deps(std::move(d)), gateway(make_gateway(deps.payments)), payments(deps, *gateway), billing(deps),
        invoices(deps, payments) {}
  Dependencies deps;
  std::unique_ptr<PaymentGateway> gateway;
  PaymentService payments;
  BillingService billing;
  InvoiceService invoices;
};

Module::Module(Dependencies deps) : impl_(std::make_unique<Impl>(std::move(deps))) {
  messages::add_catalog(french_messages());
}
Module::~Module() = default;

db::MigrationSet Module::migrations() { return {"billing", migration_files()}; }

void Module::register_routes(http::Router& router) {
  billing::register_routes(router, impl_->billing);
  register_invoice_routes(router, impl_->invoices, impl_->payments, impl_->deps);
}

InvoiceRun Module::run_invoices(const std::optional<std::string>& period) { return impl_->invoices.run(period); }

namespace {
// The next 03:00 UTC after `now`: a quiet hour in Europe, after every school's midnight.
std::int64_t next_daily_run(std::int64_t now) {
  constexpr std::int64_t kAt = 3 * 3'600'000;
  const std::int64_t today = now - now % kDayMs + kAt;
  return today > now ? today : today + kDayMs;
}
}  // namespace

void Module::schedule_daily_run() {
  impl_->deps.db.write([&](soci::session& sql) {
    if (jobs::scheduled(sql, "billing.daily_run")) return;
    jobs::enqueue(sql, impl_->deps.clock, "billing.daily_run", "{}", std::nullopt, next_daily_run(impl_->deps.clock.now_ms()));
  });
}

void Module::register_jobs(jobs::Registry& registry) {
  // Every day: the invoices of the schools whose period ended, their PDFs, the dunning, the
  // storage measured; then the next day's run. The run is safe to repeat, so a retry is too.
  registry.handle("billing.daily_run", [this](const jobs::Job& job) {
    // Tomorrow's first, so that a run that fails (and is retried) never ends the chain.
    if (job.attempts == 1) {
      impl_->deps.db.write([&](soci::session& sql) {
        jobs::enqueue(sql, impl_->deps.clock, "billing.daily_run", "{}", std::nullopt,
                      next_daily_run(impl_->deps.clock.now_ms()));
      });
    }
    const auto run = impl_->invoices.run(std::nullopt);
    spdlog::info("daily billing run {}: {} invoice(s), {} issued, {} reminder(s)", run.period, run.created.size(),
                 run.issued, run.reminders);
  });
  registry.handle("billing.start_trial", [this](const jobs::Job& job) {
    if (job.school_id) impl_->billing.start_trial(*job.school_id);
  });
  registry.subscribe("users.school_created", "billing.start_trial");
  // An issued invoice paid by card or SEPA: asked of the gateway (retried while it is unreachable).
  registry.handle("billing.collect", [this](const jobs::Job& job) {
    const auto value = json::parse(job.payload);
    const auto& o = value.as_object();
    const auto* attempt = o.if_contains("attempt");
    impl_->payments.collect(std::string(o.at("invoice_id").as_string()),
                            attempt && attempt->is_int64() ? static_cast<int>(attempt->as_int64()) : 1);
  });
}

void Module::seed_demo(const std::vector<std::string>& school_ids) { impl_->billing.seed_demo(school_ids); }

}  // namespace mnemos::billing
