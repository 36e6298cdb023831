#include "gift_writer.hpp"

#include "content.hpp"

#include <mnemos/core/json.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>

namespace mnemos::learning::gift {
namespace {

using boost::json::object;

// GIFT's special characters are escaped; a new line is written \n so a question stays one block.
std::string escaped(const std::string& text) {
  std::string out;
  for (const char c : json::trim(text)) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      continue;
    } else {
      if (std::string_view("~=#{}:\\").find(c) != std::string_view::npos) out += '\\';
      out += c;
    }
  }
  return out;
}

std::string text_of(const object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

// A Moodle weight for one of n right options: 100 / n with five decimals (50, 33.33333, 25...).
std::string share(std::size_t n) {
  char out[16];
  std::snprintf(out, sizeof out, "%.5f", 100.0 / static_cast<double>(n));
  std::string text = out;
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

std::string label(const Item& item, const object& c) {
  std::string text = text_of(c, "question");
  if (text.empty()) text = text_of(c, item.kind == "flashcard" ? "front" : item.kind == "cloze" ? "text" : "markdown");
  text = json::truncate_utf8(json::trim(text), 60);
  for (auto& ch : text) {
    if (ch == '\n' || ch == '\r') ch = ' ';
  }
  return text;
}

struct Writer {
  std::string body;
  std::vector<std::string> left_out;

  void question(const std::string& text, const std::string& answers, const std::string& after = "") {
    body += "[markdown]" + escaped(text) + " {" + answers + "}" + (after.empty() ? "" : " " + escaped(after)) + "\n\n";
  }

  void item(const Item& item) {
    const object c = json::parse(item.content).as_object();
    if (item.kind == "lesson") {
      body += "[markdown]" + escaped(text_of(c, "markdown")) + "\n\n";  // a description in Moodle
    } else if (item.kind == "flashcard") {
      question(text_of(c, "front"), "=" + escaped(text_of(c, "back")));
    } else if (item.kind == "cloze") {
      cloze(item, c);
    } else if (item.kind == "choice") {
      const auto& options = c.at("options").as_array();
      std::set<std::int64_t> right;
      for (const auto& a : c.at("answers").as_array()) right.insert(a.as_int64());
      const bool multiple = c.contains("multiple") && c.at("multiple").as_bool();
      std::string answers;
      for (std::size_t i = 0; i < options.size(); ++i) {
        const bool is_right = right.contains(static_cast<std::int64_t>(i));
        const std::string text = escaped(std::string(options[i].as_string()));
        if (!multiple) {
          answers += (is_right ? " =" : " ~") + text;
        } else {
          answers += " ~%" + (is_right ? share(right.size()) : std::string("-100")) + "%" + text;
        }
      }
      question(text_of(c, "question"), answers + " ");
    } else if (item.kind == "short_answer") {
      std::string answers;
      for (const auto& a : c.at("accepted").as_array()) answers += " =" + escaped(std::string(a.as_string()));
      question(text_of(c, "question"), answers + " ");
    } else if (item.kind == "matching") {
      std::string answers;
      for (const auto& pair : c.at("pairs").as_array()) {
        answers += "\n  =" + escaped(text_of(pair.as_object(), "left")) + " -> " + escaped(text_of(pair.as_object(), "right"));
      }
      if (const auto* extra = c.if_contains("distractors")) {
        for (const auto& d : extra->as_array()) answers += "\n  = -> " + escaped(std::string(d.as_string()));
      }
      question(text_of(c, "question"), answers + "\n");
    } else if (item.kind == "numerical") {
      const auto& list = c.at("answers").as_array();
      std::string answers = "#";
      for (const auto& each : list) {
        const auto& a = each.as_object();
        const std::string one = a.contains("min")
                                    ? json::shortest_decimal(a.at("min").to_number<double>()) + ".." + json::shortest_decimal(a.at("max").to_number<double>())
                                    : json::shortest_decimal(a.at("value").to_number<double>()) + ":" + json::shortest_decimal(a.at("tolerance").to_number<double>());
        answers += list.size() == 1 ? one : " =" + one;
      }
      question(text_of(c, "question"), answers);
      if (const auto* units = c.if_contains("units"); units != nullptr && !units->as_array().empty()) {
        left_out.push_back("\"" + label(item, c) + "\": its units (GIFT numbers have none), kept in the number only.");
      }
    } else {
      left_out.push_back("\"" + label(item, c) + "\" (" + item.kind + "): GIFT has no such question.");
    }
  }

  // A cloze card per gap number: its gaps as Moodle's missing word, the others shown.
  void cloze(const Item& item, const object& c) {
    const std::string text = text_of(c, "text");
    for (const int variant : variants_of(item)) {
      const auto expected = expected_in_words(item, variant);
      if (expected.size() != 1) {
        left_out.push_back("\"" + label(item, c) + "\" (gap c" + std::to_string(variant) +
                           "): a missing word in GIFT has one blank.");
        continue;
      }
      const std::string marker = "{{c" + std::to_string(variant) + "::";
      const auto at = text.find(marker);
      const auto end = text.find("}}", at);
      const auto before = prompt_text(text.substr(0, at));
      const auto after = prompt_text(text.substr(end + 2));
      question(before, "=" + escaped(expected[0]), after);
    }
  }

  // The other gaps of a cloze, shown with their answers.
  static std::string prompt_text(std::string text) {
    for (auto at = text.find("{{c"); at != std::string::npos; at = text.find("{{c", at)) {
      const auto sep = text.find("::", at);
      const auto end = text.find("}}", at);
      if (sep == std::string::npos || end == std::string::npos || sep > end) break;
      std::string answer = text.substr(sep + 2, end - sep - 2);
      if (const auto hint = answer.find("::"); hint != std::string::npos) answer = answer.substr(0, hint);
      text.replace(at, end + 2 - at, answer);
      at += answer.size();
    }
    return text;
  }
};

std::string category(const std::string& name) {
  std::string out;
  for (const char c : name) {
    if (c == '\n' || c == '\r') continue;
    out += c;
    if (c == '/') out += '/';  // Moodle reads "//" as a slash inside a category's name
  }
  return out;
}

}  // namespace

std::string write(const std::vector<Section>& sections) {
  Writer writer;
  for (const auto& section : sections) {
    writer.body += "$CATEGORY: $course$/top/" + category(section.category) + "\n\n";
    for (const auto& item : section.items) writer.item(item);
  }
  std::string head = "// Exported from Mnemos (GIFT, UTF-8). Questions are in Markdown.\n";
  for (const auto& reason : writer.left_out) head += "// Left out: " + reason + "\n";
  return head + "\n" + writer.body;
}

}  // namespace mnemos::learning::gift
