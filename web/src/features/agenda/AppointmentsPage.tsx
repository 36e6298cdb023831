// Appointments (/appointments, /appointments/:id): a student proposes times to a teacher of theirs
// (or a teacher to a student), the other side accepts one, declines or proposes others; either
// cancels; an accepted one leads to its video room. Office hours: a teacher publishes bookable
// slots, a student books one directly.
import { Alert, Badge, Button, Card, Group, Select, Stack, Tabs, Text, Textarea, Title } from '@mantine/core';
import { notifications as toasts } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { addDays, dayOf, dayKey } from '../../shared/format/zoned';
import { ConfirmButton } from '../../shared/ui/ConfirmButton';
import { EmptyState, ErrorState, errorMessage, SkeletonState } from '../../shared/ui/states';
import { hasRole, planHas, useAuth } from '../auth/auth';
import { LENGTHS, SlotFields, slotOf, TimeSelect, type SlotDraft } from './fields';
import { dayIn, spanIn, timeIn } from './format';
import {
  useAgendaSync,
  useAnswerAppointment,
  useAppointments,
  useBookOfficeHour,
  useOfficeHours,
  usePartners,
  useProposeAppointment,
  usePublishOfficeHours,
  useRemoveOfficeHour,
  type Appointment,
  type OfficeHour,
} from './queries';
import { DateField } from '../../shared/ui/DateField';

const STATUS_COLORS: Record<string, string> = { proposed: 'yellow', accepted: 'green', declined: 'gray', cancelled: 'gray' };

function firstDraft(timeZone: string, plusDays = 1): SlotDraft {
  return { day: dayKey(addDays(dayOf(Date.now(), timeZone), plusDays)), time: '17:00', minutes: 30 };
}

