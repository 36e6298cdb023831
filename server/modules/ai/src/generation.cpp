#include "generation.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace mnemos::ai {
namespace {

using boost::json::array;
using boost::json::object;

struct Definition {
  std::string subject;   // "La photosynthèse"
  std::string sentence;  // the whole sentence
  std::string meaning;   // what follows the verb
  bool plural = false;
  std::size_t passage = 0;
};

std::string trim(std::string text) {
  const auto first = text.find_first_not_of(" ");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" .");
  return text.substr(first, last - first + 1);
}

// "La photosynthèse est le processus..." -> subject "La photosynthèse".
std::optional<Definition> definition_in(const std::string& sentence, fulltext::Language language) {
  static const std::vector<std::pair<std::string, bool>> french = {{" est ", false}, {" sont ", true},
                                                                    {" désigne ", false}, {" désignent ", true}};
  static const std::vector<std::pair<std::string, bool>> english = {{" is ", false}, {" are ", true}, {" means ", false}};
  for (const auto& [verb, plural] : language == fulltext::Language::french ? french : english) {
    const auto at = sentence.find(verb);
    if (at == std::string::npos || at == 0) continue;
    const std::string subject = trim(sentence.substr(0, at));
    const std::string meaning = trim(sentence.substr(at + verb.size()));
    const auto subject_words = fulltext::words(subject).size();
    // A subject of a few words that is not a pronoun, and a meaning worth learning.
    if (subject_words == 0 || subject_words > 5 || fulltext::words(meaning).size() < 4) continue;
    if (subject.find(',') != std::string::npos) continue;
    const std::string first = fulltext::words(subject).front();
    if (fulltext::is_stop_word(first, language) && subject_words == 1) continue;  // "Elle est..."
    return Definition{subject, sentence, meaning, plural, 0};
  }
  return std::nullopt;
}

std::string lower_first(std::string text) {
  if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z') text[0] = static_cast<char>(text[0] - 'A' + 'a');
  return text;
}

// The subject without its article, for an answer or an option ("La photosynthèse" -> "photosynthèse").
std::string bare(const std::string& subject) {
  for (const char* article : {"Le ", "La ", "Les ", "L'", "L’", "Un ", "Une ", "Des ", "The ", "A ", "An "}) {
    const std::string a(article);
    if (subject.rfind(a, 0) == 0) return subject.substr(a.size());
  }
  return subject;
}

std::string question_for(const Definition& d, fulltext::Language language) {
  // "La photosynthèse" is asked as "la photosynthèse"; a name without an article keeps its capital
  // ("Sydney", not "sydney").
  const std::string subject = bare(d.subject) != d.subject ? lower_first(d.subject) : d.subject;
  if (language == fulltext::Language::english) {
    return std::string(d.plural ? "What are " : "What is ") + subject + "?";
  }
  return (d.plural ? "Que sont " : "Qu'est-ce que ") + subject + " ?";
}

// The first whole-word occurrence of `term` (folded comparison) in `sentence`: its byte span.
std::optional<std::pair<std::size_t, std::size_t>> find_term(const std::string& sentence, const std::string& term) {
  const std::string folded_term = fulltext::fold(term);
  for (const auto& span : fulltext::word_spans(sentence)) {
    if (span.folded == folded_term) return std::pair{span.start, span.end};
  }
  return std::nullopt;
}

}  // namespace

std::vector<std::string> key_terms(const std::vector<PassageForAnswer>& passages, fulltext::Language language,
                                   std::size_t limit) {
  std::map<std::string, int> frequency;        // folded term -> occurrences
  std::map<std::string, int> documents;        // folded term -> passages holding it
  std::map<std::string, std::string> written;  // folded term -> first spelling
  for (const auto& passage : passages) {
    std::set<std::string> seen;
    // The text first: a term is written as the sentences write it, not as a title capitalises it.
    for (const std::string* text : {&passage.text, &passage.heading}) {
      for (const auto& span : fulltext::word_spans(*text)) {
        if (span.folded.size() < 4 || fulltext::is_stop_word(span.folded, language)) continue;
        if (std::all_of(span.folded.begin(), span.folded.end(), [](char c) { return c >= '0' && c <= '9'; })) continue;
        ++frequency[span.folded];
        if (seen.insert(span.folded).second) ++documents[span.folded];
        written.try_emplace(span.folded, text->substr(span.start, span.end - span.start));
      }
    }
  }
  const double n = static_cast<double>(std::max<std::size_t>(passages.size(), 1));
  std::vector<std::pair<double, std::string>> scored;
  for (const auto& [term, count] : frequency) {
    // Frequent in the course, concentrated in few passages; a word seen once is rarely a key term.
    if (count < 2 && passages.size() > 1) continue;
    const double idf = std::log(1.0 + n / documents[term]);
    scored.emplace_back(static_cast<double>(count) * idf * std::log(2.0 + static_cast<double>(term.size())), term);
  }
  std::sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::string> out;
  for (const auto& [score, term] : scored) {
    if (out.size() >= limit) break;
    out.push_back(written[term]);
  }
  return out;
}

