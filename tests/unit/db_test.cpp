// Writes through core/db on the database under test: on SQLite they share one
// writer and its commits (docs/decisions/0008), and must keep each write's own
// outcome.
#include "../support/test_support.hpp"

#include <mnemos/core/batcher.hpp>
#include <mnemos/core/db.hpp>
#include <mnemos/core/error.hpp>
#include <mnemos/core/migrations.hpp>
#include <mnemos/learning/module.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace mnemos::testing {
namespace {

class Writes : public ::testing::Test {
protected:
  void SetUp() override {
    db_ = db::Database::open(database_.url(), 4);
    db_->write([](soci::session &sql) {
      sql << "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)";
    });
  }
  int count() {
    return db_->read([](soci::session &sql) {
      int n = 0;
      sql << "SELECT COUNT(*) FROM notes", soci::into(n);
      return n;
    });
  }
  TestDatabase database_;
  std::unique_ptr<db::Database> db_;
};

TEST_F(Writes, ConcurrentWritesKeepTheirOwnOutcomeAndAreVisibleOnceTheyReturn) {
  constexpr int kThreads = 16;
  constexpr int kWritesEach = 25;
  std::atomic<int> refused = 0;
  std::atomic<int> unseen = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWritesEach; ++i) {
        const int id = t * 1000 + i;
        try {
          db_->write([&](soci::session &sql) {
            sql << "INSERT INTO notes (id, text) VALUES (:id, 'kept')",
                soci::use(id);
            // Every fifth write fails after writing: only it is undone, not its
            // batch.
            if (i % 5 == 4)
              throw Error::conflict("refused on purpose");
          });
        } catch (const Error &) {
          ++refused;
          continue;
        }
        // Acknowledged means committed: any connection sees it at once.
        const bool seen = db_->read([&](soci::session &sql) {
          int n = 0;
          sql << "SELECT COUNT(*) FROM notes WHERE id = :id", soci::use(id),
              soci::into(n);
          return n == 1;
        });
        if (!seen)
          ++unseen;
      }
    });
  }
  for (auto &thread : threads)
    thread.join();
  EXPECT_EQ(refused.load(), kThreads * kWritesEach / 5);
  EXPECT_EQ(unseen.load(), 0);
  EXPECT_EQ(count(), kThreads * kWritesEach * 4 / 5);
}

TEST_F(Writes,
       AFailedStatementIsReportedToItsWriterOnlyAndAWriteInsideAWriteJoinsIt) {
  EXPECT_THROW(db_->write([](soci::session &sql) {
    sql << "INSERT INTO notes (id, text) VALUES (1, NULL)";
  }),
               std::exception);
  db_->write([&](soci::session &sql) {
    sql << "INSERT INTO notes (id, text) VALUES (2, 'outer')";
    db_->write([](soci::session &inner) {
      inner << "INSERT INTO notes (id, text) VALUES (3, 'inner')";
    });
    EXPECT_THROW(db_->write([](soci::session &inner) {
      inner << "INSERT INTO notes (id, text) VALUES (4, 'undone')";
      throw Error::conflict("undo the inner write");
    }),
                 Error);
  });
  EXPECT_EQ(count(), 2);
}

TEST_F(Writes, AUniqueViolationIsAConflictAndLeavesTheRowAsItWas) {
  db_->write([](soci::session &sql) {
    sql << "INSERT INTO notes (id, text) VALUES (7, 'first')";
  });
  try {
    db_->write([](soci::session &sql) {
      sql << "INSERT INTO notes (id, text) VALUES (7, 'second')";
    });
    FAIL() << "a duplicate id was accepted";
  } catch (const Error &e) {
    EXPECT_EQ(e.code(), ErrorCode::conflict);
  }
  const std::string text = db_->read([](soci::session &sql) {
    std::string t;
    sql << "SELECT text FROM notes WHERE id = 7", soci::into(t);
    return t;
  });
  EXPECT_EQ(text, "first");
}

