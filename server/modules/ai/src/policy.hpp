#pragma once
// The tutor's answer policy, enforced on every reply whatever wrote it (docs/ai.md, "Policy"):
// under hints_only and explain, a reply never holds the answer of a card or quiz item of the path —
// not the words, nor spelled out, split, reversed, or encoded (base64, hex, ROT13).
#include <mnemos/learning/catalog.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace mnemos::ai {

struct Leak {
  std::size_t start = 0;  // bytes of the reply
  std::size_t end = 0;
  std::string answer;     // the answer it gives away, as the teacher wrote it
};

class AnswerGuard {
 public:
  explicit AnswerGuard(const std::vector<learning::CardAnswer>& cards);
  // Where `text` gives an answer away, in order, not overlapping.
  std::vector<Leak> leaks(std::string_view text) const;
  // `text` with each leak replaced by "▢▢▢".
  std::string masked(std::string_view text) const;
  bool empty() const { return answers_.empty(); }
  // The card whose answer a leak gives away (for the hint: its question, its step).
  const learning::CardAnswer* card_of(const Leak& leak) const;

 private:
  struct Answer {
    std::string original;
    std::vector<std::string> words;  // folded
    std::string letters;             // the words joined: "les chloroplastes" -> "leschloroplastes"
    bool function_words = false;     // "the", "was": hidden only when disguised
    std::size_t card = 0;
  };
  std::vector<Answer> answers_;
  std::vector<learning::CardAnswer> cards_;

 public:
  // The longest stretch of text a disguised answer may take ("c-a-n-b-e-r-r-a", base64).
  std::size_t longest_disguise() const;
};

// A reply checked while it streams: each piece is held back until the text after it cannot change
// whether it gives an answer away, then sent masked. The whole reply is checked again at its end;
// what was sent never holds an answer.
class StreamingGuard {
 public:
  explicit StreamingGuard(const AnswerGuard& guard) : guard_(guard), hold_back_(guard.longest_disguise()) {}
  // The text that may go out now (possibly empty).
  std::string push(std::string_view piece);
  // What is left to send once the reply is complete.
  std::string finish();

 private:
  std::string release(std::size_t end);
  const AnswerGuard& guard_;
  std::size_t hold_back_;
  std::string raw_;
  std::string sent_;  // the masked text sent so far
  bool diverged_ = false;
};

inline constexpr std::string_view kMask = "▢▢▢";

}  // namespace mnemos::ai
