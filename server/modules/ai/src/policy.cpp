#include "policy.hpp"

#include <mnemos/core/fulltext.hpp>

#include <algorithm>
#include <cctype>

namespace mnemos::ai {
namespace {

constexpr std::size_t kMinLettersForDisguises = 4;  // "went" spelled out; "is" would be everywhere

// The alternatives of an answer as the teacher wrote it: "was / were" is two; a matching pair
// "France → Paris" answers "Paris"; a number "3.14 ± 0.01 m" answers "3.14".
std::vector<std::string> alternatives(const std::string& answer) {
  std::string text = answer;
  if (const auto arrow = text.find("→"); arrow != std::string::npos) text = text.substr(arrow + 3);
  if (const auto plus_minus = text.find("±"); plus_minus != std::string::npos) text = text.substr(0, plus_minus);
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find(" / ", start);
    const auto semicolon = text.find(';', start);
    if (semicolon != std::string::npos && (end == std::string::npos || semicolon < end)) end = semicolon;
    std::string part = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    const auto first = part.find_first_not_of(' ');
    const auto last = part.find_last_not_of(' ');
    if (first != std::string::npos) out.push_back(part.substr(first, last - first + 1));
    if (end == std::string::npos) break;
    start = end + (text.compare(end, 3, " / ") == 0 ? 3 : 1);
  }
  return out;
}

bool only_function_words(const std::vector<std::string>& words) {
  return std::all_of(words.begin(), words.end(), [](const std::string& w) {
    return fulltext::is_stop_word(w, fulltext::Language::french) || fulltext::is_stop_word(w, fulltext::Language::english);
  });
}

std::string reversed(std::string text) {
  std::reverse(text.begin(), text.end());
  return text;
}

std::string rot13(std::string text) {
  for (auto& c : text) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>('a' + (c - 'a' + 13) % 26);
  }
  return text;
}

std::string letters_of(const std::string& text) {
  std::string out;
  for (const auto& word : fulltext::words(text)) out += word;
  return out;
}

// Base64 and hexadecimal tokens decoded ("" when the token is neither).
std::string decode_base64(std::string_view token) {
  static const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  int bits = 0;
  unsigned value = 0;
  for (const char c : token) {
    if (c == '=') break;
    const auto at = alphabet.find(c);
    if (at == std::string::npos) return {};
    value = (value << 6) | static_cast<unsigned>(at);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((value >> bits) & 0xFF));
    }
  }
  return out;
}

std::string decode_hex(std::string_view token) {
  if (token.size() % 2 != 0) return {};
  std::string out;
  for (std::size_t i = 0; i < token.size(); i += 2) {
    const auto digit = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    const int high = digit(token[i]);
    const int low = digit(token[i + 1]);
    if (high < 0 || low < 0) return {};
    out.push_back(static_cast<char>(high * 16 + low));
  }
  return out;
}

}  // namespace

AnswerGuard::AnswerGuard(const std::vector<learning::CardAnswer>& cards) : cards_(cards) {
  for (std::size_t c = 0; c < cards_.size(); ++c) {
    for (const auto& answer : cards_[c].answers) {
      for (const auto& alternative : alternatives(answer)) {
        Answer a;
        a.original = alternative;
        a.words = fulltext::words(alternative);
        if (a.words.empty()) continue;
        // A lone letter is no answer to hide.
        if (a.words.size() == 1 && a.words[0].size() == 1 && !std::isdigit(static_cast<unsigned char>(a.words[0][0]))) continue;
        // A function word ("the", "was") is in every sentence: only its disguises give it away.
        a.function_words = only_function_words(a.words);
        for (const auto& w : a.words) a.letters += w;
        a.card = c;
        answers_.push_back(std::move(a));
      }
    }
  }
  // Longer answers first: "was were" is found before "was".
  std::stable_sort(answers_.begin(), answers_.end(),
                   [](const Answer& x, const Answer& y) { return x.letters.size() > y.letters.size(); });
}

