#pragma once
// The agenda (docs/communication.md, "Agenda, appointments, video rooms"): appointments between a
// student and a teacher of theirs, teachers' office hours, class events, video rooms and each
// person's private iCalendar feed. Every rule is checked here.
#include <mnemos/communication/module.hpp>
#include <mnemos/core/context.hpp>

#include "notifications.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace soci {
class session;
}

namespace mnemos {
class TimeZone;
}

namespace mnemos::communication {

constexpr std::int64_t kMinute = 60 * 1000;
constexpr std::int64_t kRoomOpensBefore = 10 * kMinute;
constexpr std::int64_t kReminderBefore = 15 * kMinute;
constexpr std::size_t kMaxSlots = 3;

struct Slot {
  std::int64_t starts_at = 0;
  std::int64_t ends_at = 0;
};

struct Appointment {
  std::string id;
  std::string school_id;
  std::string student_id;
  std::string teacher_id;
  std::string status;       // proposed | accepted | declined | cancelled
  std::string proposed_by;  // whose slots wait for the other's answer
  std::vector<Slot> slots;
  std::string note;   // the proposer's first words
  std::string reply;  // the last answer's words (declined, other times, cancelled)
  std::optional<std::int64_t> starts_at;
  std::optional<std::int64_t> ends_at;
  std::optional<std::string> room_id;
  std::optional<std::string> office_hour_id;
  std::optional<std::string> cancelled_by;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

struct OfficeHour {
  std::string id;
  std::string school_id;
  std::string teacher_id;
  std::int64_t starts_at = 0;
  std::int64_t ends_at = 0;
  std::string note;
  std::optional<std::string> appointment_id;
  std::int64_t created_at = 0;
};

struct ClassEvent {
  std::string id;
  std::string school_id;
  std::string class_id;
  std::string author_id;
  std::string kind;  // event | exam | deadline
  std::string title;
  std::string description;
  std::optional<std::string> path_id;
  std::int64_t starts_at = 0;
  std::int64_t ends_at = 0;
  std::optional<std::string> room_id;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

struct Room {
  std::string id;
  std::string school_id;
  std::optional<std::string> appointment_id;
  std::optional<std::string> event_id;
  std::int64_t opens_at = 0;
  std::int64_t closes_at = 0;
  std::int64_t created_at = 0;
};

struct AppointmentView {
  Appointment appointment;
  std::string student_name;
  std::string teacher_name;
  std::optional<Room> room;
};

struct OfficeHourView {
  OfficeHour slot;
  std::string teacher_name;
  std::optional<std::string> student_name;  // the teacher's own view, once booked
};

struct EventView {
  ClassEvent event;
  std::string class_name;
  std::optional<std::string> path_title;
};

struct IceServer {
  std::vector<std::string> urls;
  std::optional<std::string> username;
  std::optional<std::string> credential;
};

struct RoomPerson {
  std::string id;
  std::string display_name;
};

struct RoomView {
  Room room;
  std::string title;
  std::string status;  // waiting | open | closed
  std::vector<RoomPerson> participants;
  std::vector<IceServer> ice_servers;
};

// One entry of a person's agenda, whatever it comes from.
struct AgendaItem {
  std::string kind;  // appointment | office_hour | event | exam | deadline
  std::string id;
  std::string title;
  std::int64_t starts_at = 0;
  std::int64_t ends_at = 0;
  std::optional<std::string> status;    // an appointment's
  std::optional<std::string> room_id;
  std::optional<std::string> class_id;
  std::optional<std::string> link;      // where the web app shows it
  std::string description;
};

struct NewEvent {
  std::string class_id;
  std::string kind;
  std::string title;
  std::string description;
  std::optional<std::string> path_id;
  std::int64_t starts_at = 0;
  std::int64_t ends_at = 0;
  bool video = false;
};

struct EventChange {
  std::optional<std::string> title;
  std::optional<std::string> description;
  std::optional<std::int64_t> starts_at;
  std::optional<std::int64_t> ends_at;
};

// coturn's time-limited credentials: username `expiry:user_id`, password base64(HMAC-SHA1(secret, username)).
IceServer turn_credentials(const std::vector<std::string>& urls, const std::string& secret,
                           const std::string& user_id, std::int64_t expires_at_s);

class AgendaService {
 public:
  AgendaService(Dependencies& deps, NotificationService& notifications);

