// HTTP routes of the ai module (docs/ai.md, openapi.json beside this folder).
#include <mnemos/core/messages.hpp>
#include <mnemos/http/json.hpp>

#include "routes.hpp"

#include <mnemos/core/json.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

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
                {"name", shown_name(s, ctx.locale)},
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
                {"indexed_at", s.indexed_at ? boost::json::value(*s.indexed_at) : boost::json::value(nullptr)},
                {"origin", s.origin}};
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

object agent_json(const Agent& a) {
  boost::json::value sources = nullptr;
  if (a.source_ids) {
    array ids;
    for (const auto& id : *a.source_ids) ids.emplace_back(id);
    sources = std::move(ids);
  }
  return object{{"subject_id", a.subject_id},
                {"instructions", a.instructions},
                {"level", a.level},
                {"language", a.language},
                {"answer_policy", a.answer_policy},
                {"source_ids", std::move(sources)},
                {"allow_off_topic", a.allow_off_topic},
                {"customised", a.stored},
                {"updated_at", a.stored ? boost::json::value(a.updated_at) : boost::json::value(nullptr)}};
}

array citations_json(const std::vector<Citation>& citations) {
  array out;
  for (const auto& c : citations) {
    out.push_back(object{{"source_id", c.source_id}, {"passage_id", c.passage_id}, {"quote", c.quote}, {"marker", c.marker}});
  }
  return out;
}

object message_json(const TutorMessage& m) {
  object out{{"id", m.id},
             {"role", m.role},
             {"text", m.text},
             {"created_at", m.created_at}};
  if (m.role == "tutor") {
    out["citations"] = citations_json(m.citations);
    out["provider"] = m.provider;
    out["fallback"] = m.fallback;
    out["refused"] = m.refused;
    out["refusal"] = m.refusal ? boost::json::value(*m.refusal) : boost::json::value(nullptr);
    out["tokens"] = m.prompt_tokens + m.completion_tokens;
    out["latency_ms"] = m.latency_ms;
  } else {
    out["bloom_level"] = m.bloom_level;
    out["bloom"] = std::string(bloom_name(m.bloom_level));
    out["readability"] = m.readability;
  }
  return out;
}

AgentChange agent_change(const boost::json::value& body) {
  json::Fields fields(body);
  AgentChange change;
  change.instructions = fields.optional_string("instructions", kMaxInstructionsBytes);
  change.level = fields.optional_string("level", 100);
  change.language = fields.optional_string("language", 10);
  change.answer_policy = fields.optional_string("answer_policy", 20);
  if (const auto* sources = fields.object().if_contains("source_ids"); sources != nullptr && sources->is_null()) {
    change.source_ids = std::optional<std::vector<std::string>>();
  } else if (auto ids = fields.optional_string_list("source_ids", 200, 36)) {
    change.source_ids = std::move(ids);
  }
  change.allow_off_topic = fields.optional_bool("allow_off_topic");
  fields.done();
  return change;
}

TutorQuestion tutor_question(const boost::json::value& body) {
  json::Fields fields(body);
  TutorQuestion q;
  q.path_id = fields.required_string("path_id", 36);
  q.step_id = fields.optional_string("step_id", 36);
  q.session_id = fields.optional_string("session_id", 36);
  q.conversation_id = fields.optional_string("conversation_id", 36);
  q.text = fields.required_string("text", kMaxQuestionBytes);
  fields.done();
  return q;
}

object reply_json(const TutorReply& reply);

// A field a PUT may set, put back to its default (null), or leave alone (absent).
Change<std::string> text_change(json::Fields& fields, std::string_view name, std::size_t max) {
  const auto* found = fields.object().if_contains(name);
  if (found == nullptr) return std::nullopt;
  if (found->is_null()) return std::optional<std::string>();
  auto text = fields.optional_string(name, max);
  if (!text) return std::nullopt;  // not text: the field's error is recorded
  if (json::trim(*text).empty()) return std::optional<std::string>();
  return std::optional<std::string>(json::trim(*text));
}
Change<int> int_change(json::Fields& fields, std::string_view name) {
  Change<int> change;  // built in place: GCC 12 warns of a maybe-uninitialized nested optional otherwise
  const auto* found = fields.object().if_contains(name);
  if (found == nullptr) return change;
  if (found->is_null()) {
    change.emplace();
  } else if (const auto value = fields.optional_int(name, -1'000'000'000, 1'000'000'000)) {
    change.emplace(static_cast<int>(*value));
  }
  return change;
}

using json::or_null;

