// HTTP routes and WebSocket messages of the agenda (docs/communication.md, "Agenda,
// appointments, video rooms"; openapi.json beside this folder).
#include <mnemos/core/json.hpp>
#include <mnemos/http/json.hpp>

#include "agenda.hpp"
#include "routes.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <charconv>

namespace mnemos::communication {
namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;
using http::Request;
using http::Response;

using json::or_null;

std::string room_url(const std::string& public_url, const std::string& id) { return public_url + "/rooms/" + id; }

object appointment_json(const AppointmentView& v, const std::string& public_url) {
  const auto& a = v.appointment;
  array slots;
  for (const auto& s : a.slots) slots.push_back(object{{"starts_at", s.starts_at}, {"ends_at", s.ends_at}});
  value room = nullptr;
  if (v.room) {
    room = object{{"id", v.room->id}, {"url", room_url(public_url, v.room->id)}, {"opens_at", v.room->opens_at},
                  {"closes_at", v.room->closes_at}};
  }
  return object{{"id", a.id},
                {"status", a.status},
                {"student_id", a.student_id},
                {"student_name", v.student_name},
                {"teacher_id", a.teacher_id},
                {"teacher_name", v.teacher_name},
                {"proposed_by", a.proposed_by},
                {"slots", std::move(slots)},
                {"note", a.note},
                {"reply", a.reply},
                {"starts_at", or_null(a.starts_at)},
                {"ends_at", or_null(a.ends_at)},
                {"room", std::move(room)},
                {"office_hour_id", or_null(a.office_hour_id)},
                {"cancelled_by", or_null(a.cancelled_by)},
                {"created_at", a.created_at},
                {"updated_at", a.updated_at}};
}

object office_hour_json(const OfficeHourView& v) {
  const auto& o = v.slot;
  return object{{"id", o.id},
                {"teacher_id", o.teacher_id},
                {"teacher_name", v.teacher_name},
                {"starts_at", o.starts_at},
                {"ends_at", o.ends_at},
                {"note", o.note},
                {"booked", o.appointment_id.has_value()},
                {"appointment_id", or_null(o.appointment_id)},
                {"student_name", or_null(v.student_name)}};
}

object event_json(const EventView& v, const std::string& public_url) {
  const auto& e = v.event;
  return object{{"id", e.id},
                {"class_id", e.class_id},
                {"class_name", v.class_name},
                {"author_id", e.author_id},
                {"kind", e.kind},
                {"title", e.title},
                {"description", e.description},
                {"path_id", or_null(e.path_id)},
                {"path_title", or_null(v.path_title)},
                {"starts_at", e.starts_at},
                {"ends_at", e.ends_at},
                {"room", e.room_id ? value(object{{"id", *e.room_id}, {"url", room_url(public_url, *e.room_id)}})
                                   : value(nullptr)},
                {"created_at", e.created_at},
                {"updated_at", e.updated_at}};
}

// `slots` of a body: [{starts_at, ends_at}, ...] in epoch milliseconds; the service checks the times.
std::optional<std::vector<Slot>> slots_field(const boost::json::value& body, json::Fields& fields) {
  const auto* raw = body.is_object() ? body.as_object().if_contains("slots") : nullptr;
  if (raw == nullptr) return std::nullopt;
  std::vector<Slot> slots;
  if (!raw->is_array() || raw->as_array().size() > kMaxSlots) {
    fields.validation().fail("slots", "Propose one to three times.");
    return slots;
  }
  std::size_t i = 0;
  for (const auto& item : raw->as_array()) {
    const auto field = "slots[" + std::to_string(i++) + "]";
    const auto* o = item.if_object();
    const auto* starts = o ? o->if_contains("starts_at") : nullptr;
    const auto* ends = o ? o->if_contains("ends_at") : nullptr;
    if (!starts || !starts->is_int64()) {
      fields.validation().fail(field + ".starts_at", "A time is a number of milliseconds since 1970.");
    } else if (!ends || !ends->is_int64()) {
      fields.validation().fail(field + ".ends_at", "A time is a number of milliseconds since 1970.");
    } else {
      slots.push_back({starts->as_int64(), ends->as_int64()});
    }
  }
  return slots;
}

std::int64_t time_param(const Request& req, const char* name, std::int64_t fallback) {
  const auto text = req.query_param(name);
  if (!text) return fallback;
  std::int64_t v = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (error != std::errc() || end != text->data() + text->size() || v < 0 || v > 32503680000000) {
    throw Error::invalid(name, "A time is a number of milliseconds since 1970.");
  }
  return v;
}

// The optional text fields of an answer ("" when absent).
std::string text_field(const Request& req, std::string_view name) {
  const auto body = req.body.empty() ? boost::json::value(object{}) : http::body_json(req);
  json::Fields fields(body);
  auto text = fields.optional_string(name, 4000).value_or("");
  fields.done();
  return text;
}

}  // namespace

