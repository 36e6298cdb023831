// HTTP routes and WebSocket messages of the communication module (docs/communication.md,
// openapi.json beside this folder).
#include <mnemos/core/json.hpp>
#include <mnemos/http/json.hpp>

#include "routes.hpp"
#include "views.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>

#include <charconv>

namespace mnemos::communication {
namespace {

using boost::json::array;
using boost::json::object;
using http::Request;
using http::Response;

int int_param(const Request& req, const char* name, int fallback, int min, int max, const char* message) {
  const auto text = req.query_param(name);
  if (!text) return fallback;
  int value = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc() || end != text->data() + text->size() || value < min || value > max) {
    throw Error::invalid(name, message);
  }
  return value;
}

// An Idempotency-Key (docs/api.md): printable ASCII, at most 100 characters.
std::optional<std::string> idempotency_key(const Request& req) {
  const auto key = req.header("idempotency-key");
  if (!key) return std::nullopt;
  const bool printable = std::all_of(key->begin(), key->end(), [](char c) { return c > 0x20 && c < 0x7F; });
  if (key->empty() || key->size() > 100 || !printable) {
    throw Error::invalid("Idempotency-Key", "An Idempotency-Key is 1 to 100 printable characters without spaces.");
  }
  return std::string(*key);
}

// One text field of a JSON body ("" when absent: the service, once it knows the conversation is
// the caller's, says what is missing, so that another school's id answers 404 first).
std::string body_text(const Request& req, std::string_view name, std::size_t max) {
  const auto body = http::body_json(req);
  json::Fields fields(body);
  auto text = fields.optional_string(name, max).value_or("");
  fields.done();
  return text;
}

array people_json(const std::vector<Person>& people) {
  array out;
  for (const auto& p : people) out.push_back(object{{"id", p.id}, {"display_name", p.display_name}, {"online", p.online}});
  return out;
}

object report_json(const ReportView& v) {
  return object{{"id", v.report.id},
                {"message", message_json(v.message)},
                {"message_text", v.report.message_text},
                {"reason", v.report.reason},
                {"reporter_id", v.report.reporter_id},
                {"reporter_name", v.reporter_name},
                {"created_at", v.report.created_at},
                {"resolved_at", v.report.resolved_at ? boost::json::value(*v.report.resolved_at) : boost::json::value(nullptr)}};
}

}  // namespace

