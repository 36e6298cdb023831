#pragma once
#include <mnemos/ai/module.hpp>
#include <mnemos/core/context.hpp>

#include "generation.hpp"
#include "providers.hpp"
#include "school_settings.hpp"
#include "sources.hpp"

namespace mnemos::ai {

struct Generated {
  struct Card {
    std::string item_id, kind, source_id, passage_id;
  };
  std::vector<Card> created;
  std::vector<std::string> rejected;  // why some were left out (a model's invalid output, a content check)
  std::string provider = "builtin";
  bool fallback = false;  // the model failed or wrote nothing usable: the rules stand in
};

// Where a generated card came from, for the validation queue's side-by-side view.
struct GeneratedOrigin {
  std::string item_id, source_id, source_name, passage_id, heading;
  int page = 0;
  std::string passage;
};

class GenerationService {
 public:
  GenerationService(const Dependencies& deps, ProviderPool& providers) : d_(deps), providers_(providers) {}
  Generated generate(const RequestContext& ctx, const std::string& step_id, const GenerationRequest& request);
  std::vector<GeneratedOrigin> origins(const RequestContext& ctx, const std::string& step_id);

 private:
  const Dependencies& d_;
  ProviderPool& providers_;
};

}  // namespace mnemos::ai
