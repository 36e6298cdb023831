// The agenda (/agenda): one's week or month in the school's time zone — appointments, office hours,
// class events, exams and deadlines — with the one next action of each role (a teacher adds an
// event, a student asks for an appointment) and the private calendar feed to subscribe to.
import {
  ActionIcon,
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  CopyButton,
  Group,
  Modal,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
  Tooltip,
} from '@mantine/core';
import { notifications as toasts } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { api } from '../../shared/api/client';
import { addDays, addMonths, dayOf, dayStart, sameDay, startOfMonth, startOfWeek, type Day } from '../../shared/format/zoned';
import { ConfirmButton } from '../../shared/ui/ConfirmButton';
import { EmptyState, ErrorState, errorMessage, SkeletonState } from '../../shared/ui/states';
import { hasRole, planHas, useAuth } from '../auth/auth';
import { SlotFields, slotOf, type SlotDraft } from './fields';
import { dayIn, monthIn, shortDayIn, spanIn, timeIn, weekdayIn } from './format';
import { useAddEvent, useAgenda, useAgendaSync, useCalendarFeed, useRemoveEvent, useResetCalendarFeed, type AgendaItem } from './queries';

type View = 'week' | 'month';

const KIND_COLORS: Record<string, string> = {
  appointment: 'indigo',
  office_hour: 'teal',
  event: 'blue',
  exam: 'red',
  deadline: 'orange',
};