std::vector<Leak> AnswerGuard::leaks(std::string_view text) const {
  std::vector<Leak> found;
  if (answers_.empty()) return found;
  const auto spans = fulltext::word_spans(text);
  std::vector<bool> taken(spans.size(), false);
  auto add = [&](std::size_t first, std::size_t last, const Answer& answer) {  // words [first, last]
    for (std::size_t k = first; k <= last; ++k) {
      if (taken[k]) return;
    }
    for (std::size_t k = first; k <= last; ++k) taken[k] = true;
    found.push_back({spans[first].start, spans[last].end, answer.original});
  };
  for (const auto& answer : answers_) {
    const std::size_t n = answer.words.size();
    // The words themselves, whole, in any case and with or without accents.
    for (std::size_t i = 0; !answer.function_words && i + n <= spans.size(); ++i) {
      bool same = true;
      for (std::size_t k = 0; k < n && same; ++k) same = spans[i + k].folded == answer.words[k];
      if (same) add(i, i + n - 1, answer);
    }
    if (answer.letters.size() < kMinLettersForDisguises) continue;  // "is" spelled out is everywhere
    const std::string backwards = reversed(answer.letters);
    const std::string rotated = rot13(answer.letters);
    // Spelled out ("w-e-n-t", "w e n t"), split ("we nt"), reversed ("tnew", "t n e w"), ROT13.
    for (std::size_t i = 0; i < spans.size(); ++i) {
      std::string joined;
      for (std::size_t j = i; j < spans.size() && joined.size() < answer.letters.size(); ++j) {
        joined += spans[j].folded;
        const bool whole_word = j == i;
        if (joined == answer.letters && !whole_word) add(i, j, answer);
        else if (joined == backwards || joined == rotated) add(i, j, answer);
      }
    }
  }
  // Encoded: base64 or hexadecimal tokens that decode to the answer.
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto is_token_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '='; };
    while (pos < text.size() && !is_token_char(text[pos])) ++pos;
    const std::size_t start = pos;
    while (pos < text.size() && is_token_char(text[pos])) ++pos;
    const std::string_view token = text.substr(start, pos - start);
    if (token.size() < 6) continue;
    for (const auto& decoded : {decode_base64(token), decode_hex(token)}) {
      if (decoded.empty()) continue;
      const std::string letters = letters_of(decoded);
      for (const auto& answer : answers_) {
        if (answer.letters.size() >= kMinLettersForDisguises && letters.find(answer.letters) != std::string::npos) {
          found.push_back({start, pos, answer.original});
          break;
        }
      }
    }
  }
  std::sort(found.begin(), found.end(), [](const Leak& a, const Leak& b) { return a.start < b.start; });
  // Overlaps (an encoded token over words already found) keep the first.
  std::vector<Leak> merged;
  for (auto& leak : found) {
    if (!merged.empty() && leak.start < merged.back().end) {
      merged.back().end = std::max(merged.back().end, leak.end);
      continue;
    }
    merged.push_back(std::move(leak));
  }
  return merged;
}

std::string AnswerGuard::masked(std::string_view text) const {
  // Masking joins what was on either side of a leak, and that may spell an answer in turn
  // ("a-r-r-e-b-n-a" + an encoded answer + "C", read backwards): mask until nothing is left. Each
  // pass removes letters, so it ends; past a few passes the reply is withheld whole.
  std::string out(text);
  for (int pass = 0; pass < 8; ++pass) {
    const auto found = leaks(out);
    if (found.empty()) return out;
    std::string next;
    std::size_t at = 0;
    for (const auto& leak : found) {
      next.append(out, at, leak.start - at);
      next.append(kMask);
      at = leak.end;
    }
    next.append(out, at);
    out = std::move(next);
  }
  return leaks(out).empty() ? out : std::string(kMask);
}

std::size_t AnswerGuard::longest_disguise() const {
  std::size_t longest = 0;
  for (const auto& answer : answers_) longest = std::max(longest, answer.original.size() * 4 + answer.letters.size() * 4);
  return answers_.empty() ? 0 : std::min<std::size_t>(longest + 16, 600);
}

std::string StreamingGuard::push(std::string_view piece) {
  raw_.append(piece);
  if (raw_.size() <= hold_back_) return {};
  std::size_t end = raw_.size() - hold_back_;
  // Cut between words, never inside one (nor inside a UTF-8 character).
  while (end > 0 && raw_[end - 1] != ' ' && raw_[end - 1] != '\n') --end;
  return release(end);
}

std::string StreamingGuard::finish() { return release(raw_.size()); }

std::string StreamingGuard::release(std::size_t end) {
  if (diverged_ || end == 0) return {};
  std::string masked = guard_.masked(std::string_view(raw_).substr(0, end));
  if (masked.size() < sent_.size() || masked.compare(0, sent_.size(), sent_) != 0) {
    diverged_ = true;  // text already sent would read differently now: the final reply corrects it
    return {};
  }
  std::string out = masked.substr(sent_.size());
  sent_ = std::move(masked);
  return out;
}

const learning::CardAnswer* AnswerGuard::card_of(const Leak& leak) const {
  for (const auto& answer : answers_) {
    if (answer.original == leak.answer) return &cards_[answer.card];
  }
  return nullptr;
}

}  // namespace mnemos::ai
