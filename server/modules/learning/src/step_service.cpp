// Steps and items: the content of a path (docs/learning.md).
#include <mnemos/core/activity.hpp>
#include <mnemos/core/db.hpp>
#include <mnemos/core/ids.hpp>
#include <mnemos/core/jobs.hpp>

#include "authoring.hpp"
#include "content.hpp"
#include "repository.hpp"
#include "views.hpp"

#include <boost/json/array.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace mnemos::learning {

using boost::json::array;
using boost::json::object;
using namespace authoring;

Step PathService::add_step(const RequestContext& ctx, const std::string& path_id, const Parsed<StepInput>& input) {
  return write_content(d_, [&](soci::session& sql) {
    const Path path = access_.editable(sql, ctx, path_id);
    const StepInput& in = input.get();
    Validation v;
    if (!in.title) v.fail("title", "Give a title.");
    const auto steps = repo::steps_of(sql, path.id);
    if (steps.size() >= kMaxSteps) v.fail("title", "A path has at most 100 steps.");
    Step step;
    step.id = new_id();
    step.school_id = path.school_id;
    step.path_id = path.id;
    step.position = steps.empty() ? 0 : steps.back().position + 1;
    step.kind = "cards";
    step.unlock_rule = steps.empty() ? "open" : "sequential";
    step.created_at = step.updated_at = ctx.now_ms();
    apply(step, in, steps, v, "");
    v.throw_if_failed();
    repo::insert_step(sql, step);
    record_activity(sql, ctx, "learning_step.created", "learning_step", step.id, labelled(step.title));
    return step;
  });
}

std::vector<Step> PathService::reorder_steps(const RequestContext& ctx, const std::string& path_id,
                                             const Parsed<std::vector<std::string>>& input) {
  return write_content(d_, [&](soci::session& sql) {
    const Path path = access_.editable(sql, ctx, path_id);
    const auto& order = input.get();
    auto steps = repo::steps_of(sql, path.id);
    std::set<std::string> existing;
    for (const auto& s : steps) existing.insert(s.id);
    if (std::set<std::string>(order.begin(), order.end()) != existing || order.size() != existing.size()) {
      throw Error::invalid("step_ids", "List every step of the path once, in the new order.");
    }
    std::map<std::string, int> position;
    for (std::size_t i = 0; i < order.size(); ++i) position[order[i]] = static_cast<int>(i);
    std::sort(steps.begin(), steps.end(),
              [&](const Step& a, const Step& b) { return position[a.id] < position[b.id]; });
    for (auto& s : steps) {
      s.position = position[s.id];
      s.updated_at = ctx.now_ms();
      repo::update_step(sql, s);
    }
    record_activity(sql, ctx, "learning_path.reordered", "learning_path", path.id, labelled(path.title));
    return steps;
  });
}

Step PathService::update_step(const RequestContext& ctx, const std::string& step_id, const Parsed<StepInput>& input) {
  return write_content(d_, [&](soci::session& sql) {
    auto [step, path] = access_.editable_step(sql, ctx, step_id);
    const StepInput& in = input.get();
    Validation v;
    const auto steps = repo::steps_of(sql, path.id);
    const std::string old_kind = step.kind;
    apply(step, in, steps, v, "");
    if (in.kind && *in.kind != old_kind && !repo::items_of(sql, step.id).empty() &&
        ((old_kind == "lesson" || old_kind == "tutor") != (step.kind == "lesson" || step.kind == "tutor"))) {
      v.fail("kind", "Remove the step's items before making it hold another kind of content.");
    }
    // A prerequisite chain must not loop back to this step.
    if (step.prerequisite_step_id) {
      std::map<std::string, std::optional<std::string>> requires_step;
      for (const auto& s : steps) requires_step[s.id] = s.prerequisite_step_id;
      requires_step[step.id] = step.prerequisite_step_id;
      std::optional<std::string> at = step.prerequisite_step_id;
      for (std::size_t hops = 0; at && hops <= steps.size(); ++hops) {
        if (*at == step.id) {
          v.fail("prerequisite_step_id", "These prerequisites would wait on each other forever.");
          break;
        }
        at = requires_step[*at];
      }
    }
    v.throw_if_failed();
    step.updated_at = ctx.now_ms();
    repo::update_step(sql, step);
    record_activity(sql, ctx, "learning_step.updated", "learning_step", step.id, labelled(step.title));
    return step;
  });
}

void PathService::delete_step(const RequestContext& ctx, const std::string& step_id) {
  write_content(d_, [&](soci::session& sql) {
    auto [step, path] = access_.editable_step(sql, ctx, step_id);
    // Steps that waited on this one now follow the order of the path.
    for (auto s : repo::steps_of(sql, path.id)) {
      if (s.prerequisite_step_id == step.id) {
        s.unlock_rule = "sequential";
        s.prerequisite_step_id.reset();
        s.updated_at = ctx.now_ms();
        repo::update_step(sql, s);
      }
    }
    repo::delete_step(sql, path.school_id, step.id);
    record_activity(sql, ctx, "learning_step.deleted", "learning_step", step.id, labelled(step.title));
    if (step.kind == "lesson" || step.kind == "tutor") authoring::lessons_changed(sql, d_, path.school_id, path.id);
  });
}

