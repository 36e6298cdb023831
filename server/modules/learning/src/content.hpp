#pragma once
// Content items: what each kind holds, what a student sees of it, and how an answer is graded
// (docs/learning.md, "Content items" and "Grading"). Pure functions, unit-tested.
#include "domain.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace mnemos::learning {

bool is_item_kind(std::string_view kind);
// Items that become cards a student revises (every kind but lesson).
bool is_card_kind(std::string_view kind);

// The content checked for `kind` and written in its stored form. Throws Error(invalid) naming the
// field (`content.front`, `content.options`...).
std::string checked_content(std::string_view kind, const boost::json::value& content);

// The cards an item gives: {0}; {0, 1} for a reversed flashcard; the gap numbers of a cloze.
std::vector<int> variants_of(const Item& item);

// What the student sees before answering (no solution, except a flashcard's back, which the
// student reveals before rating themselves).
boost::json::object prompt_of(const Item& item, int variant);
// The expected answer, shown after answering.
boost::json::object solution_of(const Item& item, int variant);

struct Grade {
  bool self_rated = false;  // flashcards: the student's own rating
  bool correct = false;
  int rating = 0;           // 1..4
  std::vector<std::string> given;  // the student's answer in words (options by their text)
  // Matching and ordering: the parts right (pairs; steps followed by the right one) out of `parts`.
  int parts_right = 0;
  int parts = 0;
};

// The right answer in words, as a student reads it beside their own: a flashcard's back, a
// cloze's gaps in order, the text of the right options, the accepted answers, the pairs
// ("left → right"), the accepted numbers ("3.14 ± 0.01 m", "3 – 4"), the steps in order.
std::vector<std::string> expected_in_words(const Item& item, int variant);

// Grades `answer` (the body's "answer" object) for the card. Throws Error(invalid) for an answer
// that does not fit the item (field `answer...`).
Grade grade(const Item& item, int variant, const boost::json::object& answer,
            std::int64_t duration_ms);

// The rule for automatically graded answers: wrong -> Again; right in under 5 s -> Easy, in more
// than 25 s -> Hard, otherwise Good.
int rating_for(bool correct, std::int64_t duration_ms);

// Text compared for short answers and cloze gaps: trimmed, inner spaces collapsed, and unless
// asked otherwise lower-cased and without accents (é -> e, œ -> oe).
std::string fold(std::string_view text, bool case_sensitive, bool accent_sensitive);

}  // namespace mnemos::learning
