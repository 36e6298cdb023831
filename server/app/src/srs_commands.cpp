#include <mnemos/app/srs_commands.hpp>

#include <mnemos/core/json.hpp>
#include <mnemos/core/timezone.hpp>
#include <mnemos/srs/fsrs.hpp>
#include <mnemos/srs/optimizer.hpp>
#include <mnemos/srs/review_log.hpp>

#include <boost/json.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <iterator>
#include <limits>
#include <optional>
#include <stdexcept>

namespace mnemos::app {
namespace {

struct InputError : std::runtime_error {
  InputError(const std::string& field, const std::string& message)
      : std::runtime_error(field + ": " + message) {}
  explicit InputError(const srs::ReviewLogError& error) : std::runtime_error(error.what()) {}
};

std::int64_t parse_instant(std::string_view text, const std::string& field) {
  try {
    return srs::parse_instant(text, field);
  } catch (const srs::ReviewLogError& error) {
    throw InputError(error);
  }
}

std::string format_instant(std::int64_t ms) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char out[32];
  std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return out;
}

// "1m", "10m", "1h", "1d", "30s" -> seconds.
std::int64_t parse_step(const boost::json::value& value, const std::string& field) {
  if (!value.is_string()) throw InputError(field, "give steps as text such as \"1m\" or \"10m\"");
  const std::string text(value.as_string());
  char unit = 0;
  double amount = 0;
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%lf%c%n", &amount, &unit, &consumed) != 2 ||
      static_cast<std::size_t>(consumed) != text.size() || !(amount > 0)) {
    throw InputError(field, "'" + text + "' is not a duration such as 30s, 10m, 1h or 1d");
  }
  const double scale = unit == 's' ? 1 : unit == 'm' ? 60 : unit == 'h' ? 3600 : unit == 'd' ? 86400 : 0;
  if (scale == 0) throw InputError(field, "'" + text + "': use the units s, m, h or d");
  return static_cast<std::int64_t>(std::llround(amount * scale));
}

std::vector<std::int64_t> parse_steps(const boost::json::object& input, const char* name,
                                      std::vector<std::int64_t> fallback) {
  const auto* value = input.if_contains(name);
  if (value == nullptr) return fallback;
  if (!value->is_array()) throw InputError(name, "give a list such as [\"1m\", \"10m\"]");
  std::vector<std::int64_t> steps;
  for (const auto& step : value->as_array()) steps.push_back(parse_step(step, name));
  return steps;
}

// Serialises like boost::json::serialize, but numbers as mnemos::json::shortest_decimal writes them.
void write_json(std::string& out, const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::double_: out += mnemos::json::shortest_decimal(value.get_double()); break;
    case boost::json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& item : value.get_array()) {
        if (!first) out += ',';
        first = false;
        write_json(out, item);
      }
      out += ']';
      break;
    }
    case boost::json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, item] : value.get_object()) {
        if (!first) out += ',';
        first = false;
        out += boost::json::serialize(boost::json::value(key));
        out += ':';
        write_json(out, item);
      }
      out += '}';
      break;
    }
    default: out += boost::json::serialize(value);
  }
}

std::string to_text(const boost::json::value& value) {
  std::string out;
  write_json(out, value);
  return out;
}

double number(const boost::json::value& value, const std::string& field) {
  if (value.is_double()) return value.as_double();
  if (value.is_int64()) return static_cast<double>(value.as_int64());
  if (value.is_uint64()) return static_cast<double>(value.as_uint64());
  throw InputError(field, "must be a number");
}

// Day numbers in an IANA time zone, read from the tz database (thread-safe, unlike TZ + localtime).
srs::DayOf zone_days(const std::string& zone, int day_start_hour) {
  if (!TimeZone::exists(zone)) {
    throw InputError("timezone", "'" + zone.substr(0, 60) + "' is not a known IANA time zone (e.g. Europe/Paris)");
  }
  return [tz = TimeZone::named(zone), day_start_hour](std::int64_t utc_ms) {
    return tz->local_day(utc_ms, day_start_hour);
  };
}

}  // namespace

