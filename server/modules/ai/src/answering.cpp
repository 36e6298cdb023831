#include "answering.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace mnemos::ai {

std::vector<std::string> split_sentences(std::string_view text) {
  std::vector<std::string> sentences;
  std::size_t start = 0;
  auto push = [&](std::size_t end) {
    std::string_view piece = text.substr(start, end - start);
    while (!piece.empty() && (piece.front() == ' ' || piece.front() == '\n')) piece.remove_prefix(1);
    while (!piece.empty() && (piece.back() == ' ' || piece.back() == '\n')) piece.remove_suffix(1);
    if (!piece.empty()) sentences.emplace_back(piece);
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool end_mark = c == '.' || c == '!' || c == '?';
    const bool paragraph = c == '\n' && i + 1 < text.size() && text[i + 1] == '\n';
    if (paragraph) {
      push(i);
      start = i + 2;
      ++i;
      continue;
    }
    if (!end_mark || i + 1 >= text.size() || (text[i + 1] != ' ' && text[i + 1] != '\n')) continue;
    // "M. Dupont", "J.-C.": a capital alone before the dot is an initial.
    const bool initial = c == '.' && i >= 1 && std::isupper(static_cast<unsigned char>(text[i - 1])) &&
                         (i == 1 || !std::isalpha(static_cast<unsigned char>(text[i - 2])));
    if (initial) continue;
    push(i + 1);
    start = i + 1;
  }
  if (start < text.size()) push(text.size());
  return sentences;
}

