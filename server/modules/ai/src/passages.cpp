// Passages for retrieval: big enough to hold an answer with its context, small enough that the
// best one is about one thing.
#include "documents.hpp"

#include <mnemos/core/fulltext.hpp>

namespace mnemos::ai {
namespace {

constexpr int kTargetWords = 150;  // a passage closes at a paragraph's end past this
constexpr int kMaxWords = 350;     // and is cut at a sentence's end past this
constexpr const char* kTrailSeparator = " › ";

// Sentences of a paragraph: cut after . ! ? … followed by a space and not after a lone initial or
// a number ("M. Dupont", "3.14").
std::vector<std::string> sentences_of(const std::string& text) {
  std::vector<std::string> sentences;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if ((c == '.' || c == '!' || c == '?') && i + 1 < text.size() && text[i + 1] == ' ') {
      const bool initial = c == '.' && i >= 1 && (i == 1 || text[i - 2] == ' ') && std::isupper(static_cast<unsigned char>(text[i - 1]));
      if (initial) continue;
      sentences.push_back(text.substr(start, i + 1 - start));
      start = i + 2;
    }
  }
  if (start < text.size()) sentences.push_back(text.substr(start));
  return sentences;
}

class PassageWriter {
 public:
  void heading(int level, const std::string& title) {
    flush(false);
    while (!trail_.empty() && trail_.back().first >= level) trail_.pop_back();
    trail_.emplace_back(level, title);
  }
  // A block's text: a paragraph (may be cut at sentences) or a whole block (never cut).
  void add(const std::string& text, int page, bool whole) {
    const int words = count_words(text);
    if (!whole && words > kMaxWords) {
      for (const auto& sentence : sentences_of(text)) add_piece(sentence, page, " ");
      return;
    }
    if (words_ > 0 && words_ + words > kMaxWords) flush(true);
    add_piece(text, page, "\n\n");
    if (words_ >= kTargetWords) flush(true);
  }
  std::vector<Passage> finish() {
    flush(false);
    return std::move(passages_);
  }

 private:
  void add_piece(const std::string& text, int page, const char* separator) {
    const int words = count_words(text);
    if (words_ > 0 && words_ + words > kMaxWords) flush(true);
    if (text_.empty()) page_ = page;
    if (!text_.empty()) text_ += separator;
    text_ += text;
    words_ += words;
    last_piece_ = text;
  }
  // `overlap`: the passage was cut for its length, so the next one starts with its last sentence.
  void flush(bool overlap) {
    if (words_ == carried_words_) {  // nothing new since the sentence carried over
      text_.clear();
      words_ = carried_words_ = 0;
      return;
    }
    std::string heading;
    for (const auto& [level, title] : trail_) heading += (heading.empty() ? "" : kTrailSeparator) + title;
    passages_.push_back({heading, text_, page_, words_});
    text_.clear();
    words_ = 0;
    if (overlap) {
      const auto sentences = sentences_of(last_piece_);
      const std::string& last = sentences.empty() ? last_piece_ : sentences.back();
      const int words = count_words(last);
      if (words > 0 && words <= 60) {
        text_ = last;
        words_ = carried_words_ = words;
        return;
      }
    }
    carried_words_ = 0;
  }

  std::vector<std::pair<int, std::string>> trail_;
  std::string text_;
  std::string last_piece_;
  int words_ = 0;
  int page_ = 0;
  int carried_words_ = 0;  // words of text_ that the passage before already holds
  std::vector<Passage> passages_;
};

}  // namespace

int count_words(std::string_view text) { return static_cast<int>(fulltext::words(text).size()); }

std::vector<Passage> split_passages(const std::vector<Block>& blocks) {
  PassageWriter writer;
  for (const auto& block : blocks) {
    if (block.kind == Block::Kind::heading) writer.heading(block.level, block.text);
    else writer.add(block.text, block.page, block.kind == Block::Kind::whole);
  }
  return writer.finish();
}

}  // namespace mnemos::ai