// --- Items ----------------------------------------------------------------------------------

std::pair<Step, std::vector<Item>> PathService::step(const RequestContext& ctx, const std::string& step_id) {
  return d_.db.read([&](soci::session& sql) {
    auto [step, path] = access_.readable_step(sql, ctx, step_id);
    auto items = repo::items_of(sql, step.id);
    return std::pair{std::move(step), std::move(items)};
  });
}

Item PathService::item(const RequestContext& ctx, const std::string& item_id) {
  return d_.db.read([&](soci::session& sql) {
    return access_.readable_item(sql, ctx, item_id);
  });
}

std::vector<Item> PathService::items(const RequestContext& ctx, const std::string& step_id) {
  return d_.db.read([&](soci::session& sql) {
    const auto [step, path] = access_.readable_step(sql, ctx, step_id);
    return repo::items_of(sql, step.id);
  });
}

Item PathService::add_item(const RequestContext& ctx, const std::string& step_id, const Parsed<ItemInput>& input) {
  return write_content(d_, [&](soci::session& sql) {
    auto [step, path] = access_.editable_step(sql, ctx, step_id);
    const ItemInput& in = input.get();
    const auto existing = repo::items_of(sql, step.id);
    if (existing.size() >= kMaxItemsPerStep) throw Error::conflict("A step holds at most 2000 items.");
    Validation v;
    Item item = item_from(in, step, ctx, repo::next_item_position(sql, step.id), "", v);
    v.throw_if_failed();
    repo::insert_item(sql, item);
    record_activity(sql, ctx, "learning_item.created", "learning_item", item.id, labelled(item_label(item)));
    authoring::item_changed(sql, d_, item);
    return item;
  });
}

Item PathService::update_item(const RequestContext& ctx, const std::string& item_id, const Parsed<ItemInput>& input) {
  return write_content(d_, [&](soci::session& sql) {
    auto item = access_.editable_item(sql, ctx, item_id);
    const ItemInput& in = input.get();
    Validation v;
    if (in.content) {
      try {
        item.content = checked_content(item.kind, *in.content);
      } catch (const Error& e) {
        if (e.code() != ErrorCode::invalid) throw;
        for (const auto& fe : e.fields()) v.fail(fe.field, fe.message);
      }
    }
    if (in.tags) item.tags = tags_text(*in.tags, v, "tags");
    if (in.validation) item.validation = *in.validation;
    if (in.position) item.position = *in.position;
    v.throw_if_failed();
    item.updated_at = ctx.now_ms();
    repo::update_item(sql, item);
    record_activity(sql, ctx, "learning_item.updated", "learning_item", item.id, labelled(item_label(item)));
    authoring::item_changed(sql, d_, item);
    return item;
  });
}

std::pair<int, int> PathService::review_items(const RequestContext& ctx, const std::string& step_id,
                                              const Parsed<ReviewInput>& input) {
  return write_content(d_, [&](soci::session& sql) {
    auto [step, path] = access_.editable_step(sql, ctx, step_id);
    const ReviewInput& in = input.get();
    std::map<std::string, Item> items;
    for (auto& item : repo::items_of(sql, step.id)) items.emplace(item.id, std::move(item));
    Validation v;
    for (const auto* list : {&in.validated, &in.rejected}) {
      const std::string field = list == &in.validated ? "validated" : "rejected";
      for (const auto& id : *list) {
        if (!items.contains(id)) {
          v.fail(field, "No item of this step has the id " + id + ".");
          break;
        }
      }
    }
    for (const auto& id : in.validated) {
      if (std::find(in.rejected.begin(), in.rejected.end(), id) != in.rejected.end()) {
        v.fail("rejected", "An item is either validated or rejected, not both.");
        break;
      }
    }
    v.throw_if_failed();
    std::pair<int, int> changed{0, 0};
    for (const auto* list : {&in.validated, &in.rejected}) {
      const std::string verdict = list == &in.validated ? "validated" : "rejected";
      for (const auto& id : *list) {
        Item& item = items.at(id);
        if (item.validation == verdict) continue;
        item.validation = verdict;
        item.updated_at = ctx.now_ms();
        repo::update_item(sql, item);
        (list == &in.validated ? changed.first : changed.second)++;
      }
    }
    record_activity(sql, ctx, "learning_items.reviewed", "learning_step", step.id,
                    "{\"validated\":" + std::to_string(changed.first) + ",\"rejected\":" + std::to_string(changed.second) + "}");
    return changed;
  });
}

void PathService::delete_item(const RequestContext& ctx, const std::string& item_id) {
  write_content(d_, [&](soci::session& sql) {
    const auto item = access_.editable_item(sql, ctx, item_id);
    authoring::item_changed(sql, d_, item);  // before the row goes: its step is read
    repo::delete_item(sql, ctx.school(), item.id);
    record_activity(sql, ctx, "learning_item.deleted", "learning_item", item.id, labelled(item_label(item)));
  });
}

}  // namespace mnemos::learning