namespace {

bool is_definition_question(std::string_view question) {
  const std::string folded = fulltext::fold(question);
  for (const char* cue : {"qu'est-ce", "qu est-ce", "c'est quoi", "definition", "definis", "que veut dire",
                          "what is", "what are", "define", "meaning of", "what does"}) {
    if (folded.find(cue) != std::string::npos) return true;
  }
  return false;
}

bool reads_as_definition(const std::string& sentence) {
  const std::string folded = " " + fulltext::fold(sentence) + " ";
  for (const char* cue : {" est ", " sont ", " is ", " are ", " designe ", " means ", " appelle "}) {
    if (folded.find(cue) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

ExtractiveAnswer extract_answer(std::string_view question, const std::vector<PassageForAnswer>& passages,
                                fulltext::Language language, int max_sentences) {
  const auto question_terms = fulltext::terms(question, language);
  const std::set<std::string> wanted(question_terms.begin(), question_terms.end());
  if (wanted.empty() || passages.empty()) return {};
  struct Candidate {
    std::size_t passage;
    std::size_t position;
    std::string text;
    std::set<std::string> terms;
    double score = 0;
  };
  std::vector<Candidate> candidates;
  std::map<std::string, int> frequency;  // in how many sentences a question term appears
  for (std::size_t p = 0; p < passages.size(); ++p) {
    const auto sentences = split_sentences(passages[p].text);
    for (std::size_t s = 0; s < sentences.size(); ++s) {
      Candidate c{p, s, sentences[s], {}, 0};
      for (auto& term : fulltext::terms(sentences[s], language)) {
        if (wanted.contains(term)) c.terms.insert(std::move(term));
      }
      for (const auto& term : c.terms) ++frequency[term];
      candidates.push_back(std::move(c));
    }
  }
  const double n = static_cast<double>(candidates.size());
  const bool definition = is_definition_question(question);
  for (auto& c : candidates) {
    for (const auto& term : c.terms) c.score += std::log(1.0 + n / frequency[term]);
    c.score /= 1.0 + 0.25 * static_cast<double>(c.passage);  // the search's order counts
    if (definition && c.score > 0 && reads_as_definition(c.text)) c.score *= 1.5;
    if (c.text.size() > 600) c.score *= 0.6;  // a table or a list read as one sentence
  }
  std::vector<Candidate*> ranked;
  for (auto& c : candidates) {
    if (c.score > 0) ranked.push_back(&c);
  }
  std::sort(ranked.begin(), ranked.end(), [](const Candidate* a, const Candidate* b) { return a->score > b->score; });
  if (ranked.empty()) return {};
  const double best = ranked.front()->score;
  std::vector<Candidate*> chosen;
  for (auto* c : ranked) {
    if (static_cast<int>(chosen.size()) >= max_sentences || c->score < 0.5 * best) break;
    chosen.push_back(c);
  }
  std::sort(chosen.begin(), chosen.end(), [](const Candidate* a, const Candidate* b) {
    return a->passage != b->passage ? a->passage < b->passage : a->position < b->position;
  });
  ExtractiveAnswer answer;
  for (const auto* c : chosen) {
    answer.sentences.push_back({passages[c->passage].source_id, passages[c->passage].passage_id, c->text,
                                static_cast<int>(answer.sentences.size()) + 1});
  }
  return answer;
}

// ---- complexity ----------------------------------------------------------------------------------

namespace {

// Verbs and question words by Bloom's level, folded; the highest level found wins.
const std::vector<std::pair<int, std::vector<std::string_view>>>& bloom_cues() {
  static const std::vector<std::pair<int, std::vector<std::string_view>>> cues = {
      {6, {"invente", "inventer", "imagine", "imaginer", "concois", "concevoir", "cree", "creer", "propose", "proposer",
           "redige", "rediger", "invent", "imagine", "design", "create", "compose", "devise", "propose", "write"}},
      {5, {"justifie", "justifier", "evalue", "evaluer", "critique", "critiquer", "argumente", "defends", "est-il vrai",
           "faut-il", "vaut-il", "judge", "justify", "evaluate", "assess", "criticise", "criticize", "defend",
           "should", "better", "worse"}},
      {4, {"compare", "comparer", "analyse", "analyser", "distingue", "distinguer", "difference", "differences",
           "pourquoi", "cause", "causes", "consequence", "consequences", "relation", "contrast", "analyze", "analyse",
           "difference", "why", "cause", "effect", "relationship", "distinguish"}},
      {3, {"calcule", "calculer", "applique", "appliquer", "resous", "resoudre", "utilise", "utiliser", "comment",
           "montre", "trace", "calculate", "apply", "solve", "use", "how", "show", "work", "compute"}},
      {2, {"explique", "expliquer", "resume", "resumer", "decris", "decrire", "reformule", "interprete", "signifie",
           "explain", "describe", "summarise", "summarize", "interpret", "mean", "means", "meaning"}},
  };
  return cues;
}

int syllables_of(const std::string& folded_word, fulltext::Language language) {
  int count = 0;
  bool in_vowel = false;
  for (const char c : folded_word) {
    const bool vowel = c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
    if (vowel && !in_vowel) ++count;
    in_vowel = vowel;
  }
  // A final silent e ("table", "make") is not a syllable of its own.
  if (count > 1 && folded_word.size() > 2 && folded_word.back() == 'e' && folded_word[folded_word.size() - 2] != 'l' &&
      language == fulltext::Language::english) {
    --count;
  }
  if (count > 1 && folded_word.size() > 2 && folded_word.ends_with("e") && language == fulltext::Language::french) --count;
  return std::max(1, count);
}

}  // namespace

std::string_view bloom_name(int level) {
  switch (level) {
    case 6: return "create";
    case 5: return "evaluate";
    case 4: return "analyse";
    case 3: return "apply";
    case 2: return "understand";
    default: return "remember";
  }
}

Complexity complexity_of(std::string_view question, fulltext::Language language) {
  Complexity result;
  const auto words = fulltext::words(question);
  const std::string folded = " " + fulltext::fold(question) + " ";
  for (const auto& [level, cues] : bloom_cues()) {
    const bool found = std::any_of(cues.begin(), cues.end(), [&](std::string_view cue) {
      if (cue.find(' ') != std::string_view::npos || cue.find('-') != std::string_view::npos) {
        return folded.find(cue) != std::string::npos;
      }
      return std::find(words.begin(), words.end(), cue) != words.end();
    });
    if (found) {
      result.bloom_level = level;
      break;
    }
  }
  if (words.empty()) return result;
  int syllables = 0;
  for (const auto& w : words) syllables += syllables_of(w, language);
  const double sentences = std::max<double>(1, static_cast<double>(split_sentences(question).size()));
  const double per_sentence = static_cast<double>(words.size()) / sentences;
  const double per_word = static_cast<double>(syllables) / static_cast<double>(words.size());
  result.readability = language == fulltext::Language::english ? 206.835 - 1.015 * per_sentence - 84.6 * per_word
                                                                : 207.0 - 1.015 * per_sentence - 73.6 * per_word;
  return result;
}

}  // namespace mnemos::ai
