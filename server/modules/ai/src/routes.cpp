// HTTP routes of the ai module (docs/ai.md, openapi.json beside this folder).
#include <mnemos/core/messages.hpp>
#include <mnemos/http/json.hpp>

#include "routes.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <charconv>

namespace mnemos::ai {
namespace {

using boost::json::array;
using boost::json::object;
using http::Request;
using http::Response;

boost::json::value optional_text(const std::optional<std::string>& text) {
  return text ? boost::json::value(*text) : boost::json::value(nullptr);
}

object source_json(const Source& s, const RequestContext& ctx) {
  return object{{"id", s.id},
                {"path_id", s.path_id},
                {"name", s.name},
                {"content_type", s.content_type},
                {"size_bytes", s.size_bytes},
                {"status", s.status},
                {"error", s.error ? boost::json::value(messages::translate(ctx.locale, *s.error))
                                  : boost::json::value(nullptr)},
                {"language", optional_text(s.language)},
                {"pages", s.pages},
                {"passages", s.passages},
                {"words", s.words},
                {"created_at", s.created_at},
                {"indexed_at", s.indexed_at ? boost::json::value(*s.indexed_at) : boost::json::value(nullptr)}};
}

int limit_param(const Request& req) {
  const auto text = req.query_param("limit");
  if (!text) return 5;
  int value = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc() || end != text->data() + text->size()) {
    throw Error::invalid("limit", "Ask for 1 to 20 passages.");
  }
  return value;
}

}  // namespace

void register_routes(http::Router& router, SourceService& sources) {
  // The upload is the file itself: its content type in the header, its name in ?name=.
  router.post("/api/v1/learning-paths/{id}/sources",
              {.permission = Permission::paths_manage, .body_limit = 20 << 20},
              [&sources](const Request& req, RequestContext& ctx) {
                const auto& path_id = http::uuid_param(req, "learning path");
                const auto source = sources.add(ctx, path_id, req.header("content-type").value_or(""),
                                                req.query_param("name").value_or(""), req.body);
                return http::json(201, source_json(source, ctx));
              });
  router.get("/api/v1/learning-paths/{id}/sources", {}, [&sources](const Request& req, RequestContext& ctx) {
    array items;
    for (const auto& s : sources.list(ctx, http::uuid_param(req, "learning path"))) items.push_back(source_json(s, ctx));
    return http::json(200, object{{"items", std::move(items)}});
  });
  router.del("/api/v1/learning-paths/{id}/sources/{source_id}", {.permission = Permission::paths_manage},
             [&sources](const Request& req, RequestContext& ctx) {
               sources.remove(ctx, http::uuid_param(req, "learning path"),
                              http::uuid_param(req, "source", "source_id"));
               return Response::no_content();
             });
  router.get("/api/v1/learning-paths/{id}/search", {}, [&sources](const Request& req, RequestContext& ctx) {
    const auto& path_id = http::uuid_param(req, "learning path");
    const auto hits = sources.search(ctx, path_id, req.query_param("q").value_or(""), limit_param(req));
    array passages;
    for (const auto& hit : hits) {
      passages.push_back(object{{"source_id", hit.passage.source_id},
                                {"source_name", hit.source_name},
                                {"passage_id", hit.passage.id},
                                {"text", hit.passage.text},
                                {"heading", hit.passage.heading},
                                {"page", hit.passage.page > 0 ? boost::json::value(hit.passage.page)
                                                              : boost::json::value(nullptr)},
                                {"score", hit.score}});
    }
    return http::json(200, object{{"passages", std::move(passages)}});
  });
}

}  // namespace mnemos::ai
