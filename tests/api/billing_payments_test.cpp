// Payments and dunning (docs/billing.md): transfers recorded by the platform, partial then whole;
// an unpaid invoice makes the school past_due, then read-only after the grace period, and its
// payment brings it back; card payments asked of a fake gateway in Stripe's API shape, declined,
// retried on schedule, confirmed by webhooks whose signature, age and replay are checked.
#include "api_test.hpp"
#include "fake_http_server.hpp"

#include "../../server/modules/billing/src/gateway.hpp"

#include <mnemos/core/clock.hpp>
#include <mnemos/core/jobs.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <chrono>
#include <mutex>

namespace mnemos::testing {
namespace {

constexpr const char* kWebhookSecret = "whsec_test_mnemos";

// The gateway: answers each payment intent as `mode` says; the same Idempotency-Key gets the same
// intent back, as Stripe does.
struct FakeGateway {
  std::mutex mutex;
  std::string mode = "processing";  // processing | decline | succeed
  std::map<std::string, std::string> intents;  // idempotency key -> intent id
  test::FakeReply answer(const test::FakeRequest& request) {
    std::lock_guard lock(mutex);
    const auto key = request.headers.count("idempotency-key") ? request.headers.at("idempotency-key") : "";
    auto& id = intents[key];
    if (id.empty()) id = "pi_" + std::to_string(intents.size());
    test::FakeReply reply;
    if (mode == "decline") {
      reply.status = 402;
      reply.pieces = {R"({"error":{"type":"card_error","message":"Your card was declined.","payment_intent":{"id":")" + id +
                      R"(","status":"requires_payment_method"}}})"};
    } else {
      reply.pieces = {R"({"id":")" + id + R"(","object":"payment_intent","status":")" +
                      (mode == "succeed" ? "succeeded" : "processing") + R"("})"};
    }
    return reply;
  }
};

class BillingPayments : public ApiTest {
 protected:
  static void SetUpTestSuite() {
    clock_ = new ManualClock(SystemClock().now_ms());
    gateway_ = new FakeGateway;
    server_ = new test::FakeHttpServer([](const test::FakeRequest& r) { return gateway_->answer(r); });
    app_ = new TestApp(
        [](Config& c) {
          c.payment_gateway_url = server_->url();
          c.payment_secret_key = "sk_test_mnemos";
          c.payment_webhook_secret = kWebhookSecret;
        },
        clock_);
  }
  static void TearDownTestSuite() {
    ApiTest::TearDownTestSuite();
    delete server_;
    delete gateway_;
    delete clock_;
  }
  static std::string last_month() {
    const std::chrono::year_month_day today{std::chrono::sys_days{std::chrono::days{clock_->now_ms() / kDayMs}}};
    const auto last = std::chrono::year_month{today.year(), today.month()} - std::chrono::months{1};
    char text[32];
    std::snprintf(text, sizeof text, "%04d-%02u", static_cast<int>(last.year()), static_cast<unsigned>(last.month()));
    return text;
  }
  static boost::json::value run(const std::string& period) {
    auto platform = logged_in("", "platform@mnemos.test");
    const auto r = platform.post("/api/v1/billing/runs", R"({"period":")" + period + R"("})");
    EXPECT_EQ(r.status, 200) << r.body;
    app_->app().worker().drain();
    return r.json();
  }
  static std::string status_of(const std::string& school) {
    auto platform = logged_in("", "platform@mnemos.test");
    return std::string(platform.get("/api/v1/schools/" + school_id(school) + "/subscription").json().at("status").as_string());
  }
  static bool told(HttpClient& admin, const std::string& words) {
    app_->app().worker().drain();
    const auto page = admin.get("/api/v1/notifications?limit=50").json();
    for (const auto& n : page.at("items").as_array()) {
      if (std::string(n.at("title").as_string()).find(words) != std::string::npos) return true;
    }
    return false;
  }
  static HttpResponse webhook(const std::string& payload, const std::string& signature) {
    return client().request("POST", "/api/v1/billing/webhooks/stripe", payload,
                            {{"content-type", "application/json"}, {"stripe-signature", signature}});
  }
  static inline ManualClock* clock_ = nullptr;
  static inline FakeGateway* gateway_ = nullptr;
  static inline test::FakeHttpServer* server_ = nullptr;
};

