#pragma once
// The tokenizer shared by fulltext.cpp and the SQLite FTS5 tokenizer (fulltext_sqlite.cpp).
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "mnemos/core/fulltext.hpp"

namespace mnemos::fulltext::detail {

struct Word {
  std::string folded;      // lower case, accents removed
  std::size_t start = 0;   // byte offsets in the text
  std::size_t end = 0;
};

// Every word of `text` in order, elided articles ("l'", "qu'") dropped.
void for_each_word(std::string_view text, const std::function<void(const Word&)>& on_word);
// Every index term of `text` (stop words and lone letters dropped, stemmed) with its word.
void for_each_term(std::string_view text, Language language,
                   const std::function<void(const std::string& term, const Word& word)>& on_term);

}  // namespace mnemos::fulltext::detail
