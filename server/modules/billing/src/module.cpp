#include <mnemos/billing/module.hpp>
#include <mnemos/core/jobs.hpp>
#include <mnemos/core/json.hpp>

#include "invoices.hpp"
#include "messages.hpp"
#include "routes.hpp"
#include "service.hpp"

namespace mnemos::billing {

std::vector<EmbeddedFile> migration_files();  // generated from migrations/*.sql

struct Module::Impl {
  explicit Impl(Dependencies d) : deps(std::move(d)), billing(deps), invoices(deps) {}
  Dependencies deps;
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
  register_invoice_routes(router, impl_->invoices);
}

InvoiceRun Module::run_invoices(const std::optional<std::string>& period) { return impl_->invoices.run(period); }

void Module::register_jobs(jobs::Registry& registry) {
  registry.handle("billing.start_trial", [this](const jobs::Job& job) {
    if (job.school_id) impl_->billing.start_trial(*job.school_id);
  });
  registry.subscribe("users.school_created", "billing.start_trial");
}

void Module::seed_demo(const std::vector<std::string>& school_ids) { impl_->billing.seed_demo(school_ids); }

}  // namespace mnemos::billing
