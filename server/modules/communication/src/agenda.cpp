// The agenda (agenda.hpp): appointments, office hours, class events, video rooms, calendar feeds.
#include <mnemos/core/broadcaster.hpp>
#include <mnemos/core/db.hpp>
#include <mnemos/core/ids.hpp>
#include <mnemos/core/jobs.hpp>
#include <mnemos/core/json.hpp>
#include <mnemos/core/security.hpp>
#include <mnemos/core/timezone.hpp>

#include "agenda.hpp"
#include "agenda_repository.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <set>

namespace mnemos::communication {
namespace {

constexpr std::int64_t kHour = 60 * kMinute;
constexpr std::int64_t kDay = 24 * kHour;
constexpr std::int64_t kMaxMeeting = 4 * kHour;
constexpr std::int64_t kMinMeeting = 5 * kMinute;
constexpr std::int64_t kMaxOfficeWindow = 12 * kHour;
constexpr int kMaxOfficeSlots = 48;
constexpr std::int64_t kMaxEvent = 14 * kDay;
constexpr std::int64_t kMaxAgendaSpan = 62 * kDay;
constexpr std::size_t kMaxNote = 1000;
constexpr std::size_t kMaxSignalBytes = 65536;

namespace repo = agenda_repo;

users::PersonRef acting_person(soci::session& sql, const users::Directory& directory, const RequestContext& ctx) {
  auto me = ctx.user_id ? directory.person(sql, ctx.school(), *ctx.user_id) : std::nullopt;
  if (!me) throw Error::forbidden("The agenda is for the people of a school.");
  return *me;
}

// Whether `teacher_id` teaches one of the classes of `student_id`.
bool teaches(soci::session& sql, const users::Directory& directory, const std::string& school,
             const std::string& teacher_id, const std::string& student_id) {
  for (const auto& c : directory.classes_of(sql, school, student_id, "student")) {
    for (const auto& m : directory.class_members(sql, school, c.id)) {
      if (m.user_id == teacher_id && m.role == "teacher") return true;
    }
  }
  return false;
}

std::set<std::string> teachers_of(soci::session& sql, const users::Directory& directory, const std::string& school,
                                  const std::string& student_id) {
  std::set<std::string> out;
  for (const auto& c : directory.classes_of(sql, school, student_id, "student")) {
    for (const auto& m : directory.class_members(sql, school, c.id)) {
      if (m.role == "teacher") out.insert(m.user_id);
    }
  }
  return out;
}

std::string name_of(soci::session& sql, const users::Directory& directory, const std::string& school,
                    const std::string& id) {
  const auto p = directory.person(sql, school, id);
  return p ? p->display_name : std::string();
}

// "2026-12-03 14:30" in the school's time zone: the same in both languages.
std::string local_text(const TimeZone& zone, std::int64_t utc_ms) {
  const std::int64_t local_s = utc_ms / 1000 + zone.offset_at(utc_ms / 1000);
  const auto days = std::chrono::sys_days{std::chrono::days{local_s >= 0 ? local_s / 86400 : (local_s - 86399) / 86400}};
  const std::chrono::year_month_day ymd{days};
  const std::int64_t in_day = local_s - (days.time_since_epoch().count() * 86400);
  char out[64];
  std::snprintf(out, sizeof out, "%04d-%02u-%02u %02lld:%02lld", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<long long>(in_day / 3600), static_cast<long long>((in_day % 3600) / 60));
  return out;
}

std::shared_ptr<const TimeZone> zone_of(soci::session& sql, const users::Directory& directory,
                                        const std::string& school) {
  return TimeZone::named(directory.school_timezone(sql, school));
}

// One to three times to come, each 5 minutes to 4 hours long; throws naming the slot.
void check_slots(const std::vector<Slot>& slots, std::int64_t now) {
  if (slots.empty() || slots.size() > kMaxSlots) throw Error::invalid("slots", "Propose one to three times.");
  Validation v;
  for (std::size_t i = 0; i < slots.size(); ++i) {
    const auto field = "slots[" + std::to_string(i) + "]";
    const auto& s = slots[i];
    if (s.starts_at <= now) {
      v.fail(field + ".starts_at", "Propose a time to come.");
    } else if (s.starts_at > now + 366 * kDay) {
      v.fail(field + ".starts_at", "Propose a time within a year.");
    } else if (s.ends_at <= s.starts_at) {
      v.fail(field + ".ends_at", "A time ends after it starts.");
    } else if (s.ends_at - s.starts_at < kMinMeeting) {
      v.fail(field + ".ends_at", "A meeting lasts at least 5 minutes.");
    } else if (s.ends_at - s.starts_at > kMaxMeeting) {
      v.fail(field + ".ends_at", "A meeting lasts at most 4 hours.");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (slots[j].starts_at == s.starts_at && slots[j].ends_at == s.ends_at) {
        v.fail(field, "The same time is proposed twice.");
      }
    }
  }
  v.throw_if_failed();
}

std::string checked_note(const std::string& raw, const char* field) {
  auto note = json::trim(raw);
  if (note.size() > kMaxNote) throw Error::invalid(field, "A note is at most 1000 characters long.");
  return note;
}

// An appointment `ctx` takes part in, or 404 (another school's, someone else's, none).
Appointment appointment_of(soci::session& sql, const RequestContext& ctx, const std::string& id) {
  auto a = is_uuid(id) ? repo::find_appointment(sql, ctx.school(), id) : std::nullopt;
  if (!a || (a->student_id != *ctx.user_id && a->teacher_id != *ctx.user_id)) {
    throw Error::not_found("No appointment of yours has this id.");
  }
  return *a;
}

const std::string& other_side(const Appointment& a, const std::string& me) {
  return a.student_id == me ? a.teacher_id : a.student_id;
}

// The side that did not propose the waiting times answers them.
void check_answerer(const Appointment& a, const RequestContext& ctx) {
  if (a.status != "proposed") throw Error::conflict("This appointment is no longer waiting for an answer.");
  if (a.proposed_by == *ctx.user_id) throw Error::forbidden("You proposed these times: the other person answers.");
}

Room new_room(const std::string& school, std::int64_t starts_at, std::int64_t ends_at, std::int64_t now) {
  Room r;
  r.id = security::random_token(18);  // 144 random bits: the room's address cannot be guessed
  r.school_id = school;
  r.opens_at = starts_at - kRoomOpensBefore;
  r.closes_at = ends_at;
  r.created_at = now;
  return r;
}

std::string payload(const boost::json::object& o) { return boost::json::serialize(o); }

bool is_peer_id(const std::string& id) {
  return id.size() >= 8 && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
         });
}

}  // namespace

