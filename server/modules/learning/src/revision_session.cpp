// The rules of revising, with no database (revision_session.hpp, docs/learning.md).
#include <mnemos/core/error.hpp>

#include "revision_session.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace mnemos::learning {

std::string card_key(const std::string& item_id, int variant) {
  return item_id + "#" + std::to_string(variant);
}

srs::CardState state_of(const Card& c) {
  srs::CardState s;
  s.state = static_cast<srs::State>(c.state);
  s.stability = c.stability;
  s.difficulty = c.difficulty;
  s.step = c.learning_step;
  s.reviews = c.reviews;
  s.lapses = c.lapses;
  s.last_review_ms = c.last_review_at;
  s.due_ms = c.due_at;
  return s;
}

bool step_done(const Step& step, const StepProgress& progress) {
  return step.kind == "lesson" || step.kind == "tutor" ? progress.completed_at.has_value()
                                                        : progress.mastered_at.has_value();
}

StepProgress progress_of(const ProgressByStep& progress, const std::string& step_id) {
  const auto found = progress.find(step_id);
  return found == progress.end() ? StepProgress{} : found->second;
}

namespace {

void store_state(Card& c, const srs::CardState& s) {
  c.state = static_cast<int>(s.state);
  c.stability = s.stability;
  c.difficulty = s.difficulty;
  c.learning_step = s.step;
  c.reviews = s.reviews;
  c.lapses = s.lapses;
  c.last_review_at = s.last_review_ms;
  c.due_at = s.due_ms;
}

// FNV-1a: a stable seed for a card's fuzz, the same on every machine and build.
std::uint64_t seed_of(const std::string& student, const std::string& item, int variant) {
  std::uint64_t h = 1469598103934665603ULL;
  const std::string key = student + "/" + item + "/" + std::to_string(variant);
  for (unsigned char c : key) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

// Lowest retrievability first; cards of equal retrievability keep the step's order.
void weakest_first(std::vector<std::pair<double, SessionTurn>>& cards) {
  std::stable_sort(cards.begin(), cards.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
}

}  // namespace

std::vector<SessionTurn> plan_turns(std::string_view mode, const StepCards& cards, const KnownCards& known,
                                    const srs::Scheduler& scheduler, const srs::MemorySettings& settings,
                                    DayCounts today, std::int64_t now) {
  std::vector<SessionTurn> queue;
  if (mode == "review") {
    std::vector<std::pair<double, SessionTurn>> due;
    std::vector<SessionTurn> fresh;
    for (const auto& [item, variant] : cards) {
      const auto found = known.find(card_key(item.id, variant));
      if (found == known.end()) {
        fresh.push_back({item.id, variant, 0});
      } else if (found->second.due_at <= now) {
        due.emplace_back(scheduler.retrievability(state_of(found->second), now), SessionTurn{item.id, variant, 0});
      }
    }
    weakest_first(due);
    const auto review_room = static_cast<std::size_t>(std::max(0, settings.reviews_per_day - today.reviewed));
    for (const auto& [retrievability, turn] : due) {
      if (queue.size() >= std::min(review_room, kMaxQueue)) break;
      queue.push_back(turn);
    }
    const auto new_room = static_cast<std::size_t>(std::max(0, settings.new_cards_per_day - today.new_cards));
    for (std::size_t i = 0; i < fresh.size() && i < new_room && queue.size() < kMaxQueue; ++i) {
      queue.push_back(fresh[i]);
    }
    if (queue.empty()) {
      throw Error::conflict(cards.empty() ? "This step has no cards yet."
                                          : "Nothing is due in this step today. Start a practice session to revise without changing your schedule.");
    }
    return queue;
  }
  std::vector<std::pair<double, SessionTurn>> all;
  for (const auto& [item, variant] : cards) {
    const auto found = known.find(card_key(item.id, variant));
    const double r = found == known.end() ? 0.0 : scheduler.retrievability(state_of(found->second), now);
    all.emplace_back(r, SessionTurn{item.id, variant, 0});
  }
  weakest_first(all);
  for (const auto& [retrievability, turn] : all) {
    if (queue.size() >= kPracticeSize) break;
    queue.push_back(turn);
  }
  if (queue.empty()) throw Error::conflict("This step has no cards yet.");
  return queue;
}

bool step_unlocked(const std::vector<Step>& steps, const Step& step, const ProgressByStep& progress,
                   std::int64_t now) {
  if (step.unlock_rule == "open") return true;
  if (step.unlock_rule == "date") return step.unlock_at && *step.unlock_at <= now;
  const Step* before = nullptr;
  if (step.unlock_rule == "prerequisite") {
    for (const auto& s : steps) {
      if (step.prerequisite_step_id && s.id == *step.prerequisite_step_id) before = &s;
    }
  } else {
    for (const auto& s : steps) {
      if (s.id == step.id) break;
      before = &s;
    }
  }
  if (before == nullptr) return true;  // the first step, or a prerequisite since deleted
  return step_done(*before, progress_of(progress, before->id));
}

bool step_mastered(const StepCards& cards, const KnownCards& known) {
  if (cards.empty()) return false;
  return std::all_of(cards.begin(), cards.end(), [&](const auto& card) {
    const auto found = known.find(card_key(card.first.id, card.second));
    return found != known.end() && found->second.state == static_cast<int>(srs::State::review);
  });
}

std::vector<const Step*> steps_unlocked_by(const std::vector<Step>& steps, const ProgressByStep& progress_before,
                                           const ProgressByStep& progress_after, std::int64_t now) {
  std::vector<const Step*> out;
  for (const auto& s : steps) {
    if (!step_unlocked(steps, s, progress_before, now) && step_unlocked(steps, s, progress_after, now)) {
      out.push_back(&s);
    }
  }
  return out;
}

AnswerOutcome RevisionSession::answer(const SessionTurn& turn, const Item& item, std::optional<Card> card,
                                      const Path& path, const boost::json::object& answer,
                                      std::int64_t duration_ms, const srs::Scheduler& scheduler,
                                      std::int64_t now) {
  AnswerOutcome out;
  const std::int64_t counted = std::clamp<std::int64_t>(duration_ms, 0, kMaxCountedDurationMs);
  out.grade = grade(item, turn.variant, answer, counted);
  const bool existed = card.has_value();
  if (existed) {
    out.card = std::move(*card);
  } else {
    out.card.school_id = record_.school_id;
    out.card.student_id = record_.student_id;
    out.card.item_id = item.id;
    out.card.variant = turn.variant;
    out.card.path_id = path.id;
    out.card.step_id = record_.step_id;
    out.card.subject_id = path.subject_id;
  }
  const srs::CardState before = state_of(out.card);
  ReviewRecord& review = out.review;
  review.school_id = record_.school_id;
  review.student_id = record_.student_id;
  review.item_id = item.id;
  review.variant = turn.variant;
  review.path_id = path.id;
  review.step_id = record_.step_id;
  review.subject_id = path.subject_id;
  review.session_id = record_.id;
  review.rating = out.grade.rating;
  if (!out.grade.self_rated) review.correct = out.grade.correct ? 1 : 0;
  review.practice = record_.mode == "practice" ? 1 : 0;
  review.duration_ms = counted;
  review.reviewed_at = now;
  review.state_before = out.card.state;
  if (record_.mode == "review") {
    const auto result = scheduler.review(before, static_cast<srs::Rating>(out.grade.rating), now,
                                         seed_of(out.card.student_id, out.card.item_id, turn.variant));
    store_state(out.card, result.after);
    out.card_changed = true;
    out.interval_days = result.interval_days;
    review.retrievability = result.retrievability;
    const bool learning = result.after.state == srs::State::learning ||
                          result.after.state == srs::State::relearning;
    if (learning && turn.repeats < kMaxRepeats &&
        record_.turn_count < static_cast<int>(kMaxQueue) + kMaxExtraTurns) {
      out.again = SessionTurn{turn.item_id, turn.variant, turn.repeats + 1};
    }
  } else {
    if (existed) review.retrievability = scheduler.retrievability(before, now);
    if (!out.grade.correct && turn.repeats < 1) out.again = SessionTurn{turn.item_id, turn.variant, 1};
  }
  review.state_after = out.card.state;
  review.stability_after = out.card.stability;
  review.difficulty_after = out.card.difficulty;
  review.due_after = out.card.due_at;
  out.next_is_planned = record_.position + 1 < record_.turn_count;
  advance(out.again.has_value(), now);
  return out;
}

void RevisionSession::skip(std::int64_t now) { advance(false, now); }

void RevisionSession::advance(bool card_comes_back, std::int64_t now) {
  // Cards, not answers: a card that comes back adds a turn to answer, not a card to learn. A card
  // is done when none of its turns is left.
  if (card_comes_back) {
    record_.turn_count += 1;
  } else {
    record_.cards_done += 1;
  }
  record_.position += 1;
  record_.last_activity_at = now;
}

void RevisionSession::finish(std::string summary_json, std::int64_t now) {
  record_.status = "finished";
  record_.finished_at = now;
  record_.last_activity_at = now;
  record_.summary = std::move(summary_json);
}

SessionCounts count_session(const std::vector<ReviewRecord>& reviews, const std::vector<Card>& cards,
                            bool review_mode, const std::function<std::int64_t(std::int64_t)>& day_of) {
  SessionCounts out;
  std::map<std::string, bool> first_try;  // card -> right at its first answer in this session
  std::set<std::string> learned;
  for (const auto& r : reviews) {
    const bool right = r.correct ? *r.correct == 1 : r.rating > 1;
    out.correct += right;
    out.time_spent_ms += r.duration_ms;
    const auto key = card_key(r.item_id, r.variant);
    first_try.emplace(key, right);
    if (r.state_before == static_cast<int>(srs::State::new_card) && !r.practice) learned.insert(key);
  }
  for (const auto& [key, right] : first_try) out.cards_right_first_time += right;
  out.answers = static_cast<int>(reviews.size());
  out.cards_reviewed = static_cast<int>(first_try.size());
  out.cards_learned = static_cast<int>(learned.size());
  out.score = out.cards_reviewed == 0
                  ? 0
                  : static_cast<int>(std::lround(100.0 * out.cards_right_first_time / out.cards_reviewed));
  out.success_rate = out.answers == 0 ? 0.0 : static_cast<double>(out.correct) / out.answers;
  if (review_mode) {
    for (const auto& c : cards) {
      if (!first_try.count(card_key(c.item_id, c.variant))) continue;
      out.due_by_day[day_of(c.due_at)] += 1;
      out.next_due_at = out.next_due_at ? std::min(*out.next_due_at, c.due_at) : c.due_at;
    }
  }
  return out;
}

}  // namespace mnemos::learning
