// SQL of appointments, office hours, class events, rooms and calendar feeds (agenda_repository.hpp).
#include <mnemos/core/db.hpp>
#include <mnemos/core/json.hpp>

#include "agenda_repository.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace mnemos::communication::agenda_repo {
namespace {

std::string slots_text(const std::vector<Slot>& slots) {
  boost::json::array out;
  for (const auto& s : slots) out.push_back(boost::json::object{{"starts_at", s.starts_at}, {"ends_at", s.ends_at}});
  return boost::json::serialize(out);
}

std::vector<Slot> slots_of(const std::string& text) {
  std::vector<Slot> out;
  const auto value = json::parse(text);
  if (!value.is_array()) return out;
  for (const auto& item : value.as_array()) {
    if (!item.is_object()) continue;
    const auto& o = item.as_object();
    const auto* starts = o.if_contains("starts_at");
    const auto* ends = o.if_contains("ends_at");
    if (starts && ends && starts->is_int64() && ends->is_int64()) out.push_back({starts->as_int64(), ends->as_int64()});
  }
  return out;
}

// An appointment row as read, its slots still JSON text.
struct AppointmentRow {
  Appointment a;
  std::string slots;
};

constexpr const char* kAppointmentColumns =
    "id, school_id, student_id, teacher_id, status, proposed_by, slots, note, reply, starts_at, ends_at, room_id, "
    "office_hour_id, cancelled_by, created_at, updated_at";

void bind_appointment(db::Prepared& p, AppointmentRow& r) {
  auto& a = r.a;
  p, soci::into(a.id), soci::into(a.school_id), soci::into(a.student_id), soci::into(a.teacher_id),
      soci::into(a.status), soci::into(a.proposed_by), soci::into(r.slots), soci::into(a.note), soci::into(a.reply),
      soci::into(a.starts_at), soci::into(a.ends_at), soci::into(a.room_id), soci::into(a.office_hour_id),
      soci::into(a.cancelled_by), soci::into(a.created_at), soci::into(a.updated_at);
}

template <typename... Uses>
std::vector<Appointment> appointments_where(soci::session& sql, const std::string& where, Uses&&... uses) {
  std::vector<Appointment> out;
  db::for_each_row<AppointmentRow>(
      sql, std::string("SELECT ") + kAppointmentColumns + " FROM communication_appointments WHERE " + where,
      bind_appointment,
      [&](const AppointmentRow& row) {
        out.push_back(row.a);
        out.back().slots = slots_of(row.slots);
      },
      std::forward<Uses>(uses)...);
  return out;
}

constexpr const char* kOfficeHourColumns = "id, school_id, teacher_id, starts_at, ends_at, note, appointment_id, created_at";

void bind_office_hour(db::Prepared& p, OfficeHour& o) {
  p, soci::into(o.id), soci::into(o.school_id), soci::into(o.teacher_id), soci::into(o.starts_at),
      soci::into(o.ends_at), soci::into(o.note), soci::into(o.appointment_id), soci::into(o.created_at);
}

constexpr const char* kEventColumns =
    "id, school_id, class_id, author_id, kind, title, description, path_id, starts_at, ends_at, room_id, created_at, "
    "updated_at";

void bind_event(db::Prepared& p, ClassEvent& e) {
  p, soci::into(e.id), soci::into(e.school_id), soci::into(e.class_id), soci::into(e.author_id), soci::into(e.kind),
      soci::into(e.title), soci::into(e.description), soci::into(e.path_id), soci::into(e.starts_at),
      soci::into(e.ends_at), soci::into(e.room_id), soci::into(e.created_at), soci::into(e.updated_at);
}

}  // namespace

