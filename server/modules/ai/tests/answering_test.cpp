// The built-in answer (answering.hpp): sentences of the course chosen and cited, and how complex
// a question is.
#include "../src/answering.hpp"

#include <gtest/gtest.h>

namespace mnemos::ai {
namespace {

using fulltext::Language;

const std::vector<PassageForAnswer> kPassages = {
    {"src", "p1", "Photosynthèse › Où a-t-elle lieu ?",
     "Elle se déroule dans les chloroplastes, surtout dans les cellules des feuilles. La chlorophylle, un pigment "
     "vert, capte l'énergie lumineuse. Les racines puisent l'eau du sol."},
    {"src", "p2", "Photosynthèse › Définition",
     "La photosynthèse est le processus par lequel les plantes fabriquent leur matière organique. Elle libère du "
     "dioxygène."},
};

TEST(ExtractAnswer, QuotesTheSentencesThatShareTheQuestionsTellingWords) {
  const auto answer = extract_answer("Où se trouve la chlorophylle ?", kPassages, Language::french);
  ASSERT_TRUE(answer.found());
  EXPECT_EQ(answer.sentences.front().passage_id, "p1");
  EXPECT_NE(answer.sentences.front().quote.find("chlorophylle"), std::string::npos);
  for (const auto& s : answer.sentences) EXPECT_EQ(s.quote.find("racines"), std::string::npos) << s.quote;
}

TEST(ExtractAnswer, PrefersADefinitionForAWhatIsQuestion) {
  const auto answer = extract_answer("C'est quoi la photosynthèse ?", kPassages, Language::french, 1);
  ASSERT_EQ(answer.sentences.size(), 1u);
  EXPECT_EQ(answer.sentences[0].quote,
            "La photosynthèse est le processus par lequel les plantes fabriquent leur matière organique.");
}

TEST(ExtractAnswer, FindsNothingWhenNoWordIsShared) {
  EXPECT_FALSE(extract_answer("Qui a gagné la coupe du monde ?", kPassages, Language::french).found());
  EXPECT_FALSE(extract_answer("", kPassages, Language::french).found());
  EXPECT_FALSE(extract_answer("chlorophylle", {}, Language::french).found());
}

TEST(SplitSentences, KeepsInitialsAndCutsAtEnds) {
  EXPECT_EQ(split_sentences("M. Dupont arrive. Il pleut ! Vraiment ? Oui"),
            (std::vector<std::string>{"M. Dupont arrive.", "Il pleut !", "Vraiment ?", "Oui"}));
}

TEST(Complexity, BloomLevelByVerbsInBothLanguages) {
  EXPECT_EQ(complexity_of("Qu'est-ce que la photosynthèse ?", Language::french).bloom_level, 1);
  EXPECT_EQ(complexity_of("Explique le rôle des stomates.", Language::french).bloom_level, 2);
  EXPECT_EQ(complexity_of("Comment calculer 15 % d'un prix ?", Language::french).bloom_level, 3);
  EXPECT_EQ(complexity_of("Pourquoi les feuilles sont-elles vertes ?", Language::french).bloom_level, 4);
  EXPECT_EQ(complexity_of("Justifie le choix de Robespierre.", Language::french).bloom_level, 5);
  EXPECT_EQ(complexity_of("Imagine une expérience pour le prouver.", Language::french).bloom_level, 6);
  EXPECT_EQ(complexity_of("What is a force?", Language::english).bloom_level, 1);
  EXPECT_EQ(complexity_of("Why does air cool as it rises?", Language::english).bloom_level, 4);
  EXPECT_EQ(complexity_of("Design an experiment to measure friction.", Language::english).bloom_level, 6);
}

TEST(Complexity, ReadabilityFallsWithLongWordsAndSentences) {
  const auto easy = complexity_of("What is a cell?", Language::english);
  const auto hard = complexity_of(
      "How do mitochondrial respiratory processes differentially contribute to intracellular energy homeostasis?",
      Language::english);
  EXPECT_GT(easy.readability, hard.readability);
  EXPECT_GT(complexity_of("Où vit le chat ?", Language::french).readability,
            complexity_of("Quelles conséquences socio-économiques l'industrialisation européenne entraîna-t-elle ?",
                          Language::french).readability);
}

}  // namespace
}  // namespace mnemos::ai