std::vector<GeneratedCard> generate_by_rules(const std::vector<PassageForAnswer>& passages,
                                             fulltext::Language language, const GenerationRequest& request) {
  std::vector<Definition> definitions;
  std::vector<std::pair<std::size_t, std::string>> sentences;  // passage, sentence
  for (std::size_t p = 0; p < passages.size(); ++p) {
    for (auto& sentence : split_sentences(passages[p].text)) {
      if (auto d = definition_in(sentence, language)) {
        d->passage = p;
        definitions.push_back(*d);
      }
      sentences.emplace_back(p, std::move(sentence));
    }
  }
  const auto terms = key_terms(passages, language);
  const bool want_flashcards = std::find(request.kinds.begin(), request.kinds.end(), "flashcard") != request.kinds.end();
  const bool want_cloze = std::find(request.kinds.begin(), request.kinds.end(), "cloze") != request.kinds.end();
  const bool want_choice = std::find(request.kinds.begin(), request.kinds.end(), "choice") != request.kinds.end();

  std::vector<GeneratedCard> flashcards, clozes, choices;
  std::set<std::string> used_sentences;
  for (const auto& d : definitions) {
    const auto& passage = passages[d.passage];
    if (want_flashcards) {
      flashcards.push_back({"flashcard",
                            boost::json::serialize(object{{"front", question_for(d, language)}, {"back", d.sentence}}),
                            passage.source_id, passage.passage_id});
    }
    if (want_choice) {
      // Distractors: the other things the sources define, then key terms, never the answer.
      std::vector<std::string> options{bare(d.subject)};
      auto add_option = [&](const std::string& candidate) {
        if (options.size() >= 4) return;
        const std::string folded = fulltext::fold(candidate);
        for (const auto& o : options) {
          if (fulltext::fold(o) == folded) return;
        }
        if (fulltext::fold(d.sentence).find(folded) != std::string::npos) return;  // a word of the answer itself
        options.push_back(candidate);
      };
      for (const auto& other : definitions) add_option(bare(other.subject));
      for (const auto& term : terms) add_option(term);
      if (options.size() >= 3) {
        // The right option's place follows the sentence, not always first.
        const std::size_t right = std::hash<std::string>{}(d.sentence) % options.size();
        std::swap(options[0], options[right]);
        array option_list;
        for (const auto& o : options) option_list.emplace_back(o);
        const std::string question = language == fulltext::Language::english
                                         ? "Which term matches: “" + d.meaning + "”?"
                                         : "Quel terme correspond à : « " + d.meaning + " » ?";
        choices.push_back({"choice",
                           boost::json::serialize(object{{"question", question},
                                                         {"options", std::move(option_list)},
                                                         {"answers", array{static_cast<std::int64_t>(right)}}}),
                           passage.source_id, passage.passage_id});
      }
    }
  }
  if (want_cloze) {
    std::set<std::string> used_terms;
    for (const auto& term : terms) {
      for (const auto& [p, sentence] : sentences) {
        const auto words = fulltext::words(sentence).size();
        if (words < 8 || words > 40 || used_sentences.contains(sentence)) continue;
        const auto span = find_term(sentence, term);
        if (!span || span->first == 0) continue;  // a gap opening the sentence gives no context
        const std::string gap = sentence.substr(span->first, span->second - span->first);
        const std::string text = sentence.substr(0, span->first) + "{{c1::" + gap + "}}" + sentence.substr(span->second);
        clozes.push_back({"cloze", boost::json::serialize(object{{"text", text}}), passages[p].source_id,
                          passages[p].passage_id});
        used_sentences.insert(sentence);
        used_terms.insert(term);
        break;
      }
    }
  }
  // Taken in turn from each kind, so that a small count still has some of each.
  std::vector<GeneratedCard> out;
  std::size_t i = 0;
  while (static_cast<int>(out.size()) < request.count &&
         (i < flashcards.size() || i < clozes.size() || i < choices.size())) {
    for (auto* list : {&flashcards, &clozes, &choices}) {
      if (i < list->size() && static_cast<int>(out.size()) < request.count) out.push_back((*list)[i]);
    }
    ++i;
  }
  return out;
}