IceServer turn_credentials(const std::vector<std::string>& urls, const std::string& secret,
                           const std::string& user_id, std::int64_t expires_at_s) {
  IceServer server;
  server.urls = urls;
  server.username = std::to_string(expires_at_s) + ":" + user_id;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha1(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(server.username->data()), server.username->size(), digest, &length);
  std::string encoded(sodium_base64_encoded_len(length, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(encoded.data(), encoded.size(), digest, length, sodium_base64_VARIANT_ORIGINAL);
  encoded.resize(std::strlen(encoded.c_str()));
  server.credential = encoded;
  return server;
}

AgendaService::AgendaService(Dependencies& deps, NotificationService& notifications)
    : deps_(deps), notifications_(notifications) {}

namespace {

struct Told {
  std::vector<std::pair<std::string, Notification>> created;
};

AppointmentView view_of(soci::session& sql, const users::Directory& directory, const Appointment& a) {
  AppointmentView v{a, name_of(sql, directory, a.school_id, a.student_id),
                    name_of(sql, directory, a.school_id, a.teacher_id), std::nullopt};
  if (a.room_id) v.room = repo::find_room(sql, *a.room_id);
  return v;
}

}  // namespace

AppointmentView AgendaService::propose(const RequestContext& ctx, const std::string& other_id,
                                       const std::vector<Slot>& slots, const std::string& note) {
  const auto now = deps_.clock.now_ms();
  AppointmentView view;
  std::vector<std::pair<std::string, Notification>> told;
  deps_.db.write([&](soci::session& sql) {
    const auto me = acting_person(sql, deps_.directory, ctx);
    const auto other = is_uuid(other_id) ? deps_.directory.person(sql, ctx.school(), other_id) : std::nullopt;
    Appointment a;
    if (me.student) {
      if (!other || !other->teacher || other->status == "disabled" ||
          !teaches(sql, deps_.directory, ctx.school(), other->id, me.id)) {
        throw Error::invalid("teacher_id", "Choose one of your teachers.");
      }
      a.student_id = me.id;
      a.teacher_id = other->id;
    } else if (me.teacher) {
      if (!other || !other->student || other->status == "disabled" ||
          !teaches(sql, deps_.directory, ctx.school(), me.id, other->id)) {
        throw Error::invalid("student_id", "Choose one of your students.");
      }
      a.student_id = other->id;
      a.teacher_id = me.id;
    } else {
      throw Error::forbidden("Appointments are between a student and a teacher of theirs.");
    }
    check_slots(slots, now);
    a.id = new_id();
    a.school_id = ctx.school();
    a.status = "proposed";
    a.proposed_by = me.id;
    a.slots = slots;
    a.note = checked_note(note, "note");
    a.created_at = a.updated_at = now;
    repo::insert_appointment(sql, a);
    view = view_of(sql, deps_.directory, a);
    const auto zone = zone_of(sql, deps_.directory, ctx.school());
    told = notifications_.notify(sql, ctx.school(), {other->id},
                                 Notice{"appointment", "Appointment proposed by {}", {me.display_name},
                                        "{} proposes to meet on {}.", {me.display_name, local_text(*zone, slots.front().starts_at)},
                                        "/appointments/" + a.id, "appointment:" + a.id + ":proposed", false});
  });
  notifications_.push(told);
  return view;
}

AppointmentView AgendaService::change_appointment(const RequestContext& ctx, const std::string& id,
                                                  const AppointmentChange& change) {
  AppointmentView view;
  std::vector<std::pair<std::string, Notification>> told;
  deps_.db.write([&](soci::session& sql) {
    auto a = appointment_of(sql, ctx, id);
    const auto zone = zone_of(sql, deps_.directory, ctx.school());
    const auto me = name_of(sql, deps_.directory, ctx.school(), *ctx.user_id);
    const auto notice = change(sql, a, me, *zone);
    view = view_of(sql, deps_.directory, a);
    told = notifications_.notify(sql, ctx.school(), {other_side(a, *ctx.user_id)}, notice);
  });
  notifications_.push(told);
  return view;
}

AppointmentView AgendaService::accept(const RequestContext& ctx, const std::string& id, std::optional<int> slot) {
  const auto now = deps_.clock.now_ms();
  return change_appointment(ctx, id, [&](soci::session& sql, Appointment& a, const std::string& me, const TimeZone& zone) {
    check_answerer(a, ctx);
    if (!slot && a.slots.size() == 1) slot = 0;
    if (!slot || *slot < 0 || static_cast<std::size_t>(*slot) >= a.slots.size()) {
      throw Error::invalid("slot", "Choose one of the proposed times.");
    }
    const auto chosen = a.slots[static_cast<std::size_t>(*slot)];
    if (chosen.starts_at <= now) throw Error::invalid("slot", "This time has passed: propose others.");
    for (const auto& other : repo::accepted_between(sql, ctx.school(), a.teacher_id, chosen.starts_at, chosen.ends_at)) {
      if (other.id != a.id) throw Error::conflict("The teacher already has an appointment at this time.");
    }
    auto room = new_room(ctx.school(), chosen.starts_at, chosen.ends_at, now);
    room.appointment_id = a.id;
    repo::insert_room(sql, room);
    a.status = "accepted";
    a.starts_at = chosen.starts_at;
    a.ends_at = chosen.ends_at;
    a.room_id = room.id;
    a.updated_at = now;
    if (!repo::update_appointment(sql, a, "proposed")) {
      throw Error::conflict("This appointment is no longer waiting for an answer.");
    }
    jobs::enqueue(sql, deps_.clock, "communication.appointment_reminder",
                  payload({{"appointment_id", a.id}, {"starts_at", chosen.starts_at}}), ctx.school(),
                  std::max(now, chosen.starts_at - kReminderBefore));
    return Notice{"appointment", "Appointment accepted", {},
                  "{} accepted to meet on {}. The video room opens 10 minutes before.",
                  {me, local_text(zone, chosen.starts_at)}, "/appointments/" + a.id,
                  "appointment:" + a.id + ":accepted", false};
  });
}

AppointmentView AgendaService::decline(const RequestContext& ctx, const std::string& id, const std::string& reply) {
  const auto now = deps_.clock.now_ms();
  return change_appointment(ctx, id, [&](soci::session& sql, Appointment& a, const std::string& me, const TimeZone&) {
    check_answerer(a, ctx);
    a.reply = checked_note(reply, "reply");
    a.status = "declined";
    a.updated_at = now;
    if (!repo::update_appointment(sql, a, "proposed")) {
      throw Error::conflict("This appointment is no longer waiting for an answer.");
    }
    return Notice{"appointment", "Appointment declined", {}, "{} declined the appointment. {}", {me, a.reply},
                  "/appointments/" + a.id, "appointment:" + a.id + ":declined", false};
  });
}

AppointmentView AgendaService::propose_other_times(const RequestContext& ctx, const std::string& id,
                                                   const std::vector<Slot>& slots, const std::string& reply) {
  const auto now = deps_.clock.now_ms();
  return change_appointment(ctx, id, [&](soci::session& sql, Appointment& a, const std::string& me, const TimeZone& zone) {
    check_answerer(a, ctx);
    check_slots(slots, now);
    a.reply = checked_note(reply, "reply");
    a.slots = slots;
    a.proposed_by = *ctx.user_id;
    a.updated_at = now;
    if (!repo::update_appointment(sql, a, "proposed")) {
      throw Error::conflict("This appointment is no longer waiting for an answer.");
    }
    return Notice{"appointment", "Other times proposed by {}", {me}, "{} proposes to meet on {} instead.",
                  {me, local_text(zone, slots.front().starts_at)}, "/appointments/" + a.id,
                  "appointment:" + a.id + ":proposed:" + std::to_string(now), false};
  });
}

AppointmentView AgendaService::cancel(const RequestContext& ctx, const std::string& id, const std::string& reply) {
  const auto now = deps_.clock.now_ms();
  return change_appointment(ctx, id, [&](soci::session& sql, Appointment& a, const std::string& me, const TimeZone& zone) {
    if (a.status != "proposed" && a.status != "accepted") {
      throw Error::conflict("This appointment is already declined or cancelled.");
    }
    if (a.status == "accepted" && a.ends_at && *a.ends_at <= now) throw Error::conflict("This appointment is over.");
    const auto before = a.status;
    a.reply = checked_note(reply, "reply");
    a.status = "cancelled";
    a.cancelled_by = *ctx.user_id;
    a.updated_at = now;
    if (!repo::update_appointment(sql, a, before)) throw Error::conflict("This appointment changed meanwhile: reload it.");
    if (a.room_id) repo::delete_room(sql, ctx.school(), *a.room_id);
    if (a.office_hour_id) repo::free_office_hour(sql, ctx.school(), *a.office_hour_id);
    const auto when = a.starts_at.value_or(a.slots.empty() ? now : a.slots.front().starts_at);
    return Notice{"appointment", "Appointment cancelled", {}, "{} cancelled the appointment of {}. {}",
                  {me, local_text(zone, when), a.reply}, "/appointments/" + a.id,
                  "appointment:" + a.id + ":cancelled", false};
  });
}

AppointmentView AgendaService::get(const RequestContext& ctx, const std::string& id) {
  return deps_.db.read([&](soci::session& sql) { return view_of(sql, deps_.directory, appointment_of(sql, ctx, id)); });
}

std::vector<RoomPerson> AgendaService::partners(const RequestContext& ctx) {
  return deps_.db.read([&](soci::session& sql) {
    const auto me = acting_person(sql, deps_.directory, ctx);
    std::vector<users::PersonRef> people;
    if (me.student) {
      const auto ids = teachers_of(sql, deps_.directory, ctx.school(), me.id);
      people = deps_.directory.people(sql, ctx.school(), std::vector<std::string>(ids.begin(), ids.end()));
    } else if (me.teacher) {
      people = deps_.directory.students_taught_by(sql, ctx.school(), me.id);
    }
    std::vector<RoomPerson> out;
    for (const auto& p : people) {
      if (p.status != "disabled") out.push_back({p.id, p.display_name});
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.display_name < b.display_name; });
    return out;
  });
}

std::vector<AppointmentView> AgendaService::list(const RequestContext& ctx, bool current_only) {
  const auto now = deps_.clock.now_ms();
  return deps_.db.read([&](soci::session& sql) {
    acting_person(sql, deps_.directory, ctx);
    std::vector<AppointmentView> current;
    std::vector<AppointmentView> others;
    for (const auto& a : repo::appointments_of(sql, ctx.school(), *ctx.user_id)) {
      const bool live = a.status == "proposed" || (a.status == "accepted" && a.ends_at && *a.ends_at > now);
      if (!live && current_only) continue;
      (live ? current : others).push_back(view_of(sql, deps_.directory, a));
    }
    auto when = [](const AppointmentView& v) {
      const auto& a = v.appointment;
      return a.starts_at.value_or(a.slots.empty() ? 0 : a.slots.front().starts_at);
    };
    std::stable_sort(current.begin(), current.end(), [&](const auto& x, const auto& y) { return when(x) < when(y); });
    current.insert(current.end(), others.begin(), others.end());
    return current;
  });
}

// --- Office hours -------------------------------------------------------------------------------

std::vector<OfficeHourView> AgendaService::publish_office_hours(const RequestContext& ctx, std::int64_t starts_at,
                                                                std::int64_t ends_at, int minutes,
                                                                const std::string& note) {
  const auto now = deps_.clock.now_ms();
  std::vector<OfficeHourView> out;
  deps_.db.write([&](soci::session& sql) {
    const auto me = acting_person(sql, deps_.directory, ctx);
    if (!me.teacher) throw Error::forbidden("Only teachers publish office hours.");
    Validation v;
    if (starts_at <= now) v.fail("starts_at", "Publish office hours to come.");
    if (starts_at > now + 366 * kDay) v.fail("starts_at", "Publish office hours within a year.");
    if (ends_at <= starts_at) {
      v.fail("ends_at", "Office hours end after they start.");
    } else if (ends_at - starts_at > kMaxOfficeWindow) {
      v.fail("ends_at", "Office hours last at most 12 hours at a time.");
    }
    if (minutes != 0 && (minutes < 5 || minutes > 240)) v.fail("slot_minutes", "A slot lasts 5 to 240 minutes.");
    v.throw_if_failed();
    const std::int64_t length = minutes == 0 ? ends_at - starts_at : std::int64_t{minutes} * kMinute;
    if (length < kMinMeeting) throw Error::invalid("ends_at", "A meeting lasts at least 5 minutes.");
    if ((ends_at - starts_at) / length > kMaxOfficeSlots) {
      throw Error::invalid("slot_minutes", "Office hours hold at most 48 slots at a time.");
    }
    if ((ends_at - starts_at) / length < 1) throw Error::invalid("slot_minutes", "A slot must fit in the office hours.");
    if (!repo::office_hours_of(sql, ctx.school(), me.id, starts_at, ends_at).empty()) {
      throw Error::conflict("These office hours overlap ones you already published.");
    }
    const auto text = checked_note(note, "note");
    for (std::int64_t at = starts_at; at + length <= ends_at; at += length) {
      OfficeHour o{new_id(), ctx.school(), me.id, at, at + length, text, std::nullopt, now};
      repo::insert_office_hour(sql, o);
      out.push_back({o, me.display_name, std::nullopt});
    }
  });
  return out;
}

std::vector<OfficeHourView> AgendaService::office_hours(const RequestContext& ctx,
                                                        const std::optional<std::string>& teacher_id) {
  const auto now = deps_.clock.now_ms();
  return deps_.db.read([&](soci::session& sql) {
    const auto me = acting_person(sql, deps_.directory, ctx);
    std::vector<OfficeHourView> out;
    const auto horizon = now + 366 * kDay;
    if (me.student) {
      const auto mine = teachers_of(sql, deps_.directory, ctx.school(), me.id);
      if (teacher_id && !mine.contains(*teacher_id)) throw Error::invalid("teacher_id", "Choose one of your teachers.");
      for (const auto& t : mine) {
        if (teacher_id && t != *teacher_id) continue;
        const auto name = name_of(sql, deps_.directory, ctx.school(), t);
        for (const auto& o : repo::office_hours_of(sql, ctx.school(), t, now, horizon)) {
          if (o.starts_at <= now) continue;
          if (!o.appointment_id) out.push_back({o, name, std::nullopt});
        }
      }
      std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) { return x.slot.starts_at < y.slot.starts_at; });
      return out;
    }
    const std::string teacher = teacher_id.value_or(me.id);
    if (teacher != me.id && !me.staff) throw Error::invalid("teacher_id", "Choose one of your teachers.");
    const auto name = name_of(sql, deps_.directory, ctx.school(), teacher);
    for (const auto& o : repo::office_hours_of(sql, ctx.school(), teacher, now, horizon)) {
      OfficeHourView v{o, name, std::nullopt};
      if (o.appointment_id) {
        if (const auto a = repo::find_appointment(sql, ctx.school(), *o.appointment_id)) {
          v.student_name = name_of(sql, deps_.directory, ctx.school(), a->student_id);
        }
      }
      out.push_back(std::move(v));
    }
    return out;
  });
}