int srs_replay(std::istream& in, std::ostream& out, std::ostream& err) {
  try {
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    boost::system::error_code ec;
    const auto document = boost::json::parse(text, ec);
    if (ec) throw InputError("input", "not valid JSON: " + ec.message());
    if (!document.is_object()) throw InputError("input", "give a JSON object with a \"reviews\" list");
    const auto& input = document.as_object();

    srs::Settings settings;
    if (const auto* w = input.if_contains("parameters"); w != nullptr && !w->is_null()) {
      if (!w->is_array()) throw InputError("parameters", "give a list of 21 (or 19) numbers");
      std::vector<double> values;
      for (const auto& each : w->as_array()) values.push_back(number(each, "parameters"));
      try {
        settings.parameters = srs::parameters_from(values);
      } catch (const std::invalid_argument& bad) {
        throw InputError("parameters", bad.what());
      }
    }
    if (const auto* r = input.if_contains("desired_retention")) {
      settings.desired_retention = number(*r, "desired_retention");
      if (!(settings.desired_retention >= 0.7 && settings.desired_retention <= 0.99)) {
        throw InputError("desired_retention", "must be between 0.7 and 0.99");
      }
    }
    if (const auto* m = input.if_contains("maximum_interval")) {
      const double days = number(*m, "maximum_interval");
      if (!(days >= 1 && days <= 36500) || std::floor(days) != days) {
        throw InputError("maximum_interval", "must be a whole number of days from 1 to 36500");
      }
      settings.maximum_interval_days = static_cast<int>(days);
    }
    if (const auto* f = input.if_contains("fuzz")) {
      if (!f->is_bool()) throw InputError("fuzz", "must be true or false");
      settings.fuzz = f->as_bool();
    }
    settings.learning_steps_s = parse_steps(input, "learning_steps", settings.learning_steps_s);
    settings.relearning_steps_s = parse_steps(input, "relearning_steps", settings.relearning_steps_s);
    int day_start_hour = 4;
    if (const auto* h = input.if_contains("day_start_hour")) {
      const double hour = number(*h, "day_start_hour");
      if (!(hour >= 0 && hour <= 23) || std::floor(hour) != hour) {
        throw InputError("day_start_hour", "must be a whole hour from 0 to 23");
      }
      day_start_hour = static_cast<int>(hour);
    }
    std::string zone = "UTC";
    if (const auto* z = input.if_contains("timezone")) {
      if (!z->is_string()) throw InputError("timezone", "must be text such as Europe/Paris");
      zone = std::string(z->as_string());
    }
    const auto* reviews = input.if_contains("reviews");
    if (reviews == nullptr || !reviews->is_array()) throw InputError("reviews", "give a list of {\"at\", \"rating\"}");

    const srs::Scheduler scheduler(settings, zone_days(zone, day_start_hour));
    srs::CardState card;
    std::int64_t previous = std::numeric_limits<std::int64_t>::min();
    boost::json::array results;
    std::size_t index = 0;
    for (const auto& each : reviews->as_array()) {
      const std::string where = "reviews[" + std::to_string(index++) + "]";
      if (!each.is_object()) throw InputError(where, "give {\"at\": ..., \"rating\": 1-4}");
      const auto& review = each.as_object();
      const auto* at = review.if_contains("at");
      const auto* rating = review.if_contains("rating");
      if (at == nullptr || !at->is_string()) throw InputError(where + ".at", "give the time as ISO 8601 text");
      if (rating == nullptr || !rating->is_int64() || rating->as_int64() < 1 || rating->as_int64() > 4) {
        throw InputError(where + ".rating", "must be 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy)");
      }
      const std::int64_t when = parse_instant(at->as_string(), where + ".at");
      if (when < previous) throw InputError(where + ".at", "reviews must be in time order");
      previous = when;
      const auto result = scheduler.review(card, static_cast<srs::Rating>(rating->as_int64()), when);
      card = result.after;
      boost::json::object row;
      row["at"] = format_instant(when);
      row["rating"] = rating->as_int64();
      row["elapsed_days"] = result.elapsed_days;
      row["retrievability"] = result.retrievability ? boost::json::value(*result.retrievability) : nullptr;
      row["state"] = srs::to_string(card.state);
      row["stability"] = card.stability;
      row["difficulty"] = card.difficulty;
      row["due"] = format_instant(card.due_ms);
      row["interval_days"] = result.interval_days;
      results.push_back(std::move(row));
    }
    out << to_text(boost::json::object{{"reviews", std::move(results)}}) << "\n";
    return 0;
  } catch (const InputError& error) {
    err << "mnemos srs replay: " << error.what() << "\n";
    return 2;
  }
}

int srs_optimize(std::istream& csv, const std::string& timezone, int day_start_hour, std::ostream& out,
                 std::ostream& err) {
  try {
    if (day_start_hour < 0 || day_start_hour > 23) throw InputError("--day-start-hour", "must be 0 to 23");
    const auto day_of = zone_days(timezone, day_start_hour);
    srs::ReviewLog log;
    try {
      log = srs::read_review_log(csv);
    } catch (const srs::ReviewLogError& error) {
      throw InputError(error);
    }
    const std::size_t skipped = log.rows_skipped;
    const auto report = srs::optimize(log.reviews, srs::default_parameters(), day_of);
    boost::json::array parameters;
    for (const double w : report.parameters) parameters.push_back(std::round(w * 1e4) / 1e4);
    out << to_text(boost::json::object{
               {"parameters", std::move(parameters)},
               {"log_loss_before", report.log_loss_before},
               {"log_loss_after", report.log_loss_after},
               {"rmse_bins_before", report.rmse_bins_before},
               {"rmse_bins_after", report.rmse_bins_after},
               {"reviews_used", report.reviews_used},
               {"rows_skipped", skipped},
               {"training_items", report.training_items},
               {"held_out_items", report.held_out_items},
               {"fitted", report.fitted},
               {"l2", report.l2},
               {"improved", report.improved}})
        << "\n";
    return 0;
  } catch (const InputError& error) {
    err << "mnemos srs optimize: " << error.what() << "\n";
    return 2;
  }
}

}  // namespace mnemos::app
