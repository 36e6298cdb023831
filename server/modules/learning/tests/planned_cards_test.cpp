// A session's planned cards are written once and read two at a time, by position: as text on
// SQLite, packed on PostgreSQL (migrations/0009). Both read back what was written, and sessions
// in progress keep their cards across the upgrade. A student has one active session a step
// (migrations/0010).
#include <mnemos/core/db.hpp>
#include <mnemos/core/error.hpp>
#include <mnemos/core/migrations.hpp>
#include <mnemos/learning/module.hpp>

#include "../src/repository.hpp"

#include <test_support.hpp>

#include <gtest/gtest.h>

namespace mnemos::learning {
namespace {

using testing::TestDatabase;

constexpr const char* kFirst = "0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b";
constexpr const char* kSecond = "0190ffff-0000-7abc-9def-000000000001";
constexpr const char* kThird = "0190ffff-0000-7abc-9def-000000000002";

db::MigrationSet learning_up_to(int last) {
  auto all = Module::migrations();
  db::MigrationSet set{all.module, {}};
  for (const auto& file : all.files) {
    if (std::stoi(std::string(file.name.substr(0, 4))) <= last) set.files.push_back(file);
  }
  return set;
}

SessionRecord session_at(const std::string& id, int position, std::string planned) {
  SessionRecord r;
  r.id = id;
  r.school_id = "school";
  r.student_id = "student";
  r.path_id = "path";
  r.step_id = "step";
  r.mode = "review";
  r.status = "active";
  r.position = position;
  r.turn_count = r.card_count = static_cast<int>(planned.size() / repo::kPlannedWidth);
  r.started_at = r.last_activity_at = 1;
  r.planned = std::move(planned);
  return r;
}

void expect_turn(const SessionRecord& session, int offset, const std::string& item, int variant) {
  const auto turn = repo::planned_turn(session, offset);
  ASSERT_TRUE(turn.has_value()) << "offset " << offset << " of window " << session.planned_window;
  EXPECT_EQ(turn->item_id, item);
  EXPECT_EQ(turn->variant, variant);
}

TEST(PlannedCards, AreReadTwoAtATimeByPositionAsTheyWereWritten) {
  TestDatabase database;
  auto db = db::Database::open(database.url(), 2);
  db::migrate(*db, {{"core", core::migration_files()}, Module::migrations()});
  const auto planned = repo::planned_text({{kFirst, 0, 0}, {kSecond, 12, 0}, {kThird, 999, 0}});
  ASSERT_TRUE(planned.has_value());
  db->write([&](soci::session& sql) { repo::insert_session(sql, session_at("s1", 0, *planned)); });
  for (int position = 0; position < 3; ++position) {
    db->write([&](soci::session& sql) {
      sql << "UPDATE learning_sessions SET position = :p WHERE id = 's1'", soci::use(position);
    });
    const auto read = db->read([](soci::session& sql) { return repo::find_session(sql, "school", "s1"); });
    ASSERT_TRUE(read.has_value());
    const std::vector<std::pair<std::string, int>> cards{{kFirst, 0}, {kSecond, 12}, {kThird, 999}};
    expect_turn(*read, 0, cards[position].first, cards[position].second);
    if (position < 2) {
      expect_turn(*read, 1, cards[position + 1].first, cards[position + 1].second);
    } else {
      EXPECT_FALSE(repo::planned_turn(*read, 1).has_value());  // the last card has none after it
    }
  }
  // What does not pack (an id in capitals, a variant past 999) is not planned as text at all: its
  // turns are rows.
  EXPECT_FALSE(repo::planned_text({{"0190A1B2-C3D4-7E5F-8A6B-7C8D9E0F1A2B", 0, 0}}).has_value());
  EXPECT_FALSE(repo::planned_text({{kFirst, 1000, 0}}).has_value());
  EXPECT_FALSE(repo::planned_text({{"not-a-uuid-but-thirty-six-characters", 0, 0}}).has_value());
}

TEST(PlannedCards, ASessionInProgressKeepsItsCardsAcrossTheUpgrade) {
  TestDatabase database;
  auto db = db::Database::open(database.url(), 2);
  db::migrate(*db, {{"core", core::migration_files()}, learning_up_to(8)});
  // Written as migration 0007 did: 40 characters a card.
  const std::string text = std::string(kFirst) + "000;" + kSecond + "012;" + kThird + "999;";
  const std::string capitals = "0190A1B2-C3D4-7E5F-8A6B-7C8D9E0F1A2B000;";
  db->write([&](soci::session& sql) {
    for (const auto& [id, planned] : {std::pair{"s1", text}, std::pair{"s2", capitals}}) {
      // Each on its own step: a student has one active session a step (migrations/0010).
      sql << "INSERT INTO learning_sessions (id, school_id, student_id, path_id, step_id, mode, status, "
             "position, turn_count, card_count, started_at, last_activity_at, planned) VALUES (:id, 'school', "
             "'student', 'path', :step, 'review', 'active', 1, 3, 3, 1, 1, :planned)",
          soci::use(std::string(id)), soci::use("step-" + std::string(id)), soci::use(planned);
    }
  });
  db::migrate(*db, {{"core", core::migration_files()}, Module::migrations()});
  const auto s1 = db->read([](soci::session& sql) { return repo::find_session(sql, "school", "s1"); });
  ASSERT_TRUE(s1.has_value());
  EXPECT_EQ(s1->status, "active");
  expect_turn(*s1, 0, kSecond, 12);
  expect_turn(*s1, 1, kThird, 999);
  const auto s2 = db->read([](soci::session& sql) { return repo::find_session(sql, "school", "s2"); });
  ASSERT_TRUE(s2.has_value());
  if (database.is_postgresql()) {
    EXPECT_EQ(s2->status, "finished");  // could not be packed: the next start plans afresh
  } else {
    EXPECT_EQ(s2->status, "active");  // SQLite keeps the text as it was
  }
}

TEST(ActiveSessions, AStudentHasOneAStepTheNewestKeptAcrossTheUpgrade) {
  TestDatabase database;
  auto db = db::Database::open(database.url(), 2);
  db::migrate(*db, {{"core", core::migration_files()}, learning_up_to(9)});
  // Two tabs that started the same step at once, before the index: both active.
  const auto planned = repo::planned_text({{kFirst, 0, 0}});
  ASSERT_TRUE(planned.has_value());
  auto older = session_at("older", 0, *planned);
  older.last_activity_at = 5;
  auto newer = session_at("newer", 0, *planned);
  newer.started_at = newer.last_activity_at = 2;
  auto other_step = session_at("other", 0, *planned);
  other_step.step_id = "another step";
  db->write([&](soci::session& sql) {
    for (const auto& s : {older, newer, other_step}) repo::insert_session(sql, s);
  });
  db::migrate(*db, {{"core", core::migration_files()}, Module::migrations()});
  const auto read = [&](const std::string& id) {
    return *db->read([&](soci::session& sql) { return repo::find_session(sql, "school", id); });
  };
  EXPECT_EQ(read("older").status, "finished");
  EXPECT_EQ(read("older").finished_at, std::optional<std::int64_t>(5));  // when it was last used
  EXPECT_EQ(read("newer").status, "active");  // the one a start resumed
  EXPECT_EQ(read("other").status, "active");
  const auto active = db->read([](soci::session& sql) { return repo::active_session(sql, "student", "step"); });
  ASSERT_TRUE(active.has_value());
  EXPECT_EQ(active->id, "newer");

  // A third tab's insert does nothing (the start then resumes "newer"); a plain insert is refused.
  auto third = session_at("third", 0, *planned);
  EXPECT_FALSE(db->write([&](soci::session& sql) { return repo::insert_session_unless_active(sql, third); }));
  try {
    db->write([&](soci::session& sql) { repo::insert_session(sql, third); });
    ADD_FAILURE() << "a second active session on the step was inserted";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::conflict) << error.what();  // the index's refusal, as the writer says it
  }
  // Once "newer" is finished, a new one may start.
  db->write([&](soci::session& sql) {
    sql << "UPDATE learning_sessions SET status = 'finished' WHERE id = 'newer'";
  });
  EXPECT_TRUE(db->write([&](soci::session& sql) { return repo::insert_session_unless_active(sql, third); }));
}

}  // namespace
}  // namespace mnemos::learning
