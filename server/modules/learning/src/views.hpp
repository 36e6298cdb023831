#pragma once
// JSON views of the learning module's records and of what its services return.
#include <mnemos/core/json.hpp>

#include "domain.hpp"
#include "services.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

namespace mnemos::learning {

boost::json::object path_json(const Path& path, const std::string& subject_name);
boost::json::object step_json(const Step& step);
// The teacher's view: everything, content included.
boost::json::object item_json(const Item& item);
boost::json::array string_array(const std::vector<std::string>& values);
// People as the API lists them: {id, display_name}.
boost::json::array people_json(const std::vector<users::PersonRef>& people);
// A path with the parts the view holds (step and student counts, steps with their item counts,
// assignment, teachers, whether the actor may edit it).
boost::json::object path_json(const PathView& view);
boost::json::object media_json(const MediaAdded& media);
boost::json::object import_report_json(const ImportReport& report, std::string_view locale);

// A revision session as its student sees it: progress in cards, the card shown (never its answer).
boost::json::object session_json(const SessionState& session);
// An answer's correction: right or not, the solution, the rating, the card's new schedule, the session.
boost::json::object answer_json(const AnswerResult& result);
// One level's memory settings; a teacher's or student's own level shows the platform's beside them.
boost::json::object settings_json(const ScopedSettings& settings);
// Memory settings in effect (every level resolved).
boost::json::object settings_json(const srs::MemorySettings& settings);

// A school day (days since 1970) as YYYY-MM-DD.
std::string date_text(std::int64_t day);
// The student's home (GET /me/learning).
boost::json::object home_json(const StudentHome& home);
// A path as its student sees it: steps locked or open, done, cards due, lessons to read.
boost::json::object student_path_json(const StudentPath& view);
boost::json::object teaching_today_json(const TeachingToday& today);
// A path's preview: each step's lessons and cards with the right answers in words.
boost::json::object preview_json(const PathPreview& preview);
// A path's students, each with their own memory model, and the class's forecast.
boost::json::object progress_json(const PathProgress& progress);

// "2027-06-15" -> days since 1970-01-01; nothing unless a real calendar date.
std::optional<std::int64_t> civil_day(const std::string& date);

}  // namespace mnemos::learning
