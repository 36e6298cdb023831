// Reading imported files: HTML to Markdown, Moodle GIFT, Anki packages (docs/learning.md, "Imports").
#include <mnemos/core/error.hpp>
#include <mnemos/core/json.hpp>

#include "../src/apkg.hpp"
#include "../src/html.hpp"
#include "../src/content.hpp"
#include "../src/gift_writer.hpp"
#include "../src/imports.hpp"

#include <anki_package.hpp>

#include <gtest/gtest.h>

namespace mnemos::learning {
namespace {

std::string text(const boost::json::object& o, const char* field) { return std::string(o.at(field).as_string()); }

TEST(Html, KeepsWhatCardsHoldAndDropsTheRest) {
  const auto converted = html::to_markdown(
      "<div>The <b>cat</b> &amp; the <i>dog</i></div><div>line&nbsp;two<br/>three</div>"
      "<script>alert(1)</script><span style=\"x\">&lt;tag&gt; &#233;t&#xE9;</span>[sound:meow.mp3]");
  EXPECT_EQ(converted.markdown, "The **cat** & the *dog*\nline two\nthree\n\\<tag> été![audio](" +
                                    html::media_placeholder("meow.mp3") + ")");
}

TEST(Html, PicturesAndSoundsBecomePlaceholdersAndAreListedOnce) {
  const std::string field = R"(<img src="a b.png"> and <IMG SRC='c&amp;d.jpg' alt="x"> <img src="a b.png">[sound:e.mp3])";
  EXPECT_EQ(html::media_in(field), (std::vector<std::string>{"a b.png", "c&d.jpg", "e.mp3"}));
  const auto md = html::to_markdown(field).markdown;
  EXPECT_NE(md.find("![](" + html::media_placeholder("a b.png") + ")"), std::string::npos);
  EXPECT_NE(md.find(html::media_placeholder("c&d.jpg")), std::string::npos);
}

TEST(Html, EscapedHtmlStaysTextAndNeverBecomesATag) {
  // A card about HTML shows "<script>" as text; Markdown must not read it as a tag again.
  EXPECT_EQ(html::to_markdown("&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=y&gt;").markdown,
            "\\<script>alert(1)\\</script> \\<img src=x onerror=y>");
  const auto gift = imports::from_gift("::Q:: What does &lt;b&gt; do? {=bold ~italic}\n", {"Vrai", "Faux"});
  ASSERT_EQ(gift.size(), 1u);
  EXPECT_EQ(text(gift[0].content, "question"), "What does \\<b> do?");
}

TEST(Html, ReportLabelsNameTheFilesInsteadOfInternalMarkers) {
  const auto md = html::to_markdown("Look <img src=\"cat.png\"> and [sound:meow.mp3] here").markdown;
  const auto label = html::readable_label(md);
  EXPECT_EQ(label, "Look [cat.png] and [meow.mp3] here");
  EXPECT_EQ(label.find('\x01'), std::string::npos);
  EXPECT_EQ(html::readable_label("plain"), "plain");
}

TEST(Html, ControlCharactersFromEntitiesNeverComeOut) {
  EXPECT_EQ(html::decode_entities("a&#1;b&#x1;c\x01"), "abc");
  EXPECT_EQ(html::decode_entities("&unknown; & &#xZZ;"), "&unknown; & &#xZZ;");
}

TEST(Gift, ReadsEveryQuestionKindMnemosCanGrade) {
  const auto c = imports::from_gift(R"(// a comment
$CATEGORY: tom/verbs

::Q1:: Who wrote Hamlet? {=Shakespeare ~Molière ~Goethe}

Which are prime? {~%50%2 ~%50%3 ~%-100%4}

The sun is a star.{T}

Capital of France? {=Paris =paris#Yes}

Two plus two? {#4}

Paris is the {=capital} of France.

Mozart was born in {=Salzburg ~Vienna ~Prague}.

[markdown]What is 1\{2\}? {=a\=b}
)",
                                    {"Vrai", "Faux"});
  ASSERT_EQ(c.size(), 8u);
  EXPECT_EQ(c[0].line, 4);
  EXPECT_EQ(c[0].kind, "choice");
  EXPECT_EQ(text(c[0].content, "question"), "Who wrote Hamlet?");
  EXPECT_EQ(c[0].content.at("options").as_array().size(), 3u);
  EXPECT_EQ(json::serialize(c[0].content.at("answers")), "[0]");

  EXPECT_EQ(c[1].kind, "choice");
  EXPECT_EQ(json::serialize(c[1].content.at("answers")), "[0,1]");

  EXPECT_EQ(c[2].kind, "choice");
  EXPECT_EQ(json::serialize(c[2].content.at("options")), R"(["Vrai","Faux"])");
  EXPECT_EQ(json::serialize(c[2].content.at("answers")), "[0]");

  EXPECT_EQ(c[3].kind, "short_answer");
  EXPECT_EQ(json::serialize(c[3].content.at("accepted")), R"(["Paris","paris"])");
  EXPECT_EQ(c[4].kind, "numerical");
  EXPECT_EQ(json::serialize(c[4].content.at("answers")), R"([{"value":4E0,"tolerance":0E0}])");

  EXPECT_EQ(c[5].kind, "cloze");
  EXPECT_EQ(text(c[5].content, "text"), "Paris is the {{c1::capital}} of France.");
  EXPECT_EQ(c[6].kind, "choice");
  EXPECT_EQ(text(c[6].content, "question"), "Mozart was born in _____.");

  EXPECT_EQ(c[7].kind, "short_answer");
  EXPECT_EQ(text(c[7].content, "question"), "What is 1{2}?");
  EXPECT_EQ(json::serialize(c[7].content.at("accepted")), R"(["a=b"])");
  for (const auto& candidate : c) EXPECT_EQ(candidate.skipped, "") << candidate.label;
}

// Moodle on Windows and Excel write Windows-1252: such files are read, not refused.
TEST(Gift, AFileInWindows1252IsReadAndSaysSo) {
  // "Où est l'été ?" {=Là …} with é = 0xE9, ù = 0xF9, à = 0xE0 and a curly apostrophe (0x92).
  const std::string bytes = "::Q1:: O\xF9 est l\x92\xE9t\xE9 ? {=L\xE0 ~Ici}\n";
  const auto decoded = imports::decode_text(bytes);
  EXPECT_EQ(decoded.encoding, "windows-1252");
  EXPECT_EQ(decoded.text, "::Q1:: Où est l\u2019été ? {=Là ~Ici}\n");
  const auto candidates = imports::from_gift(decoded.text, {});
  ASSERT_EQ(candidates.size(), 1u);
  EXPECT_EQ(candidates[0].kind, "choice");
  EXPECT_EQ(candidates[0].label, "Où est l\u2019été ?");
  // UTF-8 stays as it is, its byte-order mark dropped; undefined bytes become controls, not text.
  EXPECT_EQ(imports::decode_text("\xEF\xBB\xBF" "d\xC3\xA9j\xC3\xA0").text, "déjà");
  EXPECT_EQ(imports::decode_text("\xEF\xBB\xBF" "d\xC3\xA9j\xC3\xA0").encoding, "utf-8");
  EXPECT_EQ(imports::decode_text("a\x81\x80").text, "a\u0081\u20AC");
}

TEST(Gift, SaysWhyAQuestionIsLeftOut) {
  const auto c = imports::from_gift(
      "Write an essay. {}\n\nMatch them. {=cat chat =dog -> chien}\n\nPi? {#3,14:0.01}\n\n"
      "Just a description.\n\nNo right answer {~a ~b}\n\nNever closed {=a\n",
      {});
  ASSERT_EQ(c.size(), 6u);
  EXPECT_EQ(c[0].skipped, "Essay questions are marked by hand; they are not imported.");
  EXPECT_EQ(c[1].skipped, "Each pair of a matching question is written left -> right.");
  EXPECT_EQ(c[2].skipped, "This number, range or tolerance cannot be read.");
  EXPECT_EQ(c[3].skipped, "A description, not a question: nothing between { and }.");
  EXPECT_EQ(c[4].skipped, "Mark the right answer with = and the wrong ones with ~.");
  EXPECT_EQ(c[5].skipped, "The answers are not closed with }.");
  EXPECT_EQ(c[5].line, 11);
}

// Moodle's own examples of matching and numerical questions (docs.moodle.org, "GIFT format").
TEST(Gift, ReadsMatchingAndNumericalQuestions) {
  const auto c = imports::from_gift(R"(Match the following countries with their corresponding capitals. {
   =Canada -> Ottawa
   =Italy  -> Rome
   =Japan  -> Tokyo
   =India  -> New Delhi
   = -> Canberra
   #### Well done}

When was Ulysses S. Grant born? {#1822:5}

What is the value of pi (to 3 decimal places)? {#3.141..3.142}.

When was Ulysses S. Grant born? {#
   =1822:0      # Correct! Full credit.
   =%50%1822:2  # He was born in 1822. Half credit for being close.
}

Which year? {# ~1900 # no =2000}
)",
                                    {});
  ASSERT_EQ(c.size(), 5u);
  EXPECT_EQ(c[0].kind, "matching");
  EXPECT_EQ(text(c[0].content, "question"), "Match the following countries with their corresponding capitals.");
  EXPECT_EQ(json::serialize(c[0].content.at("pairs")),
            R"([{"left":"Canada","right":"Ottawa"},{"left":"Italy","right":"Rome"},{"left":"Japan","right":"Tokyo"},{"left":"India","right":"New Delhi"}])");
  EXPECT_EQ(json::serialize(c[0].content.at("distractors")), R"(["Canberra"])");
  EXPECT_EQ(c[1].kind, "numerical");
  EXPECT_EQ(json::serialize(c[1].content.at("answers")), R"([{"value":1.822E3,"tolerance":5E0}])");
  EXPECT_EQ(c[2].kind, "numerical");
  EXPECT_EQ(json::serialize(c[2].content.at("answers")), R"([{"min":3.141E0,"max":3.142E0}])");
  EXPECT_EQ(c[3].kind, "numerical");
  EXPECT_EQ(json::serialize(c[3].content.at("answers")), R"([{"value":1.822E3,"tolerance":0E0}])");
  EXPECT_EQ(c[3].note, "Answers with partial credit were left out: a card is right or wrong.");
  EXPECT_EQ(json::serialize(c[4].content.at("answers")), R"([{"value":2E3,"tolerance":0E0}])");
  // Each is a valid item of its kind.
  for (const auto& candidate : c) {
    EXPECT_NO_THROW(checked_content(candidate.kind, candidate.content)) << candidate.label;
  }
}

TEST(Gift, AnswersMaySpanLinesAndBlankLines) {
  const auto c = imports::from_gift("Pick one {\n=yes\n\n~no\n}\n\nNext? {T}", {});
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].kind, "choice");
  EXPECT_EQ(c[0].content.at("options").as_array().size(), 2u);
  EXPECT_EQ(c[1].line, 7);
}

void expect_deck(bool current_layout) {
  test::AnkiDeck deck;
  deck.current_layout = current_layout;
  deck.notes = {
      {"basic", {"<b>chat</b>", "cat<br>[sound:cat.mp3]"}, "animals french"},
      {"reversed", {"dog", "chien"}, ""},
      {"cloze", {"The {{c1::sun}} is a {{c2::star::kind}}.", "extra"}, ""},
      {"type_in", {"Capital of Italy?", "Rome"}, ""},
      {"optional_reversed", {"one", "un", ""}, ""},
      {"optional_reversed", {"two", "deux", "y"}, ""},
      {"single_field", {"only a note"}, ""},
      {"basic", {"picture <img src=\"sun.png\">", "<img src=\"missing.jpg\">soleil"}, ""},
  };
  deck.media["sun.png"] = test::tiny_png();
  deck.media["unused.png"] = test::tiny_png();
  const auto package = apkg::read(test::make_apkg(deck));
  ASSERT_EQ(package.notes.size(), 8u);
  EXPECT_EQ(package.media.size(), 1u);  // only pictures the notes show are read
  EXPECT_EQ(package.media.at("sun.png"), test::tiny_png());
  EXPECT_EQ(package.missing_media, (std::vector<std::string>{"cat.mp3", "missing.jpg"}));

  const auto c = imports::from_anki(package.notes);
  EXPECT_EQ(c[0].kind, "flashcard");
  EXPECT_EQ(text(c[0].content, "front"), "**chat**");
  EXPECT_EQ(text(c[0].content, "back"), "cat\n![audio](" + html::media_placeholder("cat.mp3") + ")");
  EXPECT_EQ(c[0].tags, (std::vector<std::string>{"animals", "french"}));
  EXPECT_FALSE(c[0].content.at("reversed").as_bool());
  EXPECT_TRUE(c[1].content.at("reversed").as_bool());
  EXPECT_EQ(c[2].kind, "cloze");
  EXPECT_EQ(text(c[2].content, "text"), "The {{c1::sun}} is a {{c2::star::kind}}.");
  EXPECT_EQ(c[3].kind, "short_answer");
  EXPECT_EQ(json::serialize(c[3].content.at("accepted")), R"(["Rome"])");
  EXPECT_FALSE(c[4].content.at("reversed").as_bool());
  EXPECT_TRUE(c[5].content.at("reversed").as_bool());
  EXPECT_EQ(c[6].skipped, "This note type has one field; a card needs a front and a back.");
  EXPECT_EQ(text(c[7].content, "front"), "picture ![](" + html::media_placeholder("sun.png") + ")");
}

TEST(Anki, ReadsTheLegacyLayout) { expect_deck(false); }
TEST(Anki, ReadsTheCurrentLayoutAndIgnoresItsPleaseUpdateCollection) { expect_deck(true); }

TEST(Anki, RefusesWhatIsNotAPackageWithAReason) {
  auto reason = [](const std::string& bytes) {
    try {
      apkg::read(bytes);
    } catch (const Error& e) {
      EXPECT_EQ(e.fields().at(0).field, "file");
      return std::string(e.what());
    }
    return std::string("read");
  };
  EXPECT_EQ(reason("front,back\n"), "This file is not an Anki package (.apkg): it is not a zip archive.");
  EXPECT_EQ(reason(test::make_zip({{"notes.txt", "hello"}})),
            "This zip is not an Anki package (.apkg): it holds no collection.");
  EXPECT_EQ(reason(test::make_zip({{"collection.anki2", "not a database"}})),
            "The package is damaged: its collection is not a database.");
  EXPECT_EQ(reason(test::make_zip({{"collection.anki21b", std::string("\x28\xB5\x2F\xFD garbage", 12)}})),
            "The package is damaged: a compressed part cannot be read.");
}

// What the GIFT export writes, the GIFT import reads back as the same cards.
TEST(Gift, AnExportReadsBackAsTheSameQuestions) {
  const auto make = [](const std::string& kind, const std::string& content) {
    Item i;
    i.id = "item-" + kind;
    i.kind = kind;
    i.content = checked_content(kind, json::parse(content));
    return i;
  };
  const std::vector<Item> items{
      make("lesson", R"({"markdown":"# Verbs\nRead this first."})"),
      make("choice", R"({"question":"Who wrote *Hamlet*?","options":["Shakespeare","Molière"],"answers":[0]})"),
      make("choice", R"({"question":"Which are prime?","options":["2","3","4"],"answers":[0,1]})"),
      make("short_answer", R"({"question":"1 + 1 = ? {a: b}","accepted":["2","two"]})"),
      make("cloze", R"({"text":"The {{c1::sun}} is a {{c2::star::kind}}."})"),
      make("matching", R"({"question":"Capitals","pairs":[{"left":"France","right":"Paris"},{"left":"Italy","right":"Rome"}],"distractors":["Lyon"]})"),
      make("numerical", R"({"question":"Pi?","answers":[{"value":3.14,"tolerance":0.01},{"min":3,"max":4}]})"),
      make("numerical", R"({"question":"Desk height?","answers":[{"value":0.75}],"units":[{"unit":"m"}]})"),
      make("ordering", R"({"question":"Mitosis","steps":["Prophase","Metaphase"]})"),
      make("flashcard", R"({"front":"chat","back":"cat"})"),
  };
  const std::string written = gift::write({{"Biology/Week 1", items}});
  EXPECT_NE(written.find("$CATEGORY: $course$/top/Biology//Week 1"), std::string::npos);
  EXPECT_NE(written.find("// Left out: \"Mitosis\" (ordering): GIFT has no such question."), std::string::npos);
  EXPECT_NE(written.find("// Left out: \"Desk height?\": its units"), std::string::npos);
  const auto c = imports::from_gift(written, {});
  ASSERT_EQ(c.size(), 10u);  // the lesson is read back as a description, the cloze as two questions
  EXPECT_EQ(c[0].skipped, "A description, not a question: nothing between { and }.");
  EXPECT_EQ(c[1].kind, "choice");
  EXPECT_EQ(text(c[1].content, "question"), "Who wrote *Hamlet*?");
  EXPECT_EQ(json::serialize(c[1].content.at("answers")), "[0]");
  EXPECT_EQ(json::serialize(c[2].content.at("answers")), "[0,1]");
  EXPECT_EQ(c[3].kind, "short_answer");
  EXPECT_EQ(text(c[3].content, "question"), "1 + 1 = ? {a: b}");
  EXPECT_EQ(json::serialize(c[3].content.at("accepted")), R"(["2","two"])");
  EXPECT_EQ(c[4].kind, "cloze");
  EXPECT_EQ(text(c[4].content, "text"), "The {{c1::sun}} is a star.");
  EXPECT_EQ(text(c[5].content, "text"), "The sun is a {{c1::star}}.");
  EXPECT_EQ(c[6].kind, "matching");
  EXPECT_EQ(json::serialize(c[6].content.at("pairs")), R"([{"left":"France","right":"Paris"},{"left":"Italy","right":"Rome"}])");
  EXPECT_EQ(json::serialize(c[6].content.at("distractors")), R"(["Lyon"])");
  EXPECT_EQ(c[7].kind, "numerical");
  EXPECT_EQ(json::serialize(c[7].content.at("answers")), R"([{"value":3.14E0,"tolerance":1E-2},{"min":3E0,"max":4E0}])");
  EXPECT_EQ(c[8].kind, "numerical");
  EXPECT_EQ(c[9].kind, "short_answer");  // Moodle has no flashcards
  EXPECT_EQ(json::serialize(c[9].content.at("accepted")), R"(["cat"])");
  for (const auto& candidate : c) {
    if (candidate.skipped.empty()) {
      EXPECT_NO_THROW(checked_content(candidate.kind, candidate.content)) << candidate.label;
    }
  }
}

}  // namespace
}  // namespace mnemos::learning
