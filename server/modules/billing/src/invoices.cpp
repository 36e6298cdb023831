// Monthly invoices (invoices.hpp).
#include <mnemos/core/db.hpp>
#include <mnemos/core/error.hpp>
#include <mnemos/core/failpoint.hpp>
#include <mnemos/core/ids.hpp>
#include <mnemos/core/json.hpp>
#include <mnemos/core/timezone.hpp>

#include "invoices.hpp"
#include "repository.hpp"
#include "usage.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <mutex>
#include <thread>
#include <cstdio>
#include <map>

namespace mnemos::billing {
namespace {

constexpr std::int64_t kPaymentDays = 30;  // due 30 days after issue (docs/billing.md)

std::int64_t days_from_civil(int year, unsigned month, unsigned day) {
  using namespace std::chrono;
  return sys_days{std::chrono::year{year} / std::chrono::month{month} / std::chrono::day{day}}.time_since_epoch().count();
}

std::string period_name(int year, unsigned month) {
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02u", year, month);
  return text;
}

std::string buyer_json(const Subscription& s, const std::string& school_name) {
  auto buyer = billing_details_json(s);
  buyer["school_name"] = school_name;
  return boost::json::serialize(buyer);
}

}  // namespace

boost::json::object billing_details_json(const Subscription& s) {
  return {{"legal_name", s.legal_name},
          {"address", s.address},
          {"postal_code", s.postal_code},
          {"city", s.city},
          {"country", s.country},
          {"siren", json::or_null(s.siren)},
          {"siret", json::or_null(s.siret)},
          {"vat_number", json::or_null(s.vat_number)},
          {"einvoice_address", json::or_null(s.einvoice_address)}};
}

std::optional<std::pair<int, unsigned>> parse_period(std::string_view text) {
  if (text.size() != 7 || text[4] != '-') return std::nullopt;
  int year = 0;
  unsigned month = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    year = year * 10 + (text[i] - '0');
  }
  for (std::size_t i = 5; i < 7; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    month = month * 10 + static_cast<unsigned>(text[i] - '0');
  }
  if (year < 2000 || year > 2999 || month < 1 || month > 12) return std::nullopt;
  return std::pair{year, month};
}

BillingPeriod billing_period(int year, unsigned month, int billing_day, const std::string& time_zone) {
  const auto zone = TimeZone::named(time_zone);
  BillingPeriod p;
  p.period = period_name(year, month);
  p.start_day = days_from_civil(year, month, static_cast<unsigned>(billing_day));
  p.end_day = month == 12 ? days_from_civil(year + 1, 1, static_cast<unsigned>(billing_day))
                          : days_from_civil(year, month + 1, static_cast<unsigned>(billing_day));
  p.start_ms = zone->day_start_ms(p.start_day);
  p.end_ms = zone->day_start_ms(p.end_day);
  return p;
}

std::vector<std::pair<std::string, int>> days_per_version(const std::vector<DatedChange>& changes,
                                                          const BillingPeriod& period,
                                                          std::optional<std::int64_t> trial_end_day) {
  std::vector<std::pair<std::string, int>> out;
  const std::int64_t billable_from = std::max(period.start_day, trial_end_day.value_or(period.start_day));
  for (std::size_t i = 0; i < changes.size(); ++i) {
    // On this version from its day until the next change (or the end of the period).
    const std::int64_t from = std::max(changes[i].day, billable_from);
    const std::int64_t to = std::min(i + 1 < changes.size() ? changes[i + 1].day : period.end_day, period.end_day);
    if (to <= from) continue;
    if (!out.empty() && out.back().first == changes[i].plan_version_id) {
      out.back().second += static_cast<int>(to - from);
    } else {
      out.emplace_back(changes[i].plan_version_id, static_cast<int>(to - from));
    }
  }
  return out;
}

