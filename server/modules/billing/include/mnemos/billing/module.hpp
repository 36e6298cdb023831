#pragma once
// The billing module: plans, schools' subscriptions and what a plan allows (docs/billing.md).
// Other modules reach it only through this header: the plan policy (core/plan.hpp) and its events.
#include <mnemos/core/clock.hpp>
#include <mnemos/core/migrations.hpp>
#include <mnemos/core/plan.hpp>
#include <mnemos/core/usage.hpp>
#include <mnemos/http/router.hpp>
#include <mnemos/users/directory.hpp>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace mnemos::db {
class Database;
}
namespace mnemos::jobs {
class Registry;
}

namespace mnemos::billing {

// What a school's plan allows, read in the caller's transaction: `teachers` and `students` (the
// seats counted after the change), `ai_tutor` and `video_rooms` (the modules). A school without a
// subscription is not limited (schools made before billing existed; docs/billing.md).
class SubscriptionPolicy final : public PlanPolicy {
 public:
  explicit SubscriptionPolicy(const Clock& clock) : clock_(clock) {}
  std::optional<std::string> refusal(soci::session& sql, const std::string& school_id,
                                     std::string_view resource, std::int64_t count_after) const override;
  // Suspended for an unpaid invoice (docs/billing.md, "Overdue invoices"). Asked each time a
  // session is read (one in two requests of 20,000 students answering every 8 s): kept 5 s per
  // school, so a change shows within the session cache's 10 s and these 5.
  bool read_only(soci::session& sql, const std::string& school_id) const override;
  std::optional<bool> known_read_only(const std::string& school_id) const override;

 private:
  const Clock& clock_;  // this month's AI requests against the plan's quota
  struct ReadOnly {
    bool suspended = false;
    std::int64_t until_ms = 0;
  };
  mutable std::mutex read_only_mutex_;
  mutable std::unordered_map<std::string, ReadOnly> read_only_;
};

// Counts each school's usage per day (docs/billing.md, "Usage"), in the caller's transaction.
class Meter final : public UsageMeter {
 public:
  void add(soci::session& sql, const std::string& school_id, std::string_view metric, std::int64_t amount,
           std::int64_t at_ms) const override;
  void active(soci::session& sql, const std::string& school_id, const std::string& user_id,
              std::int64_t at_ms) const override;
};

// What one run of the monthly invoice job did (`mnemos billing run`, POST /api/v1/billing/runs).
struct InvoiceRun {
  std::string period;                // YYYY-MM
  std::vector<std::string> created;  // the numbers of the invoices made
  int issued = 0;                    // invoices issued (their PDF made and sent), earlier ones left pending included
  int not_issued = 0;                // made but left pending: their PDF could not be made (logged); the next run retries
  int already = 0;                   // schools invoiced before for the period (the job ran already)
  int nothing_due = 0;               // a trial, a canceled subscription, no day on a plan
  int not_ended = 0;                 // the school's period is not over yet
  // Dunning, done by every run: subscriptions made past_due or suspended, reminders sent, trials ended.
  int past_due = 0;
  int suspended = 0;
  int reminders = 0;
  int trials_ended = 0;
};

// The platform's company: the seller printed on every invoice (MNEMOS_SELLER_*, docs/configuration.md).
struct Seller {
  std::string name;
  std::string address;
  std::string postal_code;
  std::string city;
  std::string country = "FR";
  std::string siren;
  std::string vat_number;
  std::string email;           // where schools write about invoices; the seller's e-invoicing address
  std::string legal_mentions;  // legal form, capital, registration: "SAS au capital de … · RCS Paris …"
  std::string iban;
  std::string bic;
};

// The card/SEPA gateway (Stripe's API shape; MNEMOS_PAYMENT_*, docs/configuration.md). Without a
// secret key, nothing is collected automatically: invoices wait for a transfer.
struct PaymentSettings {
  std::string gateway_url = "https://api.stripe.com";
  std::string secret_key;      // never logged
  std::string webhook_secret;  // signs the gateway's webhook events (Stripe-Signature)
};

struct Dependencies {
  db::Database& db;
  const Clock& clock;
  jobs::Registry& jobs;
  const users::Directory& directory;
  Seller seller;
  std::string files_dir;  // issued invoices' PDFs (MNEMOS_FILES_DIR)
  PaymentSettings payments;
};

class Module {
 public:
  explicit Module(Dependencies deps);
  ~Module();

  static db::MigrationSet migrations();
  void register_routes(http::Router& router);
  // A new school starts a trial on the default plan.
  void register_jobs(jobs::Registry& registry);
  // `mnemos seed --demo`: the demo plans and the demo schools' subscriptions.
  // The first school gets the biggest plan, the second the smallest, on trial.
  void seed_demo(const std::vector<std::string>& school_ids);
  // The monthly invoices of `period` (YYYY-MM; default the month before this one) for every school
  // whose period has ended. Safe to run twice.
  InvoiceRun run_invoices(const std::optional<std::string>& period);
  // Schedules the daily run (job billing.daily_run, 03:00 UTC; it schedules the next itself)
  // unless it is scheduled already. Called when a process with the worker role starts.
  void schedule_daily_run();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mnemos::billing