std::string generation_prompt(const std::vector<PassageForAnswer>& passages, fulltext::Language language,
                              const GenerationRequest& request) {
  const bool english = language == fulltext::Language::english;
  std::string kinds;
  for (const auto& k : request.kinds) kinds += (kinds.empty() ? "" : ", ") + k;
  std::string prompt =
      english ? "Write " + std::to_string(request.count) + " revision cards for school pupils from the course passages below, "
                    "in English, each about one fact the passages state. Kinds: " + kinds + ". "
              : "Écris " + std::to_string(request.count) + " cartes de révision pour des élèves à partir des passages du cours "
                    "ci-dessous, en français, chacune sur un fait que les passages énoncent. Types : " + kinds + ". ";
  prompt +=
      "Answer with one JSON object only: {\"items\": [...]}, each item one of "
      "{\"kind\":\"flashcard\",\"front\":\"...\",\"back\":\"...\",\"passage\":N}, "
      "{\"kind\":\"cloze\",\"text\":\"... {{c1::gap}} ...\",\"passage\":N}, "
      "{\"kind\":\"choice\",\"question\":\"...\",\"options\":[\"...\",\"...\",\"...\",\"...\"],\"answer\":I,\"passage\":N} "
      "where N is the number of the passage it comes from and I the position (from 0) of the right option.\n\n";
  for (std::size_t i = 0; i < passages.size(); ++i) {
    prompt += "[" + std::to_string(i + 1) + "] " + passages[i].heading + "\n" + passages[i].text + "\n\n";
  }
  return prompt;
}

std::vector<GeneratedCard> cards_from_model(const std::string& reply, const std::vector<PassageForAnswer>& passages,
                                            std::vector<std::string>& errors) {
  std::vector<GeneratedCard> out;
  boost::system::error_code error;
  // Models wrap JSON in prose or code fences now and then: the outermost object is read.
  const auto open = reply.find('{');
  const auto close = reply.rfind('}');
  if (open == std::string::npos || close == std::string::npos || close < open) {
    errors.push_back("the reply holds no JSON object");
    return out;
  }
  const auto value = boost::json::parse(std::string_view(reply).substr(open, close - open + 1), error);
  const auto* items = !error && value.is_object() ? value.as_object().if_contains("items") : nullptr;
  if (items == nullptr || !items->is_array()) {
    errors.push_back("the reply is not {\"items\": [...]}");
    return out;
  }
  auto text_of = [](const object& o, const char* key) {
    const auto* v = o.if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
  };
  for (const auto& item : items->as_array()) {
    const auto* o = item.if_object();
    if (o == nullptr) {
      errors.push_back("an item is not an object");
      continue;
    }
    std::size_t passage = 0;
    if (const auto* n = o->if_contains("passage"); n != nullptr && n->is_int64() && n->as_int64() >= 1 &&
                                                   static_cast<std::size_t>(n->as_int64()) <= passages.size()) {
      passage = static_cast<std::size_t>(n->as_int64()) - 1;
    }
    const std::string source = passages.empty() ? "" : passages[passage].source_id;
    const std::string passage_id = passages.empty() ? "" : passages[passage].passage_id;
    const std::string kind = text_of(*o, "kind");
    if (kind == "flashcard" && !text_of(*o, "front").empty() && !text_of(*o, "back").empty()) {
      out.push_back({kind, boost::json::serialize(object{{"front", text_of(*o, "front")}, {"back", text_of(*o, "back")}}),
                     source, passage_id});
    } else if (kind == "cloze" && text_of(*o, "text").find("{{c1::") != std::string::npos) {
      out.push_back({kind, boost::json::serialize(object{{"text", text_of(*o, "text")}}), source, passage_id});
    } else if (kind == "choice" && o->contains("options") && o->at("options").is_array() && o->contains("answer") &&
               o->at("answer").is_int64()) {
      out.push_back({kind,
                     boost::json::serialize(object{{"question", text_of(*o, "question")},
                                                   {"options", o->at("options")},
                                                   {"answers", array{o->at("answer")}}}),
                     source, passage_id});
    } else {
      errors.push_back("an item of kind '" + kind.substr(0, 20) + "' lacks its fields");
    }
  }
  return out;
}

}  // namespace mnemos::ai
