// The learning module's answers to other modules (include/mnemos/learning/catalog.hpp), decided
// by the same Access rules as its own routes.
#include <mnemos/learning/catalog.hpp>

#include <mnemos/core/db.hpp>
#include <mnemos/core/error.hpp>
#include <mnemos/core/ids.hpp>
#include <mnemos/core/json.hpp>

#include "content.hpp"
#include "repository.hpp"
#include "services.hpp"

#include <set>
#include <utility>

namespace mnemos::learning {
namespace {

// The question of a card in words, as the student reads it.
std::string prompt_text(const Item& item, int variant) {
  const auto prompt = prompt_of(item, variant);
  for (const char* key : {"question", "front", "text"}) {
    if (const auto* value = prompt.if_contains(key); value != nullptr && value->is_string()) {
      return std::string(value->as_string());
    }
  }
  return {};
}

PathRef ref_of(const Path& path) {
  return {path.id, path.school_id, path.owner_id, path.subject_id, path.title, path.status};
}

class AccessCatalog final : public Catalog {
 public:
  explicit AccessCatalog(Deps deps) : deps_(deps), access_(deps) {}

  PathRef editable(soci::session& sql, const RequestContext& ctx, const std::string& path_id) const override {
    return ref_of(access_.editable(sql, ctx, path_id));
  }

  PathRef usable(soci::session& sql, const RequestContext& ctx, const std::string& path_id) const override {
    if (ctx.roles.has(Role::student) && !ctx.can(Permission::paths_manage)) {
      return ref_of(access_.assigned(sql, ctx, path_id));
    }
    return ref_of(access_.readable(sql, ctx, path_id));
  }

  PathRef editable_step(soci::session& sql, const RequestContext& ctx, const std::string& step_id) const override {
    return ref_of(access_.editable_step(sql, ctx, step_id).second);
  }

  GeneratedItems add_generated(soci::session& sql, const RequestContext& ctx, const std::string& step_id,
                               const std::vector<GeneratedItem>& items) const override {
    const auto [step, path] = access_.editable_step(sql, ctx, step_id);
    GeneratedItems out;
    int position = repo::next_item_position(sql, step.id);
    std::size_t count = repo::items_of(sql, step.id).size();
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (count >= kMaxItemsPerStep) {
        out.rejected.push_back("the step is full");
        continue;
      }
      Item item;
      try {
        item.content = checked_content(items[i].kind, json::parse(items[i].content_json));
      } catch (const Error& e) {
        out.rejected.push_back(e.fields().empty() ? e.what() : e.fields().front().field + ": " + e.fields().front().message);
        continue;
      }
      item.id = new_id();
      item.school_id = path.school_id;
      item.step_id = step.id;
      item.position = position++;
      item.kind = items[i].kind;
      item.origin = "generated";
      item.validation = "pending";
      item.created_by = *ctx.user_id;
      item.created_at = item.updated_at = ctx.now_ms();
      repo::insert_item(sql, item);
      out.item_ids.push_back(item.id);
      out.kept.push_back(i);
      ++count;
    }
    deps_.cache.content_changed();
    return out;
  }

  std::vector<std::string> step_ids_of(soci::session& sql, const PathRef& path) const override {
    std::vector<std::string> ids;
    for (const auto& step : repo::steps_of(sql, path.id)) ids.push_back(step.id);
    return ids;
  }

  std::vector<CardAnswer> answers_of(soci::session& sql, const PathRef& path) const override {
    std::vector<CardAnswer> out;
    for (const auto& step : repo::steps_of(sql, path.id)) {
      for (const auto& item : repo::items_of(sql, step.id)) {
        // A rejected card never reaches a student: its answer is no secret to keep.
        if (!is_card_kind(item.kind) || item.validation == "rejected") continue;
        for (const int variant : variants_of(item)) {
          CardAnswer answer{item.id, step.id, prompt_text(item, variant), expected_in_words(item, variant)};
          if (!answer.answers.empty()) out.push_back(std::move(answer));
        }
      }
    }
    return out;
  }

  std::vector<std::string> people_of(soci::session& sql, const PathRef& ref) const override {
    const auto path = repo::find_path(sql, ref.school_id, ref.id);
    if (!path) return {};
    std::set<std::string> ids{path->owner_id};
    for (auto& id : repo::path_teachers(sql, path->id)) ids.insert(std::move(id));
    if (path->status == "active") {
      for (const auto& student : access_.students_of(sql, *path)) ids.insert(student.id);
    }
    return {ids.begin(), ids.end()};
  }

  std::vector<std::string> paths_of_class(soci::session& sql, const std::string& school_id,
                                          const std::string& class_id) const override {
    return repo::paths_assigned_to(sql, school_id, "class", class_id);
  }

  MissedCards missed_in_session(soci::session& sql, const RequestContext& ctx,
                                const std::string& session_id) const override {
    const auto session = repo::find_session(sql, ctx.school(), session_id);
    if (!session || !ctx.user_id || session->student_id != *ctx.user_id) {
      throw Error::not_found("No such revision session.");
    }
    MissedCards out{usable(sql, ctx, session->path_id), {}};
    std::set<std::pair<std::string, int>> seen;
    for (const auto& review : repo::reviews_of_session(sql, session->id)) {
      const bool missed = review.rating == 1 || (review.correct && *review.correct == 0);
      if (!missed || !seen.emplace(review.item_id, review.variant).second) continue;
      const auto item = repo::find_item(sql, ctx.school(), review.item_id);
      if (!item) continue;  // deleted since
      out.cards.push_back({item->id, item->step_id, prompt_text(*item, review.variant),
                           expected_in_words(*item, review.variant)});
    }
    return out;
  }

  std::optional<PathRef> find(soci::session& sql, const std::string& school_id,
                              const std::string& path_id) const override {
    const auto path = repo::find_path(sql, school_id, path_id);
    if (!path) return std::nullopt;
    return ref_of(*path);
  }

  std::vector<LessonText> lessons_of(soci::session& sql, const PathRef& path) const override {
    std::vector<LessonText> out;
    for (const auto& step : repo::steps_of(sql, path.id)) {
      if (step.kind != "lesson" && step.kind != "tutor") continue;
      for (const auto& item : repo::items_of(sql, step.id)) {
        if (item.kind != "lesson" || item.validation == "rejected") continue;
        const auto content = json::parse(item.content);
        const auto* markdown = content.is_object() ? content.as_object().if_contains("markdown") : nullptr;
        if (markdown == nullptr || !markdown->is_string() || markdown->get_string().empty()) continue;
        out.push_back({step.id, step.title, std::string(markdown->get_string())});
      }
    }
    return out;
  }

 private:
  Deps deps_;
  Access access_;
};

}  // namespace

std::unique_ptr<Catalog> make_catalog(Deps deps) { return std::make_unique<AccessCatalog>(deps); }

}  // namespace mnemos::learning
