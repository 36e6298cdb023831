// The rules of revising, with no database (docs/learning.md, "Revision sessions"): queue order,
// daily limits, cards coming back, grading, mastery, unlocking and the summary's counts.
#include <mnemos/core/error.hpp>
#include <mnemos/core/json.hpp>

#include "../src/answer_prefetch.hpp"
#include "../src/revision_session.hpp"

#include <gtest/gtest.h>

#include <tuple>

namespace mnemos::learning {
namespace {

constexpr std::int64_t kDay = 86'400'000;
constexpr std::int64_t kNow = 1'800'000'000'000;  // 2027-01-15

srs::Scheduler scheduler() {
  srs::Settings settings;
  settings.fuzz = false;
  return srs::Scheduler(settings, srs::fixed_offset_days(0));
}

Item flashcard(const std::string& id) {
  Item i;
  i.id = id;
  i.kind = "flashcard";
  i.validation = "validated";
  i.content = checked_content("flashcard", json::parse(R"({"front":"chat","back":"cat"})"));
  return i;
}

Item short_answer(const std::string& id) {
  Item i;
  i.id = id;
  i.kind = "short_answer";
  i.validation = "validated";
  i.content = checked_content("short_answer", json::parse(R"({"question":"Capitale ?","accepted":["Paris"]})"));
  return i;
}

StepCards cards_of(const std::vector<Item>& items) {
  StepCards out;
  for (const auto& i : items) out.emplace_back(i, 0);
  return out;
}

// A card last reviewed `days_ago` with `stability` days of memory, due `due_in_days` from now.
Card known_card(const std::string& item_id, double stability, int days_ago, double due_in_days) {
  Card c;
  c.item_id = item_id;
  c.state = static_cast<int>(srs::State::review);
  c.stability = stability;
  c.difficulty = 5;
  c.reviews = 3;
  c.last_review_at = kNow - days_ago * kDay;
  c.due_at = kNow + static_cast<std::int64_t>(due_in_days * static_cast<double>(kDay));
  return c;
}

std::vector<std::string> ids(const std::vector<SessionTurn>& turns) {
  std::vector<std::string> out;
  for (const auto& t : turns) out.push_back(t.item_id);
  return out;
}

Path path() {
  Path p;
  p.id = "path";
  p.subject_id = "maths";
  return p;
}

SessionRecord record(const std::string& mode, int turns) {
  SessionRecord r;
  r.id = "session";
  r.school_id = "school";
  r.student_id = "student";
  r.path_id = "path";
  r.step_id = "step";
  r.mode = mode;
  r.status = "active";
  r.turn_count = r.card_count = turns;
  return r;
}

boost::json::object answer(const std::string& text) { return json::parse(text).as_object(); }

TEST(RevisionSession, ReviewTakesDueCardsMostForgottenFirstThenNewOnes) {
  const auto items = std::vector<Item>{flashcard("fresh"), flashcard("weak"), flashcard("later"), flashcard("strong")};
  KnownCards known;
  known[card_key("weak", 0)] = known_card("weak", 2, 10, -8);      // long overdue: R low
  known[card_key("strong", 0)] = known_card("strong", 50, 10, -1);  // due, still well known
  known[card_key("later", 0)] = known_card("later", 30, 1, 20);     // not due
  const auto turns = plan_turns("review", cards_of(items), known, scheduler(), srs::MemorySettings{}, {}, kNow);
  EXPECT_EQ(ids(turns), (std::vector<std::string>{"weak", "strong", "fresh"}));
}

TEST(RevisionSession, DailyLimitsCountWhatTheDayAlreadyHeld) {
  std::vector<Item> items;
  KnownCards known;
  for (int i = 0; i < 5; ++i) {
    items.push_back(flashcard("due" + std::to_string(i)));
    known[card_key("due" + std::to_string(i), 0)] = known_card("due" + std::to_string(i), 5, 6, -1);
  }
  for (int i = 0; i < 5; ++i) items.push_back(flashcard("new" + std::to_string(i)));
  srs::MemorySettings settings;
  settings.reviews_per_day = 10;
  settings.new_cards_per_day = 4;
  const auto turns = plan_turns("review", cards_of(items), known, scheduler(), settings,
                                DayCounts{.reviewed = 7, .new_cards = 2}, kNow);
  ASSERT_EQ(turns.size(), 5u);  // 3 reviews left today, 2 new cards left
  EXPECT_EQ(turns[2].item_id.substr(0, 3), "due");
  EXPECT_EQ(turns[3].item_id, "new0");
  EXPECT_EQ(turns[4].item_id, "new1");
}

TEST(RevisionSession, AReviewSessionHoldsTwoHundredCardsAtMost) {
  std::vector<Item> items;
  for (int i = 0; i < 300; ++i) items.push_back(flashcard("c" + std::to_string(i)));
  srs::MemorySettings settings;
  settings.new_cards_per_day = 1000;
  EXPECT_EQ(plan_turns("review", cards_of(items), {}, scheduler(), settings, {}, kNow).size(), kMaxQueue);
  EXPECT_EQ(plan_turns("practice", cards_of(items), {}, scheduler(), settings, {}, kNow).size(), kPracticeSize);
}

TEST(RevisionSession, NothingToTakeSaysWhy) {
  const auto items = std::vector<Item>{flashcard("later")};
  KnownCards known;
  known[card_key("later", 0)] = known_card("later", 30, 1, 20);
  try {
    plan_turns("review", cards_of(items), known, scheduler(), srs::MemorySettings{}, {}, kNow);
    FAIL() << "a session with nothing due was planned";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::conflict);
    EXPECT_NE(std::string(e.what()).find("practice"), std::string::npos);
  }
  EXPECT_THROW(plan_turns("review", {}, {}, scheduler(), srs::MemorySettings{}, {}, kNow), Error);
  // Practice takes cards that are not due, the weakest first, known or not.
  const auto practice = plan_turns("practice", cards_of({flashcard("later"), flashcard("fresh")}), known,
                                   scheduler(), srs::MemorySettings{}, {}, kNow);
  EXPECT_EQ(ids(practice), (std::vector<std::string>{"fresh", "later"}));
}

TEST(RevisionSession, ARightAnswerSchedulesTheCardAndMovesOn) {
  RevisionSession session(record("review", 2));
  const Item item = short_answer("capital");
  const auto out = session.answer({"capital", 0, 0}, item, std::nullopt, path(), answer(R"({"text":"paris"})"),
                                  8000, scheduler(), kNow);
  EXPECT_TRUE(out.grade.correct);
  EXPECT_EQ(out.grade.rating, 3);  // right in 8 s: Good
  EXPECT_TRUE(out.card_changed);
  EXPECT_EQ(out.card.subject_id, "maths");
  EXPECT_EQ(out.card.step_id, "step");
  EXPECT_EQ(out.review.state_before, static_cast<int>(srs::State::new_card));
  EXPECT_EQ(out.review.correct, 1);
  EXPECT_EQ(out.review.session_id, "session");
  EXPECT_GT(out.card.due_at, kNow);
  EXPECT_TRUE(out.next_is_planned);
  const auto& r = session.record();
  EXPECT_EQ(r.position, 1);
  EXPECT_EQ(r.last_activity_at, kNow);
  // A new card answered Good is still in its learning steps: it comes back in this session.
  ASSERT_TRUE(out.again.has_value());
  EXPECT_EQ(out.again->repeats, 1);
  EXPECT_EQ(r.turn_count, 3);
  EXPECT_EQ(r.cards_done, 0);
}

TEST(RevisionSession, AGraduatedCardIsDoneAndTheLastTurnEndsTheSession) {
  RevisionSession session(record("review", 1));
  auto card = known_card("capital", 10, 10, 0);
  const auto out = session.answer({"capital", 0, 0}, short_answer("capital"), card, path(),
                                  answer(R"({"text":"Paris"})"), 8000, scheduler(), kNow);
  EXPECT_FALSE(out.again.has_value());
  EXPECT_FALSE(out.next_is_planned);
  EXPECT_GT(out.interval_days, 10);
  EXPECT_EQ(session.record().cards_done, 1);
  EXPECT_TRUE(session.all_answered());
  ASSERT_TRUE(out.review.retrievability.has_value());
  EXPECT_LT(*out.review.retrievability, 1.0);
}

TEST(RevisionSession, ALearningCardComesBackThreeTimesAtMost) {
  RevisionSession session(record("review", 1));
  const Item item = flashcard("chat");
  SessionTurn turn{"chat", 0, 0};
  std::optional<Card> card;
  int comebacks = 0;
  for (std::int64_t t = kNow; !session.all_answered(); t += 1000) {
    const auto out = session.answer(turn, item, card, path(), answer(R"({"rating":1})"), 3000, scheduler(), t);
    card = out.card;
    if (!out.again) break;
    ++comebacks;
    turn = *out.again;
  }
  EXPECT_EQ(comebacks, kMaxRepeats);
  EXPECT_EQ(session.record().turn_count, 1 + kMaxRepeats);
  EXPECT_TRUE(session.all_answered());
  EXPECT_EQ(session.record().cards_done, 1);
}

TEST(RevisionSession, PracticeLeavesTheScheduleAloneAndRepeatsAWrongCardOnce) {
  RevisionSession session(record("practice", 1));
  const auto before = known_card("capital", 10, 5, 5);
  auto out = session.answer({"capital", 0, 0}, short_answer("capital"), before, path(),
                            answer(R"({"text":"Lyon"})"), 4000, scheduler(), kNow);
  EXPECT_FALSE(out.grade.correct);
  EXPECT_EQ(out.grade.rating, 1);
  EXPECT_FALSE(out.card_changed);
  EXPECT_EQ(out.card.due_at, before.due_at);
  EXPECT_EQ(out.review.practice, 1);
  ASSERT_TRUE(out.again.has_value());
  out = session.answer(*out.again, short_answer("capital"), before, path(), answer(R"({"text":"Lyon"})"), 4000,
                       scheduler(), kNow + 1000);
  EXPECT_FALSE(out.again.has_value());
  EXPECT_TRUE(session.all_answered());
}

TEST(RevisionSession, ACountedDurationIsCappedAndAnAnswerThatDoesNotFitIsRefused) {
  RevisionSession session(record("review", 2));
  const auto out = session.answer({"capital", 0, 0}, short_answer("capital"), std::nullopt, path(),
                                  answer(R"({"text":"Paris"})"), 3'600'000, scheduler(), kNow);
  EXPECT_EQ(out.review.duration_ms, kMaxCountedDurationMs);
  EXPECT_THROW(session.answer({"capital", 0, 0}, short_answer("capital"), std::nullopt, path(),
                              answer(R"({"selected":[1]})"), 1000, scheduler(), kNow),
               Error);
  EXPECT_EQ(session.record().position, 1);  // the refused answer moved nothing
}

TEST(RevisionSession, ASkippedCardCountsAsDone) {
  RevisionSession session(record("review", 2));
  session.skip(kNow);
  EXPECT_EQ(session.record().position, 1);
  EXPECT_EQ(session.record().cards_done, 1);
  EXPECT_FALSE(session.all_answered());
}

Step step(const std::string& id, const std::string& kind, const std::string& rule) {
  Step s;
  s.id = id;
  s.kind = kind;
  s.unlock_rule = rule;
  return s;
}

TEST(RevisionSession, StepsUnlockByTheirRule) {
  std::vector<Step> steps{step("read", "lesson", "open"), step("cards", "cards", "sequential"),
                          step("quiz", "quiz", "prerequisite"), step("exam", "quiz", "date")};
  steps[2].prerequisite_step_id = "read";
  steps[3].unlock_at = kNow + kDay;
  ProgressByStep none;
  EXPECT_TRUE(step_unlocked(steps, steps[0], none, kNow));
  EXPECT_FALSE(step_unlocked(steps, steps[1], none, kNow));
  EXPECT_FALSE(step_unlocked(steps, steps[2], none, kNow));
  EXPECT_FALSE(step_unlocked(steps, steps[3], none, kNow));
  EXPECT_TRUE(step_unlocked(steps, steps[3], none, kNow + kDay));

  ProgressByStep read;
  read["read"].completed_at = kNow;
  EXPECT_TRUE(step_unlocked(steps, steps[1], read, kNow));
  EXPECT_TRUE(step_unlocked(steps, steps[2], read, kNow));
  const auto opened = steps_unlocked_by(steps, none, read, kNow);
  ASSERT_EQ(opened.size(), 2u);
  EXPECT_EQ(opened[0]->id, "cards");
  EXPECT_EQ(opened[1]->id, "quiz");

  // A cards step counts as done when mastered, not when merely completed.
  std::vector<Step> two{step("cards", "cards", "open"), step("next", "lesson", "sequential")};
  ProgressByStep completed;
  completed["cards"].completed_at = kNow;
  EXPECT_FALSE(step_unlocked(two, two[1], completed, kNow));
  completed["cards"].mastered_at = kNow;
  EXPECT_TRUE(step_unlocked(two, two[1], completed, kNow));
  // A prerequisite since deleted no longer holds the step back.
  steps[2].prerequisite_step_id = "deleted";
  EXPECT_TRUE(step_unlocked(steps, steps[2], none, kNow));
}

TEST(RevisionSession, AStepIsMasteredWhenEveryCardGraduated) {
  const auto cards = cards_of({flashcard("a"), flashcard("b")});
  KnownCards known;
  EXPECT_FALSE(step_mastered(cards, known));
  known[card_key("a", 0)] = known_card("a", 5, 1, 4);
  EXPECT_FALSE(step_mastered(cards, known));
  known[card_key("b", 0)] = known_card("b", 5, 1, 4);
  EXPECT_TRUE(step_mastered(cards, known));
  known[card_key("b", 0)].state = static_cast<int>(srs::State::relearning);
  EXPECT_FALSE(step_mastered(cards, known));
  EXPECT_FALSE(step_mastered({}, {}));
}

ReviewRecord review_of(const std::string& item, int rating, std::optional<int> correct, srs::State before) {
  ReviewRecord r;
  r.item_id = item;
  r.rating = rating;
  r.correct = correct;
  r.duration_ms = 5000;
  r.state_before = static_cast<int>(before);
  return r;
}

TEST(RevisionSession, TheSummaryCountsCardsRightFirstTimeNotAnswers) {
  const std::vector<ReviewRecord> reviews{review_of("a", 1, 0, srs::State::new_card),
                                          review_of("b", 3, 1, srs::State::review),
                                          review_of("a", 3, 1, srs::State::learning)};
  std::vector<Card> cards{known_card("a", 1, 0, 1), known_card("b", 10, 0, 10), known_card("other", 3, 0, 0.5)};
  const auto day_of = [](std::int64_t at) { return at / kDay; };
  const auto counts = count_session(reviews, cards, true, day_of);
  EXPECT_EQ(counts.answers, 3);
  EXPECT_EQ(counts.correct, 2);
  EXPECT_EQ(counts.cards_reviewed, 2);
  EXPECT_EQ(counts.cards_right_first_time, 1);
  EXPECT_EQ(counts.score, 50);
  EXPECT_EQ(counts.cards_learned, 1);
  EXPECT_EQ(counts.time_spent_ms, 15000);
  EXPECT_EQ(counts.next_due_at, kNow + kDay);  // the card outside the session is not counted
  EXPECT_EQ(counts.due_by_day.size(), 2u);
  EXPECT_TRUE(count_session(reviews, cards, false, day_of).due_by_day.empty());
  EXPECT_EQ(count_session({}, {}, true, day_of).score, 0);
}

// What an answer's write read back is given once, to the answer of its own school, session and card.
TEST(AnswerPrefetch, IsTakenOnceAndOnlyForTheCardItExpects) {
  AnswerPrefetch kept;
  auto entry = [] {
    PrefetchedAnswer e;
    e.session.id = "session-1";
    e.session.school_id = "school-a";
    e.session.position = 4;
    e.item_id = "item-5";
    e.variant = 1;
    e.card = Card{};
    e.card->reviews = 2;
    return e;
  };
  kept.put(entry());
  const auto taken = kept.take("school-a", "session-1", "item-5", 1);
  ASSERT_TRUE(taken.has_value());
  EXPECT_EQ(taken->session.position, 4);
  ASSERT_TRUE(taken->card.has_value());
  EXPECT_EQ(taken->card->reviews, 2);
  EXPECT_FALSE(kept.take("school-a", "session-1", "item-5", 1));  // once: a second tab reads

  for (const auto& [school, item, variant] : {std::tuple{"school-b", "item-5", 1}, std::tuple{"school-a", "item-6", 1},
                                              std::tuple{"school-a", "item-5", 0}}) {
    kept.put(entry());
    EXPECT_FALSE(kept.take(school, "session-1", item, variant)) << school << " " << item << " " << variant;
    EXPECT_FALSE(kept.take("school-a", "session-1", "item-5", 1));  // a mismatch drops it too
  }
  kept.put(entry());
  kept.erase("session-1");
  EXPECT_FALSE(kept.take("school-a", "session-1", "item-5", 1));
}

}  // namespace
}  // namespace mnemos::learning
