#pragma once
// SQL of plans and subscriptions (no rules: service.hpp holds them).
#include "domain.hpp"

#include <optional>
#include <string>
#include <vector>

namespace soci {
class session;
}

namespace mnemos::billing::repo {

void insert_plan(soci::session& sql, const Plan& plan);
void update_plan(soci::session& sql, const Plan& plan);
// Only one plan is the default: the others stop being it.
void clear_default(soci::session& sql, const std::string& except_id);
std::optional<Plan> find_plan(soci::session& sql, const std::string& id);
std::optional<Plan> find_plan_by_code(soci::session& sql, const std::string& code);
std::optional<Plan> default_plan(soci::session& sql);
std::vector<Plan> plans(soci::session& sql);

void insert_version(soci::session& sql, const PlanVersion& version);
std::optional<PlanVersion> find_version(soci::session& sql, const std::string& id);
// The plan's newest version: what a school choosing the plan now gets.
std::optional<PlanVersion> current_version(soci::session& sql, const std::string& plan_id);
std::vector<PlanVersion> versions(soci::session& sql, const std::string& plan_id);
// How many schools' subscriptions are on each version of the plan.
std::int64_t schools_on_plan(soci::session& sql, const std::string& plan_id);

void insert_subscription(soci::session& sql, const Subscription& s);
void update_subscription(soci::session& sql, const Subscription& s);
std::optional<Subscription> find_subscription(soci::session& sql, const std::string& school_id);
void insert_plan_change(soci::session& sql, const std::string& school_id, const std::string& plan_version_id,
                        std::int64_t effective_at, const std::optional<std::string>& changed_by, std::int64_t now);

// The school's plan changes, oldest first.
std::vector<PlanChange> plan_changes(soci::session& sql, const std::string& school_id);
std::vector<Subscription> subscriptions(soci::session& sql);

// The next number of `series` ("F-2026"), in the caller's transaction: no gap, no double.
std::int64_t next_number(soci::session& sql, const std::string& series);
void insert_invoice(soci::session& sql, const Invoice& invoice, const std::vector<InvoiceLineRow>& lines);
std::optional<Invoice> find_invoice(soci::session& sql, const std::string& id);
std::optional<Invoice> find_invoice_for(soci::session& sql, const std::string& school_id, const std::string& period,
                                        const std::string& kind);
std::vector<InvoiceLineRow> invoice_lines(soci::session& sql, const std::string& invoice_id);
// Newest first; every school's when `school_id` is empty.
std::vector<Invoice> invoices(soci::session& sql, const std::optional<std::string>& school_id, int limit);
// Invoices made but not issued yet (a run stopped between the two), in number order.
std::vector<std::string> pending_invoice_ids(soci::session& sql);
// Issued invoices unpaid after their due date (`now`), of one school or all, oldest due first.
std::vector<Invoice> overdue_invoices(soci::session& sql, const std::optional<std::string>& school_id, std::int64_t now);
// Pending → issued with what was printed; false when it was issued meanwhile.
bool mark_issued(soci::session& sql, const Invoice& invoice);

}  // namespace mnemos::billing::repo
