#include "views.hpp"

#include <chrono>
#include <cmath>

namespace mnemos::learning {

using boost::json::array;
using boost::json::object;
using boost::json::value;

namespace {
template <typename T>
value or_null(const std::optional<T>& v) {
  return v ? value(*v) : value(nullptr);
}
}  // namespace

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

}  // namespace mnemos::learning