namespace {

// An office hour `ctx` may see: its teacher, the school's staff, the students of its teacher.
OfficeHour office_hour_for(soci::session& sql, const users::Directory& directory, const RequestContext& ctx,
                           const std::string& id) {
  auto o = is_uuid(id) ? repo::find_office_hour(sql, ctx.school(), id) : std::nullopt;
  if (o && o->teacher_id != *ctx.user_id) {
    const auto me = directory.person(sql, ctx.school(), *ctx.user_id);
    bool visible = me && me->staff;
    // A booked one too (without who booked it): a student who saw it free hears it was taken.
    if (!visible && me && me->student) visible = teaches(sql, directory, ctx.school(), o->teacher_id, me->id);
    if (!visible) o.reset();
  }
  if (!o) throw Error::not_found("No office hour you may see has this id.");
  return *o;
}

}  // namespace

OfficeHourView AgendaService::office_hour(const RequestContext& ctx, const std::string& id) {
  return deps_.db.read([&](soci::session& sql) {
    const auto o = office_hour_for(sql, deps_.directory, ctx, id);
    OfficeHourView v{o, name_of(sql, deps_.directory, ctx.school(), o.teacher_id), std::nullopt};
    if (o.appointment_id && o.teacher_id == *ctx.user_id) {
      if (const auto a = repo::find_appointment(sql, ctx.school(), *o.appointment_id)) {
        v.student_name = name_of(sql, deps_.directory, ctx.school(), a->student_id);
      }
    }
    return v;
  });
}

