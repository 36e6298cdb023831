#include <mnemos/billing/module.hpp>
#include <mnemos/core/jobs.hpp>
#include <mnemos/core/json.hpp>

#include "invoices.hpp"
#include "messages.hpp"
#include "routes.hpp"
#include "service.hpp"

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

void Module::register_jobs(jobs::Registry& registry) {
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
