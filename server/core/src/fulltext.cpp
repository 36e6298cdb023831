#include "mnemos/core/fulltext.hpp"

#include <libstemmer.h>
#include <soci/soci.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <unordered_set>

#include "fulltext_terms.hpp"
#include "mnemos/core/json.hpp"
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

namespace mnemos::fulltext {
namespace {

// One UTF-8 code point at `pos` (advanced past it); U+FFFD for a malformed byte.
char32_t next_code_point(std::string_view text, std::size_t& pos) {
  const auto byte = static_cast<unsigned char>(text[pos]);
  int length = 1;
  char32_t cp = byte;
  if (byte >= 0xF0 && byte < 0xF8) {
    length = 4;
    cp = byte & 0x07;
  } else if (byte >= 0xE0) {
    length = byte < 0xF0 ? 3 : 1;
    cp = byte & 0x0F;
  } else if (byte >= 0xC0) {
    length = 2;
    cp = byte & 0x1F;
  } else if (byte >= 0x80) {
    ++pos;
    return 0xFFFD;
  }
  if (length == 1 && byte >= 0x80) {
    ++pos;
    return 0xFFFD;
  }
  if (pos + length > text.size()) {
    pos = text.size();
    return 0xFFFD;
  }
  for (int i = 1; i < length; ++i) {
    const auto continuation = static_cast<unsigned char>(text[pos + i]);
    if ((continuation & 0xC0) != 0x80) {
      pos += i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (continuation & 0x3F);
  }
  pos += length;
  return cp;
}

// Latin-1 letters U+00C0..U+00FF, lower case without accent ("" for × and ÷).
constexpr std::array<const char*, 64> kLatin1 = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",   //
    "d", "n", "o", "o", "o", "o", "o", "",  "o", "u", "u", "u", "u", "y", "th", "ss",  //
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",   //
    "d", "n", "o", "o", "o", "o", "o", "",  "o", "u", "u", "u", "u", "y", "th", "y"};

// Latin Extended-A U+0100..U+017F by ranges of one base letter.
struct Range {
  char32_t last;
  const char* base;
};
constexpr std::array<Range, 22> kLatinExtendedA = {{{0x105, "a"},  {0x10D, "c"}, {0x111, "d"}, {0x11B, "e"},
                                                   {0x123, "g"},  {0x127, "h"}, {0x131, "i"}, {0x133, "ij"},
                                                   {0x135, "j"},  {0x138, "k"}, {0x142, "l"}, {0x14B, "n"},
                                                   {0x151, "o"},  {0x153, "oe"}, {0x159, "r"}, {0x161, "s"},
                                                   {0x167, "t"},  {0x173, "u"}, {0x175, "w"}, {0x178, "y"},
                                                   {0x17E, "z"},  {0x17F, "s"}}};

bool is_apostrophe(char32_t cp) { return cp == '\'' || cp == 0x2019 || cp == 0x02BC; }

// Letters and digits make words; everything else separates them. Outside ASCII, the punctuation
// and symbol blocks separate, the rest (letters of every script) joins.
bool is_word_char(char32_t cp) {
  if (cp < 0x80) return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  if (cp < 0xC0) return false;                        // Latin-1 punctuation: « » ° · ...
  if (cp == 0xD7 || cp == 0xF7) return false;         // × ÷
  if (cp >= 0x2000 && cp <= 0x2BFF) return false;     // punctuation, arrows, mathematical symbols
  if (cp >= 0x3000 && cp <= 0x303F) return false;     // CJK punctuation
  if (cp >= 0xFE30 && cp <= 0xFE4F) return false;
  if (cp >= 0xFF00 && cp <= 0xFF0F) return false;
  if (cp == 0xFFFD) return false;
  return true;
}

// Appends the folded form of a word character; combining accents (U+0300..U+036F) vanish.
void append_folded(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp >= 'A' && cp <= 'Z' ? cp + ('a' - 'A') : cp));
  } else if (cp >= 0xC0 && cp <= 0xFF) {
    out += kLatin1[cp - 0xC0];
  } else if (cp >= 0x100 && cp <= 0x17F) {
    for (const auto& range : kLatinExtendedA) {
      if (cp <= range.last) {
        out += range.base;
        break;
      }
    }
  } else if (cp >= 0x300 && cp <= 0x36F) {
    // combining accent of a decomposed letter
  } else {
    json::append_utf8(out, cp);
  }
}