AppointmentView AgendaService::book(const RequestContext& ctx, const std::string& office_hour_id,
                                    const std::string& note) {
  const auto now = deps_.clock.now_ms();
  AppointmentView view;
  std::vector<std::pair<std::string, Notification>> told;
  deps_.db.write([&](soci::session& sql) {
    const auto o = office_hour_for(sql, deps_.directory, ctx, office_hour_id);
    const auto me = acting_person(sql, deps_.directory, ctx);
    if (!me.student || o.teacher_id == me.id) throw Error::forbidden("Students book their teachers' office hours.");
    if (o.starts_at <= now) throw Error::conflict("This office hour has passed.");
    if (o.appointment_id) throw Error::conflict("Someone else booked this office hour.");
    Appointment a;
    a.id = new_id();
    a.school_id = ctx.school();
    a.student_id = me.id;
    a.teacher_id = o.teacher_id;
    a.status = "accepted";
    a.proposed_by = me.id;
    a.slots = {{o.starts_at, o.ends_at}};
    a.note = checked_note(note, "note");
    a.starts_at = o.starts_at;
    a.ends_at = o.ends_at;
    a.office_hour_id = o.id;
    a.created_at = a.updated_at = now;
    auto room = new_room(ctx.school(), o.starts_at, o.ends_at, now);
    room.appointment_id = a.id;
    a.room_id = room.id;
    repo::insert_appointment(sql, a);
    repo::insert_room(sql, room);
    // The one booking that wins: a concurrent one finds the slot taken and rolls back.
    if (!repo::claim_office_hour(sql, ctx.school(), o.id, a.id)) {
      throw Error::conflict("Someone else booked this office hour.");
    }
    jobs::enqueue(sql, deps_.clock, "communication.appointment_reminder",
                  payload({{"appointment_id", a.id}, {"starts_at", o.starts_at}}), ctx.school(),
                  std::max(now, o.starts_at - kReminderBefore));
    view = view_of(sql, deps_.directory, a);
    const auto zone = zone_of(sql, deps_.directory, ctx.school());
    told = notifications_.notify(sql, ctx.school(), {o.teacher_id},
                                 Notice{"appointment", "Office hour booked", {}, "{} booked your office hour of {}.",
                                        {me.display_name, local_text(*zone, o.starts_at)}, "/appointments/" + a.id,
                                        "appointment:" + a.id + ":booked", false});
  });
  notifications_.push(told);
  return view;
}

