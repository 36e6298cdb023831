#pragma once
// SQL of the agenda: appointments, office hours, class events, rooms and calendar feeds, always
// scoped to a school (a room is found by its unguessable id alone, then checked).
#include "agenda.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace soci {
class session;
}

namespace mnemos::communication::agenda_repo {

void insert_appointment(soci::session& sql, const Appointment& a);
// Writes `a` if its status is still `expected_status` (false: another request changed it first).
bool update_appointment(soci::session& sql, const Appointment& a, const std::string& expected_status);
std::optional<Appointment> find_appointment(soci::session& sql, const std::string& school_id, const std::string& id);
std::vector<Appointment> appointments_of(soci::session& sql, const std::string& school_id, const std::string& user_id);
std::vector<Appointment> accepted_between(soci::session& sql, const std::string& school_id, const std::string& user_id,
                                          std::int64_t from, std::int64_t to);
std::vector<Appointment> proposed_for(soci::session& sql, const std::string& school_id, const std::string& user_id);

void insert_office_hour(soci::session& sql, const OfficeHour& o);
std::optional<OfficeHour> find_office_hour(soci::session& sql, const std::string& school_id, const std::string& id);
std::vector<OfficeHour> office_hours_of(soci::session& sql, const std::string& school_id, const std::string& teacher_id,
                                        std::int64_t from, std::int64_t to);
// Gives the free slot to the appointment; false when another booking took it first.
bool claim_office_hour(soci::session& sql, const std::string& school_id, const std::string& id,
                       const std::string& appointment_id);
void free_office_hour(soci::session& sql, const std::string& school_id, const std::string& id);
void delete_office_hour(soci::session& sql, const std::string& school_id, const std::string& id);

void insert_event(soci::session& sql, const ClassEvent& e);
void update_event(soci::session& sql, const ClassEvent& e);
void delete_event(soci::session& sql, const std::string& school_id, const std::string& id);
std::optional<ClassEvent> find_event(soci::session& sql, const std::string& school_id, const std::string& id);
std::vector<ClassEvent> events_of_class(soci::session& sql, const std::string& school_id, const std::string& class_id,
                                        std::int64_t from, std::int64_t to);

void insert_room(soci::session& sql, const Room& r);
void move_room(soci::session& sql, const std::string& school_id, const std::string& id, std::int64_t opens_at,
               std::int64_t closes_at);
void delete_room(soci::session& sql, const std::string& school_id, const std::string& id);
std::optional<Room> find_room(soci::session& sql, const std::string& id);

std::optional<std::string> feed_token(soci::session& sql, const std::string& user_id);
void put_feed_token(soci::session& sql, const std::string& school_id, const std::string& user_id,
                    const std::string& token, std::int64_t now);
// The school and person a feed token belongs to.
std::optional<std::pair<std::string, std::string>> feed_owner(soci::session& sql, const std::string& token);

// A deleted account: its feed and office hours gone, its appointments cancelled and their words erased.
void forget_user(soci::session& sql, const std::string& school_id, const std::string& user_id);

}  // namespace mnemos::communication::agenda_repo
