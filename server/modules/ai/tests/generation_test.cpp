// Cards made by rules from a course, and read from a model's JSON (generation.hpp).
#include "../src/generation.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <algorithm>
#include <set>

namespace mnemos::ai {
namespace {

using fulltext::Language;

const std::vector<PassageForAnswer> kCourse = {
    {"s", "p1", "Photosynthèse",
     "La photosynthèse est le processus par lequel les plantes fabriquent leur matière organique. Elle se déroule "
     "dans les chloroplastes des cellules des feuilles, grâce à la chlorophylle."},
    {"s", "p2", "Respiration",
     "La respiration est la consommation de dioxygène par les cellules, jour et nuit. Les mitochondries sont les "
     "organites où les cellules respirent et produisent leur énergie."},
    {"s", "p3", "Stomates",
     "Les stomates sont de minuscules orifices de la feuille par lesquels entrent et sortent les gaz. Les stomates "
     "se ferment quand il fait très chaud pour limiter la perte d'eau des feuilles."},
};

TEST(Generation, DefinitionsBecomeFlashcardsAndQuestions) {
  const auto cards = generate_by_rules(kCourse, Language::french, {{"flashcard", "choice"}, 10});
  ASSERT_FALSE(cards.empty());
  bool flashcard = false, choice = false;
  for (const auto& card : cards) {
    const auto content = boost::json::parse(card.content).as_object();
    if (card.kind == "flashcard" && content.at("front").as_string() == "Qu'est-ce que la photosynthèse ?") {
      flashcard = true;
      EXPECT_NE(std::string(content.at("back").as_string()).find("processus"), std::string::npos);
      EXPECT_EQ(card.passage_id, "p1");
    }
    if (card.kind == "choice") {
      choice = true;
      const auto& options = content.at("options").as_array();
      EXPECT_GE(options.size(), 3u);
      const auto right = content.at("answers").at(0).as_int64();
      ASSERT_LT(static_cast<std::size_t>(right), options.size());
      EXPECT_EQ(std::string(content.at("question").as_string()).rfind("Quel terme correspond à", 0), 0u);
    }
  }
  EXPECT_TRUE(flashcard);
  EXPECT_TRUE(choice);
}

TEST(Generation, ANameKeepsItsCapitalInTheQuestion) {
  const std::vector<PassageForAnswer> cities = {
      {"s", "p1", "Villes", "Sydney est la plus grande ville du pays. La capitale est une ville construite pour "
                            "départager Sydney et Melbourne."}};
  bool asked = false;
  for (const auto& card : generate_by_rules(cities, Language::french, {{"flashcard"}, 5})) {
    const std::string front(boost::json::parse(card.content).at("front").as_string());
    if (front.find("ydney") != std::string::npos) {
      asked = true;
      EXPECT_EQ(front, "Qu'est-ce que Sydney ?");
    }
    if (front.find("apitale") != std::string::npos) {
      EXPECT_EQ(front, "Qu'est-ce que la capitale ?");
    }
  }
  EXPECT_TRUE(asked);
}

TEST(Generation, KeyTermsBecomeClozeGaps) {
  const auto terms = key_terms(kCourse, Language::french);
  ASSERT_FALSE(terms.empty());
  EXPECT_NE(std::find(terms.begin(), terms.end(), "stomates"), terms.end());
  const auto cards = generate_by_rules(kCourse, Language::french, {{"cloze"}, 5});
  ASSERT_FALSE(cards.empty());
  for (const auto& card : cards) {
    EXPECT_EQ(card.kind, "cloze");
    const std::string text(boost::json::parse(card.content).at("text").as_string());
    EXPECT_NE(text.find("{{c1::"), std::string::npos) << text;
    EXPECT_NE(text.rfind("{{c1::", 0), 0u) << "a gap opening the sentence: " << text;
  }
}

TEST(Generation, CountAndKindsAreHonouredAndNothingComesTwice) {
  const auto cards = generate_by_rules(kCourse, Language::french, {{"flashcard", "cloze", "choice"}, 4});
  EXPECT_LE(cards.size(), 4u);
  std::set<std::string> contents;
  for (const auto& c : cards) EXPECT_TRUE(contents.insert(c.content).second) << c.content;
  EXPECT_TRUE(generate_by_rules({}, Language::french, {}).empty());
}

TEST(Generation, AModelsJsonIsReadAndItsFaultsReported) {
  std::vector<std::string> errors;
  const auto cards = cards_from_model(
      "Voici :\n```json\n{\"items\":[{\"kind\":\"flashcard\",\"front\":\"F\",\"back\":\"B\",\"passage\":2},"
      "{\"kind\":\"cloze\",\"text\":\"no gap\"},{\"kind\":\"choice\",\"question\":\"Q\",\"options\":[\"a\",\"b\"],\"answer\":1}]}\n```",
      kCourse, errors);
  ASSERT_EQ(cards.size(), 2u);
  EXPECT_EQ(cards[0].passage_id, "p2");
  EXPECT_EQ(errors.size(), 1u);
  errors.clear();
  EXPECT_TRUE(cards_from_model("I cannot do that.", kCourse, errors).empty());
  EXPECT_EQ(errors.size(), 1u);
}

}  // namespace
}  // namespace mnemos::ai