void AgendaService::remove_office_hour(const RequestContext& ctx, const std::string& id) {
  const auto now = deps_.clock.now_ms();
  std::vector<std::pair<std::string, Notification>> told;
  deps_.db.write([&](soci::session& sql) {
    const auto o = office_hour_for(sql, deps_.directory, ctx, id);
    const auto me = acting_person(sql, deps_.directory, ctx);
    if (o.teacher_id != me.id && !me.staff) throw Error::forbidden("Only its teacher removes an office hour.");
    if (o.appointment_id) {
      if (auto a = repo::find_appointment(sql, ctx.school(), *o.appointment_id); a && a->status == "accepted") {
        a->status = "cancelled";
        a->cancelled_by = me.id;
        a->updated_at = now;
        repo::update_appointment(sql, *a, "accepted");
        if (a->room_id) repo::delete_room(sql, ctx.school(), *a->room_id);
        const auto zone = zone_of(sql, deps_.directory, ctx.school());
        told = notifications_.notify(sql, ctx.school(), {a->student_id},
                                     Notice{"appointment", "Appointment cancelled", {},
                                            "{} cancelled the appointment of {}. {}",
                                            {me.display_name, local_text(*zone, o.starts_at), std::string()},
                                            "/appointments/" + a->id, "appointment:" + a->id + ":cancelled", false});
      }
    }
    repo::delete_office_hour(sql, ctx.school(), o.id);
  });
  notifications_.push(told);
}

// --- Class events -------------------------------------------------------------------------------

namespace {

// May `ctx` add to or change the agenda of the class: its teachers and the school's staff.
bool runs_class(soci::session& sql, const users::Directory& directory, const users::PersonRef& me,
                const std::string& school, const std::string& class_id) {
  if (me.staff) return directory.school_class(sql, school, class_id).has_value();
  for (const auto& c : directory.classes_of(sql, school, me.id, "teacher")) {
    if (c.id == class_id) return true;
  }
  return false;
}

bool in_class(soci::session& sql, const users::Directory& directory, const std::string& school,
              const std::string& user_id, const std::string& class_id) {
  for (const auto& m : directory.class_members(sql, school, class_id)) {
    if (m.user_id == user_id) return true;
  }
  return false;
}

void check_event_times(std::int64_t starts_at, std::int64_t ends_at, const std::string& kind) {
  if (kind == "deadline" ? ends_at < starts_at : ends_at <= starts_at) {
    throw Error::invalid("ends_at", "An event ends after it starts.");
  }
  if (ends_at - starts_at > kMaxEvent) throw Error::invalid("ends_at", "An event lasts at most 14 days.");
}

std::string checked_title(const std::string& raw) {
  auto title = json::trim(raw);
  if (title.empty()) throw Error::invalid("title", "Give the event a title.");
  if (title.size() > 200) throw Error::invalid("title", "A title is at most 200 characters long.");
  return title;
}

}  // namespace

EventView AgendaService::add_event(const RequestContext& ctx, const NewEvent& input) {
  const auto now = deps_.clock.now_ms();
  EventView view;
  std::vector<std::pair<std::string, Notification>> told;
  deps_.db.write([&](soci::session& sql) {
    const auto me = acting_person(sql, deps_.directory, ctx);
    if (!me.teacher && !me.staff) throw Error::forbidden("Teachers and the school's staff add class events.");
    if (!is_uuid(input.class_id) || !runs_class(sql, deps_.directory, me, ctx.school(), input.class_id)) {
      throw Error::invalid("class_id", "Choose one of your classes.");
    }
    if (input.kind != "event" && input.kind != "exam" && input.kind != "deadline") {
      throw Error::invalid("kind", "Choose event, exam or deadline.");
    }
    ClassEvent e;
    e.id = new_id();
    e.school_id = ctx.school();
    e.class_id = input.class_id;
    e.author_id = me.id;
    e.kind = input.kind;
    e.title = checked_title(input.title);
    e.description = json::trim(input.description);
    if (e.description.size() > 4000) throw Error::invalid("description", "A description is at most 4000 characters long.");
    check_event_times(input.starts_at, input.ends_at, input.kind);
    e.starts_at = input.starts_at;
    e.ends_at = input.ends_at;
    std::optional<std::string> path_title;
    if (input.path_id) {
      try {
        const auto path = deps_.paths.usable(sql, ctx, *input.path_id);
        e.path_id = path.id;
        path_title = path.title;
      } catch (const Error&) {
        throw Error::invalid("path_id", "No path you may use has this id.");
      }
    }
    e.created_at = e.updated_at = now;
    if (input.video) {
      if (e.kind == "deadline") throw Error::invalid("video", "A deadline has no video room.");
      auto room = new_room(ctx.school(), e.starts_at, e.ends_at, now);
      room.event_id = e.id;
      repo::insert_room(sql, room);
      e.room_id = room.id;
    }
    repo::insert_event(sql, e);
    const auto klass = deps_.directory.school_class(sql, ctx.school(), e.class_id);
    view = EventView{e, klass ? klass->name : std::string(), path_title};
    std::vector<std::string> students;
    for (const auto& m : deps_.directory.class_members(sql, ctx.school(), e.class_id)) {
      if (m.role == "student") students.push_back(m.user_id);
    }
    const auto zone = zone_of(sql, deps_.directory, ctx.school());
    told = notifications_.notify(sql, ctx.school(), students,
                                 Notice{"class_event", "New in the agenda of {}", {view.class_name}, "{}, {}.",
                                        {e.title, local_text(*zone, e.starts_at)}, "/agenda?event=" + e.id,
                                        "event:" + e.id, false});
  });
  notifications_.push(told);
  return view;
}

