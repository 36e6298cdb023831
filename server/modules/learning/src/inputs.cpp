// What the learning routes read from request bodies (inputs.hpp).
#include "inputs.hpp"

#include "content.hpp"
#include "views.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace mnemos::learning {

namespace {

bool is_step_kind(std::string_view k) {
  return k == "lesson" || k == "cards" || k == "quiz" || k == "tutor";
}
bool is_unlock_rule(std::string_view r) {
  return r == "open" || r == "sequential" || r == "prerequisite" || r == "date";
}
bool is_status(std::string_view s) { return s == "draft" || s == "active" || s == "archived"; }

PathInput path_fields(json::Fields& f) {
  PathInput in;
  in.subject_id = f.optional_string("subject_id", 40);
  in.title = f.optional_string("title", 200);
  in.objectives = f.optional_string("objectives", 5000);
  in.level = f.optional_string("level", 80);
  in.status = f.optional_string("status", 20);
  in.exam_date = nullable_string(f, "exam_date", 10);
  in.desired_retention = nullable_double(f, "desired_retention", srs::SettingBounds::min_desired_retention,
                                      srs::SettingBounds::max_desired_retention);
  auto int_field = [&](std::string_view name, int min, int max) {
    Change<int> change;
    if (auto v = nullable_int(f, name, min, max)) {
      change.given = true;
      if (*v) change.value = static_cast<int>(**v);
    }
    return change;
  };
  in.new_cards_per_day = int_field("new_cards_per_day", 0, srs::SettingBounds::max_new_cards_per_day);
  in.reviews_per_day = int_field("reviews_per_day", 0, srs::SettingBounds::max_reviews_per_day);
  in.maximum_interval_days = int_field("maximum_interval_days", 1, srs::SettingBounds::max_interval_days);
  if (in.status && !is_status(*in.status)) f.validation().fail("status", "Use draft, active or archived.");
  if (in.exam_date && *in.exam_date && !civil_day(**in.exam_date)) {
    f.validation().fail("exam_date", "Give a date as YYYY-MM-DD.");
  }
  if (in.title && json::trim(*in.title).empty()) f.validation().fail("title", "Give a title.");
  return in;
}

StepInput step_fields(json::Fields& f) {
  StepInput in;
  in.title = f.optional_string("title", 200);
  in.kind = f.optional_string("kind", 20);
  in.unlock_rule = f.optional_string("unlock_rule", 20);
  in.prerequisite_step_id = nullable_string(f, "prerequisite_step_id", 40);
  in.unlock_at = nullable_int(f, "unlock_at", 0, 4102444800000);  // up to 2100
  if (in.title && json::trim(*in.title).empty()) f.validation().fail("title", "Give a title.");
  if (in.kind && !is_step_kind(*in.kind)) f.validation().fail("kind", "Use lesson, cards, quiz or tutor.");
  if (in.unlock_rule && !is_unlock_rule(*in.unlock_rule)) {
    f.validation().fail("unlock_rule", "Use open, sequential, prerequisite or date.");
  }
  return in;
}

// An item's fields; `prefix` names nested fields ("steps[0].items[1].").
ItemInput item_fields(json::Fields& f, bool adding, const std::string& prefix) {
  ItemInput in;
  Validation& v = f.validation();
  if (adding) {
    in.kind = f.required_string("kind", 20);
    in.origin = f.optional_string("origin", 20);
    if (in.kind && !in.kind->empty() && !is_item_kind(*in.kind)) {
      v.fail(prefix + "kind", "Use lesson, flashcard, cloze, choice, short_answer, matching, numerical or ordering.");
    }
    if (in.origin && *in.origin != "manual" && *in.origin != "imported" && *in.origin != "generated") {
      v.fail(prefix + "origin", "Use manual, imported or generated.");
    }
  } else if (auto position = f.optional_int("position", 0, 100000)) {
    in.position = static_cast<int>(*position);
  }
  in.validation = f.optional_string("validation", 20);
  if (in.validation && *in.validation != "pending" && *in.validation != "validated" && *in.validation != "rejected") {
    v.fail(prefix + "validation", "Use pending, validated or rejected.");
  }
  in.tags = f.optional_string_list("tags", 20, 40);
  if (const auto* content = f.object().if_contains("content")) {
    in.content = *content;
  } else if (adding) {
    v.fail(prefix + "content", "Give the content.");
  }
  return in;
}

AssignmentInput assignment_fields(json::Fields& f) {
  AssignmentInput in;
  in.class_ids = f.optional_string_list("class_ids", kMaxClasses, 40).value_or(std::vector<std::string>{});
  in.student_ids = f.optional_string_list("student_ids", kMaxStudents, 40).value_or(std::vector<std::string>{});
  return in;
}

// The errors of a nested object's fields, named with its place.
void fail_nested(Validation& into, const Error& e, const std::string& prefix) {
  for (const auto& fe : e.fields()) {
    const bool named = fe.field.rfind(prefix, 0) == 0;
    into.fail(named ? fe.field : prefix + fe.field, fe.message);
  }
}

}  // namespace