// Sessions in progress when the server is upgraded keep their cards: the JSON
// queue of migration 0002 becomes the turns of 0004 (twin files 0005 for each
// database) and the counts of 0006.
// for_each_row keeps its statement prepared by its text: each call gets its own inputs and fresh
// rows (a column the row does not bind is not carried over from the call before).
TEST_F(Writes, KeptStatementsReadEachCallsOwnInputsAndRows) {
  db_->write([](soci::session &sql) {
    for (int i = 1; i <= 5; ++i) {
      sql << "INSERT INTO notes (id, text) VALUES (:id, :text)", soci::use(i), soci::use("note " + std::to_string(i));
    }
  });
  struct Row {
    int id = 0;
    std::string text;
    int untouched = 7;  // not bound: as made by Row{} at every call
  };
  const std::string query = "SELECT id, text FROM notes WHERE id >= :low ORDER BY id";
  const auto bind = [](db::Prepared &p, Row &r) { p, soci::into(r.id), soci::into(r.text); };
  for (int round = 0; round < 3; ++round) {
    for (int low = 1; low <= 6; ++low) {
      const auto rows = db_->read([&](soci::session &sql) {
        std::vector<Row> out;
        db::for_each_row<Row>(sql, query, bind, [&](Row &r) { out.push_back(r); r.untouched = -1; }, soci::use(low));
        return out;
      });
      ASSERT_EQ(rows.size(), static_cast<std::size_t>(6 - low)) << "low " << low;
      for (std::size_t i = 0; i < rows.size(); ++i) {
        EXPECT_EQ(rows[i].id, low + static_cast<int>(i));
        EXPECT_EQ(rows[i].text, "note " + std::to_string(low + i));
        if (i == 0) {
          EXPECT_EQ(rows[i].untouched, 7);
        }
      }
    }
  }
  // The same query run again from inside its own rows gets a statement of its own.
  const auto pairs = db_->read([&](soci::session &sql) {
    int count = 0;
    db::for_each_row<Row>(sql, query, bind, [&](Row &outer) {
      db::for_each_row<Row>(sql, query, bind, [&](Row &) { ++count; }, soci::use(outer.id));
    }, soci::use(4));
    return count;
  });
  EXPECT_EQ(pairs, 2 + 1);  // from 4: rows 4 and 5; from 5: row 5
}

// Requests queued from many threads are done in batches, each run by the caller whose request
// comes first in it, never more than two at once; each request gets its own result or its own
// error, and a failed batch fails all it held.
TEST(Batcher, EachRequestGetsItsOwnOutcomeAndBatchesGrowUnderLoad) {
  struct Request {
    int input = 0;
    int output = 0;
    std::thread::id caller = std::this_thread::get_id();
  };
  std::atomic<int> batches{0}, largest{0}, in_flight{0}, most_in_flight{0};
  {
    db::Batcher<Request> batcher(2, 8, [&](const std::vector<Request *> &batch, std::vector<std::exception_ptr> &errors) {
      ++batches;
      const int now_in_flight = ++in_flight;
      most_in_flight = std::max(most_in_flight.load(), now_in_flight);
      largest = std::max(largest.load(), static_cast<int>(batch.size()));
      EXPECT_LE(batch.size(), 8u);
      EXPECT_EQ(batch.front()->caller, std::this_thread::get_id());
      std::this_thread::sleep_for(std::chrono::milliseconds(2));  // a round trip
      --in_flight;
      if (batch.front()->input == -1) throw std::runtime_error("the database went away");
      for (std::size_t i = 0; i < batch.size(); ++i) {
        if (batch[i]->input % 7 == 0) {
          errors[i] = std::make_exception_ptr(Error::conflict("seven"));
        } else {
          batch[i]->output = batch[i]->input * 2;
        }
      }
    });
    constexpr int kThreads = 16, kEach = 40;
    std::atomic<int> ok{0}, conflicts{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int k = 1; k <= kEach; ++k) {
          Request request{t * 1000 + k, 0};
          try {
            batcher.run(request);
            EXPECT_EQ(request.output, request.input * 2);
            ++ok;
          } catch (const Error &e) {
            EXPECT_EQ(request.input % 7, 0);
            ++conflicts;
          }
        }
      });
    }
    for (auto &thread : threads) thread.join();
    EXPECT_EQ(ok + conflicts, kThreads * kEach);
    EXPECT_GT(conflicts.load(), 0);
    EXPECT_LT(batches.load(), kThreads * kEach);  // several requests a batch
    EXPECT_GT(largest.load(), 1);
    EXPECT_LE(most_in_flight.load(), 2);

    Request failing{-1, 0};
    EXPECT_THROW(batcher.run(failing), std::runtime_error);
  }
}