namespace {

ClassEvent event_for(soci::session& sql, const users::Directory& directory, const RequestContext& ctx,
                     const std::string& id) {
  auto e = is_uuid(id) ? repo::find_event(sql, ctx.school(), id) : std::nullopt;
  if (e) {
    const auto me = directory.person(sql, ctx.school(), *ctx.user_id);
    if (!me || !(me->staff || in_class(sql, directory, ctx.school(), me->id, e->class_id))) e.reset();
  }
  if (!e) throw Error::not_found("No event of your classes has this id.");
  return *e;
}

EventView event_view(soci::session& sql, const Dependencies& deps, const ClassEvent& e) {
  const auto klass = deps.directory.school_class(sql, e.school_id, e.class_id);
  std::optional<std::string> path_title;
  if (e.path_id) {
    if (const auto p = deps.paths.find(sql, e.school_id, *e.path_id)) path_title = p->title;
  }
  return EventView{e, klass ? klass->name : std::string(), path_title};
}

}  // namespace

EventView AgendaService::event(const RequestContext& ctx, const std::string& id) {
  return deps_.db.read([&](soci::session& sql) { return event_view(sql, deps_, event_for(sql, deps_.directory, ctx, id)); });
}

EventView AgendaService::change_event(const RequestContext& ctx, const std::string& id, const EventChange& change) {
  const auto now = deps_.clock.now_ms();
  return deps_.db.write([&](soci::session& sql) {
    auto e = event_for(sql, deps_.directory, ctx, id);
    const auto me = acting_person(sql, deps_.directory, ctx);
    if (!runs_class(sql, deps_.directory, me, ctx.school(), e.class_id)) {
      throw Error::forbidden("Only the class's teachers and the school's staff change its events.");
    }
    if (change.title) e.title = checked_title(*change.title);
    if (change.description) {
      e.description = json::trim(*change.description);
      if (e.description.size() > 4000) throw Error::invalid("description", "A description is at most 4000 characters long.");
    }
    if (change.starts_at) e.starts_at = *change.starts_at;
    if (change.ends_at) e.ends_at = *change.ends_at;
    check_event_times(e.starts_at, e.ends_at, e.kind);
    e.updated_at = now;
    repo::update_event(sql, e);
    if (e.room_id) repo::move_room(sql, ctx.school(), *e.room_id, e.starts_at - kRoomOpensBefore, e.ends_at);
    return event_view(sql, deps_, e);
  });
}

void AgendaService::remove_event(const RequestContext& ctx, const std::string& id) {
  deps_.db.write([&](soci::session& sql) {
    const auto e = event_for(sql, deps_.directory, ctx, id);
    const auto me = acting_person(sql, deps_.directory, ctx);
    if (!runs_class(sql, deps_.directory, me, ctx.school(), e.class_id)) {
      throw Error::forbidden("Only the class's teachers and the school's staff change its events.");
    }
    if (e.room_id) repo::delete_room(sql, ctx.school(), *e.room_id);
    repo::delete_event(sql, ctx.school(), e.id);
  });
}

// --- The agenda and its feed --------------------------------------------------------------------

namespace {

std::vector<AgendaItem> items_of(soci::session& sql, const Dependencies& deps, const std::string& school,
                                 const std::string& user_id, std::int64_t from, std::int64_t to, bool with_proposals) {
  std::vector<AgendaItem> items;
  auto appointment_title = [&](const Appointment& a) {
    const auto& other = other_side(a, user_id);
    return name_of(sql, deps.directory, school, other);
  };
  for (const auto& a : repo::accepted_between(sql, school, user_id, from, to)) {
    items.push_back({"appointment", a.id, appointment_title(a), *a.starts_at, *a.ends_at, a.status, a.room_id,
                     std::nullopt, "/appointments/" + a.id, a.note});
  }
  if (with_proposals) {
    for (const auto& a : repo::proposed_for(sql, school, user_id)) {
      for (const auto& s : a.slots) {
        if (s.ends_at <= from || s.starts_at >= to) continue;
        items.push_back({"appointment", a.id, appointment_title(a), s.starts_at, s.ends_at, a.status, std::nullopt,
                         std::nullopt, "/appointments/" + a.id, a.note});
      }
    }
    for (const auto& o : repo::office_hours_of(sql, school, user_id, from, to)) {
      if (o.appointment_id) continue;  // booked: shown as its appointment
      items.push_back({"office_hour", o.id, o.note, o.starts_at, o.ends_at, std::nullopt, std::nullopt, std::nullopt,
                       "/appointments?tab=office-hours", o.note});
    }
  }
  std::set<std::string> classes;
  for (const char* role : {"student", "teacher"}) {
    for (const auto& c : deps.directory.classes_of(sql, school, user_id, role)) classes.insert(c.id);
  }
  for (const auto& class_id : classes) {
    for (const auto& e : repo::events_of_class(sql, school, class_id, from, to)) {
      items.push_back({e.kind, e.id, e.title, e.starts_at, e.ends_at, std::nullopt, e.room_id, e.class_id,
                       "/agenda?event=" + e.id, e.description});
    }
  }
  std::stable_sort(items.begin(), items.end(), [](const auto& x, const auto& y) { return x.starts_at < y.starts_at; });
  return items;
}

}  // namespace

std::pair<std::vector<AgendaItem>, std::string> AgendaService::agenda(const RequestContext& ctx, std::int64_t from,
                                                                      std::int64_t to) {
  if (to <= from) throw Error::invalid("to", "The end of the period comes after its start.");
  if (to - from > kMaxAgendaSpan) throw Error::invalid("to", "Ask for at most 62 days at a time.");
  return deps_.db.read([&](soci::session& sql) {
    acting_person(sql, deps_.directory, ctx);
    return std::make_pair(items_of(sql, deps_, ctx.school(), *ctx.user_id, from, to, true),
                          deps_.directory.school_timezone(sql, ctx.school()));
  });
}

