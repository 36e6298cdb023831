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

std::shared_ptr<const std::vector<Step>> LearningCache::steps_of(soci::session &sql,
                                                                 const std::string &school_id,
                                                                 const std::string &path_id) {
  return path_steps.get(school_id + "/" + path_id, [&] {
    return std::make_shared<const std::vector<Step>>(repo::steps_of(sql, path_id));
  });
}

std::optional<Item> LearningCache::item(soci::session &sql,
                                        const std::string &school_id,
                                        const std::string &id) {
  return items.get(school_id + "/" + id,
                   [&] { return repo::find_item(sql, school_id, id); });
}

LearningCache::LearningCache(realtime::Broadcaster &broadcaster)
    : broadcaster_(broadcaster) {
  // Listened to until the cache is destroyed, which happens only once the server has stopped
  // serving and the broadcaster delivers nothing more.
  listening_ = broadcaster_.listen(
      [this](std::string_view topic, const std::string &message) {
        if (topic == kTopic) drop(message);
      });
}

void LearningCache::changed(const std::string &what) {
  drop(what);
  broadcaster_.publish(kTopic, what); // this process hears it too: dropping twice is harmless
}

void LearningCache::drop(std::string_view what) {
  if (what == "content") {
    paths.clear();
    steps.clear();
    path_steps.clear();
    items.clear();
    step_cards.clear();
  } else if (what == "settings") {
    settings.clear();
  } else if (what.starts_with("fit:")) {
    fits.erase(std::string(what.substr(4)));
  }
}

namespace {
std::string settings_key(const std::string &school_id, const std::string &scope,
                         const std::string &owner_id) {
  return school_id + "/" + scope + "/" + owner_id;
}
std::string fit_key(const std::string &student_id, const std::string &subject_id) {
  return student_id + "/" + subject_id;
}
} // namespace

SettingsRow LearningCache::settings_of(soci::session &sql,
                                       const std::string &school_id,
                                       const std::string &scope,
                                       const std::string &owner_id) {
  return settings.get(settings_key(school_id, scope, owner_id), [&] {
    return repo::settings(sql, school_id, scope, owner_id);
  });
}

std::optional<FittedParameters>
LearningCache::fit(soci::session &sql, const std::string &student_id,
                   const std::string &subject_id) {
  return fits.get(fit_key(student_id, subject_id), [&] {
    return repo::fitted_parameters(sql, student_id, subject_id);
  });
}

void LearningCache::keep_student(const std::string &school_id, const std::string &student_id,
                                 const std::string &subject_id, const SettingsRow &own,
                                 const std::optional<FittedParameters> &fit,
                                 Generations read_at) {
  settings.keep(settings_key(school_id, "student", student_id), own, read_at.settings);
  fits.keep(fit_key(student_id, subject_id), fit, read_at.fits);
}

} // namespace mnemos::learning
