#pragma once
// Cards made from a path's sources (docs/ai.md, "Content generation"): by rules without a model —
// definitions become flashcards and multiple-choice questions, key terms become cloze gaps — or by a
// model asked for JSON. Every card lands pending in the teacher's validation queue.
#include <mnemos/core/fulltext.hpp>

#include "answering.hpp"

#include <string>
#include <vector>

namespace mnemos::ai {

struct GeneratedCard {
  std::string kind;     // flashcard | cloze | choice
  std::string content;  // JSON, in the learning module's form for the kind
  std::string source_id;
  std::string passage_id;
};

struct GenerationRequest {
  std::vector<std::string> kinds = {"flashcard", "cloze", "choice"};
  int count = 10;
};

// The key terms of the passages, most telling first (TF-IDF over the passages, as written).
std::vector<std::string> key_terms(const std::vector<PassageForAnswer>& passages, fulltext::Language language,
                                   std::size_t limit = 30);

// Cards by rules, at most `request.count`, spread over the kinds asked for; none twice.
std::vector<GeneratedCard> generate_by_rules(const std::vector<PassageForAnswer>& passages,
                                             fulltext::Language language, const GenerationRequest& request);

// The prompt asking a model for cards as JSON, and the cards read from its reply (those that do not
// read are left out; `errors` says why).
std::string generation_prompt(const std::vector<PassageForAnswer>& passages, fulltext::Language language,
                              const GenerationRequest& request);
std::vector<GeneratedCard> cards_from_model(const std::string& reply, const std::vector<PassageForAnswer>& passages,
                                            std::vector<std::string>& errors);

}  // namespace mnemos::ai
