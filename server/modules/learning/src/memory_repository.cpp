// What students do: cards, reviews, sessions and their turns, progress, memory settings, fitted
// parameters, and forgetting a student (SQL only).
#include <mnemos/core/ids.hpp>
#include <mnemos/core/json.hpp>

#include "repository.hpp"
#include "repository_rows.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>

namespace mnemos::learning::repo {

using namespace rows;

namespace {
// An answer's read: the session (s) and the student's card (c, LEFT JOINed: a card not yet made
// reads as its columns' defaults, `has_card` 0).
// The card's columns (c, LEFT JOINed: none yet reads as the defaults, the first column 0).
const std::string kJoinedCardColumns =
    "CASE WHEN c.item_id IS NULL THEN 0 ELSE 1 END, "
    "COALESCE(c.path_id, ''), COALESCE(c.step_id, ''), COALESCE(c.subject_id, ''), COALESCE(c.state, 0), "
    "COALESCE(c.stability, 0), COALESCE(c.difficulty, 0), COALESCE(c.learning_step, 0), COALESCE(c.reviews, 0), "
    "COALESCE(c.lapses, 0), COALESCE(c.last_review_at, 0), COALESCE(c.due_at, 0) ";
std::string session_and_card_columns(const soci::session& sql) {
  return "s.id, s.school_id, s.student_id, s.path_id, s.step_id, s.mode, s.status, s.position, s.turn_count, "
         "s.card_count, s.cards_done, s.started_at, s.last_activity_at, s.finished_at, s.summary, " +
         rows::planned_window(sql, "s") + ", " + kJoinedCardColumns;
}

void bind_card_columns(Prepared& p, int& has_card, Card& card) {
  p, into(has_card), into(card.path_id), into(card.step_id), into(card.subject_id), into(card.state),
      into(card.stability), into(card.difficulty), into(card.learning_step), into(card.reviews), into(card.lapses),
      into(card.last_review_at), into(card.due_at);
}

void bind_session_and_card(Prepared& p, SessionRecord& session, int& has_card, Card& card) {
  bind_session(p, session);
  bind_card_columns(p, has_card, card);
}
}  // namespace

namespace {
// A card as read with its session (columns' defaults when `has_card` is 0: none yet).
std::optional<Card> card_read(const SessionRecord& session, int has_card, const Card& columns,
                              const std::string& item_id, int variant) {
  if (has_card == 0) return std::nullopt;
  Card card = columns;
  card.school_id = session.school_id;
  card.student_id = session.student_id;
  card.item_id = item_id;
  card.variant = variant;
  return card;
}

}  // namespace

namespace {
// Every answer saves its card and its review: prepared once per connection (db::prepared).
struct UpdateCard {
  Card row;
  soci::statement statement;
  explicit UpdateCard(soci::session& sql)
      : statement((sql.prepare << "UPDATE learning_cards SET state = :state, stability = :stability, "
                                  "difficulty = :difficulty, learning_step = :step, reviews = "
                                  ":reviews, lapses = :lapses, last_review_at = :last, due_at = :due "
                                  "WHERE student_id = :student AND item_id = :item AND variant = "
                                  ":variant",
                   use(row.state), use(row.stability), use(row.difficulty), use(row.learning_step),
                   use(row.reviews), use(row.lapses), use(row.last_review_at), use(row.due_at),
                   use(row.student_id), use(row.item_id), use(row.variant))) {}
};

struct InsertCard {
  Card row;
  soci::statement statement;
  explicit InsertCard(soci::session& sql)
      : statement((sql.prepare << "INSERT INTO learning_cards (school_id, student_id, item_id, "
                                  "variant, path_id, step_id, subject_id, state, stability, "
                                  "difficulty, learning_step, reviews, lapses, last_review_at, "
                                  "due_at) VALUES (:school, :student, :item, :variant, :path, "
                                  ":step_id, :subject, :state, :stability, :difficulty, :step, "
                                  ":reviews, :lapses, :last, :due)",
                   use(row.school_id), use(row.student_id), use(row.item_id), use(row.variant),
                   use(row.path_id), use(row.step_id), use(row.subject_id), use(row.state),
                   use(row.stability), use(row.difficulty), use(row.learning_step),
                   use(row.reviews), use(row.lapses), use(row.last_review_at), use(row.due_at))) {}
};

struct InsertReview {
  ReviewRecord row;
  soci::statement statement;
  explicit InsertReview(soci::session& sql)
      : statement((sql.prepare << "INSERT INTO learning_reviews (id, school_id, student_id, item_id, "
                                  "variant, path_id, step_id, subject_id, session_id, rating, "
                                  "correct, practice, duration_ms, reviewed_at, retrievability, "
                                  "state_before, state_after, stability_after, difficulty_after, "
                                  "due_after) VALUES (:id, :school, :student, :item, :variant, "
                                  ":path, :step, :subject, :session, :rating, :correct, :practice, "
                                  ":duration, :at, :r, :before, :after, :s, :d, :due)",
                   use(row.id), use(row.school_id), use(row.student_id), use(row.item_id),
                   use(row.variant), use(row.path_id), use(row.step_id), use(row.subject_id),
                   use(row.session_id), use(row.rating), use(row.correct), use(row.practice),
                   use(row.duration_ms), use(row.reviewed_at), use(row.retrievability),
                   use(row.state_before), use(row.state_after), use(row.stability_after),
                   use(row.difficulty_after), use(row.due_after))) {}
};
}  // namespace

void save_card(soci::session& sql, const Card& r, bool exists) {
  if (exists) {
    auto& q = db::prepared<UpdateCard>(sql);
    q.row = r;
    q.statement.execute(true);
  } else {
    auto& q = db::prepared<InsertCard>(sql);
    q.row = r;
    q.statement.execute(true);
  }
}

std::vector<Card> cards_of_step(soci::session& sql, const std::string& student_id,
                                const std::string& step_id) {
  return fetch<Card>(sql,
                     std::string("SELECT ") + kCardColumns +
                         "FROM learning_cards WHERE student_id = :student AND step_id = :step",
                     bind_card, use(student_id), use(step_id));
}

std::vector<Card> cards_of_student(soci::session& sql, const std::string& school_id,
                                   const std::string& student_id) {
  return fetch<Card>(sql,
                     std::string("SELECT ") + kCardColumns +
                         "FROM learning_cards WHERE school_id = :school AND student_id = :student",
                     bind_card, use(school_id), use(student_id));
}

namespace {
struct DueQuery {
  explicit DueQuery(soci::session& sql)
      : statement((sql.prepare << std::string("SELECT ") + kCardColumns +
                                      "FROM learning_cards WHERE school_id = :school AND "
                                      "student_id = :student AND due_at <= :until ORDER BY due_at "
                                      "LIMIT :limit",
                   use(school_id), use(student_id), use(until), use(limit), into(row.school_id),
                   into(row.student_id), into(row.item_id), into(row.variant), into(row.path_id),
                   into(row.step_id), into(row.subject_id), into(row.state), into(row.stability),
                   into(row.difficulty), into(row.learning_step), into(row.reviews),
                   into(row.lapses), into(row.last_review_at), into(row.due_at))) {}
  std::string school_id, student_id;
  std::int64_t until = 0;
  int limit = 0;
  Card row;
  soci::statement statement;  // last: built from the members above
};
}  // namespace

std::vector<Card> due_cards(soci::session& sql, const std::string& school_id,
                            const std::string& student_id, std::int64_t until, int limit) {
  auto& q = db::prepared<DueQuery>(sql);
  q.school_id = school_id;
  q.student_id = student_id;
  q.until = until;
  q.limit = limit;
  q.statement.execute();
  std::vector<Card> out;
  while (q.statement.fetch()) out.push_back(q.row);
  return out;
}

void insert_review(soci::session& sql, const ReviewRecord& r) {
  auto& q = db::prepared<InsertReview>(sql);
  q.row = r;
  q.statement.execute(true);
}

std::pair<int, int> reviews_since(soci::session& sql, const std::string& school_id,
                                  const std::string& student_id, std::int64_t since) {
  struct Counts {
    int all = 0;
    std::optional<int> fresh;
  };
  const auto counts = first(fetch<Counts>(
      sql,
      "SELECT COUNT(*), SUM(CASE WHEN state_before = 0 THEN 1 ELSE 0 END) FROM "
      "learning_reviews WHERE school_id = :school AND student_id = :student AND reviewed_at >= "
      ":since AND practice = 0",
      [](Prepared& p, Counts& c) { p, into(c.all), into(c.fresh); }, use(school_id), use(student_id), use(since)));
  return counts ? std::pair{counts->all, counts->fresh.value_or(0)} : std::pair{0, 0};
}

std::vector<ReviewRecord> reviews_of_session(soci::session& sql, const std::string& session_id) {
  return fetch<ReviewRecord>(sql,
                             std::string("SELECT ") + kReviewColumns +
                                 "FROM learning_reviews WHERE session_id = :session ORDER BY "
                                 "reviewed_at, id",
                             bind_review, use(session_id));
}

std::vector<ReviewRecord> reviews_in_subject(soci::session& sql, const std::string& school_id,
                                             const std::string& student_id,
                                             const std::string& subject_id) {
  return fetch<ReviewRecord>(sql,
                             std::string("SELECT ") + kReviewColumns +
                                 "FROM learning_reviews WHERE school_id = :school AND student_id "
                                 "= :student AND subject_id = :subject AND practice = 0 ORDER BY "
                                 "reviewed_at, id",
                             bind_review, use(school_id), use(student_id), use(subject_id));
}

int count_reviews_in_subject(soci::session& sql, const std::string& school_id,
                             const std::string& student_id, const std::string& subject_id) {
  int count = 0;
  sql << "SELECT COUNT(*) FROM learning_reviews WHERE school_id = :school AND student_id = "
         ":student AND subject_id = :subject AND practice = 0",
      use(school_id), use(student_id), use(subject_id), into(count);
  return count;
}

std::vector<std::int64_t> review_times(soci::session& sql, const std::string& school_id,
                                       const std::string& student_id, std::int64_t since) {
  return fetch<std::int64_t>(
      sql,
      "SELECT reviewed_at FROM learning_reviews WHERE school_id = :school AND student_id = "
      ":student AND reviewed_at >= :since ORDER BY reviewed_at DESC",
      [](Prepared& p, std::int64_t& r) { p, into(r); }, use(school_id), use(student_id),
      use(since));
}

namespace {
// The planned text's cards packed for PostgreSQL, as hex digits: each card's UUID without its
// dashes (32) and its variant (4). planned_text admits only what packs.
std::string planned_hex(std::string_view planned) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(planned.size() / kPlannedWidth * 36);
  for (std::size_t at = 0; at + kPlannedWidth <= planned.size(); at += kPlannedWidth) {
    for (const char c : planned.substr(at, 36)) {
      if (c != '-') out.push_back(c);
    }
    const int variant = std::atoi(std::string(planned.substr(at + 36, 3)).c_str());
    for (const int shift : {12, 8, 4, 0}) out.push_back(kHex[(variant >> shift) & 0xF]);
  }
  return out;
}
}  // namespace