void insert_appointment(soci::session& sql, const Appointment& a) {
  const std::string slots = slots_text(a.slots);
  sql << "INSERT INTO communication_appointments (id, school_id, student_id, teacher_id, status, proposed_by, slots, "
         "note, reply, starts_at, ends_at, room_id, office_hour_id, cancelled_by, created_at, updated_at) VALUES "
         "(:id, :school, :student, :teacher, :status, :by, :slots, :note, :reply, :starts, :ends, :room, :office, "
         ":cancelled, :created, :updated)",
      soci::use(a.id), soci::use(a.school_id), soci::use(a.student_id), soci::use(a.teacher_id), soci::use(a.status),
      soci::use(a.proposed_by), soci::use(slots), soci::use(a.note), soci::use(a.reply), soci::use(a.starts_at),
      soci::use(a.ends_at), soci::use(a.room_id), soci::use(a.office_hour_id), soci::use(a.cancelled_by),
      soci::use(a.created_at), soci::use(a.updated_at);
}

bool update_appointment(soci::session& sql, const Appointment& a, const std::string& expected_status) {
  const std::string slots = slots_text(a.slots);
  soci::statement st =
      (sql.prepare << "UPDATE communication_appointments SET status = :status, proposed_by = :by, slots = :slots, "
                      "reply = :reply, starts_at = :starts, ends_at = :ends, room_id = :room, cancelled_by = "
                      ":cancelled, updated_at = :updated WHERE school_id = :school AND id = :id AND status = :expected",
       soci::use(a.status), soci::use(a.proposed_by), soci::use(slots), soci::use(a.reply), soci::use(a.starts_at),
       soci::use(a.ends_at), soci::use(a.room_id), soci::use(a.cancelled_by), soci::use(a.updated_at),
       soci::use(a.school_id), soci::use(a.id), soci::use(expected_status));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

std::optional<Appointment> find_appointment(soci::session& sql, const std::string& school_id, const std::string& id) {
  auto rows = appointments_where(sql, "school_id = :school AND id = :id", soci::use(school_id), soci::use(id));
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

std::vector<Appointment> appointments_of(soci::session& sql, const std::string& school_id, const std::string& user_id) {
  return appointments_where(sql,
                            "school_id = :school AND (student_id = :user OR teacher_id = :user2) "
                            "ORDER BY updated_at DESC LIMIT 500",
                            soci::use(school_id), soci::use(user_id), soci::use(user_id));
}

std::vector<Appointment> accepted_between(soci::session& sql, const std::string& school_id, const std::string& user_id,
                                          std::int64_t from, std::int64_t to) {
  return appointments_where(sql,
                            "school_id = :school AND (student_id = :user OR teacher_id = :user2) AND status = "
                            "'accepted' AND starts_at < :to AND ends_at > :from ORDER BY starts_at LIMIT 1000",
                            soci::use(school_id), soci::use(user_id), soci::use(user_id), soci::use(to),
                            soci::use(from));
}

std::vector<Appointment> proposed_for(soci::session& sql, const std::string& school_id, const std::string& user_id) {
  return appointments_where(sql,
                            "school_id = :school AND (student_id = :user OR teacher_id = :user2) AND status = "
                            "'proposed' ORDER BY updated_at DESC LIMIT 200",
                            soci::use(school_id), soci::use(user_id), soci::use(user_id));
}

void insert_office_hour(soci::session& sql, const OfficeHour& o) {
  sql << "INSERT INTO communication_office_hours (id, school_id, teacher_id, starts_at, ends_at, note, appointment_id, "
         "created_at) VALUES (:id, :school, :teacher, :starts, :ends, :note, :appointment, :created)",
      soci::use(o.id), soci::use(o.school_id), soci::use(o.teacher_id), soci::use(o.starts_at), soci::use(o.ends_at),
      soci::use(o.note), soci::use(o.appointment_id), soci::use(o.created_at);
}

std::optional<OfficeHour> find_office_hour(soci::session& sql, const std::string& school_id, const std::string& id) {
  auto rows = db::fetch_rows<OfficeHour>(
      sql, std::string("SELECT ") + kOfficeHourColumns + " FROM communication_office_hours WHERE school_id = :school "
           "AND id = :id",
      bind_office_hour, soci::use(school_id), soci::use(id));
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

std::vector<OfficeHour> office_hours_of(soci::session& sql, const std::string& school_id, const std::string& teacher_id,
                                        std::int64_t from, std::int64_t to) {
  return db::fetch_rows<OfficeHour>(
      sql, std::string("SELECT ") + kOfficeHourColumns + " FROM communication_office_hours WHERE school_id = :school "
           "AND teacher_id = :teacher AND ends_at > :from AND starts_at < :to ORDER BY starts_at LIMIT 1000",
      bind_office_hour, soci::use(school_id), soci::use(teacher_id), soci::use(from), soci::use(to));
}

bool claim_office_hour(soci::session& sql, const std::string& school_id, const std::string& id,
                       const std::string& appointment_id) {
  soci::statement st = (sql.prepare << "UPDATE communication_office_hours SET appointment_id = :appointment WHERE "
                                       "school_id = :school AND id = :id AND appointment_id IS NULL",
                        soci::use(appointment_id), soci::use(school_id), soci::use(id));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

void free_office_hour(soci::session& sql, const std::string& school_id, const std::string& id) {
  sql << "UPDATE communication_office_hours SET appointment_id = NULL WHERE school_id = :school AND id = :id",
      soci::use(school_id), soci::use(id);
}

void delete_office_hour(soci::session& sql, const std::string& school_id, const std::string& id) {
  sql << "DELETE FROM communication_office_hours WHERE school_id = :school AND id = :id", soci::use(school_id),
      soci::use(id);
}

void insert_event(soci::session& sql, const ClassEvent& e) {
  sql << "INSERT INTO communication_events (id, school_id, class_id, author_id, kind, title, description, path_id, "
         "starts_at, ends_at, room_id, created_at, updated_at) VALUES (:id, :school, :class, :author, :kind, :title, "
         ":description, :path, :starts, :ends, :room, :created, :updated)",
      soci::use(e.id), soci::use(e.school_id), soci::use(e.class_id), soci::use(e.author_id), soci::use(e.kind),
      soci::use(e.title), soci::use(e.description), soci::use(e.path_id), soci::use(e.starts_at),
      soci::use(e.ends_at), soci::use(e.room_id), soci::use(e.created_at), soci::use(e.updated_at);
}

void update_event(soci::session& sql, const ClassEvent& e) {
  sql << "UPDATE communication_events SET title = :title, description = :description, starts_at = :starts, ends_at = "
         ":ends, updated_at = :updated WHERE school_id = :school AND id = :id",
      soci::use(e.title), soci::use(e.description), soci::use(e.starts_at), soci::use(e.ends_at),
      soci::use(e.updated_at), soci::use(e.school_id), soci::use(e.id);
}

void delete_event(soci::session& sql, const std::string& school_id, const std::string& id) {
  sql << "DELETE FROM communication_events WHERE school_id = :school AND id = :id", soci::use(school_id),
      soci::use(id);
}

std::optional<ClassEvent> find_event(soci::session& sql, const std::string& school_id, const std::string& id) {
  auto rows = db::fetch_rows<ClassEvent>(
      sql, std::string("SELECT ") + kEventColumns + " FROM communication_events WHERE school_id = :school AND id = :id",
      bind_event, soci::use(school_id), soci::use(id));
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

std::vector<ClassEvent> events_of_class(soci::session& sql, const std::string& school_id, const std::string& class_id,
                                        std::int64_t from, std::int64_t to) {
  return db::fetch_rows<ClassEvent>(
      sql, std::string("SELECT ") + kEventColumns + " FROM communication_events WHERE school_id = :school AND "
           "class_id = :class AND ends_at > :from AND starts_at < :to ORDER BY starts_at LIMIT 1000",
      bind_event, soci::use(school_id), soci::use(class_id), soci::use(from), soci::use(to));
}

void insert_room(soci::session& sql, const Room& r) {
  sql << "INSERT INTO communication_rooms (id, school_id, appointment_id, event_id, opens_at, closes_at, created_at) "
         "VALUES (:id, :school, :appointment, :event, :opens, :closes, :created)",
      soci::use(r.id), soci::use(r.school_id), soci::use(r.appointment_id), soci::use(r.event_id),
      soci::use(r.opens_at), soci::use(r.closes_at), soci::use(r.created_at);
}

void move_room(soci::session& sql, const std::string& school_id, const std::string& id, std::int64_t opens_at,
               std::int64_t closes_at) {
  sql << "UPDATE communication_rooms SET opens_at = :opens, closes_at = :closes WHERE school_id = :school AND id = :id",
      soci::use(opens_at), soci::use(closes_at), soci::use(school_id), soci::use(id);
}

void delete_room(soci::session& sql, const std::string& school_id, const std::string& id) {
  sql << "DELETE FROM communication_rooms WHERE school_id = :school AND id = :id", soci::use(school_id), soci::use(id);
}

std::optional<Room> find_room(soci::session& sql, const std::string& id) {
  Room r;
  sql << "SELECT id, school_id, appointment_id, event_id, opens_at, closes_at, created_at FROM communication_rooms "
         "WHERE id = :id",
      soci::use(id), soci::into(r.id), soci::into(r.school_id), soci::into(r.appointment_id), soci::into(r.event_id),
      soci::into(r.opens_at), soci::into(r.closes_at), soci::into(r.created_at);
  if (!sql.got_data()) return std::nullopt;
  return r;
}

std::optional<std::string> feed_token(soci::session& sql, const std::string& user_id) {
  std::string token;
  sql << "SELECT token FROM communication_calendar_feeds WHERE user_id = :user", soci::use(user_id), soci::into(token);
  if (!sql.got_data()) return std::nullopt;
  return token;
}

void put_feed_token(soci::session& sql, const std::string& school_id, const std::string& user_id,
                    const std::string& token, std::int64_t now) {
  sql << "DELETE FROM communication_calendar_feeds WHERE user_id = :user", soci::use(user_id);
  sql << "INSERT INTO communication_calendar_feeds (user_id, school_id, token, created_at) VALUES (:user, :school, "
         ":token, :now)",
      soci::use(user_id), soci::use(school_id), soci::use(token), soci::use(now);
}

std::optional<std::pair<std::string, std::string>> feed_owner(soci::session& sql, const std::string& token) {
  std::string school;
  std::string user;
  sql << "SELECT school_id, user_id FROM communication_calendar_feeds WHERE token = :token", soci::use(token),
      soci::into(school), soci::into(user);
  if (!sql.got_data()) return std::nullopt;
  return std::make_pair(school, user);
}

void forget_user(soci::session& sql, const std::string& school_id, const std::string& user_id) {
  sql << "DELETE FROM communication_calendar_feeds WHERE school_id = :school AND user_id = :user",
      soci::use(school_id), soci::use(user_id);
  sql << "DELETE FROM communication_office_hours WHERE school_id = :school AND teacher_id = :user",
      soci::use(school_id), soci::use(user_id);
  sql << "UPDATE communication_office_hours SET appointment_id = NULL WHERE school_id = :school AND appointment_id IN "
         "(SELECT id FROM communication_appointments WHERE school_id = :school2 AND student_id = :user)",
      soci::use(school_id), soci::use(school_id), soci::use(user_id);
  sql << "UPDATE communication_appointments SET status = 'cancelled', room_id = NULL WHERE school_id = :school AND "
         "(student_id = :user OR teacher_id = :user2) AND status IN ('proposed', 'accepted')",
      soci::use(school_id), soci::use(user_id), soci::use(user_id);
  sql << "UPDATE communication_appointments SET note = '', reply = '' WHERE school_id = :school AND (student_id = "
         ":user OR teacher_id = :user2)",
      soci::use(school_id), soci::use(user_id), soci::use(user_id);
}

}  // namespace mnemos::communication::agenda_repo
