// What students and teachers see of learning: the student's home and path, the teacher's day,
// a path's preview and its students' progress (docs/learning.md, "What students and teachers see"),
// read from several queries into the structs of services.hpp; views.cpp writes their JSON.
#include <mnemos/core/db.hpp>
#include <mnemos/srs/planning.hpp>

#include "content.hpp"
#include "repository.hpp"
#include "revision_support.hpp"
#include "services.hpp"
#include "views.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace mnemos::learning {

using namespace revision;

namespace {

constexpr std::int64_t kHistoryDays = 84;  // twelve weeks of reviews on the student's home
constexpr int kBacklogCards = 20;           // a student this far behind shows on the teacher's home
constexpr std::int64_t kStalledAfterMs = 3LL * 86'400'000;

}  // namespace

StudentHome RevisionService::home(const RequestContext& ctx) {
  if (!ctx.roles.has(Role::student)) throw Error::forbidden("This page is for students.");
  return d_.db.read([&](soci::session& sql) {
    const std::string& school = ctx.school();
    const std::string& student = *ctx.user_id;
    const std::int64_t now = ctx.now_ms();
    const auto zone = zone_of(sql, d_, school);
    const std::int64_t today = zone->local_day(now, kDayStartHour);
    std::vector<std::string> classes;
    for (const auto& c : d_.directory.classes_of(sql, school, student, "student")) classes.push_back(c.id);
    std::map<std::string, std::string> subject_names;
    for (const auto& s : d_.directory.subjects(sql, school)) subject_names[s.id] = s.name;
    std::map<std::string, std::vector<Card>> cards_by_path;
    for (auto& c : repo::cards_of_student(sql, school, student)) cards_by_path[c.path_id].push_back(std::move(c));

    const auto [reviewed_today, new_today] = repo::reviews_since(sql, school, student, zone->day_start_ms(today, kDayStartHour));
    StudentHome out;
    out.today = today;
    out.reviewed_today = reviewed_today;
    out.new_today = new_today;
    std::vector<int> forecast(30, 0);
    std::map<std::string, int> due_by_subject;
    // Where "Revise now" leads: the first step with cards due, else the first with new cards.
    // Nothing to revise: the first lesson still to read, so a student always has a next thing.
    std::optional<NextStep> next_due_step, next_new_step, next_lesson;
    for (const auto& path : repo::paths_assigned_to(sql, school, student, classes)) {
      if (path.status != "active") continue;
      const auto settings = settings_for(sql, path, student);
      const auto scheduler = scheduler_for(sql, path, student, settings);
      const auto& cards = cards_by_path[path.id];
      std::set<std::string> step_ids;
      for (const auto& s : repo::steps_of(sql, path.id)) step_ids.insert(s.id);
      std::vector<srs::CardState> states;
      int due = 0;
      std::map<std::string, int> due_in_step;
      for (const auto& c : cards) {
        if (!step_ids.count(c.step_id)) continue;
        states.push_back(state_of(c));
        // "Due": what a review session would take now, the same on every screen.
        if (c.due_at <= now) {
          ++due;
          ++due_in_step[c.step_id];
        }
      }
      const int new_room = std::max(0, settings.new_cards_per_day - new_today);
      const auto days = srs::forecast(scheduler, states, now, 30);
      for (std::size_t i = 0; i < days.size() && i < forecast.size(); ++i) forecast[i] += days[i];
      const auto steps = repo::steps_of(sql, path.id);
      const auto progress = repo::progress_in_path(sql, student, path.id);
      int done = 0, fresh = 0;
      std::set<std::string> known;
      for (const auto& c : cards) known.insert(card_key(c.item_id, c.variant));
      for (const auto& s : steps) {
        const bool step_is_done = step_done(s, progress_of(progress, s.id));
        done += step_is_done;
        if ((s.kind == "lesson" || s.kind == "tutor") && !step_is_done && !next_lesson &&
            step_unlocked(steps, s, progress, now)) {
          next_lesson = NextStep{s.kind, path.id, path.title, s.id, s.title, 0, 0};
        }
        if ((s.kind == "cards" || s.kind == "quiz") && step_unlocked(steps, s, progress, now)) {
          int fresh_in_step = 0;
          for (const auto& [item, variant] : *cards_in(sql, d_, s.id)) fresh_in_step += !known.count(card_key(item.id, variant));
          fresh += fresh_in_step;
          const auto step_view = [&] {
            return NextStep{s.kind, path.id, path.title, s.id, s.title, due_in_step[s.id], std::min(fresh_in_step, new_room)};
          };
          if (!next_due_step && due_in_step[s.id] > 0) next_due_step = step_view();
          if (!next_new_step && fresh_in_step > 0 && new_room > 0) next_new_step = step_view();
        }
      }
      due_by_subject[path.subject_id] += due;
      out.paths.push_back(HomePath{.path = path,
                                   .subject_name = subject_names[path.subject_id],
                                   .due_today = due,
                                   .new_available = std::min(fresh, new_room),
                                   .steps_done = done,
                                   .step_count = static_cast<std::int64_t>(steps.size())});
    }
    for (const auto& [id, due] : due_by_subject) {
      out.subjects.push_back(SubjectDue{id, subject_names[id], due});
      out.due_today += due;
    }
    // Streak: days in a row with at least one review, ending today (or yesterday: today is not over).
    std::map<std::int64_t, int> reviews_by_day;
    for (auto at : repo::review_times(sql, school, student, now - 400LL * 86'400'000)) {
      reviews_by_day[zone->local_day(at, kDayStartHour)] += 1;
    }
    for (std::int64_t day = reviews_by_day.count(today) ? today : today - 1; reviews_by_day.count(day); --day) {
      ++out.streak_days;
    }
    out.reviewed_today_any = reviews_by_day.count(today) > 0;
    // The last twelve weeks, oldest first, for the review heatmap.
    for (std::int64_t day = today - kHistoryDays + 1; day <= today; ++day) {
      const auto found = reviews_by_day.find(day);
      out.history.push_back(DayCount{day, found == reviews_by_day.end() ? 0 : found->second});
    }
    for (std::size_t i = 0; i < forecast.size(); ++i) {
      out.forecast.push_back(DayCount{today + static_cast<std::int64_t>(i), forecast[i]});
    }
    out.next_step = next_due_step ? next_due_step : next_new_step ? next_new_step : next_lesson;
    return out;
  });
}

