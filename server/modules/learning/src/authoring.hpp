#pragma once
// What the authoring services share (path_service.cpp: paths; step_service.cpp: steps and items;
// import_service.cpp: imports and media): reading their inputs, the limits of a path, and what
// the activity log says. Internal to the learning module.
#include <mnemos/core/context.hpp>
#include <mnemos/core/json.hpp>
#include <mnemos/users/directory.hpp>

#include "cache.hpp"
#include "domain.hpp"
#include "services.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace mnemos::learning::authoring {

inline constexpr const char* kNothingToPublish =
    "A path is published with at least one validated lesson or card: add or validate one first.";

// Every write of a path's content: the cache's copies go once it is done (or failed).
template <typename F>
auto write_content(const Deps& d, F&& work) {
  struct Drop {
    LearningCache& cache;
    ~Drop() { cache.content_changed(); }
  } drop{d.cache};
  return d.db.write(std::forward<F>(work));
}

// What the activity log shows of the object changed ({"label": ...} in its details): the school's
// admins read "Step updated: Vocabulary", not an id.
std::string labelled(std::string_view label);
// An item as the activity log names it: its front, question or text.
std::string item_label(const Item& item);

// The type a picture or sound is kept as, or "" when it is not kept: a name with control
// characters (a NUL, a line break) is nobody's file name, and the bytes decide the type.
std::string media_type_of(const std::string& name, std::string_view bytes);

bool has_validated_item(soci::session& sql, const std::string& path_id);
// The kinds of item a step holds: lessons in lesson and tutor steps, cards elsewhere.
bool step_accepts(const std::string& step_kind, const std::string& item_kind);
// Tags as stored (space-separated); a tag with a space fails `field`.
std::string tags_text(const std::vector<std::string>& tags, Validation& v, const std::string& field);

void apply(Path& p, const PathInput& in);
// Applies the input and checks the step's rule against its path's other steps.
void apply(Step& s, const StepInput& in, const std::vector<Step>& path_steps, Validation& v,
           const std::string& prefix);

// The classes and students asked for, checked against the teacher's classes.
std::vector<Assignment> checked_assignments(soci::session& sql, const users::Directory& directory,
                                            const RequestContext& ctx, const AssignmentInput& in, Validation& v);
std::string subject_name(soci::session& sql, const users::Directory& directory, const std::string& school,
                         const std::string& subject_id);

// A new item of `step` from its input, its content checked for its kind; `prefix` names nested
// fields ("steps[0].items[1].").
Item item_from(const ItemInput& in, const Step& step, const RequestContext& ctx, int position,
               const std::string& prefix, Validation& v);

// After a lesson of the path was added, changed or removed: the AI tutor reads the lessons again.
void lessons_changed(soci::session& sql, const Deps& d, const std::string& school_id, const std::string& path_id);
// ... of the step holding `item` when it is a lesson.
void item_changed(soci::session& sql, const Deps& d, const Item& item);
void publish(soci::session& sql, const Deps& d, const std::string& type, const boost::json::object& payload,
             const std::string& school);

}  // namespace mnemos::learning::authoring
