// The French company numbers and EU VAT numbers a school's billing details carry.
#include "../src/service.hpp"

#include <gtest/gtest.h>

namespace mnemos::billing {
namespace {

TEST(BillingIdentifiers, ASirenIsNineDigitsWithALuhnKey) {
  EXPECT_TRUE(valid_siren("732829320"));  // a real company's (Luhn-valid)
  EXPECT_TRUE(valid_siren("197500010"));
  EXPECT_FALSE(valid_siren("732829321"));  // one digit off
  EXPECT_FALSE(valid_siren("73282932"));
  EXPECT_FALSE(valid_siren("73282932A"));
  EXPECT_FALSE(valid_siren(""));
}

TEST(BillingIdentifiers, ASiretIsFourteenDigitsWithALuhnKeyOrLaPostesRule) {
  EXPECT_TRUE(valid_siret("19750001000016"));
  EXPECT_FALSE(valid_siret("19750001000012"));
  EXPECT_FALSE(valid_siret("1975000100001"));
  // La Poste's establishments: the digits sum to a multiple of 5 instead.
  EXPECT_TRUE(valid_siret("35600000000001"));
  EXPECT_FALSE(valid_siret("35600000000002"));
}

TEST(BillingIdentifiers, AFrenchVatNumberCarriesTheKeyOfItsSiren) {
  // FR + (12 + 3 × (732829320 mod 97)) mod 97 = 44 + SIREN.
  EXPECT_TRUE(valid_vat_number("FR44732829320"));
  EXPECT_FALSE(valid_vat_number("FR45732829320"));
  EXPECT_FALSE(valid_vat_number("FR4473282932"));
  EXPECT_FALSE(valid_vat_number("fr44732829320"));
  // Other EU countries: their letters and 2 to 13 characters (checked by VIES, not here).
  EXPECT_TRUE(valid_vat_number("DE123456789"));
  EXPECT_TRUE(valid_vat_number("NL123456789B01"));
  EXPECT_FALSE(valid_vat_number("DE"));
  EXPECT_FALSE(valid_vat_number("DE12345 6789"));
}

}  // namespace
}  // namespace mnemos::billing
