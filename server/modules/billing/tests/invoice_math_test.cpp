// A month's invoice figures: proration by the day, extra seats, VAT by the buyer, rounding.
#include "../src/invoice_math.hpp"

#include <gtest/gtest.h>

namespace mnemos::billing {
namespace {

PlanVersion version(std::int64_t price, int teachers, int students, bool overage, std::int64_t extra_teacher = 0,
                    std::int64_t extra_student = 0) {
  PlanVersion v;
  v.monthly_price = price;
  v.included_teachers = teachers;
  v.included_students = students;
  v.overage_allowed = overage ? 1 : 0;
  v.extra_teacher_price = extra_teacher;
  v.extra_student_price = extra_student;
  return v;
}

TEST(InvoiceMath, ProrationRoundsHalfAwayFromZero) {
  EXPECT_EQ(prorate(14900, 10, 30), 4967);  // 4966.67
  EXPECT_EQ(prorate(100, 1, 8), 13);        // 12.5 -> 13
  EXPECT_EQ(prorate(-100, 1, 8), -13);      // a credit rounds the same way
  EXPECT_EQ(prorate(14900, 30, 30), 14900);
  EXPECT_EQ(prorate(INT64_MAX / 2, 2, 2), INT64_MAX / 2);  // no overflow in the product
  EXPECT_THROW(prorate(1, 1, 0), std::invalid_argument);
}

TEST(InvoiceMath, AWholeMonthInFranceIsThePriceAndTwentyPercent) {
  const auto f = invoice_figures({{version(14900, 10, 300, false), "Essentiel", 30}}, 30, {4, 120}, {"FR", std::nullopt});
  ASSERT_EQ(f.lines.size(), 1u);
  EXPECT_EQ(f.lines[0].amount, 14900);
  EXPECT_EQ(f.total_excl_tax, 14900);
  EXPECT_EQ(f.tax.category, "S");
  EXPECT_EQ(f.tax_amount, 2980);
  EXPECT_EQ(f.total, 17880);
  EXPECT_EQ(f.currency, "EUR");
}

TEST(InvoiceMath, AChangeOfPlanMidMonthIsProratedByTheDay) {
  // 10 days on Essentiel, then 21 on Établissement, in a month of 31 days.
  const auto f = invoice_figures({{version(14900, 10, 300, false), "Essentiel", 10},
                                  {version(49900, 60, 1000, true, 800, 80), "Établissement", 21}},
                                 31, {12, 1050}, {"FR", std::nullopt});
  ASSERT_EQ(f.lines.size(), 3u);
  EXPECT_EQ(f.lines[0].amount, 4806);   // 14900 × 10 / 31 = 4806.45
  EXPECT_EQ(f.lines[1].amount, 33803);  // 49900 × 21 / 31 = 33803.23
  EXPECT_EQ(f.lines[2].kind, "extra_students");
  EXPECT_EQ(f.lines[2].quantity, 50);
  EXPECT_EQ(f.lines[2].amount, 2710);   // 50 × 80 × 21 / 31 = 2709.68
  EXPECT_EQ(f.total_excl_tax, 4806 + 33803 + 2710);
  EXPECT_EQ(f.total_excl_tax, [&] {
    std::int64_t sum = 0;
    for (const auto& l : f.lines) sum += l.amount;
    return sum;
  }());
  EXPECT_EQ(f.tax_amount, 8264);  // 41319 × 20 % = 8263.8
  EXPECT_EQ(f.total, f.total_excl_tax + f.tax_amount);
}

TEST(InvoiceMath, SeatsBeyondAPlanWithoutOverageAreNotBilled) {
  const auto f = invoice_figures({{version(4900, 2, 60, false, 900, 100), "Découverte", 30}}, 30, {5, 90}, {"FR", std::nullopt});
  EXPECT_EQ(f.lines.size(), 1u);
  EXPECT_EQ(f.total_excl_tax, 4900);
}

TEST(InvoiceMath, VatFollowsTheBuyer) {
  EXPECT_EQ(tax_treatment({"FR", "FR83197500010"}).category, "S");  // a French business pays French VAT
  const auto belgian = tax_treatment({"BE", "BE0123456789"});
  EXPECT_EQ(belgian.category, "AE");
  EXPECT_EQ(belgian.rate_basis_points, 0);
  EXPECT_NE(belgian.mention.find("Autoliquidation"), std::string::npos);
  EXPECT_EQ(tax_treatment({"BE", std::nullopt}).category, "S");  // no VAT number: French VAT
  EXPECT_EQ(tax_treatment({"EL", "EL123456789"}).category, "AE");
  const auto british = tax_treatment({"GB", std::nullopt});
  EXPECT_EQ(british.category, "O");
  EXPECT_NE(british.mention.find("259-1"), std::string::npos);
  const auto f = invoice_figures({{version(14900, 10, 300, false), "Essentiel", 30}}, 30, {1, 1}, {"DE", "DE123456789"});
  EXPECT_EQ(f.tax_amount, 0);
  EXPECT_EQ(f.total, 14900);
}

TEST(InvoiceMath, APeriodCannotMixCurrenciesOrBeEmpty) {
  auto dollars = version(100, 1, 1, false);
  dollars.currency = "USD";
  EXPECT_THROW(invoice_figures({{version(100, 1, 1, false), "A", 10}, {dollars, "B", 20}}, 30, {}, {}), std::invalid_argument);
  EXPECT_THROW(invoice_figures({}, 0, {}, {}), std::invalid_argument);
}

}  // namespace
}  // namespace mnemos::billing