export function AgendaPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const timeZone = me?.school?.timezone ?? 'UTC';
  const [params, setParams] = useSearchParams();
  const view: View = params.get('view') === 'month' ? 'month' : 'week';
  const [anchor, setAnchor] = useState<Day>(() => dayOf(Date.now(), timeZone));
  const [adding, setAdding] = useState(false);
  const openEvent = params.get('event');
  useAgendaSync();

  const first = view === 'week' ? startOfWeek(anchor) : startOfWeek(startOfMonth(anchor));
  const days = view === 'week' ? 7 : 42;
  const from = dayStart(first, timeZone);
  const to = dayStart(addDays(first, days), timeZone);
  const agenda = useAgenda(from, to);
  const today = dayOf(Date.now(), timeZone);

  const byDay = useMemo(() => {
    const map = new Map<string, AgendaItem[]>();
    for (const item of agenda.data?.items ?? []) {
      const d = dayOf(item.starts_at, timeZone);
      const key = `${d.year}-${d.month}-${d.day}`;
      map.set(key, [...(map.get(key) ?? []), item]);
    }
    return map;
  }, [agenda.data, timeZone]);
  const itemsOf = (d: Day) => byDay.get(`${d.year}-${d.month}-${d.day}`) ?? [];

  const move = (step: number) => setAnchor(view === 'week' ? addDays(anchor, step * 7) : addMonths(anchor, step));
  const period =
    view === 'week'
      ? `${shortDayIn(from + 12 * 3600_000, timeZone)} – ${shortDayIn(to - 12 * 3600_000, timeZone)}`
      : monthIn(dayStart(startOfMonth(anchor), timeZone) + 12 * 3600_000, timeZone);
  const isTeacher = hasRole(me, 'teacher');
  const isStudent = hasRole(me, 'student');
  const list = Array.from({ length: days }, (_, i) => addDays(first, i));

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <div>
          <Title order={1} size="h2">{t('agenda.title')}</Title>
          <Text c="dimmed" size="sm">{t('agenda.timezone', { zone: timeZone })}</Text>
        </div>
        {isTeacher && <Button onClick={() => setAdding(true)}>{t('agenda.addEvent')}</Button>}
        {isStudent && <Button component={Link} to="/appointments">{t('agenda.askAppointment')}</Button>}
      </Group>

      <Group justify="space-between" wrap="wrap" gap="sm">
        <Group gap="xs" wrap="wrap">
          <Group gap="xs" wrap="nowrap">
            <Tooltip label={t('agenda.previous')}>
              <ActionIcon variant="default" size="lg" onClick={() => move(-1)} aria-label={t('agenda.previous')}>‹</ActionIcon>
            </Tooltip>
            <Button variant="default" onClick={() => setAnchor(today)}>{t('agenda.today')}</Button>
            <Tooltip label={t('agenda.next')}>
              <ActionIcon variant="default" size="lg" onClick={() => move(1)} aria-label={t('agenda.next')}>›</ActionIcon>
            </Tooltip>
          </Group>
          <Text fw={600} aria-live="polite">{period}</Text>
        </Group>
        <SegmentedControl
          value={view}
          onChange={(v) => setParams((p) => { p.set('view', v); return p; })}
          data={[
            { value: 'week', label: t('agenda.week') },
            { value: 'month', label: t('agenda.month') },
          ]}
          aria-label={t('agenda.view')}
        />
      </Group>

      {agenda.isError ? (
        <ErrorState error={agenda.error} onRetry={() => agenda.refetch()} />
      ) : agenda.isLoading ? (
        <SkeletonState rows={4} height={80} />
      ) : view === 'week' ? (
        <>
          {(agenda.data?.items.length ?? 0) === 0 && <EmptyState title={t('agenda.emptyWeek')} hint={isTeacher ? t('agenda.emptyTeacherHint') : t('agenda.emptyHint')} />}
          <SimpleGrid cols={{ base: 1, sm: 7 }} spacing="xs">
            {list.map((d) => {
              const items = itemsOf(d);
              const isToday = sameDay(d, today);
              return (
                <Paper key={`${d.month}-${d.day}`} withBorder p="xs" component="section" aria-label={dayIn(dayStart(d, timeZone) + 12 * 3600_000, timeZone)}
                  bg={isToday ? 'indigo.0' : undefined} visibleFrom={items.length === 0 && !isToday ? 'sm' : undefined} mih={{ sm: 160 }}>
                  <Text size="sm" fw={isToday ? 700 : 600} mb={4}>
                    {shortDayIn(dayStart(d, timeZone) + 12 * 3600_000, timeZone)}
                  </Text>
                  <Stack gap={6}>
                    {items.map((item) => <ItemChip key={`${item.kind}-${item.id}-${item.starts_at}`} item={item} timeZone={timeZone} />)}
                  </Stack>
                </Paper>
              );
            })}
          </SimpleGrid>
        </>
      ) : (
        <MonthGrid days={list} month={startOfMonth(anchor)} today={today} itemsOf={itemsOf} timeZone={timeZone}
          onPickDay={(d) => { setAnchor(d); setParams((p) => { p.set('view', 'week'); return p; }); }} />
      )}

      <FeedCard />
      {adding && <AddEventModal timeZone={timeZone} onClose={() => setAdding(false)} />}
      {openEvent && <EventModal id={openEvent} timeZone={timeZone} onClose={() => setParams((p) => { p.delete('event'); return p; })} />}
    </Stack>
  );
}

function ItemChip({ item, timeZone }: { item: AgendaItem; timeZone: string }) {
  const { t } = useTranslation();
  const title = item.title || t(`agenda.kind.${item.kind}`);
  const when = item.kind === 'deadline' ? timeIn(item.starts_at, timeZone) : `${timeIn(item.starts_at, timeZone)}–${timeIn(item.ends_at, timeZone)}`;
  const color = KIND_COLORS[item.kind] ?? 'gray';
  const proposed = item.status === 'proposed';
  return (
    <Anchor component={Link} to={item.link ?? '/agenda'} underline="never" c="inherit" className="agenda-item">
      <Paper p={6} radius="sm" bg={`${color}.0`} style={{ borderLeft: `3px solid var(--mantine-color-${color}-7)`, borderStyle: proposed ? 'dashed' : undefined }}>
        <Text size="xs" c={`${color}.9`} fw={600}>{when}</Text>
        <Text size="sm" lineClamp={2}>{title}</Text>
        <Group gap={4}>
          <Badge size="xs" variant="light" color={color}>{t(`agenda.kind.${item.kind}`)}</Badge>
          {proposed && <Badge size="xs" variant="outline" color="gray">{t('appointments.status.proposed')}</Badge>}
        </Group>
      </Paper>
    </Anchor>
  );
}

