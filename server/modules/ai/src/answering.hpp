#pragma once
// What the tutor writes without a model (the built-in provider): the sentences of the best
// passages that answer the question, quoted and cited; and how complex a question is (Bloom's
// level by its verbs, readability by Flesch or Kandel–Moles) for the teacher's view.
#include <mnemos/core/fulltext.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace mnemos::ai {

struct PassageForAnswer {
  std::string source_id;
  std::string passage_id;
  std::string heading;
  std::string text;
};

struct Citation {
  std::string source_id;
  std::string passage_id;
  std::string quote;
  int marker = 0;  // the [n] the reply's text refers to it by
};

struct ExtractiveAnswer {
  std::vector<Citation> sentences;  // in the order they are read, each its own citation
  bool found() const { return !sentences.empty(); }
};

// Up to `max_sentences` sentences of `passages` (best first) that share the most telling words
// with the question, read in the passages' order; a definition ("X est...", "X is...") is preferred
// for a "what is" question. Empty when no sentence shares a word with the question.
ExtractiveAnswer extract_answer(std::string_view question, const std::vector<PassageForAnswer>& passages,
                                fulltext::Language language, int max_sentences = 3);

// The sentences of a paragraph (cut after . ! ? … followed by a space, not after an initial).
std::vector<std::string> split_sentences(std::string_view text);

struct Complexity {
  int bloom_level = 1;  // 1 remember, 2 understand, 3 apply, 4 analyse, 5 evaluate, 6 create
  double readability = 0;  // Flesch reading ease (English) or Kandel–Moles (French): higher is easier
};
Complexity complexity_of(std::string_view question, fulltext::Language language);
std::string_view bloom_name(int level);

}  // namespace mnemos::ai
