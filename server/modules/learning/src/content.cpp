#include <mnemos/core/error.hpp>
#include <mnemos/core/json.hpp>

#include "content.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
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
constexpr std::size_t kMaxPairs = 20;
constexpr std::size_t kMaxSteps = 20;
constexpr std::size_t kMaxNumbers = 10;
constexpr std::size_t kMaxUnits = 10;
constexpr std::size_t kMaxPart = 500;

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

// A number as people write it: "3.14", "3,14" (a French decimal comma), "-2e3", "1 500" (spaces
// between digits group thousands), followed by whatever text (a unit). Returns the value and the
// rest, trimmed; nullopt when the text does not start with a number.
struct WrittenNumber {
  double value = 0;
  std::string rest;
};
std::optional<WrittenNumber> read_number(std::string_view text) {
  const std::string trimmed_text = json::trim(text);
  std::string digits;
  std::size_t i = 0;
  const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  if (i < trimmed_text.size() && (trimmed_text[i] == '-' || trimmed_text[i] == '+' || trimmed_text[i] == '\xE2')) {
    // U+2212 MINUS SIGN (e2 88 92), which word processors write.
    if (trimmed_text[i] == '\xE2') {
      if (trimmed_text.compare(i, 3, "\xE2\x88\x92") != 0) return std::nullopt;
      digits += '-';
      i += 3;
    } else {
      digits += trimmed_text[i++];
    }
  }
  bool any = false, decimal = false;
  while (i < trimmed_text.size()) {
    const char c = trimmed_text[i];
    if (is_digit(c)) {
      digits += c;
      any = true;
      ++i;
    } else if ((c == '.' || c == ',') && !decimal && i + 1 < trimmed_text.size() && is_digit(trimmed_text[i + 1])) {
      digits += '.';
      decimal = true;
      ++i;
    } else if (c == ' ' && any && !decimal && i + 1 < trimmed_text.size() && is_digit(trimmed_text[i + 1])) {
      ++i;  // "1 500"
    } else {
      break;
    }
  }
  if (!any) return std::nullopt;
  if (i + 1 < trimmed_text.size() && (trimmed_text[i] == 'e' || trimmed_text[i] == 'E')) {
    std::size_t j = i + 1;
    std::string exponent = "e";
    if (trimmed_text[j] == '-' || trimmed_text[j] == '+') exponent += trimmed_text[j++];
    if (j < trimmed_text.size() && is_digit(trimmed_text[j])) {
      while (j < trimmed_text.size() && is_digit(trimmed_text[j])) exponent += trimmed_text[j++];
      digits += exponent;
      i = j;
    }
  }
  char* end = nullptr;
  const double value = std::strtod(digits.c_str(), &end);
  if (end == nullptr || *end != '\0' || !std::isfinite(value)) return std::nullopt;
  return WrittenNumber{value, json::trim(trimmed_text.substr(i))};
}

double number_at(const object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_number() ? v->to_number<double>() : 0.0;
}

// FNV-1a: a hash that stays the same across runs and builds, so a card shown before a restart is
// graded the same way after it.
std::uint64_t stable_hash(std::string_view text) {
  std::uint64_t h = 14695981039346656037ull;
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
}

// The order an ordering card shows its steps in: shuffled the same way every time for the item,
// never the right order. shown[k] is the position in the right order of the k-th step shown.
std::vector<std::size_t> shown_order(const Item& item, std::size_t count) {
  std::vector<std::size_t> order(count);
  for (std::size_t i = 0; i < count; ++i) order[i] = i;
  std::uint64_t state = stable_hash(item.id) | 1;
  for (std::size_t i = count; i > 1; --i) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    std::swap(order[i - 1], order[state % i]);
  }
  bool identity = true;
  for (std::size_t i = 0; i < count; ++i) identity = identity && order[i] == i;
  if (identity && count > 1) std::rotate(order.begin(), order.begin() + 1, order.end());
  return order;
}

// The answers a matching card offers: every right-hand side and distractor once, in alphabetical
// order (an order that says nothing about the pairs).
std::vector<std::string> matching_choices(const object& c) {
  std::vector<std::string> choices;
  for (const auto& pair : c.at("pairs").as_array()) choices.push_back(text_at(pair.as_object(), "right"));
  for (const auto& extra : strings_of(c, "distractors")) choices.push_back(extra);
  std::sort(choices.begin(), choices.end(), [](const std::string& a, const std::string& b) {
    const auto fa = fold(a, false, false), fb = fold(b, false, false);
    return fa != fb ? fa < fb : a < b;
  });
  choices.erase(std::unique(choices.begin(), choices.end()), choices.end());
  return choices;
}

