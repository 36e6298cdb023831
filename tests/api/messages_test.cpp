// Server messages in the reader's language: Accept-Language first, then the user's own language.
#include "api_test.hpp"

#include <mnemos/core/messages.hpp>

#include <boost/json.hpp>

#include <set>

namespace mnemos::testing {
namespace {

class Messages : public ApiTest {};

// With the modules started, their catalogs join core's: each message once in all of them, its
// placeholders kept (the unit test checks core's alone).
TEST_F(Messages, EveryModulesCatalogIsRegisteredAndKeepsItsPlaceholders) {
  const auto all = mnemos::messages::catalogs();
  ASSERT_GE(all.size(), 3u);  // users, learning, core
  std::set<std::string_view> seen;
  const auto holes = [](std::string_view text) {
    std::size_t count = 0;
    for (auto at = text.find("{}"); at != std::string_view::npos; at = text.find("{}", at + 2)) ++count;
    return count;
  };
  for (const auto* catalog : all) {
    for (const auto& entry : *catalog) {
      EXPECT_TRUE(seen.insert(entry.english).second) << "listed twice: " << entry.english;
      EXPECT_EQ(holes(entry.english), holes(entry.french)) << entry.english;
    }
  }
  EXPECT_EQ(mnemos::messages::translate("fr", "Use one of these units: m, cm."), "Employez l'une de ces unités : m, cm.");
  EXPECT_EQ(mnemos::messages::translate("fr", "No active teacher of this school has the id abc."),
            "Aucun compte actif (teacher) de cet établissement n'a l'identifiant abc.");
}

TEST_F(Messages, FieldErrorsComeInFrenchWhenAskedFor) {
  auto admin = logged_in("demo", "admin@demo.test");
  const auto response = admin.request("POST", "/api/v1/users", R"({"email":"nope","display_name":"","roles":[]})",
                                      {{"content-type", "application/json"}, {"accept-language", "fr-FR,fr;q=0.9"}});
  expect_problem(response, 422);
  const auto body = response.json().as_object();
  EXPECT_EQ(body.at("title"), "Saisie invalide");
  EXPECT_EQ(body.at("detail"), "Certains champs ne sont pas valides : voyez la liste des erreurs.");
  for (const auto& error : body.at("errors").as_array()) {
    const std::string message(error.at("message").as_string());
    EXPECT_TRUE(message == "Indiquez une adresse e-mail valide." || message == "Indiquez un nom." ||
                message == "Indiquez au moins un rôle.")
        << message;
  }
}

TEST_F(Messages, MessagesWithVaryingPartsKeepThem) {
  auto admin = logged_in("demo", "admin@demo.test");
  const auto response = admin.request("GET", "/api/v1/users?limit=500", "", {{"accept-language", "fr"}});
  expect_problem(response, 422, "limit");
  EXPECT_EQ(response.json().at("errors").at(0).at("message"), "Doit être un nombre entier de 1 à 100.");
}

TEST_F(Messages, AFrenchUserGetsFrenchWithoutAskingAndEnglishWhenAsking) {
  auto admin = logged_in("demo", "admin@demo.test");  // locale fr
  const auto missing = "/api/v1/classes/00000000-0000-7000-8000-000000000000";
  EXPECT_EQ(admin.request("GET", missing, "", {{"accept-language", ""}}).json().at("detail"),
            "Cette classe n'existe pas.");
  EXPECT_EQ(admin.request("GET", missing, "", {{"accept-language", "en-GB"}}).json().at("detail"),
            "No such class.");
  // A language we do not speak falls back to the user's.
  EXPECT_EQ(admin.request("GET", missing, "", {{"accept-language", "de-DE"}}).json().at("detail"),
            "Cette classe n'existe pas.");
}

TEST_F(Messages, AnonymousRequestsFollowAcceptLanguage) {
  const auto response = client().request("GET", "/api/v1/me", "", {{"accept-language", "fr"}});
  expect_problem(response, 401);
  EXPECT_EQ(response.json().at("title"), "Connexion requise");
  EXPECT_EQ(response.json().at("detail"), "Connectez-vous pour continuer.");
  const auto wrong = client().request("POST", "/api/v1/auth/login",
                                      R"({"school":"demo","email":"admin@demo.test","password":"wrong-password"})",
                                      {{"content-type", "application/json"}, {"accept-language", "fr"}});
  EXPECT_EQ(wrong.json().at("detail"),
            "L'adresse e-mail ou le mot de passe est faux. Vérifiez-les, ainsi que l'établissement, puis réessayez.");
}

TEST_F(Messages, TheImportReportSpeaksTheReadersLanguage) {
  auto admin = logged_in("demo", "admin@demo.test");
  const auto response = admin.request(
      "POST", "/api/v1/users/import?dry_run=true",
      "email,name,role\nsame@demo.test,Un,student\nsame@demo.test,Deux,student\nx@demo.test,Trois,pilot\n",
      {{"content-type", "text/csv"}, {"accept-language", "fr"}});
  ASSERT_EQ(response.status, 200) << response.body;
  const std::string body = response.body;
  EXPECT_NE(body.find("Cette adresse e-mail figure plus haut dans le fichier."), std::string::npos) << body;
  EXPECT_NE(body.find("Rôle inconnu « pilot » : utilisez student ou teacher."), std::string::npos) << body;
}

}  // namespace
}  // namespace mnemos::testing
