#pragma once
// What the revision service and its views (revision_views.cpp) share: the school day, card states
// and keys, dates as the API writes them. Internal to the learning module.
#include <mnemos/core/timezone.hpp>
#include <mnemos/srs/fsrs.hpp>
#include <mnemos/srs/planning.hpp>
#include <mnemos/users/directory.hpp>

#include "domain.hpp"
#include "revision_session.hpp"
#include "services.hpp"
#include "views.hpp"

#include <boost/json/object.hpp>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace soci {
class session;
}

namespace mnemos::learning::revision {

inline constexpr int kDayStartHour = 4;  // a school day runs from 04:00 to 04:00 (docs/srs.md)

std::shared_ptr<const TimeZone> zone_of(soci::session& sql, const Deps& deps, const std::string& school);
// The cards (item, variant) a student may revise in a step: validated items only.
std::shared_ptr<const StepCards> cards_in(soci::session& sql, const Deps& deps, const std::string& step_id);

}  // namespace mnemos::learning::revision
