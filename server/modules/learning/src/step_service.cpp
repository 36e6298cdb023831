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

object PathService::add_step(const RequestContext& ctx, const std::string& path_id,
                             const boost::json::value& body) {
  return write_content(d_, [&](soci::session& sql) {
    const Path path = access_.editable(sql, ctx, path_id);
    json::Fields f(body);
    only_fields(f, {"title", "kind", "unlock_rule", "prerequisite_step_id", "unlock_at"}, "");
    const StepInput in = step_input(f);
    if (!in.title) f.validation().fail("title", "Give a title.");
    const auto steps = repo::steps_of(sql, path.id);
    if (steps.size() >= kMaxSteps) f.validation().fail("title", "A path has at most 100 steps.");
    Step step;
    step.id = new_id();
    step.school_id = path.school_id;
    step.path_id = path.id;
    step.position = steps.empty() ? 0 : steps.back().position + 1;
    step.kind = "cards";
    step.unlock_rule = steps.empty() ? "open" : "sequential";
    step.created_at = step.updated_at = ctx.now_ms();
    apply(step, in, steps, f.validation(), "");
    f.done();
    repo::insert_step(sql, step);
    record_activity(sql, ctx, "learning_step.created", "learning_step", step.id, labelled(step.title));
    return step_json(step);
  });
}

object PathService::reorder_steps(const RequestContext& ctx, const std::string& path_id,
                                  const boost::json::value& body) {
  return write_content(d_, [&](soci::session& sql) {
    const Path path = access_.editable(sql, ctx, path_id);
    json::Fields f(body);
    only_fields(f, {"step_ids"}, "");
    const auto order = f.optional_string_list("step_ids", kMaxSteps, 40);
    auto steps = repo::steps_of(sql, path.id);
    std::set<std::string> existing;
    for (const auto& s : steps) existing.insert(s.id);
    if (!order || std::set<std::string>(order->begin(), order->end()) != existing ||
        order->size() != existing.size()) {
      f.validation().fail("step_ids", "List every step of the path once, in the new order.");
    }
    f.done();
    std::map<std::string, int> position;
    for (std::size_t i = 0; i < order->size(); ++i) position[(*order)[i]] = static_cast<int>(i);
    array out;
    std::sort(steps.begin(), steps.end(),
              [&](const Step& a, const Step& b) { return position[a.id] < position[b.id]; });
    for (auto& s : steps) {
      s.position = position[s.id];
      s.updated_at = ctx.now_ms();
      repo::update_step(sql, s);
      out.push_back(step_json(s));
    }
    record_activity(sql, ctx, "learning_path.reordered", "learning_path", path.id, labelled(path.title));
    return object{{"steps", std::move(out)}};
  });
}

object PathService::update_step(const RequestContext& ctx, const std::string& step_id,
                                const boost::json::value& body) {
  return write_content(d_, [&](soci::session& sql) {
    auto [step, path] = access_.editable_step(sql, ctx, step_id);
    json::Fields f(body);
    only_fields(f, {"title", "kind", "unlock_rule", "prerequisite_step_id", "unlock_at"}, "");
    const StepInput in = step_input(f);
    const auto steps = repo::steps_of(sql, path.id);
    const std::string old_kind = step.kind;
    apply(step, in, steps, f.validation(), "");
    if (in.kind && *in.kind != old_kind && !repo::items_of(sql, step.id).empty() &&
        ((old_kind == "lesson" || old_kind == "tutor") != (step.kind == "lesson" || step.kind == "tutor"))) {
      f.validation().fail("kind", "Remove the step's items before making it hold another kind of content.");
    }
    // A prerequisite chain must not loop back to this step.
    if (step.prerequisite_step_id) {
      std::map<std::string, std::optional<std::string>> requires_step;
      for (const auto& s : steps) requires_step[s.id] = s.prerequisite_step_id;
      requires_step[step.id] = step.prerequisite_step_id;
      std::optional<std::string> at = step.prerequisite_step_id;
      for (std::size_t hops = 0; at && hops <= steps.size(); ++hops) {
        if (*at == step.id) {
          f.validation().fail("prerequisite_step_id", "These prerequisites would wait on each other forever.");
          break;
        }
        at = requires_step[*at];
      }
    }
    f.done();
    step.updated_at = ctx.now_ms();
    repo::update_step(sql, step);
    record_activity(sql, ctx, "learning_step.updated", "learning_step", step.id, labelled(step.title));
    return step_json(step);
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
  });
}