std::optional<Invoice> InvoiceService::invoice_school(const std::string& school_id, int year, unsigned month) {
  return deps_.db.write([&](soci::session& sql) -> std::optional<Invoice> {
    const auto s = repo::find_subscription(sql, school_id);
    if (!s || s->status == "canceled") return std::nullopt;
    const std::string period_text = period_name(year, month);
    if (repo::find_invoice_for(sql, school_id, period_text, "invoice")) {
      throw Error(ErrorCode::conflict, "This school's invoice for this period exists already.");
    }
    const std::string time_zone = deps_.directory.school_timezone(sql, school_id);
    const auto zone = TimeZone::named(time_zone);
    const auto period = billing_period(year, month, s->billing_day, time_zone);
    std::vector<DatedChange> changes;
    for (const auto& c : repo::plan_changes(sql, school_id)) changes.push_back({c.plan_version_id, zone->local_day(c.effective_at)});
    const std::optional<std::int64_t> trial_end =
        s->trial_ends_at ? std::optional(zone->local_day(*s->trial_ends_at)) : std::nullopt;
    std::vector<PlanSegment> segments;
    for (const auto& [version_id, days] : days_per_version(changes, period, trial_end)) {
      auto version = repo::find_version(sql, version_id);
      if (!version) throw std::logic_error("billing: a plan change to an unknown version");
      const auto plan = repo::find_plan(sql, version->plan_id);
      segments.push_back({std::move(*version), plan ? plan->name : std::string(), days});
    }
    if (segments.empty()) return std::nullopt;  // a trial, or not yet subscribed during the period
    const SeatCounts seats{deps_.directory.seats(sql, school_id, "teacher"), deps_.directory.seats(sql, school_id, "student")};
    const auto figures = invoice_figures(segments, period.days(), seats, {s->country, s->vat_number});

    const std::int64_t now = deps_.clock.now_ms();
    Invoice invoice;
    invoice.id = new_id();
    invoice.school_id = school_id;
    invoice.period = period_text;
    invoice.period_start = period.start_ms;
    invoice.period_end = period.end_ms;
    invoice.currency = figures.currency;
    invoice.total_excl_tax = figures.total_excl_tax;
    invoice.tax = figures.tax_amount;
    invoice.total = figures.total;
    invoice.tax_category = figures.tax.category;
    invoice.tax_rate = figures.tax.rate_basis_points;
    invoice.tax_mention = figures.tax.mention;
    invoice.buyer = buyer_json(*s, deps_.directory.school_name(sql, school_id).value_or(""));
    invoice.created_at = now;
    invoice.due_at = now + kPaymentDays * kDayMs;
    // The year of the number is the year it is given (French numbering restarts each year).
    const auto issued_year = static_cast<int>(std::chrono::year_month_day{
        std::chrono::sys_days{std::chrono::days{zone->local_day(now)}}}.year());
    const std::string series = "F-" + std::to_string(issued_year);
    char number[32];
    std::snprintf(number, sizeof number, "%s-%06lld", series.c_str(), static_cast<long long>(repo::next_number(sql, series)));
    invoice.number = number;
    std::vector<InvoiceLineRow> lines;
    for (const auto& l : figures.lines) {
      lines.push_back({static_cast<int>(lines.size()) + 1, l.kind, l.label, l.quantity, l.unit_price, l.days,
                       period.days(), l.amount});
    }
    try {
      repo::insert_invoice(sql, invoice, lines);
      failpoint("billing.before_invoice_commit");
    } catch (const std::exception& error) {
      // Another worker invoiced the school meanwhile: this transaction rolls back, number included.
      if (db::is_unique_violation(error)) {
        throw Error(ErrorCode::conflict, "This school's invoice for this period exists already.");
      }
      throw;
    }
    return invoice;
  });
}

