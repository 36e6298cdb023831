// Full-text search (core/fulltext.hpp): the tokenizer, then indexing and ranking on the database
// under test (SQLite FTS5 with our tokenizer, or PostgreSQL text search).
#include "../support/test_support.hpp"

#include <mnemos/core/db.hpp>
#include <mnemos/core/fulltext.hpp>
#include <mnemos/core/migrations.hpp>

#include <gtest/gtest.h>

#include <algorithm>

namespace mnemos::testing {
namespace {

using fulltext::Language;

TEST(Fold, LowersAndRemovesAccentsOfLatinLetters) {
  EXPECT_EQ(fulltext::fold("Élève À L'ÉCOLE, cœur, Straße, Ærø"), "eleve a l'ecole, coeur, strasse, aero");
  EXPECT_EQ(fulltext::fold("2 × 3 ÷ 4"), "2 × 3 ÷ 4");
  // A decomposed é (e + combining acute) folds like the composed one.
  EXPECT_EQ(fulltext::fold("e\xCC\x81t\xC3\xA9"), "ete");
}

TEST(Words, DropFrenchElisionsAndSplitOnPunctuation) {
  EXPECT_EQ(fulltext::words("L'école d’été, qu'il jusqu'à aujourd'hui"),
            (std::vector<std::string>{"ecole", "ete", "il", "a", "aujourd", "hui"}));
  EXPECT_EQ(fulltext::words("sous-marin: H2O (eau) «vite»"),
            (std::vector<std::string>{"sous", "marin", "h2o", "eau", "vite"}));
  EXPECT_TRUE(fulltext::words("").empty());
  EXPECT_TRUE(fulltext::words("!!! ... ???").empty());
  // Malformed UTF-8 separates words instead of failing.
  EXPECT_EQ(fulltext::words("ab\xFF" "cd"), (std::vector<std::string>{"ab", "cd"}));
}

TEST(Terms, StemFrenchWordsAndDropStopWords) {
  // Plural and singular, with or without accents, give one term.
  EXPECT_EQ(fulltext::terms("Les photosynthèses", Language::french), fulltext::terms("photosynthese", Language::french));
  EXPECT_EQ(fulltext::terms("nationales", Language::french), fulltext::terms("national", Language::french));
  EXPECT_EQ(fulltext::terms("Qu'est-ce que la chlorophylle ?", Language::french),
            fulltext::terms("chlorophylle", Language::french));
  EXPECT_EQ(fulltext::terms("l'énergie", Language::french).size(), 1u);
}

TEST(Terms, StemEnglishWordsAndDropStopWords) {
  EXPECT_EQ(fulltext::terms("What is the running of the plants?", Language::english),
            (std::vector<std::string>{"run", "plant"}));
  EXPECT_EQ(fulltext::terms("Carbon dioxide", Language::english), fulltext::terms("carbon DIOXIDES", Language::english));
}

TEST(GuessLanguage, ByFunctionWords) {
  EXPECT_EQ(fulltext::guess_language("La plante utilise la lumière du soleil pour produire des sucres."),
            Language::french);
  EXPECT_EQ(fulltext::guess_language("The plant uses the light of the sun to make sugars."), Language::english);
  EXPECT_EQ(fulltext::guess_language(""), Language::french);
}

class FullTextSearch : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = db::Database::open(database_.url(), 4);
    db::migrate(*db_, {{"core", core::migration_files()}});
  }
  void put(const std::string& school, const std::string& scope, const std::string& doc, const std::string& body,
           Language language = Language::french) {
    db_->write([&](soci::session& sql) {
      fulltext::put(sql, {school, "test.doc", scope, doc, language, body});
    });
  }
  std::vector<std::string> search(const std::string& school, std::vector<std::string> scopes, const std::string& text,
                                  int limit = 5) {
    return db_->read([&](soci::session& sql) {
      std::vector<std::string> ids;
      for (const auto& hit : fulltext::search(sql, {school, "test.doc", std::move(scopes), text, limit})) {
        ids.push_back(hit.doc_id);
      }
      return ids;
    });
  }
  TestDatabase database_;
  std::unique_ptr<db::Database> db_;
};

