// A student's home: one thing to do ("Revise now", which goes through everything due, step after
// step), today's goal, the last twelve weeks of work as a heatmap, the next two weeks as a chart
// with dates, and their paths.
import { lazy, Suspense } from 'react';
import { Badge, Button, Card, Group, Progress, RingProgress, SimpleGrid, Stack, Text, Title, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { type Schemas } from '../../shared/api/client';
import { formatDayLong } from '../../shared/format/dates';
import { EmptyState, ErrorState, SkeletonState } from '../../shared/ui/states';
import { useStartSession } from './useStartSession';
import { useMyLearning } from './queries';

type Home = Schemas['StudentHome'];
type Day = Home['history'][number];

// The chart library is large: loaded with the chart, after the rest of the page.
const ForecastChart = lazy(() => import('./ForecastChart'));

/** Reviews per day over twelve weeks, a column per week (Monday at the top), darker for more. */
function Heatmap({ days }: { days: Day[] }) {
  const { t } = useTranslation();
  const peak = Math.max(1, ...days.map((d) => d.count));
  // Weeks start on Monday: pad the first column so each row is one weekday.
  const first = new Date(`${days[0]?.date ?? '2026-01-05'}T12:00:00Z`).getUTCDay();
  const padding = (first + 6) % 7;
  const cells: (Day | null)[] = [...Array.from({ length: padding }, () => null), ...days];
  const weeks: (Day | null)[][] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  const shade = (count: number) => (count === 0 ? 'var(--mantine-color-gray-2)' : `var(--mantine-color-indigo-${Math.min(9, 3 + Math.ceil((6 * count) / peak))})`);
  const active = days.filter((d) => d.count > 0).length;
  const total = days.reduce((a, d) => a + d.count, 0);
  return (
    <Stack gap={6}>
      <div role="img" aria-label={t('learning.heatmapLabel', { days: active, total, weeks: weeks.length })} style={{ display: 'flex', gap: 3, overflowX: 'auto' }}>
        {weeks.map((week, w) => (
          <div key={w} style={{ display: 'grid', gridTemplateRows: 'repeat(7, 12px)', gap: 3 }}>
            {week.map((day, i) =>
              day ? (
                <Tooltip key={day.date} label={t('learning.reviewsOn', { count: day.count, date: formatDayLong(day.date) })} withinPortal>
                  <div style={{ width: 12, height: 12, borderRadius: 2, background: shade(day.count) }} />
                </Tooltip>
              ) : (
                <div key={`pad-${i}`} style={{ width: 12, height: 12 }} />
              ),
            )}
          </div>
        ))}
      </div>
      <Group gap={4} aria-hidden>
        <Text size="xs" c="dimmed">{t('learning.less')}</Text>
        {[0, 1, 3, 6].map((n) => <div key={n} style={{ width: 10, height: 10, borderRadius: 2, background: shade(Math.ceil((n * peak) / 6)) }} />)}
        <Text size="xs" c="dimmed">{t('learning.more')}</Text>
      </Group>
    </Stack>
  );
}

export function StudentHome() {
  const { t } = useTranslation();
  const home = useMyLearning();
  const start = useStartSession();
  if (home.isLoading) return <SkeletonState rows={4} height={96} />;
  if (home.isError) return <ErrorState error={home.error} onRetry={() => home.refetch()} />;
  const data = home.data!;
  const next = data.next_step ?? null;
  const newToday = data.paths.reduce((a, p) => a + p.new_available, 0);
  const left = data.due_today + newToday;
  const planned = data.reviewed_today + left;
  const percent = planned ? Math.round((100 * data.reviewed_today) / planned) : 100;
  return (
    <Stack>
      <Card withBorder padding="lg">
        <Group justify="space-between" wrap="wrap" gap="lg">
          <Group wrap="nowrap" gap="md">
            {planned > 0 && <RingProgress size={96} thickness={10} roundCaps sections={[{ value: percent, color: 'indigo.7' }]}
              label={<Text ta="center" fw={700}>{percent} %</Text>} aria-label={t('learning.goalLabel', { done: data.reviewed_today, total: planned })} />}
            <Stack gap={2}>
              <Title order={2} size="h3">{left > 0 ? t('learning.goalTitle', { count: left }) : planned > 0 ? t('learning.goalDone') : t('learning.goalNothing')}</Title>
              <Text size="sm" c="dimmed">
                {t('learning.goalDetail', { due: data.due_today, fresh: newToday, done: data.reviewed_today })}
              </Text>
              {data.streak_days > 0 && <Text size="sm">{t('learning.streakLine', { count: data.streak_days })}</Text>}
            </Stack>
          </Group>
          {next && (next.kind === 'lesson' || next.kind === 'tutor') ? (
            <Button size="lg" component={Link} to={`/learning/my/${next.path_id}`}>{t('learning.readNext')}</Button>
          ) : next ? (
            <Button size="lg" onClick={() => start.mutate(next.step_id)} loading={start.isPending}>{t('learning.reviseNow')}</Button>
          ) : (
            <Text size="sm" c="dimmed" maw={260}>{t('learning.nothingDue')}</Text>
          )}
        </Group>
        {next && <Text size="sm" mt="xs" c="dimmed">{t('learning.nextUp', { step: next.step_title, path: next.path_title })}</Text>}
        {start.error && <Text size="sm" c="red.9" mt="xs" role="alert">{start.error}</Text>}
      </Card>

      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder><Suspense fallback={<SkeletonState rows={1} height={200} />}><ForecastChart days={data.forecast} title={t('learning.forecastTitle', { count: 14 })}
          text={t('learning.forecastText', { total: data.forecast.slice(0, 14).reduce((a, d) => a + d.count, 0), count: 14 })} /></Suspense></Card>
        <Card withBorder>
          <Stack gap={4}>
            <Title order={2} size="h5">{t('learning.heatmapTitle')}</Title>
            <Heatmap days={data.history ?? []} />
          </Stack>
        </Card>
      </SimpleGrid>

      <Title order={2} size="h4">{t('learning.myPaths')}</Title>
      {data.paths.length === 0 ? (
        <EmptyState title={t('learning.noAssignedPaths')} hint={t('learning.noAssignedPathsHint')} />
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          {data.paths.map((p) => (
            <Card key={p.id} withBorder component={Link} to={`/learning/my/${p.id}`} className="link-card">
              <Text fw={600}>{p.title}</Text>
              <Text size="sm" c="dimmed">{p.subject_name}</Text>
              <Group gap="xs" mt="xs">
                {p.due_today > 0 && <Badge variant="light" color="indigo">{t('learning.dueCount', { count: p.due_today })}</Badge>}
                {p.new_available > 0 && <Badge variant="outline" color="gray.7">{t('learning.newCount', { count: p.new_available })}</Badge>}
                {p.due_today === 0 && p.new_available === 0 && (
                  <Text size="xs" c="dimmed">{p.steps_done < p.step_count ? t('learning.toContinue') : t('learning.upToDate')}</Text>
                )}
              </Group>
              <Progress mt="sm" value={p.step_count ? Math.round((100 * p.steps_done) / p.step_count) : 0}
                aria-label={t('learning.stepsProgress', { done: p.steps_done, total: p.step_count })} />
              <Text size="xs" c="dimmed" mt={4}>{t('learning.stepsProgress', { done: p.steps_done, total: p.step_count })}</Text>
            </Card>
          ))}
        </SimpleGrid>
      )}
    </Stack>
  );
}
