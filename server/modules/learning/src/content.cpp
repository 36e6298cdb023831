#include <mnemos/core/error.hpp>
#include <mnemos/core/json.hpp>

#include "content.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace mnemos::learning {
namespace {

using boost::json::array;
using boost::json::object;

constexpr std::size_t kMaxText = 2000;
constexpr std::size_t kMaxLesson = 100000;
constexpr std::size_t kMaxOptions = 10;
constexpr std::size_t kMaxAccepted = 20;
constexpr int kMaxGap = 50;

// Reads a nested object with json::Fields and reports its errors as `prefix.field`.
template <typename Read>
auto read_nested(const boost::json::value& value, const std::string& prefix, Read read) {
  if (!value.is_object()) throw Error::invalid(prefix, "Must be an object.");
  json::Fields f(value);
  try {
    auto out = read(f);
    f.done();
    return out;
  } catch (const Error& e) {
    if (e.code() != ErrorCode::invalid) throw;
    std::vector<FieldError> fields;
    for (const auto& fe : e.fields()) fields.push_back({prefix + "." + fe.field, fe.message});
    throw Error(ErrorCode::invalid, e.what(), std::move(fields));
  }
}

std::string non_empty(json::Fields& f, std::string_view name, std::size_t max) {
  auto text = f.required_string(name, max);
  if (f.has(name) && json::trim(text).empty()) f.validation().fail(std::string(name), "Write something here.");
  return text;
}

// The gaps of a cloze text: {{c1::answer}} or {{c1::answer::hint}}.
struct Gap {
  std::size_t begin = 0, end = 0;  // the whole {{...}} in the text
  int number = 0;
  std::string answer, hint;
};

std::vector<Gap> gaps_in(const std::string& text) {
  std::vector<Gap> gaps;
  std::size_t at = 0;
  while ((at = text.find("{{c", at)) != std::string::npos) {
    const std::size_t close = text.find("}}", at);
    if (close == std::string::npos) break;
    const std::string inner = text.substr(at + 3, close - at - 3);
    const std::size_t sep = inner.find("::");
    Gap gap;
    gap.begin = at;
    gap.end = close + 2;
    bool ok = sep != std::string::npos && sep > 0 && sep <= 2;
    if (ok) {
      for (std::size_t i = 0; i < sep; ++i) ok = ok && inner[i] >= '0' && inner[i] <= '9';
    }
    if (ok) {
      gap.number = std::stoi(inner.substr(0, sep));
      std::string rest = inner.substr(sep + 2);
      const std::size_t hint = rest.find("::");
      gap.answer = rest.substr(0, hint);
      if (hint != std::string::npos) gap.hint = rest.substr(hint + 2);
      if (gap.number >= 1 && gap.number <= kMaxGap && !json::trim(gap.answer).empty()) {
        gaps.push_back(gap);
      }
    }
    at = close + 2;
  }
  return gaps;
}

std::string cloze_text(const std::string& text, int hidden, bool reveal) {
  std::string out;
  std::size_t from = 0;
  for (const auto& gap : gaps_in(text)) {
    out += text.substr(from, gap.begin - from);
    if (gap.number == hidden && !reveal) {
      out += gap.hint.empty() ? "[...]" : "[" + gap.hint + "]";
    } else {
      out += gap.answer;
    }
    from = gap.end;
  }
  return out + text.substr(from);
}

const object& content_of(const Item& item) {
  thread_local boost::json::value parsed;
  parsed = json::parse(item.content);
  return parsed.get_object();
}

std::string text_at(const object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

bool bool_at(const object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_bool() && v->get_bool();
}

// Appends the code point's folded form; returns false if it is not one we fold.
bool fold_latin(char32_t cp, std::string& out) {
  static const std::map<char32_t, const char*> table = {
      {U'à', "a"}, {U'á', "a"}, {U'â', "a"}, {U'ã', "a"}, {U'ä', "a"}, {U'å', "a"}, {U'æ', "ae"},
      {U'ç', "c"}, {U'è', "e"}, {U'é', "e"}, {U'ê', "e"}, {U'ë', "e"}, {U'ì', "i"}, {U'í', "i"},
      {U'î', "i"}, {U'ï', "i"}, {U'ñ', "n"}, {U'ò', "o"}, {U'ó', "o"}, {U'ô', "o"}, {U'õ', "o"},
      {U'ö', "o"}, {U'ø', "o"}, {U'ù', "u"}, {U'ú', "u"}, {U'û', "u"}, {U'ü', "u"}, {U'ý', "y"},
      {U'ÿ', "y"}, {U'œ', "oe"}, {U'ß', "ss"}};
  const auto found = table.find(cp);
  if (found == table.end()) return false;
  out += found->second;
  return true;
}


// Lower case for the Latin-1 and Latin Extended-A letters we fold (À-Þ -> à-þ, Œ -> œ).
char32_t lower(char32_t cp) {
  if (cp >= U'A' && cp <= U'Z') return cp + 32;
  if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 32;
  if (cp == 0x152) return 0x153;
  if (cp == 0x178) return U'ÿ';
  return cp;
}

std::vector<char32_t> decode(std::string_view text) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    int extra = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
    char32_t cp = extra == 0 ? c : extra == 1 ? (c & 0x1F) : extra == 2 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k <= extra && i + k < text.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    }
    out.push_back(cp);
    i += 1 + extra;
  }
  return out;
}

