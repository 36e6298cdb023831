// Content items: checking, prompts and grading (docs/learning.md, "Grading").
#include <mnemos/core/error.hpp>
#include <mnemos/core/json.hpp>

#include "../src/content.hpp"

#include <gtest/gtest.h>

namespace mnemos::learning {
namespace {

Item item(const std::string& kind, const std::string& content_json) {
  Item i;
  i.id = "item";
  i.kind = kind;
  i.content = checked_content(kind, json::parse(content_json));
  return i;
}

boost::json::object answer(const std::string& text) { return json::parse(text).as_object(); }

TEST(Content, FoldingForgivesCaseAccentsAndSpacesUnlessAsked) {
  EXPECT_EQ(fold("  Éléphant   ROSE ", false, false), "elephant rose");
  EXPECT_EQ(fold("Œuvre", false, false), "oeuvre");
  EXPECT_EQ(fold("Éléphant", true, false), "Elephant");
  EXPECT_EQ(fold("Éléphant", false, true), "éléphant");
  EXPECT_EQ(fold("straße", false, false), "strasse");
  EXPECT_EQ(fold("日本", false, false), "日本");
}

TEST(Content, ResponseTimeTurnsARightAnswerIntoHardGoodOrEasy) {
  EXPECT_EQ(rating_for(false, 1000), 1);
  EXPECT_EQ(rating_for(true, 4999), 4);
  EXPECT_EQ(rating_for(true, 5000), 3);
  EXPECT_EQ(rating_for(true, 25000), 3);
  EXPECT_EQ(rating_for(true, 25001), 2);
}

TEST(Content, InvalidContentNamesTheField) {
  try {
    checked_content("choice", json::parse(R"({"question":"?","options":["a"],"answers":[2]})"));
    FAIL();
  } catch (const Error& e) {
    ASSERT_GE(e.fields().size(), 2u);
    EXPECT_EQ(e.fields()[0].field, "content.options");
    EXPECT_EQ(e.fields()[1].field, "content.answers");
  }
  EXPECT_THROW(checked_content("cloze", json::parse(R"({"text":"no gap here"})")), Error);
  EXPECT_THROW(checked_content("flashcard", json::parse(R"("front")")), Error);
  EXPECT_THROW(checked_content("choice", json::parse(R"({"question":"?","options":["a","b"],"answers":[0,1],"multiple":false})")), Error);
}

TEST(Content, AReversedFlashcardGivesTwoCardsAndAClozeOnePerGapNumber) {
  const auto card = item("flashcard", R"({"front":"chat","back":"cat","reversed":true})");
  EXPECT_EQ(variants_of(card), (std::vector<int>{0, 1}));
  EXPECT_EQ(prompt_of(card, 1).at("front").as_string(), "cat");
  const auto cloze = item("cloze", R"({"text":"{{c1::H}}{{c1::2}}{{c2::O}} is water"})");
  EXPECT_EQ(variants_of(cloze), (std::vector<int>{1, 2}));
  EXPECT_EQ(prompt_of(cloze, 1).at("text").as_string(), "[...][...]O is water");
  EXPECT_EQ(prompt_of(cloze, 1).at("blanks").as_int64(), 2);
  EXPECT_TRUE(grade(cloze, 1, answer(R"({"answers":["h","2"]})"), 8000).correct);
  EXPECT_FALSE(grade(cloze, 1, answer(R"({"answers":["h","3"]})"), 8000).correct);
  EXPECT_THROW(grade(cloze, 1, answer(R"({"answers":["h"]})"), 8000), Error);
}

TEST(Content, ChoicesMustMatchExactlyAndShortAnswersAcceptAnyListedAnswer) {
  const auto single = item("choice", R"({"question":"2+2","options":["3","4"],"answers":[1]})");
  EXPECT_TRUE(grade(single, 0, answer(R"({"selected":[1]})"), 3000).correct);
  EXPECT_THROW(grade(single, 0, answer(R"({"selected":[0,1]})"), 3000), Error);
  EXPECT_THROW(grade(single, 0, answer(R"({"selected":[5]})"), 3000), Error);
  const auto multi = item("choice", R"({"question":"primes","options":["2","4","5"],"answers":[0,2]})");
  EXPECT_TRUE(grade(multi, 0, answer(R"({"selected":[2,0]})"), 3000).correct);
  EXPECT_FALSE(grade(multi, 0, answer(R"({"selected":[0]})"), 3000).correct);
  const auto capital = item("short_answer", R"({"question":"Capitale ?","accepted":["Paris","Lutèce"]})");
  EXPECT_TRUE(grade(capital, 0, answer(R"({"text":"lutece"})"), 3000).correct);
  EXPECT_FALSE(grade(capital, 0, answer(R"({"text":""})"), 3000).correct);
  const auto strict = item("short_answer", R"({"question":"?","accepted":["Été"],"accent_sensitive":true})");
  EXPECT_FALSE(grade(strict, 0, answer(R"({"text":"ete"})"), 3000).correct);
  EXPECT_TRUE(grade(strict, 0, answer(R"({"text":"été"})"), 3000).correct);
}

TEST(Content, FlashcardsAreSelfRated) {
  const auto card = item("flashcard", R"({"front":"a","back":"b"})");
  const auto g = grade(card, 0, answer(R"({"rating":2})"), 90000);
  EXPECT_TRUE(g.self_rated);
  EXPECT_EQ(g.rating, 2);
  EXPECT_THROW(grade(card, 0, answer(R"({"rating":0})"), 1000), Error);
}

}  // namespace
}  // namespace mnemos::learning
