#pragma once
// What the learning routes read from request bodies: each body's fields, their types, lengths,
// ranges and allowed words, into the services' typed inputs (services.hpp). A body that does not
// read is refused here with every field named; what depends on the school's data (a subject that
// exists, a step of the same path, a class the teacher teaches) is the services' to check.
#include <mnemos/core/json.hpp>
#include <mnemos/http/request.hpp>

#include "services.hpp"

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace mnemos::learning {

// A field absent (nothing), null (clear it) or given (checked).
std::optional<std::optional<std::string>> nullable_string(json::Fields& f, std::string_view name,
                                                          std::size_t max_length);
std::optional<std::optional<std::int64_t>> nullable_int(json::Fields& f, std::string_view name,
                                                        std::int64_t min, std::int64_t max);
std::optional<std::optional<double>> nullable_double(json::Fields& f, std::string_view name,
                                                     double min, double max);

// Fails unless the field names are among `known`, so a typo is not silently ignored.
void only_fields(json::Fields& f, std::initializer_list<std::string_view> known, const std::string& prefix);

// POST /learning-paths: the path, its assignment and its first steps with their items; errors
// name nested fields ("steps[0].items[1].content.front").
NewPath new_path_input(const boost::json::value& body);
// PATCH /learning-paths/{id}.
PathInput path_update_input(const boost::json::value& body);
// POST /learning-paths/{id}/copy: the copy's title, if another.
std::optional<std::string> copy_input(const boost::json::value& body);
AssignmentInput assignment_input(const boost::json::value& body);
// PUT /learning-paths/{id}/teachers: the teachers the path is shared with (the list may be empty).
std::vector<std::string> teachers_input(const boost::json::value& body);
// POST /learning-paths/{id}/steps and PATCH /steps/{id}.
StepInput step_input(const boost::json::value& body);
// PUT /learning-paths/{id}/step-order: every step id, in the new order.
std::vector<std::string> step_order_input(const boost::json::value& body);
// POST /steps/{id}/items (`adding`: kind and content required) and PATCH /items/{id}.
ItemInput item_input(const boost::json::value& body, bool adding);
ReviewInput review_input(const boost::json::value& body);

StartInput start_input(const boost::json::value& body);
AnswerInput answer_input(const boost::json::value& body);
// PUT /me/memory-settings and /subjects/{id}/memory-settings.
SettingsInput settings_input(const boost::json::value& body);

}  // namespace mnemos::learning
