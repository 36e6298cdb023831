#pragma once
// A school's AI settings (docs/ai.md, "Per school"): the model the platform chose for it and the
// school's own limits, each unset one taking the server's default; and the pool of provider
// clients, one per distinct model setting, shared by the schools that use it.
#include <mnemos/ai/module.hpp>
#include <mnemos/core/context.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace soci {
class session;
}

namespace mnemos::ai {

class Provider;

struct SchoolAi {
  std::string school_id;
  std::optional<std::string> provider;  // builtin | ollama | openai
  std::optional<std::string> url;
  std::optional<std::string> model;
  std::optional<std::string> embedding_model;
  std::optional<std::string> api_key;  // never logged, never returned
  std::optional<int> daily_questions;
  std::optional<int> sources_quota_mb;
  std::int64_t updated_at = 0;
  std::optional<std::string> updated_by;
};

// What a PUT changes; an explicit null puts the default back.
template <typename T>
using Change = std::optional<std::optional<T>>;
struct SchoolAiChange {
  Change<std::string> provider, url, model, embedding_model, api_key;
  Change<int> daily_questions, sources_quota_mb;
  bool touches_model() const { return provider || url || model || embedding_model || api_key || sources_quota_mb; }
};

namespace repo {
std::optional<SchoolAi> find_school_ai(soci::session& sql, const std::string& school_id);
void save_school_ai(soci::session& sql, const SchoolAi& settings);
}  // namespace repo

// The settings in force for a school: its own where set, the server's otherwise.
struct EffectiveAi {
  ProviderConfig provider;
  int daily_questions = 0;
  std::int64_t sources_quota_bytes = 0;
};
EffectiveAi effective(const Dependencies& deps, const std::optional<SchoolAi>& school);

class ProviderPool {
 public:
  explicit ProviderPool(const ProviderConfig& defaults);
  ~ProviderPool();
  // nullptr: the built-in provider. Throws std::invalid_argument when the settings are incomplete.
  Provider* get(const ProviderConfig& config);

 private:
  std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Provider>> providers_;
};

// The pool's client for a school's settings; a setting that no longer makes a client (saved before
// a check existed) falls back to the built-in provider, logged, rather than failing every question.
Provider* provider_for(ProviderPool& pool, const ProviderConfig& config);

class SchoolAiService {
 public:
  explicit SchoolAiService(const Dependencies& deps) : d_(deps) {}
  // The platform reads any school's; a school's admins and support read their own (404 otherwise).
  std::pair<SchoolAi, EffectiveAi> read(const RequestContext& ctx, const std::string& school_id);
  // The platform changes anything; a school's admin its students' daily questions only.
  std::pair<SchoolAi, EffectiveAi> change(const RequestContext& ctx, const std::string& school_id,
                                          const SchoolAiChange& change);

 private:
  void check_reader(const RequestContext& ctx, const std::string& school_id, soci::session& sql) const;
  const Dependencies& d_;
};

}  // namespace mnemos::ai