TEST_F(FullTextSearch, FindsByStemAccentAndElisionAndRanksTheBestFirst) {
  put("s1", "src1", "p1", "La photosynthèse permet aux plantes de produire des sucres à partir de la lumière.");
  put("s1", "src1", "p2", "Les volcans rejettent des gaz et de la lave lors d'une éruption.");
  put("s1", "src2", "p3", "La chlorophylle capte l'énergie lumineuse ; sans chlorophylle, pas de photosynthèse.");
  const auto photosynthesis = search("s1", {"src1", "src2"}, "Qu'est-ce que la PHOTOSYNTHESE ?");
  ASSERT_EQ(photosynthesis.size(), 2u);  // p1 and p3, not the volcano
  EXPECT_NE(std::find(photosynthesis.begin(), photosynthesis.end(), "p1"), photosynthesis.end());
  EXPECT_EQ(search("s1", {"src1", "src2"}, "chlorophylle").front(), "p3");
  EXPECT_EQ(search("s1", {"src1", "src2"}, "éruptions volcaniques"), (std::vector<std::string>{"p2"}));
  EXPECT_EQ(search("s1", {"src1", "src2"}, "l'energie"), (std::vector<std::string>{"p3"}));
  // Only the scopes asked for, only the school asked for.
  EXPECT_EQ(search("s1", {"src2"}, "photosynthèse"), (std::vector<std::string>{"p3"}));
  EXPECT_TRUE(search("s2", {"src1", "src2"}, "photosynthèse").empty());
  EXPECT_TRUE(search("s1", {}, "photosynthèse").empty());
  // Stop words alone, punctuation or FTS syntax find nothing and fail nothing.
  EXPECT_TRUE(search("s1", {"src1"}, "le la les").empty());
  EXPECT_TRUE(search("s1", {"src1"}, "\" OR * NEAR( ) : ^ -").empty());
  EXPECT_TRUE(search("s1", {"src1"}, "'; DROP TABLE core_fulltext; --").empty());
}

TEST_F(FullTextSearch, RanksRareTermsAboveCommonOnes) {
  for (int i = 0; i < 8; ++i) put("s1", "src", "common" + std::to_string(i), "La cellule vit. La cellule respire.");
  put("s1", "src", "rare", "La mitochondrie est dans la cellule.");
  EXPECT_EQ(search("s1", {"src"}, "mitochondrie cellule", 1), (std::vector<std::string>{"rare"}));
}

TEST_F(FullTextSearch, SearchesEachDocumentInItsOwnLanguage) {
  put("s1", "src", "fr", "Les plantes vertes fabriquent leur nourriture.", Language::french);
  put("s1", "src", "en", "Green plants are making their own food.", Language::english);
  EXPECT_EQ(search("s1", {"src"}, "make food"), (std::vector<std::string>{"en"}));
  EXPECT_EQ(search("s1", {"src"}, "nourritures"), (std::vector<std::string>{"fr"}));
  const auto both = search("s1", {"src"}, "plant");
  EXPECT_EQ(both.size(), 2u);
}

TEST_F(FullTextSearch, PutAgainReplacesAndRemoveScopeForgets) {
  put("s1", "src", "p1", "Le volcan gronde.");
  put("s1", "src", "p1", "La marée monte.");
  EXPECT_TRUE(search("s1", {"src"}, "volcan").empty());
  EXPECT_EQ(search("s1", {"src"}, "marées"), (std::vector<std::string>{"p1"}));
  put("s1", "other", "p2", "La marée descend.");
  db_->write([](soci::session& sql) { fulltext::remove_scope(sql, "s1", "test.doc", "src"); });
  EXPECT_TRUE(search("s1", {"src"}, "marée").empty());
  EXPECT_EQ(search("s1", {"other"}, "marée"), (std::vector<std::string>{"p2"}));
  // The index agrees with its table (SQLite: the FTS5 integrity check reads both).
  if (!database_.is_postgresql()) {
    db_->write([](soci::session& sql) {
      sql << "INSERT INTO core_fulltext_french (core_fulltext_french) VALUES ('integrity-check')";
    });
  }
}

}  // namespace
}  // namespace mnemos::testing
