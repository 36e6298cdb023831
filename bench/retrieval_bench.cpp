// Retrieval measured, not assumed (issue #13, the brief's #6): the documents of bench/retrieval/
// (written for this benchmark, French and English) go through the ai module's own reading and
// splitting (documents.hpp) into core's full-text index, then each question of questions.tsv is
// searched. A question is answered at rank k when the k-th passage holds the phrase the question
// names. Prints recall@1, recall@5 and MRR per language, the misses, then the search time with
// 10,000 passages in the school.
//
//   build/bench/mnemos_retrieval_bench sqlite:///tmp/retrieval.db bench/retrieval
//   scripts/with-postgres sh -c 'build/bench/mnemos_retrieval_bench "$MNEMOS_TEST_PG_URL" bench/retrieval'
#include <mnemos/core/db.hpp>
#include <mnemos/core/fulltext.hpp>
#include <mnemos/core/migrations.hpp>

#include "documents.hpp"  // the ai module's reading and splitting (bench-only include path)
#include "pdf_writer.hpp"  // the tests' PDF maker: a 300-page course to index

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

using namespace mnemos;

namespace {

constexpr const char* kSchool = "school-bench";
constexpr const char* kKind = "ai.passage";
constexpr int kFillerPassages = 10'000;

struct Question {
  std::string language, text, phrase;
};

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::vector<Question> read_questions(const std::filesystem::path& path) {
  std::vector<Question> questions;
  std::istringstream in(read_file(path));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto a = line.find('\t');
    const auto b = line.find('\t', a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    questions.push_back({line.substr(0, a), line.substr(a + 1, b - a - 1), line.substr(b + 1)});
  }
  return questions;
}

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<std::size_t>(p * static_cast<double>(values.size())))];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s DATABASE_URL DOCUMENTS_DIR\n", argv[0]);
    return 2;
  }
  const std::filesystem::path dir = argv[2];
  auto db = db::Database::open(argv[1], 2);
  db::migrate(*db, {{"core", core::migration_files()}});
  db->write([](soci::session& sql) { sql << "DELETE FROM core_fulltext"; });
  if (db->dialect() == db::Dialect::sqlite) {
    db->write([](soci::session& sql) {
      sql << "INSERT INTO core_fulltext_french (core_fulltext_french) VALUES ('delete-all')";
      sql << "INSERT INTO core_fulltext_english (core_fulltext_english) VALUES ('delete-all')";
    });
  }

  // Each document is a source of the path; its passages are what a search may return.
  std::map<std::string, std::string> passage_text;  // doc_id -> text
  std::vector<std::string> scopes;
  std::vector<std::string> sentences;  // for the filler
  int passages = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".md") continue;
    const std::string bytes = read_file(entry.path());
    const auto blocks = ai::blocks_of_text(ai::SourceKind::markdown, bytes);
    const auto language = fulltext::guess_language(bytes);
    const std::string scope = entry.path().stem().string();
    scopes.push_back(scope);
    int position = 0;
    db->write([&](soci::session& sql) {
      for (const auto& passage : ai::split_passages(blocks)) {
        const std::string id = scope + "#" + std::to_string(position++);
        passage_text[id] = passage.text;
        fulltext::put(sql, {kSchool, kKind, scope, id, language, passage.heading + "\n" + passage.text});
        ++passages;
        std::istringstream words(passage.text);
        std::string sentence;
        while (std::getline(words, sentence, '.')) {
          if (sentence.size() > 20) sentences.push_back(sentence + ".");
        }
      }
    });
  }
  const auto questions = read_questions(dir / "questions.tsv");
  std::printf("retrieval: %zu documents, %d passages, %zu questions, database %s\n", scopes.size(), passages,
              questions.size(), db->dialect() == db::Dialect::sqlite ? "SQLite" : "PostgreSQL");

  auto evaluate = [&](const char* label, const std::vector<std::string>& scope_list, bool print_misses) {
    std::map<std::string, std::vector<int>> ranks;  // language -> rank (0: not in the top 5)
    for (const auto& q : questions) {
      const auto hits = db->read([&](soci::session& sql) {
        return fulltext::search(sql, {kSchool, kKind, scope_list, q.text, 5});
      });
      int rank = 0;
      for (std::size_t i = 0; i < hits.size() && rank == 0; ++i) {
        const auto it = passage_text.find(hits[i].doc_id);
        if (it != passage_text.end() && it->second.find(q.phrase) != std::string::npos) rank = static_cast<int>(i) + 1;
      }
      ranks[q.language].push_back(rank);
      if (rank != 1 && print_misses) {
        const auto it = hits.empty() ? passage_text.end() : passage_text.find(hits[0].doc_id);
        std::printf("  %s rank %s: \"%s\" -> first: %.70s\n", q.language.c_str(),
                    rank == 0 ? "none" : std::to_string(rank).c_str(), q.text.c_str(),
                    it == passage_text.end() ? "(nothing)" : it->second.c_str());
      }
    }
    for (const auto& [language, list] : ranks) {
      double at1 = 0, at5 = 0, mrr = 0;
      for (const int r : list) {
        at1 += r == 1;
        at5 += r >= 1;
        mrr += r >= 1 ? 1.0 / r : 0.0;
      }
      const double n = static_cast<double>(list.size());
      std::printf("%s %s: recall@1 %.3f, recall@5 %.3f, MRR %.3f (%zu questions)\n", label, language.c_str(), at1 / n,
                  at5 / n, mrr / n, list.size());
    }
  };
  evaluate("the path's sources", scopes, true);

  // A school of 10,000 passages: 50 more sources of 200 passages each, made of the documents'
  // sentences shuffled (the worst case for a search: every word of a question is frequent).
  std::mt19937 rng(7);
  std::uniform_int_distribution<std::size_t> pick(0, sentences.size() - 1);
  std::vector<std::string> all_scopes = scopes;
  const auto fill_start = std::chrono::steady_clock::now();
  for (int s = 0; s < kFillerPassages / 200; ++s) {
    const std::string scope = "filler-" + std::to_string(s);
    all_scopes.push_back(scope);
    db->write([&](soci::session& sql) {
      for (int p = 0; p < 200; ++p) {
        std::string text;
        for (int k = 0; k < 8; ++k) text += sentences[pick(rng)] + " ";
        const std::string id = scope + "#" + std::to_string(p);
        passage_text[id] = text;
        fulltext::put(sql, {kSchool, kKind, scope, id, fulltext::guess_language(text), text});
      }
    });
  }
  const double fill_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - fill_start).count();
  std::printf("indexed %d filler passages in %.1f s (%.0f passages/s)\n", kFillerPassages, fill_s,
              kFillerPassages / fill_s);
  if (db->dialect() == db::Dialect::postgresql) db->write([](soci::session& sql) { sql << "ANALYZE core_fulltext"; });

  std::vector<double> path_ms, school_ms;
  for (int round = 0; round < 10; ++round) {
    for (const auto& q : questions) {
      for (const auto* scope_list : {&scopes, &all_scopes}) {
        const auto start = std::chrono::steady_clock::now();
        db->read([&](soci::session& sql) { return fulltext::search(sql, {kSchool, kKind, *scope_list, q.text, 5}); });
        const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        (scope_list == &scopes ? path_ms : school_ms).push_back(ms);
      }
    }
  }
  std::printf("search, %d passages in the school, one path's %zu sources: p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
              passages + kFillerPassages, scopes.size(), percentile(path_ms, 0.5), percentile(path_ms, 0.99),
              percentile(path_ms, 1.0));
  std::printf("search, all %zu sources (10,000+ passages): p50 %.2f ms, p99 %.2f ms, max %.2f ms\n", all_scopes.size(),
              percentile(school_ms, 0.5), percentile(school_ms, 0.99), percentile(school_ms, 1.0));
  evaluate("the path's sources, 10,000 passages in the school", scopes, false);

  // Indexing a 300-page PDF as the job does: text by poppler (in its child process), blocks,
  // passages, the full-text index in one transaction.
  {
    std::vector<std::vector<std::string>> pages;
    for (int page = 0; page < 300; ++page) {
      std::vector<std::string> lines{"Chapitre " + std::to_string(page / 10 + 1) + ", page " + std::to_string(page + 1)};
      for (int line = 0; line < 45; ++line) {
        std::string text = sentences[pick(rng)];
        if (text.size() > 95) text.resize(95);
        lines.push_back(text);
      }
      pages.push_back(std::move(lines));
    }
    const std::string pdf = test::text_pdf(pages);
    const auto start = std::chrono::steady_clock::now();
    const auto texts = ai::pdf_pages(pdf);
    const auto read = std::chrono::steady_clock::now();
    const auto passages_300 = ai::split_passages(ai::blocks_of_pdf(texts));
    db->write([&](soci::session& sql) {
      int position = 0;
      for (const auto& passage : passages_300) {
        fulltext::put(sql, {kSchool, kKind, "pdf-300", "pdf-300#" + std::to_string(position++),
                            fulltext::Language::french, passage.heading + "\n" + passage.text});
      }
    });
    const auto done = std::chrono::steady_clock::now();
    const double total_s = std::chrono::duration<double>(done - start).count();
    std::printf("indexing a 300-page PDF (%zu KiB, %zu passages): %.2f s in all (%.0f pages/s), of which poppler %.2f s\n",
                pdf.size() / 1024, passages_300.size(), total_s, 300 / total_s,
                std::chrono::duration<double>(read - start).count());
  }
  evaluate("every source of the school (10,000 passages)", all_scopes, false);
  return 0;
}
