// A school's AI settings and the pool of provider clients (docs/ai.md, "Per school").
#include <mnemos/core/activity.hpp>
#include <mnemos/core/db.hpp>
#include <mnemos/core/error.hpp>

#include "providers.hpp"
#include "school_settings.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include <stdexcept>

namespace mnemos::ai {
namespace {

template <typename T>
void apply(std::optional<T>& field, const Change<T>& change) {
  if (change) field = *change;
}

}  // namespace

namespace repo {

std::optional<SchoolAi> find_school_ai(soci::session& sql, const std::string& school_id) {
  SchoolAi s;
  sql << "SELECT school_id, provider, url, model, embedding_model, api_key, daily_questions, sources_quota_mb, "
         "updated_at, updated_by FROM ai_school_settings WHERE school_id = :school",
      soci::use(school_id), soci::into(s.school_id), soci::into(s.provider), soci::into(s.url), soci::into(s.model),
      soci::into(s.embedding_model), soci::into(s.api_key), soci::into(s.daily_questions),
      soci::into(s.sources_quota_mb), soci::into(s.updated_at), soci::into(s.updated_by);
  if (!sql.got_data()) return std::nullopt;
  return s;
}

void save_school_ai(soci::session& sql, const SchoolAi& s) {
  sql << "DELETE FROM ai_school_settings WHERE school_id = :school", soci::use(s.school_id);
  sql << "INSERT INTO ai_school_settings (school_id, provider, url, model, embedding_model, api_key, daily_questions, "
         "sources_quota_mb, updated_at, updated_by) VALUES (:school, :provider, :url, :model, :embedding, :key, "
         ":daily, :quota, :at, :by)",
      soci::use(s.school_id), soci::use(s.provider), soci::use(s.url), soci::use(s.model), soci::use(s.embedding_model),
      soci::use(s.api_key), soci::use(s.daily_questions), soci::use(s.sources_quota_mb), soci::use(s.updated_at),
      soci::use(s.updated_by);
}

}  // namespace repo

EffectiveAi effective(const Dependencies& deps, const std::optional<SchoolAi>& school) {
  EffectiveAi out{deps.provider, deps.limits.daily_questions, deps.limits.school_sources_bytes};
  if (!school) return out;
  if (school->provider) out.provider.kind = *school->provider;
  if (school->url) out.provider.url = *school->url;
  if (school->model) out.provider.model = *school->model;
  if (school->embedding_model) out.provider.embedding_model = *school->embedding_model;
  if (school->api_key) out.provider.api_key = *school->api_key;
  if (school->daily_questions) out.daily_questions = *school->daily_questions;
  if (school->sources_quota_mb) out.sources_quota_bytes = std::int64_t(*school->sources_quota_mb) << 20;
  return out;
}

ProviderPool::ProviderPool(const ProviderConfig& defaults) { get(defaults); }
ProviderPool::~ProviderPool() = default;

Provider* ProviderPool::get(const ProviderConfig& config) {
  if (config.kind == "builtin" || config.kind.empty()) return nullptr;
  // One client per distinct setting: schools sharing a model share its circuit breaker.
  const std::string key = config.kind + '\n' + config.url + '\n' + config.model + '\n' + config.embedding_model + '\n' +
                          config.api_key + '\n' + std::to_string(config.first_token_timeout_ms);
  const std::lock_guard lock(mutex_);
  auto& provider = providers_[key];
  if (!provider) {
    ProviderSettings settings;
    settings.kind = config.kind;
    settings.url = config.url;
    settings.model = config.model;
    settings.embedding_model = config.embedding_model;
    settings.api_key = config.api_key;
    settings.first_token_timeout_ms = config.first_token_timeout_ms;
    provider = make_provider(settings);
  }
  return provider.get();
}

Provider* provider_for(ProviderPool& pool, const ProviderConfig& config) {
  try {
    return pool.get(config);
  } catch (const std::invalid_argument& e) {
    spdlog::error("ai: a school's model settings are unusable ({}); the built-in provider answers", e.what());
    return nullptr;
  }
}

void SchoolAiService::check_reader(const RequestContext& ctx, const std::string& school_id, soci::session& sql) const {
  const bool platform = ctx.can(Permission::platform_schools_manage);
  // Of the school: its admins, and support (who answer its questions); not its teachers and students.
  const bool own = ctx.school_id && *ctx.school_id == school_id &&
                   (ctx.can(Permission::school_manage) || ctx.can(Permission::jobs_read));
  if ((!platform && !own) || !d_.directory.school_exists(sql, school_id)) throw Error::not_found("No such school.");
}

std::pair<SchoolAi, EffectiveAi> SchoolAiService::read(const RequestContext& ctx, const std::string& school_id) {
  return d_.db.read([&](soci::session& sql) {
    check_reader(ctx, school_id, sql);
    auto stored = repo::find_school_ai(sql, school_id);
    auto settings = stored.value_or(SchoolAi{school_id});
    return std::pair{settings, effective(d_, stored)};
  });
}

std::pair<SchoolAi, EffectiveAi> SchoolAiService::change(const RequestContext& ctx, const std::string& school_id,
                                                         const SchoolAiChange& change) {
  return d_.db.write([&](soci::session& sql) {
    check_reader(ctx, school_id, sql);
    const bool platform = ctx.can(Permission::platform_schools_manage);
    if (!platform && !ctx.can(Permission::school_manage)) throw Error::forbidden("You may not change the school's AI settings.");
    if (!platform && change.touches_model()) {
      throw Error::forbidden("The platform chooses a school's AI model and its space for sources.");
    }
    auto settings = repo::find_school_ai(sql, school_id).value_or(SchoolAi{school_id});
    apply(settings.provider, change.provider);
    apply(settings.url, change.url);
    apply(settings.model, change.model);
    apply(settings.embedding_model, change.embedding_model);
    apply(settings.api_key, change.api_key);
    apply(settings.daily_questions, change.daily_questions);
    apply(settings.sources_quota_mb, change.sources_quota_mb);
    const auto in_force = effective(d_, settings);
    Validation v;
    const auto& p = in_force.provider;
    if (p.kind != "builtin" && p.kind != "ollama" && p.kind != "openai") {
      v.fail("provider", "Choose builtin, ollama or openai.");
    } else if (p.kind != "builtin") {
      if (p.url.empty()) v.fail("url", "Give the model's address.");
      else if (!p.url.starts_with("http://") && !p.url.starts_with("https://")) v.fail("url", "The model's address starts with http:// or https://.");
      if (p.model.empty()) v.fail("model", "Name the model.");
    }
    if (settings.daily_questions && (*settings.daily_questions < 0 || *settings.daily_questions > 1000)) {
      v.fail("daily_questions", "A student may ask 0 to 1000 questions a day.");
    }
    if (settings.sources_quota_mb && (*settings.sources_quota_mb < 1 || *settings.sources_quota_mb > 1'000'000)) {
      v.fail("sources_quota_mb", "The space for sources is 1 to 1,000,000 MiB.");
    }
    v.throw_if_failed();
    settings.updated_at = ctx.now_ms();
    settings.updated_by = ctx.user_id;
    repo::save_school_ai(sql, settings);
    // Which settings changed, never their values (an API key must not reach the log).
    boost::json::array changed;
    for (const auto& [name, touched] : {std::pair{"provider", change.provider.has_value()}, {"url", change.url.has_value()},
                                        {"model", change.model.has_value()}, {"embedding_model", change.embedding_model.has_value()},
                                        {"api_key", change.api_key.has_value()}, {"daily_questions", change.daily_questions.has_value()},
                                        {"sources_quota_mb", change.sources_quota_mb.has_value()}}) {
      if (touched) changed.emplace_back(name);
    }
    record_activity(sql, ctx, "ai_settings.changed", "school", school_id,
                    boost::json::serialize(boost::json::object{{"changed", std::move(changed)}}));
    return std::pair{settings, in_force};
  });
}

}  // namespace mnemos::ai
