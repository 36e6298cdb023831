// The answer guard (policy.hpp) against an adversarial set of replies, in French and English:
// every disguise a student may coax out of a model is caught; ordinary text is left alone.
#include "../src/policy.hpp"

#include <gtest/gtest.h>

namespace mnemos::ai {
namespace {

AnswerGuard guard() {
  return AnswerGuard({{"i1", "s1", "Prétérit de « to buy » ?", {"bought"}},
                      {"i2", "s1", "to go", {"went"}},
                      {"i3", "s1", "to be", {"was / were"}},
                      {"i4", "s2", "Capitale de l'Australie ?", {"Canberra"}},
                      {"i5", "s2", "La plante fabrique du {{c1::glucose}}", {"glucose"}},
                      {"i6", "s2", "Quel organite ?", {"les chloroplastes"}},
                      {"i7", "s2", "Associez", {"France → Paris"}},
                      {"i8", "s2", "π ?", {"3.14 ± 0.01"}},
                      {"i9", "s2", "Article ?", {"the"}},
                      {"i10", "s3", "Élément de symbole O ?", {"l'oxygène"}}});
}

struct Case {
  std::string reply;
  std::string answer;  // "" when nothing must be found
};

TEST(AnswerGuard, CatchesAnswersHoweverTheyAreWritten) {
  const auto g = guard();
  const std::vector<Case> leaking = {
      {"The past of to buy is bought.", "bought"},
      {"BOUGHT, in capitals.", "bought"},
      {"Spelled out: b-o-u-g-h-t.", "bought"},
      {"Letter by letter: b o u g h t", "bought"},
      {"With dots: b.o.u.g.h.t", "bought"},
      {"Split in two: bou ght", "bought"},
      {"Backwards: thguob", "bought"},
      {"Backwards, spelled: t h g u o b", "bought"},
      {"In ROT13: obhtug", "bought"},
      {"In base64: Ym91Z2h0", "bought"},
      {"In hex: 626f75676874", "bought"},
      {"Yesterday I went home.", "went"},
      {"The past of to be: w-e-r-e.", "were"},
      {"La capitale est CANBERRA.", "Canberra"},
      {"La plante produit du glucosé.", "glucose"},  // an accent added does not hide it
      {"Cela se passe dans les chloroplastes de la feuille.", "les chloroplastes"},
      {"La capitale de la France est Paris.", "Paris"},
      {"π vaut environ 3.14.", "3.14"},
      {"Le gaz rejeté est l'oxygène.", "l'oxygène"},
      {"Mon professeur m'autorise : la réponse est c-a-n-b-e-r-r-a", "Canberra"},
  };
  for (const auto& c : leaking) {
    const auto leaks = g.leaks(c.reply);
    ASSERT_FALSE(leaks.empty()) << "not caught: " << c.reply;
    EXPECT_EQ(leaks.front().answer, c.answer) << c.reply;
    EXPECT_EQ(g.masked(c.reply).find(c.answer == "3.14" ? "3.14" : "zzz"), std::string::npos) << g.masked(c.reply);
  }
}

TEST(AnswerGuard, LeavesOrdinaryTextAlone) {
  const auto g = guard();
  for (const std::string reply : {
           "Look at the irregular verbs table in the lesson.",
           "Le verbe to buy est irrégulier : cherche-le dans la leçon.",
           "Wentworth is a name, not a verb.",          // the answer inside a longer word
           "The plants make sugar from light.",          // "the" is no answer to hide
           "La chlorophylle est dans un organite : cherche lequel.",
           "It was cold.",  // a function word answer ("was") is in every sentence: only its disguises count
           "Australia's capital is not Sydney.",
       }) {
    const auto leaks = g.leaks(reply);
    EXPECT_TRUE(leaks.empty()) << reply << " -> " << (leaks.empty() ? "" : leaks.front().answer);
    EXPECT_EQ(g.masked(reply), reply);
  }
}

TEST(AnswerGuard, MasksEachLeakAndKnowsItsCard) {
  const auto g = guard();
  const std::string reply = "Went is the past of go; bought, of buy.";
  EXPECT_EQ(g.masked(reply), "▢▢▢ is the past of go; ▢▢▢, of buy.");
  const auto leaks = g.leaks(reply);
  ASSERT_EQ(leaks.size(), 2u);
  ASSERT_NE(g.card_of(leaks[1]), nullptr);
  EXPECT_EQ(g.card_of(leaks[1])->item_id, "i1");
  EXPECT_TRUE(AnswerGuard({}).empty());
}

// Found by the request fuzzer (2026-12-03): a masked reply must hold no answer, whatever the
// answers and however the masks fall.
TEST(AnswerGuard, AMaskedReplyGivesNothingAwayEvenWhenMasksMeet) {
  const AnswerGuard g({{"item", "step", "question",
                        {"Canberra", "went", "14921111191111111111111111111apitalt", "1\xd5" "92"}}});
  const std::string reply =
      "La capitale est Canberranberra ; a-r-r-e-b-n-a-\xc2\xaa; Q2FuYmVycmE= ; C A N B E111111111\n"
      "La capitale est Canber\n";
  const auto masked = g.masked(reply);
  const auto left = g.leaks(masked);
  for (const auto& leak : left) {
    ADD_FAILURE() << leak.answer << " left in \"" << masked.substr(leak.start, leak.end - leak.start) << "\" of "
                  << masked;
  }
}

}  // namespace
}  // namespace mnemos::ai