// One accepted number in words: "3.14 ± 0.01 m", "3 – 4 m", "42".
std::string accepted_number_text(const object& answer, const std::string& unit) {
  std::string out;
  if (answer.contains("min")) {
    out = json::shortest_decimal(number_at(answer, "min")) + " – " + json::shortest_decimal(number_at(answer, "max"));
  } else {
    out = json::shortest_decimal(number_at(answer, "value"));
    if (number_at(answer, "tolerance") > 0) out += " ± " + json::shortest_decimal(number_at(answer, "tolerance"));
  }
  return unit.empty() ? out : out + " " + unit;
}

std::string first_unit(const object& c) {
  const auto* units = c.if_contains("units");
  if (units == nullptr || !units->is_array() || units->get_array().empty()) return {};
  return text_at(units->get_array()[0].as_object(), "unit");
}

// Rated from the share of parts right: all -> by time like any right answer; at least half -> Hard;
// less -> Again.
int rating_for_parts(int right, int total, std::int64_t duration_ms) {
  if (right == total) return rating_for(true, duration_ms);
  return 2 * right >= total ? 2 : 1;
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
  return kind == "flashcard" || kind == "cloze" || kind == "choice" || kind == "short_answer" ||
         kind == "matching" || kind == "numerical" || kind == "ordering";
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
  } else if (kind == "matching") {
    out = read_nested(content, "content", [](json::Fields& f) {
      const auto question = non_empty(f, "question", kMaxText);
      array pairs;
      std::set<std::string> lefts, rights;
      const auto* given = f.object().if_contains("pairs");
      if (given == nullptr || !given->is_array() || given->get_array().size() < 2 ||
          given->get_array().size() > kMaxPairs) {
        f.validation().fail("pairs", "Give from 2 to 20 pairs, each with a left and a right side.");
      } else {
        for (const auto& pair : given->get_array()) {
          const auto* left = pair.is_object() ? pair.get_object().if_contains("left") : nullptr;
          const auto* right = pair.is_object() ? pair.get_object().if_contains("right") : nullptr;
          if (left == nullptr || right == nullptr || !left->is_string() || !right->is_string() ||
              json::trim(left->get_string()).empty() || json::trim(right->get_string()).empty() ||
              left->get_string().size() > kMaxPart || right->get_string().size() > kMaxPart ||
              pair.get_object().size() != 2) {
            f.validation().fail("pairs", "Each pair has a left and a right text (at most 500 characters).");
            break;
          }
          const auto l = json::trim(left->get_string()), r = json::trim(right->get_string());
          if (!lefts.insert(l).second) {
            f.validation().fail("pairs", "Two pairs have the same left side.");
            break;
          }
          rights.insert(r);
          pairs.push_back(object{{"left", l}, {"right", r}});
        }
      }
      array distractors;
      for (const auto& extra : f.optional_string_list("distractors", kMaxOptions, kMaxPart).value_or(std::vector<std::string>{})) {
        const auto d = json::trim(extra);
        if (d.empty() || rights.contains(d)) {
          f.validation().fail("distractors", "A wrong answer is empty or is one of the right ones.");
          break;
        }
        distractors.emplace_back(d);
      }
      return object{{"question", question}, {"pairs", std::move(pairs)}, {"distractors", std::move(distractors)}};
    });
  } else if (kind == "numerical") {
    out = read_nested(content, "content", [](json::Fields& f) {
      const auto question = non_empty(f, "question", kMaxText);
      const auto finite = [](const boost::json::value* v) { return v != nullptr && v->is_number() && std::isfinite(v->to_number<double>()); };
      array answers;
      const auto* given = f.object().if_contains("answers");
      if (given == nullptr || !given->is_array() || given->get_array().empty() || given->get_array().size() > kMaxNumbers) {
        f.validation().fail("answers", "Give from 1 to 10 accepted numbers, each a value with its tolerance or a range from min to max.");
      } else {
        for (const auto& each : given->get_array()) {
          if (!each.is_object()) {
            f.validation().fail("answers", "Each accepted number is a value with its tolerance or a range from min to max.");
            break;
          }
          const auto& a = each.get_object();
          if (a.contains("min") || a.contains("max")) {
            if (!finite(a.if_contains("min")) || !finite(a.if_contains("max")) || a.size() != 2 ||
                a.at("min").to_number<double>() > a.at("max").to_number<double>()) {
              f.validation().fail("answers", "A range has a min and a max, the min not above the max.");
              break;
            }
            answers.push_back(object{{"min", a.at("min").to_number<double>()}, {"max", a.at("max").to_number<double>()}});
          } else {
            const auto* tolerance = a.if_contains("tolerance");
            if (!finite(a.if_contains("value")) || (tolerance != nullptr && (!finite(tolerance) || tolerance->to_number<double>() < 0)) ||
                a.size() != (tolerance != nullptr ? 2u : 1u)) {
              f.validation().fail("answers", "A value is a number, with a tolerance of 0 or more.");
              break;
            }
            answers.push_back(object{{"value", a.at("value").to_number<double>()},
                                     {"tolerance", tolerance != nullptr ? tolerance->to_number<double>() : 0.0}});
          }
        }
      }
      array units;
      if (const auto* list = f.object().if_contains("units"); list != nullptr) {
        std::set<std::string> names;
        if (!list->is_array() || list->get_array().size() > kMaxUnits) {
          f.validation().fail("units", "Give at most 10 units, each with its name and multiplier.");
        } else {
          for (const auto& each : list->get_array()) {
            const auto* unit = each.is_object() ? each.get_object().if_contains("unit") : nullptr;
            const auto* multiplier = each.is_object() ? each.get_object().if_contains("multiplier") : nullptr;
            const bool named = unit != nullptr && unit->is_string() && !json::trim(unit->get_string()).empty() &&
                               unit->get_string().size() <= 20;
            const bool scaled = multiplier == nullptr || (finite(multiplier) && multiplier->to_number<double>() > 0);
            if (!named || !scaled || !names.insert(json::trim(unit->get_string())).second) {
              f.validation().fail("units", "Each unit has a distinct name (at most 20 characters) and a multiplier above 0.");
              break;
            }
            units.push_back(object{{"unit", json::trim(unit->get_string())},
                                   {"multiplier", multiplier != nullptr ? multiplier->to_number<double>() : 1.0}});
          }
        }
      }
      const bool unit_required = f.optional_bool("unit_required").value_or(false);
      if (unit_required && units.empty()) f.validation().fail("unit_required", "Give the units the answer may use.");
      return object{{"question", question}, {"answers", std::move(answers)}, {"units", std::move(units)},
                    {"unit_required", unit_required}};
    });
  } else if (kind == "ordering") {
    out = read_nested(content, "content", [](json::Fields& f) {
      const auto question = non_empty(f, "question", kMaxText);
      array steps;
      const auto list = f.optional_string_list("steps", kMaxSteps, kMaxPart);
      if (!list || list->size() < 2) {
        f.validation().fail("steps", "Give from 2 to 20 steps, in the right order.");
      } else {
        std::set<std::string> seen;
        for (const auto& step : *list) {
          const auto text = json::trim(step);
          if (text.empty() || !seen.insert(text).second) {
            f.validation().fail("steps", "A step is empty or written twice.");
            break;
          }
          steps.emplace_back(text);
        }
      }
      return object{{"question", question}, {"steps", std::move(steps)}};
    });
  } else {
    throw Error::invalid("kind", "Use lesson, flashcard, cloze, choice, short_answer, matching, numerical or ordering.");
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
  } else if (item.kind == "matching") {
    out["question"] = text_at(c, "question");
    array lefts, choices;
    for (const auto& pair : c.at("pairs").as_array()) lefts.emplace_back(text_at(pair.as_object(), "left"));
    for (auto& choice : matching_choices(c)) choices.emplace_back(std::move(choice));
    out["lefts"] = std::move(lefts);
    out["choices"] = std::move(choices);
  } else if (item.kind == "numerical") {
    out["question"] = text_at(c, "question");
    array units;
    for (const auto& unit : c.at("units").as_array()) units.emplace_back(text_at(unit.as_object(), "unit"));
    out["units"] = std::move(units);
    out["unit_required"] = bool_at(c, "unit_required");
  } else if (item.kind == "ordering") {
    out["question"] = text_at(c, "question");
    const auto& steps = c.at("steps").as_array();
    array shown;
    for (const auto at : shown_order(item, steps.size())) shown.push_back(steps[at]);
    out["steps"] = std::move(shown);
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
  if (item.kind == "matching") return {{"pairs", c.at("pairs")}};
  if (item.kind == "numerical") return {{"answers", c.at("answers")}, {"units", c.at("units")}};
  if (item.kind == "ordering") return {{"steps", c.at("steps")}};
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
  } else if (item.kind == "matching") {
    for (const auto& pair : c.at("pairs").as_array()) {
      out.push_back(text_at(pair.as_object(), "left") + " → " + text_at(pair.as_object(), "right"));
    }
  } else if (item.kind == "numerical") {
    const auto unit = first_unit(c);
    for (const auto& answer : c.at("answers").as_array()) out.push_back(accepted_number_text(answer.as_object(), unit));
  } else if (item.kind == "ordering") {
    out = strings_of(c, "steps");
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
  } else if (item.kind == "matching") {
    const auto& pairs = c.at("pairs").as_array();
    const auto choices = matching_choices(c);
    const auto* given = answer.if_contains("matches");
    if (given == nullptr || !given->is_array() || given->get_array().size() != pairs.size()) {
      throw Error::invalid("answer.matches", "Give one choice per line, in order (" + std::to_string(pairs.size()) +
                                                 "): the position of the answer chosen, or null.");
    }
    for (std::size_t i = 0; i < pairs.size(); ++i) {
      const auto& chosen = given->get_array()[i];
      if (!chosen.is_null() && (!chosen.is_int64() || chosen.get_int64() < 0 ||
                                chosen.get_int64() >= static_cast<std::int64_t>(choices.size()))) {
        throw Error::invalid("answer.matches", "Each choice is the position (from 0) of an answer offered, or null.");
      }
      const auto left = text_at(pairs[i].as_object(), "left");
      const std::string picked = chosen.is_null() ? "" : choices[static_cast<std::size_t>(chosen.get_int64())];
      g.parts_right += picked == text_at(pairs[i].as_object(), "right") ? 1 : 0;
      g.given.push_back(left + " → " + (picked.empty() ? "…" : picked));
    }
    g.parts = static_cast<int>(pairs.size());
    g.correct = g.parts_right == g.parts;
    g.rating = rating_for_parts(g.parts_right, g.parts, duration_ms);
    return g;
  } else if (item.kind == "numerical") {
    const auto* given = answer.if_contains("text");
    if (given == nullptr || !given->is_string() || given->get_string().size() > 100) {
      throw Error::invalid("answer.text", "Type a number (at most 100 characters).");
    }
    const auto number = read_number(given->get_string());
    if (!number) throw Error::invalid("answer.text", "Type a number, such as 3.14 or 3,14.");
    const auto& units = c.at("units").as_array();
    double multiplier = 1;
    bool unit_missing = false;
    if (!number->rest.empty()) {
      const auto found = std::find_if(units.begin(), units.end(), [&](const boost::json::value& u) {
        return text_at(u.as_object(), "unit") == number->rest;
      });
      if (found == units.end()) {
        if (units.empty()) throw Error::invalid("answer.text", "Type only a number.");
        std::string names;
        for (const auto& u : units) names += (names.empty() ? "" : ", ") + text_at(u.as_object(), "unit");
        throw Error::invalid("answer.text", "Use one of these units: " + names + ".");
      }
      multiplier = number_at(found->as_object(), "multiplier");
    } else {
      unit_missing = bool_at(c, "unit_required");
    }
    const double value = number->value / multiplier;
    g.correct = !unit_missing && std::any_of(c.at("answers").as_array().begin(), c.at("answers").as_array().end(),
                                             [&](const boost::json::value& each) {
      const auto& a = each.as_object();
      // A relative margin for decimals that are not exact in binary (0.1 + 0.2).
      const double slack = 1e-9 * std::max(1.0, std::abs(value));
      if (a.contains("min")) return value >= number_at(a, "min") - slack && value <= number_at(a, "max") + slack;
      return std::abs(value - number_at(a, "value")) <= number_at(a, "tolerance") + slack;
    });
    g.given.push_back(json::trim(given->get_string()));
  } else if (item.kind == "ordering") {
    const auto& steps = c.at("steps").as_array();
    const auto shown = shown_order(item, steps.size());
    const auto* given = answer.if_contains("order");
    std::vector<std::size_t> placed;  // positions in the right order, as the student placed them
    if (given != nullptr && given->is_array() && given->get_array().size() == steps.size()) {
      std::set<std::int64_t> seen;
      for (const auto& each : given->get_array()) {
        if (!each.is_int64() || each.get_int64() < 0 || each.get_int64() >= static_cast<std::int64_t>(steps.size()) ||
            !seen.insert(each.get_int64()).second) {
          break;
        }
        placed.push_back(shown[static_cast<std::size_t>(each.get_int64())]);
      }
    }
    if (placed.size() != steps.size()) {
      throw Error::invalid("answer.order", "Give every step once, by its position (from 0) as shown, in the order you choose.");
    }
    // Graded like Moodle's "relative to the next item": each step followed by the right one counts.
    for (std::size_t i = 0; i + 1 < placed.size(); ++i) g.parts_right += placed[i + 1] == placed[i] + 1 ? 1 : 0;
    g.parts = static_cast<int>(steps.size()) - 1;
    for (const auto at : placed) g.given.emplace_back(steps[at].as_string());
    g.correct = g.parts_right == g.parts;
    g.rating = rating_for_parts(g.parts_right, g.parts, duration_ms);
    return g;
  } else {
    throw Error::invalid("answer", "A lesson is read, not answered.");
  }
  g.rating = rating_for(g.correct, duration_ms);
  return g;
}

}  // namespace mnemos::learning
