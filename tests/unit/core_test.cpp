#include <mnemos/core/csv.hpp>
#include <mnemos/core/error.hpp>
#include <mnemos/core/ids.hpp>
#include <mnemos/core/files.hpp>
#include <mnemos/core/json.hpp>
#include <mnemos/core/mail.hpp>
#include <mnemos/core/messages.hpp>
#include <mnemos/core/migrations.hpp>
#include <mnemos/core/permissions.hpp>
#include <mnemos/core/security.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <set>
#include <sodium.h>

namespace mnemos {
namespace {

TEST(Ids, AreUuidV7TimeOrderedAndUnique) {
  std::set<std::string> seen;
  std::string previous;
  for (int i = 0; i < 1000; ++i) {
    const auto id = new_id();
    ASSERT_TRUE(is_uuid(id)) << id;
    EXPECT_EQ(id[14], '7');
    EXPECT_TRUE(id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b');
    EXPECT_GT(id, previous);  // strictly increasing, even within one millisecond
    previous = id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(Ids, StayOrderedWhenMoreThanACounterFullArriveInOneMillisecond) {
  std::string previous;
  for (int i = 0; i < 20'000; ++i) {
    const auto id = new_id();
    ASSERT_GT(id, previous);
    previous = id;
  }
}

TEST(Ids, RecogniseOnlyCanonicalUuids) {
  EXPECT_TRUE(is_uuid("01a20bd9-7cb4-7321-b792-fd980a139b18"));
  EXPECT_FALSE(is_uuid("01a20bd9-7cb4-7321-b792-fd980a139b1"));
  EXPECT_FALSE(is_uuid("01a20bd9x7cb4-7321-b792-fd980a139b18"));
  EXPECT_FALSE(is_uuid("g1a20bd9-7cb4-7321-b792-fd980a139b18"));
  EXPECT_FALSE(is_uuid(""));
}

TEST(Migrations, SplitStatementsOnLineEndingSemicolonsAndSkipComments) {
  const auto statements = db::split_statements(
      "-- a comment\nCREATE TABLE a (x TEXT);\n\nCREATE INDEX b\n  ON a (x);\n-- end\n");
  ASSERT_EQ(statements.size(), 2u);
  EXPECT_EQ(statements[0], "CREATE TABLE a (x TEXT)");
  EXPECT_EQ(statements[1], "CREATE INDEX b\n  ON a (x)");
}

TEST(Json, ParseRejectsDeepNestingAndInvalidUtf8) {
  EXPECT_NO_THROW(json::parse(R"({"a":[1,2,{"b":null}]})"));
  EXPECT_THROW(json::parse(std::string(100, '[') + std::string(100, ']')), Error);
  EXPECT_THROW(json::parse("\"\xff\""), Error);
  EXPECT_THROW(json::parse("{"), Error);
}

TEST(Json, RowsWriterWritesWhatParsesBackExactly) {
  json::RowsWriter rows;
  EXPECT_EQ(rows.finish(), "[]");
  const double third = 1.0 / 3.0;
  rows.row().text("id", "a\"b\\c\n\x01é").integer("n", -42).number("x", third).null("none");
  rows.row().integer("n", std::optional<int>{}).number("x", std::optional<double>{2.5e-300})
      .text("s", std::optional<std::string>{"ok"}).number("nan", std::nan(""));
  const std::string text = rows.finish();
  const auto value = json::parse(text);
  ASSERT_TRUE(value.is_array());
  const auto& list = value.get_array();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].at("id").as_string(), "a\"b\\c\n\x01é");
  EXPECT_EQ(list[0].at("n").as_int64(), -42);
  // The shortest forms that read back exactly (as PostgreSQL's strtod reads them).
  const auto x = text.find("\"x\":");
  EXPECT_EQ(std::strtod(text.c_str() + x + 4, nullptr), third);
  EXPECT_NE(text.find("\"x\":2.5e-300"), std::string::npos);
  EXPECT_TRUE(list[0].at("none").is_null());
  EXPECT_TRUE(list[1].at("n").is_null());
  EXPECT_EQ(list[1].at("s").as_string(), "ok");
  EXPECT_TRUE(list[1].at("nan").is_null());
  EXPECT_EQ(rows.finish(), "[]");  // empty again
}

TEST(Json, FieldsCollectEveryErrorWithItsName) {
  const auto value = json::parse(R"({"name":5,"count":"x","flag":1,"tags":[1]})");
  json::Fields f(value);
  f.required_string("name");
  f.optional_int("count", 0, 10);
  f.optional_bool("flag");
  f.optional_string_list("tags");
  f.required_string("missing");
  try {
    f.done();
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid);
    std::vector<std::string> names;
    for (const auto& field : e.fields()) names.push_back(field.field);
    EXPECT_EQ(names, (std::vector<std::string>{"name", "count", "flag", "tags", "missing"}));
  }
}

TEST(Json, IntegersAreRangeChecked) {
  const auto value = json::parse(R"({"a":5,"b":11,"c":2.5,"d":18446744073709551615,"e":3.0})");
  json::Fields f(value);
  EXPECT_EQ(f.optional_int("a", 0, 10), 5);
  EXPECT_FALSE(f.optional_int("b", 0, 10));
  EXPECT_FALSE(f.optional_int("c", 0, 10));
  EXPECT_FALSE(f.optional_int("d", 0, 10));
  EXPECT_EQ(f.optional_int("e", 0, 10), 3);
  EXPECT_EQ(f.validation().ok(), false);
}

TEST(Json, StringLengthCountsCharactersNotBytes) {
  const auto value = json::parse(R"({"a":"ééééé"})");
  json::Fields f(value);
  EXPECT_EQ(f.optional_string("a", 5), "ééééé");
  EXPECT_FALSE(f.optional_string("a", 4));
}

TEST(Json, Utf8Validation) {
  EXPECT_TRUE(json::is_valid_utf8("plain ascii"));
  EXPECT_TRUE(json::is_valid_utf8("élève — 学生 🎓"));
  EXPECT_FALSE(json::is_valid_utf8("\xC3\x28"));
  EXPECT_FALSE(json::is_valid_utf8("\xE0\x80\xAF"));      // overlong
  EXPECT_FALSE(json::is_valid_utf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(json::is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(json::is_valid_utf8("\xE2\x82"));          // truncated
}

TEST(Json, PrintableNamesAndTruncationThatKeepsCharactersWhole) {
  EXPECT_TRUE(json::is_printable_utf8("carte été.png"));
  EXPECT_FALSE(json::is_printable_utf8(std::string("a\0b", 3)));
  EXPECT_FALSE(json::is_printable_utf8("line\nbreak"));
  EXPECT_FALSE(json::is_printable_utf8("del\x7f"));
  EXPECT_FALSE(json::is_printable_utf8("\xff"));
  EXPECT_EQ(json::truncate_utf8("été", 2), "é");  // "é" is two bytes: the cut falls after it
  EXPECT_EQ(json::truncate_utf8("été", 1), "");
  EXPECT_EQ(json::truncate_utf8("abc", 10), "abc");
}

TEST(Json, ValidationAnswersAtMostFiftyFieldErrors) {
  Validation v;
  for (int i = 0; i < 20000; ++i) v.fail(std::string(300, 'x') + std::to_string(i), "Unknown field.");
  try {
    v.throw_if_failed();
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.fields().size(), Validation::kMaxFieldErrors);
    EXPECT_LE(error.fields().front().field.size(), Validation::kMaxFieldNameBytes + 3);
  }
}

TEST(Csv, ExportedFieldsAreQuotedAndNeverRunAsFormulas) {
  EXPECT_EQ(csv::field("plain"), "\"plain\"");
  EXPECT_EQ(csv::field("say \"hi\""), "\"say \"\"hi\"\"\"");
  for (const std::string formula : {"=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"}) {
    EXPECT_EQ(csv::field(formula), "\"'" + formula + "\"") << formula;
  }
  EXPECT_EQ(csv::field(""), "\"\"");
  EXPECT_EQ(csv::field("a=b"), "\"a=b\"");
}

TEST(Json, EmailsLookPlausible) {
  EXPECT_TRUE(json::looks_like_email("a.b@school.fr"));
  EXPECT_FALSE(json::looks_like_email("no-at.fr"));
  EXPECT_FALSE(json::looks_like_email("a@b"));
  EXPECT_FALSE(json::looks_like_email("a@@b.fr"));
  EXPECT_FALSE(json::looks_like_email("a b@c.fr"));
  EXPECT_FALSE(json::looks_like_email("a@b.fr\r\nBcc: x@y.z"));
}

TEST(Security, PasswordsHashWithArgon2idAndVerify) {
  const auto hash = security::hash_password("correct horse battery");
  EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(security::verify_password("correct horse battery", hash));
  EXPECT_FALSE(security::verify_password("correct horse batterz", hash));
  EXPECT_FALSE(security::verify_password("anything", ""));
  EXPECT_NE(hash, security::hash_password("correct horse battery"));  // salted
}

TEST(Security, TokensAreRandomAndStoredAsHashes) {
  const auto a = security::random_token(32);
  const auto b = security::random_token(32);
  EXPECT_EQ(a.size(), 43u);
  EXPECT_NE(a, b);
  EXPECT_EQ(a.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);
  EXPECT_EQ(security::token_hash(a).size(), 64u);
  EXPECT_EQ(security::token_hash(a), security::token_hash(a));
  EXPECT_NE(security::token_hash(a), security::token_hash(b));
}

TEST(Security, Sha256IsTheStandardDigest) {
  EXPECT_EQ(security::sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Mail, AnAttachmentTravelsAsABase64PartReadFromTheFilesStore) {
  const auto dir = std::filesystem::temp_directory_path() / ("mnemos-mail-" + new_id());
  std::string pdf = "%PDF-1.7\n";
  for (int i = 0; i < 300; ++i) pdf += static_cast<char>(i % 256);  // binary, longer than a line
  files::Store(dir.string()).put("invoices/F-1.pdf", pdf);
  mail::Message message{"admin@demo.test", "Facture F-1 émise", "Bonjour", {{"F-1.pdf", "application/pdf", "invoices/F-1.pdf"}}};
  const auto mime = mail::mime_message("Mnemos <no-reply@mnemos.local>", message, dir.string());
  EXPECT_NE(mime.find("Subject: =?UTF-8?B?"), std::string::npos);  // not ASCII: an encoded word
  EXPECT_NE(mime.find("Content-Type: multipart/mixed; boundary=\"mnemos-"), std::string::npos);
  EXPECT_NE(mime.find("Content-Disposition: attachment; filename=\"F-1.pdf\""), std::string::npos);
  // The part's base64, lines of at most 76, decodes to the file's bytes.
  const auto start = mime.find("\r\n\r\n", mime.find("Content-Transfer-Encoding: base64")) + 4;
  const auto end = mime.find("--mnemos-", start);
  std::string encoded;
  for (std::size_t at = start; at < end;) {
    const auto eol = mime.find("\r\n", at);
    EXPECT_LE(eol - at, 76U);
    encoded += mime.substr(at, eol - at);
    at = eol + 2;
  }
  std::string decoded(pdf.size() + 8, '\0');
  std::size_t length = 0;
  ASSERT_EQ(sodium_base642bin(reinterpret_cast<unsigned char*>(decoded.data()), decoded.size(), encoded.c_str(),
                              encoded.size(), nullptr, &length, nullptr, sodium_base64_VARIANT_ORIGINAL),
            0);
  decoded.resize(length);
  EXPECT_EQ(decoded, pdf);
  // A file not there yet is an error (the mail job retries), not a message without its attachment.
  message.attachments[0].file = "invoices/none.pdf";
  EXPECT_THROW(mail::mime_message("x@y.z", message, dir.string()), std::runtime_error);
  // Without attachments, plain text as before.
  message.attachments.clear();
  EXPECT_NE(mail::mime_message("x@y.z", message, dir.string()).find("Content-Type: text/plain; charset=utf-8"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(Permissions, SupportIsReadOnlyAndStudentsHoldNoSchoolWideCapability) {
  for (Permission p : {Permission::users_manage, Permission::school_manage, Permission::classes_manage,
                       Permission::subjects_manage, Permission::platform_schools_manage}) {
    EXPECT_FALSE(role_grants(Role::support, p)) << to_string(p);
    EXPECT_FALSE(role_grants(Role::student, p)) << to_string(p);
    EXPECT_FALSE(role_grants(Role::teacher, p)) << to_string(p);
  }
  EXPECT_TRUE(role_grants(Role::support, Permission::users_read));
  EXPECT_FALSE(role_grants(Role::student, Permission::users_read));
  EXPECT_TRUE(role_grants(Role::school_admin, Permission::users_manage));
  EXPECT_FALSE(role_grants(Role::school_admin, Permission::platform_schools_manage));
  RoleSet both({Role::teacher, Role::school_admin});
  EXPECT_TRUE(both.can(Permission::users_manage));
}

TEST(Permissions, RolesRoundTripThroughTheirNames) {
  for (Role role : all_roles()) EXPECT_EQ(role_from_string(to_string(role)), role);
  EXPECT_FALSE(role_from_string("wizard"));
}

}  // namespace
}  // namespace mnemos

namespace mnemos {
namespace {

TEST(Messages, TranslateWholeMessagesAndPatternsAndLeaveTheRestAlone) {
  EXPECT_EQ(messages::translate("fr", "This field is required."), "Ce champ est obligatoire.");
  EXPECT_EQ(messages::translate("en", "This field is required."), "This field is required.");
  EXPECT_EQ(messages::translate("fr", "Must be at most 80 characters long."), "Doit compter au plus 80 caractères.");
  EXPECT_EQ(messages::translate("fr", "Must be a whole number from 5 to 10."), "Doit être un nombre entier de 5 à 10.");
  EXPECT_EQ(messages::translate("fr", "No such widget."), "Introuvable : widget.");
  EXPECT_EQ(messages::translate("fr", "Not in the catalog."), "Not in the catalog.");
  EXPECT_EQ(messages::translate("fr", ""), "");
}

TEST(Messages, EveryCatalogEntryKeepsItsPlaceholdersAndIsListedOnce) {
  std::set<std::string_view> seen;
  const auto holes = [](std::string_view text) {
    std::size_t count = 0;
    for (auto at = text.find("{}"); at != std::string_view::npos; at = text.find("{}", at + 2)) ++count;
    return count;
  };
  for (const auto* catalog : messages::catalogs()) {
    for (const auto& entry : *catalog) {
      EXPECT_TRUE(seen.insert(entry.english).second) << "listed twice: " << entry.english;
      EXPECT_EQ(holes(entry.english), holes(entry.french)) << entry.english;
      EXPECT_FALSE(entry.french.empty()) << entry.english;
    }
  }
}

TEST(Messages, PreferredLocaleReadsAcceptLanguageInOrder) {
  EXPECT_EQ(messages::preferred_locale("fr-FR,fr;q=0.9,en;q=0.8", "en"), "fr");
  EXPECT_EQ(messages::preferred_locale("de-DE, en;q=0.5", "fr"), "en");
  EXPECT_EQ(messages::preferred_locale("EN-us", "fr"), "en");
  EXPECT_EQ(messages::preferred_locale("", "fr"), "fr");
  EXPECT_EQ(messages::preferred_locale("de", ""), "");
  EXPECT_EQ(messages::preferred_locale(",,;q=1,f", "en"), "en");
}

}  // namespace
}  // namespace mnemos