struct Stemmer {
  sb_stemmer* handle;
  explicit Stemmer(const char* algorithm) : handle(sb_stemmer_new(algorithm, "UTF_8")) {
    if (handle == nullptr) throw std::runtime_error(std::string("no Snowball stemmer for ") + algorithm);
  }
  ~Stemmer() { sb_stemmer_delete(handle); }
  Stemmer(const Stemmer&) = delete;
  Stemmer& operator=(const Stemmer&) = delete;
  std::string stem(const std::string& word) {
    const sb_symbol* stemmed =
        sb_stemmer_stem(handle, reinterpret_cast<const sb_symbol*>(word.data()), static_cast<int>(word.size()));
    if (stemmed == nullptr) return word;  // out of memory: the word as it is
    return {reinterpret_cast<const char*>(stemmed), static_cast<std::size_t>(sb_stemmer_length(handle))};
  }
};

// Snowball stemmers keep state: one pair per thread.
std::string stem(const std::string& word, Language language) {
  thread_local Stemmer french("french");
  thread_local Stemmer english("english");
  return language == Language::french ? french.stem(word) : english.stem(word);
}

const std::unordered_set<std::string_view>& french_elisions() {
  static const std::unordered_set<std::string_view> set = {"l", "d", "j", "m", "n", "s", "t", "c", "qu",
                                                            "jusqu", "lorsqu", "puisqu", "quoiqu", "presqu"};
  return set;
}

// Function words, folded. Mostly the Snowball lists' words, with question words added: a
// student's "Qu'est-ce que..." must not weigh in a search.
const std::unordered_set<std::string_view>& stop_words(Language language) {
  static const std::unordered_set<std::string_view> french = {
      "a", "ai", "aie", "aient", "ait", "alors", "as", "au", "aucun", "aussi", "autre", "aux", "avaient", "avais",
      "avait", "avant", "avec", "avez", "avoir", "avons", "ayant", "c", "ca", "car", "ce", "ceci", "cela", "celle",
      "celles", "celui", "ces", "cet", "cette", "ceux", "chaque", "chez", "combien", "comme", "comment", "d", "dans",
      "de", "des", "donc", "dont", "du", "elle", "elles", "en", "encore", "entre", "es", "est", "et", "etaient",
      "etais", "etait", "etant", "ete", "etes", "etre", "eu", "eux", "fait", "ici", "il", "ils", "j", "je", "l",
      "la", "le", "les", "leur", "leurs", "lui", "m", "ma", "mais", "me", "meme", "memes", "mes", "moi", "mon",
      "n", "ne", "ni", "nos", "notre", "nous", "on", "ont", "ou", "par", "parce", "pas", "peu", "plus", "pour",
      "pourquoi", "qu", "quand", "que", "quel", "quelle", "quelles", "quels", "qui", "quoi", "s", "sa", "sans",
      "se", "sera", "seront", "ses", "si", "sinon", "soit", "son", "sont", "sous", "suis", "sur", "t", "ta",
      "te", "tes", "toi", "ton", "tous", "tout", "toute", "toutes", "tres", "tu", "un", "une", "unes", "uns",
      "vers", "voici", "voila", "vos", "votre", "vous", "y"};
  static const std::unordered_set<std::string_view> english = {
      "a", "about", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be",
      "because", "been", "before", "being", "both", "but", "by", "can", "could", "d", "did", "do", "does",
      "doing", "don", "during", "each", "few", "for", "from", "further", "had", "has", "have", "having", "he",
      "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it",
      "its", "itself", "just", "ll", "m", "me", "more", "most", "my", "myself", "no", "nor", "not", "of", "off",
      "on", "once", "only", "or", "other", "our", "ours", "out", "over", "own", "re", "s", "same", "she",
      "should", "so", "some", "such", "t", "than", "that", "the", "their", "theirs", "them", "then", "there",
      "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "ve", "very", "was",
      "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would",
      "you", "your", "yours", "yourself"};
  return language == Language::french ? french : english;
}

}  // namespace

