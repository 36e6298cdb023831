// What students and teachers see of learning: the student's home and path, the teacher's day,
// a path's preview and its students' progress (docs/learning.md, "What students and teachers see").
#include <mnemos/core/db.hpp>
#include <mnemos/srs/planning.hpp>

#include "content.hpp"
#include "repository.hpp"
#include "revision_support.hpp"
#include "services.hpp"
#include "views.hpp"

#include <boost/json/array.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace mnemos::learning {

using boost::json::array;
using boost::json::object;
using namespace revision;

namespace {

constexpr std::int64_t kHistoryDays = 84;  // twelve weeks of reviews on the student's home
constexpr int kBacklogCards = 20;           // a student this far behind shows on the teacher's home
constexpr std::int64_t kStalledAfterMs = 3LL * 86'400'000;

}  // namespace

object RevisionService::home(const RequestContext& ctx) {
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
    std::vector<int> forecast(30, 0);
    std::map<std::string, int> due_by_subject;
    array paths;
    // Where "Revise now" leads: the first step with cards due, else the first with new cards.
    // Nothing to revise: the first lesson still to read, so a student always has a next thing.
    boost::json::value next_due_step = nullptr, next_new_step = nullptr, next_lesson = nullptr;
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
        if ((s.kind == "lesson" || s.kind == "tutor") && !step_is_done && next_lesson.is_null() &&
            step_unlocked(steps, s, progress, now)) {
          next_lesson = object{{"kind", s.kind}, {"path_id", path.id}, {"path_title", path.title}, {"step_id", s.id},
                               {"step_title", s.title}, {"due", 0}, {"new", 0}};
        }
        if ((s.kind == "cards" || s.kind == "quiz") && step_unlocked(steps, s, progress, now)) {
          int fresh_in_step = 0;
          for (const auto& [item, variant] : *cards_in(sql, d_, s.id)) fresh_in_step += !known.count(card_key(item.id, variant));
          fresh += fresh_in_step;
          const auto step_view = [&] {
            return object{{"kind", s.kind}, {"path_id", path.id}, {"path_title", path.title}, {"step_id", s.id},
                          {"step_title", s.title}, {"due", due_in_step[s.id]},
                          {"new", std::min(fresh_in_step, new_room)}};
          };
          if (next_due_step.is_null() && due_in_step[s.id] > 0) next_due_step = step_view();
          if (next_new_step.is_null() && fresh_in_step > 0 && new_room > 0) next_new_step = step_view();
        }
      }
      due_by_subject[path.subject_id] += due;
      paths.push_back(object{{"id", path.id},
                             {"title", path.title},
                             {"subject_id", path.subject_id},
                             {"subject_name", subject_names[path.subject_id]},
                             {"exam_date", path.exam_date ? boost::json::value(*path.exam_date) : boost::json::value(nullptr)},
                             {"due_today", due},
                             {"new_available", std::min(fresh, new_room)},
                             {"steps_done", done},
                             {"step_count", static_cast<std::int64_t>(steps.size())}});
    }
    array subjects;
    int due_total = 0;
    for (const auto& [id, due] : due_by_subject) {
      subjects.push_back(object{{"subject_id", id}, {"subject_name", subject_names[id]}, {"due_today", due}});
      due_total += due;
    }
    // Streak: days in a row with at least one review, ending today (or yesterday: today is not over).
    std::map<std::int64_t, int> reviews_by_day;
    for (auto at : repo::review_times(sql, school, student, now - 400LL * 86'400'000)) {
      reviews_by_day[zone->local_day(at, kDayStartHour)] += 1;
    }
    int streak = 0;
    for (std::int64_t day = reviews_by_day.count(today) ? today : today - 1; reviews_by_day.count(day); --day) ++streak;
    // The last twelve weeks, oldest first, for the review heatmap.
    array history;
    for (std::int64_t day = today - kHistoryDays + 1; day <= today; ++day) {
      const auto found = reviews_by_day.find(day);
      history.push_back(object{{"date", date_text(day)}, {"count", found == reviews_by_day.end() ? 0 : found->second}});
    }
    array forecast_json;
    for (std::size_t i = 0; i < forecast.size(); ++i) {
      forecast_json.push_back(object{{"date", date_text(today + static_cast<std::int64_t>(i))}, {"count", forecast[i]}});
    }
    return object{{"today", date_text(today)},
                  {"due_today", due_total},
                  {"reviewed_today", reviewed_today},
                  {"new_today", new_today},
                  {"streak_days", streak},
                  {"reviewed_today_any", reviews_by_day.count(today) > 0},
                  {"subjects", std::move(subjects)},
                  {"paths", std::move(paths)},
                  {"next_step", !next_due_step.is_null() ? next_due_step
                                : !next_new_step.is_null() ? next_new_step : next_lesson},
                  {"history", std::move(history)},
                  {"forecast", std::move(forecast_json)}};
  });
}

