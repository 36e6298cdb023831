// Plans, subscriptions and the seats a plan allows (docs/billing.md), on SQLite and PostgreSQL.
#include "api_test.hpp"

#include <mnemos/core/clock.hpp>
#include <mnemos/core/jobs.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <chrono>
#include <set>
#include <thread>

#include <boost/json/object.hpp>

namespace mnemos::testing {
namespace {

class Billing : public ApiTest {
 protected:
  static HttpClient& platform() { return signed_in("", "platform@mnemos.test"); }
  static std::string plan_id(const std::string& code) {
    const auto plans = platform().get("/api/v1/plans").json();
    for (const auto& p : plans.at("items").as_array()) {
      if (p.at("code") == code.c_str()) return std::string(p.at("id").as_string());
    }
    ADD_FAILURE() << "no plan " << code;
    return "";
  }
  static std::string subscription_path(const std::string& slug) {
    return "/api/v1/schools/" + school_id(slug) + "/subscription";
  }
};

TEST_F(Billing, TheDemoSchoolsHaveTheirPlansAndSeeTheirSeats) {
  auto& admin = signed_in("demo", "admin@demo.test");
  const auto response = admin.get(subscription_path("demo"));
  ASSERT_EQ(response.status, 200) << response.body;
  const auto s = response.json();
  EXPECT_EQ(s.at("plan").at("code"), "etablissement");
  EXPECT_EQ(s.at("status"), "active");
  EXPECT_EQ(s.at("seats").at("teachers").at("used"), 2);
  EXPECT_EQ(s.at("seats").at("students").at("used"), 31);
  EXPECT_EQ(s.at("version").at("monthly_price"), 49900);
  EXPECT_EQ(s.at("billing_details").at("siren"), "197500010");

  // Another school's subscription does not exist for them; teachers and students have none to see.
  expect_problem(admin.get(subscription_path("other")), 404);
  expect_problem(signed_in("demo", "teacher@demo.test").get(subscription_path("demo")), 403);
  expect_problem(signed_in("demo", "student@demo.test").get(subscription_path("demo")), 403);
  // The platform sees every school's.
  EXPECT_EQ(platform().get(subscription_path("other")).json().at("plan").at("code"), "decouverte");

  // A school's admin sees the plans on offer, with their current prices only.
  const auto plans = admin.get("/api/v1/plans").json();
  ASSERT_EQ(plans.at("items").as_array().size(), 3u);
  EXPECT_FALSE(plans.at("items").at(0).as_object().contains("versions"));
}

TEST_F(Billing, PlansArePlatformsAndAPriceChangeIsANewVersion) {
  auto& admin = signed_in("demo", "admin@demo.test");
  expect_problem(admin.post("/api/v1/plans", R"({"code":"mine","name":"Mine","monthly_price":0,"included_teachers":1,"included_students":1})"), 403);

  auto& p = platform();
  const auto bad = p.post("/api/v1/plans", R"({"code":"Bad Code!","name":"","monthly_price":-5,"currency":"euro"})");
  expect_problem(bad, 422);
  const auto fields = bad.json().at("errors").as_array();
  std::set<std::string> named;
  for (const auto& f : fields) named.insert(std::string(f.at("field").as_string()));
  for (const char* field : {"code", "name", "monthly_price", "currency", "included_teachers", "included_students"}) {
    EXPECT_TRUE(named.contains(field)) << field << " in " << bad.body;
  }

  const auto created = p.post("/api/v1/plans", R"({"code":"college-plus","name":"Collège +","monthly_price":29900,)"
                                               R"("included_teachers":30,"included_students":600,"extra_teacher_price":700,)"
                                               R"("extra_student_price":50,"ai_tutor":true,"video_rooms":true,)"
                                               R"("ai_requests_per_month":null,"trial_days":14})");
  ASSERT_EQ(created.status, 201) << created.body;
  const auto plan = created.json();
  const std::string id = json_string(plan, "id");
  EXPECT_EQ(plan.at("current").at("version"), 1);
  EXPECT_TRUE(plan.at("current").at("ai_requests_per_month").is_null());
  expect_problem(p.post("/api/v1/plans", R"({"code":"college-plus","name":"Again","monthly_price":1,"included_teachers":1,"included_students":1})"), 409, "code");

  // The demo school moves to it, then its price changes: the school keeps the version it chose.
  const auto moved = admin.post(subscription_path("demo") + "/plan", R"({"plan_id":")" + id + R"("})");
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_EQ(moved.json().at("version").at("monthly_price"), 29900);
  const auto repriced = p.post("/api/v1/plans/" + id + "/versions", R"({"monthly_price":31900})");
  ASSERT_EQ(repriced.status, 201) << repriced.body;
  EXPECT_EQ(repriced.json().at("current").at("version"), 2);
  EXPECT_EQ(repriced.json().at("current").at("included_teachers"), 30);  // the rest carried over
  EXPECT_EQ(repriced.json().at("versions").as_array().size(), 2u);
  EXPECT_EQ(repriced.json().at("schools"), 1);
  EXPECT_EQ(admin.get(subscription_path("demo")).json().at("version").at("monthly_price"), 29900);

  // Archived: no longer offered, and no school can move to it; its schools keep it.
  ASSERT_EQ(p.patch("/api/v1/plans/" + id, R"({"archived":true})").status, 200);
  const auto offered = admin.get("/api/v1/plans").json();
  for (const auto& item : offered.at("items").as_array()) {
    EXPECT_NE(item.at("id").as_string(), id);
  }
  expect_problem(signed_in("other", "admin@other.test").post(subscription_path("other") + "/plan", R"({"plan_id":")" + id + R"("})"),
                 422, "plan_id");
  expect_problem(p.patch("/api/v1/plans/" + id, R"({"is_default":true})"), 422, "is_default");
  expect_problem(p.patch("/api/v1/plans/" + id, R"({"code":"other"})"), 422, "code");
  // Back to the demo school's plan, for the tests after this one.
  ASSERT_EQ(admin.post(subscription_path("demo") + "/plan", R"({"plan_id":")" + plan_id("etablissement") + R"("})").status, 200);
}

TEST_F(Billing, BillingDetailsAreCheckedAndNamedWhenWrong) {
  auto& admin = signed_in("demo", "admin@demo.test");
  const std::string path = subscription_path("demo");
  const auto before = admin.get(path).body;
  expect_problem(admin.patch(path, R"({"siren":"123456789"})"), 422, "siren");
  expect_problem(admin.patch(path, R"({"siret":"73282932000074"})"), 422, "siret");  // not the school's SIREN
  expect_problem(admin.patch(path, R"({"vat_number":"FR45197500010"})"), 422, "vat_number");
  expect_problem(admin.patch(path, R"({"country":"France"})"), 422, "country");
  expect_problem(admin.patch(path, R"({"billing_day":31})"), 422, "billing_day");
  expect_problem(admin.patch(path, R"({"payment_method":"cash"})"), 422, "payment_method");
  expect_problem(admin.patch(path, R"({"auto_collect":true})"), 422, "auto_collect");  // a transfer is not collected
  expect_problem(admin.patch(path, R"({"legal_name":"a\u0007b"})"), 422, "legal_name");
  EXPECT_EQ(admin.get(path).body, before);  // nothing changed

  const auto changed = admin.patch(path, R"({"vat_number":"FR 83 197 500 010","payment_method":"sepa_debit",)"
                                         R"("auto_collect":true,"billing_day":5,"einvoice_address":""})");
  ASSERT_EQ(changed.status, 200) << changed.body;
  const auto s = changed.json();
  EXPECT_EQ(s.at("billing_details").at("vat_number"), "FR83197500010");
  EXPECT_TRUE(s.at("billing_details").at("einvoice_address").is_null());
  EXPECT_EQ(s.at("payment_method"), "sepa_debit");
  EXPECT_EQ(s.at("auto_collect"), true);
  EXPECT_EQ(s.at("billing_day"), 5);
  // Support reads the school but not its billing; it changes nothing.
  expect_problem(signed_in("demo", "support@demo.test").patch(path, R"({"billing_day":2})"), 403);
  // As it was, for the invoice run below (a billing day of 5 would leave last month's period open).
  ASSERT_EQ(admin.patch(path, R"({"billing_day":1,"payment_method":"transfer","auto_collect":false})").status, 200);
}

TEST_F(Billing, ASchoolCannotGoBeyondItsPlansSeatsAndIsToldHowToGetMore) {
  // The other school tries Découverte: two teachers, one taken.
  auto& admin = signed_in("other", "admin@other.test");
  const auto second = admin.post("/api/v1/users", R"({"email":"t2@other.test","display_name":"Second Teacher","roles":["teacher"]})");
  ASSERT_EQ(second.status, 201) << second.body;
  const auto third = admin.post("/api/v1/users", R"({"email":"t3@other.test","display_name":"Third Teacher","roles":["teacher"]})");
  expect_problem(third, 409);
  EXPECT_EQ(json_string(third.json(), "code"), "limit_reached");
  EXPECT_NE(json_string(third.json(), "detail").find("Découverte includes 2 teachers"), std::string::npos) << third.body;
  EXPECT_EQ(admin.get("/api/v1/users?q=Third").json().at("items").as_array().size(), 0u);  // nothing made

  // A student made a teacher too is refused the same way; an import reports it on its row.
  const std::string student = user_id("other", "student@other.test");
  expect_problem(admin.patch("/api/v1/users/" + student, R"({"roles":["student","teacher"]})"), 409);
  const auto imported = admin.request("POST", "/api/v1/users/import",
                                      "email,name,role\nt4@other.test,Fourth,teacher\ns9@other.test,Ninth,student\n",
                                      {{"content-type", "text/csv"}});
  ASSERT_EQ(imported.status, 201) << imported.body;
  const auto rows = imported.json().at("rows").as_array();
  EXPECT_EQ(rows[0].at("status"), "rejected");
  EXPECT_NE(json_string(rows[0], "reason").find("Free a seat"), std::string::npos);
  EXPECT_EQ(rows[1].at("status"), "created");

  // In French for a French reader.
  HttpClient french = client();
  french.login("other", "admin@other.test");
  const auto refused_fr = french.request("POST", "/api/v1/users",
                                         R"({"email":"t5@other.test","display_name":"T5","roles":["teacher"]})",
                                         {{"content-type", "application/json"}, {"accept-language", "fr"}});
  EXPECT_NE(json_string(refused_fr.json(), "detail").find("Le forfait Découverte comprend 2 enseignants"), std::string::npos)
      << refused_fr.body;

  // Disabling a teacher frees the seat; bigger plans are for schools that hold more.
  const auto after = admin.get(subscription_path("other")).json();
  EXPECT_EQ(after.at("seats").at("teachers").at("used"), 2);
  EXPECT_EQ(after.at("seats").at("teachers").at("included"), 2);
  ASSERT_EQ(admin.post(subscription_path("other") + "/plan", R"({"plan_id":")" + plan_id("essentiel") + R"("})").status, 200);
  EXPECT_EQ(admin.post("/api/v1/users", R"({"email":"t3@other.test","display_name":"Third Teacher","roles":["teacher"]})").status, 201);
  // Three teachers do not fit Découverte again.
  const auto down = admin.post(subscription_path("other") + "/plan", R"({"plan_id":")" + plan_id("decouverte") + R"("})");
  expect_problem(down, 409);
  EXPECT_NE(json_string(down.json(), "detail").find("includes 2 teachers and the school has 3"), std::string::npos) << down.body;
  expect_problem(admin.post(subscription_path("other") + "/plan", R"({})"), 422, "plan_id");
}

TEST_F(Billing, AModuleThePlanLacksIsRefusedAndHidden) {
  auto& admin = signed_in("demo", "admin@demo.test");
  auto& student = signed_in("demo", "student@demo.test");
  auto& teacher = signed_in("demo", "teacher@demo.test");
  // An appointment with its room, made while the plan has video rooms.
  const std::string teacher_id = std::string(teacher.get("/api/v1/me").json().at("user").at("id").as_string());
  const auto starts = SystemClock().now_ms() + 3 * kDayMs;
  const auto proposed = student.post("/api/v1/appointments", R"({"teacher_id":")" + teacher_id + R"(","slots":[{"starts_at":)" +
                                                                  std::to_string(starts) + R"(,"ends_at":)" +
                                                                  std::to_string(starts + 1800000) + "}]}");
  ASSERT_EQ(proposed.status, 201) << proposed.body;
  const auto accepted = teacher.post("/api/v1/appointments/" + json_string(proposed.json(), "id") + "/accept", R"({"slot":0})");
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  const std::string room = json_string(accepted.json().at("room"), "id");
  ASSERT_EQ(student.get("/api/v1/rooms/" + room).status, 200);
  const std::string path = json_string(student.get("/api/v1/me/learning").json().at("paths").at(0), "id");
  EXPECT_EQ(student.get("/api/v1/me").json().at("modules").at("ai_tutor"), true);

  // Découverte has neither the tutor nor video rooms (the demo school's 2 teachers and 31 students fit).
  ASSERT_EQ(admin.post(subscription_path("demo") + "/plan", R"({"plan_id":")" + plan_id("decouverte") + R"("})").status, 200);
  const auto modules = student.get("/api/v1/me").json().at("modules");
  EXPECT_EQ(modules.at("ai_tutor"), false);
  EXPECT_EQ(modules.at("video_rooms"), false);
  const auto asked = student.post("/api/v1/tutor/messages", R"({"path_id":")" + path + R"(","text":"What is went?"})");
  expect_problem(asked, 409);
  EXPECT_EQ(json_string(asked.json(), "code"), "limit_reached");
  EXPECT_NE(json_string(asked.json(), "detail").find("does not include the AI tutor"), std::string::npos) << asked.body;
  const auto joined = student.get("/api/v1/rooms/" + room);
  expect_problem(joined, 409);
  EXPECT_NE(json_string(joined.json(), "detail").find("does not include video rooms"), std::string::npos) << joined.body;
  // The appointment itself stays.
  EXPECT_EQ(student.get("/api/v1/appointments/" + json_string(proposed.json(), "id")).json().at("status"), "accepted");

  ASSERT_EQ(admin.post(subscription_path("demo") + "/plan", R"({"plan_id":")" + plan_id("etablissement") + R"("})").status, 200);
  EXPECT_EQ(student.get("/api/v1/rooms/" + room).status, 200);
}

TEST_F(Billing, ANewSchoolStartsATrialOnTheDefaultPlan) {
  auto& p = platform();
  const auto made = p.post("/api/v1/schools", R"({"name":"Lycée Neuf","slug":"lycee-neuf","timezone":"Europe/Paris"})");
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string school = json_string(made.json(), "id");
  app_->app().worker().drain();
  const auto s = p.get("/api/v1/schools/" + school + "/subscription").json();
  EXPECT_EQ(s.at("status"), "trialing");
  EXPECT_EQ(s.at("plan").at("code"), "essentiel");
  EXPECT_EQ(s.at("billing_details").at("legal_name"), "Lycée Neuf");
  const auto trial = s.at("trial_ends_at").as_int64() - s.at("created_at").as_int64();
  EXPECT_EQ(trial, 30 * kDayMs);
}

TEST_F(Billing, TheMonthlyRunInvoicesEachSchoolOnceWithGaplessNumbers) {
  auto& p = platform();
  expect_problem(p.post("/api/v1/billing/runs", R"({"period":"2026-13"})"), 422, "period");
  expect_problem(signed_in("demo", "admin@demo.test").post("/api/v1/billing/runs", "{}"), 403);

  // The demo school subscribed two months ago: last month is due. The other school is on trial.
  const auto first = p.post("/api/v1/billing/runs", "{}");
  ASSERT_EQ(first.status, 200) << first.body;
  const auto run = first.json();
  ASSERT_EQ(run.at("created").as_array().size(), 1u) << first.body;
  const std::string number(run.at("created").at(0).as_string());
  EXPECT_TRUE(number.starts_with("F-20")) << number;
  EXPECT_TRUE(number.ends_with("-000001")) << number;
  EXPECT_GE(run.at("nothing_due").as_int64(), 1);
  // Again: nothing new, no number spent.
  const auto again = p.post("/api/v1/billing/runs", "{}").json();
  EXPECT_EQ(again.at("created").as_array().size(), 0u);
  EXPECT_EQ(again.at("already"), 1);
  // The month before: the second number of the year, right after the first.
  const auto earlier = p.post("/api/v1/billing/runs", R"({"period":")" + [&] {
    const std::string period(run.at("period").as_string());
    int year = std::stoi(period.substr(0, 4)), month = std::stoi(period.substr(5, 2)) - 1;
    if (month == 0) month = 12, --year;
    char text[32];
    std::snprintf(text, sizeof text, "%04d-%02d", year, month);
    return std::string(text);
  }() + R"("})").json();
  ASSERT_EQ(earlier.at("created").as_array().size(), 1u);
  EXPECT_TRUE(std::string(earlier.at("created").at(0).as_string()).ends_with("-000002"));

  auto& admin = signed_in("demo", "admin@demo.test");
  const auto list = admin.get("/api/v1/invoices").json();
  ASSERT_EQ(list.at("items").as_array().size(), 2u);
  const auto& newest = list.at("items").at(0);
  EXPECT_EQ(newest.at("number"), number.c_str());
  EXPECT_EQ(newest.at("status"), "issued");
  EXPECT_TRUE(newest.at("issued_at").is_int64());
  EXPECT_EQ(newest.at("currency"), "EUR");
  // A whole month of Établissement in France: 499.00 + 20 % VAT.
  EXPECT_EQ(newest.at("total_excl_tax"), 49900);
  EXPECT_EQ(newest.at("tax"), 9980);
  EXPECT_EQ(newest.at("total"), 59880);
  const std::string id = json_string(newest, "id");
  const auto detail = admin.get("/api/v1/invoices/" + id).json();
  std::int64_t sum = 0;
  for (const auto& line : detail.at("lines").as_array()) sum += line.at("amount").as_int64();
  EXPECT_EQ(sum, detail.at("total_excl_tax").as_int64());
  EXPECT_EQ(detail.at("tax_category"), "S");
  EXPECT_EQ(detail.at("tax_rate"), 2000);
  EXPECT_EQ(detail.at("buyer").at("siren"), "197500010");

  // Nobody else sees it: another school's admin (404, as for no invoice at all), a teacher (403).
  expect_problem(signed_in("other", "admin@other.test").get("/api/v1/invoices/" + id), 404);
  EXPECT_EQ(signed_in("other", "admin@other.test").get("/api/v1/invoices").json().at("items").as_array().size(), 0u);
  expect_problem(signed_in("demo", "teacher@demo.test").get("/api/v1/invoices"), 403);
  // The platform sees all, or one school's.
  EXPECT_EQ(p.get("/api/v1/invoices?school_id=" + school_id("demo")).json().at("items").as_array().size(), 2u);
  EXPECT_EQ(p.get("/api/v1/invoices?school_id=" + school_id("other")).json().at("items").as_array().size(), 0u);
  expect_problem(p.get("/api/v1/invoices?school_id=nope"), 422, "school_id");

  // The Factur-X PDF: the school's admin and the platform have it, nobody else.
  const std::string pdf_url(newest.at("pdf_url").as_string());
  EXPECT_EQ(pdf_url, "/api/v1/invoices/" + id + "/pdf");
  const auto pdf = admin.get(pdf_url);
  ASSERT_EQ(pdf.status, 200) << pdf.body;
  EXPECT_EQ(pdf.header("content-type"), "application/pdf");
  EXPECT_EQ(pdf.header("content-disposition"), "inline; filename=\"" + number + ".pdf\"");
  EXPECT_TRUE(pdf.body.starts_with("%PDF-1.7")) << pdf.body.substr(0, 20);
  EXPECT_NE(pdf.body.find("factur-x.xml"), std::string::npos);
  EXPECT_EQ(admin.get(pdf_url + "?download=1").header("content-disposition"), "attachment; filename=\"" + number + ".pdf\"");
  EXPECT_EQ(p.get(pdf_url).body, pdf.body);  // the document kept, served again as it was sent
  expect_problem(signed_in("other", "admin@other.test").get(pdf_url), 404);
  expect_problem(signed_in("demo", "teacher@demo.test").get(pdf_url), 403);

  // The school's admins are told, in the app and by an email carrying the PDF.
  app_->app().worker().drain();
  const auto notifications = admin.get("/api/v1/notifications").json();
  bool told = false;
  for (const auto& n : notifications.at("items").as_array()) {
    if (n.at("kind") == "invoice" && std::string(n.at("title").as_string()).find(number) != std::string::npos) told = true;
  }
  EXPECT_TRUE(told) << boost::json::serialize(notifications);
  const auto mail = p.get("/api/v1/platform/mail?to=admin@demo.test").json();
  bool mailed = false;
  for (const auto& m : mail.at("items").as_array()) {
    const std::string text(m.at("text").as_string());
    if (text.find("[" + number + ".pdf, application/pdf]") != std::string::npos) mailed = true;
  }
  EXPECT_TRUE(mailed) << boost::json::serialize(mail);

  // The platform's figures: the demo school pays Établissement; both months invoiced, none collected.
  const auto overview = p.get("/api/v1/billing/overview");
  ASSERT_EQ(overview.status, 200) << overview.body;
  const auto o = overview.json();
  EXPECT_EQ(o.at("mrr").at(0).at("currency"), "EUR");
  EXPECT_GE(o.at("mrr").at(0).at("amount").as_int64(), 49900);
  bool etablissement = false;
  for (const auto& plan : o.at("by_plan").as_array()) {
    if (plan.at("code") == "etablissement") etablissement = plan.at("paying").as_int64() >= 1;
  }
  EXPECT_TRUE(etablissement) << overview.body;
  const auto& months = o.at("months").as_array();
  ASSERT_GE(months.size(), 2U);
  EXPECT_EQ(months.back().at("period"), run.at("period"));  // oldest first
  EXPECT_EQ(months.back().at("invoiced"), 59880);
  EXPECT_EQ(months.back().at("collected"), 0);
  EXPECT_EQ(o.at("overdue_invoices"), 0);
  expect_problem(admin.get("/api/v1/billing/overview"), 403);

  // A correction is a credit note: the invoice stays as it was, cancelled by a document of its own
  // series that names it.
  const std::string credit = "/api/v1/invoices/" + id + "/credit-notes";
  expect_problem(p.post(credit, "{}"), 422, "reason");
  expect_problem(p.post(credit, R"({"reason":"   "})"), 422, "reason");
  expect_problem(admin.post(credit, R"({"reason":"x"})"), 403);
  const auto noted = p.post(credit, R"({"reason":"Erreur de forfait"})");
  ASSERT_EQ(noted.status, 201) << noted.body;
  const auto note = noted.json();
  EXPECT_EQ(note.at("kind"), "credit_note");
  EXPECT_TRUE(std::string(note.at("number").as_string()).starts_with("A-20")) << noted.body;
  EXPECT_TRUE(std::string(note.at("number").as_string()).ends_with("-000001")) << noted.body;
  EXPECT_EQ(note.at("status"), "issued");
  EXPECT_EQ(note.at("credited_invoice_id"), id.c_str());
  EXPECT_EQ(note.at("total"), 59880);
  EXPECT_EQ(note.at("lines").as_array().size(), detail.at("lines").as_array().size());
  const auto note_pdf = admin.get(std::string(note.at("pdf_url").as_string()));
  ASSERT_EQ(note_pdf.status, 200);
  EXPECT_NE(note_pdf.body.find("factur-x.xml"), std::string::npos);
  EXPECT_EQ(admin.get("/api/v1/invoices/" + id).json().at("status"), "void");
  expect_problem(p.post(credit, R"({"reason":"Encore"})"), 409);
  expect_problem(p.post("/api/v1/invoices/" + json_string(note, "id") + "/credit-notes", R"({"reason":"x"})"), 404);
  expect_problem(signed_in("other", "admin@other.test").get("/api/v1/invoices/" + json_string(note, "id")), 404);
}