namespace detail {

void for_each_word(std::string_view text, const std::function<void(const Word&)>& on_word) {
  std::size_t pos = 0;
  Word word;
  auto flush = [&](bool before_apostrophe) {
    if (word.folded.empty()) return;
    // "l'école": the elided article goes, the noun stays.
    if (!(before_apostrophe && french_elisions().contains(word.folded))) on_word(word);
    word.folded.clear();
  };
  while (pos < text.size()) {
    const std::size_t start = pos;
    const char32_t cp = next_code_point(text, pos);
    if (is_word_char(cp) || (cp >= 0x300 && cp <= 0x36F && !word.folded.empty())) {
      if (word.folded.empty()) word.start = start;
      append_folded(word.folded, cp);
      word.end = pos;
    } else {
      flush(is_apostrophe(cp));
    }
  }
  flush(false);
}

void for_each_term(std::string_view text, Language language,
                   const std::function<void(const std::string&, const Word&)>& on_term) {
  const auto& stops = stop_words(language);
  for_each_word(text, [&](const Word& word) {
    if (stops.contains(word.folded)) return;
    // A lone letter is an initial or a variable, not a word to search by (digits stay).
    if (word.folded.size() == 1 && !(word.folded[0] >= '0' && word.folded[0] <= '9')) return;
    // Folded before stemming, as PostgreSQL's configurations do (unaccent, then the stemmer): a
    // word typed without its accents finds the word written with them.
    on_term(stem(word.folded, language), word);
  });
}

}  // namespace detail

std::optional<Language> parse_language(std::string_view text) {
  if (text == "french" || text == "fr") return Language::french;
  if (text == "english" || text == "en") return Language::english;
  return std::nullopt;
}

std::string_view language_name(Language language) {
  return language == Language::french ? "french" : "english";
}

std::string fold(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    const char32_t cp = next_code_point(text, pos);
    if (cp == 0xFFFD) {
      out += "\xEF\xBF\xBD";
    } else if (cp >= 0xC0 && cp <= 0xFF && kLatin1[cp - 0xC0][0] == '\0') {
      json::append_utf8(out, cp);  // × ÷
    } else {
      append_folded(out, cp);
    }
  }
  return out;
}

std::vector<std::string> words(std::string_view text) {
  std::vector<std::string> out;
  detail::for_each_word(text, [&](const detail::Word& word) { out.push_back(word.folded); });
  return out;
}

std::vector<WordSpan> word_spans(std::string_view text) {
  std::vector<WordSpan> out;
  detail::for_each_word(text, [&](const detail::Word& word) { out.push_back({word.folded, word.start, word.end}); });
  return out;
}

std::vector<std::string> terms(std::string_view text, Language language) {
  std::vector<std::string> out;
  detail::for_each_term(text, language, [&](const std::string& term, const detail::Word&) { out.push_back(term); });
  return out;
}

bool is_stop_word(std::string_view folded_word, Language language) {
  return stop_words(language).contains(folded_word);
}

namespace {
// How many of a text's words are function words of only one of the two languages.
std::pair<int, int> language_evidence(std::string_view text) {
  int french = 0;
  int english = 0;
  const auto& french_stops = stop_words(Language::french);
  const auto& english_stops = stop_words(Language::english);
  detail::for_each_word(text, [&](const detail::Word& word) {
    const bool in_french = french_stops.contains(word.folded);
    const bool in_english = english_stops.contains(word.folded);
    if (in_french && !in_english) ++french;
    if (in_english && !in_french) ++english;
  });
  return {french, english};
}
}  // namespace