function MonthGrid({ days, month, today, itemsOf, timeZone, onPickDay }: {
  days: Day[]; month: Day; today: Day; itemsOf: (d: Day) => AgendaItem[]; timeZone: string; onPickDay: (d: Day) => void;
}) {
  const { t } = useTranslation();
  const weekdays = days.slice(0, 7).map((d) => weekdayIn(dayStart(d, timeZone) + 12 * 3600_000, timeZone));
  return (
    <div role="grid" aria-label={t('agenda.month')} className="agenda-month">
      <div role="row" className="agenda-month-row">
        {weekdays.map((w) => <div role="columnheader" key={w} className="agenda-month-head">{w}</div>)}
      </div>
      {Array.from({ length: 6 }, (_, week) => (
        <div role="row" className="agenda-month-row" key={week}>
          {days.slice(week * 7, week * 7 + 7).map((d) => {
            const items = itemsOf(d);
            const other = d.month !== month.month;
            return (
              <div role="gridcell" key={`${d.month}-${d.day}`} className="agenda-month-cell" data-today={sameDay(d, today) || undefined} data-other={other || undefined}>
                <button type="button" className="agenda-month-day" onClick={() => onPickDay(d)}
                  aria-label={`${dayIn(dayStart(d, timeZone) + 12 * 3600_000, timeZone)}: ${t('agenda.itemCount', { count: items.length })}`}>
                  {d.day}
                </button>
                <Stack gap={2}>
                  {items.slice(0, 3).map((item) => (
                    <Text key={`${item.id}-${item.starts_at}`} size="xs" truncate c={`${KIND_COLORS[item.kind] ?? 'gray'}.9`}>
                      {timeIn(item.starts_at, timeZone)} {item.title || t(`agenda.kind.${item.kind}`)}
                    </Text>
                  ))}
                  {items.length > 3 && <Text size="xs" c="dimmed">{t('agenda.more', { count: items.length - 3 })}</Text>}
                </Stack>
              </div>
            );
          })}
        </div>
      ))}
    </div>
  );
}

