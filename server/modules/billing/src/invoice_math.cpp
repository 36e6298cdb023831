// A month's invoice as figures (invoice_math.hpp).
#include "invoice_math.hpp"

#include <array>
#include <stdexcept>
#include <string_view>

namespace mnemos::billing {
namespace {

// The 27 member states, by the letters their VAT numbers start with (Greece: EL).
constexpr std::array<std::string_view, 27> kEuCountries = {"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES",
                                                          "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU",
                                                          "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"};

// Products of a price and a count of days, beyond 64 bits for any price we accept.
__extension__ using Wide = __int128;

}  // namespace

bool in_eu(const std::string& country) {
  for (const auto c : kEuCountries) {
    if (c == country) return true;
  }
  return country == "EL";
}

TaxTreatment tax_treatment(const Buyer& buyer) {
  if (buyer.country == "FR") return {"S", 2000, ""};
  if (in_eu(buyer.country)) {
    // A business of another member state with its VAT number: services taxed where the buyer is
    // (article 196 of directive 2006/112/EC), the buyer accounts for the VAT. Without a number,
    // the buyer is treated as a consumer: French VAT.
    if (buyer.vat_number) {
      return {"AE", 0, "Autoliquidation : TVA due par le preneur (article 196 de la directive 2006/112/CE)."};
    }
    return {"S", 2000, ""};
  }
  // Outside the EU: a service to a business is outside the scope of French VAT (article 259-1 of
  // the French tax code).
  return {"O", 0, "TVA non applicable, article 259-1 du CGI."};
}

std::int64_t prorate(std::int64_t amount, std::int64_t numerator, std::int64_t denominator) {
  if (denominator <= 0) throw std::invalid_argument("prorate: the denominator is not positive");
  const Wide product = static_cast<Wide>(amount) * numerator;
  const Wide half = denominator / 2;
  const Wide rounded = product >= 0 ? (product + half) / denominator : -((-product + half) / denominator);
  return static_cast<std::int64_t>(rounded);
}

InvoiceFigures invoice_figures(const std::vector<PlanSegment>& segments, int period_days, const SeatCounts& seats,
                               const Buyer& buyer) {
  if (period_days <= 0) throw std::invalid_argument("invoice_figures: an empty period");
  InvoiceFigures out;
  out.tax = tax_treatment(buyer);
  for (const auto& segment : segments) {
    if (segment.days <= 0) continue;
    const auto& v = segment.version;
    if (out.currency.empty()) out.currency = v.currency;
    if (v.currency != out.currency) throw std::invalid_argument("invoice_figures: plans in two currencies");
    const int days = std::min(segment.days, period_days);
    out.lines.push_back({"plan", segment.plan_name, 1, v.monthly_price, days, prorate(v.monthly_price, days, period_days)});
    // Seats beyond the plan, on a plan that bills them (others refuse them).
    if (v.overage_allowed) {
      if (const auto extra = seats.teachers - v.included_teachers; extra > 0) {
        out.lines.push_back({"extra_teachers", segment.plan_name, extra, v.extra_teacher_price, days,
                             prorate(extra * v.extra_teacher_price, days, period_days)});
      }
      if (const auto extra = seats.students - v.included_students; extra > 0) {
        out.lines.push_back({"extra_students", segment.plan_name, extra, v.extra_student_price, days,
                             prorate(extra * v.extra_student_price, days, period_days)});
      }
    }
  }
  for (const auto& line : out.lines) out.total_excl_tax += line.amount;
  // VAT on the total of the lines at one rate (EN 16931's breakdown by rate), rounded once.
  out.tax_amount = prorate(out.total_excl_tax, out.tax.rate_basis_points, 10000);
  out.total = out.total_excl_tax + out.tax_amount;
  return out;
}

}  // namespace mnemos::billing