Language guess_language(std::string_view text) {
  const auto [french, english] = language_evidence(text);
  return english > french ? Language::english : Language::french;
}

// ---- storage ------------------------------------------------------------------------------------

namespace {

bool is_sqlite(soci::session& sql) { return sql.get_backend_name() == "sqlite3"; }

// Up to this many scopes (a path's sources), a search ranks within them by bm25 and, on SQLite,
// matches its scopes inside the index; past it (a whole school) the cheaper way of each database.
constexpr std::size_t kScopesMatched = 16;

std::string_view configuration(Language language) {
  return language == Language::french ? "mnemos_french" : "mnemos_english";
}

// The query's words, each once, without the stop words of `language`: what may match.
std::vector<std::string> query_words(std::string_view text, Language language) {
  std::vector<std::string> out;
  detail::for_each_term(text, language, [&](const std::string&, const detail::Word& word) {
    if (std::find(out.begin(), out.end(), word.folded) == out.end()) out.push_back(word.folded);
  });
  if (out.size() > 32) out.resize(32);  // a question, not a book
  return out;
}

std::string scopes_json(const std::vector<std::string>& scope_ids) {
  boost::json::array array;
  for (const auto& id : scope_ids) array.emplace_back(id);
  return boost::json::serialize(array);
}

std::vector<Hit> search_language(soci::session& sql, const Query& query, Language language) {
  const auto words = query_words(query.text, language);
  if (words.empty()) return {};
  const std::string scopes = scopes_json(query.scope_ids);
  const std::string language_text(language_name(language));
  std::vector<Hit> hits;
  Hit hit;
  // Bound by reference: declared before the statement, alive until it has run.
  std::string match;
  std::string tsquery;
  std::string words_text;  // the words, for PostgreSQL to stem as it stemmed the documents
  for (const auto& word : words) words_text += word + " ";
  const std::string config(configuration(language));
  soci::statement statement(sql);
  if (is_sqlite(sql)) {
    // Each word a quoted phrase, joined by OR: the table's tokenizer stems it as it stemmed the
    // documents. Words hold only letters and digits, so no quote can end a phrase early.
    // The scopes are phrases of the scope column: FTS5 intersects them with the words' matches
    // before it ranks anything (the scope column weighs 0 in bm25).
    std::string words_match;
    for (const auto& word : words) words_match += (words_match.empty() ? "\"" : " OR \"") + word + "\"";
    std::string scopes_match;
    for (const auto& scope : query.scope_ids) {
      std::string quoted;
      for (const char c : scope) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
      scopes_match += (scopes_match.empty() ? "\"" : " OR \"") + quoted + "\"";
    }
    // Past a few scopes, matching each phrase costs more than ranking the school's matches.
    match = query.scope_ids.size() <= kScopesMatched ? "{scope_id} : (" + scopes_match + ") AND {body} : (" + words_match + ")"
                                                     : words_match;
    const std::string table = "core_fulltext_" + language_text;
    statement = (sql.prepare << "SELECT f.doc_id, f.scope_id, -bm25(" + table + ", 1.0, 0.0) FROM " + table +
                                    " JOIN core_fulltext f ON f.id = " + table + ".rowid WHERE " + table +
                                    " MATCH :match AND f.school_id = :school AND f.kind = :kind AND "
                                    "f.scope_id IN (SELECT value FROM json_each(:scopes)) "
                                    "ORDER BY bm25(" + table + ", 1.0, 0.0) LIMIT :limit",
                 soci::use(match), soci::use(query.school_id), soci::use(query.kind), soci::use(scopes),
                 soci::use(query.limit), soci::into(hit.doc_id), soci::into(hit.scope_id), soci::into(hit.score));
  } else {
    for (const auto& word : words) tsquery += (tsquery.empty() ? "'" : " | '") + word + "'";
    if (query.scope_ids.size() > kScopesMatched) {
      // Many scopes (a whole school): the GIN index and ts_rank_cd, an order of magnitude quicker
      // there than the bm25 below, which reads every matching document's stems.
      statement = (sql.prepare << "SELECT doc_id, scope_id, ts_rank_cd(terms, q, 1) AS score "
                                  "FROM core_fulltext, to_tsquery(CAST(:config AS regconfig), :tsquery) q "
                                  "WHERE school_id = :school AND kind = :kind AND language = :language "
                                  "AND scope_id = ANY (ARRAY(SELECT json_array_elements_text(CAST(:scopes AS json)))) "
                                  "AND terms @@ q ORDER BY score DESC, doc_id LIMIT :limit",
                   soci::use(config), soci::use(tsquery), soci::use(query.school_id), soci::use(query.kind),
                   soci::use(language_text), soci::use(scopes), soci::use(query.limit), soci::into(hit.doc_id),
                   soci::into(hit.scope_id), soci::into(hit.score));
      statement.execute();
      while (statement.fetch()) hits.push_back(hit);
      return hits;
    }
    // bm25 as SQLite computes it (k1 = 1.2, b = 0.75), over the searched scopes: ts_rank_cd knows no
    // inverse document frequency, and ranked a passage repeating a common word of the question
    // above the one holding its rare word. A document's length is its count of distinct stems.
    statement = (sql.prepare << "WITH query AS (SELECT to_tsquery(CAST(:config AS regconfig), :tsquery) AS q), "
                                "scope AS MATERIALIZED (SELECT doc_id, scope_id, terms FROM core_fulltext "
                                "WHERE school_id = :school AND kind = :kind AND language = :language AND "
                                "scope_id = ANY (ARRAY(SELECT json_array_elements_text(CAST(:scopes AS json))))), "
                                "stats AS (SELECT COUNT(*) AS n, GREATEST(AVG(length(terms)), 1) AS average FROM scope), "
                                "stems AS (SELECT lexeme FROM unnest(to_tsvector(CAST(:config2 AS regconfig), :words))), "
                                "hits AS (SELECT s.doc_id, s.scope_id, length(s.terms) AS size, u.lexeme, "
                                "COALESCE(array_length(u.positions, 1), 1) AS tf FROM scope s, query, unnest(s.terms) u "
                                "WHERE s.terms @@ query.q AND u.lexeme IN (SELECT lexeme FROM stems)), "
                                "frequency AS (SELECT lexeme, COUNT(*) AS df FROM hits GROUP BY lexeme) "
                                "SELECT h.doc_id, h.scope_id, CAST(SUM(ln(1 + (stats.n - f.df + 0.5) / (f.df + 0.5)) * "
                                "h.tf * 2.2 / (h.tf + 1.2 * (0.25 + 0.75 * h.size / stats.average))) AS double precision) AS score "
                                "FROM hits h JOIN frequency f ON f.lexeme = h.lexeme CROSS JOIN stats "
                                "GROUP BY h.doc_id, h.scope_id ORDER BY score DESC, h.doc_id LIMIT :limit",
                 soci::use(config), soci::use(tsquery), soci::use(query.school_id), soci::use(query.kind),
                 soci::use(language_text), soci::use(scopes), soci::use(config), soci::use(words_text),
                 soci::use(query.limit), soci::into(hit.doc_id), soci::into(hit.scope_id), soci::into(hit.score));
  }
  statement.execute();
  while (statement.fetch()) hits.push_back(hit);
  return hits;
}

}  // namespace

