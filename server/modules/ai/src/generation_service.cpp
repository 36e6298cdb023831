// Cards generated from a path's sources into the teacher's validation queue (docs/ai.md).
#include <mnemos/core/activity.hpp>
#include <mnemos/core/db.hpp>
#include <mnemos/core/error.hpp>

#include "generation.hpp"
#include "generation_service.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>

namespace mnemos::ai {
namespace {

constexpr std::size_t kPassagesForRules = 300;
constexpr std::size_t kPassagesForModel = 6;

std::vector<std::pair<StoredPassage, std::string>> passages_of(soci::session& sql, const std::string& school_id,
                                                               const std::vector<Source>& sources, std::size_t limit) {
  std::vector<std::pair<StoredPassage, std::string>> out;
  for (const auto& source : sources) {
    if (source.status != "ready") continue;
    for (auto& p : db::fetch_rows<StoredPassage>(
             sql,
             "SELECT id, school_id, source_id, position, heading, page, text FROM ai_passages WHERE school_id = :school "
             "AND source_id = :source ORDER BY position",
             [](db::Prepared& prepared, StoredPassage& row) {
               prepared, soci::into(row.id), soci::into(row.school_id), soci::into(row.source_id),
                   soci::into(row.position), soci::into(row.heading), soci::into(row.page), soci::into(row.text);
             },
             soci::use(school_id), soci::use(source.id))) {
      if (out.size() >= limit) return out;
      out.emplace_back(std::move(p), source.language.value_or("french"));
    }
  }
  return out;
}

}  // namespace

Generated GenerationService::generate(const RequestContext& ctx, const std::string& step_id, const GenerationRequest& request) {
  if (request.count < 1 || request.count > 30) throw Error::invalid("count", "Ask for 1 to 30 cards.");
  for (const auto& kind : request.kinds) {
    if (kind != "flashcard" && kind != "cloze" && kind != "choice") {
      throw Error::invalid("kinds", "Choose among flashcard, cloze and choice.");
    }
  }
  if (request.kinds.empty()) throw Error::invalid("kinds", "Choose among flashcard, cloze and choice.");
  // What to read, then the cards (a model may take seconds: outside any transaction).
  struct Input {
    learning::PathRef path;
    std::vector<PassageForAnswer> passages;
    fulltext::Language language = fulltext::Language::french;
    Provider* provider = nullptr;  // the school's model; nullptr: rules
  };
  const Input input = d_.db.read([&](soci::session& sql) {
    Input in;
    in.path = d_.paths.editable_step(sql, ctx, step_id);
    if (auto refusal = d_.plan.refusal(sql, ctx.school(), "ai_tutor", 1)) throw Error(ErrorCode::limit_reached, *refusal);
    if (auto refusal = d_.plan.refusal(sql, ctx.school(), "ai_requests", 1)) throw Error(ErrorCode::limit_reached, *refusal);
    const auto rows = passages_of(sql, ctx.school(), repo::sources_of(sql, ctx.school(), in.path.id), kPassagesForRules);
    std::map<std::string, int> languages;
    for (const auto& [p, language] : rows) {
      in.passages.push_back({p.source_id, p.id, p.heading, p.text});
      ++languages[language];
    }
    if (languages["english"] > languages["french"]) in.language = fulltext::Language::english;
    in.provider = provider_for(providers_, effective(d_, repo::find_school_ai(sql, ctx.school())).provider);
    return in;
  });
  if (input.passages.empty()) {
    throw Error::conflict("This path has no ready source to make cards from: add a document first.");
  }
  Generated result;
  std::vector<GeneratedCard> cards;
  if (input.provider != nullptr) {
    std::vector<PassageForAnswer> chosen(input.passages.begin(),
                                         input.passages.begin() + std::min(input.passages.size(), kPassagesForModel));
    ChatRequest chat;
    chat.json = true;
    chat.temperature = 0.3;
    chat.max_tokens = 2500;
    chat.messages.push_back({"user", generation_prompt(chosen, input.language, request)});
    for (int attempt = 0; attempt < 2 && cards.empty(); ++attempt) {  // an invalid reply is asked again once
      try {
        const auto reply = input.provider->chat(chat, [](std::string_view) {});
        cards = cards_from_model(reply.text, chosen, result.rejected);
        result.provider = std::string(input.provider->name());
      } catch (const ProviderError& e) {
        spdlog::warn("ai: generation by {} failed ({}); the rules stand in", input.provider->name(), e.detail);
        result.fallback = true;
        break;
      }
    }
    if (cards.empty() && !result.fallback) result.fallback = true;
  }
  if (cards.empty()) {
    result.provider = "builtin";
    cards = generate_by_rules(input.passages, input.language, request);
  }
  if (static_cast<int>(cards.size()) > request.count) cards.resize(static_cast<std::size_t>(request.count));
  return d_.db.write([&](soci::session& sql) {
    std::vector<learning::GeneratedItem> items;
    for (const auto& card : cards) items.push_back({card.kind, card.content});
    const auto added = d_.paths.add_generated(sql, ctx, step_id, items);
    for (const auto& reason : added.rejected) result.rejected.push_back(reason);
    const std::int64_t now = ctx.now_ms();
    for (std::size_t i = 0; i < added.item_ids.size(); ++i) {
      const auto& card = cards[added.kept[i]];
      sql << "INSERT INTO ai_generated (item_id, school_id, step_id, source_id, passage_id, provider, created_at) "
             "VALUES (:item, :school, :step, :source, :passage, :provider, :at)",
          soci::use(added.item_ids[i]), soci::use(ctx.school()), soci::use(step_id), soci::use(card.source_id),
          soci::use(card.passage_id), soci::use(result.provider), soci::use(now);
      result.created.push_back({added.item_ids[i], card.kind, card.source_id, card.passage_id});
    }
    d_.usage.add(sql, ctx.school(), "ai_requests", 1, now);
    record_activity(sql, ctx, "ai_cards.generated", "learning_step", step_id,
                    boost::json::serialize(boost::json::object{{"count", result.created.size()}, {"provider", result.provider}}));
    return result;
  });
}

std::vector<GeneratedOrigin> GenerationService::origins(const RequestContext& ctx, const std::string& step_id) {
  return d_.db.read([&](soci::session& sql) {
    d_.paths.editable_step(sql, ctx, step_id);
    auto rows = db::fetch_rows<GeneratedOrigin>(
        sql,
        "SELECT g.item_id, g.source_id, CASE WHEN s.origin = 'lessons' THEN '' ELSE s.name END, g.passage_id, p.heading, p.page, p.text FROM ai_generated g "
        "JOIN ai_passages p ON p.id = g.passage_id JOIN ai_sources s ON s.id = g.source_id "
        "WHERE g.school_id = :school AND g.step_id = :step ORDER BY g.created_at, g.item_id",
        [](db::Prepared& prepared, GeneratedOrigin& o) {
          prepared, soci::into(o.item_id), soci::into(o.source_id), soci::into(o.source_name), soci::into(o.passage_id),
              soci::into(o.heading), soci::into(o.page), soci::into(o.passage);
        },
        soci::use(ctx.school()), soci::use(step_id));
    // The path's lessons have no file name: named in the reader's language.
    for (auto& o : rows) {
      if (o.source_name.empty()) o.source_name = shown_name(Source{.origin = "lessons"}, ctx.locale);
    }
    return rows;
  });
}

}  // namespace mnemos::ai
