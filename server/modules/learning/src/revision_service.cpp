// Revision sessions, progress and memory settings: what students do (docs/learning.md).
#include <mnemos/core/activity.hpp>
#include <mnemos/core/batcher.hpp>
#include <mnemos/core/db.hpp>
#include <mnemos/core/ids.hpp>
#include <mnemos/core/jobs.hpp>
#include <mnemos/core/timezone.hpp>
#include <mnemos/srs/optimizer.hpp>

#include "answer_prefetch.hpp"
#include "content.hpp"
#include "revision_support.hpp"
#include "repository.hpp"
#include "services.hpp"
#include "views.hpp"

#include <boost/json/array.hpp>

#include <algorithm>
#include <cstdlib>
#include <chrono>
#include <cmath>
#include <map>
#include <set>

namespace mnemos::learning {

using boost::json::array;
using boost::json::object;

// Shared with the views (revision_views.cpp), declared in revision_support.hpp.
namespace revision {

std::shared_ptr<const TimeZone> zone_of(soci::session& sql, const Deps& deps, const std::string& school) {
  const std::string name =
      deps.cache.timezones.get(school, [&] { return deps.directory.school_timezone(sql, school); });
  return TimeZone::exists(name) ? TimeZone::named(name) : TimeZone::named("UTC");
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


}  // namespace revision

using namespace revision;

namespace {

// Memory settings were saved: the cache's copies go once the write is done (or failed).
struct SettingsChanged {
  LearningCache& cache;
  ~SettingsChanged() { cache.settings_changed(); }
};

srs::SettingsLayer layer_of(const SettingsRow& row) {
  return {row.desired_retention, row.new_cards_per_day, row.reviews_per_day, row.maximum_interval_days};
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

void RevisionService::update_mastery(soci::session& sql, const SessionRecord& session,
                                     const Step& step, std::int64_t now) const {
  const auto progress = repo::progress(sql, session.student_id, step.id);
  if (progress.mastered_at) return;  // mastery, once reached, stays (forgetting shows in due cards)
  KnownCards known;
  for (auto& c : repo::cards_of_step(sql, session.student_id, step.id)) known[card_key(c.item_id, c.variant)] = c;
  if (step_mastered(*cards_in(sql, d_, step.id), known)) {
    repo::mark_progress(sql, session.school_id, session.student_id, step, progress.completed_at, now);
  }
}

// --- Sessions -------------------------------------------------------------------------------

namespace {
// Batches in flight at once: while one is in flight, the next fills. The answers' writes go one
// batch at a time: twice the answers per statement, and PostgreSQL spent 12% less CPU at 20,000
// students (fewer commits, each flushing the WAL, and fewer executor starts; docs/performance.md
// item 32). The reads are cheap and not committed: two in flight.
constexpr int kConcurrentReadBatches = 2;
constexpr int kConcurrentWriteBatches = 1;

// A batch of answers' writes, in rounds of distinct sessions and cards (one statement cannot change
// a row twice: a student's second tab, a double click). A round that fails is done again answer
// by answer, so that an error is only the answer's own.
void write_answers(db::Database& db, const std::vector<repo::AnswerWrite*>& batch,
                   std::vector<std::exception_ptr>& errors) {
  std::vector<std::vector<std::size_t>> rounds;
  std::vector<std::set<std::string>> taken;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const repo::AnswerWrite& w = *batch[i];
    const std::string card = w.session->student_id + '/' + w.review->item_id + '/' + std::to_string(w.review->variant);
    std::size_t round = 0;
    while (round < rounds.size() && (taken[round].count(w.session->id) || taken[round].count(card))) ++round;
    if (round == rounds.size()) {
      rounds.emplace_back();
      taken.emplace_back();
    }
    rounds[round].push_back(i);
    taken[round].insert(w.session->id);
    taken[round].insert(card);
  }
  for (const auto& round : rounds) {
    std::vector<repo::AnswerWrite*> writes;
    for (std::size_t i : round) writes.push_back(batch[i]);
    try {
      db.write_one_statement([&](soci::session& sql) { repo::save_answers(sql, writes); });
    } catch (...) {
      for (std::size_t i : round) {
        repo::AnswerWrite& w = *batch[i];
        try {
          w.moved = db.write_one_statement([&](soci::session& sql) {
            return repo::save_answer(sql, *w.session, w.from_position, w.card, *w.review, *w.again, w.again_position);
          });
        } catch (...) {
          errors[i] = std::current_exception();
        }
      }
    }
  }
}
}  // namespace

RevisionService::RevisionService(Deps deps) : d_(deps), access_(deps) {
  if (d_.db.dialect() != db::Dialect::postgresql) return;
  db::Database& database = d_.db;
  answer_reads_ = std::make_unique<db::Batcher<repo::AnswerRead>>(
      kConcurrentReadBatches, repo::kMaxBatch,
      [&database](const std::vector<repo::AnswerRead*>& batch, std::vector<std::exception_ptr>&) {
        database.read([&](soci::session& sql) { repo::find_sessions_and_cards(sql, batch); });
      });
  prefetch_ = std::make_unique<AnswerPrefetch>();
  answer_writes_ = std::make_unique<db::Batcher<repo::AnswerWrite>>(
      kConcurrentWriteBatches, repo::kMaxBatch,
      [&database](const std::vector<repo::AnswerWrite*>& batch, std::vector<std::exception_ptr>& errors) {
        write_answers(database, batch, errors);
      });
}

RevisionService::~RevisionService() = default;

namespace {

// The session with the card at its position, when it is active.
SessionState state_of_session(soci::session& sql, LearningCache& cache, SessionRecord record) {
  SessionState out;
  if (record.status == "active" && record.position < record.turn_count) {
    out.current = repo::planned_turn(record, 0);
    if (!out.current) out.current = repo::turn_at(sql, record.id, record.position);
    if (out.current) out.current_item = cache.item(sql, record.school_id, out.current->item_id);
  }
  out.record = std::move(record);
  return out;
}

// The session another tab started on the same step while this start was planned or written:
// resumed rather than a second one (there is at most one active: migrations/0010).
SessionRecord started_elsewhere(soci::session& sql, const SessionRecord& planned) {
  auto active = repo::active_session(sql, planned.student_id, planned.step_id);
  if (!active) {
    throw Error::conflict("This session was started and finished meanwhile, perhaps in another tab: start again.");
  }
  return std::move(*active);
}

}  // namespace

std::pair<bool, SessionState> RevisionService::start(const RequestContext& ctx, const StartInput& in) {
  if (!ctx.roles.has(Role::student)) throw Error::forbidden("Only students revise.");
  const std::string& step_id = in.step_id;
  const std::string& mode = in.mode;
  // Planned on a pooled connection, saved by a short write (as an answer is: see answer()).
  struct StartPlan {
    std::optional<SessionRecord> resume;  // today's session on this step, still active
    std::optional<SessionRecord> stale;   // yesterday's, to close
    SessionRecord session;
    std::vector<SessionTurn> queue;
    std::optional<PrefetchedAnswer> first;  // what the first answer would read (PostgreSQL)
  };
  StartPlan plan = d_.db.read([&](soci::session& sql) {
    StartPlan p;
    const std::string& school = ctx.school();
    const std::string& student = *ctx.user_id;
    const std::int64_t now = ctx.now_ms();
    const auto zone = zone_of(sql, d_, school);
    const std::int64_t today = zone->local_day(now, kDayStartHour);
    // Over the network, the student's own rows in one statement with the assignment, instead of a
    // round trip each (docs/performance.md item 29). The settings and fit read there are kept as
    // the caches would have kept them, for the answers that follow.
    std::optional<repo::StartReads> reads;
    const auto generations = d_.cache.generations();  // before the read: a change after it wins
    const auto [found_step, path] =
        d_.db.dialect() != db::Dialect::postgresql
            ? access_.assigned_step(sql, ctx, step_id)
            : access_.assigned_step_where(sql, ctx, step_id, [&](const Path& assigned) {
                reads = repo::start_reads(sql, {.school_id = school,
                                                .student_id = student,
                                                .path_id = assigned.id,
                                                .subject_id = assigned.subject_id,
                                                .step_id = step_id,
                                                .class_ids = access_.class_ids_of(sql, school, student),
                                                .day_start_ms = zone->day_start_ms(today, kDayStartHour)});
                return reads->assigned;
              });
    if (reads) d_.cache.keep_student(school, student, path.subject_id, reads->student_settings, reads->fit, generations);
    const Step* step = &found_step;
    if (step->kind != "cards" && step->kind != "quiz") {
      throw Error::conflict("This step is not revised with cards: open it to read it.");
    }
    const auto steps = d_.cache.steps_of(sql, school, path.id);
    const auto progress = reads ? reads->progress : repo::progress_in_path(sql, student, path.id);
    if (!step_unlocked(*steps, *step, progress, now)) {
      throw Error::conflict("This step is still locked: finish the steps before it first.");
    }
    if (auto active = reads ? std::move(reads->active) : repo::active_session(sql, student, step->id)) {
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
    KnownCards known;
    if (!reads || reads->has_cards) {
      for (auto& c : repo::cards_of_step(sql, student, step->id)) known[card_key(c.item_id, c.variant)] = c;
    }
    DayCounts counts;
    if (mode == "review") {
      std::tie(counts.reviewed, counts.new_cards) =
          reads ? std::pair{reads->reviewed_today, reads->new_today}
                : repo::reviews_since(sql, school, student, zone->day_start_ms(today, kDayStartHour));
    }
    auto queue = plan_turns(mode, *cards_in(sql, d_, step->id), known, scheduler, settings, counts, now);
    SessionRecord session;
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
      // No session of yesterday is being closed: no answer elsewhere can change this step's cards.
      if (prefetch_ && !queue.empty() && !p.stale) {
        p.first.emplace();
        p.first->item_id = queue.front().item_id;
        p.first->variant = queue.front().variant;
        if (auto card = known.find(card_key(p.first->item_id, p.first->variant)); card != known.end()) {
          p.first->card = card->second;
        }
      }
      queue.clear();
    }
    p.session = std::move(session);
    p.queue = std::move(queue);
    return p;
  });
  if (plan.resume) {
    return {false, d_.db.read([&](soci::session& sql) { return state_of_session(sql, d_.cache, *plan.resume); })};
  }
  std::optional<SessionRecord> created;
  if (d_.db.dialect() == db::Dialect::postgresql && !plan.stale && plan.queue.empty()) {
    // Over the network, the usual start is two statements without BEGIN and COMMIT instead of
    // five round trips. A student who starts revising is an active student of the day (billing's
    // usage), counted first: if the session then fails, the student did try.
    d_.db.write_one_statement([&](soci::session& sql) {
      d_.usage.active(sql, ctx.school(), plan.session.student_id, plan.session.started_at);
    });
    const bool inserted = d_.db.write_one_statement(
        [&](soci::session& sql) { return repo::insert_session_unless_active(sql, plan.session); });
    if (!inserted) {  // since the plan was read
      created = d_.db.read([&](soci::session& sql) { return started_elsewhere(sql, plan.session); });
    }
  } else {
    created = d_.db.write([&](soci::session& sql) -> std::optional<SessionRecord> {
      if (plan.stale) repo::update_session(sql, *plan.stale);
      // Another tab may have started one since the plan was read, or be inserting it now (the
      // insert then waits for it and does nothing): that one is resumed.
      if (!repo::insert_session_unless_active(sql, plan.session)) return started_elsewhere(sql, plan.session);
      if (!plan.queue.empty()) repo::insert_turns(sql, plan.session.id, 0, plan.queue);
      d_.usage.active(sql, ctx.school(), plan.session.student_id, plan.session.started_at);
      return std::nullopt;
    });
  }
  const bool is_new = !created.has_value();
  if (is_new) plan.session.planned_window = plan.session.planned.substr(0, 2 * repo::kPlannedWidth);
  if (is_new && plan.first) {
    // The first answer reads nothing either: the session is as written, and the student's card as
    // read (only this session's answers change the cards of its step).
    plan.first->session = plan.session;
    plan.first->session.planned.clear();  // the window is all an answer needs
    prefetch_->put(std::move(*plan.first));
  }
  const SessionRecord& session = created ? *created : plan.session;
  return {is_new, d_.db.read([&](soci::session& sql) { return state_of_session(sql, d_.cache, session); })};
}

SessionState RevisionService::get(const RequestContext& ctx, const std::string& id) {
  return d_.db.read([&](soci::session& sql) {
    auto session = repo::find_session(sql, ctx.school(), id);
    if (!session || !ctx.user_id || session->student_id != *ctx.user_id) {
      throw Error::not_found("No such revision session.");
    }
    return state_of_session(sql, d_.cache, std::move(*session));
  });
}

namespace {
// What one answer changes, decided from a read of the session; saved only if the session has not
// moved meanwhile (another tab answered the same card).
struct AnswerPlan {
  std::optional<RevisionSession> session;
  int read_position = 0;
  bool skipped = false;  // the teacher removed the card meanwhile
  std::optional<Item> item;
  int variant = 0;
  bool card_exists = false;
  AnswerOutcome outcome;
  std::optional<SessionTurn> next;  // the turn that follows, shown once this one is saved
  std::optional<Item> next_item;
};

}  // namespace

AnswerResult RevisionService::answer(const RequestContext& ctx, const std::string& id,
                                     const Parsed<AnswerInput>& input) {
  return answer(ctx, id, input, true);
}

AnswerResult RevisionService::answer(const RequestContext& ctx, const std::string& id,
                                     const Parsed<AnswerInput>& input, bool may_use_prefetch) {
  // Everything is read and decided on a pooled connection; the write transaction only saves. On
  // SQLite one thread commits every write (docs/decisions/0008), so what it does per answer is
  // what bounds the school's answers per second.
  // On PostgreSQL the session and card are read with the other students' answers of the moment.
  // What the previous answer's write read back for this one saves the read (AnswerPrefetch).
  std::optional<repo::AnswerRead> batched_read;
  bool prefetched = false;
  if (answer_reads_ && input.ok()) {
    batched_read.emplace();
    batched_read->school_id = ctx.school();
    batched_read->session_id = id;
    batched_read->item_id = input.get().item_id;
    batched_read->variant = input.get().variant;
    auto kept = may_use_prefetch
                    ? prefetch_->take(ctx.school(), id, batched_read->item_id, batched_read->variant)
                    : std::nullopt;
    if (kept) {
      batched_read->session = std::move(kept->session);
      batched_read->card = std::move(kept->card);
      prefetched = true;
    } else {
      answer_reads_->run(*batched_read);
    }
  }
  AnswerPlan plan = d_.db.read([&](soci::session& sql) {
    AnswerPlan p;
    const auto not_found = [] { return Error::not_found("No such revision session."); };
    if (!input.ok()) {
      // Whose session it is comes first: an answer that does not read is refused only to its student.
      auto record = repo::find_session(sql, ctx.school(), id);
      if (!record || !ctx.user_id || record->student_id != *ctx.user_id) throw not_found();
      input.get();
    }
    const AnswerInput& in = input.get();
    // The session and the card answered, in one query.
    auto [record, card] = batched_read ? std::pair{std::move(batched_read->session), std::move(batched_read->card)}
                                       : repo::find_session_and_card(sql, ctx.school(), id, in.item_id, in.variant);
    if (!record || !ctx.user_id || record->student_id != *ctx.user_id) throw not_found();
    const std::string& item_id = in.item_id;
    const int variant = in.variant;
    if (record->status != "active") throw Error::conflict("This session is finished.");
    // The card answered and the next one: from the planned text the session row carries, else (a
    // card that came back, an older session) from the turn rows, in one query.
    std::optional<SessionTurn> turn, following;
    if (record->position < record->turn_count) {
      turn = repo::planned_turn(*record, 0);
      following = repo::planned_turn(*record, 1);
      const bool next_needed = record->position + 1 < record->turn_count;
      if (!turn || (next_needed && !following)) {
        auto [row, next_row] = repo::turn_and_next(sql, record->id, record->position);
        if (!turn) turn = std::move(row);
        if (!following) following = std::move(next_row);
      }
    }
    if (!turn) throw Error::conflict("No card is waiting for an answer: finish the session.");
    if (turn->item_id != item_id || turn->variant != variant) {
      throw Error::conflict("This answer is for another card than the one shown: reload the session.");
    }
    p.read_position = record->position;
    p.variant = variant;
    p.session.emplace(std::move(*record));
    RevisionSession& session = *p.session;
    const std::int64_t now = ctx.now_ms();
    const SessionRecord& r = session.record();
    p.item = d_.cache.item(sql, r.school_id, item_id);
    const auto step = d_.cache.step(sql, r.school_id, r.step_id);
    const auto path = d_.cache.path(sql, r.school_id, r.path_id);
    if (!p.item || !step || !path || p.item->validation != "validated") {
      p.skipped = true;
      session.skip(now);
      return p;
    }
    const auto settings = settings_for(sql, *path, r.student_id);
    const auto scheduler = scheduler_for(sql, *path, r.student_id, settings);
    p.card_exists = card.has_value();
    p.outcome = session.answer(*turn, *p.item, std::move(card), *path, in.answer, in.duration_ms, scheduler, now);
    p.outcome.review.id = new_id();
    p.next = p.outcome.next_is_planned ? following : p.outcome.again;
    if (p.next) p.next_item = d_.cache.item(sql, r.school_id, p.next->item_id);
    return p;
  });

  const std::int64_t now = ctx.now_ms();
  RevisionSession& session = *plan.session;
  const AnswerOutcome& outcome = plan.outcome;
  const auto moved_elsewhere = [] {
    return Error::conflict("This card was answered meanwhile, perhaps in another tab: reload the session.");
  };
  const bool over_network = d_.db.dialect() == db::Dialect::postgresql;
  if (over_network && !plan.skipped && !session.all_answered()) {
    // With the other answers of the moment, one statement without BEGIN and COMMIT. The last
    // answer, which finishes the session, takes the transaction below.
    repo::AnswerWrite write;
    write.session = &session.record();
    write.from_position = plan.read_position;
    write.card = outcome.card_changed ? &outcome.card : nullptr;
    write.review = &outcome.review;
    write.again = &outcome.again;
    write.again_position = session.record().turn_count - 1;
    if (plan.next) {
      write.next_item_id = plan.next->item_id;
      write.next_variant = plan.next->variant;
    }
    answer_writes_->run(write);
    if (!write.moved) {
      // Kept from an answer before, the session may have moved since on another process: read.
      if (prefetched) return answer(ctx, id, input, false);
      throw moved_elsewhere();
    }
    if (write.next_read) {
      PrefetchedAnswer next;
      next.session = session.record();
      next.session.planned_window = std::move(write.next_window);
      next.item_id = write.next_item_id;
      next.variant = write.next_variant;
      // The statement read the cards as they were before it: the card just answered, if it comes
      // next, is the one written.
      const bool same_card = next.item_id == outcome.card.item_id && next.variant == outcome.card.variant;
      next.card = !same_card ? std::move(write.next_card)
                  : outcome.card_changed || plan.card_exists ? std::optional<Card>(outcome.card)
                                                              : std::nullopt;
      prefetch_->put(std::move(next));
    }
  } else {
    const bool moved = d_.db.write([&](soci::session& sql) {
      const SessionRecord& record = session.record();
      bool moved = false;
      if (!plan.skipped && over_network) {
        moved = repo::save_answer(sql, record, plan.read_position, outcome.card_changed ? &outcome.card : nullptr,
                                  outcome.review, outcome.again, record.turn_count - 1);
      } else {
        moved = repo::advance_session(sql, record, plan.read_position);
        if (moved && !plan.skipped) {
          if (outcome.card_changed) repo::save_card(sql, outcome.card, plan.card_exists);
          repo::insert_review(sql, outcome.review);
          if (outcome.again) repo::insert_turns(sql, record.id, record.turn_count - 1, {*outcome.again});
        }
      }
      if (!moved) return false;
      // The last answer finishes the session: a student who closes the tab then has their step
      // counted and the next one unlocked, and nothing is left to resume.
      if (session.all_answered()) finish_session(sql, session, now);
      return true;
    });
    if (!moved) {
      if (prefetched) return answer(ctx, id, input, false);
      throw moved_elsewhere();
    }
  }
  AnswerResult out;
  out.skipped = plan.skipped;
  // A skipped card was not planned further: its session is read again.
  if (plan.skipped) {
    out.session = d_.db.read([&](soci::session& sql) { return state_of_session(sql, d_.cache, session.record()); });
    return out;
  }
  out.session = SessionState{session.record(), plan.next, plan.next_item};
  out.item = std::move(plan.item);
  out.variant = plan.variant;
  out.outcome = std::move(plan.outcome);
  return out;
}

SessionState RevisionService::finish(const RequestContext& ctx, const std::string& id) {
  return d_.db.write([&](soci::session& sql) {
    auto record = repo::find_session(sql, ctx.school(), id);
    if (!record || !ctx.user_id || record->student_id != *ctx.user_id) {
      throw Error::not_found("No such revision session.");
    }
    // Finishing is idempotent: the last answer may have finished the session already.
    if (prefetch_) prefetch_->erase(id);
    RevisionSession session(std::move(*record));
    if (session.active() || !session.record().summary) finish_session(sql, session, ctx.now_ms());
    return state_of_session(sql, d_.cache, session.record());
  });
}

void RevisionService::finish_session(soci::session& sql, RevisionSession& session, std::int64_t now) const {
  const SessionRecord& record = session.record();
  const bool review_mode = record.mode == "review";
  const auto zone = zone_of(sql, d_, record.school_id);
  const auto step = repo::find_step(sql, record.school_id, record.step_id);
  const auto counts = count_session(
      repo::reviews_of_session(sql, record.id),
      step && review_mode ? repo::cards_of_step(sql, record.student_id, step->id) : std::vector<Card>{},
      review_mode, [&](std::int64_t at) { return zone->local_day(at, kDayStartHour); });
  array due_days;
  for (const auto& [day, count] : counts.due_by_day) {
    due_days.push_back(object{{"date", date_text(day)}, {"count", count}});
  }
  bool mastered = false;
  object path_progress{{"steps_done", 0}, {"step_count", 0}};
  array unlocked_now;
  if (step) {
    const auto steps = repo::steps_of(sql, record.path_id);
    const auto before = repo::progress_in_path(sql, record.student_id, record.path_id);
    if (review_mode) update_mastery(sql, record, *step, now);
    const auto after = repo::progress_in_path(sql, record.student_id, record.path_id);
    mastered = progress_of(after, step->id).mastered_at.has_value();
    int done = 0;
    for (const auto& s : steps) done += step_done(s, progress_of(after, s.id));
    for (const Step* s : steps_unlocked_by(steps, before, after, now)) {
      unlocked_now.push_back(object{{"id", s->id}, {"title", s->title}});
    }
    path_progress = object{{"steps_done", done}, {"step_count", static_cast<std::int64_t>(steps.size())}};
  }
  object summary{{"answers", counts.answers},
                 {"cards_reviewed", counts.cards_reviewed},
                 {"cards_learned", counts.cards_learned},
                 {"correct", counts.correct},
                 {"cards_right_first_time", counts.cards_right_first_time},
                 {"score", counts.score},
                 {"success_rate", counts.success_rate},
                 {"time_spent_ms", counts.time_spent_ms},
                 {"next_due_at", counts.next_due_at ? boost::json::value(*counts.next_due_at) : boost::json::value(nullptr)},
                 {"due_by_day", std::move(due_days)},
                 {"step_mastered", mastered},
                 {"path_progress", std::move(path_progress)},
                 {"unlocked_steps", std::move(unlocked_now)}};
  session.finish(json::serialize(summary), now);
  repo::update_session(sql, record);
  const auto path = repo::find_path(sql, record.school_id, record.path_id);
  jobs::publish(sql, d_.clock, d_.jobs, "learning.session_finished",
                json::serialize(object{{"session_id", record.id},
                                       {"student_id", record.student_id},
                                       {"path_id", record.path_id},
                                       {"step_id", record.step_id},
                                       {"owner_id", path ? path->owner_id : std::string()},
                                       {"mode", record.mode},
                                       {"score", counts.score},
                                       {"cards_reviewed", counts.cards_reviewed}}),
                record.school_id);
  // Enough new reviews in the subject: fit the student's own parameters in the background.
  if (review_mode && path) {
    const int count = repo::count_reviews_in_subject(sql, record.school_id, record.student_id, path->subject_id);
    const auto fit = repo::fitted_parameters(sql, record.student_id, path->subject_id);
    if (count - (fit ? fit->reviews_at_fit : 0) >= kReviewsBeforeRefit) {
      jobs::enqueue(sql, d_.clock, "learning.fit_parameters",
                    json::serialize(object{{"student_id", record.student_id}, {"subject_id", path->subject_id}}),
                    record.school_id);
    }
  }
}

std::int64_t RevisionService::complete_lesson(const RequestContext& ctx, const std::string& step_id) {
  return d_.db.write([&](soci::session& sql) {
    const auto [found_step, path] = access_.assigned_step(sql, ctx, step_id);
    const Step* step = &found_step;
    if (step->kind != "lesson" && step->kind != "tutor") {
      throw Error::conflict("This step is mastered by revising its cards, not by marking it as read.");
    }
    const std::int64_t now = ctx.now_ms();
    if (!step_unlocked(repo::steps_of(sql, path.id), *step, repo::progress_in_path(sql, *ctx.user_id, path.id), now)) {
      throw Error::conflict("This step is still locked: finish the steps before it first.");
    }
    auto progress = repo::progress(sql, *ctx.user_id, step->id);
    if (!progress.completed_at) {
      repo::mark_progress(sql, ctx.school(), *ctx.user_id, *step, now, now);
      progress.completed_at = now;
    }
    return *progress.completed_at;
  });
}

// --- Memory settings --------------------------------------------------------------------------

ScopedSettings RevisionService::memory_settings(const RequestContext& ctx) {
  const bool teacher = ctx.roles.has(Role::teacher);
  if (!teacher && !ctx.roles.has(Role::student)) throw Error::forbidden("Memory settings are for teachers and students.");
  const std::string scope = teacher ? "teacher" : "student";
  return d_.db.read([&](soci::session& sql) {
    return ScopedSettings{scope, repo::settings(sql, ctx.school(), scope, *ctx.user_id)};
  });
}

ScopedSettings RevisionService::put_memory_settings(const RequestContext& ctx, const SettingsInput& in) {
  const bool teacher = ctx.roles.has(Role::teacher);
  if (!teacher && !ctx.roles.has(Role::student)) throw Error::forbidden("Memory settings are for teachers and students.");
  if (!teacher && !in.limits_given.empty()) {
    Validation v;
    for (const auto& name : in.limits_given) v.fail(name, "Your teachers set this; you may only aim for a higher retention.");
    v.throw_if_failed();
  }
  const std::string scope = teacher ? "teacher" : "student";
  const SettingsChanged changed{d_.cache};
  return d_.db.write([&](soci::session& sql) {
    repo::put_settings(sql, ctx.school(), scope, *ctx.user_id, in.row, ctx.now_ms());
    record_activity(sql, ctx, "memory_settings.updated", scope, *ctx.user_id);
    return ScopedSettings{scope, in.row};
  });
}

ScopedSettings RevisionService::subject_settings(const RequestContext& ctx, const std::string& subject_id) {
  ctx.require(Permission::school_read);
  return d_.db.read([&](soci::session& sql) {
    if (!d_.directory.subject(sql, ctx.school(), subject_id)) throw Error::not_found("No such subject in this school.");
    return ScopedSettings{"subject", repo::settings(sql, ctx.school(), "subject", subject_id)};
  });
}

ScopedSettings RevisionService::put_subject_settings(const RequestContext& ctx, const std::string& subject_id,
                                                     const Parsed<SettingsInput>& input) {
  ctx.require(Permission::subjects_manage);
  const SettingsChanged changed{d_.cache};
  return d_.db.write([&](soci::session& sql) {
    if (!d_.directory.subject(sql, ctx.school(), subject_id)) throw Error::not_found("No such subject in this school.");
    const SettingsInput& in = input.get();
    repo::put_settings(sql, ctx.school(), "subject", subject_id, in.row, ctx.now_ms());
    record_activity(sql, ctx, "memory_settings.updated", "subject", subject_id);
    return ScopedSettings{"subject", in.row};
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
      in.log.push_back({card_key(r.item_id, r.variant), r.rating, r.reviewed_at});
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
  d_.cache.fit_changed(student_id, subject_id);
}

}  // namespace mnemos::learning
