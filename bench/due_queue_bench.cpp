// The due-queue query of issue #3: one student's due cards among 1,000,000 card states of a
// school (1,000 students × 1,000 cards), through the learning module's own repository function
// and the pooled, prepared statement it uses in production. Prints p50/p90/p99/max.
//
//   mnemos_due_queue_bench sqlite:///tmp/due.db
//   scripts/with-postgres sh -c 'build/bench/mnemos_due_queue_bench "$MNEMOS_TEST_PG_URL"'
#include <mnemos/core/db.hpp>
#include <mnemos/core/migrations.hpp>
#include <mnemos/learning/module.hpp>

#include "repository.hpp"  // the module's SQL, measured as it runs (bench-only include path)

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

using namespace mnemos;

namespace {
constexpr int kStudents = 1000;
constexpr int kCardsPerStudent = 1000;
constexpr int kQueries = 5000;
constexpr std::int64_t kNow = 1'780'000'000'000;
constexpr std::int64_t kDayMs = 86'400'000;

std::string id_of(const char* prefix, int n) {
  char text[40];
  std::snprintf(text, sizeof text, "%s-%08d", prefix, n);
  return text;
}

void fill(db::Database& db) {
  const std::string school = "school-bench";
  db.write([&](soci::session& sql) {
    sql << "INSERT INTO learning_paths (id, school_id, subject_id, owner_id, title, objectives, level, status, "
           "created_at, updated_at) VALUES ('path', :s, 'subject', 'teacher', 'Bench', '', '', 'active', 0, 0)",
        soci::use(school);
    sql << "INSERT INTO learning_steps (id, school_id, path_id, position, title, kind, unlock_rule, created_at, "
           "updated_at) VALUES ('step', :s, 'path', 0, 'Bench', 'cards', 'open', 0, 0)",
        soci::use(school);
    for (int i = 0; i < kCardsPerStudent; ++i) {
      const std::string item = id_of("item", i);
      sql << "INSERT INTO learning_items (id, school_id, step_id, position, kind, content, tags, origin, "
             "validation, created_by, created_at, updated_at) VALUES (:id, :s, 'step', :p, 'flashcard', '{}', '', "
             "'manual', 'validated', 'teacher', 0, 0)",
          soci::use(item), soci::use(school), soci::use(i);
    }
  });
  // Due times spread over ±60 days around now: about half of each student's cards are due.
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<std::int64_t> offset(-60 * kDayMs, 60 * kDayMs);
  constexpr int kBatch = 250;
  for (int s = 0; s < kStudents; ++s) {
    db.write([&](soci::session& sql) {
      for (int from = 0; from < kCardsPerStudent; from += kBatch) {
        std::string insert =
            "INSERT INTO learning_cards (school_id, student_id, item_id, variant, path_id, step_id, subject_id, "
            "state, stability, difficulty, learning_step, reviews, lapses, last_review_at, due_at) VALUES ";
        for (int i = from; i < from + kBatch; ++i) {
          if (i > from) insert += ",";
          insert += "('school-bench','" + id_of("student", s) + "','" + id_of("item", i) +
                    "',0,'path','step','subject',2,10.5,5.2,0,4,0," + std::to_string(kNow - 10 * kDayMs) + "," +
                    std::to_string(kNow + offset(rng)) + ")";
        }
        sql << insert;
      }
    });
  }
  db.read([&](soci::session& sql) {
    if (db.dialect() == db::Dialect::postgresql) {
      sql << "ANALYZE learning_cards";
    } else {
      sql << "ANALYZE";
    }
  });
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s DATABASE_URL\n", argv[0]);
    return 2;
  }
  auto db = db::Database::open(argv[1], 1);
  db::migrate(*db, {{"core", core::migration_files()}, learning::Module::migrations()});
  std::int64_t existing = 0;
  db->read([&](soci::session& sql) { sql << "SELECT COUNT(*) FROM learning_cards", soci::into(existing); });
  if (existing < static_cast<std::int64_t>(kStudents) * kCardsPerStudent) {
    const auto start = std::chrono::steady_clock::now();
    fill(*db);
    std::printf("filled %d card states in %.1f s\n", kStudents * kCardsPerStudent,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> student(0, kStudents - 1);
  std::vector<double> micros;
  std::size_t rows = 0;
  for (int q = 0; q < kQueries + 200; ++q) {
    const std::string who = id_of("student", student(rng));
    const auto start = std::chrono::steady_clock::now();
    const auto due = db->read([&](soci::session& sql) {
      return learning::repo::due_cards(sql, "school-bench", who, kNow, 50);
    });
    const double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
    if (q >= 200) {  // the first ones warm the cache and prepare the statement
      micros.push_back(us);
      rows += due.size();
    }
  }
  std::sort(micros.begin(), micros.end());
  auto at = [&](double p) { return micros[static_cast<std::size_t>(p * static_cast<double>(micros.size() - 1))]; };
  std::printf("due queue (50 earliest due cards of one student among %d): %d queries, %.1f rows each\n",
              kStudents * kCardsPerStudent, kQueries, static_cast<double>(rows) / kQueries);
  std::printf("  p50 %.0f us  p90 %.0f us  p99 %.0f us  max %.0f us\n", at(0.5), at(0.9), at(0.99), micros.back());
  return 0;
}