// The school's own settings (null: the default) beside those in force; the API key only as set
// or not.
object school_ai_json(const std::pair<SchoolAi, EffectiveAi>& both) {
  const auto& [s, in_force] = both;
  return object{{"school_id", s.school_id},
                {"provider", or_null(s.provider)},
                {"url", or_null(s.url)},
                {"model", or_null(s.model)},
                {"embedding_model", or_null(s.embedding_model)},
                {"api_key_set", s.api_key.has_value()},
                {"daily_questions", or_null(s.daily_questions)},
                {"sources_quota_mb", or_null(s.sources_quota_mb)},
                {"updated_at", s.updated_at > 0 ? boost::json::value(s.updated_at) : nullptr},
                {"in_force", object{{"provider", in_force.provider.kind},
                                    {"model", in_force.provider.model},
                                    {"embedding_model", in_force.provider.embedding_model},
                                    {"daily_questions", in_force.daily_questions},
                                    {"sources_quota_mb", in_force.sources_quota_bytes >> 20}}}};
}

}  // namespace

void register_settings_routes(http::Router& router, SchoolAiService& settings) {
  router.get("/api/v1/schools/{id}/ai", {}, [&settings](const Request& req, RequestContext& ctx) {
    return http::json(200, school_ai_json(settings.read(ctx, http::uuid_param(req, "school"))));
  });
  router.put("/api/v1/schools/{id}/ai", {.body_limit = 8192}, [&settings](const Request& req, RequestContext& ctx) {
    const auto& school = http::uuid_param(req, "school");
    const auto body = http::body_json(req);
    json::Fields fields(body);
    SchoolAiChange change;
    change.provider = text_change(fields, "provider", 20);
    change.url = text_change(fields, "url", 500);
    change.model = text_change(fields, "model", 200);
    change.embedding_model = text_change(fields, "embedding_model", 200);
    change.api_key = text_change(fields, "api_key", 500);
    change.daily_questions = int_change(fields, "daily_questions");
    change.sources_quota_mb = int_change(fields, "sources_quota_mb");
    fields.done();
    return http::json(200, school_ai_json(settings.change(ctx, school, change)));
  });
}

namespace {
}  // namespace

void register_conversation_routes(http::Router& router, TutorService& tutor);

void register_generation_routes(http::Router& router, GenerationService& generation) {
  // Cards from the path's sources into the step's validation queue (pending until the teacher
  // validates them).
  router.post("/api/v1/steps/{id}/generate", {.permission = Permission::paths_manage, .body_limit = 4096},
              [&generation](const Request& req, RequestContext& ctx) {
                const auto& step = http::uuid_param(req, "step");
                GenerationRequest request;
                {
                  const auto body = http::body_json(req);
                  json::Fields fields(body);
                  if (auto kinds = fields.optional_string_list("kinds", 3, 20)) request.kinds = std::move(*kinds);
                  if (auto count = fields.optional_int("count", 1, 30)) request.count = static_cast<int>(*count);
                  fields.done();
                }
                const auto result = generation.generate(ctx, step, request);
                array created;
                for (const auto& c : result.created) {
                  created.push_back(object{{"item_id", c.item_id}, {"kind", c.kind}, {"source_id", c.source_id},
                                           {"passage_id", c.passage_id}});
                }
                array rejected;
                for (const auto& r : result.rejected) rejected.emplace_back(r);
                return http::json(201, object{{"created", std::move(created)},
                                              {"rejected", std::move(rejected)},
                                              {"provider", result.provider},
                                              {"fallback", result.fallback}});
              });
  router.get("/api/v1/steps/{id}/generated", {.permission = Permission::paths_manage},
             [&generation](const Request& req, RequestContext& ctx) {
               array items;
               for (const auto& o : generation.origins(ctx, http::uuid_param(req, "step"))) {
                 items.push_back(object{{"item_id", o.item_id},
                                        {"source_id", o.source_id},
                                        {"source_name", o.source_name},
                                        {"passage_id", o.passage_id},
                                        {"heading", o.heading},
                                        {"page", o.page > 0 ? boost::json::value(o.page) : boost::json::value(nullptr)},
                                        {"passage", o.passage}});
               }
               return http::json(200, object{{"items", std::move(items)}});
             });
}