std::optional<std::optional<std::string>> nullable_string(json::Fields& f, std::string_view name,
                                                          std::size_t max_length) {
  if (!f.object().contains(name)) return std::nullopt;
  if (f.object().at(name).is_null()) return std::optional<std::string>();
  auto text = f.optional_string(name, max_length);
  if (!text) return std::nullopt;  // the failure is recorded
  return std::optional<std::string>(std::move(text));
}

std::optional<std::optional<std::int64_t>> nullable_int(json::Fields& f, std::string_view name,
                                                        std::int64_t min, std::int64_t max) {
  if (!f.object().contains(name)) return std::nullopt;
  if (f.object().at(name).is_null()) return std::optional<std::int64_t>();
  auto number = f.optional_int(name, min, max);
  if (!number) return std::nullopt;
  return std::optional<std::int64_t>(*number);
}

std::optional<std::optional<double>> nullable_double(json::Fields& f, std::string_view name,
                                                     double min, double max) {
  if (!f.object().contains(name)) return std::nullopt;
  const auto& v = f.object().at(name);
  if (v.is_null()) return std::optional<double>();
  if (!v.is_number()) {
    f.validation().fail(std::string(name), "Must be a number.");
    return std::nullopt;
  }
  const double number = v.to_number<double>();
  if (!std::isfinite(number) || number < min || number > max) {
    char text[96];
    std::snprintf(text, sizeof text, "Must be between %g and %g.", min, max);
    f.validation().fail(std::string(name), text);
    return std::nullopt;
  }
  return std::optional<double>(number);
}


void only_fields(json::Fields& f, std::initializer_list<std::string_view> known, const std::string& prefix) {
  for (const auto& [key, _] : f.object()) {
    if (std::find(known.begin(), known.end(), std::string_view(key)) == known.end()) {
      f.validation().fail(prefix + std::string(key), "Unknown field.");
    }
  }
}

NewPath new_path_input(const boost::json::value& body) {
  json::Fields f(body);
  only_fields(f,
              {"subject_id", "title", "objectives", "level", "status", "exam_date", "desired_retention",
               "new_cards_per_day", "reviews_per_day", "maximum_interval_days", "class_ids", "student_ids",
               "steps"},
              "");
  NewPath in;
  in.path = path_fields(f);
  if (!in.path.subject_id) f.validation().fail("subject_id", "Choose the subject.");
  if (!in.path.title) f.validation().fail("title", "Give a title.");
  in.assignments = assignment_fields(f);
  const auto* given = f.object().if_contains("steps");
  if (given != nullptr && !given->is_null()) {
    if (!given->is_array() || given->get_array().size() > kMaxSteps) {
      f.validation().fail("steps", "Give a list of at most 100 steps.");
    } else {
      for (const auto& entry : given->get_array()) {
        const std::string prefix = "steps[" + std::to_string(in.steps.size()) + "].";
        NewStep step;
        if (!entry.is_object()) {
          f.validation().fail(prefix.substr(0, prefix.size() - 1), "Each step is an object.");
          in.steps.push_back(std::move(step));
          continue;
        }
        json::Fields sf(entry);
        only_fields(sf, {"title", "kind", "unlock_rule", "unlock_at", "items"}, "");
        step.step = step_fields(sf);
        if (!step.step.title) sf.validation().fail("title", "Give a title.");
        try {
          sf.done();
        } catch (const Error& e) {
          fail_nested(f.validation(), e, prefix);
        }
        const auto* list = sf.object().if_contains("items");
        if (list != nullptr && !list->is_null()) {
          if (!list->is_array() || list->get_array().size() > kMaxItemsPerStep) {
            f.validation().fail(prefix + "items", "Give a list of at most 2000 items.");
          } else {
            for (const auto& raw : list->get_array()) {
              const std::string item_prefix = prefix + "items[" + std::to_string(step.items.size()) + "].";
              if (!raw.is_object()) {
                f.validation().fail(item_prefix.substr(0, item_prefix.size() - 1), "Each item is an object.");
                step.items.emplace_back();
                continue;
              }
              json::Fields itf(raw);
              only_fields(itf, {"kind", "content", "tags", "origin", "validation"}, item_prefix);
              step.items.push_back(item_fields(itf, true, item_prefix));
              try {
                itf.done();
              } catch (const Error& e) {
                fail_nested(f.validation(), e, item_prefix);
              }
            }
          }
        }
        in.steps.push_back(std::move(step));
      }
    }
  }
  f.done();
  return in;
}