void insert_session(soci::session& sql, const SessionRecord& r) {
  const bool packed = sql.get_backend_name() != "sqlite3";
  const std::string planned = packed ? planned_hex(r.planned) : r.planned;
  sql << "INSERT INTO learning_sessions (id, school_id, student_id, path_id, step_id, mode, "
         "status, position, turn_count, card_count, cards_done, started_at, last_activity_at, "
         "finished_at, summary, planned) VALUES (:id, :school, :student, :path, :step, :mode, :status, "
         ":position, :turns, :cards, :done, :started, :last, :finished, :summary, " +
             rows::planned_parameter(sql) + ")",
      use(r.id), use(r.school_id), use(r.student_id), use(r.path_id), use(r.step_id), use(r.mode),
      use(r.status), use(r.position), use(r.turn_count), use(r.card_count), use(r.cards_done),
      use(r.started_at), use(r.last_activity_at), use(r.finished_at), use(r.summary), use(planned);
}

namespace {
// Prepared once per connection (db::prepared): a session's start runs it every time.
struct InsertSessionUnlessActive {
  SessionRecord row;
  std::string planned;
  soci::statement statement;
  explicit InsertSessionUnlessActive(soci::session& sql)
      // Typed by casts: the values are a SELECT's, not the VALUES of the table's columns.
      : statement((sql.prepare << "INSERT INTO learning_sessions (id, school_id, student_id, path_id, step_id, "
                                  "mode, status, position, turn_count, card_count, cards_done, started_at, "
                                  "last_activity_at, finished_at, summary, planned) SELECT CAST(:id AS text), "
                                  "CAST(:school AS text), CAST(:student AS text), CAST(:path AS text), "
                                  "CAST(:step AS text), CAST(:mode AS text), CAST(:status AS text), "
                                  "CAST(:position AS integer), CAST(:turns AS integer), CAST(:cards AS integer), "
                                  "CAST(:done AS integer), CAST(:started AS bigint), CAST(:last AS bigint), "
                                  "CAST(:finished AS bigint), CAST(:summary AS text), " +
                                      rows::planned_parameter(sql) +
                                      " WHERE NOT EXISTS (SELECT 1 FROM learning_sessions WHERE student_id = "
                                      ":student2 AND step_id = :step2 AND status = 'active') "
                                      // One inserted by another tab since this statement began:
                                      // the index on active sessions (migrations/0010) tells.
                                      "ON CONFLICT DO NOTHING",
                   use(row.id), use(row.school_id), use(row.student_id), use(row.path_id), use(row.step_id),
                   use(row.mode), use(row.status), use(row.position), use(row.turn_count), use(row.card_count),
                   use(row.cards_done), use(row.started_at), use(row.last_activity_at), use(row.finished_at),
                   use(row.summary), use(planned), use(row.student_id), use(row.step_id))) {}
};
}  // namespace

