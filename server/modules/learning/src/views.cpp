#include "views.hpp"

#include "content.hpp"

#include <mnemos/core/json.hpp>
#include <mnemos/core/messages.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>

namespace mnemos::learning {

using boost::json::array;
using boost::json::object;
using boost::json::value;

using json::or_null;

object path_json(const Path& p, const std::string& subject_name) {
  object memory{{"desired_retention", or_null(p.desired_retention)},
                {"new_cards_per_day", or_null(p.new_cards_per_day)},
                {"reviews_per_day", or_null(p.reviews_per_day)},
                {"maximum_interval_days", or_null(p.maximum_interval_days)}};
  return {{"id", p.id},
          {"subject_id", p.subject_id},
          {"subject_name", subject_name},
          {"owner_id", p.owner_id},
          {"title", p.title},
          {"objectives", p.objectives},
          {"level", p.level},
          {"exam_date", or_null(p.exam_date)},
          {"status", p.status},
          {"memory", std::move(memory)},
          {"copied_from", or_null(p.copied_from)},
          {"created_at", p.created_at},
          {"updated_at", p.updated_at}};
}

object step_json(const Step& s) {
  return {{"id", s.id},
          {"path_id", s.path_id},
          {"position", s.position},
          {"title", s.title},
          {"kind", s.kind},
          {"unlock_rule", s.unlock_rule},
          {"prerequisite_step_id", or_null(s.prerequisite_step_id)},
          {"unlock_at", or_null(s.unlock_at)}};
}

array string_array(const std::vector<std::string>& values) {
  array out;
  for (const auto& v : values) out.emplace_back(v);
  return out;
}

object item_json(const Item& i) {
  std::vector<std::string> tags;
  std::size_t from = 0;
  while (from < i.tags.size()) {
    const auto space = i.tags.find(' ', from);
    const auto tag = i.tags.substr(from, space == std::string::npos ? std::string::npos : space - from);
    if (!tag.empty()) tags.push_back(tag);
    if (space == std::string::npos) break;
    from = space + 1;
  }
  return {{"id", i.id},
          {"step_id", i.step_id},
          {"position", i.position},
          {"kind", i.kind},
          {"content", json::parse(i.content)},
          {"tags", string_array(tags)},
          {"origin", i.origin},
          {"validation", i.validation},
          {"created_at", i.created_at},
          {"updated_at", i.updated_at}};
}

std::optional<std::int64_t> civil_day(const std::string& date) {
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return std::nullopt;
  for (std::size_t i = 0; i < date.size(); ++i) {
    if (i != 4 && i != 7 && (date[i] < '0' || date[i] > '9')) return std::nullopt;
  }
  using namespace std::chrono;
  const year_month_day ymd{year(std::stoi(date.substr(0, 4))),
                           month(static_cast<unsigned>(std::stoi(date.substr(5, 2)))),
                           day(static_cast<unsigned>(std::stoi(date.substr(8, 2))))};
  if (!ymd.ok() || ymd.year() < year(2000) || ymd.year() > year(2200)) return std::nullopt;
  return sys_days(ymd).time_since_epoch().count();
}

object session_json(const SessionState& state) {
  const SessionRecord& s = state.record;
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
  if (s.status == "active" && s.position < s.turn_count && state.current && state.current_item) {
    out["current"] = object{{"item_id", state.current->item_id},
                            {"variant", state.current->variant},
                            {"repeat", state.current->repeats},
                            {"prompt", prompt_of(*state.current_item, state.current->variant)}};
  }
  if (s.summary) out["summary"] = json::parse(*s.summary);
  return out;
}

object answer_json(const AnswerResult& result) {
  if (result.skipped) return object{{"skipped", true}, {"session", session_json(result.session)}};
  const AnswerOutcome& outcome = result.outcome;
  array given, expected;
  for (const auto& words : outcome.grade.given) given.emplace_back(words);
  for (const auto& words : expected_in_words(*result.item, result.variant)) expected.emplace_back(words);
  const Card& card = outcome.card;
  object card_view{{"state", std::string(srs::to_string(static_cast<srs::State>(card.state)))}, {"due_at", card.due_at}};
  if (outcome.card_changed) {
    card_view["interval_days"] = outcome.interval_days;
    card_view["stability"] = card.stability;
  }
  object out{{"skipped", false},
             {"correct", outcome.grade.correct},
             {"rating", outcome.grade.rating},
             {"self_rated", outcome.grade.self_rated},
             {"solution", solution_of(*result.item, result.variant)},
             {"correction", object{{"given", std::move(given)}, {"expected", std::move(expected)}}},
             {"card", std::move(card_view)},
             {"session", session_json(result.session)}};
  if (outcome.grade.parts > 0) {
    out["parts"] = object{{"right", outcome.grade.parts_right}, {"total", outcome.grade.parts}};
  }
  return out;
}

object settings_json(const ScopedSettings& settings) {
  const SettingsRow& r = settings.row;
  object out{{"desired_retention", or_null(r.desired_retention)},
             {"new_cards_per_day", or_null(r.new_cards_per_day)},
             {"reviews_per_day", or_null(r.reviews_per_day)},
             {"maximum_interval_days", or_null(r.maximum_interval_days)},
             {"scope", settings.scope}};
  if (settings.scope != "subject") out["platform"] = settings_json(srs::MemorySettings{});
  return out;
}

object settings_json(const srs::MemorySettings& s) {
  return {{"desired_retention", s.desired_retention},
          {"new_cards_per_day", s.new_cards_per_day},
          {"reviews_per_day", s.reviews_per_day},
          {"maximum_interval_days", s.maximum_interval_days},
          {"retention_from", s.retention_from}};
}

array people_json(const std::vector<users::PersonRef>& people) {
  array out;
  for (const auto& p : people) out.push_back(object{{"id", p.id}, {"display_name", p.display_name}});
  return out;
}

object path_json(const PathView& view) {
  object out = path_json(view.path, view.subject_name);
  if (view.step_count) out["step_count"] = *view.step_count;
  if (view.student_count) out["student_count"] = *view.student_count;
  if (view.shared) out["shared"] = *view.shared;
  if (view.steps) {
    array steps;
    for (const auto& s : *view.steps) {
      object o = step_json(s.step);
      o["item_count"] = s.items;
      o["validated_count"] = s.validated;
      o["pending_count"] = s.pending;
      steps.push_back(std::move(o));
    }
    out["steps"] = std::move(steps);
  }
  if (view.assigned_classes) {
    array classes;
    for (const auto& c : *view.assigned_classes) {
      classes.push_back(object{{"id", c.id}, {"name", c.name}, {"school_year", c.school_year}});
    }
    out["assigned_classes"] = std::move(classes);
  }
  if (view.assigned_students) out["assigned_students"] = people_json(*view.assigned_students);
  if (view.assigned_student_count) out["assigned_student_count"] = *view.assigned_student_count;
  if (view.teachers) out["teachers"] = people_json(*view.teachers);
  if (view.owner_name) out["owner_name"] = *view.owner_name;
  if (view.can_edit) out["can_edit"] = *view.can_edit;
  return out;
}

object media_json(const MediaAdded& m) {
  return {{"id", m.id}, {"url", m.url}, {"name", m.name}, {"content_type", m.content_type},
          {"size_bytes", m.size_bytes}, {"markdown", m.markdown}};
}

object import_report_json(const ImportReport& report, std::string_view locale) {
  array lines;
  for (const auto& l : report.lines) {
    object line{{"line", l.line}, {"status", l.status}, {"front", l.front}};
    if (!l.kind.empty()) line["kind"] = l.kind;
    if (!l.reason.empty()) line["reason"] = messages::translate(locale, l.reason);
    if (l.item_id) line["item_id"] = *l.item_id;
    lines.push_back(std::move(line));
  }
  object out{{"format", report.format},
             {"dry_run", report.dry_run},
             {"taken", report.taken},
             {"skipped", report.skipped},
             {"lines", std::move(lines)}};
  if (report.encoding) out["encoding"] = *report.encoding;
  return out;
}

std::string date_text(std::int64_t day) {
  using namespace std::chrono;
  const year_month_day ymd{sys_days(days(day))};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return text;
}

namespace {
array day_counts_json(const std::vector<DayCount>& days) {
  array out;
  for (const auto& d : days) out.push_back(object{{"date", date_text(d.day)}, {"count", d.count}});
  return out;
}
}  // namespace

object home_json(const StudentHome& home) {
  array subjects, paths;
  for (const auto& s : home.subjects) {
    subjects.push_back(object{{"subject_id", s.subject_id}, {"subject_name", s.subject_name}, {"due_today", s.due_today}});
  }
  for (const auto& p : home.paths) {
    paths.push_back(object{{"id", p.path.id},
                           {"title", p.path.title},
                           {"subject_id", p.path.subject_id},
                           {"subject_name", p.subject_name},
                           {"exam_date", or_null(p.path.exam_date)},
                           {"due_today", p.due_today},
                           {"new_available", p.new_available},
                           {"steps_done", p.steps_done},
                           {"step_count", p.step_count}});
  }
  value next = nullptr;
  if (const auto& n = home.next_step) {
    next = object{{"kind", n->kind},   {"path_id", n->path_id},       {"path_title", n->path_title},
                  {"step_id", n->step_id}, {"step_title", n->step_title}, {"due", n->due},
                  {"new", n->fresh}};
  }
  return {{"today", date_text(home.today)},
          {"due_today", home.due_today},
          {"reviewed_today", home.reviewed_today},
          {"new_today", home.new_today},
          {"streak_days", home.streak_days},
          {"reviewed_today_any", home.reviewed_today_any},
          {"subjects", std::move(subjects)},
          {"paths", std::move(paths)},
          {"next_step", std::move(next)},
          {"history", day_counts_json(home.history)},
          {"forecast", day_counts_json(home.forecast)}};
}

object student_path_json(const StudentPath& view) {
  object out = path_json(view.path, view.subject_name);
  out.erase("memory");
  out["memory"] = settings_json(view.memory);
  array steps;
  for (const auto& s : view.steps) {
    object o = step_json(s.step);
    o["locked"] = s.locked;
    o["done"] = s.done;
    o["completed_at"] = or_null(s.progress.completed_at);
    o["mastered_at"] = or_null(s.progress.mastered_at);
    if (s.cards) {
      o["card_count"] = s.cards->card_count;
      o["due"] = s.cards->due;
      o["new"] = s.cards->fresh;
      o["active_session_id"] = or_null(s.cards->active_session_id);
    } else if (s.lessons) {
      array lessons;
      for (const auto& i : *s.lessons) lessons.push_back(prompt_of(i, 0));
      o["lessons"] = std::move(lessons);
    }
    steps.push_back(std::move(o));
  }
  out["steps"] = std::move(steps);
  return out;
}

object teaching_today_json(const TeachingToday& today) {
  array paths, behind, unfinished;
  for (const auto& p : today.paths) {
    paths.push_back(object{{"id", p.path.id},
                           {"title", p.path.title},
                           {"status", p.path.status},
                           {"validated_items", p.validated_items},
                           {"pending_items", p.pending_items},
                           {"first_pending_step_id", or_null(p.first_pending_step_id)},
                           {"student_count", p.student_count},
                           {"students_behind", p.students_behind},
                           {"students_not_started", p.students_not_started}});
  }
  for (const auto& s : today.students_behind) {
    behind.push_back(object{{"student_id", s.student_id}, {"display_name", s.display_name}, {"path_id", s.path_id},
                            {"path_title", s.path_title}, {"due", s.due}, {"last_review_at", or_null(s.last_review_at)}});
  }
  for (const auto& p : today.paths_without_content) {
    unfinished.push_back(object{{"path_id", p.id}, {"title", p.title}, {"status", p.status}});
  }
  return {{"paths", std::move(paths)},
          {"students_behind", std::move(behind)},
          {"paths_without_content", std::move(unfinished)},
          {"pending_items", today.pending_items}};
}

object preview_json(const PathPreview& preview) {
  object out = path_json(preview.path, preview.subject_name);
  out["can_edit"] = preview.can_edit;
  array steps;
  for (const auto& [step, items] : preview.steps) {
    object o = step_json(step);
    array lessons, cards;
    for (const auto& item : items) {
      if (item.kind == "lesson") {
        lessons.push_back(prompt_of(item, 0));
        continue;
      }
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
    steps.push_back(std::move(o));
  }
  out["steps"] = std::move(steps);
  return out;
}

object progress_json(const PathProgress& progress) {
  array students;
  for (const auto& s : progress.students) {
    object model{{"fitted", false}};
    if (const auto& fit = s.model) {
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
    students.push_back(object{{"id", s.person.id},
                              {"display_name", s.person.display_name},
                              {"cards_started", s.cards_started},
                              {"reviews", s.reviews},
                              {"lapses", s.lapses},
                              {"due_now", s.due_now},
                              {"due_next_7_days", s.due_next_7_days},
                              {"average_retrievability", or_null(s.average_retrievability)},
                              {"steps_done", s.steps_done},
                              {"last_review_at", or_null(s.last_review_at)},
                              {"model", std::move(model)}});
  }
  return {{"path_id", progress.path_id},
          {"step_count", progress.step_count},
          {"students", std::move(students)},
          {"forecast", day_counts_json(progress.forecast)}};
}

}  // namespace mnemos::learning
