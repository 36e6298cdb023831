#pragma once
// Reading the files teachers import into a step (docs/learning.md, "Imports"): CSV decks, Moodle
// GIFT quizzes and Anki packages. Each reader turns a file into candidates, one per card or
// question, each either an item to check and store or the reason it cannot be taken. Pure
// functions, unit-tested; the service checks the candidates like any item and stores them.
#include "apkg.hpp"

#include <boost/json/object.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace mnemos::learning::imports {

struct Candidate {
  int line = 0;           // the file's line, or the note's number in a package (from 1)
  std::string label;      // what the report shows: the front or the question
  std::string kind;       // flashcard | cloze | choice | short_answer | matching | numerical
  boost::json::object content;
  std::vector<std::string> tags;
  std::string skipped;    // non-empty: why this one is not taken (an English message key)
  std::string note;       // taken, with a remark (an English message key)
};

// A CSV or GIFT file's text in UTF-8, and the encoding it was read in: "utf-8" (a byte-order mark
// is dropped) or, when the bytes are not UTF-8, "windows-1252" — what Moodle on Windows and Excel
// write, and a superset of Latin-1's printable characters.
struct DecodedText {
  std::string text;
  std::string encoding;
};
DecodedText decode_text(std::string_view bytes);

// front,back[,tags]; the header row is optional.
std::vector<Candidate> from_csv(std::string_view text);

// The words a true/false question offers, in the teacher's language.
struct TrueFalse {
  std::string true_label = "True";
  std::string false_label = "False";
};

// Moodle GIFT: multiple choice (one or several right answers, weights), true/false, short answer,
// missing word (a single answer in the middle of a sentence becomes a cloze), matching (pairs, and
// extra answers with an empty left side) and numerical (values with a tolerance, ranges, several
// accepted values). Essays are reported as skipped.
std::vector<Candidate> from_gift(std::string_view text, const TrueFalse& words);

// Anki notes: basic (± reversed) -> flashcard, cloze -> cloze, "type in the answer" -> short
// answer. Pictures and sounds are written as html::media_placeholder(name) for the service to replace.
std::vector<Candidate> from_anki(const std::vector<apkg::Note>& notes);

}  // namespace mnemos::learning::imports
