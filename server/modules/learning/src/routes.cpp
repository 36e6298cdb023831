// HTTP routes of the learning module (docs/api.md, openapi.json beside this folder). Routes read
// the body and hand it to the services, which look the resource up first: another school's id
// answers 404 before anything about the body is said.
#include <mnemos/core/ids.hpp>
#include <mnemos/core/messages.hpp>
#include <mnemos/http/json.hpp>

#include "routes.hpp"

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

}  // namespace

void register_routes(http::Router& router, PathService& paths, RevisionService& revision) {
  const auto read = Permission::paths_read;
  const auto manage = Permission::paths_manage;

  router.get("/api/v1/learning-paths", {.permission = read},
             [&paths](const Request&, RequestContext& ctx) { return items_json(paths.list(ctx)); });
  router.post("/api/v1/learning-paths", {.permission = manage, .body_limit = 4 << 20},
              [&paths](const Request& req, RequestContext& ctx) {
                return http::json(201, paths.create(ctx, http::body_json(req)));
              });
  router.get("/api/v1/learning-paths/{id}", {.permission = read},
             [&paths](const Request& req, RequestContext& ctx) {
               return http::json(200, paths.get(ctx, http::uuid_param(req, "learning path")));
             });
  router.patch("/api/v1/learning-paths/{id}", {.permission = manage},
               [&paths](const Request& req, RequestContext& ctx) {
                 const auto& id = http::uuid_param(req, "learning path");
                 return http::json(200, paths.update(ctx, id, http::body_json(req)));
               });
  router.post("/api/v1/learning-paths/{id}/copy", {.permission = manage},
              [&paths](const Request& req, RequestContext& ctx) {
                const auto& id = http::uuid_param(req, "learning path");
                const auto body = req.body.empty() ? boost::json::value(object{}) : http::body_json(req);
                return http::json(201, paths.copy(ctx, id, body));
              });
  router.put("/api/v1/learning-paths/{id}/assignments", {.permission = manage},
             [&paths](const Request& req, RequestContext& ctx) {
               const auto& id = http::uuid_param(req, "learning path");
               return http::json(200, paths.set_assignments(ctx, id, http::body_json(req)));
             });
  router.put("/api/v1/learning-paths/{id}/teachers", {.permission = manage},
             [&paths](const Request& req, RequestContext& ctx) {
               const auto& id = http::uuid_param(req, "learning path");
               return http::json(200, paths.set_teachers(ctx, id, http::body_json(req)));
             });
  router.post("/api/v1/learning-paths/{id}/steps", {.permission = manage},
              [&paths](const Request& req, RequestContext& ctx) {
                const auto& id = http::uuid_param(req, "learning path");
                return http::json(201, paths.add_step(ctx, id, http::body_json(req)));
              });
  router.put("/api/v1/learning-paths/{id}/step-order", {.permission = manage},
             [&paths](const Request& req, RequestContext& ctx) {
               const auto& id = http::uuid_param(req, "learning path");
               return http::json(200, paths.reorder_steps(ctx, id, http::body_json(req)));
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
                return http::json(201, paths.add_media(ctx, id, req.header("content-type").value_or(""),
                                                       req.query_param("name").value_or(""), req.body));
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
               return http::json(200, revision.preview(ctx, http::uuid_param(req, "learning path")));
             });
  router.get("/api/v1/learning-paths/{id}/progress", {.permission = read},
             [&revision](const Request& req, RequestContext& ctx) {
               return http::json(200, revision.path_progress(ctx, http::uuid_param(req, "learning path")));
             });

  router.get("/api/v1/steps/{id}", {.permission = read}, [&paths](const Request& req, RequestContext& ctx) {
    return http::json(200, paths.step(ctx, http::uuid_param(req, "step")));
  });
  router.patch("/api/v1/steps/{id}", {.permission = manage},
               [&paths](const Request& req, RequestContext& ctx) {
                 const auto& id = http::uuid_param(req, "step");
                 return http::json(200, paths.update_step(ctx, id, http::body_json(req)));
               });
  router.del("/api/v1/steps/{id}", {.permission = manage}, [&paths](const Request& req, RequestContext& ctx) {
    paths.delete_step(ctx, http::uuid_param(req, "step"));
    return Response::no_content();
  });
  router.get("/api/v1/steps/{id}/items", {.permission = read},
             [&paths](const Request& req, RequestContext& ctx) {
               return items_json(paths.items(ctx, http::uuid_param(req, "step")));
             });
  router.post("/api/v1/steps/{id}/items", {.permission = manage, .body_limit = 512 << 10},
              [&paths](const Request& req, RequestContext& ctx) {
                const auto& id = http::uuid_param(req, "step");
                return http::json(201, paths.add_item(ctx, id, http::body_json(req)));
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
                array lines;
                for (const auto& l : report.lines) {
                  object line{{"line", l.line}, {"status", l.status}, {"front", l.front}};
                  if (!l.kind.empty()) line["kind"] = l.kind;
                  if (!l.reason.empty()) line["reason"] = messages::translate(ctx.locale, l.reason);
                  if (l.item_id) line["item_id"] = *l.item_id;
                  lines.push_back(std::move(line));
                }
                object out{{"format", report.format},
                           {"dry_run", report.dry_run},
                           {"taken", report.taken},
                           {"skipped", report.skipped},
                           {"lines", std::move(lines)}};
                if (report.encoding) out["encoding"] = *report.encoding;
                return http::json(report.dry_run ? 200 : 201, std::move(out));
              });
  router.post("/api/v1/steps/{id}/complete", {}, [&revision](const Request& req, RequestContext& ctx) {
    return http::json(200, revision.complete_lesson(ctx, http::uuid_param(req, "step")));
  });

  router.get("/api/v1/items/{id}", {.permission = read}, [&paths](const Request& req, RequestContext& ctx) {
    return http::json(200, paths.item(ctx, http::uuid_param(req, "item")));
  });
  router.patch("/api/v1/items/{id}", {.permission = manage, .body_limit = 512 << 10},
               [&paths](const Request& req, RequestContext& ctx) {
                 const auto& id = http::uuid_param(req, "item");
                 return http::json(200, paths.update_item(ctx, id, http::body_json(req)));
               });
  router.del("/api/v1/items/{id}", {.permission = manage}, [&paths](const Request& req, RequestContext& ctx) {
    paths.delete_item(ctx, http::uuid_param(req, "item"));
    return Response::no_content();
  });

  router.post("/api/v1/revision-sessions", {.body_limit = 4096},
              [&revision](const Request& req, RequestContext& ctx) {
                auto [created, session] = revision.start(ctx, http::body_json(req));
                return http::json(created ? 201 : 200, session);
              });
  router.get("/api/v1/revision-sessions/{id}", {}, [&revision](const Request& req, RequestContext& ctx) {
    return http::json(200, revision.get(ctx, http::uuid_param(req, "revision session")));
  });
  router.post("/api/v1/revision-sessions/{id}/answers", {.body_limit = 16384},
              [&revision](const Request& req, RequestContext& ctx) {
                const auto& id = http::uuid_param(req, "revision session");
                return http::json(201, revision.answer(ctx, id, http::body_json(req)));
              });
  router.post("/api/v1/revision-sessions/{id}/finish", {},
              [&revision](const Request& req, RequestContext& ctx) {
                return http::json(200, revision.finish(ctx, http::uuid_param(req, "revision session")));
              });

  router.get("/api/v1/me/teaching", {.permission = Permission::paths_manage},
             [&revision](const Request&, RequestContext& ctx) {
               return http::json(200, revision.teaching_today(ctx));
             });
  router.get("/api/v1/me/learning", {}, [&revision](const Request&, RequestContext& ctx) {
    return http::json(200, revision.home(ctx));
  });
  router.get("/api/v1/me/learning-paths/{id}", {}, [&revision](const Request& req, RequestContext& ctx) {
    return http::json(200, revision.student_path(ctx, http::uuid_param(req, "learning path")));
  });
  router.get("/api/v1/me/memory-settings", {}, [&revision](const Request&, RequestContext& ctx) {
    return http::json(200, revision.memory_settings(ctx));
  });
  router.put("/api/v1/me/memory-settings", {.body_limit = 4096},
             [&revision](const Request& req, RequestContext& ctx) {
               return http::json(200, revision.put_memory_settings(ctx, http::body_json(req)));
             });
  router.get("/api/v1/subjects/{id}/memory-settings", {.permission = Permission::school_read},
             [&revision](const Request& req, RequestContext& ctx) {
               return http::json(200, revision.subject_settings(ctx, http::uuid_param(req, "subject")));
             });
  router.put("/api/v1/subjects/{id}/memory-settings", {.permission = Permission::subjects_manage},
             [&revision](const Request& req, RequestContext& ctx) {
               const auto& id = http::uuid_param(req, "subject");
               return http::json(200, revision.put_subject_settings(ctx, id, http::body_json(req)));
             });
}

}  // namespace mnemos::learning