void put(soci::session& sql, const Document& document) {
  const std::string language(language_name(document.language));
  if (is_sqlite(sql)) {
    // A document put again replaces its text: the old text leaves the index first.
    for (const std::string old_language : {"french", "english"}) {
      sql << "INSERT INTO core_fulltext_" + old_language + " (core_fulltext_" + old_language +
                 ", rowid, body, scope_id) SELECT 'delete', id, body, scope_id FROM core_fulltext WHERE kind = :kind "
                 "AND doc_id = :doc "
                 "AND language = :language",
          soci::use(document.kind), soci::use(document.doc_id), soci::use(old_language);
    }
    sql << "DELETE FROM core_fulltext WHERE kind = :kind AND doc_id = :doc", soci::use(document.kind),
        soci::use(document.doc_id);
    sql << "INSERT INTO core_fulltext (school_id, kind, scope_id, doc_id, language, body) "
           "VALUES (:school, :kind, :scope, :doc, :language, :body)",
        soci::use(document.school_id), soci::use(document.kind), soci::use(document.scope_id),
        soci::use(document.doc_id), soci::use(language), soci::use(document.body);
    std::int64_t id = 0;
    sql << "SELECT last_insert_rowid()", soci::into(id);
    sql << "INSERT INTO core_fulltext_" + language + " (rowid, body, scope_id) VALUES (:id, :body, :scope)",
        soci::use(id), soci::use(document.body), soci::use(document.scope_id);
  } else {
    const std::string config(configuration(document.language));
    sql << "INSERT INTO core_fulltext (school_id, kind, scope_id, doc_id, language, body, terms) "
           "VALUES (:school, :kind, :scope, :doc, :language, :body, to_tsvector(CAST(:config AS regconfig), :body2)) "
           "ON CONFLICT (kind, doc_id) DO UPDATE SET school_id = EXCLUDED.school_id, scope_id = EXCLUDED.scope_id, "
           "language = EXCLUDED.language, body = EXCLUDED.body, terms = EXCLUDED.terms",
        soci::use(document.school_id), soci::use(document.kind), soci::use(document.scope_id),
        soci::use(document.doc_id), soci::use(language), soci::use(document.body), soci::use(config),
        soci::use(document.body);
  }
}