InvoiceRun InvoiceService::run(const std::optional<std::string>& period_text) {
  const std::int64_t now = deps_.clock.now_ms();
  int year = 0;
  unsigned month = 0;
  if (period_text) {
    const auto parsed = parse_period(*period_text);
    if (!parsed) throw Error::invalid("period", "A period is a month written YYYY-MM.");
    std::tie(year, month) = *parsed;
  } else {
    // The month before this one (UTC): the period most schools have just finished.
    const std::chrono::year_month_day today{std::chrono::sys_days{std::chrono::days{now / kDayMs}}};
    const auto last = std::chrono::year_month{today.year(), today.month()} - std::chrono::months{1};
    year = static_cast<int>(last.year());
    month = static_cast<unsigned>(last.month());
  }
  InvoiceRun report;
  report.period = period_name(year, month);
  issue_pending(report);  // what a run stopped half-way left
  const auto subscriptions = deps_.db.read([&](soci::session& sql) { return repo::subscriptions(sql); });
  // Schools are taken by one worker per core (at most 4): drawing the PDF is most of an invoice's
  // time, while the invoices' transactions, and so their numbers, still pass one at a time.
  std::mutex report_mutex;
  const auto count = [&](auto change) {
    std::lock_guard lock(report_mutex);
    change();
  };
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  const auto work = [&] {
    for (std::size_t i = next++; i < subscriptions.size(); i = next++) {
      const auto& s = subscriptions[i];
      try {
        const auto time_zone = deps_.db.read([&](soci::session& sql) { return deps_.directory.school_timezone(sql, s.school_id); });
        if (billing_period(year, month, s.billing_day, time_zone).end_ms > now) {
          count([&] { ++report.not_ended; });
          continue;
        }
        const auto invoice = invoice_school(s.school_id, year, month);
        if (!invoice) {
          count([&] { ++report.nothing_due; });
          continue;
        }
        count([&] { report.created.push_back(invoice->number); });
        spdlog::info("invoice {} for school {}: {} {}", invoice->number, s.school_id, invoice->total, invoice->currency);
        failpoint("billing.after_invoice_created");
        try {
          const bool issued = issue(invoice->id);
          count([&] { report.issued += issued ? 1 : 0; });
        } catch (const std::exception& error) {
          count([&] { ++report.not_issued; });
          spdlog::error("invoice {} could not be issued: {}", invoice->number, error.what());
        }
      } catch (const Error& error) {
        if (error.code() == ErrorCode::conflict) {
          count([&] { ++report.already; });
          continue;
        }
        count([&] { failure = failure ? failure : std::current_exception(); });
        next = subscriptions.size();
      } catch (...) {
        count([&] { failure = failure ? failure : std::current_exception(); });
        next = subscriptions.size();
      }
    }
  };
  const unsigned workers = std::clamp(std::thread::hardware_concurrency(), 1U, 4U);
  std::vector<std::thread> threads;
  for (unsigned w = 1; w < workers; ++w) threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);
  std::sort(report.created.begin(), report.created.end());
  // Each school's stored bytes, measured on disk (uploads and deletions of every module).
  constexpr std::size_t kPerTransaction = 1000;
  for (std::size_t from = 0; from < subscriptions.size(); from += kPerTransaction) {
    std::vector<std::pair<std::string, std::int64_t>> measured;
    for (std::size_t i = from; i < std::min(from + kPerTransaction, subscriptions.size()); ++i) {
      measured.emplace_back(subscriptions[i].school_id, stored_bytes(deps_.files_dir, subscriptions[i].school_id));
    }
    deps_.db.write([&](soci::session& sql) {
      for (const auto& [school, bytes] : measured) set_storage(sql, school, bytes, now);
    });
  }
  const auto dunning = payments_.dunning();
  report.past_due = dunning.past_due;
  report.suspended = dunning.suspended;
  report.reminders = dunning.reminders;
  report.trials_ended = dunning.trials_ended;
  return report;
}

std::vector<InvoiceView> InvoiceService::list(const RequestContext& ctx, const std::optional<std::string>& school_id) {
  ctx.require(Permission::billing_read);
  const bool platform = ctx.roles.has(Role::platform_admin);
  // A school's admin sees their school's; the platform every school's, or one's.
  const std::optional<std::string> scope = platform ? school_id : std::optional(ctx.school());
  return deps_.db.read([&](soci::session& sql) {
    std::vector<InvoiceView> out;
    for (auto& i : repo::invoices(sql, scope, 500)) out.push_back({std::move(i), {}, {}});
    return out;
  });
}

InvoiceView InvoiceService::get(const RequestContext& ctx, const std::string& id) {
  ctx.require(Permission::billing_read);
  return deps_.db.read([&](soci::session& sql) {
    auto invoice = repo::find_invoice(sql, id);
    const bool visible = invoice && (ctx.roles.has(Role::platform_admin) || invoice->school_id == ctx.school_id);
    if (!visible) throw Error::not_found("No invoice of yours has this id.");
    InvoiceView view{std::move(*invoice), {}, {}};
    view.lines = repo::invoice_lines(sql, view.invoice.id);
    view.payments = payments_.payments(sql, view.invoice.id);
    return view;
  });
}

InvoiceView InvoiceService::record_payment(const RequestContext& ctx, const std::string& invoice_id,
                                           std::optional<std::int64_t> amount, std::optional<std::int64_t> received_at,
                                           const std::optional<std::string>& note) {
  payments_.record_transfer(ctx, invoice_id, amount, received_at, note);
  return get(ctx, invoice_id);
}

}  // namespace mnemos::billing