StudentPath RevisionService::student_path(const RequestContext& ctx, const std::string& path_id) {
  return d_.db.read([&](soci::session& sql) {
    const Path path = access_.assigned(sql, ctx, path_id);
    const std::string& student = *ctx.user_id;
    const std::int64_t now = ctx.now_ms();
    const auto steps = repo::steps_of(sql, path.id);
    const auto progress_by_step = repo::progress_in_path(sql, student, path.id);
    auto subject = d_.directory.subject(sql, path.school_id, path.subject_id);
    StudentPath out{.path = path, .subject_name = subject ? subject->name : std::string(),
                    .memory = settings_for(sql, path, student)};
    for (const auto& s : steps) {
      StudentStep view{.step = s};
      view.progress = progress_of(progress_by_step, s.id);
      const bool open = step_unlocked(steps, s, progress_by_step, now);
      view.locked = !open;
      view.done = step_done(s, view.progress);
      if (s.kind == "cards" || s.kind == "quiz") {
        const auto cards_held = cards_in(sql, d_, s.id);
        KnownCards known;
        for (auto& c : repo::cards_of_step(sql, student, s.id)) known[card_key(c.item_id, c.variant)] = c;
        StepCardsDue& cards = view.cards.emplace();
        cards.card_count = static_cast<std::int64_t>(cards_held->size());
        for (const auto& [item, variant] : *cards_held) {
          auto found = known.find(card_key(item.id, variant));
          if (found == known.end()) {
            ++cards.fresh;
          } else {
            cards.due += found->second.due_at <= now;
          }
        }
        if (auto active = repo::active_session(sql, student, s.id)) cards.active_session_id = active->id;
      } else if (open) {
        auto& lessons = view.lessons.emplace();
        for (auto& i : repo::items_of(sql, s.id)) {
          if (i.validation == "validated" && i.kind == "lesson") lessons.push_back(std::move(i));
        }
      }
      out.steps.push_back(std::move(view));
    }
    return out;
  });
}

TeachingToday RevisionService::teaching_today(const RequestContext& ctx) {
  ctx.require(Permission::paths_manage);
  return d_.db.read([&](soci::session& sql) {
    const std::string& school = ctx.school();
    const std::int64_t now = ctx.now_ms();
    TeachingToday out;
    for (const auto& path : repo::list_paths(sql, school, ctx.user_id)) {
      if (path.status == "archived") continue;
      std::int64_t validated = 0, pending = 0;
      std::string first_pending_step;
      for (const auto& step : repo::steps_of(sql, path.id)) {
        for (const auto& item : repo::items_of(sql, step.id)) {
          validated += item.validation == "validated";
          if (item.validation == "pending") {
            ++pending;
            if (first_pending_step.empty()) first_pending_step = step.id;
          }
        }
      }
      out.pending_items += pending;
      const auto students = path.status == "active" ? access_.students_of(sql, path) : std::vector<users::PersonRef>{};
      std::int64_t behind_here = 0, not_started = 0;
      for (const auto& person : students) {
        int due = 0, started = 0;
        std::int64_t last = 0;
        for (const auto& c : repo::cards_of_student(sql, school, person.id)) {
          if (c.path_id != path.id) continue;
          ++started;
          due += c.due_at <= now;
          last = std::max(last, c.last_review_at);
        }
        not_started += started == 0;
        // Behind: a backlog of a day's work or more, or cards waiting and no review for 3 days.
        const bool stalled = due > 0 && (last == 0 || now - last > kStalledAfterMs);
        if (due >= kBacklogCards || stalled) {
          ++behind_here;
          out.students_behind.push_back(StudentBehind{person.id, person.display_name, path.id, path.title, due,
                                                      last == 0 ? std::nullopt : std::optional<std::int64_t>(last)});
        }
      }
      if (validated == 0) out.paths_without_content.push_back(path);
      out.paths.push_back(TeachingPath{.path = path,
                                       .validated_items = validated,
                                       .pending_items = pending,
                                       .first_pending_step_id = first_pending_step.empty()
                                                                    ? std::nullopt
                                                                    : std::optional<std::string>(first_pending_step),
                                       .student_count = static_cast<std::int64_t>(students.size()),
                                       .students_behind = behind_here,
                                       .students_not_started = not_started});
    }
    // The most behind first: the largest backlog.
    std::stable_sort(out.students_behind.begin(), out.students_behind.end(),
                     [](const StudentBehind& a, const StudentBehind& b) { return a.due > b.due; });
    return out;
  });
}

