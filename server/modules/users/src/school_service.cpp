#include <mnemos/core/activity.hpp>
#include <mnemos/core/db.hpp>
#include <mnemos/core/ids.hpp>
#include <mnemos/core/jobs.hpp>
#include <mnemos/core/json.hpp>

#include "repository.hpp"
#include "services.hpp"

namespace mnemos::users {
namespace {

void validate(const SchoolInput& input, bool creating, Validation& v) {
  if (creating || input.name) {
    if (!input.name || json::trim(*input.name).empty()) v.fail("name", "Give the school a name.");
  }
  if (creating && (!input.slug || !is_valid_slug(*input.slug))) {
    v.fail("slug",
           "Use 2 to 40 lowercase letters, digits or dashes (it appears in the login form).");
  }
  if ((creating || input.timezone) && (!input.timezone || !is_valid_timezone(*input.timezone))) {
    v.fail("timezone", "Use an IANA time zone such as Europe/Paris.");
  }
  if (input.default_locale && *input.default_locale != "fr" && *input.default_locale != "en") {
    v.fail("default_locale", "Use fr or en.");
  }
  if (input.status && *input.status != "active" && *input.status != "suspended") {
    v.fail("status", "Use active or suspended.");
  }
}

}  // namespace

School SchoolService::create(const RequestContext& ctx, const SchoolInput& input) {
  ctx.require(Permission::platform_schools_manage);
  Validation v;
  validate(input, true, v);
  v.throw_if_failed();
  School school;
  school.id = new_id();
  school.name = json::trim(*input.name);
  school.slug = *input.slug;
  school.timezone = *input.timezone;
  school.default_locale = input.default_locale.value_or("fr");
  school.status = "active";
  school.created_at = school.updated_at = ctx.now_ms();
  db_.write([&](soci::session& sql) {
    if (repo::find_school_by_slug(sql, school.slug)) {
      throw Error(ErrorCode::conflict, "Another school already uses the address '" + school.slug +
                                           "'. Choose another.",
                  {{"slug", "Already used by another school."}});
    }
    repo::insert_school(sql, school);
    record_activity(sql, ctx, "school.created", "school", school.id);
    // Billing starts the school's trial.
    jobs::publish(sql, clock_, jobs_, "users.school_created", "{\"school_id\":\"" + school.id + "\"}", school.id);
  });
  return school;
}

PageOf<School> SchoolService::list(const RequestContext& ctx, const Page& page) {
  ctx.require(Permission::platform_schools_manage);
  return db_.read([&](soci::session& sql) { return repo::list_schools(sql, page); });
}

School SchoolService::get(const RequestContext& ctx, const std::string& id) {
  if (!ctx.can(Permission::platform_schools_manage)) {
    ctx.require(Permission::school_read);
    // Within a school, only one's own school exists.
    if (ctx.school_id != id) throw Error::not_found("No such school.");
  }
  auto school = db_.read([&](soci::session& sql) { return repo::find_school(sql, id); });
  if (!school) throw Error::not_found("No such school.");
  return *school;
}

School SchoolService::update(const RequestContext& ctx, const std::string& id,
                             const SchoolInput& input) {
  const bool platform = ctx.can(Permission::platform_schools_manage);
  if (!platform) {
    ctx.require(Permission::school_manage);
    if (ctx.school_id != id) throw Error::not_found("No such school.");
    if (input.status) throw Error::invalid("status", "Only the platform can suspend a school.");
  }
  if (input.slug) throw Error::invalid("slug", "A school's address cannot change.");
  Validation v;
  validate(input, false, v);
  v.throw_if_failed();
  const School updated = db_.write([&](soci::session& sql) {
    auto school = repo::find_school(sql, id);
    if (!school) throw Error::not_found("No such school.");
    if (input.name) school->name = json::trim(*input.name);
    if (input.timezone) school->timezone = *input.timezone;
    if (input.default_locale) school->default_locale = *input.default_locale;
    if (input.status) school->status = *input.status;
    school->updated_at = ctx.now_ms();
    repo::update_school(sql, *school);
    record_activity(sql, ctx, "school.updated", "school", school->id);
    return *school;
  });
  // A suspended school's sessions end now.
  if (input.status && *input.status != "active") {
    sessions_.end_school(id, "school_suspended");
  } else if (input.status) {
    sessions_.evict_school(id);
  }
  return updated;
}

}  // namespace mnemos::users
