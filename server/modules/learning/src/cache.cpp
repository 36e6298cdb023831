#include "cache.hpp"

#include "repository.hpp"

namespace mnemos::learning {

std::optional<Path> LearningCache::path(soci::session &sql,
                                        const std::string &school_id,
                                        const std::string &id) {
  return paths.get(school_id + "/" + id,
                   [&] { return repo::find_path(sql, school_id, id); });
}

std::optional<Step> LearningCache::step(soci::session &sql,
                                        const std::string &school_id,
                                        const std::string &id) {
  return steps.get(school_id + "/" + id,
                   [&] { return repo::find_step(sql, school_id, id); });
}

std::optional<Item> LearningCache::item(soci::session &sql,
                                        const std::string &school_id,
                                        const std::string &id) {
  return items.get(school_id + "/" + id,
                   [&] { return repo::find_item(sql, school_id, id); });
}

SettingsRow LearningCache::settings_of(soci::session &sql,
                                       const std::string &school_id,
                                       const std::string &scope,
                                       const std::string &owner_id) {
  return settings.get(school_id + "/" + scope + "/" + owner_id, [&] {
    return repo::settings(sql, school_id, scope, owner_id);
  });
}

std::optional<FittedParameters>
LearningCache::fit(soci::session &sql, const std::string &student_id,
                   const std::string &subject_id) {
  return fits.get(student_id + "/" + subject_id, [&] {
    return repo::fitted_parameters(sql, student_id, subject_id);
  });
}

} // namespace mnemos::learning
