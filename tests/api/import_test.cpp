#include "../support/api_test.hpp"

#include <boost/json/object.hpp>

namespace mnemos::testing {
namespace {

class ImportApi : public ApiTest {
 protected:
  static HttpResponse import_csv(HttpClient& c, const std::string& csv, bool dry_run = false) {
    return c.request("POST", std::string("/api/v1/users/import") + (dry_run ? "?dry_run=true" : ""), csv,
                     {{"content-type", "text/csv"}});
  }
};

TEST_F(ImportApi, ValidRowsAreCreatedAndInvalidOnesReportedWithTheirReason) {
  auto admin = logged_in("demo", "admin@demo.test");
  const std::string csv =
      "email;nom;rôle;classe\n"
      "lea.martin@demo.test;Léa Martin;élève;4e A\n"
      "not-an-email;Bad Email;student;\n"
      "student01@demo.test;Already Here;student;\n"
      "lea.martin@demo.test;Léa Again;student;\n"
      "prof.nouveau@demo.test;Paul Prof;enseignant;\n"
      "x@demo.test;Wizard;wizard;\n"
      "y@demo.test;No Class;student;9e Z\n"
      "z@demo.test;;student;\n";
  const auto response = import_csv(admin, csv);
  ASSERT_EQ(response.status, 201) << response.body;
  const auto report = response.json();
  EXPECT_EQ(report.at("created").as_int64(), 2);
  EXPECT_EQ(report.at("rejected").as_int64(), 6);
  const auto& rows = report.at("rows").as_array();
  ASSERT_EQ(rows.size(), 8u);
  EXPECT_EQ(rows[0].at("status").as_string(), "created");
  EXPECT_EQ(rows[0].at("line").as_int64(), 2);
  EXPECT_EQ(rows[1].at("reason").as_string(), "The email address is not valid.");
  EXPECT_EQ(rows[2].at("reason").as_string(), "A user with this email already exists in the school.");
  EXPECT_EQ(rows[3].at("reason").as_string(), "This email appears earlier in the file.");
  EXPECT_EQ(rows[4].at("role").as_string(), "teacher");
  EXPECT_NE(std::string(rows[5].at("reason").as_string()).find("Unknown role"), std::string::npos);
  EXPECT_NE(std::string(rows[6].at("reason").as_string()).find("No class named"), std::string::npos);
  EXPECT_NE(std::string(rows[7].at("reason").as_string()).find("name"), std::string::npos);

  // Created as invited accounts, the student in her class.
  const auto lea = admin.get("/api/v1/users?q=lea.martin").json().at("items").as_array();
  ASSERT_EQ(lea.size(), 1u);
  EXPECT_EQ(lea[0].at("status").as_string(), "invited");
  const auto classes = admin.get("/api/v1/classes").json();
  for (const auto& c : classes.at("items").as_array()) {
    if (c.at("name").as_string() != "4e A") continue;
    const auto detail = admin.get("/api/v1/classes/" + std::string(c.at("id").as_string())).json();
    bool found = false;
    for (const auto& s : detail.at("students").as_array()) found |= s.at("email").as_string() == "lea.martin@demo.test";
    EXPECT_TRUE(found);
  }
}

TEST_F(ImportApi, ADryRunReportsWithoutCreating) {
  auto admin = logged_in("demo", "admin@demo.test");
  const auto response = import_csv(admin, "email,name\ndry.run@demo.test,Dry Run\n", true);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.json().at("rows").as_array().at(0).at("status").as_string(), "would_create");
  EXPECT_TRUE(admin.get("/api/v1/users?q=dry.run").json().at("items").as_array().empty());
}

TEST_F(ImportApi, ABadFileIsRefusedAsAWhole) {
  auto admin = logged_in("demo", "admin@demo.test");
  expect_problem(import_csv(admin, "courriel_manquant,x\na,b\n"), 422, "file");
  expect_problem(import_csv(admin, ""), 422, "file");
  expect_problem(import_csv(admin, "email,name\n\"unclosed,x\n"), 422, "file");
  expect_problem(import_csv(admin, std::string("email,name\n\xff\xfe,x\n")), 422, "file");
  expect_problem(admin.request("POST", "/api/v1/users/import", "email,name\n", {{"content-type", "application/json"}}), 415);
  std::string big = "email,name\n";
  for (int i = 0; i < 2001; ++i) big += "u" + std::to_string(i) + "@demo.test,U\n";
  expect_problem(import_csv(admin, big), 422, "file");
  expect_problem(logged_in("demo", "teacher@demo.test").request("POST", "/api/v1/users/import", "email,name\n",
                                                              {{"content-type", "text/csv"}}),
                 403);
}

}  // namespace
}  // namespace mnemos::testing