void register_tutor_routes(http::Router& router, TutorService& tutor) {
  register_conversation_routes(router, tutor);
  // A teacher's own agent for a subject (defaults until changed); a PUT sends only what changes.
  router.get("/api/v1/agents/{subject_id}", {.permission = Permission::paths_manage},
             [&tutor](const Request& req, RequestContext& ctx) {
               return http::json(200, agent_json(tutor.agent(ctx, http::uuid_param(req, "subject", "subject_id"))));
             });
  router.put("/api/v1/agents/{subject_id}", {.permission = Permission::paths_manage, .body_limit = 16384},
             [&tutor](const Request& req, RequestContext& ctx) {
               const auto& subject = http::uuid_param(req, "subject", "subject_id");
               return http::json(200, agent_json(tutor.change_agent(ctx, subject, agent_change(http::body_json(req)))));
             });
  // JSON, or with "Accept: text/event-stream" the same reply streamed: "token" events with the
  // text as it may go out, then one "reply" event holding the whole reply (which clients show:
  // it is the one the policy checked whole).
  router.post("/api/v1/tutor/messages", {.body_limit = 16384}, [&tutor](const Request& req, RequestContext& ctx) {
    auto question = tutor_question(http::body_json(req));
    const bool stream = req.header("accept").value_or("").find("text/event-stream") != std::string::npos;
    if (!stream) return http::json(200, reply_json(tutor.ask(ctx, question)));
    auto prepared = tutor.prepare(ctx, question);  // errors are answered before the stream starts
    Response response;
    response.status = 200;
    response.set_header("content-type", "text/event-stream; charset=utf-8");
    response.set_header("cache-control", "no-store");
    response.set_header("x-accel-buffering", "no");  // a proxy must not hold the pieces back
    response.stream = [&tutor, ctx, question = std::move(question),
                       prepared = std::move(prepared)](const http::StreamWriter& write) mutable {
      const TokenSink on_text = [&](std::string_view piece) {
        write("event: token\ndata: " + boost::json::serialize(object{{"text", piece}}) + "\n\n");
      };
      try {
        const auto reply = tutor.answer(ctx, question, std::move(prepared), &on_text);
        write("event: reply\ndata: " + boost::json::serialize(reply_json(reply)) + "\n\n");
      } catch (const std::exception& e) {
        const std::string detail = messages::translate(ctx.locale, "The tutor could not answer. Try again in a moment.");
        write("event: error\ndata: " + boost::json::serialize(object{{"detail", detail}}) + "\n\n");
        throw;
      }
    };
    return response;
  });
}

namespace {
object reply_json(const TutorReply& reply) {
    object out{{"conversation_id", reply.conversation_id},
               {"message_id", reply.message.id},
               {"text", reply.message.text},
               {"refused", reply.message.refused},
               {"refusal", reply.message.refusal ? boost::json::value(*reply.message.refusal) : boost::json::value(nullptr)},
               {"provider", reply.message.provider},
               {"fallback", reply.message.fallback},
               {"citations", citations_json(reply.message.citations)},
               {"questions_left_today", reply.questions_left_today}};
    return out;
}
}  // namespace

void register_conversation_routes(http::Router& router, TutorService& tutor) {
  // What the student's tutor panel shows before a question: documents to quote, policy, quota left.
  router.get("/api/v1/learning-paths/{id}/tutor", {}, [&tutor](const Request& req, RequestContext& ctx) {
    const auto status = tutor.status(ctx, http::uuid_param(req, "learning path"));
    return http::json(200, object{{"ready_sources", status.ready_sources},
                                  {"answer_policy", status.answer_policy},
                                  {"provider", status.provider},
                                  {"daily_limit", status.daily_limit},
                                  {"questions_left_today", status.questions_left_today}});
  });
  router.get("/api/v1/learning-paths/{id}/tutor-conversations", {}, [&tutor](const Request& req, RequestContext& ctx) {
    const auto views = tutor.conversations(ctx, http::uuid_param(req, "learning path"), req.query_param("student_id"));
    array items;
    for (const auto& v : views) {
      array messages;
      for (const auto& m : v.messages) messages.push_back(message_json(m));
      items.push_back(object{{"id", v.conversation.id},
                             {"student_id", v.conversation.student_id},
                             {"student_name", v.student_name},
                             {"step_id", v.conversation.step_id ? boost::json::value(*v.conversation.step_id) : boost::json::value(nullptr)},
                             {"created_at", v.conversation.created_at},
                             {"updated_at", v.conversation.updated_at},
                             {"messages", std::move(messages)}});
    }
    return http::json(200, object{{"items", std::move(items)}});
  });
}

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
  router.get("/api/v1/learning-paths/{id}/passages/{passage_id}", {}, [&sources](const Request& req, RequestContext& ctx) {
    const auto hit = sources.passage(ctx, http::uuid_param(req, "learning path"),
                                     http::uuid_param(req, "passage", "passage_id"));
    return http::json(200, object{{"source_id", hit.passage.source_id},
                                  {"source_name", hit.source_name},
                                  {"passage_id", hit.passage.id},
                                  {"text", hit.passage.text},
                                  {"heading", hit.passage.heading},
                                  {"page", hit.passage.page > 0 ? boost::json::value(hit.passage.page)
                                                                : boost::json::value(nullptr)}});
  });
  // After a session: what to read again, from the cards the student missed.
  router.get("/api/v1/revision-sessions/{id}/recommendations", {}, [&sources](const Request& req, RequestContext& ctx) {
    array passages;
    for (const auto& r : sources.recommendations(ctx, http::uuid_param(req, "revision session"), 3)) {
      array cards;
      for (const auto& card : r.cards) cards.emplace_back(card);
      passages.push_back(object{{"source_id", r.hit.passage.source_id},
                                {"source_name", r.hit.source_name},
                                {"passage_id", r.hit.passage.id},
                                {"text", r.hit.passage.text},
                                {"heading", r.hit.passage.heading},
                                {"page", r.hit.passage.page > 0 ? boost::json::value(r.hit.passage.page)
                                                                : boost::json::value(nullptr)},
                                {"cards", std::move(cards)}});
    }
    return http::json(200, object{{"passages", std::move(passages)}});
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
