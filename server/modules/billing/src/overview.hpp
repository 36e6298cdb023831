#pragma once
// The platform's billing figures (docs/billing.md, "The platform's view"): recurring revenue, by
// plan and status, what is overdue, what each month invoiced and collected, every subscription.
#include <mnemos/billing/module.hpp>
#include <mnemos/core/context.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mnemos::billing {

struct Overview {
  struct PlanFigures {
    std::string plan_id, code, name, currency;
    std::int64_t schools = 0;  // subscribed, canceled left out
    std::int64_t paying = 0;   // active or past_due
    std::int64_t mrr = 0;
  };
  struct Month {
    std::string period;
    std::string currency;
    std::int64_t invoiced = 0;
    std::int64_t collected = 0;
  };
  struct Row {
    std::string school_id, school_name, plan_name, status, currency;
    std::int64_t monthly_price = 0;
    std::optional<std::int64_t> trial_ends_at;
    std::int64_t overdue = 0;  // minor units past their due date
  };
  std::map<std::string, std::int64_t> mrr;          // by currency
  std::map<std::string, std::int64_t> overdue;      // by currency
  std::int64_t overdue_invoices = 0;
  std::map<std::string, std::int64_t> by_status;    // subscriptions per status
  std::vector<PlanFigures> by_plan;
  std::vector<Month> months;                        // the last 12 periods invoiced, oldest first
  std::vector<Row> subscriptions;                   // by school name
};

// Platform admins only.
Overview billing_overview(Dependencies& deps, const RequestContext& ctx);

}  // namespace mnemos::billing