PathPreview RevisionService::preview(const RequestContext& ctx, const std::string& path_id) {
  return d_.db.read([&](soci::session& sql) {
    const Path path = access_.readable(sql, ctx, path_id);
    auto subject = d_.directory.subject(sql, path.school_id, path.subject_id);
    PathPreview out{.path = path, .subject_name = subject ? subject->name : std::string(),
                    .can_edit = access_.can_edit(sql, ctx, path)};
    for (auto& s : repo::steps_of(sql, path.id)) {
      std::vector<Item> shown;
      for (auto& item : repo::items_of(sql, s.id)) {
        // What students would see, no more.
        if (item.validation == "validated" && (item.kind == "lesson" || is_card_kind(item.kind))) {
          shown.push_back(std::move(item));
        }
      }
      out.steps.emplace_back(std::move(s), std::move(shown));
    }
    return out;
  });
}

PathProgress RevisionService::path_progress(const RequestContext& ctx, const std::string& path_id) {
  return d_.db.read([&](soci::session& sql) {
    const Path path = access_.readable(sql, ctx, path_id);
    const std::int64_t now = ctx.now_ms();
    const auto steps = repo::steps_of(sql, path.id);
    std::set<std::string> step_ids;
    for (const auto& s : steps) step_ids.insert(s.id);
    std::vector<int> forecast(30, 0);
    PathProgress out{.path_id = path.id, .step_count = static_cast<std::int64_t>(steps.size())};
    for (const auto& person : access_.students_of(sql, path)) {
      const auto settings = settings_for(sql, path, person.id);
      const auto scheduler = scheduler_for(sql, path, person.id, settings);
      std::vector<srs::CardState> states;
      int due_now = 0, due_week = 0, lapses = 0, reviews = 0;
      double retention = 0;
      std::int64_t last = 0;
      for (const auto& c : repo::cards_of_student(sql, path.school_id, person.id)) {
        if (c.path_id != path.id || !step_ids.count(c.step_id)) continue;
        const auto state = state_of(c);
        states.push_back(state);
        due_now += c.due_at <= now;
        due_week += c.due_at <= now + 7LL * 86'400'000;
        lapses += c.lapses;
        reviews += c.reviews;
        retention += scheduler.retrievability(state, now);
        last = std::max(last, c.last_review_at);
      }
      const auto days = srs::forecast(scheduler, states, now, 30);
      for (std::size_t i = 0; i < days.size() && i < forecast.size(); ++i) forecast[i] += days[i];
      int done = 0;
      const auto progress = repo::progress_in_path(sql, person.id, path.id);
      for (const auto& s : steps) done += step_done(s, progress_of(progress, s.id));
      out.students.push_back(StudentProgress{
          .person = person,
          .cards_started = static_cast<std::int64_t>(states.size()),
          .reviews = reviews,
          .lapses = lapses,
          .due_now = due_now,
          .due_next_7_days = due_week,
          .steps_done = done,
          .average_retrievability = states.empty() ? std::nullopt
                                                   : std::optional<double>(retention / static_cast<double>(states.size())),
          .last_review_at = last == 0 ? std::nullopt : std::optional<std::int64_t>(last),
          .model = repo::fitted_parameters(sql, person.id, path.subject_id)});
    }
    const auto zone = zone_of(sql, d_, path.school_id);
    const std::int64_t today = zone->local_day(now, kDayStartHour);
    for (std::size_t i = 0; i < forecast.size(); ++i) {
      out.forecast.push_back(DayCount{today + static_cast<std::int64_t>(i), forecast[i]});
    }
    return out;
  });
}

}  // namespace mnemos::learning