  // A student proposes times to a teacher of theirs (`other_id` the teacher), or a teacher to a
  // student of theirs (`other_id` the student).
  AppointmentView propose(const RequestContext& ctx, const std::string& other_id, const std::vector<Slot>& slots,
                          const std::string& note);
  AppointmentView accept(const RequestContext& ctx, const std::string& id, std::optional<int> slot);
  AppointmentView decline(const RequestContext& ctx, const std::string& id, const std::string& reply);
  AppointmentView propose_other_times(const RequestContext& ctx, const std::string& id,
                                      const std::vector<Slot>& slots, const std::string& reply);
  AppointmentView cancel(const RequestContext& ctx, const std::string& id, const std::string& reply);
  AppointmentView get(const RequestContext& ctx, const std::string& id);
  // Whom `ctx` may propose an appointment to: a student's teachers, a teacher's students; by name.
  std::vector<RoomPerson> partners(const RequestContext& ctx);
  // Those waiting for an answer and those to come first, then the others, newest first.
  std::vector<AppointmentView> list(const RequestContext& ctx, bool current_only);

  // A teacher's bookable slots: `minutes` long each, filling the window.
  std::vector<OfficeHourView> publish_office_hours(const RequestContext& ctx, std::int64_t starts_at,
                                                   std::int64_t ends_at, int minutes, const std::string& note);
  // A student: the free upcoming slots of their teachers; a teacher: their own upcoming ones.
  std::vector<OfficeHourView> office_hours(const RequestContext& ctx, const std::optional<std::string>& teacher_id);
  OfficeHourView office_hour(const RequestContext& ctx, const std::string& id);
  AppointmentView book(const RequestContext& ctx, const std::string& office_hour_id, const std::string& note);
  void remove_office_hour(const RequestContext& ctx, const std::string& id);

  EventView add_event(const RequestContext& ctx, const NewEvent& input);
  EventView event(const RequestContext& ctx, const std::string& id);
  EventView change_event(const RequestContext& ctx, const std::string& id, const EventChange& change);
  void remove_event(const RequestContext& ctx, const std::string& id);

  // What `ctx` has between two instants, and the school's time zone to show it in.
  std::pair<std::vector<AgendaItem>, std::string> agenda(const RequestContext& ctx, std::int64_t from,
                                                         std::int64_t to);

  RoomView room(const RequestContext& ctx, const std::string& id);
  // Signalling over /ws: a tab (`peer_id`) joins, talks to another tab, leaves.
  void room_join(const RequestContext& ctx, const std::string& room_id, const std::string& peer_id);
  void room_signal(const RequestContext& ctx, const std::string& room_id, const std::string& peer_id,
                   const std::string& to_user, const std::string& to_peer, const std::string& signal_json);
  void room_leave(const RequestContext& ctx, const std::string& room_id, const std::string& peer_id);

  // The address of `ctx`'s private iCalendar feed (made on first ask), or a new one (`reset`).
  std::string feed_url(const RequestContext& ctx, bool reset);
  // The feed of the token's owner (RFC 5545 text); nullopt for an unknown token.
  std::optional<std::string> feed(const std::string& token);

  // The job 15 minutes before an accepted appointment.
  void remind(const std::string& school_id, const std::string& appointment_id, std::int64_t starts_at);

 private:
  // Changes an appointment `ctx` takes part in (`change` checks, writes and returns what to tell the
  // other side, given `ctx`'s name and the school's zone), in one transaction; then tells them.
  using AppointmentChange =
      std::function<Notice(soci::session&, Appointment&, const std::string& my_name, const TimeZone& zone)>;
  AppointmentView change_appointment(const RequestContext& ctx, const std::string& id, const AppointmentChange& change);

  Dependencies& deps_;
  NotificationService& notifications_;
};

// RFC 5545 text of `items` (UTC times, lines folded at 75 octets, CRLF).
std::string icalendar(const std::vector<AgendaItem>& items, const std::string& calendar_name,
                      const std::string& public_url, std::int64_t now);

}  // namespace mnemos::communication