export function AppointmentsPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const { id } = useParams();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'office-hours' ? 'office-hours' : 'appointments';
  const timeZone = me?.school?.timezone ?? 'UTC';
  useAgendaSync();
  return (
    <Stack gap="md">
      <Title order={1} size="h2">{t('appointments.title')}</Title>
      <Tabs value={tab} onChange={(v) => setParams((p) => { if (v === 'office-hours') p.set('tab', v); else p.delete('tab'); return p; })}>
        <Tabs.List>
          <Tabs.Tab value="appointments">{t('appointments.mine')}</Tabs.Tab>
          <Tabs.Tab value="office-hours">{t('officeHours.title')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="appointments" pt="md">
          <AppointmentsTab focus={id} timeZone={timeZone} />
        </Tabs.Panel>
        <Tabs.Panel value="office-hours" pt="md">
          {hasRole(me, 'teacher') ? <TeacherOfficeHours timeZone={timeZone} /> : <StudentOfficeHours timeZone={timeZone} />}
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function AppointmentsTab({ focus, timeZone }: { focus?: string; timeZone: string }) {
  const { t } = useTranslation();
  const list = useAppointments();
  const [proposing, setProposing] = useState(false);
  useEffect(() => {
    if (!focus || !list.data) return;
    document.getElementById(`appointment-${focus}`)?.scrollIntoView({ block: 'center' });
  }, [focus, list.data]);
  if (list.isError) return <ErrorState error={list.error} onRetry={() => list.refetch()} />;
  const items = list.data?.items ?? [];
  const current = items.filter((a) => a.status === 'proposed' || (a.status === 'accepted' && (a.ends_at ?? 0) > Date.now()));
  const past = items.filter((a) => !current.includes(a));
  return (
    <Stack>
      {proposing ? (
        <ProposeForm timeZone={timeZone} onDone={() => setProposing(false)} />
      ) : (
        <Group><Button onClick={() => setProposing(true)}>{t('appointments.propose')}</Button></Group>
      )}
      {list.isLoading ? (
        <SkeletonState rows={2} height={100} />
      ) : current.length === 0 ? (
        <EmptyState title={t('appointments.empty')} hint={t('appointments.emptyHint')} />
      ) : (
        current.map((a) => <AppointmentCard key={a.id} appointment={a} timeZone={timeZone} focused={a.id === focus} />)
      )}
      {past.length > 0 && (
        <>
          <Title order={2} size="h4" mt="md">{t('appointments.past')}</Title>
          {past.slice(0, 20).map((a) => <AppointmentCard key={a.id} appointment={a} timeZone={timeZone} focused={a.id === focus} />)}
        </>
      )}
    </Stack>
  );
}

function SlotsEditor({ drafts, setDrafts, timeZone }: { drafts: SlotDraft[]; setDrafts: (d: SlotDraft[]) => void; timeZone: string }) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs">
      {drafts.map((d, i) => (
        <Group key={i} align="flex-end" gap="xs" wrap="nowrap">
          <SlotFields draft={d} index={drafts.length > 1 ? i : undefined} onChange={(next) => setDrafts(drafts.map((x, j) => (j === i ? next : x)))} />
          {drafts.length > 1 && (
            <Button variant="subtle" color="gray" onClick={() => setDrafts(drafts.filter((_, j) => j !== i))} aria-label={t('appointments.removeTime', { n: i + 1 })}>
              ✕
            </Button>
          )}
        </Group>
      ))}
      {drafts.length < 3 && (
        <Group>
          <Button variant="subtle" size="compact-sm" onClick={() => setDrafts([...drafts, firstDraft(timeZone, drafts.length + 1)])}>
            {t('appointments.addTime')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

function ProposeForm({ timeZone, onDone }: { timeZone: string; onDone: () => void }) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const student = hasRole(me, 'student');
  const partners = usePartners();
  const propose = useProposeAppointment();
  const [person, setPerson] = useState<string | null>(null);
  const [drafts, setDrafts] = useState<SlotDraft[]>([firstDraft(timeZone)]);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = () => {
    const slots = drafts.map((d) => slotOf(d, timeZone));
    if (!person) return setError(student ? t('appointments.chooseTeacher') : t('appointments.chooseStudent'));
    if (slots.some((s) => !s)) return setError(t('agenda.chooseTime'));
    setError(null);
    propose.mutate(
      { ...(student ? { teacher_id: person } : { student_id: person }), slots: slots as { starts_at: number; ends_at: number }[], note },
      {
        onSuccess: () => { toasts.show({ color: 'green', message: t('appointments.proposed') }); onDone(); },
        onError: (e) => setError(errorMessage(e, t)),
      },
    );
  };
  return (
    <Card withBorder component="section" aria-labelledby="propose-title">
      <Stack>
        <Title order={2} size="h4" id="propose-title">{t('appointments.propose')}</Title>
        <Select label={student ? t('appointments.teacher') : t('appointments.student')} value={person} onChange={setPerson} searchable
          data={(partners.data?.items ?? []).map((p) => ({ value: p.id, label: p.display_name }))}
          nothingFoundMessage={t('appointments.nobody')} required />
        <Text size="sm" c="dimmed">{t('appointments.timesHint', { zone: timeZone })}</Text>
        <SlotsEditor drafts={drafts} setDrafts={setDrafts} timeZone={timeZone} />
        <Textarea label={t('appointments.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} autosize minRows={2} maxLength={1000} />
        {error && <Text c="red.8" size="sm" role="alert">{error}</Text>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>{t('common.cancel')}</Button>
          <Button onClick={submit} loading={propose.isPending}>{t('appointments.send')}</Button>
        </Group>
      </Stack>
    </Card>
  );
}

function AppointmentCard({ appointment: a, timeZone, focused }: { appointment: Appointment; timeZone: string; focused: boolean }) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const mine = me?.user.id ?? '';
  const answer = useAnswerAppointment(a.id);
  const [mode, setMode] = useState<'none' | 'other' | 'decline'>('none');
  const [drafts, setDrafts] = useState<SlotDraft[]>([firstDraft(timeZone, 2)]);
  const [reply, setReply] = useState('');
  const [error, setError] = useState<string | null>(null);
  const other = a.student_id === mine ? a.teacher_name : a.student_name;
  const answering = a.status === 'proposed' && a.proposed_by !== mine;
  const roomOpen = a.room && Date.now() >= a.room.opens_at! && Date.now() < a.room.closes_at!;
  const run = (input: Parameters<typeof answer.mutate>[0], done: string) =>
    answer.mutate(input, {
      onSuccess: () => { toasts.show({ color: 'green', message: done }); setMode('none'); setError(null); },
      onError: (e) => setError(errorMessage(e, t)),
    });
  return (
    <Card withBorder id={`appointment-${a.id}`} component="article" aria-labelledby={`appointment-title-${a.id}`}
      style={focused ? { outline: '2px solid var(--mantine-color-indigo-6)' } : undefined}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap">
          <Title order={3} size="h5" id={`appointment-title-${a.id}`}>{t('appointments.with', { name: other })}</Title>
          <Badge color={STATUS_COLORS[a.status]} variant="light">{t(`appointments.status.${a.status}`)}</Badge>
        </Group>
        {a.status === 'accepted' && a.starts_at && a.ends_at ? (
          <Text fw={600}>{spanIn(a.starts_at, a.ends_at, timeZone)}</Text>
        ) : (
          <Stack gap={4}>
            {a.slots.map((s, i) => (
              <Group key={i} gap="sm" wrap="wrap">
                <Text size="sm">{spanIn(s.starts_at, s.ends_at, timeZone)}</Text>
                {answering && (
                  <Button size="compact-sm" onClick={() => run({ kind: 'accept', slot: i }, t('appointments.accepted'))} loading={answer.isPending}
                    aria-label={t('appointments.acceptTime', { time: spanIn(s.starts_at, s.ends_at, timeZone) })}>
                    {t('appointments.accept')}
                  </Button>
                )}
              </Group>
            ))}
          </Stack>
        )}
        {a.note && <Text size="sm" c="dimmed">« {a.note} »</Text>}
        {a.reply && <Text size="sm" c="dimmed">{t('appointments.replyWas', { text: a.reply })}</Text>}
        {a.status === 'proposed' && !answering && <Text size="sm">{t('appointments.waiting', { name: other })}</Text>}
        {a.office_hour_id && <Text size="xs" c="dimmed">{t('appointments.fromOfficeHour')}</Text>}
        {error && <Alert color="red" role="alert">{error}</Alert>}

        {mode === 'other' && (
          <Stack gap="xs">
            <SlotsEditor drafts={drafts} setDrafts={setDrafts} timeZone={timeZone} />
            <Textarea label={t('appointments.reply')} value={reply} onChange={(e) => setReply(e.currentTarget.value)} autosize maxLength={1000} />
            <Group>
              <Button onClick={() => {
                const slots = drafts.map((d) => slotOf(d, timeZone));
                if (slots.some((s) => !s)) return setError(t('agenda.chooseTime'));
                run({ kind: 'propose', slots: slots as { starts_at: number; ends_at: number }[], reply }, t('appointments.proposed'));
              }} loading={answer.isPending}>{t('appointments.send')}</Button>
              <Button variant="default" onClick={() => setMode('none')}>{t('common.cancel')}</Button>
            </Group>
          </Stack>
        )}
        {mode === 'decline' && (
          <Stack gap="xs">
            <Textarea label={t('appointments.reply')} value={reply} onChange={(e) => setReply(e.currentTarget.value)} autosize maxLength={1000} />
            <Group>
              <Button color="red.9" onClick={() => run({ kind: 'decline', reply }, t('appointments.declinedDone'))} loading={answer.isPending}>{t('appointments.decline')}</Button>
              <Button variant="default" onClick={() => setMode('none')}>{t('common.cancel')}</Button>
            </Group>
          </Stack>
        )}

        {mode === 'none' && (a.status === 'proposed' || a.status === 'accepted') && (
          <Group gap="xs" wrap="wrap">
            {a.status === 'accepted' && a.room && planHas(me, 'video_rooms') && (
              roomOpen ? (
                <Button component={Link} to={`/rooms/${a.room.id}`}>{t('room.join')}</Button>
              ) : (
                <Text size="sm" c="dimmed">{t('appointments.roomOpensAt', { time: `${dayIn(a.room.opens_at!, timeZone)} ${timeIn(a.room.opens_at!, timeZone)}` })}</Text>
              )
            )}
            {answering && <Button variant="default" onClick={() => setMode('other')}>{t('appointments.proposeOther')}</Button>}
            {answering && <Button variant="subtle" color="red" onClick={() => setMode('decline')}>{t('appointments.decline')}</Button>}
            {!answering && (
              <ConfirmButton variant="subtle" color="red" title={t('appointments.cancelTitle')} message={t('appointments.cancelText', { name: other })}
                confirmLabel={t('appointments.cancel')} onConfirm={() => run({ kind: 'cancel', reply: '' }, t('appointments.cancelledDone'))}>
                {t('appointments.cancel')}
              </ConfirmButton>
            )}
          </Group>
        )}
      </Stack>
    </Card>
  );
}

function StudentOfficeHours({ timeZone }: { timeZone: string }) {
  const { t } = useTranslation();
  const hours = useOfficeHours();
  const book = useBookOfficeHour();
  if (hours.isError) return <ErrorState error={hours.error} onRetry={() => hours.refetch()} />;
  if (hours.isLoading) return <SkeletonState rows={3} height={48} />;
  const items = hours.data?.items ?? [];
  if (items.length === 0) return <EmptyState title={t('officeHours.none')} hint={t('officeHours.noneHint')} />;
  const byDay = new Map<string, OfficeHour[]>();
  for (const o of items) {
    const key = dayKey(dayOf(o.starts_at, timeZone));
    byDay.set(key, [...(byDay.get(key) ?? []), o]);
  }
  return (
    <Stack>
      <Text size="sm" c="dimmed">{t('officeHours.studentHint')}</Text>
      {[...byDay.entries()].map(([key, slots]) => (
        <Card withBorder key={key} component="section" aria-label={dayIn(slots[0]!.starts_at, timeZone)}>
          <Title order={2} size="h5" mb="xs">{dayIn(slots[0]!.starts_at, timeZone)}</Title>
          <Stack gap="xs">
            {slots.map((o) => (
              <Group key={o.id} justify="space-between" wrap="wrap">
                <Text size="sm">
                  {timeIn(o.starts_at, timeZone)}–{timeIn(o.ends_at, timeZone)} · {o.teacher_name}{o.note ? ` · ${o.note}` : ''}
                </Text>
                <Button size="compact-md" loading={book.isPending && book.variables?.id === o.id}
                  aria-label={t('officeHours.bookSlot', { time: `${timeIn(o.starts_at, timeZone)}`, name: o.teacher_name })}
                  onClick={() => book.mutate({ id: o.id }, {
                    onSuccess: () => toasts.show({ color: 'green', message: t('officeHours.booked') }),
                    onError: (e) => toasts.show({ color: 'red', message: errorMessage(e, t) }),
                  })}>
                  {t('officeHours.book')}
                </Button>
              </Group>
            ))}
          </Stack>
        </Card>
      ))}
    </Stack>
  );
}

function TeacherOfficeHours({ timeZone }: { timeZone: string }) {
  const { t } = useTranslation();
  const hours = useOfficeHours();
  const publish = usePublishOfficeHours();
  const remove = useRemoveOfficeHour();
  const [day, setDay] = useState(firstDraft(timeZone).day);
  const [fromTime, setFromTime] = useState('17:00');
  const [toTime, setToTime] = useState('18:00');
  const [minutes, setMinutes] = useState('15');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = () => {
    const start = slotOf({ day, time: fromTime, minutes: 0 }, timeZone);
    const end = slotOf({ day, time: toTime, minutes: 0 }, timeZone);
    if (!start || !end) return setError(t('agenda.chooseTime'));
    setError(null);
    publish.mutate(
      { starts_at: start.starts_at, ends_at: end.starts_at, slot_minutes: Number(minutes), note },
      {
        onSuccess: (made) => toasts.show({ color: 'green', message: t('officeHours.published', { count: made.items.length }) }),
        onError: (e) => setError(errorMessage(e, t)),
      },
    );
  };
  return (
    <Stack>
      <Card withBorder component="section" aria-labelledby="publish-title">
        <Stack gap="sm">
          <Title order={2} size="h4" id="publish-title">{t('officeHours.publish')}</Title>
          <Text size="sm" c="dimmed">{t('officeHours.publishHint')}</Text>
          <Group align="flex-start" wrap="wrap" gap="sm">
            <DateField label={t('agenda.day')} value={day} onChange={setDay} w={150} />
            <TimeSelect label={t('officeHours.from')} value={fromTime} onChange={setFromTime} />
            <TimeSelect label={t('officeHours.to')} value={toTime} onChange={setToTime} />
            <Select label={t('officeHours.slotLength')} w={140} value={minutes} onChange={(v) => v && setMinutes(v)} allowDeselect={false}
              data={LENGTHS.map((m) => ({ value: String(m), label: t('agenda.minutes', { count: m }) }))} />
          </Group>
          <Textarea label={t('officeHours.note')} placeholder={t('officeHours.notePlaceholder')} value={note} onChange={(e) => setNote(e.currentTarget.value)} autosize maxLength={1000} />
          {error && <Text c="red.8" size="sm" role="alert">{error}</Text>}
          <Group><Button onClick={submit} loading={publish.isPending}>{t('officeHours.publishButton')}</Button></Group>
        </Stack>
      </Card>
      <Title order={2} size="h4">{t('officeHours.mine')}</Title>
      {hours.isError ? (
        <ErrorState error={hours.error} onRetry={() => hours.refetch()} />
      ) : hours.isLoading ? (
        <SkeletonState rows={3} height={40} />
      ) : (hours.data?.items.length ?? 0) === 0 ? (
        <EmptyState title={t('officeHours.noneMine')} />
      ) : (
        <Stack gap="xs">
          {hours.data!.items.map((o) => (
            <Group key={o.id} justify="space-between" wrap="wrap">
              <Text size="sm">
                {spanIn(o.starts_at, o.ends_at, timeZone)}{o.note ? ` · ${o.note}` : ''}
              </Text>
              <Group gap="xs">
                {o.booked ? (
                  <Badge color="green" variant="light">{t('officeHours.bookedBy', { name: o.student_name ?? '' })}</Badge>
                ) : (
                  <Badge color="gray" variant="light">{t('officeHours.free')}</Badge>
                )}
                <ConfirmButton size="compact-sm" variant="subtle" color="red" title={t('officeHours.removeTitle')}
                  message={o.booked ? t('officeHours.removeBookedText', { name: o.student_name ?? '' }) : t('officeHours.removeText')}
                  confirmLabel={t('officeHours.remove')} onConfirm={() => remove.mutate(o.id)}
                  aria-label={t('officeHours.removeSlot', { time: spanIn(o.starts_at, o.ends_at, timeZone) })}>
                  {t('officeHours.remove')}
                </ConfirmButton>
              </Group>
            </Group>
          ))}
        </Stack>
      )}
    </Stack>
  );
}