object RevisionService::student_path(const RequestContext& ctx, const std::string& path_id) {
  return d_.db.read([&](soci::session& sql) {
    const Path path = access_.assigned(sql, ctx, path_id);
    const std::string& student = *ctx.user_id;
    const std::int64_t now = ctx.now_ms();
    const auto steps = repo::steps_of(sql, path.id);
    const auto progress_by_step = repo::progress_in_path(sql, student, path.id);
    auto subject = d_.directory.subject(sql, path.school_id, path.subject_id);
    object out = path_json(path, subject ? subject->name : std::string());
    out.erase("memory");
    out["memory"] = settings_json(settings_for(sql, path, student));
    array list;
    for (const auto& s : steps) {
      object o = step_json(s);
      const auto progress = progress_of(progress_by_step, s.id);
      const bool open = step_unlocked(steps, s, progress_by_step, now);
      o["locked"] = !open;
      o["done"] = step_done(s, progress);
      o["completed_at"] = progress.completed_at ? boost::json::value(*progress.completed_at) : boost::json::value(nullptr);
      o["mastered_at"] = progress.mastered_at ? boost::json::value(*progress.mastered_at) : boost::json::value(nullptr);
      if (s.kind == "cards" || s.kind == "quiz") {
        const auto cards_held = cards_in(sql, d_, s.id);
        const auto& cards = *cards_held;
        std::map<std::string, Card> known;
        for (const auto& c : repo::cards_of_step(sql, student, s.id)) known[card_key(c.item_id, c.variant)] = c;
        int due = 0, fresh = 0;
        for (const auto& [item, variant] : cards) {
          auto found = known.find(card_key(item.id, variant));
          if (found == known.end()) {
            ++fresh;
          } else {
            due += found->second.due_at <= now;
          }
        }
        o["card_count"] = static_cast<std::int64_t>(cards.size());
        o["due"] = due;
        o["new"] = fresh;
        auto active = repo::active_session(sql, student, s.id);
        o["active_session_id"] = active ? boost::json::value(active->id) : boost::json::value(nullptr);
      } else if (open) {
        array lessons;
        for (const auto& i : repo::items_of(sql, s.id)) {
          if (i.validation == "validated" && i.kind == "lesson") lessons.push_back(prompt_of(i, 0));
        }
        o["lessons"] = std::move(lessons);
      }
      list.push_back(std::move(o));
    }
    out["steps"] = std::move(list);
    return out;
  });
}

object RevisionService::teaching_today(const RequestContext& ctx) {
  ctx.require(Permission::paths_manage);
  return d_.db.read([&](soci::session& sql) {
    const std::string& school = ctx.school();
    const std::int64_t now = ctx.now_ms();
    array paths, behind, unfinished;
    std::int64_t pending_total = 0;
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
      pending_total += pending;
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
          behind.push_back(object{{"student_id", person.id}, {"display_name", person.display_name},
                                  {"path_id", path.id}, {"path_title", path.title}, {"due", due},
                                  {"last_review_at", last == 0 ? boost::json::value(nullptr) : boost::json::value(last)}});
        }
      }
      if (validated == 0) unfinished.push_back(object{{"path_id", path.id}, {"title", path.title}, {"status", path.status}});
      paths.push_back(object{{"id", path.id}, {"title", path.title}, {"status", path.status},
                             {"validated_items", validated}, {"pending_items", pending},
                             {"first_pending_step_id", first_pending_step.empty() ? boost::json::value(nullptr) : boost::json::value(first_pending_step)},
                             {"student_count", static_cast<std::int64_t>(students.size())},
                             {"students_behind", behind_here},
                             {"students_not_started", not_started}});
    }
    // The most behind first: the largest backlog.
    std::stable_sort(behind.begin(), behind.end(), [](const auto& a, const auto& b) {
      return a.as_object().at("due").as_int64() > b.as_object().at("due").as_int64();
    });
    return object{{"paths", std::move(paths)},
                  {"students_behind", std::move(behind)},
                  {"paths_without_content", std::move(unfinished)},
                  {"pending_items", pending_total}};
  });
}