// --- Items ----------------------------------------------------------------------------------

object PathService::step(const RequestContext& ctx, const std::string& step_id) {
  return d_.db.read([&](soci::session& sql) {
    const auto [step, path] = access_.readable_step(sql, ctx, step_id);
    object out = step_json(step);
    array list;
    for (const auto& i : repo::items_of(sql, step.id)) list.push_back(item_json(i));
    out["items"] = std::move(list);
    return out;
  });
}

object PathService::item(const RequestContext& ctx, const std::string& item_id) {
  return d_.db.read([&](soci::session& sql) {
    auto item = repo::find_item(sql, ctx.school(), item_id);
    if (!item) throw Error::not_found("No such item.");
    try {
      access_.readable_step(sql, ctx, item->step_id);
    } catch (const Error& e) {
      if (e.code() == ErrorCode::not_found) throw Error::not_found("No such item.");
      throw;
    }
    return item_json(*item);
  });
}

array PathService::items(const RequestContext& ctx, const std::string& step_id) {
  return d_.db.read([&](soci::session& sql) {
    const auto [step, path] = access_.readable_step(sql, ctx, step_id);
    array out;
    for (const auto& i : repo::items_of(sql, step.id)) out.push_back(item_json(i));
    return out;
  });
}

object PathService::add_item(const RequestContext& ctx, const std::string& step_id,
                             const boost::json::value& body) {
  return write_content(d_, [&](soci::session& sql) {
    auto [step, path] = access_.editable_step(sql, ctx, step_id);
    json::Fields f(body);
    only_fields(f, {"kind", "content", "tags", "origin", "validation"}, "");
    const auto existing = repo::items_of(sql, step.id);
    if (existing.size() >= kMaxItemsPerStep) throw Error::conflict("A step holds at most 2000 items.");
    Item item = item_from(f, step, ctx, repo::next_item_position(sql, step.id), "");
    f.done();
    repo::insert_item(sql, item);
    record_activity(sql, ctx, "learning_item.created", "learning_item", item.id, labelled(item_label(item)));
    return item_json(item);
  });
}

object PathService::update_item(const RequestContext& ctx, const std::string& item_id,
                                const boost::json::value& body) {
  return write_content(d_, [&](soci::session& sql) {
    auto item = repo::find_item(sql, ctx.school(), item_id);
    if (!item) throw Error::not_found("No such item.");
    Step step;
    try {
      step = access_.editable_step(sql, ctx, item->step_id).first;
    } catch (const Error& e) {
      if (e.code() == ErrorCode::not_found) throw Error::not_found("No such item.");
      throw;
    }
    json::Fields f(body);
    only_fields(f, {"content", "tags", "validation", "position"}, "");
    if (const auto* content = f.object().if_contains("content")) {
      try {
        item->content = checked_content(item->kind, *content);
      } catch (const Error& e) {
        if (e.code() != ErrorCode::invalid) throw;
        for (const auto& fe : e.fields()) f.validation().fail(fe.field, fe.message);
      }
    }
    if (auto tags = f.optional_string_list("tags", 20, 40)) {
      item->tags = tags_text(*tags, f.validation(), "tags");
    }
    if (auto validation = f.optional_string("validation", 20)) {
      if (*validation != "pending" && *validation != "validated" && *validation != "rejected") {
        f.validation().fail("validation", "Use pending, validated or rejected.");
      }
      item->validation = *validation;
    }
    if (auto position = f.optional_int("position", 0, 100000)) item->position = static_cast<int>(*position);
    f.done();
    item->updated_at = ctx.now_ms();
    repo::update_item(sql, *item);
    record_activity(sql, ctx, "learning_item.updated", "learning_item", item->id, labelled(item_label(*item)));
    return item_json(*item);
  });
}

void PathService::delete_item(const RequestContext& ctx, const std::string& item_id) {
  write_content(d_, [&](soci::session& sql) {
    auto item = repo::find_item(sql, ctx.school(), item_id);
    if (!item) throw Error::not_found("No such item.");
    try {
      access_.editable_step(sql, ctx, item->step_id);
    } catch (const Error& e) {
      if (e.code() == ErrorCode::not_found) throw Error::not_found("No such item.");
      throw;
    }
    repo::delete_item(sql, ctx.school(), item->id);
    record_activity(sql, ctx, "learning_item.deleted", "learning_item", item->id, labelled(item_label(*item)));
  });
}

}  // namespace mnemos::learning
