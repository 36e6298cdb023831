#include "../support/api_test.hpp"

#include <mnemos/core/jobs.hpp>
#include <mnemos/core/json.hpp>

#include <boost/json/object.hpp>

namespace mnemos::testing {
namespace {

class Invitations : public ApiTest {
 protected:
  // Runs queued jobs (mail delivery), then reads the newest message to `to` as the platform admin.
  static boost::json::value last_mail(const std::string& to) {
    app_->app().worker().drain();
    auto platform = logged_in("", "platform@mnemos.test");
    const auto page = platform.get("/api/v1/platform/mail?to=" + to).json();
    const auto& items = page.at("items").as_array();
    if (items.empty()) return nullptr;
    return items.front();
  }
  static std::string token_in(const boost::json::value& mail) {
    const std::string text(mail.at("text").as_string());
    const auto at = text.find("token=");
    if (at == std::string::npos) return "";
    return text.substr(at + 6, text.find_first_of(" \n", at) - at - 6);
  }
  static HttpResponse accept(const std::string& token, const std::string& password) {
    boost::json::object body{{"token", token}, {"password", password}};
    return client().post("/api/v1/auth/invitation/accept", json::serialize(body));
  }
  static std::string create_invited(const std::string& email) {
    auto admin = logged_in("demo", "admin@demo.test");
    const auto created = admin.post("/api/v1/users", R"({"email":")" + email +
                                                         R"(","display_name":"Iris Invitée","roles":["teacher"]})");
    EXPECT_EQ(created.status, 201) << created.body;
    return json_string(created.json(), "id");
  }
};

TEST_F(Invitations, ANewUserGetsAnEmailLinkToChooseAPasswordThenLogsIn) {
  create_invited("iris@demo.test");
  const auto mail = last_mail("iris@demo.test");
  ASSERT_FALSE(mail.is_null());
  EXPECT_EQ(mail.at("subject").as_string(), "Votre compte Mnemos — Collège Démo");  // the school's language
  const std::string token = token_in(mail);
  ASSERT_GE(token.size(), 40u);
  EXPECT_NE(std::string(mail.at("text").as_string()).find("/accept-invitation?token="), std::string::npos);

  const auto view = client().post("/api/v1/auth/invitation", R"({"token":")" + token + R"("})");
  ASSERT_EQ(view.status, 200) << view.body;
  EXPECT_EQ(view.json().at("email").as_string(), "iris@demo.test");
  EXPECT_EQ(view.json().at("school").as_string(), "demo");

  expect_problem(accept(token, "short"), 422, "password");
  ASSERT_EQ(accept(token, "une phrase de passe solide").status, 204);
  EXPECT_EQ(client().login("demo", "iris@demo.test", "une phrase de passe solide").status, 200);
  // Single use.
  expect_problem(accept(token, "another long password"), 422, "token");
}

TEST_F(Invitations, ResendingAnInvitationRetiresTheOldLink) {
  const std::string id = create_invited("hugo@demo.test");
  const std::string first = token_in(last_mail("hugo@demo.test"));
  auto admin = logged_in("demo", "admin@demo.test");
  ASSERT_EQ(admin.post("/api/v1/users/" + id + "/invitation").status, 202);
  const std::string second = token_in(last_mail("hugo@demo.test"));
  ASSERT_NE(first, second);
  expect_problem(accept(first, "a long enough password"), 422, "token");
  EXPECT_EQ(accept(second, "a long enough password").status, 204);
  // Once active, there is nothing left to resend.
  expect_problem(admin.post("/api/v1/users/" + id + "/invitation"), 409);
}

TEST_F(Invitations, ForgedOrEmptyTokensAreRefusedWithTheSameMessage) {
  expect_problem(accept("forged-token", "a long enough password"), 422, "token");
  expect_problem(client().post("/api/v1/auth/invitation", R"({"token":"x"})"), 422, "token");
  expect_problem(client().post("/api/v1/auth/invitation", R"({})"), 422, "token");
}