bool matches(const std::string& given, const std::vector<std::string>& accepted, bool case_sensitive,
             bool accent_sensitive) {
  const std::string folded = fold(given, case_sensitive, accent_sensitive);
  if (folded.empty()) return false;
  return std::any_of(accepted.begin(), accepted.end(), [&](const std::string& a) {
    return fold(a, case_sensitive, accent_sensitive) == folded;
  });
}

std::vector<std::string> strings_of(const object& o, std::string_view key) {
  std::vector<std::string> out;
  if (const auto* v = o.if_contains(key); v != nullptr && v->is_array()) {
    for (const auto& e : v->get_array()) {
      if (e.is_string()) out.emplace_back(e.get_string());
    }
  }
  return out;
}

std::vector<std::int64_t> ints_of(const object& o, std::string_view key) {
  std::vector<std::int64_t> out;
  if (const auto* v = o.if_contains(key); v != nullptr && v->is_array()) {
    for (const auto& e : v->get_array()) {
      if (e.is_int64()) out.push_back(e.get_int64());
    }
  }
  return out;
}

}  // namespace

std::string fold(std::string_view text, bool case_sensitive, bool accent_sensitive) {
  std::string out;
  bool space = false;
  for (char32_t cp : decode(json::trim(text))) {
    if (cp == U' ' || cp == U'\t' || cp == U'\n' || cp == U'\r' || cp == 0xA0) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    const char32_t cased = case_sensitive ? cp : lower(cp);
    if (!accent_sensitive) {
      const char32_t lowered = lower(cased);
      std::string plain;
      if (fold_latin(lowered, plain)) {
        // Keep the case the student typed when case matters: É -> E.
        if (case_sensitive && lowered != cased) {
          for (auto& ch : plain) ch = static_cast<char>(ch - 32);
        }
        out += plain;
        continue;
      }
    }
    json::append_utf8(out, cased);
  }
  return out;
}

bool is_item_kind(std::string_view kind) {
  return kind == "lesson" || is_card_kind(kind);
}

bool is_card_kind(std::string_view kind) {
  return kind == "flashcard" || kind == "cloze" || kind == "choice" || kind == "short_answer";
}

