// HTTP routes of the learning module (docs/api.md, openapi.json beside this folder). A route reads
// its body into the service's typed input (inputs.cpp), calls the service and maps what it returns
// to JSON (views.cpp). A body that does not read is refused before any lookup, whatever the id, so
// the answer says nothing about another school's data; what depends on the data is the service's.
#include <mnemos/core/ids.hpp>
#include <mnemos/core/messages.hpp>
#include <mnemos/http/json.hpp>

#include "inputs.hpp"
#include "routes.hpp"
#include "views.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

namespace mnemos::learning {
namespace {

using boost::json::array;
using boost::json::object;
using http::Request;
using http::Response;

Response items_json(array items, int status = 200) {
  return http::json(status, object{{"items", std::move(items)}});
}

// The body read by `parse`, its errors held for the service (Parsed, services.hpp); a body that is
// not JSON is refused at once, as for every route.
template <typename Parse>
auto parsed_body(Parse parse, const Request& req) {
  const auto body = http::body_json(req);
  using Input = std::decay_t<decltype(parse(body))>;
  return Parsed<Input>::read([&] { return parse(body); });
}

template <typename T, typename ToJson>
Response items_json(const std::vector<T>& values, ToJson to_json) {
  array items;
  for (const auto& v : values) items.push_back(to_json(v));
  return items_json(std::move(items));
}

object people_of_path(const PathPeople& result, const char* key) {
  return object{{"path_id", result.path_id}, {key, people_json(result.people)}};
}

}  // namespace

void register_routes(http::Router& router, PathService& paths, RevisionService& revision) {
  const auto read = Permission::paths_read;
  const auto manage = Permission::paths_manage;

  router.get("/api/v1/learning-paths", {.permission = read},
             [&paths](const Request&, RequestContext& ctx) { return items_json(paths.list(ctx), [](const PathView& v) { return path_json(v); }); });
  router.post("/api/v1/learning-paths", {.permission = manage, .body_limit = 4 << 20},
              [&paths](const Request& req, RequestContext& ctx) {
                return http::json(201, path_json(paths.create(ctx, new_path_input(http::body_json(req)))));
              });
  router.get("/api/v1/learning-paths/{id}", {.permission = read},
             [&paths](const Request& req, RequestContext& ctx) {
               return http::json(200, path_json(paths.get(ctx, http::uuid_param(req, "learning path"))));
             });
  router.patch("/api/v1/learning-paths/{id}", {.permission = manage},
               [&paths](const Request& req, RequestContext& ctx) {
                 const auto& id = http::uuid_param(req, "learning path");
                 return http::json(200, path_json(paths.update(ctx, id, parsed_body(path_update_input, req))));
               });
  router.post("/api/v1/learning-paths/{id}/copy", {.permission = manage},
              [&paths](const Request& req, RequestContext& ctx) {
                const auto& id = http::uuid_param(req, "learning path");
                const auto title = req.body.empty() ? Parsed<std::optional<std::string>>(std::nullopt) : parsed_body(copy_input, req);
                return http::json(201, path_json(paths.copy(ctx, id, title)));
              });
  router.put("/api/v1/learning-paths/{id}/assignments", {.permission = manage},
             [&paths](const Request& req, RequestContext& ctx) {
               const auto& id = http::uuid_param(req, "learning path");
               return http::json(200, people_of_path(paths.set_assignments(ctx, id, parsed_body(assignment_input, req)), "assigned_students"));
             });
  router.put("/api/v1/learning-paths/{id}/teachers", {.permission = manage},
             [&paths](const Request& req, RequestContext& ctx) {
               const auto& id = http::uuid_param(req, "learning path");
               return http::json(200, people_of_path(paths.set_teachers(ctx, id, parsed_body(teachers_input, req)), "teachers"));
             });
  router.post("/api/v1/learning-paths/{id}/steps", {.permission = manage},
              [&paths](const Request& req, RequestContext& ctx) {
                const auto& id = http::uuid_param(req, "learning path");
                return http::json(201, step_json(paths.add_step(ctx, id, parsed_body(step_input, req))));
              });
  router.put("/api/v1/learning-paths/{id}/step-order", {.permission = manage},
             [&paths](const Request& req, RequestContext& ctx) {
               const auto& id = http::uuid_param(req, "learning path");
               array steps;
               for (const auto& s : paths.reorder_steps(ctx, id, parsed_body(step_order_input, req))) {
                 steps.push_back(step_json(s));
               }
               return http::json(200, object{{"steps", std::move(steps)}});
             });
  router.get("/api/v1/learning-paths/{id}/export", {.permission = read},
             [&paths](const Request& req, RequestContext& ctx) {
               const auto& id = http::uuid_param(req, "learning path");
               auto [type, filename, body] = paths.export_path(ctx, id, req.query_param("format").value_or("json"));
               Response response = Response::text(200, std::move(body), type);
               response.set_header("content-disposition", "attachment; filename=\"" + filename + "\"");
               return response;
             });
  router.post("/api/v1/learning-paths/{id}/media", {.permission = manage, .body_limit = 2 << 20},
              [&paths](const Request& req, RequestContext& ctx) {
                const auto& id = http::uuid_param(req, "learning path");
                return http::json(201, media_json(paths.add_media(ctx, id, req.header("content-type").value_or(""),
                                                                  req.query_param("name").value_or(""), req.body)));
              });
  // Pictures and sounds are course material of the school: any signed-in member may see them; ids are
  // never reused, so browsers keep them.
  router.get("/api/v1/learning-media/{id}", {}, [&paths](const Request& req, RequestContext& ctx) {
    auto [type, bytes] = paths.media(ctx, http::uuid_param(req, "media file"));
    Response response = Response::text(200, std::move(bytes), type);
    response.set_header("cache-control", "private, max-age=31536000, immutable");
    return response;
  });
  router.get("/api/v1/learning-paths/{id}/preview", {.permission = read},
             [&revision](const Request& req, RequestContext& ctx) {
               return http::json(200, preview_json(revision.preview(ctx, http::uuid_param(req, "learning path"))));
             });
  router.get("/api/v1/learning-paths/{id}/progress", {.permission = read},
             [&revision](const Request& req, RequestContext& ctx) {
               return http::json(200, progress_json(revision.path_progress(ctx, http::uuid_param(req, "learning path"))));
             });

  router.get("/api/v1/steps/{id}", {.permission = read}, [&paths](const Request& req, RequestContext& ctx) {
    auto [step, items] = paths.step(ctx, http::uuid_param(req, "step"));
    object out = step_json(step);
    array list;
    for (const auto& i : items) list.push_back(item_json(i));
    out["items"] = std::move(list);
    return http::json(200, std::move(out));
  });
  router.patch("/api/v1/steps/{id}", {.permission = manage},
               [&paths](const Request& req, RequestContext& ctx) {
                 const auto& id = http::uuid_param(req, "step");
                 return http::json(200, step_json(paths.update_step(ctx, id, parsed_body(step_input, req))));
               });
  router.del("/api/v1/steps/{id}", {.permission = manage}, [&paths](const Request& req, RequestContext& ctx) {
    paths.delete_step(ctx, http::uuid_param(req, "step"));
    return Response::no_content();
  });
  router.get("/api/v1/steps/{id}/items", {.permission = read},
             [&paths](const Request& req, RequestContext& ctx) {
               return items_json(paths.items(ctx, http::uuid_param(req, "step")), [](const Item& i) { return item_json(i); });
             });
  router.post("/api/v1/steps/{id}/items", {.permission = manage, .body_limit = 512 << 10},
              [&paths](const Request& req, RequestContext& ctx) {
                const auto& id = http::uuid_param(req, "step");
                return http::json(201, item_json(paths.add_item(ctx, id, parsed_body([](const auto& body) { return item_input(body, true); }, req))));
              });
  // The validation queue: a step's items validated and rejected in bulk.
  router.post("/api/v1/steps/{id}/items/review", {.permission = manage, .body_limit = 256 << 10},
              [&paths](const Request& req, RequestContext& ctx) {
                const auto& id = http::uuid_param(req, "step");
                const auto [validated, rejected] = paths.review_items(ctx, id, parsed_body(review_input, req));
                return http::json(200, object{{"validated", validated}, {"rejected", rejected}});
              });
  // Anki packages with their pictures and sounds are larger than the usual body limit.
  router.post("/api/v1/steps/{id}/import", {.permission = manage, .body_limit = 32 << 20},
              [&paths](const Request& req, RequestContext& ctx) {
                const auto& id = http::uuid_param(req, "step");
                const auto dry_run = req.query_param("dry_run").value_or("false");
                if (dry_run != "true" && dry_run != "false") throw Error::invalid("dry_run", "Use true or false.");
                const auto report = paths.import_items(ctx, id, req.query_param("format").value_or(""),
                                                       req.header("content-type").value_or(""), req.body,
                                                       dry_run == "true");
                return http::json(report.dry_run ? 200 : 201, import_report_json(report, ctx.locale));
              });
  router.post("/api/v1/steps/{id}/complete", {}, [&revision](const Request& req, RequestContext& ctx) {
    const auto& id = http::uuid_param(req, "step");
    return http::json(200, object{{"step_id", id}, {"completed_at", revision.complete_lesson(ctx, id)}});
  });

  router.get("/api/v1/items/{id}", {.permission = read}, [&paths](const Request& req, RequestContext& ctx) {
    return http::json(200, item_json(paths.item(ctx, http::uuid_param(req, "item"))));
  });
  router.patch("/api/v1/items/{id}", {.permission = manage, .body_limit = 512 << 10},
               [&paths](const Request& req, RequestContext& ctx) {
                 const auto& id = http::uuid_param(req, "item");
                 return http::json(200, item_json(paths.update_item(ctx, id, parsed_body([](const auto& body) { return item_input(body, false); }, req))));
               });
  router.del("/api/v1/items/{id}", {.permission = manage}, [&paths](const Request& req, RequestContext& ctx) {
    paths.delete_item(ctx, http::uuid_param(req, "item"));
    return Response::no_content();
  });

  router.post("/api/v1/revision-sessions", {.body_limit = 4096},
              [&revision](const Request& req, RequestContext& ctx) {
                auto [created, session] = revision.start(ctx, start_input(http::body_json(req)));
                return http::json(created ? 201 : 200, session_json(session));
              });
  router.get("/api/v1/revision-sessions/{id}", {}, [&revision](const Request& req, RequestContext& ctx) {
    return http::json(200, session_json(revision.get(ctx, http::uuid_param(req, "revision session"))));
  });
  router.post("/api/v1/revision-sessions/{id}/answers", {.body_limit = 16384},
              [&revision](const Request& req, RequestContext& ctx) {
                const auto& id = http::uuid_param(req, "revision session");
                return http::json(201, answer_json(revision.answer(ctx, id, parsed_body(answer_input, req))));
              });
  router.post("/api/v1/revision-sessions/{id}/finish", {},
              [&revision](const Request& req, RequestContext& ctx) {
                return http::json(200, session_json(revision.finish(ctx, http::uuid_param(req, "revision session"))));
              });

  router.get("/api/v1/me/teaching", {.permission = Permission::paths_manage},
             [&revision](const Request&, RequestContext& ctx) {
               return http::json(200, teaching_today_json(revision.teaching_today(ctx)));
             });
  router.get("/api/v1/me/learning", {}, [&revision](const Request&, RequestContext& ctx) {
    return http::json(200, home_json(revision.home(ctx)));
  });
  router.get("/api/v1/me/learning-paths/{id}", {}, [&revision](const Request& req, RequestContext& ctx) {
    return http::json(200, student_path_json(revision.student_path(ctx, http::uuid_param(req, "learning path"))));
  });
  router.get("/api/v1/me/memory-settings", {}, [&revision](const Request&, RequestContext& ctx) {
    return http::json(200, settings_json(revision.memory_settings(ctx)));
  });
  router.put("/api/v1/me/memory-settings", {.body_limit = 4096},
             [&revision](const Request& req, RequestContext& ctx) {
               return http::json(200, settings_json(revision.put_memory_settings(ctx, settings_input(http::body_json(req)))));
             });
  router.get("/api/v1/subjects/{id}/memory-settings", {.permission = Permission::school_read},
             [&revision](const Request& req, RequestContext& ctx) {
               return http::json(200, settings_json(revision.subject_settings(ctx, http::uuid_param(req, "subject"))));
             });
  router.put("/api/v1/subjects/{id}/memory-settings", {.permission = Permission::subjects_manage},
             [&revision](const Request& req, RequestContext& ctx) {
               const auto& id = http::uuid_param(req, "subject");
               return http::json(200, settings_json(revision.put_subject_settings(ctx, id, parsed_body(settings_input, req))));
             });
}

}  // namespace mnemos::learning
