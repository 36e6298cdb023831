// A source read as text and cut into passages (documents.hpp): no database, no server.
#include <mnemos/core/error.hpp>

#include "../src/documents.hpp"
#include "pdf_writer.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>

namespace mnemos::ai {
namespace {

std::string words(int count, const std::string& word = "mot") {
  std::string text;
  for (int i = 0; i < count; ++i) text += (i ? " " : "") + word + std::to_string(i % 50);
  return text;
}

std::optional<ErrorCode> code_of(std::string_view type, std::string_view name, std::string_view bytes) {
  try {
    identify_source(type, name, bytes);
  } catch (const Error& e) {
    return e.code();
  }
  ADD_FAILURE() << "accepted " << name;
  return std::nullopt;
}

TEST(IdentifySource, ByDeclaredTypeNameAndBytes) {
  EXPECT_EQ(identify_source("application/pdf", "cours.pdf", "%PDF-1.7\n..."), SourceKind::pdf);
  EXPECT_EQ(identify_source("application/octet-stream", "cours.pdf", "%PDF-1.4"), SourceKind::pdf);
  EXPECT_EQ(identify_source("text/markdown; charset=utf-8", "a", "# Titre"), SourceKind::markdown);
  EXPECT_EQ(identify_source("text/plain", "notes.md", "# Titre"), SourceKind::markdown);
  EXPECT_EQ(identify_source("text/plain", "notes.txt", "Bonjour"), SourceKind::text);
  EXPECT_EQ(identify_source("text/html", "page", "<p>Bonjour</p>"), SourceKind::html);
  EXPECT_EQ(identify_source("", "page.htm", "<p>Bonjour</p>"), SourceKind::html);
  EXPECT_EQ(identify_source("text/plain", "bom.txt", "\xEF\xBB\xBFol\xC3\xA9"), SourceKind::text);
}

TEST(IdentifySource, RefusesWhatItCannotRead) {
  EXPECT_EQ(code_of("application/pdf", "empty.pdf", ""), ErrorCode::invalid);
  EXPECT_EQ(code_of("application/pdf", "zip.pdf", std::string("PK\x03\x04rest", 8)), ErrorCode::invalid);
  EXPECT_EQ(code_of("application/pdf", "fake.pdf", "Hello, I am text"), ErrorCode::invalid);
  EXPECT_EQ(code_of("text/plain", "sneaky.txt", "%PDF-1.4 ..."), ErrorCode::invalid);
  EXPECT_EQ(code_of("text/plain", "latin1.txt", "caf\xE9"), ErrorCode::invalid);
  EXPECT_EQ(code_of("text/plain", "nul.txt", std::string("a\0b", 3)), ErrorCode::invalid);
  EXPECT_EQ(code_of("image/png", "p.png", "\x89PNG\r\n"), ErrorCode::invalid);
  EXPECT_EQ(code_of("application/msword", "d.doc", "text"), ErrorCode::unsupported_media);
  EXPECT_EQ(code_of("", "noextension", "text"), ErrorCode::unsupported_media);
}

TEST(Blocks, MarkdownKeepsHeadingsAndCodeAndFormulasWhole) {
  const auto blocks = blocks_of_text(SourceKind::markdown,
                                     "# Chapitre 1\n\nIntro line one\nline two.\n\n## Section\n\n```\nint x = 1;\n\nint y = 2;\n```\n\n"
                                     "$$\na^2 + b^2 = c^2\n$$\n\nTitre souligné\n===\n\nFin.");
  ASSERT_EQ(blocks.size(), 7u);
  EXPECT_EQ(blocks[0].kind, Block::Kind::heading);
  EXPECT_EQ(blocks[0].text, "Chapitre 1");
  EXPECT_EQ(blocks[1].text, "Intro line one line two.");
  EXPECT_EQ(blocks[2].level, 2);
  EXPECT_EQ(blocks[3].kind, Block::Kind::whole);
  EXPECT_NE(blocks[3].text.find("int y = 2;"), std::string::npos);  // the blank line inside stays
  EXPECT_EQ(blocks[4].kind, Block::Kind::whole);
  EXPECT_NE(blocks[4].text.find("a^2 + b^2"), std::string::npos);
  EXPECT_EQ(blocks[5].text, "Titre souligné");
  EXPECT_EQ(blocks[5].level, 1);
}

TEST(Blocks, HtmlKeepsTheTextPeopleReadAndNothingElse) {
  const auto blocks = blocks_of_text(
      SourceKind::html,
      "<html><head><style>p{color:red}</style><script>alert('x')</script></head><body>"
      "<h1>La cellule</h1><p>Une <b>cellule</b> est l&#39;unit&eacute; du vivant &amp; plus.</p><!-- note -->"
      "<ul><li>noyau</li><li>membrane</li></ul><pre><code>&lt;tag&gt;</code></pre></body></html>");
  std::string all;
  for (const auto& b : blocks) all += b.text + "|";
  EXPECT_EQ(blocks.at(0).kind, Block::Kind::heading);
  EXPECT_EQ(blocks.at(0).text, "La cellule");
  EXPECT_NE(all.find("Une cellule est l'unité du vivant & plus."), std::string::npos) << all;
  EXPECT_NE(all.find("noyau"), std::string::npos);
  EXPECT_NE(all.find("<tag>"), std::string::npos);  // code shown as text
  EXPECT_EQ(all.find("alert"), std::string::npos);
  EXPECT_EQ(all.find("color"), std::string::npos);
  EXPECT_EQ(all.find("note"), std::string::npos);
}

TEST(Blocks, ATextWithoutWordsIsRefused) {
  EXPECT_THROW(blocks_of_text(SourceKind::markdown, "# \n\n---\n\n   \n"), Error);
  EXPECT_THROW(blocks_of_text(SourceKind::html, "<script>only()</script>"), Error);
}

TEST(Passages, FollowHeadingsAndStayWithinTheirSize) {
  std::vector<Block> blocks = {{Block::Kind::heading, 1, "Chapitre", 0}, {Block::Kind::heading, 2, "Partie A", 0}};
  for (int i = 0; i < 12; ++i) blocks.push_back({Block::Kind::paragraph, 0, words(60) + ".", 0});
  blocks.push_back({Block::Kind::heading, 2, "Partie B", 0});
  blocks.push_back({Block::Kind::paragraph, 0, "Court paragraphe.", 0});
  const auto passages = split_passages(blocks);
  ASSERT_GE(passages.size(), 4u);
  for (std::size_t i = 0; i + 1 < passages.size(); ++i) {
    EXPECT_EQ(passages[i].heading, "Chapitre › Partie A");
    // Only the last passage of a section may be short.
    if (passages[i + 1].heading == passages[i].heading) {
      EXPECT_GE(passages[i].words, 150);
    }
    EXPECT_LE(passages[i].words, 350);
  }
  EXPECT_EQ(passages.back().heading, "Chapitre › Partie B");
  EXPECT_EQ(passages.back().text, "Court paragraphe.");
}

TEST(Passages, CutLongParagraphsAtSentencesWithOverlapAndKeepCodeWhole) {
  std::string long_paragraph;
  for (int i = 0; i < 60; ++i) long_paragraph += "Phrase numero " + std::to_string(i) + " avec quelques mots de plus. ";
  std::string code = "```\n" + words(400, "x") + "\n```";
  const auto passages = split_passages({{Block::Kind::paragraph, 0, long_paragraph, 3}, {Block::Kind::whole, 0, code, 4}});
  ASSERT_GE(passages.size(), 3u);
  // The second passage starts with the last sentence of the first (overlap).
  const auto& first = passages[0].text;
  const auto last_sentence = first.substr(first.rfind("Phrase numero"));
  EXPECT_EQ(passages[1].text.rfind(last_sentence, 0), 0u) << passages[1].text.substr(0, 80);
  EXPECT_EQ(passages[0].page, 3);
  const auto whole = std::find_if(passages.begin(), passages.end(), [&](const Passage& p) { return p.text == code; });
  EXPECT_NE(whole, passages.end()) << "the code block was cut";
}

TEST(Pdf, ReadsThePagesTextAndGuessesHeadings) {
  const auto pdf = test::text_pdf({{"Chapitre 1", "La photosynthèse transforme la lumière en sucres.", "",
                                    "Elle a lieu dans les chloroplastes des cellules végétales."},
                                   {"Second page, second line."}});
  const auto pages = pdf_pages(pdf);
  ASSERT_EQ(pages.size(), 2u);
  EXPECT_NE(pages[0].find("photosynthèse"), std::string::npos) << pages[0];
  const auto blocks = blocks_of_pdf(pages);
  ASSERT_FALSE(blocks.empty());
  EXPECT_EQ(blocks[0].kind, Block::Kind::heading);
  EXPECT_EQ(blocks[0].text, "Chapitre 1");
  EXPECT_EQ(blocks.back().page, 2);
}

TEST(Pdf, NamesTheCauseOfWhatItCannotRead) {
  auto message_of = [](const std::string& bytes) {
    try {
      pdf_pages(bytes);
    } catch (const SourceError& e) {
      return e.message;
    }
    return std::string("read");
  };
  EXPECT_NE(message_of("%PDF-1.4\ngarbage garbage").find("damaged"), std::string::npos);
  EXPECT_NE(message_of(test::encrypted_pdf()).find("password"), std::string::npos);
  EXPECT_NE(message_of(test::pictures_only_pdf()).find("no text layer"), std::string::npos);
  // 64 MiB of nothing behind 64 KiB: read within bounds, and found empty.
  EXPECT_NE(message_of(test::bomb_pdf(64u << 20)).find("no text layer"), std::string::npos);
}

}  // namespace
}  // namespace mnemos::ai