std::string checked_content(std::string_view kind, const boost::json::value& content) {
  object out;
  if (kind == "lesson") {
    out = read_nested(content, "content", [](json::Fields& f) {
      return object{{"markdown", non_empty(f, "markdown", kMaxLesson)}};
    });
  } else if (kind == "flashcard") {
    out = read_nested(content, "content", [](json::Fields& f) {
      object o{{"front", non_empty(f, "front", kMaxText)}, {"back", non_empty(f, "back", kMaxText)}};
      o["reversed"] = f.optional_bool("reversed").value_or(false);
      return o;
    });
  } else if (kind == "cloze") {
    out = read_nested(content, "content", [](json::Fields& f) {
      const auto text = non_empty(f, "text", kMaxText);
      if (!text.empty() && gaps_in(text).empty()) {
        f.validation().fail("text", "Mark at least one gap as {{c1::answer}}.");
      }
      object o{{"text", text}};
      o["case_sensitive"] = f.optional_bool("case_sensitive").value_or(false);
      o["accent_sensitive"] = f.optional_bool("accent_sensitive").value_or(false);
      return o;
    });
  } else if (kind == "choice") {
    out = read_nested(content, "content", [](json::Fields& f) {
      const auto question = non_empty(f, "question", kMaxText);
      auto options = f.optional_string_list("options", kMaxOptions, 500);
      if (!f.has("options")) f.validation().fail("options", "Give the options.");
      if (options) {
        if (options->size() < 2) f.validation().fail("options", "Give at least two options.");
        std::set<std::string> distinct;
        for (const auto& o : *options) {
          if (json::trim(o).empty()) f.validation().fail("options", "An option is empty.");
          distinct.insert(json::trim(o));
        }
        if (distinct.size() != options->size()) f.validation().fail("options", "Two options are the same.");
      }
      array answers;
      const auto* given = f.object().if_contains("answers");
      if (given == nullptr || !given->is_array() || given->get_array().empty()) {
        f.validation().fail("answers", "Give the position (from 0) of each right option.");
      } else {
        std::set<std::int64_t> seen;
        for (const auto& a : given->get_array()) {
          if (!a.is_int64() || a.get_int64() < 0 ||
              (options && a.get_int64() >= static_cast<std::int64_t>(options->size()))) {
            f.validation().fail("answers", "Each answer is the position (from 0) of an option.");
            break;
          }
          if (seen.insert(a.get_int64()).second) answers.push_back(a.get_int64());
        }
      }
      array option_list;
      for (const auto& o : options.value_or(std::vector<std::string>{})) option_list.emplace_back(o);
      object o{{"question", question}, {"options", std::move(option_list)}, {"answers", answers}};
      // Several right options make a multiple-answer question, unless the teacher says otherwise.
      o["multiple"] = f.optional_bool("multiple").value_or(answers.size() > 1);
      if (!o["multiple"].as_bool() && answers.size() > 1) {
        f.validation().fail("multiple", "A single-answer question has one right option.");
      }
      return o;
    });
  } else if (kind == "short_answer") {
    out = read_nested(content, "content", [](json::Fields& f) {
      const auto question = non_empty(f, "question", kMaxText);
      auto accepted = f.optional_string_list("accepted", kMaxAccepted, 200);
      array list;
      if (!accepted || accepted->empty()) {
        f.validation().fail("accepted", "Give at least one accepted answer.");
      } else {
        for (const auto& a : *accepted) {
          if (json::trim(a).empty()) {
            f.validation().fail("accepted", "An accepted answer is empty.");
          } else {
            list.emplace_back(json::trim(a));
          }
        }
      }
      object o{{"question", question}, {"accepted", std::move(list)}};
      o["case_sensitive"] = f.optional_bool("case_sensitive").value_or(false);
      o["accent_sensitive"] = f.optional_bool("accent_sensitive").value_or(false);
      return o;
    });
  } else {
    throw Error::invalid("kind", "Use lesson, flashcard, cloze, choice or short_answer.");
  }
  return json::serialize(out);
}

std::vector<int> variants_of(const Item& item) {
  if (!is_card_kind(item.kind)) return {};
  const auto& c = content_of(item);
  if (item.kind == "flashcard") return bool_at(c, "reversed") ? std::vector<int>{0, 1} : std::vector<int>{0};
  if (item.kind == "cloze") {
    std::set<int> numbers;
    for (const auto& gap : gaps_in(text_at(c, "text"))) numbers.insert(gap.number);
    return {numbers.begin(), numbers.end()};
  }
  return {0};
}

object prompt_of(const Item& item, int variant) {
  const object c = content_of(item);
  object out{{"kind", item.kind}};
  if (item.kind == "flashcard") {
    const bool reverse = variant == 1;
    out["front"] = text_at(c, reverse ? "back" : "front");
    out["back"] = text_at(c, reverse ? "front" : "back");
  } else if (item.kind == "cloze") {
    out["text"] = cloze_text(text_at(c, "text"), variant, false);
    int blanks = 0;
    for (const auto& gap : gaps_in(text_at(c, "text"))) blanks += gap.number == variant;
    out["blanks"] = blanks;
  } else if (item.kind == "choice") {
    out["question"] = text_at(c, "question");
    out["options"] = c.at("options");
    out["multiple"] = bool_at(c, "multiple");
  } else if (item.kind == "short_answer") {
    out["question"] = text_at(c, "question");
  } else {
    out["markdown"] = text_at(c, "markdown");
  }
  return out;
}

object solution_of(const Item& item, int variant) {
  const object c = content_of(item);
  if (item.kind == "flashcard") return {{"back", text_at(c, variant == 1 ? "front" : "back")}};
  if (item.kind == "cloze") {
    array answers;
    for (const auto& gap : gaps_in(text_at(c, "text"))) {
      if (gap.number == variant) answers.emplace_back(gap.answer);
    }
    return {{"text", cloze_text(text_at(c, "text"), variant, true)}, {"answers", answers}};
  }
  if (item.kind == "choice") return {{"answers", c.at("answers")}};
  if (item.kind == "short_answer") return {{"accepted", c.at("accepted")}};
  return {};
}

