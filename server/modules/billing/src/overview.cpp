// The platform's billing figures (overview.hpp): one read transaction, plans and versions read once.
#include <mnemos/core/db.hpp>

#include "overview.hpp"
#include "repository.hpp"

#include <algorithm>

namespace mnemos::billing {

Overview billing_overview(Dependencies& deps, const RequestContext& ctx) {
  ctx.require(Permission::platform_billing_manage);
  const std::int64_t now = deps.clock.now_ms();
  return deps.db.read([&](soci::session& sql) {
    Overview out;
    std::map<std::string, PlanVersion> versions;
    std::map<std::string, Plan> plans;
    std::map<std::string, std::size_t> plan_rows;
    std::map<std::string, std::int64_t> overdue_by_school;
    for (const auto& i : repo::overdue_invoices(sql, std::nullopt, now)) {
      const auto due = i.total - i.amount_paid;
      out.overdue[i.currency] += due;
      overdue_by_school[i.school_id] += due;
      ++out.overdue_invoices;
    }
    for (const auto& s : repo::subscriptions(sql)) {
      auto version = versions.find(s.plan_version_id);
      if (version == versions.end()) {
        auto found = repo::find_version(sql, s.plan_version_id);
        if (!found) continue;
        version = versions.emplace(s.plan_version_id, std::move(*found)).first;
      }
      const auto& v = version->second;
      auto plan = plans.find(v.plan_id);
      if (plan == plans.end()) {
        auto found = repo::find_plan(sql, v.plan_id);
        if (!found) continue;
        plan = plans.emplace(v.plan_id, std::move(*found)).first;
      }
      ++out.by_status[s.status];
      const bool paying = s.status == "active" || s.status == "past_due";
      if (paying) out.mrr[v.currency] += v.monthly_price;
      if (s.status != "canceled") {
        auto row = plan_rows.find(v.plan_id);
        if (row == plan_rows.end()) {
          row = plan_rows.emplace(v.plan_id, out.by_plan.size()).first;
          out.by_plan.push_back({v.plan_id, plan->second.code, plan->second.name, v.currency, 0, 0, 0});
        }
        auto& figures = out.by_plan[row->second];
        ++figures.schools;
        if (paying) {
          ++figures.paying;
          figures.mrr += v.monthly_price;
        }
      }
      out.subscriptions.push_back({s.school_id, deps.directory.school_name(sql, s.school_id).value_or(s.legal_name),
                                   plan->second.name, s.status, v.currency, v.monthly_price, s.trial_ends_at,
                                   overdue_by_school[s.school_id]});
    }
    std::sort(out.by_plan.begin(), out.by_plan.end(), [](const auto& a, const auto& b) { return a.mrr > b.mrr; });
    std::sort(out.subscriptions.begin(), out.subscriptions.end(),
              [](const auto& a, const auto& b) { return a.school_name < b.school_name; });
    out.months = db::fetch_rows<Overview::Month>(
        sql,
        "SELECT period, currency, CAST(SUM(total) AS BIGINT), CAST(SUM(amount_paid) AS BIGINT) FROM billing_invoices WHERE kind = 'invoice' AND "
        "status <> 'void' GROUP BY period, currency ORDER BY period DESC LIMIT 12",
        [](db::Prepared& prepared, Overview::Month& m) {
          prepared, soci::into(m.period), soci::into(m.currency), soci::into(m.invoiced), soci::into(m.collected);
        });
    std::reverse(out.months.begin(), out.months.end());
    return out;
  });
}

}  // namespace mnemos::billing
