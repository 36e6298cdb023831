// Revision sessions, progress and memory settings: what students do (docs/learning.md).
#include <mnemos/core/activity.hpp>
#include <mnemos/core/db.hpp>
#include <mnemos/core/ids.hpp>
#include <mnemos/core/jobs.hpp>
#include <mnemos/core/timezone.hpp>
#include <mnemos/srs/optimizer.hpp>

#include "content.hpp"
#include "revision_support.hpp"
#include "repository.hpp"
#include "services.hpp"
#include "views.hpp"

#include <boost/json/array.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <set>

namespace mnemos::learning {

using boost::json::array;
using boost::json::object;

// Shared with the views (revision_views.cpp), declared in revision_support.hpp.
namespace revision {

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

std::string key_of(const std::string& item, int variant) { return item + "#" + std::to_string(variant); }

std::shared_ptr<const TimeZone> zone_of(soci::session& sql, const Deps& deps, const std::string& school) {
  const std::string name =
      deps.cache.timezones.get(school, [&] { return deps.directory.school_timezone(sql, school); });
  return TimeZone::exists(name) ? TimeZone::named(name) : TimeZone::named("UTC");
}

std::string date_text(std::int64_t day) {
  using namespace std::chrono;
  const year_month_day ymd{sys_days(days(day))};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return text;
}

bool step_done(const Step& step, const StepProgress& p) {
  return step.kind == "lesson" || step.kind == "tutor" ? p.completed_at.has_value()
                                                        : p.mastered_at.has_value();
}

std::shared_ptr<const StepCards> cards_in(soci::session& sql, const Deps& deps, const std::string& step_id) {
  return deps.cache.step_cards.get(step_id, [&] {
    auto out = std::make_shared<StepCards>();
    for (const auto& item : repo::items_of(sql, step_id)) {
      if (item.validation != "validated" || !is_card_kind(item.kind)) continue;
      for (int variant : variants_of(item)) out->emplace_back(item, variant);
    }
    return std::shared_ptr<const StepCards>(std::move(out));
  });
}

object settings_json(const srs::MemorySettings& s) {
  return {{"desired_retention", s.desired_retention},
          {"new_cards_per_day", s.new_cards_per_day},
          {"reviews_per_day", s.reviews_per_day},
          {"maximum_interval_days", s.maximum_interval_days},
          {"retention_from", s.retention_from}};
}

}  // namespace revision

using namespace revision;

namespace {


constexpr std::size_t kMaxQueue = 200;  // cards in one session
constexpr std::size_t kPracticeSize = 50;
constexpr int kMaxRepeats = 3;          // a card still in its learning steps comes back at most 3 times
constexpr std::int64_t kMaxCountedDurationMs = 10 * 60 * 1000;

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






// Memory settings were saved: the cache's copies go once the write is done (or failed).
struct SettingsChanged {
  LearningCache& cache;
  ~SettingsChanged() { cache.settings.clear(); }
};

srs::SettingsLayer layer_of(const SettingsRow& row) {
  return {row.desired_retention, row.new_cards_per_day, row.reviews_per_day, row.maximum_interval_days};
}


object row_json(const SettingsRow& r) {
  auto v = [](const auto& o) { return o ? boost::json::value(*o) : boost::json::value(nullptr); };
  return {{"desired_retention", v(r.desired_retention)},
          {"new_cards_per_day", v(r.new_cards_per_day)},
          {"reviews_per_day", v(r.reviews_per_day)},
          {"maximum_interval_days", v(r.maximum_interval_days)}};
}

}  // namespace

// --- Settings and the scheduler ---------------------------------------------------------------

srs::MemorySettings RevisionService::settings_for(soci::session& sql, const Path& path,
                                                  const std::optional<std::string>& student_id) const {
  const srs::SettingsLayer platform{};
  const auto teacher = layer_of(d_.cache.settings_of(sql, path.school_id, "teacher", path.owner_id));
  const auto subject = layer_of(d_.cache.settings_of(sql, path.school_id, "subject", path.subject_id));
  const srs::SettingsLayer path_layer{path.desired_retention, path.new_cards_per_day,
                                      path.reviews_per_day, path.maximum_interval_days};
  std::optional<double> student;
  if (student_id) student = d_.cache.settings_of(sql, path.school_id, "student", *student_id).desired_retention;
  return srs::resolve_settings(platform, teacher, subject, path_layer, student);
}

srs::Scheduler RevisionService::scheduler_for(soci::session& sql, const Path& path,
                                              const std::string& student_id,
                                              const srs::MemorySettings& resolved) const {
  srs::Settings s;
  if (auto fit = d_.cache.fit(sql, student_id, path.subject_id); fit && fit->parameters) {
    std::vector<double> values;
    const auto parsed = json::parse(*fit->parameters);
    for (const auto& v : parsed.as_array()) values.push_back(v.to_number<double>());
    try {
      s.parameters = srs::parameters_from(values);
    } catch (const std::invalid_argument&) {
      s.parameters = srs::default_parameters();  // never schedule with a damaged row
    }
  }
  s.desired_retention = resolved.desired_retention;
  s.maximum_interval_days = resolved.maximum_interval_days;
  s.fuzz = true;
  if (path.exam_date) s.exam_day = civil_day(*path.exam_date);
  auto zone = zone_of(sql, d_, path.school_id);
  return srs::Scheduler(s, [zone](std::int64_t utc_ms) { return zone->local_day(utc_ms, kDayStartHour); });
}

bool RevisionService::unlocked(soci::session& sql, const std::vector<Step>& steps, const Step& step,
                               const std::string& student_id, std::int64_t now) const {
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
  return step_done(*before, repo::progress(sql, student_id, before->id));
}

void RevisionService::update_mastery(soci::session& sql, const RevisionSession& session,
                                     const Step& step, std::int64_t now) const {
  auto progress = repo::progress(sql, session.student_id, step.id);
  if (progress.mastered_at) return;  // mastery, once reached, stays (forgetting shows in due cards)
  const auto& cards = *cards_in(sql, d_, step.id);
  if (cards.empty()) return;
  std::map<std::string, int> states;
  for (const auto& c : repo::cards_of_step(sql, session.student_id, step.id)) {
    states[key_of(c.item_id, c.variant)] = c.state;
  }
  for (const auto& [item, variant] : cards) {
    const auto found = states.find(key_of(item.id, variant));
    if (found == states.end() || found->second != static_cast<int>(srs::State::review)) return;
  }
  repo::mark_progress(sql, session.school_id, session.student_id, step, progress.completed_at, now);
}

// --- Sessions -------------------------------------------------------------------------------

namespace {

// `current`: the turn at the session's position and its item, when the session is active.
object session_view(const RevisionSession& s, const std::optional<SessionTurn>& current,
                    const std::optional<Item>& current_item) {
  // Cards, not answers: a card answered wrongly comes back later in the session, which adds an
  // answer to give but not a card to learn. A card is done when none of its turns is left.
  object out{{"id", s.id},
             {"path_id", s.path_id},
             {"step_id", s.step_id},
             {"mode", s.mode},
             {"status", s.status},
             {"position", s.position},
             {"total", s.turn_count},
             {"remaining", s.turn_count - s.position},
             {"cards", s.card_count},
             {"cards_done", s.cards_done},
             {"started_at", s.started_at}};
  out["current"] = nullptr;
  if (s.status == "active" && s.position < s.turn_count && current && current_item) {
    out["current"] = object{{"item_id", current->item_id},
                            {"variant", current->variant},
                            {"repeat", current->repeats},
                            {"prompt", prompt_of(*current_item, current->variant)}};
  }
  if (s.summary) out["summary"] = json::parse(*s.summary);
  return out;
}

object session_json(soci::session& sql, LearningCache& cache, const RevisionSession& s) {
  std::optional<SessionTurn> turn;
  std::optional<Item> item;
  if (s.status == "active" && s.position < s.turn_count) {
    turn = repo::planned_turn(s, 0);
    if (!turn) turn = repo::turn_at(sql, s.id, s.position);
    if (turn) item = cache.item(sql, s.school_id, turn->item_id);
  }
  return session_view(s, turn, item);
}

}  // namespace

std::pair<bool, object> RevisionService::start(const RequestContext& ctx, const boost::json::value& body) {
  if (!ctx.roles.has(Role::student)) throw Error::forbidden("Only students revise.");
  json::Fields f(body);
  const auto step_id = f.required_string("step_id", 40);
  const auto mode = f.optional_string("mode", 20).value_or("review");
  if (mode != "review" && mode != "practice") f.validation().fail("mode", "Use review or practice.");
  f.done();
  // Planned on a pooled connection, saved by a short write (as an answer is: see answer()).
  struct StartPlan {
    std::optional<RevisionSession> resume;  // today's session on this step, still active
    std::optional<RevisionSession> stale;   // yesterday's, to close
    RevisionSession session;
    std::vector<SessionTurn> queue;
  };
  StartPlan plan = d_.db.read([&](soci::session& sql) {
    StartPlan p;
    const std::string& school = ctx.school();
    const std::string& student = *ctx.user_id;
    const auto [found_step, path] = access_.assigned_step(sql, ctx, step_id);
    const Step* step = &found_step;
    if (step->kind != "cards" && step->kind != "quiz") {
      throw Error::conflict("This step is not revised with cards: open it to read it.");
    }
    const std::int64_t now = ctx.now_ms();
    const auto steps = repo::steps_of(sql, path.id);
    if (!unlocked(sql, steps, *step, student, now)) {
      throw Error::conflict("This step is still locked: finish the steps before it first.");
    }
    const auto zone = zone_of(sql, d_, school);
    const std::int64_t today = zone->local_day(now, kDayStartHour);
    if (auto active = repo::active_session(sql, student, step->id)) {
      if (zone->local_day(active->last_activity_at, kDayStartHour) == today) {
        p.resume = std::move(*active);
        return p;
      }
      // Yesterday's unfinished session: close it and plan today's afresh.
      active->status = "finished";
      active->finished_at = now;
      p.stale = std::move(*active);
    }

    const auto settings = settings_for(sql, path, student);
    const auto scheduler = scheduler_for(sql, path, student, settings);
    const auto cards_held = cards_in(sql, d_, step->id);
    const auto& cards = *cards_held;
    std::map<std::string, Card> known;
    for (const auto& c : repo::cards_of_step(sql, student, step->id)) known[key_of(c.item_id, c.variant)] = c;
    std::vector<SessionTurn> queue;
    if (mode == "review") {
      const auto [reviewed_today, new_today] = repo::reviews_since(sql, school, student, zone->day_start_ms(today, kDayStartHour));
      // Due cards first, the most forgotten (lowest retrievability) first.
      std::vector<std::pair<double, SessionTurn>> due;
      std::vector<SessionTurn> fresh;
      for (const auto& [item, variant] : cards) {
        const auto found = known.find(key_of(item.id, variant));
        if (found == known.end()) {
          fresh.push_back({item.id, variant, 0});
        } else if (found->second.due_at <= now) {
          due.emplace_back(scheduler.retrievability(state_of(found->second), now), SessionTurn{item.id, variant, 0});
        }
      }
      std::stable_sort(due.begin(), due.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      const int review_room = std::max(0, settings.reviews_per_day - reviewed_today);
      for (const auto& [r, e] : due) {
        if (static_cast<int>(queue.size()) >= review_room || queue.size() >= kMaxQueue) break;
        queue.push_back(e);
      }
      const int new_room = std::max(0, settings.new_cards_per_day - new_today);
      for (int i = 0; i < static_cast<int>(fresh.size()) && i < new_room && queue.size() < kMaxQueue; ++i) {
        queue.push_back(fresh[static_cast<std::size_t>(i)]);
      }
      if (queue.empty()) {
        throw Error::conflict(cards.empty() ? "This step has no cards yet."
                                            : "Nothing is due in this step today. Start a practice session to revise without changing your schedule.");
      }
    } else {
      // Practice: the weakest cards first, known or not; the schedule is left alone.
      std::vector<std::pair<double, SessionTurn>> all;
      for (const auto& [item, variant] : cards) {
        const auto found = known.find(key_of(item.id, variant));
        const double r = found == known.end() ? 0.0 : scheduler.retrievability(state_of(found->second), now);
        all.emplace_back(r, SessionTurn{item.id, variant, 0});
      }
      std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      for (const auto& [r, e] : all) {
        if (queue.size() >= kPracticeSize) break;
        queue.push_back(e);
      }
      if (queue.empty()) throw Error::conflict("This step has no cards yet.");
    }
    RevisionSession session;
    session.id = new_id();
    session.school_id = school;
    session.student_id = student;
    session.path_id = path.id;
    session.step_id = step->id;
    session.mode = mode;
    session.status = "active";
    session.turn_count = session.card_count = static_cast<int>(queue.size());
    session.started_at = session.last_activity_at = now;
    // The cards as one planned text, written with the session; as turn rows only if one does not
    // fit its format.
    if (auto planned = repo::planned_text(queue)) {
      session.planned = std::move(*planned);
      queue.clear();
    }
    p.session = std::move(session);
    p.queue = std::move(queue);
    return p;
  });
  if (plan.resume) {
    return {false, d_.db.read([&](soci::session& sql) { return session_json(sql, d_.cache, *plan.resume); })};
  }
  auto created = d_.db.write([&](soci::session& sql) -> std::optional<RevisionSession> {
    if (plan.stale) repo::update_session(sql, *plan.stale);
    // Another tab may have started one since the plan was read: that one is resumed.
    if (auto active = repo::active_session(sql, plan.session.student_id, plan.session.step_id)) return active;
    repo::insert_session(sql, plan.session);
    if (!plan.queue.empty()) repo::insert_turns(sql, plan.session.id, 0, plan.queue);
    return std::nullopt;
  });
  const bool is_new = !created.has_value();
  if (is_new) plan.session.planned_window = plan.session.planned.substr(0, 2 * repo::kPlannedWidth);
  const RevisionSession& session = created ? *created : plan.session;
  return {is_new, d_.db.read([&](soci::session& sql) { return session_json(sql, d_.cache, session); })};
}

object RevisionService::get(const RequestContext& ctx, const std::string& id) {
  return d_.db.read([&](soci::session& sql) {
    auto session = repo::find_session(sql, ctx.school(), id);
    if (!session || !ctx.user_id || session->student_id != *ctx.user_id) {
      throw Error::not_found("No such revision session.");
    }
    return session_json(sql, d_.cache, *session);
  });
}

namespace {
// What one answer changes, decided from a read of the session; saved only if the session has not
// moved meanwhile (another tab answered the same card).
struct AnswerPlan {
  RevisionSession session;
  int read_position = 0;
  bool skipped = false;  // the teacher removed the card meanwhile
  std::optional<Item> item;
  int variant = 0;
  Grade grade;
  Card card;
  bool card_exists = false;
  bool card_changed = false;
  ReviewRecord review;
  object card_view;
  std::optional<SessionTurn> again;  // the card's next turn in this session, if it comes back
  std::optional<SessionTurn> next;   // the turn that follows, shown once this one is saved
  std::optional<Item> next_item;
};
}  // namespace

object RevisionService::answer(const RequestContext& ctx, const std::string& id,
                               const boost::json::value& body) {
  // Everything is read and decided on a pooled connection; the write transaction only saves. On
  // SQLite one thread commits every write (docs/decisions/0008), so what it does per answer is
  // what bounds the school's answers per second.
  AnswerPlan plan = d_.db.read([&](soci::session& sql) {
    AnswerPlan p;
    auto session = repo::find_session(sql, ctx.school(), id);
    if (!session || !ctx.user_id || session->student_id != *ctx.user_id) {
      throw Error::not_found("No such revision session.");
    }
    json::Fields f(body);
    const auto item_id = f.required_string("item_id", 40);
    const auto variant = static_cast<int>(f.optional_int("variant", 0, 100).value_or(0));
    const auto duration = f.optional_int("duration_ms", 0, 24LL * 3600 * 1000).value_or(0);
    const auto* answer = f.object().if_contains("answer");
    if (answer == nullptr || !answer->is_object()) f.validation().fail("answer", "Give the answer as an object.");
    f.done();
    if (session->status != "active") throw Error::conflict("This session is finished.");
    // The card answered and the next one: from the planned text the session row carries, else (a
    // card that came back, an older session) from the turn rows, in one query.
    std::optional<SessionTurn> turn, following;
    if (session->position < session->turn_count) {
      turn = repo::planned_turn(*session, 0);
      following = repo::planned_turn(*session, 1);
      const bool next_needed = session->position + 1 < session->turn_count;
      if (!turn || (next_needed && !following)) {
        auto [row, next_row] = repo::turn_and_next(sql, session->id, session->position);
        if (!turn) turn = std::move(row);
        if (!following) following = std::move(next_row);
      }
    }
    if (!turn) throw Error::conflict("No card is waiting for an answer: finish the session.");
    const SessionTurn& current = *turn;
    if (current.item_id != item_id || current.variant != variant) {
      throw Error::conflict("This answer is for another card than the one shown: reload the session.");
    }
    p.session = std::move(*session);
    p.read_position = p.session.position;
    p.variant = variant;
    const std::int64_t now = ctx.now_ms();
    p.item = d_.cache.item(sql, p.session.school_id, item_id);
    const auto step = d_.cache.step(sql, p.session.school_id, p.session.step_id);
    const auto path = d_.cache.path(sql, p.session.school_id, p.session.path_id);
    if (!p.item || !step || !path || p.item->validation != "validated") {
      p.skipped = true;
      return p;
    }
    const Item& item = *p.item;
    const std::int64_t counted = std::min<std::int64_t>(duration, kMaxCountedDurationMs);
    p.grade = learning::grade(item, variant, answer->as_object(), counted);

    const auto settings = settings_for(sql, *path, p.session.student_id);
    const auto scheduler = scheduler_for(sql, *path, p.session.student_id, settings);
    auto existing = repo::find_card(sql, p.session.student_id, item.id, variant);
    p.card_exists = existing.has_value();
    Card& card = p.card;
    if (existing) {
      card = *existing;
    } else {
      card.school_id = p.session.school_id;
      card.student_id = p.session.student_id;
      card.item_id = item.id;
      card.variant = variant;
      card.path_id = path->id;
      card.step_id = step->id;
      card.subject_id = path->subject_id;
    }
    const srs::CardState before = state_of(card);
    ReviewRecord& review = p.review;
    review.id = new_id();
    review.school_id = p.session.school_id;
    review.student_id = p.session.student_id;
    review.item_id = item.id;
    review.variant = variant;
    review.path_id = path->id;
    review.step_id = step->id;
    review.subject_id = path->subject_id;
    review.session_id = p.session.id;
    review.rating = p.grade.rating;
    if (!p.grade.self_rated) review.correct = p.grade.correct ? 1 : 0;
    review.practice = p.session.mode == "practice" ? 1 : 0;
    review.duration_ms = counted;
    review.reviewed_at = now;
    review.state_before = card.state;
    if (p.session.mode == "review") {
      const auto result = scheduler.review(before, static_cast<srs::Rating>(p.grade.rating), now,
                                           seed_of(card.student_id, card.item_id, variant));
      store_state(card, result.after);
      p.card_changed = true;
      review.retrievability = result.retrievability;
      p.card_view = object{{"state", std::string(srs::to_string(result.after.state))},
                           {"due_at", result.after.due_ms},
                           {"interval_days", result.interval_days},
                           {"stability", result.after.stability}};
      // A card still in its learning steps comes back later in this session.
      const bool learning = result.after.state == srs::State::learning ||
                            result.after.state == srs::State::relearning;
      if (learning && current.repeats < kMaxRepeats &&
          p.session.turn_count < static_cast<int>(kMaxQueue) + 50) {
        p.again = SessionTurn{current.item_id, current.variant, current.repeats + 1};
      }
    } else {
      if (existing) review.retrievability = scheduler.retrievability(before, now);
      p.card_view = object{{"state", std::string(srs::to_string(before.state))}, {"due_at", before.due_ms}};
      if (!p.grade.correct && current.repeats < 1) p.again = SessionTurn{current.item_id, current.variant, 1};
    }
    review.state_after = card.state;
    review.stability_after = card.stability;
    review.difficulty_after = card.difficulty;
    review.due_after = card.due_at;
    p.next = p.read_position + 1 < p.session.turn_count ? following : p.again;
    if (p.next) p.next_item = d_.cache.item(sql, p.session.school_id, p.next->item_id);
    return p;
  });

  const std::int64_t now = ctx.now_ms();
  RevisionSession& session = plan.session;
  if (plan.again) session.turn_count += 1;
  if (plan.skipped || !plan.again) session.cards_done += 1;  // this was the card's last turn
  session.position += 1;
  session.last_activity_at = now;
  d_.db.write([&](soci::session& sql) {
    bool moved = false;
    if (!plan.skipped && d_.db.dialect() == db::Dialect::postgresql) {
      // Over the network: one statement, one round trip (SQLite runs in process: the steps below).
      moved = repo::save_answer(sql, session, plan.read_position, plan.card_changed ? &plan.card : nullptr,
                                plan.review, plan.again, session.turn_count - 1);
    } else {
      moved = repo::advance_session(sql, session, plan.read_position);
      if (moved && !plan.skipped) {
        if (plan.card_changed) repo::save_card(sql, plan.card, plan.card_exists);
        repo::insert_review(sql, plan.review);
        if (plan.again) repo::insert_turns(sql, session.id, session.turn_count - 1, {*plan.again});
      }
    }
    if (!moved) {
      throw Error::conflict("This card was answered meanwhile, perhaps in another tab: reload the session.");
    }
    // The last answer finishes the session: a student who closes the tab then has their step
    // counted and the next one unlocked, and nothing is left to resume.
    if (session.position >= session.turn_count) finish_session(sql, session, now);
  });
  // A skipped card was not planned further: its session is read again.
  object view = plan.skipped
                    ? d_.db.read([&](soci::session& sql) { return session_json(sql, d_.cache, session); })
                    : session_view(session, plan.next, plan.next_item);
  if (plan.skipped) return object{{"skipped", true}, {"session", std::move(view)}};
  array given, expected;
  for (const auto& words : plan.grade.given) given.emplace_back(words);
  for (const auto& words : expected_in_words(*plan.item, plan.variant)) expected.emplace_back(words);
  object out{{"skipped", false},
             {"correct", plan.grade.correct},
             {"rating", plan.grade.rating},
             {"self_rated", plan.grade.self_rated},
             {"solution", solution_of(*plan.item, plan.variant)},
             {"correction", object{{"given", std::move(given)}, {"expected", std::move(expected)}}},
             {"card", std::move(plan.card_view)},
             {"session", std::move(view)}};
  if (plan.grade.parts > 0) out["parts"] = object{{"right", plan.grade.parts_right}, {"total", plan.grade.parts}};
  return out;
}

object RevisionService::finish(const RequestContext& ctx, const std::string& id) {
  return d_.db.write([&](soci::session& sql) {
    auto session = repo::find_session(sql, ctx.school(), id);
    if (!session || !ctx.user_id || session->student_id != *ctx.user_id) {
      throw Error::not_found("No such revision session.");
    }
    // Finishing is idempotent: the last answer may have finished the session already.
    if (session->status != "finished" || !session->summary) finish_session(sql, *session, ctx.now_ms());
    return session_json(sql, d_.cache, *session);
  });
}

void RevisionService::finish_session(soci::session& sql, RevisionSession& session, std::int64_t now) const {
  const auto reviews = repo::reviews_of_session(sql, session.id);
  const auto zone = zone_of(sql, d_, session.school_id);
  std::map<std::string, bool> first_try;  // card -> right at its first answer in this session
  std::set<std::string> learned;
  int right = 0;
  std::int64_t time_spent = 0;
  for (const auto& r : reviews) {
    const bool ok = r.correct ? *r.correct == 1 : r.rating > 1;
    right += ok;
    time_spent += r.duration_ms;
    const auto key = key_of(r.item_id, r.variant);
    first_try.emplace(key, ok);
    if (r.state_before == static_cast<int>(srs::State::new_card) && !r.practice) learned.insert(key);
  }
  int first_right = 0;
  for (const auto& [key, ok] : first_try) first_right += ok;
  const auto step = repo::find_step(sql, session.school_id, session.step_id);
  // When each card of the session comes back, grouped by day (the school's calendar).
  std::map<std::int64_t, int> by_day;
  std::optional<std::int64_t> next_due;
  if (session.mode == "review" && step) {
    for (const auto& c : repo::cards_of_step(sql, session.student_id, step->id)) {
      if (!first_try.count(key_of(c.item_id, c.variant))) continue;
      by_day[zone->local_day(c.due_at, kDayStartHour)] += 1;
      next_due = next_due ? std::min(*next_due, c.due_at) : c.due_at;
    }
  }
  array due_days;
  for (const auto& [day, count] : by_day) due_days.push_back(object{{"date", date_text(day)}, {"count", count}});
  bool mastered = false;
  object path_progress{{"steps_done", 0}, {"step_count", 0}};
  array unlocked_now;
  if (step) {
    const auto steps = repo::steps_of(sql, session.path_id);
    std::set<std::string> locked_before;
    for (const auto& s : steps) {
      if (!unlocked(sql, steps, s, session.student_id, now)) locked_before.insert(s.id);
    }
    if (session.mode == "review") update_mastery(sql, session, *step, now);
    mastered = repo::progress(sql, session.student_id, step->id).mastered_at.has_value();
    int done = 0;
    for (const auto& s : steps) {
      done += step_done(s, repo::progress(sql, session.student_id, s.id));
      if (locked_before.count(s.id) && unlocked(sql, steps, s, session.student_id, now)) {
        unlocked_now.push_back(object{{"id", s.id}, {"title", s.title}});
      }
    }
    path_progress = object{{"steps_done", done}, {"step_count", static_cast<std::int64_t>(steps.size())}};
  }
  const auto answers = static_cast<std::int64_t>(reviews.size());
  const auto cards = static_cast<std::int64_t>(first_try.size());
  object summary{{"answers", answers},
                 {"cards_reviewed", cards},
                 {"cards_learned", static_cast<std::int64_t>(learned.size())},
                 {"correct", right},
                 {"cards_right_first_time", first_right},
                 {"score", cards == 0 ? 0 : static_cast<std::int64_t>(std::lround(100.0 * first_right / static_cast<double>(cards)))},
                 {"success_rate", answers == 0 ? 0.0 : static_cast<double>(right) / static_cast<double>(answers)},
                 {"time_spent_ms", time_spent},
                 {"next_due_at", next_due ? boost::json::value(*next_due) : boost::json::value(nullptr)},
                 {"due_by_day", std::move(due_days)},
                 {"step_mastered", mastered},
                 {"path_progress", std::move(path_progress)},
                 {"unlocked_steps", std::move(unlocked_now)}};
  session.status = "finished";
  session.finished_at = now;
  session.last_activity_at = now;
  session.summary = json::serialize(summary);
  repo::update_session(sql, session);
  const auto path = repo::find_path(sql, session.school_id, session.path_id);
  jobs::publish(sql, d_.clock, d_.jobs, "learning.session_finished",
                json::serialize(object{{"session_id", session.id},
                                       {"student_id", session.student_id},
                                       {"path_id", session.path_id},
                                       {"step_id", session.step_id},
                                       {"owner_id", path ? path->owner_id : std::string()},
                                       {"mode", session.mode},
                                       {"score", summary.at("score")},
                                       {"cards_reviewed", cards}}),
                session.school_id);
  // Enough new reviews in the subject: fit the student's own parameters in the background.
  if (session.mode == "review" && path) {
    const int count = repo::count_reviews_in_subject(sql, session.school_id, session.student_id, path->subject_id);
    const auto fit = repo::fitted_parameters(sql, session.student_id, path->subject_id);
    if (count - (fit ? fit->reviews_at_fit : 0) >= kReviewsBeforeRefit) {
      jobs::enqueue(sql, d_.clock, "learning.fit_parameters",
                    json::serialize(object{{"student_id", session.student_id}, {"subject_id", path->subject_id}}),
                    session.school_id);
    }
  }
}

object RevisionService::complete_lesson(const RequestContext& ctx, const std::string& step_id) {
  return d_.db.write([&](soci::session& sql) {
    const auto [found_step, path] = access_.assigned_step(sql, ctx, step_id);
    const Step* step = &found_step;
    if (step->kind != "lesson" && step->kind != "tutor") {
      throw Error::conflict("This step is mastered by revising its cards, not by marking it as read.");
    }
    const std::int64_t now = ctx.now_ms();
    if (!unlocked(sql, repo::steps_of(sql, path.id), *step, *ctx.user_id, now)) {
      throw Error::conflict("This step is still locked: finish the steps before it first.");
    }
    auto progress = repo::progress(sql, *ctx.user_id, step->id);
    if (!progress.completed_at) {
      repo::mark_progress(sql, ctx.school(), *ctx.user_id, *step, now, now);
      progress.completed_at = now;
    }
    return object{{"step_id", step->id}, {"completed_at", *progress.completed_at}};
  });
}

// --- Memory settings --------------------------------------------------------------------------

object RevisionService::memory_settings(const RequestContext& ctx) {
  const bool teacher = ctx.roles.has(Role::teacher);
  if (!teacher && !ctx.roles.has(Role::student)) throw Error::forbidden("Memory settings are for teachers and students.");
  return d_.db.read([&](soci::session& sql) {
    const auto row = repo::settings(sql, ctx.school(), teacher ? "teacher" : "student", *ctx.user_id);
    object out = row_json(row);
    out["scope"] = teacher ? "teacher" : "student";
    out["platform"] = settings_json(srs::MemorySettings{});
    return out;
  });
}

object RevisionService::put_memory_settings(const RequestContext& ctx, const boost::json::value& body) {
  const bool teacher = ctx.roles.has(Role::teacher);
  if (!teacher && !ctx.roles.has(Role::student)) throw Error::forbidden("Memory settings are for teachers and students.");
  json::Fields f(body);
  SettingsRow row;
  auto retention = nullable_double(f, "desired_retention", srs::SettingBounds::min_desired_retention,
                                      srs::SettingBounds::max_desired_retention);
  if (retention) row.desired_retention = *retention;
  for (const char* name : {"new_cards_per_day", "reviews_per_day", "maximum_interval_days"}) {
    if (!f.object().contains(name)) continue;
    if (!teacher) {
      f.validation().fail(name, "Your teachers set this; you may only aim for a higher retention.");
      continue;
    }
    const std::string field = name;
    const auto limit = field == "new_cards_per_day" ? 1000 : field == "reviews_per_day" ? 10000 : 36500;
    auto value = nullable_int(f, name, field == "maximum_interval_days" ? 1 : 0, limit);
    if (!value || !*value) continue;
    const int v = static_cast<int>(**value);
    (field == "new_cards_per_day" ? row.new_cards_per_day : field == "reviews_per_day" ? row.reviews_per_day : row.maximum_interval_days) = v;
  }
  f.done();
  const SettingsChanged changed{d_.cache};
  return d_.db.write([&](soci::session& sql) {
    repo::put_settings(sql, ctx.school(), teacher ? "teacher" : "student", *ctx.user_id, row, ctx.now_ms());
    record_activity(sql, ctx, "memory_settings.updated", teacher ? "teacher" : "student", *ctx.user_id);
    object out = row_json(row);
    out["scope"] = teacher ? "teacher" : "student";
    out["platform"] = settings_json(srs::MemorySettings{});
    return out;
  });
}

object RevisionService::subject_settings(const RequestContext& ctx, const std::string& subject_id) {
  ctx.require(Permission::school_read);
  return d_.db.read([&](soci::session& sql) {
    if (!d_.directory.subject(sql, ctx.school(), subject_id)) throw Error::not_found("No such subject in this school.");
    object out = row_json(repo::settings(sql, ctx.school(), "subject", subject_id));
    out["scope"] = "subject";
    return out;
  });
}

object RevisionService::put_subject_settings(const RequestContext& ctx, const std::string& subject_id,
                                             const boost::json::value& body) {
  ctx.require(Permission::subjects_manage);
  const SettingsChanged changed{d_.cache};
  return d_.db.write([&](soci::session& sql) {
    if (!d_.directory.subject(sql, ctx.school(), subject_id)) throw Error::not_found("No such subject in this school.");
    json::Fields f(body);
    SettingsRow row;
    if (auto v = nullable_double(f, "desired_retention", srs::SettingBounds::min_desired_retention,
                                      srs::SettingBounds::max_desired_retention)) row.desired_retention = *v;
    auto as_int = [](const std::optional<std::optional<std::int64_t>>& v) -> std::optional<int> {
      if (!v || !*v) return std::nullopt;
      return static_cast<int>(**v);
    };
    row.new_cards_per_day = as_int(nullable_int(f, "new_cards_per_day", 0, srs::SettingBounds::max_new_cards_per_day));
    row.reviews_per_day = as_int(nullable_int(f, "reviews_per_day", 0, srs::SettingBounds::max_reviews_per_day));
    row.maximum_interval_days = as_int(nullable_int(f, "maximum_interval_days", 1, srs::SettingBounds::max_interval_days));
    f.done();
    repo::put_settings(sql, ctx.school(), "subject", subject_id, row, ctx.now_ms());
    record_activity(sql, ctx, "memory_settings.updated", "subject", subject_id);
    object out = row_json(row);
    out["scope"] = "subject";
    return out;
  });
}

// --- The optimizer job ------------------------------------------------------------------------

void RevisionService::fit_parameters(const std::string& school_id, const std::string& student_id,
                                     const std::string& subject_id) {
  // Read outside the write transaction: the fit takes a while and must not hold the write lock.
  struct Input {
    std::vector<srs::LoggedReview> log;
    std::optional<FittedParameters> previous;
    std::shared_ptr<const TimeZone> zone;
  };
  auto input = d_.db.read([&](soci::session& sql) {
    Input in;
    for (const auto& r : repo::reviews_in_subject(sql, school_id, student_id, subject_id)) {
      in.log.push_back({key_of(r.item_id, r.variant), r.rating, r.reviewed_at});
    }
    in.previous = repo::fitted_parameters(sql, student_id, subject_id);
    in.zone = zone_of(sql, d_, school_id);
    return in;
  });
  const int count = static_cast<int>(input.log.size());
  if (count - (input.previous ? input.previous->reviews_at_fit : 0) < kReviewsBeforeRefit) return;
  srs::Parameters start = srs::default_parameters();
  if (input.previous && input.previous->parameters) {
    std::vector<double> values;
    const auto parsed = json::parse(*input.previous->parameters);
    for (const auto& v : parsed.as_array()) values.push_back(v.to_number<double>());
    try {
      start = srs::parameters_from(values);
    } catch (const std::invalid_argument&) {
    }
  }
  const auto zone = input.zone;
  const auto report = srs::optimize(input.log, start, [zone](std::int64_t ms) { return zone->local_day(ms, kDayStartHour); });
  FittedParameters fit;
  if (report.improved) {
    array values;
    for (double w : report.parameters) values.push_back(w);
    fit.parameters = json::serialize(values);
  } else if (input.previous) {
    fit.parameters = input.previous->parameters;
  }
  fit.improved = report.improved ? 1 : 0;
  fit.fitted = report.fitted;
  fit.log_loss_before = report.log_loss_before;
  fit.log_loss_after = report.log_loss_after;
  fit.reviews_used = static_cast<int>(report.reviews_used);
  fit.reviews_at_fit = count;
  fit.fitted_at = d_.clock.now_ms();
  d_.db.write([&](soci::session& sql) { repo::put_fitted_parameters(sql, school_id, student_id, subject_id, fit); });
  d_.cache.fits.erase(student_id + "/" + subject_id);
}

}  // namespace mnemos::learning