std::string AgendaService::feed_url(const RequestContext& ctx, bool reset) {
  const auto now = deps_.clock.now_ms();
  const auto token = deps_.db.write([&](soci::session& sql) {
    acting_person(sql, deps_.directory, ctx);
    auto existing = repo::feed_token(sql, *ctx.user_id);
    if (existing && !reset) return *existing;
    auto made = security::random_token(24);
    repo::put_feed_token(sql, ctx.school(), *ctx.user_id, made, now);
    return made;
  });
  return deps_.public_url + "/api/v1/calendar.ics?token=" + token;
}

std::optional<std::string> AgendaService::feed(const std::string& token) {
  if (token.empty() || token.size() > 64) return std::nullopt;
  const auto now = deps_.clock.now_ms();
  return deps_.db.read([&](soci::session& sql) -> std::optional<std::string> {
    const auto owner = repo::feed_owner(sql, token);
    if (!owner) return std::nullopt;
    const auto person = deps_.directory.person(sql, owner->first, owner->second);
    if (!person || person->status == "disabled") return std::nullopt;
    auto items = items_of(sql, deps_, owner->first, owner->second, now - 30 * kDay, now + 366 * kDay, false);
    return icalendar(items, "Mnemos — " + person->display_name, deps_.public_url, now);
  });
}

void AgendaService::remind(const std::string& school_id, const std::string& appointment_id, std::int64_t starts_at) {
  std::vector<std::pair<std::string, Notification>> told;
  deps_.db.write([&](soci::session& sql) {
    const auto a = repo::find_appointment(sql, school_id, appointment_id);
    // Cancelled, or moved since: this reminder is not the one to send.
    if (!a || a->status != "accepted" || a->starts_at != starts_at) return;
    const auto zone = zone_of(sql, deps_.directory, school_id);
    const auto when = local_text(*zone, starts_at);
    const auto link = a->room_id ? "/rooms/" + *a->room_id : "/appointments/" + a->id;
    for (const auto& [me, other] : {std::pair{a->student_id, a->teacher_id}, std::pair{a->teacher_id, a->student_id}}) {
      auto created = notifications_.notify(
          sql, school_id, {me},
          Notice{"appointment", "Appointment at {}", {when.substr(11)},
                 "Your appointment with {} starts at {}. The video room is open.",
                 {name_of(sql, deps_.directory, school_id, other), when}, link,
                 "appointment:" + a->id + ":reminder:" + std::to_string(starts_at), false});
      told.insert(told.end(), created.begin(), created.end());
    }
  });
  notifications_.push(told);
}

// --- Video rooms --------------------------------------------------------------------------------

namespace {

struct RoomAccess {
  Room room;
  std::string title;
  std::vector<RoomPerson> participants;
};

// The room if `ctx` may join it: an appointment's two people, a class event's class (and the
// school's staff for a class event); 404 otherwise.
RoomAccess room_for(soci::session& sql, const Dependencies& deps, const RequestContext& ctx, const std::string& id) {
  auto room = id.size() <= 64 ? repo::find_room(sql, id) : std::nullopt;
  RoomAccess access;
  bool allowed = false;
  if (room && ctx.school_id && room->school_id == *ctx.school_id) {
    std::vector<std::string> ids;
    if (room->appointment_id) {
      if (const auto a = repo::find_appointment(sql, room->school_id, *room->appointment_id); a && a->status == "accepted") {
        ids = {a->student_id, a->teacher_id};
        allowed = *ctx.user_id == a->student_id || *ctx.user_id == a->teacher_id;
        access.title = name_of(sql, deps.directory, room->school_id, a->student_id) + " · " +
                       name_of(sql, deps.directory, room->school_id, a->teacher_id);
      }
    } else if (room->event_id) {
      if (const auto e = repo::find_event(sql, room->school_id, *room->event_id)) {
        for (const auto& m : deps.directory.class_members(sql, room->school_id, e->class_id)) ids.push_back(m.user_id);
        const auto me = deps.directory.person(sql, room->school_id, *ctx.user_id);
        allowed = std::find(ids.begin(), ids.end(), *ctx.user_id) != ids.end() || (me && me->staff);
        if (allowed && std::find(ids.begin(), ids.end(), *ctx.user_id) == ids.end()) ids.push_back(*ctx.user_id);
        access.title = e->title;
      }
    }
    if (allowed) {
      for (const auto& p : deps.directory.people(sql, room->school_id, ids)) {
        access.participants.push_back({p.id, p.display_name});
      }
    }
  }
  if (!allowed) throw Error::not_found("No video room of yours has this id.");
  // A school whose plan has no video rooms keeps its appointments, without their room.
  if (auto refusal = deps.plan.refusal(sql, ctx.school(), "video_rooms", 1)) throw Error(ErrorCode::limit_reached, *refusal);
  access.room = *room;
  return access;
}

std::string room_status(const Room& r, std::int64_t now) {
  if (now < r.opens_at) return "waiting";
  if (now >= r.closes_at) return "closed";
  return "open";
}

void require_open(const Room& r, std::int64_t now) {
  const auto status = room_status(r, now);
  if (status == "waiting") throw Error::conflict("The room opens 10 minutes before the start.");
  if (status == "closed") throw Error::conflict("The room has closed.");
}

bool has_participant(const RoomAccess& access, const std::string& user_id) {
  return std::any_of(access.participants.begin(), access.participants.end(),
                     [&](const RoomPerson& p) { return p.id == user_id; });
}

void check_peer(const std::string& peer_id, const char* field) {
  if (!is_peer_id(peer_id)) throw Error::invalid(field, "A peer id is 8 to 64 letters, digits, - or _.");
}

}  // namespace

