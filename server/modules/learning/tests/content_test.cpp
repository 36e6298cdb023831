// Content items: checking, prompts and grading (docs/learning.md, "Grading").
#include <mnemos/core/error.hpp>
#include <mnemos/core/json.hpp>

#include "../src/content.hpp"

#include <gtest/gtest.h>

#include <algorithm>

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


// --- matching, numerical, ordering (Moodle's kinds) ---------------------------------------------

std::vector<std::string> strings(const boost::json::value& list) {
  std::vector<std::string> out;
  for (const auto& v : list.as_array()) out.emplace_back(v.as_string());
  return out;
}

TEST(Content, AMatchingCardOffersTheAnswersAlphabeticallyAndGradesEachPair) {
  const auto card = item("matching", R"({"question":"Capitals","pairs":[{"left":"France","right":"Paris"},
    {"left":"Italy","right":"Rome"},{"left":"Spain","right":"Madrid"},{"left":"Wales","right":"Cardiff"}],
    "distractors":["Lyon"]})");
  const auto prompt = prompt_of(card, 0);
  EXPECT_EQ(strings(prompt.at("lefts")), (std::vector<std::string>{"France", "Italy", "Spain", "Wales"}));
  const auto choices = strings(prompt.at("choices"));
  EXPECT_EQ(choices, (std::vector<std::string>{"Cardiff", "Lyon", "Madrid", "Paris", "Rome"}));
  const auto at = [&](const char* answer) {
    return std::find(choices.begin(), choices.end(), answer) - choices.begin();
  };
  const auto all = grade(card, 0, answer("{\"matches\":[" + std::to_string(at("Paris")) + "," + std::to_string(at("Rome")) +
                                         "," + std::to_string(at("Madrid")) + "," + std::to_string(at("Cardiff")) + "]}"),
                         8000);
  EXPECT_TRUE(all.correct);
  EXPECT_EQ(all.parts_right, 4);
  EXPECT_EQ(all.parts, 4);
  EXPECT_EQ(all.rating, 3);
  // Three of four: Hard, not right. Two of four: still Hard. One: Again.
  const auto three = grade(card, 0, answer("{\"matches\":[" + std::to_string(at("Paris")) + "," + std::to_string(at("Rome")) +
                                           "," + std::to_string(at("Lyon")) + "," + std::to_string(at("Cardiff")) + "]}"),
                           8000);
  EXPECT_FALSE(three.correct);
  EXPECT_EQ(three.parts_right, 3);
  EXPECT_EQ(three.rating, 2);
  EXPECT_EQ(three.given[2], "Spain → Lyon");
  const auto one = grade(card, 0, answer("{\"matches\":[" + std::to_string(at("Paris")) + ",null,null,null]}"), 8000);
  EXPECT_EQ(one.parts_right, 1);
  EXPECT_EQ(one.rating, 1);
  EXPECT_EQ(one.given[1], "Italy → …");
  EXPECT_EQ(expected_in_words(card, 0)[0], "France → Paris");
  EXPECT_THROW(grade(card, 0, answer(R"({"matches":[0,1]})"), 0), Error);
  EXPECT_THROW(grade(card, 0, answer(R"({"matches":[0,1,2,9]})"), 0), Error);
}

TEST(Content, AMatchingItemNeedsTwoDistinctPairs) {
  EXPECT_THROW(item("matching", R"({"question":"?","pairs":[{"left":"a","right":"b"}]})"), Error);
  EXPECT_THROW(item("matching", R"({"question":"?","pairs":[{"left":"a","right":"b"},{"left":"a","right":"c"}]})"), Error);
  EXPECT_THROW(item("matching", R"({"question":"?","pairs":[{"left":"a","right":"b"},{"left":"c","right":""}]})"), Error);
  EXPECT_THROW(item("matching", R"({"question":"?","pairs":[{"left":"a","right":"b"},{"left":"c","right":"d"}],"distractors":["b"]})"), Error);
  // Two lefts may share a right (Moodle allows it): both offered once.
  const auto shared = item("matching", R"({"question":"?","pairs":[{"left":"cat","right":"animal"},{"left":"dog","right":"animal"}]})");
  EXPECT_EQ(strings(prompt_of(shared, 0).at("choices")), (std::vector<std::string>{"animal"}));
  EXPECT_TRUE(grade(shared, 0, answer(R"({"matches":[0,0]})"), 8000).correct);
}