function AddEventModal({ timeZone, onClose }: { timeZone: string; onClose: () => void }) {
  const { t } = useTranslation();
  const classes = useQuery({ queryKey: ['classes'], queryFn: () => api<{ items: { id: string; name: string }[] }>('GET', '/api/v1/classes') });
  const add = useAddEvent();
  const tomorrow = addDays(dayOf(Date.now(), timeZone), 1);
  const [classId, setClassId] = useState<string | null>(null);
  const [kind, setKind] = useState('event');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [video, setVideo] = useState(false);
  const [draft, setDraft] = useState<SlotDraft>({ day: `${tomorrow.year}-${String(tomorrow.month).padStart(2, '0')}-${String(tomorrow.day).padStart(2, '0')}`, time: '10:00', minutes: 60 });
  const [error, setError] = useState<string | null>(null);
  const submit = () => {
    const slot = slotOf(draft, timeZone);
    if (!classId) return setError(t('agenda.chooseClass'));
    if (!title.trim()) return setError(t('agenda.giveTitle'));
    if (!slot) return setError(t('agenda.chooseTime'));
    setError(null);
    add.mutate(
      { class_id: classId, kind, title, description, starts_at: slot.starts_at, ends_at: kind === 'deadline' ? slot.starts_at : slot.ends_at, video: kind !== 'deadline' && video },
      {
        onSuccess: () => { toasts.show({ color: 'green', message: t('agenda.eventAdded') }); onClose(); },
        onError: (e) => setError(errorMessage(e, t)),
      },
    );
  };
  return (
    <Modal opened onClose={onClose} title={t('agenda.addEvent')} size="lg">
      <Stack>
        <Select label={t('agenda.class')} data={(classes.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))} value={classId} onChange={setClassId} required />
        <SegmentedControl value={kind} onChange={setKind} aria-label={t('agenda.kindLabel')}
          data={['event', 'exam', 'deadline'].map((k) => ({ value: k, label: t(`agenda.kind.${k}`) }))} />
        <TextInput label={t('agenda.eventTitle')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} required maxLength={200} />
        <SlotFields draft={draft} onChange={setDraft} />
        <Textarea label={t('agenda.description')} value={description} onChange={(e) => setDescription(e.currentTarget.value)} autosize minRows={2} maxLength={4000} />
        {kind !== 'deadline' && <Checkbox label={t('agenda.withVideo')} checked={video} onChange={(e) => setVideo(e.currentTarget.checked)} />}
        {error && <Text c="red.8" size="sm" role="alert">{error}</Text>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
          <Button onClick={submit} loading={add.isPending}>{t('agenda.addEvent')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function EventModal({ id, timeZone, onClose }: { id: string; timeZone: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const event = useQuery({ queryKey: ['agenda', 'event', id], queryFn: () => api<import('./queries').ClassEvent>('GET', `/api/v1/events/${id}`) });
  const remove = useRemoveEvent();
  const e = event.data;
  return (
    <Modal opened onClose={onClose} title={e ? e.title : t('agenda.kind.event')}>
      {event.isError ? (
        <ErrorState error={event.error} />
      ) : !e ? (
        <SkeletonState rows={2} height={30} />
      ) : (
        <Stack>
          <Group gap="xs">
            <Badge variant="light" color={KIND_COLORS[e.kind]}>{t(`agenda.kind.${e.kind}`)}</Badge>
            <Text size="sm">{e.class_name}</Text>
          </Group>
          <Text>{e.kind === 'deadline' ? `${dayIn(e.starts_at, timeZone)}, ${timeIn(e.starts_at, timeZone)}` : spanIn(e.starts_at, e.ends_at, timeZone)}</Text>
          {e.description && <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{e.description}</Text>}
          {e.path_title && <Text size="sm">{t('agenda.path', { title: e.path_title })}</Text>}
          <Group justify="space-between">
            {e.room && planHas(me, 'video_rooms') ? <Button component={Link} to={`/rooms/${e.room.id}`}>{t('room.join')}</Button> : <span />}
            {(e.author_id === me?.user.id || hasRole(me, 'school_admin')) && (
              <ConfirmButton variant="subtle" color="red" title={t('agenda.removeEventTitle')} message={t('agenda.removeEventText')}
                confirmLabel={t('agenda.removeEvent')} onConfirm={() => remove.mutate(e.id, { onSuccess: onClose })}>
                {t('agenda.removeEvent')}
              </ConfirmButton>
            )}
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

function FeedCard() {
  const { t } = useTranslation();
  const [shown, setShown] = useState(false);
  const feed = useCalendarFeed(shown);
  const reset = useResetCalendarFeed();
  return (
    <Card withBorder component="section" aria-labelledby="feed-title">
      <Stack gap="xs">
        <Title order={2} size="h4" id="feed-title">{t('agenda.feedTitle')}</Title>
        <Text size="sm" c="dimmed">{t('agenda.feedHint')}</Text>
        {!shown ? (
          <Group><Button variant="light" onClick={() => setShown(true)}>{t('agenda.feedShow')}</Button></Group>
        ) : feed.isError ? (
          <ErrorState error={feed.error} />
        ) : (
          <Group align="flex-end" wrap="wrap">
            <TextInput label={t('agenda.feedAddress')} value={feed.data?.url ?? ''} readOnly style={{ flex: 1, minWidth: 240 }} onFocus={(e) => e.currentTarget.select()} />
            <CopyButton value={feed.data?.url ?? ''}>
              {({ copied, copy }) => <Button variant="default" onClick={copy} disabled={!feed.data}>{copied ? t('agenda.copied') : t('agenda.copy')}</Button>}
            </CopyButton>
            <ConfirmButton variant="subtle" color="red" title={t('agenda.feedResetTitle')} message={t('agenda.feedResetText')}
              confirmLabel={t('agenda.feedReset')} onConfirm={() => reset.mutate(undefined, { onError: (e) => toasts.show({ color: 'red', message: errorMessage(e, t) }) })}>
              {t('agenda.feedReset')}
            </ConfirmButton>
          </Group>
        )}
      </Stack>
    </Card>
  );
}