RoomView AgendaService::room(const RequestContext& ctx, const std::string& id) {
  const auto now = deps_.clock.now_ms();
  auto access = deps_.db.read([&](soci::session& sql) { return room_for(sql, deps_, ctx, id); });
  RoomView view{access.room, access.title, room_status(access.room, now), access.participants, {}};
  if (!deps_.video.stun_urls.empty()) view.ice_servers.push_back({deps_.video.stun_urls, std::nullopt, std::nullopt});
  if (!deps_.video.turn_urls.empty() && !deps_.video.turn_secret.empty()) {
    view.ice_servers.push_back(turn_credentials(deps_.video.turn_urls, deps_.video.turn_secret, *ctx.user_id,
                                                now / 1000 + deps_.video.turn_ttl_s));
  }
  return view;
}

void AgendaService::room_join(const RequestContext& ctx, const std::string& room_id, const std::string& peer_id) {
  check_peer(peer_id, "peer_id");
  const auto now = deps_.clock.now_ms();
  const auto access = deps_.db.read([&](soci::session& sql) { return room_for(sql, deps_, ctx, room_id); });
  require_open(access.room, now);
  std::string name;
  for (const auto& p : access.participants) {
    if (p.id == *ctx.user_id) name = p.display_name;
  }
  const auto message = realtime::envelope(
      "room.peer_joined", payload({{"room_id", room_id}, {"user_id", *ctx.user_id}, {"display_name", name}, {"peer_id", peer_id}}));
  for (const auto& p : access.participants) deps_.broadcaster.publish(realtime::user_topic(p.id), message);
}

void AgendaService::room_signal(const RequestContext& ctx, const std::string& room_id, const std::string& peer_id,
                                const std::string& to_user, const std::string& to_peer, const std::string& signal_json) {
  check_peer(peer_id, "peer_id");
  check_peer(to_peer, "to_peer");
  if (signal_json.size() > kMaxSignalBytes) throw Error::invalid("signal", "A signal is at most 64 KiB.");
  const auto now = deps_.clock.now_ms();
  const auto access = deps_.db.read([&](soci::session& sql) { return room_for(sql, deps_, ctx, room_id); });
  require_open(access.room, now);
  if (!has_participant(access, to_user)) throw Error::invalid("to_user", "This person is not in the room.");
  const std::string data = "{\"room_id\":" + boost::json::serialize(boost::json::value(room_id)) +
                           ",\"from_user\":" + boost::json::serialize(boost::json::value(*ctx.user_id)) +
                           ",\"from_peer\":" + boost::json::serialize(boost::json::value(peer_id)) +
                           ",\"to_peer\":" + boost::json::serialize(boost::json::value(to_peer)) +
                           ",\"signal\":" + signal_json + "}";
  deps_.broadcaster.publish(realtime::user_topic(to_user), realtime::envelope("room.signal", data));
}

void AgendaService::room_leave(const RequestContext& ctx, const std::string& room_id, const std::string& peer_id) {
  check_peer(peer_id, "peer_id");
  const auto access = deps_.db.read([&](soci::session& sql) { return room_for(sql, deps_, ctx, room_id); });
  const auto message = realtime::envelope(
      "room.peer_left", payload({{"room_id", room_id}, {"user_id", *ctx.user_id}, {"peer_id", peer_id}}));
  for (const auto& p : access.participants) deps_.broadcaster.publish(realtime::user_topic(p.id), message);
}

// --- iCalendar ----------------------------------------------------------------------------------

namespace {

std::string utc_stamp(std::int64_t ms) {
  const std::int64_t s = ms / 1000;
  const auto days = std::chrono::sys_days{std::chrono::days{s / 86400}};
  const std::chrono::year_month_day ymd{days};
  const std::int64_t in_day = s % 86400;
  char out[64];
  std::snprintf(out, sizeof out, "%04d%02u%02uT%02lld%02lld%02lldZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<long long>(in_day / 3600), static_cast<long long>((in_day % 3600) / 60),
                static_cast<long long>(in_day % 60));
  return out;
}

// TEXT values escape backslash, semicolon, comma and newlines (RFC 5545 3.3.11).
std::string ical_text(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == ';' || c == ',') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c != '\r' && (static_cast<unsigned char>(c) >= 0x20 || c == '\t')) {
      out += c;
    }
  }
  return out;
}

// Lines longer than 75 octets are folded (CRLF and a space), never inside a UTF-8 character.
void add_line(std::string& out, const std::string& line) {
  std::size_t start = 0;
  std::size_t limit = 75;
  while (line.size() - start > limit) {
    std::size_t end = start + limit;
    while (end > start && (static_cast<unsigned char>(line[end]) & 0xC0) == 0x80) --end;
    out.append(line, start, end - start);
    out += "\r\n ";
    start = end;
    limit = 74;  // the leading space counts
  }
  out.append(line, start, std::string::npos);
  out += "\r\n";
}

}  // namespace

std::string icalendar(const std::vector<AgendaItem>& items, const std::string& calendar_name,
                      const std::string& public_url, std::int64_t now) {
  std::string out;
  add_line(out, "BEGIN:VCALENDAR");
  add_line(out, "VERSION:2.0");
  add_line(out, "PRODID:-//Mnemos//Agenda//EN");
  add_line(out, "CALSCALE:GREGORIAN");
  add_line(out, "METHOD:PUBLISH");
  add_line(out, "X-WR-CALNAME:" + ical_text(calendar_name));
  for (const auto& item : items) {
    add_line(out, "BEGIN:VEVENT");
    add_line(out, "UID:" + item.id + "@mnemos");
    add_line(out, "DTSTAMP:" + utc_stamp(now));
    add_line(out, "DTSTART:" + utc_stamp(item.starts_at));
    add_line(out, "DTEND:" + utc_stamp(std::max(item.ends_at, item.starts_at)));
    std::string summary = item.title;
    if (item.kind == "appointment") summary = "Mnemos: " + item.title;
    add_line(out, "SUMMARY:" + ical_text(summary));
    if (!item.description.empty()) add_line(out, "DESCRIPTION:" + ical_text(item.description));
    if (item.room_id) {
      add_line(out, "URL:" + public_url + "/rooms/" + *item.room_id);
      add_line(out, "LOCATION:" + ical_text(public_url + "/rooms/" + *item.room_id));
    } else if (item.link) {
      add_line(out, "URL:" + public_url + *item.link);
    }
    add_line(out, "STATUS:CONFIRMED");
    add_line(out, "END:VEVENT");
  }
  add_line(out, "END:VCALENDAR");
  return out;
}

}  // namespace mnemos::communication