TEST(Content, ANumericalAnswerIsReadAsPeopleWriteItAndComparedWithToleranceOrRange) {
  const auto card = item("numerical", R"({"question":"Pi?","answers":[{"value":3.14,"tolerance":0.01}]})");
  EXPECT_TRUE(grade(card, 0, answer(R"({"text":"3.14"})"), 8000).correct);
  EXPECT_TRUE(grade(card, 0, answer(R"({"text":" 3,1416 "})"), 8000).correct);  // a French decimal comma
  EXPECT_TRUE(grade(card, 0, answer(R"({"text":"3.15"})"), 8000).correct);     // the edge of the tolerance
  EXPECT_FALSE(grade(card, 0, answer(R"({"text":"3.2"})"), 8000).correct);
  EXPECT_EQ(expected_in_words(card, 0), (std::vector<std::string>{"3.14 ± 0.01"}));
  EXPECT_THROW(grade(card, 0, answer(R"({"text":"pi"})"), 0), Error);
  EXPECT_THROW(grade(card, 0, answer(R"({"text":"3.14 m"})"), 0), Error);  // no units on this card

  const auto range = item("numerical", R"({"question":"A year of the French Revolution","answers":[{"min":1789,"max":1799},{"value":1848}]})");
  EXPECT_TRUE(grade(range, 0, answer(R"({"text":"1793"})"), 8000).correct);
  EXPECT_TRUE(grade(range, 0, answer(R"({"text":"1848"})"), 8000).correct);
  EXPECT_FALSE(grade(range, 0, answer(R"({"text":"1800"})"), 8000).correct);
  EXPECT_EQ(expected_in_words(range, 0), (std::vector<std::string>{"1789 – 1799", "1848"}));

  const auto big = item("numerical", R"({"question":"Speed of light (m/s)?","answers":[{"value":3e8,"tolerance":1e7}]})");
  EXPECT_TRUE(grade(big, 0, answer(R"({"text":"299 792 458"})"), 8000).correct);  // spaces group thousands
  EXPECT_TRUE(grade(big, 0, answer(R"({"text":"3e8"})"), 8000).correct);
  EXPECT_TRUE(grade(item("numerical", R"({"question":"?","answers":[{"value":0.3}]})"), 0, answer(R"({"text":"0.30"})"), 8000).correct);
  EXPECT_TRUE(grade(item("numerical", R"({"question":"?","answers":[{"value":-4}]})"), 0, answer("{\"text\":\"\u22124\"}"), 8000).correct);
}