std::vector<std::string> expected_in_words(const Item& item, int variant) {
  const object c = content_of(item);
  std::vector<std::string> out;
  if (item.kind == "flashcard") {
    out.push_back(text_at(c, variant == 1 ? "front" : "back"));
  } else if (item.kind == "cloze") {
    for (const auto& gap : gaps_in(text_at(c, "text"))) {
      if (gap.number == variant) out.push_back(gap.answer);
    }
  } else if (item.kind == "choice") {
    const auto& options = c.at("options").as_array();
    for (const auto index : ints_of(c, "answers")) {
      if (index >= 0 && static_cast<std::size_t>(index) < options.size()) {
        out.emplace_back(options[static_cast<std::size_t>(index)].as_string());
      }
    }
  } else if (item.kind == "short_answer") {
    out = strings_of(c, "accepted");
  }
  return out;
}

int rating_for(bool correct, std::int64_t duration_ms) {
  if (!correct) return 1;
  if (duration_ms < 5000) return 4;
  if (duration_ms > 25000) return 2;
  return 3;
}

Grade grade(const Item& item, int variant, const object& answer, std::int64_t duration_ms) {
  const object c = content_of(item);
  Grade g;
  if (item.kind == "flashcard") {
    const auto* rating = answer.if_contains("rating");
    if (rating == nullptr || !rating->is_int64() || rating->get_int64() < 1 || rating->get_int64() > 4) {
      throw Error::invalid("answer.rating", "Rate yourself from 1 (again) to 4 (easy).");
    }
    g.self_rated = true;
    g.rating = static_cast<int>(rating->get_int64());
    g.correct = g.rating > 1;
    return g;
  }
  if (item.kind == "cloze") {
    std::vector<std::string> expected;
    for (const auto& gap : gaps_in(text_at(c, "text"))) {
      if (gap.number == variant) expected.push_back(gap.answer);
    }
    const auto* given = answer.if_contains("answers");
    if (given == nullptr || !given->is_array() || given->get_array().size() != expected.size()) {
      throw Error::invalid("answer.answers",
                           "Give one answer per blank, in order (" + std::to_string(expected.size()) + ").");
    }
    g.correct = true;
    for (std::size_t i = 0; i < expected.size(); ++i) {
      const auto& a = given->get_array()[i];
      if (!a.is_string() || a.get_string().size() > 500) {
        throw Error::invalid("answer.answers", "Each answer is a text of at most 500 characters.");
      }
      g.correct = g.correct && matches(std::string(a.get_string()), {expected[i]},
                                       bool_at(c, "case_sensitive"), bool_at(c, "accent_sensitive"));
      g.given.emplace_back(a.get_string());
    }
  } else if (item.kind == "choice") {
    const auto* given = answer.if_contains("selected");
    if (given == nullptr || !given->is_array()) {
      throw Error::invalid("answer.selected", "Give the positions of the options chosen.");
    }
    const auto option_count = static_cast<std::int64_t>(c.at("options").as_array().size());
    std::set<std::int64_t> chosen;
    for (const auto& v : given->get_array()) {
      if (!v.is_int64() || v.get_int64() < 0 || v.get_int64() >= option_count) {
        throw Error::invalid("answer.selected", "Each choice is the position (from 0) of an option.");
      }
      chosen.insert(v.get_int64());
    }
    if (!bool_at(c, "multiple") && chosen.size() > 1) {
      throw Error::invalid("answer.selected", "Choose one option.");
    }
    const auto right = ints_of(c, "answers");
    g.correct = chosen == std::set<std::int64_t>(right.begin(), right.end());
    for (const auto index : chosen) {
      g.given.emplace_back(c.at("options").as_array()[static_cast<std::size_t>(index)].as_string());
    }
  } else if (item.kind == "short_answer") {
    const auto* given = answer.if_contains("text");
    if (given == nullptr || !given->is_string() || given->get_string().size() > 500) {
      throw Error::invalid("answer.text", "Type your answer (at most 500 characters).");
    }
    g.correct = matches(std::string(given->get_string()), strings_of(c, "accepted"),
                        bool_at(c, "case_sensitive"), bool_at(c, "accent_sensitive"));
    g.given.emplace_back(given->get_string());
  } else {
    throw Error::invalid("answer", "A lesson is read, not answered.");
  }
  g.rating = rating_for(g.correct, duration_ms);
  return g;
}

}  // namespace mnemos::learning
