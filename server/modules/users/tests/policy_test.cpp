// Rules of the users module that need no server.
#include <mnemos/core/csv.hpp>
#include "../src/services.hpp"

#include <mnemos/core/error.hpp>

#include <gtest/gtest.h>

namespace mnemos::users {
namespace {

void expect_refused(const std::string& password, const std::string& email = "sam@school.fr") {
  EXPECT_THROW(check_password_policy(password, email, "password"), Error) << password;
}

TEST(PasswordPolicy, RefusesShortCommonRepeatedAndEmailPasswords) {
  expect_refused("short");
  expect_refused("123456789");
  expect_refused("AZERTYUIOP");
  expect_refused("motdepasse123");
  expect_refused("aaaaaaaaaaaa");
  expect_refused("sam@school.fr");
  expect_refused("samsamsam1", "samsamsam1@school.fr");
  EXPECT_NO_THROW(check_password_policy("correct horse battery", "sam@school.fr", "password"));
  EXPECT_NO_THROW(check_password_policy("élève-mémoire", "sam@school.fr", "password"));
}

TEST(PasswordPolicy, TheErrorNamesTheField) {
  try {
    check_password_policy("short", "", "new_password");
    FAIL();
  } catch (const Error& e) {
    ASSERT_EQ(e.fields().size(), 1u);
    EXPECT_EQ(e.fields()[0].field, "new_password");
  }
}

TEST(Schools, TimezonesAreIanaNamesFromTheSystemDatabase) {
  EXPECT_TRUE(is_valid_timezone("Europe/Paris"));
  EXPECT_TRUE(is_valid_timezone("America/Argentina/Buenos_Aires"));
  EXPECT_TRUE(is_valid_timezone("UTC"));
  EXPECT_FALSE(is_valid_timezone("Mars/Olympus"));
  EXPECT_FALSE(is_valid_timezone("../../etc/passwd"));
  EXPECT_FALSE(is_valid_timezone("/etc/passwd"));
  EXPECT_FALSE(is_valid_timezone(""));
}

TEST(Schools, SlugsAreShortLowercaseAndDashed) {
  EXPECT_TRUE(is_valid_slug("demo"));
  EXPECT_TRUE(is_valid_slug("lycee-victor-hugo-2"));
  EXPECT_FALSE(is_valid_slug("Demo"));
  EXPECT_FALSE(is_valid_slug("-demo"));
  EXPECT_FALSE(is_valid_slug("a"));
  EXPECT_FALSE(is_valid_slug("école"));
  EXPECT_FALSE(is_valid_slug(std::string(41, 'a')));
}

TEST(Csv, ReadsQuotesDoubledQuotesCrlfBomAndSemicolons) {
  const auto table = csv::parse("\xEF\xBB\xBF Email ;Nom;Classe\r\n"
                                "a@b.fr;\"Dupont; Jean\";4e A\r\n"
                                "\r\n"
                                "c@d.fr;\"Le \"\"Grand\"\"\";\r\n");
  EXPECT_EQ(table.header, (std::vector<std::string>{"email", "nom", "classe"}));
  ASSERT_EQ(table.rows.size(), 2u);
  EXPECT_EQ(table.rows[0].fields, (std::vector<std::string>{"a@b.fr", "Dupont; Jean", "4e A"}));
  EXPECT_EQ(table.rows[0].line, 2);
  EXPECT_EQ(table.rows[1].fields, (std::vector<std::string>{"c@d.fr", "Le \"Grand\"", ""}));
  EXPECT_EQ(table.rows[1].line, 4);
}

TEST(Csv, QuotedNewlinesStayInTheFieldAndCountLines) {
  const auto table = csv::parse("email,name\nx@y.fr,\"two\nlines\"\nz@y.fr,after\n");
  ASSERT_EQ(table.rows.size(), 2u);
  EXPECT_EQ(table.rows[0].fields[1], "two\nlines");
  EXPECT_EQ(table.rows[1].line, 4);
}

TEST(Csv, RefusesEmptyFilesAndUnclosedQuotes) {
  EXPECT_THROW(csv::parse(""), Error);
  EXPECT_THROW(csv::parse("email,name\n\"open,x\n"), Error);
}

TEST(SchoolYear, RunsFromAugustToJuly) {
  EXPECT_EQ(school_year_of(1788220800000), "2026-2027");  // 2026-09-01
  EXPECT_EQ(school_year_of(1780272000000), "2025-2026");  // 2026-06-01
  EXPECT_TRUE(is_valid_school_year("2026-2027"));
  EXPECT_FALSE(is_valid_school_year("2026-2028"));
  EXPECT_FALSE(is_valid_school_year("26-27"));
}

}  // namespace
}  // namespace mnemos::users