void remove_scope(soci::session& sql, std::string_view school_id, std::string_view kind, std::string_view scope_id) {
  const std::string school(school_id);
  const std::string kind_text(kind);
  const std::string scope(scope_id);
  if (is_sqlite(sql)) {
    // An external-content FTS5 table forgets a row only when told its indexed text.
    for (const std::string language : {"french", "english"}) {
      sql << "INSERT INTO core_fulltext_" + language + " (core_fulltext_" + language +
                 ", rowid, body, scope_id) SELECT 'delete', id, body, scope_id FROM core_fulltext "
                 "WHERE school_id = :school "
                 "AND kind = :kind AND scope_id = :scope AND language = :language",
          soci::use(school), soci::use(kind_text), soci::use(scope), soci::use(language);
    }
  }
  sql << "DELETE FROM core_fulltext WHERE school_id = :school AND kind = :kind AND scope_id = :scope",
      soci::use(school), soci::use(kind_text), soci::use(scope);
}

std::vector<Hit> search(soci::session& sql, const Query& query) {
  if (query.scope_ids.empty() || query.limit <= 0) return {};
  auto french = search_language(sql, query, Language::french);
  auto english = search_language(sql, query, Language::english);
  if (english.empty()) return french;
  if (french.empty()) return english;
  // Scores of two indexes do not compare; ranks do (reciprocal rank fusion). A question that says
  // its language ("Qu'est-ce que...", "What is...") ranks that language's passages first: the other
  // index only matched words the two languages share.
  const auto [french_words, english_words] = language_evidence(query.text);
  const double french_weight = english_words > french_words ? 0.25 : 1.0;
  const double english_weight = french_words > english_words ? 0.25 : 1.0;
  std::map<std::string, Hit> merged;
  for (const auto& [list, weight] : {std::pair{&french, french_weight}, std::pair{&english, english_weight}}) {
    for (std::size_t rank = 0; rank < list->size(); ++rank) {
      const Hit& hit = (*list)[rank];
      auto [it, added] = merged.try_emplace(hit.doc_id, hit);
      if (added) it->second.score = 0;
      it->second.score += weight / (60.0 + static_cast<double>(rank) + 1.0);
    }
  }
  std::vector<Hit> hits;
  for (auto& [id, hit] : merged) hits.push_back(std::move(hit));
  std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) { return a.score > b.score; });
  if (hits.size() > static_cast<std::size_t>(query.limit)) hits.resize(query.limit);
  return hits;
}

}  // namespace mnemos::fulltext