// Followers are woken after the leader lets go of the lock, so a follower may return, and its
// waiting place serve the next request, before its wake-up arrives: with batches done at once
// (no round trip) places are reused as fast as possible, and every request must still end once,
// with its own outcome.
TEST(Batcher, RequestsDoneAtOnceByManyThreadsEachEndOnceWithTheirOwnOutcome) {
  struct Request {
    int input = 0;
    int output = 0;
  };
  std::atomic<int> batches{0};
  db::Batcher<Request> batcher(2, 16, [&](const std::vector<Request *> &batch, std::vector<std::exception_ptr> &errors) {
    ++batches;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (batch[i]->input % 11 == 0) errors[i] = std::make_exception_ptr(Error::conflict("eleven"));
      else batch[i]->output = batch[i]->input + 1;
    }
  });
  constexpr int kThreads = 48, kEach = 400;
  std::atomic<int> ok{0}, refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int k = 1; k <= kEach; ++k) {
        Request request{t * 10000 + k, 0};
        try {
          batcher.run(request);
          if (request.output == request.input + 1) ++ok;
        } catch (const Error &) {
          if (request.input % 11 == 0) ++refused;
        }
      }
    });
  }
  for (auto &thread : threads) thread.join();
  EXPECT_EQ(ok + refused, kThreads * kEach);
  EXPECT_GT(refused.load(), 0);
  EXPECT_GT(batches.load(), 0);
}

TEST(Migrations, ASessionInProgressKeepsItsQueueAcrossTheUpgradeToTurns) {
  TestDatabase database;
  auto db = db::Database::open(database.url(), 2);
  auto learning = learning::Module::migrations();
  auto up_to = [&](int last) {
    db::MigrationSet set{learning.module, {}};
    for (const auto &file : learning.files) {
      if (std::stoi(std::string(file.name.substr(0, 4))) <= last)
        set.files.push_back(file);
    }
    return set;
  };
  db::migrate(*db, {{"core", core::migration_files()}, up_to(3)});
  // Position 2 of 4 turns: card a (answered), b (answered, came back at turn
  // 3), c still to see.
  db->write([](soci::session &sql) {
    sql << "INSERT INTO learning_sessions (id, school_id, student_id, path_id, "
           "step_id, mode, status, "
           "queue, position, started_at, last_activity_at) VALUES ('s1', "
           "'school', 'student', 'path', "
           "'step', 'review', 'active', "
           "'[{\"item_id\":\"a\",\"variant\":0,\"repeats\":0},"
           "{\"item_id\":\"b\",\"variant\":0,\"repeats\":0},{\"item_id\":\"c\","
           "\"variant\":1,"
           "\"repeats\":0},{\"item_id\":\"b\",\"variant\":0,\"repeats\":1}]', "
           "2, 1, 1)";
  });
  db::migrate(*db, {{"core", core::migration_files()}, learning});
  db->read([](soci::session &sql) {
    int turns = 0, cards = 0, done = 0, position = 0;
    sql << "SELECT turn_count, card_count, cards_done, position FROM "
           "learning_sessions WHERE id = 's1'",
        soci::into(turns), soci::into(cards), soci::into(done),
        soci::into(position);
    EXPECT_EQ(turns, 4);
    EXPECT_EQ(cards, 3);
    EXPECT_EQ(done, 1); // only a: b comes back, c is not seen yet
    EXPECT_EQ(position, 2);
    std::string item;
    int variant = -1, repeats = -1;
    sql << "SELECT item_id, variant, repeats FROM learning_session_turns WHERE "
           "session_id = 's1' AND "
           "position = 3",
        soci::into(item), soci::into(variant), soci::into(repeats);
    EXPECT_EQ(item, "b");
    EXPECT_EQ(variant, 0);
    EXPECT_EQ(repeats, 1);
    sql << "SELECT item_id, variant FROM learning_session_turns WHERE "
           "session_id = 's1' AND position = 2",
        soci::into(item), soci::into(variant);
    EXPECT_EQ(item, "c");
    EXPECT_EQ(variant, 1);
  });
}

} // namespace
} // namespace mnemos::testing
