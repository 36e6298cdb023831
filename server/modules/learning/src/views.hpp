#pragma once
// JSON views of the learning module's records, and the readers of nullable fields.
#include <mnemos/core/json.hpp>

#include "domain.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

namespace mnemos::learning {

boost::json::object path_json(const Path& path, const std::string& subject_name);
boost::json::object step_json(const Step& step);
// The teacher's view: everything, content included.
boost::json::object item_json(const Item& item);
boost::json::array string_array(const std::vector<std::string>& values);

// A field absent (nothing), null (clear it) or given (checked).
std::optional<std::optional<std::string>> nullable_string(json::Fields& f, std::string_view name,
                                                          std::size_t max_length);
std::optional<std::optional<std::int64_t>> nullable_int(json::Fields& f, std::string_view name,
                                                        std::int64_t min, std::int64_t max);
std::optional<std::optional<double>> nullable_double(json::Fields& f, std::string_view name,
                                                     double min, double max);

// "2027-06-15" -> days since 1970-01-01; nothing unless a real calendar date.
std::optional<std::int64_t> civil_day(const std::string& date);

}  // namespace mnemos::learning