PathInput path_update_input(const boost::json::value& body) {
  json::Fields f(body);
  only_fields(f,
              {"subject_id", "title", "objectives", "level", "status", "exam_date", "desired_retention",
               "new_cards_per_day", "reviews_per_day", "maximum_interval_days"},
              "");
  PathInput in = path_fields(f);
  f.done();
  return in;
}

std::optional<std::string> copy_input(const boost::json::value& body) {
  json::Fields f(body);
  only_fields(f, {"title"}, "");
  auto title = f.optional_string("title", 200);
  if (title && json::trim(*title).empty()) f.validation().fail("title", "Give a title.");
  f.done();
  if (title) return json::trim(*title);
  return std::nullopt;
}

AssignmentInput assignment_input(const boost::json::value& body) {
  json::Fields f(body);
  only_fields(f, {"class_ids", "student_ids"}, "");
  AssignmentInput in = assignment_fields(f);
  f.done();
  return in;
}

std::vector<std::string> teachers_input(const boost::json::value& body) {
  json::Fields f(body);
  only_fields(f, {"teacher_ids"}, "");
  auto ids = f.optional_string_list("teacher_ids", 50, 40);
  if (!f.has("teacher_ids")) f.validation().fail("teacher_ids", "Give the list of teachers (it may be empty).");
  f.done();
  return ids.value_or(std::vector<std::string>{});
}

StepInput step_input(const boost::json::value& body) {
  json::Fields f(body);
  only_fields(f, {"title", "kind", "unlock_rule", "prerequisite_step_id", "unlock_at"}, "");
  StepInput in = step_fields(f);
  f.done();
  return in;
}

std::vector<std::string> step_order_input(const boost::json::value& body) {
  json::Fields f(body);
  only_fields(f, {"step_ids"}, "");
  auto order = f.optional_string_list("step_ids", kMaxSteps, 40);
  if (!order) f.validation().fail("step_ids", "List every step of the path once, in the new order.");
  f.done();
  return *order;
}

ReviewInput review_input(const boost::json::value& body) {
  json::Fields f(body);
  ReviewInput in;
  in.validated = f.optional_string_list("validated", kMaxItemsPerStep, 36).value_or(std::vector<std::string>{});
  in.rejected = f.optional_string_list("rejected", kMaxItemsPerStep, 36).value_or(std::vector<std::string>{});
  f.done();
  return in;
}

ItemInput item_input(const boost::json::value& body, bool adding) {
  json::Fields f(body);
  if (adding) {
    only_fields(f, {"kind", "content", "tags", "origin", "validation"}, "");
  } else {
    only_fields(f, {"content", "tags", "validation", "position"}, "");
  }
  ItemInput in = item_fields(f, adding, "");
  f.done();
  return in;
}

StartInput start_input(const boost::json::value& body) {
  json::Fields f(body);
  StartInput in;
  in.step_id = f.required_string("step_id", 40);
  in.mode = f.optional_string("mode", 20).value_or("review");
  if (in.mode != "review" && in.mode != "practice") f.validation().fail("mode", "Use review or practice.");
  f.done();
  return in;
}

AnswerInput answer_input(const boost::json::value& body) {
  json::Fields f(body);
  AnswerInput in;
  in.item_id = f.required_string("item_id", 40);
  in.variant = static_cast<int>(f.optional_int("variant", 0, 100).value_or(0));
  in.duration_ms = f.optional_int("duration_ms", 0, 24LL * 3600 * 1000).value_or(0);
  const auto* answer = f.object().if_contains("answer");
  if (answer == nullptr || !answer->is_object()) {
    f.validation().fail("answer", "Give the answer as an object.");
  } else {
    in.answer = answer->get_object();
  }
  f.done();
  return in;
}

SettingsInput settings_input(const boost::json::value& body) {
  json::Fields f(body);
  SettingsInput in;
  if (auto v = nullable_double(f, "desired_retention", srs::SettingBounds::min_desired_retention,
                               srs::SettingBounds::max_desired_retention)) {
    in.row.desired_retention = *v;
  }
  auto limit = [&](const char* name, std::optional<int>& into, int min, int max) {
    if (f.object().contains(name)) in.limits_given.emplace_back(name);
    if (auto v = nullable_int(f, name, min, max); v && *v) into = static_cast<int>(**v);
  };
  limit("new_cards_per_day", in.row.new_cards_per_day, 0, srs::SettingBounds::max_new_cards_per_day);
  limit("reviews_per_day", in.row.reviews_per_day, 0, srs::SettingBounds::max_reviews_per_day);
  limit("maximum_interval_days", in.row.maximum_interval_days, 1, srs::SettingBounds::max_interval_days);
  f.done();
  return in;
}

}  // namespace mnemos::learning