// The monthly run under a clock the test moves: new schools' trials end, their first month ends,
// and several runs at once invoice each school once with numbers that follow each other.
class BillingRun : public ApiTest {
 protected:
  static void SetUpTestSuite() {
    clock_ = new ManualClock(SystemClock().now_ms());
    app_ = new TestApp({}, clock_);
  }
  static void TearDownTestSuite() {
    ApiTest::TearDownTestSuite();
    delete clock_;
    clock_ = nullptr;
  }
  static inline ManualClock* clock_ = nullptr;
};

TEST_F(BillingRun, RunsAtOnceInvoiceEachSchoolOnceWithNumbersWithoutGaps) {
  HttpClient platform = logged_in("", "platform@mnemos.test");
  constexpr int kSchools = 8;
  for (int i = 0; i < kSchools; ++i) {
    const auto made = platform.post("/api/v1/schools", R"({"name":"École )" + std::to_string(i) + R"(","slug":"ecole-)" +
                                                           std::to_string(i) + R"(","timezone":"Europe/Paris"})");
    ASSERT_EQ(made.status, 201) << made.body;
  }
  app_->app().worker().drain();  // their trials start
  // 30 days of trial, then a whole month on Essentiel: two months and a half later, that month is due.
  clock_->advance_ms(80 * kDayMs);
  const std::int64_t now = clock_->now_ms();
  const std::chrono::year_month_day today{std::chrono::sys_days{std::chrono::days{now / kDayMs}}};
  const auto last = std::chrono::year_month{today.year(), today.month()} - std::chrono::months{1};
  char period[32];
  std::snprintf(period, sizeof period, "%04d-%02u", static_cast<int>(last.year()), static_cast<unsigned>(last.month()));

  // Four runs at once, each with its own connection.
  std::vector<std::thread> runs;
  std::vector<std::string> bodies(4);
  for (int r = 0; r < 4; ++r) {
    runs.emplace_back([&, r] {
      HttpClient c = client();
      c.login("", "platform@mnemos.test");
      bodies[r] = c.post("/api/v1/billing/runs", std::string(R"({"period":")") + period + R"("})").body;
    });
  }
  for (auto& t : runs) t.join();
  std::set<std::string> numbers;
  std::size_t made = 0;
  for (const auto& body : bodies) {
    const auto run = boost::json::parse(body);
    ASSERT_TRUE(run.as_object().contains("created")) << body;
    for (const auto& n : run.at("created").as_array()) {
      numbers.insert(std::string(n.as_string()));
      ++made;
    }
  }
  // The new schools, the demo school and the other one (its trial is over too) — each once.
  EXPECT_EQ(made, numbers.size()) << "a number given twice";
  EXPECT_EQ(numbers.size(), static_cast<std::size_t>(kSchools + 2));
  platform = logged_in("", "platform@mnemos.test");  // 80 days on: the first session has ended
  const auto list = platform.get("/api/v1/invoices").json();
  std::set<std::string> schools;
  std::vector<std::string> listed;
  for (const auto& i : list.at("items").as_array()) {
    schools.insert(std::string(i.at("school_id").as_string()));
    listed.push_back(std::string(i.at("number").as_string()));
  }
  EXPECT_EQ(schools.size(), listed.size()) << "a school invoiced twice";
  // F-<year>-000001 … 000009: no gap.
  std::set<int> sequence;
  for (const auto& n : listed) sequence.insert(std::stoi(n.substr(n.rfind('-') + 1)));
  ASSERT_FALSE(sequence.empty());
  EXPECT_EQ(*sequence.begin(), 1);
  EXPECT_EQ(*sequence.rbegin(), static_cast<int>(sequence.size()));
  EXPECT_EQ(sequence.size(), listed.size());
  // A new school's first paid month: Essentiel from the day its trial ended (the month's days
  // after it), 20 % VAT on top; the same for every new school.
  const std::string demo = school_id("demo"), other = school_id("other");
  std::set<std::int64_t> amounts;
  for (const auto& i : list.at("items").as_array()) {
    if (i.at("school_id") == demo.c_str() || i.at("school_id") == other.c_str()) continue;
    const auto excl = i.at("total_excl_tax").as_int64();
    amounts.insert(excl);
    EXPECT_GT(excl, 14900 * 25 / 31) << boost::json::serialize(i);
    EXPECT_LE(excl, 14900);
    EXPECT_EQ(i.at("tax").as_int64(), (excl * 2000 + 5000) / 10000);
    EXPECT_EQ(i.at("total").as_int64(), excl + i.at("tax").as_int64());
  }
  EXPECT_EQ(amounts.size(), 1u);
}

}  // namespace
}  // namespace mnemos::testing