void register_agenda_routes(http::Router& router, AgendaService& agenda, const std::string& public_url) {
  router.post("/api/v1/appointments", {.body_limit = 16384}, [&agenda, public_url](const Request& req, RequestContext& ctx) {
    const auto body = http::body_json(req);
    json::Fields fields(body);
    const auto teacher = fields.optional_string("teacher_id", 36);
    const auto student = fields.optional_string("student_id", 36);
    auto slots = slots_field(body, fields);
    const auto note = fields.optional_string("note", 4000).value_or("");
    if (!teacher && !student) fields.validation().fail("teacher_id", "Choose the teacher to meet.");
    if (!slots) fields.validation().fail("slots", "Propose one to three times.");
    fields.done();
    const auto view = agenda.propose(ctx, teacher.value_or(student.value_or("")), *slots, note);
    return http::json(201, appointment_json(view, public_url));
  });
  router.get("/api/v1/appointments", {}, [&agenda, public_url](const Request& req, RequestContext& ctx) {
    const auto status = req.query_param("status").value_or("all");
    if (status != "current" && status != "all") throw Error::invalid("status", "Choose current or all.");
    array items;
    for (const auto& v : agenda.list(ctx, status == "current")) items.push_back(appointment_json(v, public_url));
    return http::json(200, object{{"items", std::move(items)}});
  });
  router.get("/api/v1/appointment-partners", {}, [&agenda](const Request&, RequestContext& ctx) {
    array items;
    for (const auto& p : agenda.partners(ctx)) items.push_back(object{{"id", p.id}, {"display_name", p.display_name}});
    return http::json(200, object{{"items", std::move(items)}});
  });
  router.get("/api/v1/appointments/{id}", {}, [&agenda, public_url](const Request& req, RequestContext& ctx) {
    return http::json(200, appointment_json(agenda.get(ctx, http::uuid_param(req, "appointment")), public_url));
  });
  router.post("/api/v1/appointments/{id}/accept", {.body_limit = 4096},
              [&agenda, public_url](const Request& req, RequestContext& ctx) {
                const auto& id = http::uuid_param(req, "appointment");
                std::optional<int> slot;
                if (!req.body.empty()) {
                  const auto body = http::body_json(req);
                  json::Fields fields(body);
                  if (const auto v = fields.optional_int("slot", 0, 2)) slot = static_cast<int>(*v);
                  fields.done();
                }
                return http::json(200, appointment_json(agenda.accept(ctx, id, slot), public_url));
              });
  router.post("/api/v1/appointments/{id}/decline", {.body_limit = 8192},
              [&agenda, public_url](const Request& req, RequestContext& ctx) {
                const auto& id = http::uuid_param(req, "appointment");
                return http::json(200, appointment_json(agenda.decline(ctx, id, text_field(req, "reply")), public_url));
              });
  router.post("/api/v1/appointments/{id}/cancel", {.body_limit = 8192},
              [&agenda, public_url](const Request& req, RequestContext& ctx) {
                const auto& id = http::uuid_param(req, "appointment");
                return http::json(200, appointment_json(agenda.cancel(ctx, id, text_field(req, "reply")), public_url));
              });
  router.post("/api/v1/appointments/{id}/propose", {.body_limit = 16384},
              [&agenda, public_url](const Request& req, RequestContext& ctx) {
                const auto& id = http::uuid_param(req, "appointment");
                const auto body = http::body_json(req);
                json::Fields fields(body);
                auto slots = slots_field(body, fields).value_or(std::vector<Slot>{});
                const auto reply = fields.optional_string("reply", 4000).value_or("");
                fields.done();
                return http::json(200, appointment_json(agenda.propose_other_times(ctx, id, slots, reply), public_url));
              });

  router.post("/api/v1/office-hours", {.body_limit = 8192}, [&agenda](const Request& req, RequestContext& ctx) {
    const auto body = http::body_json(req);
    json::Fields fields(body);
    const auto starts = fields.required_int("starts_at", 0, 32503680000000);
    const auto ends = fields.required_int("ends_at", 0, 32503680000000);
    const auto minutes = fields.optional_int("slot_minutes", 0, 1440).value_or(0);
    const auto note = fields.optional_string("note", 4000).value_or("");
    fields.done();
    array items;
    for (const auto& v : agenda.publish_office_hours(ctx, starts, ends, static_cast<int>(minutes), note)) {
      items.push_back(office_hour_json(v));
    }
    return http::json(201, object{{"items", std::move(items)}});
  });
  router.get("/api/v1/office-hours", {}, [&agenda](const Request& req, RequestContext& ctx) {
    auto teacher = req.query_param("teacher_id");
    if (teacher && teacher->size() > 36) throw Error::invalid("teacher_id", "Choose one of your teachers.");
    array items;
    for (const auto& v : agenda.office_hours(ctx, teacher ? std::optional<std::string>(*teacher) : std::nullopt)) {
      items.push_back(office_hour_json(v));
    }
    return http::json(200, object{{"items", std::move(items)}});
  });
  router.get("/api/v1/office-hours/{id}", {}, [&agenda](const Request& req, RequestContext& ctx) {
    return http::json(200, office_hour_json(agenda.office_hour(ctx, http::uuid_param(req, "office hour"))));
  });
  router.post("/api/v1/office-hours/{id}/book", {.body_limit = 8192},
              [&agenda, public_url](const Request& req, RequestContext& ctx) {
                const auto& id = http::uuid_param(req, "office hour");
                return http::json(201, appointment_json(agenda.book(ctx, id, text_field(req, "note")), public_url));
              });
  router.del("/api/v1/office-hours/{id}", {}, [&agenda](const Request& req, RequestContext& ctx) {
    agenda.remove_office_hour(ctx, http::uuid_param(req, "office hour"));
    return Response::no_content();
  });

  router.post("/api/v1/events", {.body_limit = 16384}, [&agenda, public_url](const Request& req, RequestContext& ctx) {
    const auto body = http::body_json(req);
    json::Fields fields(body);
    NewEvent input;
    input.class_id = fields.required_string("class_id", 36);
    input.kind = fields.optional_string("kind", 20).value_or("event");
    input.title = fields.required_string("title", 1000);
    input.description = fields.optional_string("description", 8000).value_or("");
    input.path_id = fields.optional_string("path_id", 36);
    input.starts_at = fields.required_int("starts_at", 0, 32503680000000);
    input.ends_at = fields.optional_int("ends_at", 0, 32503680000000).value_or(input.starts_at);
    input.video = fields.optional_bool("video").value_or(false);
    fields.done();
    return http::json(201, event_json(agenda.add_event(ctx, input), public_url));
  });
  router.get("/api/v1/events/{id}", {}, [&agenda, public_url](const Request& req, RequestContext& ctx) {
    return http::json(200, event_json(agenda.event(ctx, http::uuid_param(req, "event")), public_url));
  });
  router.patch("/api/v1/events/{id}", {.body_limit = 16384}, [&agenda, public_url](const Request& req, RequestContext& ctx) {
    const auto& id = http::uuid_param(req, "event");
    const auto body = http::body_json(req);
    json::Fields fields(body);
    EventChange change;
    change.title = fields.optional_string("title", 1000);
    change.description = fields.optional_string("description", 8000);
    change.starts_at = fields.optional_int("starts_at", 0, 32503680000000);
    change.ends_at = fields.optional_int("ends_at", 0, 32503680000000);
    fields.done();
    return http::json(200, event_json(agenda.change_event(ctx, id, change), public_url));
  });
  router.del("/api/v1/events/{id}", {}, [&agenda](const Request& req, RequestContext& ctx) {
    agenda.remove_event(ctx, http::uuid_param(req, "event"));
    return Response::no_content();
  });

  router.get("/api/v1/agenda", {}, [&agenda](const Request& req, RequestContext& ctx) {
    if (!req.query_param("from")) throw Error::invalid("from", "Say where the period starts.");
    if (!req.query_param("to")) throw Error::invalid("to", "Say where the period ends.");
    const auto from = time_param(req, "from", 0);
    const auto to = time_param(req, "to", 0);
    const auto [items, zone] = agenda.agenda(ctx, from, to);
    array out;
    for (const auto& i : items) {
      out.push_back(object{{"kind", i.kind},
                           {"id", i.id},
                           {"title", i.title},
                           {"starts_at", i.starts_at},
                           {"ends_at", i.ends_at},
                           {"status", or_null(i.status)},
                           {"room_id", or_null(i.room_id)},
                           {"class_id", or_null(i.class_id)},
                           {"link", or_null(i.link)},
                           {"description", i.description}});
    }
    return http::json(200, object{{"timezone", zone}, {"items", std::move(out)}});
  });

  router.get("/api/v1/me/calendar-feed", {}, [&agenda](const Request&, RequestContext& ctx) {
    return http::json(200, object{{"url", agenda.feed_url(ctx, false)}});
  });
  router.post("/api/v1/me/calendar-feed/reset", {}, [&agenda](const Request&, RequestContext& ctx) {
    return http::json(200, object{{"url", agenda.feed_url(ctx, true)}});
  });
  // The private feed: its token is the only key (calendar apps send no cookie).
  router.get("/api/v1/calendar.ics", {.auth = false}, [&agenda](const Request& req, RequestContext&) {
    const auto feed = agenda.feed(std::string(req.query_param("token").value_or("")));
    if (!feed) throw Error::not_found("No calendar has this address: it may have been reset.");
    Response response;
    response.status = 200;
    response.set_header("content-type", "text/calendar; charset=utf-8");
    response.set_header("cache-control", "private, max-age=300");
    response.body = *feed;
    return response;
  });

  router.get("/api/v1/rooms/{id}", {}, [&agenda, public_url](const Request& req, RequestContext& ctx) {
    const auto id = std::string(req.param("id"));
    const auto view = agenda.room(ctx, id);
    array participants;
    for (const auto& p : view.participants) participants.push_back(object{{"id", p.id}, {"display_name", p.display_name}});
    array servers;
    for (const auto& s : view.ice_servers) {
      object server{{"urls", array(s.urls.begin(), s.urls.end())}};
      if (s.username) server["username"] = *s.username;
      if (s.credential) server["credential"] = *s.credential;
      servers.push_back(std::move(server));
    }
    return http::json(200, object{{"id", view.room.id},
                                  {"url", room_url(public_url, view.room.id)},
                                  {"title", view.title},
                                  {"status", view.status},
                                  {"opens_at", view.room.opens_at},
                                  {"closes_at", view.room.closes_at},
                                  {"appointment_id", or_null(view.room.appointment_id)},
                                  {"event_id", or_null(view.room.event_id)},
                                  {"participants", std::move(participants)},
                                  {"ice_servers", std::move(servers)}});
  });

  // Over /ws, the rooms' signalling: a tab joins, exchanges WebRTC offers, answers and candidates
  // with each other tab in the room, and leaves.
  router.on_socket("room.join", [&agenda](const RequestContext& ctx, const std::string& data) {
    const auto v = json::parse(data);
    json::Fields fields(v);
    const auto room = fields.required_string("room_id", 64);
    const auto peer = fields.required_string("peer_id", 64);
    fields.done();
    agenda.room_join(ctx, room, peer);
    return std::string();
  });
  router.on_socket("room.signal", [&agenda](const RequestContext& ctx, const std::string& data) {
    const auto v = json::parse(data);
    json::Fields fields(v);
    const auto room = fields.required_string("room_id", 64);
    const auto peer = fields.required_string("peer_id", 64);
    const auto to_user = fields.required_string("to_user", 36);
    const auto to_peer = fields.required_string("to_peer", 64);
    const auto* signal = v.is_object() ? v.as_object().if_contains("signal") : nullptr;
    if (signal == nullptr || !signal->is_object()) fields.validation().fail("signal", "A signal is a JSON object.");
    fields.done();
    agenda.room_signal(ctx, room, peer, to_user, to_peer, boost::json::serialize(*signal));
    return std::string();
  });
  router.on_socket("room.leave", [&agenda](const RequestContext& ctx, const std::string& data) {
    const auto v = json::parse(data);
    json::Fields fields(v);
    const auto room = fields.required_string("room_id", 64);
    const auto peer = fields.required_string("peer_id", 64);
    fields.done();
    agenda.room_leave(ctx, room, peer);
    return std::string();
  });
}

}  // namespace mnemos::communication
