#pragma once
// A month's invoice as figures (docs/billing.md, "Invoice figures"): the lines of the plans a school
// was on during the period, prorated by the day, its extra seats, VAT by the buyer's place and
// status. Pure: no I/O, integer minor units throughout, so that the job, the PDF and the CII XML
// all carry the same figures.
#include "domain.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mnemos::billing {

// A stretch of the period spent on one plan version.
struct PlanSegment {
  PlanVersion version;
  std::string plan_name;
  int days = 0;
};

struct SeatCounts {
  std::int64_t teachers = 0;
  std::int64_t students = 0;
};

struct Buyer {
  std::string country = "FR";             // ISO 3166 alpha-2
  std::optional<std::string> vat_number;  // a valid one (checked when it was saved)
};

// The VAT a sale to this buyer carries: its UNCL 5305 category, its rate and the mention an
// invoice must print when no French VAT is charged.
struct TaxTreatment {
  std::string category;      // S (standard), AE (reverse charge), O (outside the scope of French VAT)
  int rate_basis_points = 0; // 2000 = 20 %
  std::string mention;       // empty for S
};

struct InvoiceLine {
  std::string kind;  // plan | extra_teachers | extra_students
  std::string label;
  std::int64_t quantity = 1;
  std::int64_t unit_price = 0;  // excl. VAT, for the whole month
  int days = 0;                 // of the period this line covers
  std::int64_t amount = 0;      // excl. VAT: quantity × unit_price × days / period days, rounded
};

struct InvoiceFigures {
  std::string currency;
  std::vector<InvoiceLine> lines;
  TaxTreatment tax;
  std::int64_t total_excl_tax = 0;
  std::int64_t tax_amount = 0;
  std::int64_t total = 0;
};

bool in_eu(const std::string& country);
TaxTreatment tax_treatment(const Buyer& buyer);
// `amount` × `numerator` / `denominator`, rounded half away from zero.
std::int64_t prorate(std::int64_t amount, std::int64_t numerator, std::int64_t denominator);
// The figures of a period of `period_days` days spent on `segments` (in order; their days add up
// to at most the period), with the school's seats at the time of invoicing.
InvoiceFigures invoice_figures(const std::vector<PlanSegment>& segments, int period_days, const SeatCounts& seats,
                               const Buyer& buyer);

}  // namespace mnemos::billing
