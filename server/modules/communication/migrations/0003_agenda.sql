-- Agenda, appointments, office hours and video rooms (docs/communication.md, "Agenda").

-- An appointment between a student and a teacher of theirs. `slots` (JSON [{starts_at, ends_at}],
-- epoch ms) are the times on offer, proposed by `proposed_by`; the other side accepts one of them
-- (starts_at/ends_at, a room), declines, or proposes others (the slots replaced, proposed_by
-- switched). A booked office hour is an appointment accepted at once.
CREATE TABLE communication_appointments (
  id TEXT PRIMARY KEY,
  school_id TEXT NOT NULL,
  student_id TEXT NOT NULL,
  teacher_id TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('proposed', 'accepted', 'declined', 'cancelled')),
  proposed_by TEXT NOT NULL,
  slots TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  reply TEXT NOT NULL DEFAULT '',
  starts_at BIGINT,
  ends_at BIGINT,
  room_id TEXT,
  office_hour_id TEXT,
  cancelled_by TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX communication_appointments_student ON communication_appointments (school_id, student_id, updated_at);
CREATE INDEX communication_appointments_teacher ON communication_appointments (school_id, teacher_id, updated_at);

-- A teacher's bookable slot. `appointment_id` is set by the one booking that wins: the update is
-- conditional on it being empty, so two students booking at once never both get it.
CREATE TABLE communication_office_hours (
  id TEXT PRIMARY KEY,
  school_id TEXT NOT NULL,
  teacher_id TEXT NOT NULL,
  starts_at BIGINT NOT NULL,
  ends_at BIGINT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  appointment_id TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX communication_office_hours_teacher ON communication_office_hours (school_id, teacher_id, starts_at);

-- What a teacher adds to a class's agenda: a lesson, an exam, a path's deadline.
CREATE TABLE communication_events (
  id TEXT PRIMARY KEY,
  school_id TEXT NOT NULL,
  class_id TEXT NOT NULL,
  author_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('event', 'exam', 'deadline')),
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  path_id TEXT,
  starts_at BIGINT NOT NULL,
  ends_at BIGINT NOT NULL,
  room_id TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX communication_events_class ON communication_events (school_id, class_id, starts_at);

-- A video room: its id is unguessable (a random token), and it opens 10 minutes before its
-- appointment or event and closes at its end.
CREATE TABLE communication_rooms (
  id TEXT PRIMARY KEY,
  school_id TEXT NOT NULL,
  appointment_id TEXT,
  event_id TEXT,
  opens_at BIGINT NOT NULL,
  closes_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);

-- A person's private iCalendar feed. The token is kept as is, not hashed: it only reads the
-- person's agenda, and the address must be shown again (to add it to another calendar app); a
-- reset replaces it.
CREATE TABLE communication_calendar_feeds (
  user_id TEXT PRIMARY KEY,
  school_id TEXT NOT NULL,
  token TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL
);
