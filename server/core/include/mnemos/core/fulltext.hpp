#pragma once
// Full-text search in French and English, the same interface on both databases: SQLite FTS5 with
// our own tokenizer (Snowball stemming, accents, elisions and case folded; bm25 ranking) and
// PostgreSQL text search (`mnemos_french` / `mnemos_english`: the built-in configurations with
// `unaccent`). A module indexes documents of its own kind (`ai.passage`, later chat messages) in
// one shared table, each within a school and a scope (a path, a conversation) it filters on.
// Included by repositories (module src/) only.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace soci {
class session;
}

namespace mnemos::fulltext {

enum class Language { french, english };

// "french" / "english" (also "fr", "en"), nullopt otherwise.
std::optional<Language> parse_language(std::string_view text);
std::string_view language_name(Language language);

// Lower case with accents removed (é -> e, œ -> oe, ß -> ss), for comparing words the way a
// reader would. Latin scripts only; other characters are kept as they are.
std::string fold(std::string_view text);

// The words of `text`, in order, as a reader sees them: split on spaces, punctuation, hyphens and
// apostrophes, French elisions (l', d', qu', jusqu'...) dropped, folded. No stemming.
std::vector<std::string> words(std::string_view text);
// The same words with where each stands in `text` (byte offsets), to mark or mask them.
struct WordSpan {
  std::string folded;
  std::size_t start = 0;
  std::size_t end = 0;
};
std::vector<WordSpan> word_spans(std::string_view text);

// The index terms of `text`: its words without stop words, stemmed (Snowball) and folded.
// What the SQLite tokenizer emits, and what a query is matched with.
std::vector<std::string> terms(std::string_view text, Language language);
bool is_stop_word(std::string_view folded_word, Language language);

// Guesses the language of a text from its stop words (French unless English ones dominate).
Language guess_language(std::string_view text);

struct Document {
  std::string school_id;
  std::string kind;      // the owning module's kind, e.g. "ai.passage"
  std::string scope_id;  // what searches filter on, e.g. a source id
  std::string doc_id;    // unique within the kind
  Language language = Language::french;
  std::string body;
};

// Adds or replaces (same kind and doc_id) a document. Runs in the caller's write transaction.
void put(soci::session& sql, const Document& document);
// Removes the documents of a kind within a scope (all of a source's passages).
void remove_scope(soci::session& sql, std::string_view school_id, std::string_view kind, std::string_view scope_id);

struct Query {
  std::string school_id;
  std::string kind;
  std::vector<std::string> scope_ids;  // documents in any of these scopes; empty: nothing found
  std::string text;                    // natural language: any of its terms may match
  int limit = 5;
};
struct Hit {
  std::string doc_id;
  std::string scope_id;
  double score = 0;  // higher is better; comparable within one search only
};
// The best documents for `query.text`, best first. Documents of both languages are searched,
// each with the query's terms in its own language, and the two lists merged by rank.
std::vector<Hit> search(soci::session& sql, const Query& query);

namespace detail {
// Registers the `mnemos` FTS5 tokenizer on an SQLite connection (`sqlite3*`). Called by Database
// for every connection it opens.
void register_sqlite_tokenizer(void* connection);
}  // namespace detail

}  // namespace mnemos::fulltext