TEST_F(BillingPayments, TransfersPayAnInvoiceInPartsAndAnUnpaidOneSuspendsTheSchoolUntilPaid) {
  const std::string period = last_month();
  const auto made = run(period);
  ASSERT_EQ(made.at("created").as_array().size(), 1U) << boost::json::serialize(made);  // the demo school
  auto platform = logged_in("", "platform@mnemos.test");
  const auto list = platform.get("/api/v1/invoices?school_id=" + school_id("demo")).json();
  const std::string id(list.at("items").at(0).at("id").as_string());
  const std::string number(list.at("items").at(0).at("number").as_string());
  const std::string payments = "/api/v1/invoices/" + id + "/payments";

  // Bad input changes nothing; only the platform records a payment.
  expect_problem(platform.post(payments, R"({"amount":0})"), 422, "amount");
  expect_problem(platform.post(payments, R"({"amount":59881})"), 422, "amount");  // more than due
  expect_problem(platform.post(payments, R"({"amount":"ten"})"), 422, "amount");
  expect_problem(platform.post(payments, R"({"amount":100,"received_at":)" + std::to_string(clock_->now_ms() + kDayMs) + "}"),
                 422, "received_at");
  expect_problem(logged_in("demo", "admin@demo.test").post(payments, R"({"amount":100})"), 403);
  expect_problem(platform.post("/api/v1/invoices/00000000-0000-7000-8000-000000000000/payments", R"({"amount":100})"), 404);

  // A part, then the rest (no amount: what remains).
  auto part = platform.post(payments, R"({"amount":30000,"note":"Virement 1/2"})");
  ASSERT_EQ(part.status, 201) << part.body;
  EXPECT_EQ(part.json().at("status"), "issued");
  EXPECT_EQ(part.json().at("amount_paid"), 30000);
  EXPECT_EQ(part.json().at("amount_due"), 29880);
  EXPECT_EQ(part.json().at("payments").as_array().size(), 1U);

  // Unpaid past its due date (30 days): past_due, a reminder; the school still works.
  clock_->advance_ms(31 * kDayMs);
  auto dunning = run(period);
  EXPECT_EQ(dunning.at("past_due"), 1) << boost::json::serialize(dunning);
  EXPECT_EQ(status_of("demo"), "past_due");
  auto admin = logged_in("demo", "admin@demo.test");
  EXPECT_TRUE(told(admin, "en retard"));  // the demo school reads French
  EXPECT_EQ(admin.post("/api/v1/classes", R"({"name":"5e Z"})").status, 201);
  // Run again the same day: no second reminder.
  EXPECT_EQ(run(period).at("reminders"), 0);

  // 15 days late: suspended. Everything reads, nothing writes, but for paying and billing details.
  clock_->advance_ms(15 * kDayMs);
  dunning = run(period);
  EXPECT_EQ(dunning.at("suspended"), 1) << boost::json::serialize(dunning);
  EXPECT_EQ(status_of("demo"), "suspended");
  admin = logged_in("demo", "admin@demo.test");  // logging in still works
  EXPECT_TRUE(told(admin, "lecture seule"));
  EXPECT_TRUE(admin.get("/api/v1/me").json().at("read_only").as_bool());
  expect_problem(admin.post("/api/v1/classes", R"({"name":"5e Y"})"), 409);
  auto teacher = logged_in("demo", "teacher@demo.test");
  expect_problem(teacher.post("/api/v1/classes", R"({"name":"5e X"})"), 409);
  EXPECT_EQ(teacher.get("/api/v1/classes").status, 200);
  EXPECT_EQ(admin.get("/api/v1/invoices").status, 200);
  EXPECT_EQ(admin.patch("/api/v1/schools/" + school_id("demo") + "/subscription", R"({"city":"Paris"})").status, 200);

  // Paid: active again (sessions see it within the seconds billing keeps a school's state).
  platform = logged_in("", "platform@mnemos.test");
  const auto rest = platform.post(payments, "{}");
  ASSERT_EQ(rest.status, 201) << rest.body;
  EXPECT_EQ(rest.json().at("status"), "paid");
  EXPECT_EQ(rest.json().at("amount_due"), 0);
  EXPECT_EQ(status_of("demo"), "active");
  expect_problem(platform.post(payments, R"({"amount":1})"), 409);  // paid already
  clock_->advance_ms(11'000);
  EXPECT_FALSE(admin.get("/api/v1/me").json().at("read_only").as_bool());
  EXPECT_EQ(admin.post("/api/v1/classes", R"({"name":"5e W"})").status, 201);
  EXPECT_TRUE(told(admin, number + " payée"));
}

TEST_F(BillingPayments, ACardPaymentIsAskedRetriedAndConfirmedBySignedWebhooks) {
  // The other school (trial over by now) pays by card, automatically.
  auto admin = logged_in("other", "admin@other.test");
  ASSERT_EQ(admin.patch("/api/v1/schools/" + school_id("other") + "/subscription",
                        R"({"payment_method":"card","auto_collect":true})")
                .status,
            200);
  clock_->advance_ms(40 * kDayMs);
  gateway_->mode = "processing";
  const auto made = run(last_month());
  admin = logged_in("other", "admin@other.test");  // sessions end after 14 days
  auto platform = logged_in("", "platform@mnemos.test");
  const auto list = platform.get("/api/v1/invoices?school_id=" + school_id("other")).json();
  ASSERT_EQ(list.at("items").as_array().size(), 1U) << boost::json::serialize(made);
  const std::string id(list.at("items").at(0).at("id").as_string());
  const auto total = list.at("items").at(0).at("total").as_int64();
  ASSERT_GT(total, 0);

  // Asked once, in Stripe's shape, with the key and an idempotency key per attempt.
  auto requests = server_->requests();
  ASSERT_EQ(requests.size(), 1U);
  EXPECT_EQ(requests[0].target, "/v1/payment_intents");
  EXPECT_EQ(requests[0].headers.at("authorization"), "Bearer sk_test_mnemos");
  EXPECT_EQ(requests[0].headers.at("idempotency-key"), "mnemos-" + id + "-1");
  EXPECT_NE(requests[0].body.find("amount=" + std::to_string(total) + "&currency=EUR"), std::string::npos) << requests[0].body;
  EXPECT_NE(requests[0].body.find("payment_method_types[]=card"), std::string::npos);
  auto detail = admin.get("/api/v1/invoices/" + id).json();
  ASSERT_EQ(detail.at("payments").as_array().size(), 1U);
  EXPECT_EQ(detail.at("payments").at(0).at("status"), "processing");

  // Webhooks: unsigned, wrongly signed, too old — refused, nothing changes.
  const auto now_s = clock_->now_ms() / 1000;
  const std::string failed = R"({"id":"evt_1","type":"payment_intent.payment_failed","data":{"object":{"id":"pi_1",)"
                             R"("last_payment_error":{"message":"Insufficient funds."}}}})";
  expect_problem(webhook(failed, ""), 400);
  expect_problem(webhook(failed, billing::sign_payload(failed, "whsec_wrong", now_s)), 400);
  expect_problem(webhook(failed, billing::sign_payload(failed, kWebhookSecret, now_s - 600)), 400);
  expect_problem(webhook(failed + " ", billing::sign_payload(failed, kWebhookSecret, now_s)), 400);  // body changed
  EXPECT_EQ(admin.get("/api/v1/invoices/" + id).json().at("payments").at(0).at("status"), "processing");

  // Signed: the payment failed; the admins are told; the gateway is asked again a day later.
  auto answer = webhook(failed, billing::sign_payload(failed, kWebhookSecret, now_s));
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_FALSE(answer.json().at("duplicate").as_bool());
  // The same event again (the gateway retries deliveries): nothing more.
  answer = webhook(failed, billing::sign_payload(failed, kWebhookSecret, now_s + 5));
  EXPECT_TRUE(answer.json().at("duplicate").as_bool());
  detail = admin.get("/api/v1/invoices/" + id).json();
  EXPECT_EQ(detail.at("payments").at(0).at("status"), "failed");
  EXPECT_EQ(detail.at("payments").at(0).at("failure"), "Insufficient funds.");
  EXPECT_TRUE(told(admin, "failed"));

  // Declined at once the next day; accepted two days later (the retry after 3 days).
  gateway_->mode = "decline";
  clock_->advance_ms(kDayMs + 1000);
  app_->app().worker().drain();
  requests = server_->requests();
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_EQ(requests[1].headers.at("idempotency-key"), "mnemos-" + id + "-2");
  detail = admin.get("/api/v1/invoices/" + id).json();
  ASSERT_EQ(detail.at("payments").as_array().size(), 2U);
  EXPECT_EQ(detail.at("payments").at(1).at("failure"), "Your card was declined.");
  EXPECT_EQ(detail.at("status"), "issued");

  gateway_->mode = "succeed";
  clock_->advance_ms(2 * kDayMs);
  app_->app().worker().drain();
  EXPECT_EQ(server_->requests().size(), 2U);  // not before its day
  clock_->advance_ms(kDayMs + 1000);
  app_->app().worker().drain();
  requests = server_->requests();
  ASSERT_EQ(requests.size(), 3U);
  EXPECT_EQ(requests[2].headers.at("idempotency-key"), "mnemos-" + id + "-3");
  detail = admin.get("/api/v1/invoices/" + id).json();
  EXPECT_EQ(detail.at("status"), "paid");
  EXPECT_EQ(detail.at("amount_paid").as_int64(), total);
  // A late webhook for the succeeded intent changes nothing (paid once).
  const std::string succeeded = R"({"id":"evt_2","type":"payment_intent.succeeded","data":{"object":{"id":"pi_3"}}})";
  const auto late = clock_->now_ms() / 1000;
  ASSERT_EQ(webhook(succeeded, billing::sign_payload(succeeded, kWebhookSecret, late)).status, 200);
  EXPECT_EQ(admin.get("/api/v1/invoices/" + id).json().at("amount_paid").as_int64(), total);
}

}  // namespace
}  // namespace mnemos::testing