object RevisionService::preview(const RequestContext& ctx, const std::string& path_id) {
  return d_.db.read([&](soci::session& sql) {
    const Path path = access_.readable(sql, ctx, path_id);
    auto subject = d_.directory.subject(sql, path.school_id, path.subject_id);
    object out = path_json(path, subject ? subject->name : std::string());
    out["can_edit"] = access_.can_edit(sql, ctx, path);
    array list;
    for (const auto& s : repo::steps_of(sql, path.id)) {
      object o = step_json(s);
      array lessons;
      array cards;
      for (const auto& item : repo::items_of(sql, s.id)) {
        if (item.validation != "validated") continue;  // what students would see, no more
        if (item.kind == "lesson") {
          lessons.push_back(prompt_of(item, 0));
          continue;
        }
        if (!is_card_kind(item.kind)) continue;
        for (int variant : variants_of(item)) {
          array expected;
          for (const auto& words : expected_in_words(item, variant)) expected.emplace_back(words);
          cards.push_back(object{{"item_id", item.id},
                                 {"variant", variant},
                                 {"prompt", prompt_of(item, variant)},
                                 {"expected", std::move(expected)}});
        }
      }
      o["lessons"] = std::move(lessons);
      o["cards"] = std::move(cards);
      list.push_back(std::move(o));
    }
    out["steps"] = std::move(list);
    return out;
  });
}

object RevisionService::path_progress(const RequestContext& ctx, const std::string& path_id) {
  return d_.db.read([&](soci::session& sql) {
    const Path path = access_.readable(sql, ctx, path_id);
    const std::int64_t now = ctx.now_ms();
    const auto steps = repo::steps_of(sql, path.id);
    std::set<std::string> step_ids;
    for (const auto& s : steps) step_ids.insert(s.id);
    std::vector<int> forecast(30, 0);
    array students;
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
      object model = {{"fitted", false}};
      if (auto fit = repo::fitted_parameters(sql, person.id, path.subject_id)) {
        model = object{{"fitted", fit->parameters.has_value()},
                       {"improved", fit->improved == 1},
                       {"log_loss_before", fit->log_loss_before},
                       {"log_loss_after", fit->log_loss_after},
                       {"improvement_percent", fit->log_loss_before > 0
                                                    ? 100.0 * (fit->log_loss_before - fit->log_loss_after) / fit->log_loss_before
                                                    : 0.0},
                       {"reviews_used", fit->reviews_used},
                       {"fitted_at", fit->fitted_at}};
      }
      students.push_back(object{{"id", person.id},
                                {"display_name", person.display_name},
                                {"cards_started", static_cast<std::int64_t>(states.size())},
                                {"reviews", reviews},
                                {"lapses", lapses},
                                {"due_now", due_now},
                                {"due_next_7_days", due_week},
                                {"average_retrievability", states.empty() ? boost::json::value(nullptr)
                                                                          : boost::json::value(retention / static_cast<double>(states.size()))},
                                {"steps_done", done},
                                {"last_review_at", last == 0 ? boost::json::value(nullptr) : boost::json::value(last)},
                                {"model", std::move(model)}});
    }
    const auto zone = zone_of(sql, d_, path.school_id);
    const std::int64_t today = zone->local_day(now, kDayStartHour);
    array forecast_json;
    for (std::size_t i = 0; i < forecast.size(); ++i) {
      forecast_json.push_back(object{{"date", date_text(today + static_cast<std::int64_t>(i))}, {"count", forecast[i]}});
    }
    return object{{"path_id", path.id},
                  {"step_count", static_cast<std::int64_t>(steps.size())},
                  {"students", std::move(students)},
                  {"forecast", std::move(forecast_json)}};
  });
}

}  // namespace mnemos::learning