bool insert_session_unless_active(soci::session& sql, const SessionRecord& r) {
  auto& q = db::prepared<InsertSessionUnlessActive>(sql);
  q.row = r;
  q.planned = sql.get_backend_name() != "sqlite3" ? planned_hex(r.planned) : r.planned;
  q.statement.execute(true);
  return q.statement.get_affected_rows() == 1;
}

namespace {
// Answering updates the session once per answer: prepared once per connection (db::prepared).
struct UpdateSession {
  SessionRecord row;
  soci::statement statement;
  explicit UpdateSession(soci::session& sql)
      : statement((sql.prepare << "UPDATE learning_sessions SET status = :status, position = "
                                  ":position, turn_count = :turns, cards_done = :done, "
                                  "last_activity_at = :last, finished_at = :finished, summary = "
                                  ":summary WHERE id = :id AND school_id = :school",
                   use(row.status), use(row.position), use(row.turn_count), use(row.cards_done),
                   use(row.last_activity_at), use(row.finished_at), use(row.summary), use(row.id),
                   use(row.school_id))) {}
};

struct AdvanceSession {
  SessionRecord row;
  int from_position = 0;
  soci::statement statement;
  explicit AdvanceSession(soci::session& sql)
      : statement((sql.prepare << "UPDATE learning_sessions SET status = :status, position = "
                                  ":position, turn_count = :turns, cards_done = :done, "
                                  "last_activity_at = :last WHERE id = :id AND school_id = :school "
                                  "AND position = :from AND status = 'active'",
                   use(row.status), use(row.position), use(row.turn_count), use(row.cards_done),
                   use(row.last_activity_at), use(row.id), use(row.school_id),
                   use(from_position))) {}
};

struct TurnAt {
  std::string session_id;
  int position = 0;
  SessionTurn turn;
  soci::statement statement;
  explicit TurnAt(soci::session& sql)
      : statement((sql.prepare << "SELECT item_id, variant, repeats FROM learning_session_turns "
                                  "WHERE session_id = :session AND position = :position",
                   use(session_id), use(position), into(turn.item_id), into(turn.variant),
                   into(turn.repeats))) {}
};

// Two consecutive turns in one round trip: the card answered and the one shown next.
struct TurnPair {
  std::string session_id;
  int from = 0, to = 0;
  int position = 0;
  SessionTurn turn;
  soci::statement statement;
  explicit TurnPair(soci::session& sql)
      : statement((sql.prepare << "SELECT position, item_id, variant, repeats FROM learning_session_turns "
                                  "WHERE session_id = :session AND position >= :from AND position <= :to "
                                  "ORDER BY position",
                   use(session_id), use(from), use(to), into(position), into(turn.item_id), into(turn.variant),
                   into(turn.repeats))) {}
};

// PostgreSQL: a session's turns in one statement, their columns sent as array literals.
struct InsertTurnArrays {
  std::string session_id;
  int first_position = 0;
  std::string items, variants, repeats;
  soci::statement statement;
  explicit InsertTurnArrays(soci::session& sql)
      : statement((sql.prepare << "INSERT INTO learning_session_turns (session_id, position, item_id, variant, "
                                  "repeats) SELECT :session, :first::integer + t.n::integer - 1, t.item, t.variant, "
                                  "t.repeats FROM unnest(:items::text[], :variants::integer[], :repeats::integer[]) "
                                  "WITH ORDINALITY AS t(item, variant, repeats, n)",
                   use(session_id), use(first_position), use(items), use(variants), use(repeats))) {}
};

// One element of a PostgreSQL array literal, quoted ("a\"b").
std::string array_element(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

struct InsertTurn {
  std::string session_id;
  int position = 0;
  SessionTurn turn;
  soci::statement statement;
  explicit InsertTurn(soci::session& sql)
      : statement((sql.prepare << "INSERT INTO learning_session_turns (session_id, position, "
                                  "item_id, variant, repeats) VALUES (:session, :position, :item, "
                                  ":variant, :repeats)",
                   use(session_id), use(position), use(turn.item_id), use(turn.variant),
                   use(turn.repeats))) {}
};
}  // namespace

namespace {
// PostgreSQL: an answer's whole write as one statement (one round trip instead of four or five).
// Parameters carry their types: the driver sends them untyped, and a bare parameter in a SELECT
// list would be read as text.
struct SaveAnswer {
  SessionRecord session;
  int from_position = 0;
  int card_changed = 0;
  Card card;
  ReviewRecord review;
  int has_turn = 0;
  int turn_position = 0;
  SessionTurn turn;
  int moved = 0;
  soci::statement statement;
  explicit SaveAnswer(soci::session& sql)
      : statement((sql.prepare <<
                   "WITH s AS (UPDATE learning_sessions SET status = :status, position = :position::integer, "
                   "turn_count = :turns::integer, cards_done = :done::integer, last_activity_at = :last::bigint "
                   "WHERE id = :id AND school_id = :school AND position = :from::integer AND status = 'active' "
                   "RETURNING id), "
                   "c AS (INSERT INTO learning_cards (school_id, student_id, item_id, variant, path_id, step_id, "
                   "subject_id, state, stability, difficulty, learning_step, reviews, lapses, last_review_at, due_at) "
                   "SELECT :cschool, :cstudent, :citem, :cvariant::integer, :cpath, :cstep, :csubject, "
                   ":cstate::integer, :cstability::double precision, :cdifficulty::double precision, "
                   ":clstep::integer, :creviews::integer, :clapses::integer, :clast::bigint, :cdue::bigint "
                   "FROM s WHERE :changed::integer = 1 "
                   "ON CONFLICT (student_id, item_id, variant) DO UPDATE SET state = EXCLUDED.state, "
                   "stability = EXCLUDED.stability, difficulty = EXCLUDED.difficulty, "
                   "learning_step = EXCLUDED.learning_step, reviews = EXCLUDED.reviews, lapses = EXCLUDED.lapses, "
                   "last_review_at = EXCLUDED.last_review_at, due_at = EXCLUDED.due_at RETURNING 1), "
                   "r AS (INSERT INTO learning_reviews (id, school_id, student_id, item_id, variant, path_id, "
                   "step_id, subject_id, session_id, rating, correct, practice, duration_ms, reviewed_at, "
                   "retrievability, state_before, state_after, stability_after, difficulty_after, due_after) "
                   "SELECT :rid, :rschool, :rstudent, :ritem, :rvariant::integer, :rpath, :rstep, :rsubject, "
                   ":rsession, :rating::integer, :correct::integer, :practice::integer, :duration::bigint, "
                   ":at::bigint, :r::double precision, :before::integer, :after::integer, "
                   ":sa::double precision, :da::double precision, :due::bigint FROM s RETURNING 1), "
                   "t AS (INSERT INTO learning_session_turns (session_id, position, item_id, variant, repeats) "
                   "SELECT s.id, :tposition::integer, :titem, :tvariant::integer, :trepeats::integer FROM s "
                   "WHERE :hasturn::integer = 1 RETURNING 1) "
                   "SELECT (SELECT COUNT(*) FROM s)::integer + 0 * ((SELECT COUNT(*) FROM c) + "
                   "(SELECT COUNT(*) FROM r) + (SELECT COUNT(*) FROM t))::integer",
                   use(session.status), use(session.position), use(session.turn_count), use(session.cards_done),
                   use(session.last_activity_at), use(session.id), use(session.school_id), use(from_position),
                   use(card.school_id), use(card.student_id), use(card.item_id), use(card.variant),
                   use(card.path_id), use(card.step_id), use(card.subject_id), use(card.state),
                   use(card.stability), use(card.difficulty), use(card.learning_step), use(card.reviews),
                   use(card.lapses), use(card.last_review_at), use(card.due_at), use(card_changed),
                   use(review.id), use(review.school_id), use(review.student_id), use(review.item_id),
                   use(review.variant), use(review.path_id), use(review.step_id), use(review.subject_id),
                   use(review.session_id), use(review.rating), use(review.correct), use(review.practice),
                   use(review.duration_ms), use(review.reviewed_at), use(review.retrievability),
                   use(review.state_before), use(review.state_after), use(review.stability_after),
                   use(review.difficulty_after), use(review.due_after), use(turn_position), use(turn.item_id),
                   use(turn.variant), use(turn.repeats), use(has_turn), into(moved))) {}
};
}  // namespace

bool save_answer(soci::session& sql, const SessionRecord& session, int from_position, const Card* card,
                 const ReviewRecord& review, const std::optional<SessionTurn>& again, int again_position) {
  auto& q = db::prepared<SaveAnswer>(sql);
  q.session = session;
  q.from_position = from_position;
  q.card_changed = card != nullptr ? 1 : 0;
  q.card = card != nullptr ? *card : Card{};  // bound, not written
  q.review = review;
  q.has_turn = again ? 1 : 0;
  q.turn = again.value_or(SessionTurn{review.item_id, review.variant, 0});
  q.turn_position = again_position;
  q.statement.execute(true);
  return q.moved == 1;
}

namespace {
// The answers of a batch as one JSON parameter, read by json_to_recordset: one statement whatever
// their number (doubles are written so that they read back exactly). The sessions are found by
// `id = ANY(ARRAY(...))`: a plain join to json_to_recordset, which the planner counts as 100 rows,
// was planned as a hash join over every session of the table (a scan growing with the table).
struct SaveAnswers {
  std::string rows;
  std::string moved_id;  // a session written, with its planned window and its next card
  std::string window;
  int has_card = 0;
  Card card;
  soci::statement statement;  // last: built from the members above
  explicit SaveAnswers(soci::session& sql) : statement(prepare(sql)) {}
  Prepared prepare(soci::session& sql) {
    Prepared p = (sql.prepare << std::string(
                   "WITH i AS MATERIALIZED (SELECT * FROM json_to_recordset(CAST(:rows AS json)) AS i(sid text, "
                   "school text, from_pos integer, status text, pos integer, turns integer, done integer, "
                   "last bigint, changed integer, c_state integer, c_stability double precision, "
                   "c_difficulty double precision, c_lstep integer, c_reviews integer, c_lapses integer, "
                   "c_last bigint, c_due bigint, r_id text, r_student text, r_item text, "
                   "r_variant integer, r_path text, r_step text, r_subject text, r_rating integer, "
                   "r_correct integer, r_practice integer, r_duration bigint, r_at bigint, "
                   "r_r double precision, r_before integer, r_after integer, r_sa double precision, "
                   "r_da double precision, r_due bigint, has_turn integer, t_pos integer, t_item text, "
                   "t_variant integer, t_repeats integer, n_item text, n_variant integer)), "
                   "s AS (UPDATE learning_sessions ls SET status = i.status, position = i.pos, "
                   "turn_count = i.turns, cards_done = i.done, last_activity_at = i.last FROM i "
                   "WHERE ls.id = ANY(ARRAY(SELECT sid FROM i)) AND ls.id = i.sid AND ls.school_id = i.school "
                   "AND ls.position = i.from_pos AND ls.status = 'active' "
                   "RETURNING ls.id, encode(substring(ls.planned FROM ls.position * 18 + 1 FOR 36), 'hex') AS win), "
                   "c AS (INSERT INTO learning_cards (school_id, student_id, item_id, variant, path_id, step_id, "
                   "subject_id, state, stability, difficulty, learning_step, reviews, lapses, last_review_at, due_at) "
                   "SELECT i.school, i.r_student, i.r_item, i.r_variant, i.r_path, i.r_step, i.r_subject, "
                   "i.c_state, i.c_stability, i.c_difficulty, i.c_lstep, i.c_reviews, i.c_lapses, i.c_last, i.c_due "
                   "FROM i JOIN s ON s.id = i.sid WHERE i.changed = 1 "
                   "ON CONFLICT (student_id, item_id, variant) DO UPDATE SET state = EXCLUDED.state, "
                   "stability = EXCLUDED.stability, difficulty = EXCLUDED.difficulty, "
                   "learning_step = EXCLUDED.learning_step, reviews = EXCLUDED.reviews, lapses = EXCLUDED.lapses, "
                   "last_review_at = EXCLUDED.last_review_at, due_at = EXCLUDED.due_at), "
                   "r AS (INSERT INTO learning_reviews (id, school_id, student_id, item_id, variant, path_id, "
                   "step_id, subject_id, session_id, rating, correct, practice, duration_ms, reviewed_at, "
                   "retrievability, state_before, state_after, stability_after, difficulty_after, due_after) "
                   "SELECT i.r_id, i.school, i.r_student, i.r_item, i.r_variant, i.r_path, i.r_step, i.r_subject, "
                   "i.sid, i.r_rating, i.r_correct, i.r_practice, i.r_duration, i.r_at, i.r_r, i.r_before, "
                   "i.r_after, i.r_sa, i.r_da, i.r_due FROM i JOIN s ON s.id = i.sid), "
                   "t AS (INSERT INTO learning_session_turns (session_id, position, item_id, variant, repeats) "
                   "SELECT i.sid, i.t_pos, i.t_item, i.t_variant, i.t_repeats FROM i JOIN s ON s.id = i.sid "
                   "WHERE i.has_turn = 1) "
                   // The next card as it was before this statement (a statement does not see its
                   // own changes): the caller knows it better when it is the card just answered.
                   "SELECT s.id, s.win, ") + kJoinedCardColumns + "FROM s JOIN i ON i.sid = s.id "
                   "LEFT JOIN learning_cards c ON c.student_id = i.r_student AND c.item_id = i.n_item "
                   "AND c.variant = i.n_variant",
                   use(rows), into(moved_id), into(window));
    bind_card_columns(p, has_card, card);
    return p;
  }
};

// One answer's row. The card written is the card reviewed, in the review's session and school:
// the card's keys and the review's session are not repeated (a new card takes the review's path,
// step and subject; an existing card's are not changed).
void answer_row(json::RowsWriter& out, const AnswerWrite& w) {
  const SessionRecord& s = *w.session;
  const ReviewRecord& r = *w.review;
  if (r.session_id != s.id || r.school_id != s.school_id ||
      (w.card != nullptr && (w.card->item_id != r.item_id || w.card->variant != r.variant ||
                             w.card->student_id != r.student_id))) {
    throw std::logic_error("save_answers: a review of another session or card");
  }
  out.row()
      .text("sid", s.id)
      .text("school", s.school_id)
      .integer("from_pos", w.from_position)
      .text("status", s.status)
      .integer("pos", s.position)
      .integer("turns", s.turn_count)
      .integer("done", s.cards_done)
      .integer("last", s.last_activity_at)
      .integer("changed", w.card != nullptr ? 1 : 0)
      .text("r_id", r.id)
      .text("r_student", r.student_id)
      .text("r_item", r.item_id)
      .integer("r_variant", r.variant)
      .text("r_path", r.path_id)
      .text("r_step", r.step_id)
      .text("r_subject", r.subject_id)
      .integer("r_rating", r.rating)
      .integer("r_correct", r.correct)
      .integer("r_practice", r.practice)
      .integer("r_duration", r.duration_ms)
      .integer("r_at", r.reviewed_at)
      .number("r_r", r.retrievability)
      .integer("r_before", r.state_before)
      .integer("r_after", r.state_after)
      .number("r_sa", r.stability_after)
      .number("r_da", r.difficulty_after)
      .integer("r_due", r.due_after);
  if (const Card* c = w.card) {
    out.integer("c_state", c->state)
        .number("c_stability", c->stability)
        .number("c_difficulty", c->difficulty)
        .integer("c_lstep", c->learning_step)
        .integer("c_reviews", c->reviews)
        .integer("c_lapses", c->lapses)
        .integer("c_last", c->last_review_at)
        .integer("c_due", c->due_at);
  }
  if (w.again != nullptr && w.again->has_value()) {
    const SessionTurn& t = **w.again;
    out.integer("has_turn", 1)
        .integer("t_pos", w.again_position)
        .text("t_item", t.item_id)
        .integer("t_variant", t.variant)
        .integer("t_repeats", t.repeats);
  }
  if (!w.next_item_id.empty()) out.text("n_item", w.next_item_id).integer("n_variant", w.next_variant);
}
}  // namespace

void save_answers(soci::session& sql, const std::vector<AnswerWrite*>& writes) {
  if (writes.empty()) return;
  if (writes.size() > kMaxBatch) throw std::logic_error("save_answers: batch too large");
  // Rows locked in one order whatever the batch, so that two batches in flight (two processes)
  // cannot deadlock.
  std::vector<AnswerWrite*> sorted(writes);
  std::sort(sorted.begin(), sorted.end(),
            [](const AnswerWrite* a, const AnswerWrite* b) { return a->session->id < b->session->id; });
  json::RowsWriter rows;
  for (const AnswerWrite* w : sorted) answer_row(rows, *w);
  auto& q = db::prepared<SaveAnswers>(sql);
  q.rows = rows.finish();
  for (AnswerWrite* w : writes) {
    w->moved = w->next_read = false;
    w->next_card.reset();
  }
  if (!q.statement.execute(true)) return;
  do {
    // Sorted by session: the row's answer found by bisection.
    const auto at = std::lower_bound(sorted.begin(), sorted.end(), q.moved_id,
                                     [](const AnswerWrite* w, const std::string& id) { return w->session->id < id; });
    if (at == sorted.end() || (*at)->session->id != q.moved_id) continue;
    AnswerWrite& w = **at;
    w.moved = true;
    if (w.next_item_id.empty()) continue;
    w.next_read = true;
    w.next_window = q.window;
    w.next_card = card_read(*w.session, q.has_card, q.card, w.next_item_id, w.next_variant);
  } while (q.statement.fetch());
}

namespace {
struct FindSessionsAndCards {
  std::string rows;
  int n = 0;
  SessionRecord session;
  Card card;
  int has_card = 0;
  soci::statement statement;  // last: built from the members above
  explicit FindSessionsAndCards(soci::session& sql) : statement(prepare(sql)) {}
  Prepared prepare(soci::session& sql) {
    Prepared p =
        (sql.prepare << std::string("WITH i AS MATERIALIZED (SELECT * FROM json_to_recordset(CAST(:rows AS json)) "
                                    "AS i(n integer, school text, id text, item text, variant integer)) "
                                    "SELECT i.n, ") +
                            session_and_card_columns(sql) +
                            "FROM i JOIN learning_sessions s ON s.id = i.id AND s.school_id = i.school "
                            "LEFT JOIN learning_cards c ON c.student_id = s.student_id AND c.item_id = i.item "
                            "AND c.variant = i.variant WHERE s.id = ANY(ARRAY(SELECT id FROM i))",
         use(rows), into(n));
    bind_session_and_card(p, session, has_card, card);
    return p;
  }
};

}  // namespace

void find_sessions_and_cards(soci::session& sql, const std::vector<AnswerRead*>& reads) {
  if (reads.empty()) return;
  json::RowsWriter rows;
  for (std::size_t n = 0; n < reads.size(); ++n) {
    const AnswerRead& r = *reads[n];
    rows.row()
        .integer("n", static_cast<std::int64_t>(n))
        .text("school", r.school_id)
        .text("id", r.session_id)
        .text("item", r.item_id)
        .integer("variant", r.variant);
    reads[n]->session.reset();
    reads[n]->card.reset();
  }
  auto& q = db::prepared<FindSessionsAndCards>(sql);
  q.rows = rows.finish();
  if (!q.statement.execute(true)) return;
  do {
    if (q.n < 0 || static_cast<std::size_t>(q.n) >= reads.size()) continue;
    AnswerRead& r = *reads[static_cast<std::size_t>(q.n)];
    r.session = q.session;
    r.card = card_read(q.session, q.has_card, q.card, r.item_id, r.variant);
  } while (q.statement.fetch());
}

void update_session(soci::session& sql, const SessionRecord& r) {
  auto& q = db::prepared<UpdateSession>(sql);
  q.row = r;
  q.statement.execute(true);
}

bool advance_session(soci::session& sql, const SessionRecord& r, int from_position) {
  auto& q = db::prepared<AdvanceSession>(sql);
  q.row = r;
  q.from_position = from_position;
  q.statement.execute(true);
  return q.statement.get_affected_rows() == 1;
}

void insert_turns(soci::session& sql, const std::string& session_id, int first_position,
                  const std::vector<SessionTurn>& turns) {
  if (turns.size() == 1 || sql.get_backend_name() == "sqlite3") {
    // In process, a prepared statement run once per row is the quickest (a statement of a hundred
    // rows, parsed each time, made starts 40 times slower on SQLite).
    auto& q = db::prepared<InsertTurn>(sql);
    q.session_id = session_id;
    q.position = first_position;
    for (const auto& turn : turns) {
      q.turn = turn;
      q.statement.execute(true);
      ++q.position;
    }
    return;
  }
  // Over the network, every row in one prepared statement, the columns as arrays: a round trip
  // per row made PostgreSQL start 55 sessions a second, rows by the hundred (a new 500-parameter
  // statement parsed each time) 160.
  auto& q = db::prepared<InsertTurnArrays>(sql);
  q.session_id = session_id;
  q.first_position = first_position;
  q.items = "{";
  q.variants = "{";
  q.repeats = "{";
  for (std::size_t i = 0; i < turns.size(); ++i) {
    const char* comma = i == 0 ? "" : ",";
    q.items += comma + array_element(turns[i].item_id);
    q.variants += comma + std::to_string(turns[i].variant);
    q.repeats += comma + std::to_string(turns[i].repeats);
  }
  q.items += "}";
  q.variants += "}";
  q.repeats += "}";
  q.statement.execute(true);
}

std::optional<std::string> planned_text(const std::vector<SessionTurn>& turns) {
  std::string out;
  out.reserve(turns.size() * kPlannedWidth);
  for (const auto& turn : turns) {
    // A UUID as new_id writes it (lower case), which PostgreSQL keeps packed (planned_hex).
    const bool lower_case = std::none_of(turn.item_id.begin(), turn.item_id.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
    if (!is_uuid(turn.item_id) || !lower_case || turn.variant < 0 || turn.variant > 999 || turn.repeats != 0) {
      return std::nullopt;
    }
    char variant[5];
    std::snprintf(variant, sizeof variant, "%03d;", turn.variant);
    out += turn.item_id;
    out += variant;
  }
  return out;
}

std::optional<SessionTurn> planned_turn(const SessionRecord& session, int offset) {
  const std::string_view window = session.planned_window;
  // As written (40 characters a card), or packed as PostgreSQL reads it (36 hex digits: no dashes).
  const bool packed = window.size() > 8 && window[8] != '-';
  const std::size_t width = packed ? 36 : kPlannedWidth;
  const auto at = static_cast<std::size_t>(offset) * width;
  if (window.size() < at + width) return std::nullopt;
  const std::string_view entry = window.substr(at, width);
  SessionTurn turn;
  if (!packed) {
    turn.item_id = std::string(entry.substr(0, 36));
    turn.variant = std::atoi(std::string(entry.substr(36, 3)).c_str());
    return turn;
  }
  turn.item_id.reserve(36);
  for (std::size_t i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) turn.item_id.push_back('-');
    turn.item_id.push_back(entry[i]);
  }
  turn.variant = static_cast<int>(std::strtol(std::string(entry.substr(32, 4)).c_str(), nullptr, 16));
  return turn;
}

std::optional<SessionTurn> turn_at(soci::session& sql, const std::string& session_id, int position) {
  auto& q = db::prepared<TurnAt>(sql);
  q.session_id = session_id;
  q.position = position;
  if (!q.statement.execute(true)) return std::nullopt;
  return q.turn;
}

std::pair<std::optional<SessionTurn>, std::optional<SessionTurn>> turn_and_next(soci::session& sql,
                                                                               const std::string& session_id,
                                                                               int position) {
  auto& q = db::prepared<TurnPair>(sql);
  q.session_id = session_id;
  q.from = position;
  q.to = position + 1;
  std::pair<std::optional<SessionTurn>, std::optional<SessionTurn>> out;
  if (!q.statement.execute(true)) return out;
  do {
    (q.position == position ? out.first : out.second) = q.turn;
  } while (q.statement.fetch());
  return out;
}

namespace {
struct FindSession {
  std::string school_id, id;
  SessionRecord row;
  soci::statement statement;  // last: built from the members above
  explicit FindSession(soci::session& sql) : statement(prepare(sql)) {}
  Prepared prepare(soci::session& sql) {
    Prepared p = (sql.prepare << std::string("SELECT ") + session_columns(sql) +
                                     "FROM learning_sessions WHERE school_id = :school AND id = :id",
                  use(school_id), use(id));
    bind_session(p, row);
    return p;
  }
};
}  // namespace

namespace {
// An answer's one read: the session and the student's card for the item answered (a card not yet
// made reads as its columns' defaults, `has_card` 0).
struct FindSessionAndCard {
  std::string school_id, id, item_id;
  int variant = 0;
  SessionRecord session;
  Card card;
  int has_card = 0;
  soci::statement statement;  // last: built from the members above
  explicit FindSessionAndCard(soci::session& sql) : statement(prepare(sql)) {}
  Prepared prepare(soci::session& sql) {
    Prepared p =
        (sql.prepare << std::string("SELECT ") + session_and_card_columns(sql) +
                        "FROM learning_sessions s LEFT JOIN learning_cards c ON c.student_id = s.student_id "
                        "AND c.item_id = :item AND c.variant = :variant "
                        "WHERE s.school_id = :school AND s.id = :id",
         use(item_id), use(variant), use(school_id), use(id));
    bind_session_and_card(p, session, has_card, card);
    return p;
  }
};
}  // namespace

std::pair<std::optional<SessionRecord>, std::optional<Card>> find_session_and_card(
    soci::session& sql, const std::string& school_id, const std::string& id, const std::string& item_id,
    int variant) {
  auto& q = db::prepared<FindSessionAndCard>(sql);
  q.school_id = school_id;
  q.id = id;
  q.item_id = item_id;
  q.variant = variant;
  if (!q.statement.execute(true)) return {std::nullopt, std::nullopt};
  return {q.session, card_read(q.session, q.has_card, q.card, item_id, variant)};
}

std::optional<SessionRecord> find_session(soci::session& sql, const std::string& school_id,
                                            const std::string& id) {
  auto& q = db::prepared<FindSession>(sql);
  q.school_id = school_id;
  q.id = id;
  if (!q.statement.execute(true)) return std::nullopt;
  return q.row;
}

std::optional<SessionRecord> active_session(soci::session& sql, const std::string& student_id,
                                              const std::string& step_id) {
  return first(fetch<SessionRecord>(
      sql,
      std::string("SELECT ") + session_columns(sql) +
          "FROM learning_sessions WHERE student_id = :student AND step_id = :step AND status = "
          "'active' ORDER BY started_at DESC",
      bind_session, use(student_id), use(step_id)));
}

StepProgress progress(soci::session& sql, const std::string& student_id,
                      const std::string& step_id) {
  StepProgress p;
  sql << "SELECT completed_at, mastered_at FROM learning_step_progress WHERE student_id = "
         ":student AND step_id = :step",
      use(student_id), use(step_id), into(p.completed_at), into(p.mastered_at);
  if (!sql.got_data()) return {};
  return p;
}

std::map<std::string, StepProgress> progress_in_path(soci::session& sql, const std::string& student_id,
                                                     const std::string& path_id) {
  struct Row {
    std::string step_id;
    StepProgress progress;
  };
  std::map<std::string, StepProgress> out;
  db::for_each_row<Row>(
      sql,
      "SELECT p.step_id, p.completed_at, p.mastered_at FROM learning_step_progress p JOIN "
      "learning_steps s ON s.id = p.step_id WHERE p.student_id = :student AND s.path_id = :path",
      [](Prepared& q, Row& r) { q, into(r.step_id), into(r.progress.completed_at), into(r.progress.mastered_at); },
      [&](const Row& r) { out[r.step_id] = r.progress; }, use(student_id), use(path_id));
  return out;
}

void mark_progress(soci::session& sql, const std::string& school_id, const std::string& student_id,
                   const Step& step, std::optional<std::int64_t> completed_at,
                   std::optional<std::int64_t> mastered_at) {
  int exists = 0;
  sql << "SELECT COUNT(*) FROM learning_step_progress WHERE student_id = :student AND step_id = "
         ":step",
      use(student_id), use(step.id), into(exists);
  if (exists > 0) {
    sql << "UPDATE learning_step_progress SET completed_at = :completed, mastered_at = :mastered "
           "WHERE student_id = :student AND step_id = :step",
        use(completed_at), use(mastered_at), use(student_id), use(step.id);
  } else {
    sql << "INSERT INTO learning_step_progress (school_id, student_id, step_id, path_id, "
           "completed_at, mastered_at) VALUES (:school, :student, :step, :path, :completed, "
           ":mastered)",
        use(school_id), use(student_id), use(step.id), use(step.path_id), use(completed_at),
        use(mastered_at);
  }
}

SettingsRow settings(soci::session& sql, const std::string& school_id, const std::string& scope,
                     const std::string& owner_id) {
  return first(fetch<SettingsRow>(
                   sql,
                   "SELECT desired_retention, new_cards_per_day, reviews_per_day, maximum_interval_days "
                   "FROM learning_memory_settings WHERE school_id = :school AND scope = :scope AND owner_id = :owner",
                   [](Prepared& p, SettingsRow& row) {
                     p, into(row.desired_retention), into(row.new_cards_per_day), into(row.reviews_per_day),
                         into(row.maximum_interval_days);
                   },
                   use(school_id), use(scope), use(owner_id)))
      .value_or(SettingsRow{});
}

void put_settings(soci::session& sql, const std::string& school_id, const std::string& scope,
                  const std::string& owner_id, const SettingsRow& row, std::int64_t now) {
  sql << "DELETE FROM learning_memory_settings WHERE school_id = :school AND scope = :scope AND "
         "owner_id = :owner",
      use(school_id), use(scope), use(owner_id);
  sql << "INSERT INTO learning_memory_settings (school_id, scope, owner_id, desired_retention, "
         "new_cards_per_day, reviews_per_day, maximum_interval_days, updated_at) VALUES "
         "(:school, :scope, :owner, :retention, :new_cards, :reviews, :max_interval, :now)",
      use(school_id), use(scope), use(owner_id), use(row.desired_retention),
      use(row.new_cards_per_day), use(row.reviews_per_day), use(row.maximum_interval_days),
      use(now);
}

std::optional<FittedParameters> fitted_parameters(soci::session& sql, const std::string& student_id,
                                                  const std::string& subject_id) {
  return first(fetch<FittedParameters>(
      sql,
      "SELECT parameters, improved, fitted, log_loss_before, log_loss_after, reviews_used, "
      "reviews_at_fit, fitted_at FROM learning_student_parameters WHERE student_id = :student "
      "AND subject_id = :subject",
      [](Prepared& p, FittedParameters& f) {
        p, into(f.parameters), into(f.improved), into(f.fitted), into(f.log_loss_before), into(f.log_loss_after),
            into(f.reviews_used), into(f.reviews_at_fit), into(f.fitted_at);
      },
      use(student_id), use(subject_id)));
}

void put_fitted_parameters(soci::session& sql, const std::string& school_id,
                           const std::string& student_id, const std::string& subject_id,
                           const FittedParameters& f) {
  sql << "DELETE FROM learning_student_parameters WHERE student_id = :student AND subject_id = "
         ":subject",
      use(student_id), use(subject_id);
  sql << "INSERT INTO learning_student_parameters (school_id, student_id, subject_id, "
         "parameters, improved, fitted, log_loss_before, log_loss_after, reviews_used, "
         "reviews_at_fit, fitted_at) VALUES (:school, :student, :subject, :parameters, "
         ":improved, :fitted, :before, :after, :used, :at_fit, :at)",
      use(school_id), use(student_id), use(subject_id), use(f.parameters), use(f.improved),
      use(f.fitted), use(f.log_loss_before), use(f.log_loss_after), use(f.reviews_used),
      use(f.reviews_at_fit), use(f.fitted_at);
}

namespace {
// A start's reads in one row: the day's counts are an aggregate (always one row), the rest joined
// to it or asked by subqueries; a missing settings row, fit or session reads as NULLs (the flags).
struct StartReadsQuery {
  StartReadsKey key;
  std::string classes;
  int assigned = 0, has_fit = 0, has_cards = 0, has_session = 0;
  std::string progress;
  int reviewed = 0, fresh = 0;
  SettingsRow settings;
  FittedParameters fit;
  SessionRecord session;
  soci::statement statement;  // last: built from the members above
  explicit StartReadsQuery(soci::session& sql) : statement(prepare(sql)) {}
  Prepared prepare(soci::session& sql) {
    Prepared p =
        (sql.prepare
             << std::string(
                    // By the assignments' key, kind included (a path assigned to 600 classes
                    // is 600 rows of the path: matching the target alone read them all).
                    "SELECT CASE WHEN EXISTS (SELECT 1 FROM learning_assignments a WHERE a.school_id = :school "
                    "AND a.path_id = :path AND a.kind = 'student' AND a.target_id = :student) "
                    "OR EXISTS (SELECT 1 FROM learning_assignments a WHERE a.school_id = :school "
                    "AND a.path_id = :path AND a.kind = 'class' AND ") +
                    db::in_list(sql, "a.target_id", "classes") +
                    ") THEN 1 ELSE 0 END, "
                    "COALESCE((SELECT CAST(json_agg(json_build_array(p.step_id, p.completed_at, p.mastered_at)) "
                    "AS text) FROM learning_step_progress p JOIN learning_steps st ON st.id = p.step_id "
                    "WHERE p.student_id = :student AND st.path_id = :path), '[]'), "
                    "r.reviewed, COALESCE(r.fresh, 0), "
                    "ms.desired_retention, ms.new_cards_per_day, ms.reviews_per_day, ms.maximum_interval_days, "
                    "CASE WHEN f.student_id IS NULL THEN 0 ELSE 1 END, f.parameters, COALESCE(f.improved, 0), "
                    "COALESCE(f.fitted, ''), COALESCE(f.log_loss_before, 0), COALESCE(f.log_loss_after, 0), "
                    "COALESCE(f.reviews_used, 0), COALESCE(f.reviews_at_fit, 0), COALESCE(f.fitted_at, 0), "
                    "CASE WHEN EXISTS (SELECT 1 FROM learning_cards c WHERE c.student_id = :student "
                    "AND c.step_id = :step) THEN 1 ELSE 0 END, "
                    "CASE WHEN s.id IS NULL THEN 0 ELSE 1 END, COALESCE(s.id, ''), COALESCE(s.school_id, ''), "
                    "COALESCE(s.student_id, ''), COALESCE(s.path_id, ''), COALESCE(s.step_id, ''), "
                    "COALESCE(s.mode, ''), COALESCE(s.status, ''), COALESCE(s.position, 0), "
                    "COALESCE(s.turn_count, 0), COALESCE(s.card_count, 0), COALESCE(s.cards_done, 0), "
                    "COALESCE(s.started_at, 0), COALESCE(s.last_activity_at, 0), s.finished_at, s.summary, "
                    "COALESCE(s.planned_window, '') "
                    "FROM (SELECT COUNT(*) AS reviewed, SUM(CASE WHEN state_before = 0 THEN 1 ELSE 0 END) AS fresh "
                    "FROM learning_reviews WHERE school_id = :school AND student_id = :student AND reviewed_at >= "
                    ":since AND practice = 0) r "
                    "LEFT JOIN learning_memory_settings ms ON ms.school_id = :school AND ms.scope = 'student' "
                    "AND ms.owner_id = :student "
                    "LEFT JOIN learning_student_parameters f ON f.student_id = :student AND f.subject_id = :subject "
                    "LEFT JOIN LATERAL (SELECT " +
                    session_columns(sql) +
                    "AS planned_window FROM learning_sessions WHERE student_id = :student AND step_id = :step "
                    "AND status = 'active' ORDER BY started_at DESC LIMIT 1) s ON true",
         // In the order the statement names them.
         use(key.school_id), use(key.path_id), use(key.student_id), use(key.school_id), use(key.path_id),
         use(classes), use(key.student_id),
         use(key.path_id), use(key.student_id), use(key.step_id), use(key.school_id), use(key.student_id),
         use(key.day_start_ms), use(key.school_id), use(key.student_id), use(key.student_id),
         use(key.subject_id), use(key.student_id), use(key.step_id));
    p, into(assigned), into(progress), into(reviewed), into(fresh), into(settings.desired_retention),
        into(settings.new_cards_per_day), into(settings.reviews_per_day), into(settings.maximum_interval_days),
        into(has_fit), into(fit.parameters), into(fit.improved), into(fit.fitted), into(fit.log_loss_before),
        into(fit.log_loss_after), into(fit.reviews_used), into(fit.reviews_at_fit), into(fit.fitted_at),
        into(has_cards), into(has_session);
    bind_session(p, session);
    return p;
  }
};

std::optional<std::int64_t> optional_ms(const boost::json::value& v) {
  if (v.is_null()) return std::nullopt;
  return v.to_number<std::int64_t>();
}
}  // namespace

StartReads start_reads(soci::session& sql, const StartReadsKey& key) {
  if (sql.get_backend_name() == "sqlite3") throw std::logic_error("start_reads: PostgreSQL only");
  auto& q = db::prepared<StartReadsQuery>(sql);
  q.key = key;
  q.classes = db::json_list(key.class_ids);
  q.settings = {};
  q.fit = {};
  q.session = {};
  if (!q.statement.execute(true)) throw std::logic_error("start_reads: no row");  // the aggregate always has one
  StartReads out;
  out.assigned = q.assigned != 0;
  const boost::json::value progress = boost::json::parse(q.progress);
  for (const auto& entry : progress.as_array()) {
    const auto& row = entry.as_array();
    out.progress[std::string(row.at(0).as_string())] = StepProgress{optional_ms(row.at(1)), optional_ms(row.at(2))};
  }
  out.reviewed_today = q.reviewed;
  out.new_today = q.fresh;
  out.student_settings = q.settings;
  if (q.has_fit != 0) out.fit = q.fit;
  out.has_cards = q.has_cards != 0;
  if (q.has_session != 0) out.active = q.session;
  return out;
}

void forget_student(soci::session& sql, const std::string& school_id, const std::string& user_id) {
  for (const char* table : {"learning_cards", "learning_reviews", "learning_sessions",
                            "learning_step_progress", "learning_student_parameters"}) {
    sql << std::string("DELETE FROM ") + table + " WHERE school_id = :school AND student_id = :user",
        use(school_id), use(user_id);
  }
  sql << "DELETE FROM learning_memory_settings WHERE school_id = :school AND owner_id = :user",
      use(school_id), use(user_id);
  sql << "DELETE FROM learning_assignments WHERE school_id = :school AND kind = 'student' AND "
         "target_id = :user",
      use(school_id), use(user_id);
  sql << "DELETE FROM learning_path_teachers WHERE school_id = :school AND teacher_id = :user",
      use(school_id), use(user_id);
}

}  // namespace mnemos::learning::repo
