// The agenda feature's reads and writes: one's agenda, appointments, office hours, class events,
// the calendar feed and video rooms. Every change refreshes what it touches.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, query, type Schemas } from '../../shared/api/client';
import { useRealtimeMessage } from '../../shared/realtime/realtime';

export type Appointment = Schemas['Appointment'];
export type OfficeHour = Schemas['OfficeHour'];
export type ClassEvent = Schemas['ClassEvent'];
export type AgendaItem = Schemas['AgendaItem'];
export type Room = Schemas['Room'];
export type Person = Schemas['Person'];
export interface Slot {
  starts_at: number;
  ends_at: number;
}

export const agendaKeys = {
  all: ['agenda'] as const,
  range: (from: number, to: number) => ['agenda', 'range', from, to] as const,
  appointments: ['agenda', 'appointments'] as const,
  appointment: (id: string) => ['agenda', 'appointments', id] as const,
  partners: ['agenda', 'partners'] as const,
  officeHours: ['agenda', 'office-hours'] as const,
  feed: ['agenda', 'feed'] as const,
  room: (id: string) => ['agenda', 'room', id] as const,
};

export function useAgenda(from: number, to: number) {
  return useQuery({
    queryKey: agendaKeys.range(from, to),
    queryFn: () => api<{ timezone: string; items: AgendaItem[] }>('GET', `/api/v1/agenda${query({ from, to })}`),
    placeholderData: (previous) => previous,
  });
}

export function useAppointments() {
  return useQuery({
    queryKey: agendaKeys.appointments,
    queryFn: () => api<{ items: Appointment[] }>('GET', '/api/v1/appointments'),
  });
}

export function useAppointment(id: string | undefined) {
  return useQuery({
    queryKey: agendaKeys.appointment(id ?? ''),
    queryFn: () => api<Appointment>('GET', `/api/v1/appointments/${id}`),
    enabled: !!id,
  });
}

export function usePartners() {
  return useQuery({
    queryKey: agendaKeys.partners,
    queryFn: () => api<{ items: Person[] }>('GET', '/api/v1/appointment-partners'),
  });
}

export function useOfficeHours() {
  return useQuery({
    queryKey: agendaKeys.officeHours,
    queryFn: () => api<{ items: OfficeHour[] }>('GET', '/api/v1/office-hours'),
  });
}

// Any change to appointments or office hours: every view of the agenda reads again.
function useAgendaMutation<Input, Output>(fn: (input: Input) => Promise<Output>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: agendaKeys.all }),
  });
}

export function useProposeAppointment() {
  return useAgendaMutation((input: { teacher_id?: string; student_id?: string; slots: Slot[]; note?: string }) =>
    api<Appointment>('POST', '/api/v1/appointments', input),
  );
}

export type Answer =
  | { kind: 'accept'; slot: number }
  | { kind: 'decline'; reply: string }
  | { kind: 'propose'; slots: Slot[]; reply: string }
  | { kind: 'cancel'; reply: string };

export function useAnswerAppointment(id: string) {
  return useAgendaMutation((answer: Answer) => {
    const path = `/api/v1/appointments/${id}/${answer.kind}`;
    if (answer.kind === 'accept') return api<Appointment>('POST', path, { slot: answer.slot });
    if (answer.kind === 'propose') return api<Appointment>('POST', path, { slots: answer.slots, reply: answer.reply });
    return api<Appointment>('POST', path, { reply: answer.reply });
  });
}

export function usePublishOfficeHours() {
  return useAgendaMutation((input: { starts_at: number; ends_at: number; slot_minutes?: number; note?: string }) =>
    api<{ items: OfficeHour[] }>('POST', '/api/v1/office-hours', input),
  );
}

export function useBookOfficeHour() {
  return useAgendaMutation((input: { id: string; note?: string }) =>
    api<Appointment>('POST', `/api/v1/office-hours/${input.id}/book`, { note: input.note ?? '' }),
  );
}

export function useRemoveOfficeHour() {
  return useAgendaMutation((id: string) => api('DELETE', `/api/v1/office-hours/${id}`));
}

export function useAddEvent() {
  return useAgendaMutation(
    (input: { class_id: string; kind: string; title: string; description?: string; starts_at: number; ends_at: number; video?: boolean }) =>
      api<ClassEvent>('POST', '/api/v1/events', input),
  );
}

export function useRemoveEvent() {
  return useAgendaMutation((id: string) => api('DELETE', `/api/v1/events/${id}`));
}

export function useCalendarFeed(enabled: boolean) {
  return useQuery({
    queryKey: agendaKeys.feed,
    queryFn: () => api<{ url: string }>('GET', '/api/v1/me/calendar-feed'),
    enabled,
    staleTime: Infinity,
  });
}

export function useResetCalendarFeed() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api<{ url: string }>('POST', '/api/v1/me/calendar-feed/reset'),
    onSuccess: (feed) => queryClient.setQueryData(agendaKeys.feed, feed),
  });
}

export function useRoom(id: string | undefined) {
  return useQuery({
    queryKey: agendaKeys.room(id ?? ''),
    queryFn: () => api<Room>('GET', `/api/v1/rooms/${id}`),
    enabled: !!id,
    // A waiting room opens by itself: its status is read again every 30 seconds.
    refetchInterval: (q) => (q.state.data?.status === 'waiting' ? 30_000 : false),
  });
}

/** Notifications of appointments and class events: the agenda reads again. */
export function useAgendaSync() {
  const queryClient = useQueryClient();
  useRealtimeMessage('notification.created', (message) => {
    const kind = (message.data as { kind?: string }).kind;
    if (kind === 'appointment' || kind === 'class_event') void queryClient.invalidateQueries({ queryKey: agendaKeys.all });
  });
}