TEST_F(Invitations, APasswordResetSendsALinkThatEndsEverySession) {
  auto phone = logged_in("demo", "student10@demo.test");
  const auto asked = client().post("/api/v1/auth/password-reset", R"({"school":"demo","email":"Student10@demo.test"})");
  EXPECT_EQ(asked.status, 202);
  const auto mail = last_mail("student10@demo.test");
  ASSERT_FALSE(mail.is_null());
  const std::string token = token_in(mail);
  EXPECT_NE(std::string(mail.at("text").as_string()).find("/reset-password?token="), std::string::npos);

  boost::json::object body{{"token", token}, {"password", "nouveau mot de passe sûr"}};
  ASSERT_EQ(client().post("/api/v1/auth/password-reset/confirm", json::serialize(body)).status, 204);
  expect_problem(phone.get("/api/v1/me"), 401);
  EXPECT_EQ(client().login("demo", "student10@demo.test").status, 401);
  EXPECT_EQ(client().login("demo", "student10@demo.test", "nouveau mot de passe sûr").status, 200);
  expect_problem(client().post("/api/v1/auth/password-reset/confirm", json::serialize(body)), 422, "token");
}

TEST_F(Invitations, AResetRequestSaysTheSameWhetherOrNotTheAccountExists) {
  const auto unknown = client().post("/api/v1/auth/password-reset", R"({"school":"demo","email":"ghost@demo.test"})");
  const auto wrong_school = client().post("/api/v1/auth/password-reset", R"({"school":"nowhere","email":"student@demo.test"})");
  EXPECT_EQ(unknown.status, 202);
  EXPECT_EQ(wrong_school.status, 202);
  EXPECT_EQ(unknown.body, wrong_school.body);
  EXPECT_TRUE(last_mail("ghost@demo.test").is_null());
}

TEST_F(Invitations, ThePlatformInvitesANewSchoolsFirstAdministrator) {
  auto platform = logged_in("", "platform@mnemos.test");
  const auto school = platform.post("/api/v1/schools",
                                    R"({"name":"Lycée Neuf","slug":"lycee-neuf","timezone":"Europe/Paris"})");
  ASSERT_EQ(school.status, 201) << school.body;
  const std::string school_id = json_string(school.json(), "id");
  EXPECT_TRUE(platform.get("/api/v1/schools/" + school_id + "/admins").json().at("items").as_array().empty());

  const auto invited = platform.post("/api/v1/schools/" + school_id + "/admins",
                                     R"({"email":"Direction@Lycee-Neuf.test","display_name":"Anne Direction"})");
  ASSERT_EQ(invited.status, 201) << invited.body;
  EXPECT_EQ(json_string(invited.json(), "status"), "invited");
  EXPECT_EQ(invited.json().at("roles"), (boost::json::array{"school_admin"}));
  const auto admins_json = platform.get("/api/v1/schools/" + school_id + "/admins").json();
  const auto& admins = admins_json.at("items").as_array();
  ASSERT_EQ(admins.size(), 1u);
  EXPECT_EQ(admins[0].at("email").as_string(), "direction@lycee-neuf.test");

  // The same email twice is a conflict; a password or a missing name is refused, naming the field.
  expect_problem(platform.post("/api/v1/schools/" + school_id + "/admins",
                               R"({"email":"direction@lycee-neuf.test","display_name":"Again"})"), 409, "email");
  expect_problem(platform.post("/api/v1/schools/" + school_id + "/admins", R"({"email":"x@lycee-neuf.test"})"), 422,
                 "display_name");
  expect_problem(platform.post("/api/v1/schools/00000000-0000-7000-8000-000000000000/admins",
                               R"({"email":"y@lycee-neuf.test","display_name":"Y"})"), 404);
  // Only the platform: a school's own admin cannot add admins to another school this way.
  expect_problem(logged_in("demo", "admin@demo.test").post("/api/v1/schools/" + school_id + "/admins",
                                                          R"({"email":"z@lycee-neuf.test","display_name":"Z"})"), 403);

  // The invitation comes by mail; the new admin chooses a password and is in.
  const auto mail = last_mail("direction@lycee-neuf.test");
  ASSERT_FALSE(mail.is_null());
  ASSERT_EQ(accept(token_in(mail), "a-good-long-password-42").status, 204);
  auto admin = client();
  ASSERT_EQ(admin.login("lycee-neuf", "direction@lycee-neuf.test", "a-good-long-password-42").status, 200);
  EXPECT_EQ(admin.get("/api/v1/users").status, 200);
  // Their school's activity log says who invited them.
  const auto activity = admin.get("/api/v1/activity");
  ASSERT_EQ(activity.status, 200) << activity.body;
  EXPECT_NE(activity.body.find("user.invited"), std::string::npos) << activity.body;
}

TEST_F(Invitations, OnlyThePlatformReadsTheMailLog) {
  expect_problem(logged_in("demo", "admin@demo.test").get("/api/v1/platform/mail"), 403);
  expect_problem(client().get("/api/v1/platform/mail"), 401);
}

}  // namespace
}  // namespace mnemos::testing
