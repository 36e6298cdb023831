#include "imports.hpp"

#include "html.hpp"

#include <mnemos/core/csv.hpp>
#include <mnemos/core/json.hpp>

#include <boost/json/array.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <optional>

namespace mnemos::learning::imports {

namespace {
// Windows-1252's 0x80–0x9F (0 where the code page leaves a byte undefined: read as Latin-1's C1
// control, which the item checks then refuse like any control character).
constexpr char32_t kWindows1252High[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
    0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178};

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}
}  // namespace

DecodedText decode_text(std::string_view bytes) {
  if (json::is_valid_utf8(bytes)) {
    if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
    return {std::string(bytes), "utf-8"};
  }
  DecodedText out{{}, "windows-1252"};
  out.text.reserve(bytes.size() + bytes.size() / 8);
  for (unsigned char byte : bytes) {
    char32_t c = byte;
    if (byte >= 0x80 && byte < 0xA0 && kWindows1252High[byte - 0x80] != 0) c = kWindows1252High[byte - 0x80];
    append_utf8(out.text, c);
  }
  return out;
}

using boost::json::array;
using boost::json::object;

namespace {

std::vector<std::string> words_of(std::string text) {
  std::replace(text.begin(), text.end(), ',', ' ');
  std::vector<std::string> words;
  std::size_t from = 0;
  while (from < text.size()) {
    const auto space = text.find(' ', from);
    std::string word = text.substr(from, space == std::string::npos ? std::string::npos : space - from);
    if (!word.empty()) words.push_back(std::move(word));
    if (space == std::string::npos) break;
    from = space + 1;
  }
  return words;
}

// --- GIFT ----------------------------------------------------------------------------------------

bool escaped_at(std::string_view s, std::size_t at) {
  std::size_t backslashes = 0;
  while (at > backslashes && s[at - backslashes - 1] == '\\') ++backslashes;
  return backslashes % 2 == 1;
}

std::size_t find_unescaped(std::string_view s, std::string_view what, std::size_t from = 0) {
  for (auto at = s.find(what, from); at != std::string_view::npos; at = s.find(what, at + 1)) {
    if (!escaped_at(s, at)) return at;
  }
  return std::string_view::npos;
}

std::string unescape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      const char next = s[i + 1];
      if (next == 'n') {
        out += '\n';
        ++i;
        continue;
      }
      if (std::string_view(":~=#{}\\").find(next) != std::string_view::npos) {
        out += next;
        ++i;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

std::string trimmed(std::string_view s) { return json::trim(std::string(s)); }

// "in" + "_____" + "." reads "in _____." : no space before closing punctuation.
std::string around(const std::string& before, const std::string& middle, const std::string& after) {
  const bool tight = !after.empty() && std::string_view(".,;:!?)").find(after.front()) != std::string_view::npos;
  return before + " " + middle + (tight ? "" : " ") + after;
}

// GIFT text, unescaped and, unless the question says [markdown] or [plain], read as HTML.
std::string gift_text(std::string_view raw, bool html) {
  const std::string text = unescape(raw);
  return html ? html::to_markdown(text).markdown : trimmed(text);
}

struct GiftAnswer {
  bool right = false;
  std::string text;
};

// "=right ~wrong ~%50%half #feedback": split on unescaped = and ~ that start an answer.
std::vector<GiftAnswer> gift_answers(std::string_view block, bool html, bool& matching) {
  std::vector<std::size_t> starts;
  for (std::size_t i = 0; i < block.size(); ++i) {
    if ((block[i] == '=' || block[i] == '~') && !escaped_at(block, i)) {
      // "->" in a matching pair is not the start of an answer.
      if (block[i] == '=' && i + 1 < block.size() && block[i + 1] == '>') continue;
      starts.push_back(i);
    }
  }
  std::vector<GiftAnswer> answers;
  for (std::size_t n = 0; n < starts.size(); ++n) {
    const std::size_t from = starts[n] + 1;
    const std::size_t to = n + 1 < starts.size() ? starts[n + 1] : block.size();
    std::string_view body = block.substr(from, to - from);
    GiftAnswer answer;
    answer.right = block[starts[n]] == '=';
    if (body.starts_with('%')) {
      const auto close = body.find('%', 1);
      if (close != std::string_view::npos) {
        const double weight = std::atof(std::string(body.substr(1, close - 1)).c_str());
        answer.right = weight > 0;
        body.remove_prefix(close + 1);
      }
    }
    if (const auto feedback = find_unescaped(body, "#"); feedback != std::string_view::npos) {
      body = body.substr(0, feedback);
    }
    if (find_unescaped(body, "->") != std::string_view::npos) matching = true;
    answer.text = gift_text(body, html);
    answers.push_back(std::move(answer));
  }
  return answers;
}

// "3.14" in GIFT's own notation (a dot, no grouping).
std::optional<double> gift_number(const std::string& text) {
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || end == nullptr || *end != '\0' || !std::isfinite(value)) return std::nullopt;
  return value;
}

// "{#3.14:0.01}", "{#1..5}", "{#42}", or several: "{# =3.14:0.01 =%50%3.1:0.1 #feedback}". Answers
// with partial credit are left out (a card is right or wrong), and the report says so.
Candidate gift_numerical(Candidate c, const std::string& question, std::string_view body) {
  std::vector<std::string> parts;
  bool partial = false;
  const std::string all = trimmed(body);
  if (!all.empty() && (all.front() == '=' || all.front() == '~')) {
    for (std::size_t i = 0; i < all.size();) {
      const char sign = all[i];
      std::size_t next = i + 1;
      while (next < all.size() && !((all[next] == '=' || all[next] == '~') && !escaped_at(all, next))) ++next;
      std::string answer = trimmed(std::string_view(all).substr(i + 1, next - i - 1));
      i = next;
      if (sign == '~') continue;  // a wrong answer with its feedback: nothing to accept
      if (answer.starts_with('%')) {
        const auto close = answer.find('%', 1);
        const double weight = close == std::string::npos ? 0 : std::atof(answer.substr(1, close - 1).c_str());
        if (weight < 100) {
          partial = partial || weight > 0;
          continue;
        }
        answer = trimmed(std::string_view(answer).substr(close + 1));
      }
      parts.push_back(answer);
    }
  } else {
    parts.push_back(all);
  }
  array accepted;
  for (auto part : parts) {
    if (const auto feedback = find_unescaped(part, "#"); feedback != std::string::npos) part = trimmed(part.substr(0, feedback));
    if (const auto dots = part.find(".."); dots != std::string::npos) {
      const auto low = gift_number(trimmed(std::string_view(part).substr(0, dots)));
      const auto high = gift_number(trimmed(std::string_view(part).substr(dots + 2)));
      if (!low || !high || *low > *high) {
        c.skipped = "This number, range or tolerance cannot be read.";
        return c;
      }
      accepted.push_back(object{{"min", *low}, {"max", *high}});
    } else {
      const auto colon = part.find(':');
      const auto value = gift_number(trimmed(std::string_view(part).substr(0, colon)));
      const auto tolerance = colon == std::string::npos ? std::optional<double>(0.0)
                                                        : gift_number(trimmed(std::string_view(part).substr(colon + 1)));
      if (!value || !tolerance || *tolerance < 0) {
        c.skipped = "This number, range or tolerance cannot be read.";
        return c;
      }
      accepted.push_back(object{{"value", *value}, {"tolerance", std::abs(*tolerance)}});
    }
  }
  if (accepted.empty()) {
    c.skipped = "No answer has full marks: a card needs one right answer.";
    return c;
  }
  c.kind = "numerical";
  c.content = {{"question", question}, {"answers", std::move(accepted)}};
  if (partial) c.note = "Answers with partial credit were left out: a card is right or wrong.";
  return c;
}

// "{=cat -> chat =dog -> chien = -> loup}": pairs, and extra answers with an empty left side.
Candidate gift_matching(Candidate c, const std::string& question, std::string_view block, bool html) {
  array pairs, distractors;
  std::vector<std::size_t> starts;
  for (std::size_t i = 0; i < block.size(); ++i) {
    if (block[i] == '=' && !escaped_at(block, i) && !(i + 1 < block.size() && block[i + 1] == '>')) starts.push_back(i);
  }
  for (std::size_t n = 0; n < starts.size(); ++n) {
    const std::size_t from = starts[n] + 1;
    const std::size_t to = n + 1 < starts.size() ? starts[n + 1] : block.size();
    std::string_view pair = block.substr(from, to - from);
    if (const auto feedback = find_unescaped(pair, "#"); feedback != std::string_view::npos) pair = pair.substr(0, feedback);
    const auto arrow = find_unescaped(pair, "->");
    if (arrow == std::string_view::npos) {
      c.skipped = "Each pair of a matching question is written left -> right.";
      return c;
    }
    const std::string left = gift_text(pair.substr(0, arrow), html);
    const std::string right = gift_text(pair.substr(arrow + 2), html);
    if (right.empty()) {
      c.skipped = "Each pair of a matching question is written left -> right.";
      return c;
    }
    if (left.empty()) {
      distractors.emplace_back(right);
    } else {
      pairs.push_back(object{{"left", left}, {"right", right}});
    }
  }
  c.kind = "matching";
  c.content = {{"question", question}, {"pairs", std::move(pairs)}, {"distractors", std::move(distractors)}};
  return c;
}

Candidate gift_question(int line, std::string_view block, const TrueFalse& words) {
  Candidate c;
  c.line = line;
  std::string_view text = block;
  // ::title:: names the question in Moodle's bank; Mnemos has no use for it.
  if (text.starts_with("::")) {
    const auto close = find_unescaped(text, "::", 2);
    if (close != std::string_view::npos) text.remove_prefix(close + 2);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  bool html = true;
  for (std::string_view format : {"[html]", "[moodle]", "[markdown]", "[plain]"}) {
    if (text.starts_with(format)) {
      html = format == "[html]" || format == "[moodle]";
      text.remove_prefix(format.size());
      break;
    }
  }
  const auto open = find_unescaped(text, "{");
  const auto close = open == std::string_view::npos ? open : find_unescaped(text, "}", open);
  const std::string before = gift_text(text.substr(0, open), html);
  c.label = before;
  if (open == std::string_view::npos) {
    c.skipped = "A description, not a question: nothing between { and }.";
    return c;
  }
  if (close == std::string_view::npos) {
    c.skipped = "The answers are not closed with }.";
    return c;
  }
  const std::string after = gift_text(text.substr(close + 1), html);
  const std::string_view block_text = text.substr(open + 1, close - open - 1);
  const std::string answers_text = trimmed(block_text);
  const std::string question = after.empty() ? before : around(before, "_____", after);
  c.label = question;

  if (answers_text.empty()) {
    c.skipped = "Essay questions are marked by hand; they are not imported.";
    return c;
  }
  if (answers_text.front() == '#') return gift_numerical(std::move(c), question, answers_text.substr(1));
  std::string upper = answers_text.substr(0, answers_text.find('#'));
  upper = trimmed(upper);
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
  if (upper == "T" || upper == "TRUE" || upper == "F" || upper == "FALSE") {
    c.kind = "choice";
    const bool is_true = upper.front() == 'T';
    c.content = {{"question", question},
                 {"options", array{boost::json::value(words.true_label), boost::json::value(words.false_label)}},
                 {"answers", array{is_true ? 0 : 1}}};
    return c;
  }
  bool matching = false;
  const auto answers = gift_answers(block_text, html, matching);
  if (matching) return gift_matching(std::move(c), question, block_text, html);
  if (answers.empty()) {
    c.skipped = "Mark the right answer with = and the wrong ones with ~.";
    return c;
  }
  if (find_unescaped(block_text, "~") == std::string_view::npos) {
    // Only "=" answers: a short answer; in the middle of a sentence with one answer, a cloze.
    array accepted;
    for (const auto& a : answers) {
      if (a.right && !a.text.empty()) accepted.emplace_back(a.text);
    }
    if (!after.empty() && accepted.size() == 1) {
      c.kind = "cloze";
      c.content = {{"text", around(before, "{{c1::" + std::string(accepted[0].as_string()) + "}}", after)}};
      return c;
    }
    c.kind = "short_answer";
    c.content = {{"question", question}, {"accepted", std::move(accepted)}};
    return c;
  }
  array options, right;
  for (std::size_t i = 0; i < answers.size(); ++i) {
    options.emplace_back(answers[i].text);
    if (answers[i].right) right.emplace_back(static_cast<std::int64_t>(i));
  }
  if (right.empty()) {
    c.skipped = "Mark the right answer with = and the wrong ones with ~.";
    return c;
  }
  c.kind = "choice";
  c.content = {{"question", question}, {"options", std::move(options)}, {"answers", std::move(right)}};
  return c;
}

}  // namespace

std::vector<Candidate> from_csv(std::string_view text) {
  const auto table = csv::parse(text);
  // The header is optional: a first row that does not read "front,back" is a card.
  std::vector<csv::Row> rows;
  const bool has_header = !table.header.empty() && table.header[0] == "front";
  if (!has_header) rows.push_back(table.header_row);
  rows.insert(rows.end(), table.rows.begin(), table.rows.end());
  std::vector<Candidate> candidates;
  for (const auto& row : rows) {
    Candidate c;
    c.line = row.line;
    const std::string front = row.fields.size() > 0 ? row.fields[0] : "";
    const std::string back = row.fields.size() > 1 ? row.fields[1] : "";
    c.label = front;
    c.kind = "flashcard";
    c.content = {{"front", front}, {"back", back}};
    if (row.fields.size() > 2) c.tags = words_of(row.fields[2]);
    candidates.push_back(std::move(c));
  }
  return candidates;
}

std::vector<Candidate> from_gift(std::string_view text, const TrueFalse& words) {
  std::vector<Candidate> candidates;
  std::string block;
  int block_line = 0;
  int line_number = 0;
  auto finish = [&] {
    if (!trimmed(block).empty()) candidates.push_back(gift_question(block_line, trimmed(block), words));
    block.clear();
    block_line = 0;
  };
  std::size_t from = 0;
  if (text.starts_with("\xEF\xBB\xBF")) from = 3;  // a byte order mark
  while (from <= text.size()) {
    const auto end = text.find('\n', from);
    std::string_view line = text.substr(from, end == std::string_view::npos ? std::string_view::npos : end - from);
    if (line.ends_with('\r')) line.remove_suffix(1);
    ++line_number;
    const std::string plain = trimmed(line);
    // A question ends at a blank line, once its answers are closed (they may span blank lines).
    const bool open_answers = find_unescaped(block, "{") != std::string::npos &&
                              find_unescaped(block, "}", find_unescaped(block, "{")) == std::string::npos;
    if (plain.empty() && !open_answers) {
      finish();
    } else if (plain.starts_with("//") || plain.starts_with("$CATEGORY:")) {
      // comments and Moodle's category lines are not questions
    } else {
      if (block_line == 0) block_line = line_number;
      block += std::string(line) + "\n";
    }
    if (end == std::string_view::npos) break;
    from = end + 1;
  }
  finish();
  return candidates;
}

std::vector<Candidate> from_anki(const std::vector<apkg::Note>& notes) {
  std::vector<Candidate> candidates;
  int number = 0;
  for (const auto& note : notes) {
    Candidate c;
    c.line = ++number;
    c.tags = note.tags;
    auto field = [&](std::size_t i) {
      if (i >= note.fields.size()) return std::string();
      return html::to_markdown(note.fields[i]).markdown;
    };
    const std::string first = field(0);
    c.label = first;
    if (note.kind == apkg::NoteKind::cloze) {
      c.kind = "cloze";
      c.content = {{"text", first}};
    } else if (note.fields.size() < 2) {
      c.skipped = "This note type has one field; a card needs a front and a back.";
    } else if (note.kind == apkg::NoteKind::type_in) {
      c.kind = "short_answer";
      const std::string back = field(1);
      c.content = {{"question", first}, {"accepted", array{boost::json::value(back)}}};
    } else {
      c.kind = "flashcard";
      c.content = {{"front", first}, {"back", field(1)}, {"reversed", note.reversed}};
    }
    candidates.push_back(std::move(c));
  }
  return candidates;
}

}  // namespace mnemos::learning::imports