void register_routes(http::Router& router, ConversationService& conversations) {
  router.post("/api/v1/conversations", {.body_limit = 16384}, [&conversations](const Request& req, RequestContext& ctx) {
    NewConversation input;
    {
      const auto body = http::body_json(req);
      json::Fields fields(body);
      auto ids = fields.optional_string_list("participant_ids", 200, 36);
      if (!ids && !fields.has("participant_ids")) fields.validation().fail("participant_ids", "Choose at least one person to write to.");
      if (ids) input.participant_ids = std::move(*ids);
      input.subject_id = fields.optional_string("subject_id", 36);
      input.path_id = fields.optional_string("path_id", 36);
      input.title = fields.optional_string("title", 200);
      fields.done();
    }
    const auto [view, created] = conversations.create(ctx, input);
    return http::json(created ? 201 : 200, conversation_json(view, true));
  });
  router.get("/api/v1/conversations", {}, [&conversations](const Request&, RequestContext& ctx) {
    array items;
    for (const auto& v : conversations.list(ctx)) items.push_back(conversation_json(v, false));
    return http::json(200, object{{"items", std::move(items)}});
  });
  router.get("/api/v1/conversations/{id}", {}, [&conversations](const Request& req, RequestContext& ctx) {
    return http::json(200, conversation_json(conversations.get(ctx, http::uuid_param(req, "conversation")), true));
  });
  router.get("/api/v1/contacts", {}, [&conversations](const Request& req, RequestContext& ctx) {
    const auto q = req.query_param("q").value_or("");
    if (q.size() > 100) throw Error::invalid("q", "A search is at most 100 characters long.");
    return http::json(200, object{{"items", people_json(conversations.contacts(ctx, q))}});
  });

  router.get("/api/v1/conversations/{id}/messages", {}, [&conversations](const Request& req, RequestContext& ctx) {
    const auto& id = http::uuid_param(req, "conversation");
    const int limit = int_param(req, "limit", 50, 1, 100, "Ask for 1 to 100 messages.");
    const auto after = req.query_param("after");
    const auto before = req.query_param("before");
    if (after && before) throw Error::invalid("before", "Ask for messages after one or before one, not both.");
    const auto page = conversations.messages(ctx, id, after, before, limit);
    array items;
    for (const auto& m : page.messages) items.push_back(message_json(m));
    return http::json(200, object{{"items", std::move(items)}, {"has_more", page.has_more}});
  });
  router.post("/api/v1/conversations/{id}/messages", {.body_limit = 32768},
              [&conversations](const Request& req, RequestContext& ctx) {
                const auto& id = http::uuid_param(req, "conversation");
                const auto key = idempotency_key(req);
                std::string text;
                std::vector<std::string> files;
                {
                  const auto body = http::body_json(req);
                  json::Fields fields(body);
                  text = fields.optional_string("text", 16000).value_or("");
                  files = fields.optional_string_list("attachment_ids", 20, 36).value_or(std::vector<std::string>{});
                  fields.done();
                }
                const auto [view, created] = conversations.send(ctx, id, text, key, files);
                auto response = http::json(201, message_json(view));
                if (!created) response.set_header("idempotent-replayed", "true");
                return response;
              });
  // A file for a message to come: the raw bytes as the body, its name in `name`.
  router.post("/api/v1/conversations/{id}/attachments", {.body_limit = kMaxAttachmentBytes + 1},
              [&conversations](const Request& req, RequestContext& ctx) {
                const auto& id = http::uuid_param(req, "conversation");
                const auto name = req.query_param("name").value_or("");
                if (name.size() > 1000) throw Error::invalid("name", "A file name is at most 200 characters long.");
                return http::json(201, attachment_json(conversations.upload(ctx, id, name, req.body)));
              });
  router.get("/api/v1/conversations/{id}/attachments/{attachment_id}", {},
             [&conversations](const Request& req, RequestContext& ctx) {
               const auto& id = http::uuid_param(req, "conversation");
               const auto& file = http::uuid_param(req, "file", "attachment_id");
               auto [a, bytes] = conversations.attachment(ctx, id, file);
               Response response = Response::text(200, std::move(bytes), a.content_type);
               // Pictures, sound and PDF open in the page; the rest downloads. Never run as a page of ours.
               const bool shown = a.content_type.starts_with("image/") || a.content_type.starts_with("audio/") ||
                                  a.content_type == "application/pdf";
               response.set_header("content-disposition",
                                   std::string(shown ? "inline" : "attachment") + "; filename=\"" + a.name + "\"");
               response.set_header("content-security-policy", "sandbox; default-src 'none'; img-src 'self'; media-src 'self'");
               response.set_header("x-content-type-options", "nosniff");
               response.set_header("cache-control", "private, max-age=86400");
               return response;
             });
  router.patch("/api/v1/conversations/{id}/messages/{message_id}", {.body_limit = 32768},
               [&conversations](const Request& req, RequestContext& ctx) {
                 const auto& id = http::uuid_param(req, "conversation");
                 const auto& message = http::uuid_param(req, "message", "message_id");
                 const std::string text = body_text(req, "text", 16000);
                 return http::json(200, message_json(conversations.edit(ctx, id, message, text)));
               });
  router.del("/api/v1/conversations/{id}/messages/{message_id}", {},
             [&conversations](const Request& req, RequestContext& ctx) {
               const auto& id = http::uuid_param(req, "conversation");
               const auto& message = http::uuid_param(req, "message", "message_id");
               return http::json(200, message_json(conversations.remove(ctx, id, message)));
             });
  router.post("/api/v1/conversations/{id}/read", {.body_limit = 4096},
              [&conversations](const Request& req, RequestContext& ctx) {
                const auto& id = http::uuid_param(req, "conversation");
                const std::string message = body_text(req, "message_id", 36);
                const auto mark = conversations.read(ctx, id, message);
                return http::json(200, object{{"conversation_id", id},
                                              {"last_read_seq", mark.last_read_seq},
                                              {"last_read_at", mark.last_read_at ? boost::json::value(*mark.last_read_at)
                                                                                 : boost::json::value(nullptr)}});
              });
  router.get("/api/v1/messages/search", {}, [&conversations](const Request& req, RequestContext& ctx) {
    const int limit = int_param(req, "limit", 20, 1, 50, "Ask for 1 to 50 messages.");
    array items;
    for (const auto& hit : conversations.search(ctx, req.query_param("q").value_or(""), limit)) {
      items.push_back(message_json(hit.message));
    }
    return http::json(200, object{{"items", std::move(items)}});
  });

  router.post("/api/v1/conversations/{id}/messages/{message_id}/report", {.body_limit = 8192},
              [&conversations](const Request& req, RequestContext& ctx) {
                const auto& conversation = http::uuid_param(req, "conversation");
                const auto& id = http::uuid_param(req, "message", "message_id");
                const std::string reason = body_text(req, "reason", 4000);
                const auto r = conversations.report(ctx, conversation, id, reason);
                return http::json(201, object{{"id", r.id}, {"message_id", r.message_id}, {"created_at", r.created_at}});
              });
  router.get("/api/v1/message-reports", {}, [&conversations](const Request& req, RequestContext& ctx) {
    const auto status = req.query_param("status").value_or("open");
    if (status != "open" && status != "all") throw Error::invalid("status", "Choose open or all.");
    array items;
    for (const auto& v : conversations.reports(ctx, status == "open")) items.push_back(report_json(v));
    return http::json(200, object{{"items", std::move(items)}});
  });
  router.get("/api/v1/message-reports/{id}", {}, [&conversations](const Request& req, RequestContext& ctx) {
    return http::json(200, report_json(conversations.report_of(ctx, http::uuid_param(req, "report"))));
  });
  router.post("/api/v1/message-reports/{id}/resolve", {}, [&conversations](const Request& req, RequestContext& ctx) {
    conversations.resolve_report(ctx, http::uuid_param(req, "report"));
    Response response;
    response.status = 204;
    return response;
  });

  router.get("/api/v1/schools/{id}/communication", {}, [&conversations](const Request& req, RequestContext& ctx) {
    return http::json(200, settings_json(conversations.settings(ctx, http::uuid_param(req, "school"))));
  });
  router.put("/api/v1/schools/{id}/communication", {.body_limit = 32768},
             [&conversations](const Request& req, RequestContext& ctx) {
               const auto& school = http::uuid_param(req, "school");
               SettingsChange change;
               {
                 const auto body = http::body_json(req);
                 json::Fields fields(body);
                 change.students_may_message_students = fields.optional_bool("students_may_message_students");
                 change.blocked_words = fields.optional_string_list("blocked_words", 1000, 200);
                 fields.done();
               }
               return http::json(200, settings_json(conversations.change_settings(ctx, school, change)));
             });

  // Over /ws: `{"type": "typing", "data": {"conversation_id": ...}}` tells the other members.
  router.on_socket("typing", [&conversations](const RequestContext& ctx, const std::string& data) {
    const auto value = json::parse(data);
    json::Fields fields(value);
    const auto id = fields.required_string("conversation_id", 36);
    fields.done();
    conversations.typing(ctx, id);
    return std::string();
  });
}

}  // namespace mnemos::communication