TEST(Content, NumericalUnitsScaleTheAnswerAndMayBeRequired) {
  const auto card = item("numerical", R"({"question":"Height of the desk?","answers":[{"value":0.75,"tolerance":0.02}],
    "units":[{"unit":"m","multiplier":1},{"unit":"cm","multiplier":100}]})");
  EXPECT_TRUE(grade(card, 0, answer(R"({"text":"0,75 m"})"), 8000).correct);
  EXPECT_TRUE(grade(card, 0, answer(R"({"text":"76 cm"})"), 8000).correct);
  EXPECT_TRUE(grade(card, 0, answer(R"({"text":"0.74"})"), 8000).correct);  // no unit: the first one
  EXPECT_FALSE(grade(card, 0, answer(R"({"text":"75 m"})"), 8000).correct);
  EXPECT_EQ(strings(prompt_of(card, 0).at("units")), (std::vector<std::string>{"m", "cm"}));
  EXPECT_EQ(expected_in_words(card, 0), (std::vector<std::string>{"0.75 ± 0.02 m"}));
  try {
    grade(card, 0, answer(R"({"text":"75 mm"})"), 0);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.fields().at(0).field, "answer.text");
    EXPECT_EQ(e.fields().at(0).message, "Use one of these units: m, cm.");
  }
  const auto required = item("numerical", R"({"question":"?","answers":[{"value":2}],"units":[{"unit":"kg"}],"unit_required":true})");
  EXPECT_FALSE(grade(required, 0, answer(R"({"text":"2"})"), 8000).correct);
  EXPECT_TRUE(grade(required, 0, answer(R"({"text":"2 kg"})"), 8000).correct);
  EXPECT_THROW(item("numerical", R"({"question":"?","answers":[{"min":5,"max":1}]})"), Error);
  EXPECT_THROW(item("numerical", R"({"question":"?","answers":[{"value":1,"tolerance":-1}]})"), Error);
  EXPECT_THROW(item("numerical", R"({"question":"?","answers":[{"value":1}],"unit_required":true})"), Error);
  EXPECT_THROW(item("numerical", R"({"question":"?","answers":[]})"), Error);
}

TEST(Content, AnOrderingCardShufflesTheSameWayEveryTimeAndCountsStepsFollowedByTheRightOne) {
  auto card = item("ordering", R"({"question":"Mitosis","steps":["Prophase","Metaphase","Anaphase","Telophase"]})");
  const auto shown = strings(prompt_of(card, 0).at("steps"));
  EXPECT_EQ(shown, strings(prompt_of(card, 0).at("steps")));  // stable
  EXPECT_NE(shown, (std::vector<std::string>{"Prophase", "Metaphase", "Anaphase", "Telophase"}));
  const auto position = [&](const char* step) { return std::find(shown.begin(), shown.end(), step) - shown.begin(); };
  const auto order = [&](std::vector<const char*> steps) {
    std::string list;
    for (const auto* s : steps) list += (list.empty() ? "" : ",") + std::to_string(position(s));
    return answer("{\"order\":[" + list + "]}");
  };
  const auto right = grade(card, 0, order({"Prophase", "Metaphase", "Anaphase", "Telophase"}), 8000);
  EXPECT_TRUE(right.correct);
  EXPECT_EQ(right.parts, 3);
  EXPECT_EQ(right.rating, 3);
  // One step moved to the end: two of three steps still followed by the right one.
  const auto moved = grade(card, 0, order({"Metaphase", "Anaphase", "Telophase", "Prophase"}), 8000);
  EXPECT_FALSE(moved.correct);
  EXPECT_EQ(moved.parts_right, 2);
  EXPECT_EQ(moved.rating, 2);
  EXPECT_EQ(moved.given, (std::vector<std::string>{"Metaphase", "Anaphase", "Telophase", "Prophase"}));
  EXPECT_EQ(grade(card, 0, order({"Telophase", "Anaphase", "Metaphase", "Prophase"}), 8000).rating, 1);
  EXPECT_THROW(grade(card, 0, answer(R"({"order":[0,0,1,2]})"), 0), Error);
  EXPECT_THROW(grade(card, 0, answer(R"({"order":[0,1,2]})"), 0), Error);
  // Two steps are never shown in the right order either.
  auto two = item("ordering", R"({"question":"?","steps":["first","second"]})");
  for (const char* id : {"a", "b", "c", "d"}) {
    two.id = id;
    EXPECT_EQ(strings(prompt_of(two, 0).at("steps")), (std::vector<std::string>{"second", "first"}));
  }
  EXPECT_THROW(item("ordering", R"({"question":"?","steps":["a","a"]})"), Error);
  EXPECT_THROW(item("ordering", R"({"question":"?","steps":["a"]})"), Error);
}

}  // namespace
}  // namespace mnemos::learning
