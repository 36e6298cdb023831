// A path's students for its teachers: a table sortable by each column, each student opening their
// detail, and the class's next days as a chart with axes.
import { lazy, Suspense, useState } from 'react';
import { Button, Drawer, SimpleGrid, Stack, Table, Text, Title, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { type Schemas } from '../../shared/api/client';
import { formatDate } from '../../shared/format/dates';
import { EmptyState, ErrorState, LoadingState, SkeletonState } from '../../shared/ui/states';
import { usePathProgress } from './queries';

type Path = Schemas['LearningPath'];
type Progress = Schemas['PathProgress'];
type Student = Progress['students'][number];
type Column = 'display_name' | 'steps_done' | 'cards_started' | 'due_now' | 'due_next_7_days' | 'average_retrievability' | 'last_review_at';

const ForecastChart = lazy(() => import('./ForecastChart'));

const COLUMNS: { key: Column; label: string }[] = [
  { key: 'display_name', label: 'learning.student' },
  { key: 'steps_done', label: 'learning.stepsDone' },
  { key: 'cards_started', label: 'learning.cardsStarted' },
  { key: 'due_now', label: 'learning.dueNow' },
  { key: 'due_next_7_days', label: 'learning.dueWeek' },
  { key: 'average_retrievability', label: 'learning.retention' },
  { key: 'last_review_at', label: 'learning.lastReview' },
];

function percent(value: number | null | undefined): string {
  return value == null ? '—' : `${Math.round(value * 100)} %`;
}

function StudentDetail({ student, stepCount }: { student: Student; stepCount: number }) {
  const { t } = useTranslation();
  const model = student.model as { fitted?: boolean; improved?: boolean; improvement_percent?: number; reviews_used?: number } | undefined;
  const figures: [string, string][] = [
    [t('learning.stepsDone'), `${student.steps_done} / ${stepCount}`],
    [t('learning.cardsStarted'), String(student.cards_started)],
    [t('learning.reviewsDone'), String(student.reviews)],
    [t('learning.lapses'), String(student.lapses)],
    [t('learning.dueNow'), String(student.due_now)],
    [t('learning.dueWeek'), String(student.due_next_7_days)],
    [t('learning.retention'), percent(student.average_retrievability)],
    [t('learning.lastReview'), student.last_review_at ? formatDate(student.last_review_at) : t('learning.never')],
  ];
  return (
    <Stack>
      <SimpleGrid cols={2}>
        {figures.map(([label, value]) => (
          <div key={label}>
            <Text size="sm" c="dimmed">{label}</Text>
            <Text fw={700} fz="lg">{value}</Text>
          </div>
        ))}
      </SimpleGrid>
      <Text size="sm">{t('learning.retentionHint')}</Text>
      <Title order={3} size="h5">{t('learning.modelTitle')}</Title>
      <Text size="sm">
        {!model?.reviews_used
          ? t('learning.modelNone')
          : model.fitted && model.improved
            ? t('learning.modelFitted', { percent: Math.round(model.improvement_percent ?? 0), reviews: model.reviews_used })
            : t('learning.modelKept', { reviews: model.reviews_used })}
      </Text>
    </Stack>
  );
}

export function ProgressPanel({ path }: { path: Path }) {
  const { t } = useTranslation();
  const progress = usePathProgress(path.id);
  const [sort, setSort] = useState<{ by: Column; up: boolean }>({ by: 'due_now', up: false });
  const [open, setOpen] = useState<Student | null>(null);
  if (progress.isLoading) return <LoadingState />;
  if (progress.isError) return <ErrorState error={progress.error} onRetry={() => progress.refetch()} />;
  const data = progress.data!;
  const rows = [...data.students].sort((a, b) => {
    const x = a[sort.by] ?? -1;
    const y = b[sort.by] ?? -1;
    const order = typeof x === 'string' && typeof y === 'string' ? x.localeCompare(y) : Number(x) - Number(y);
    return sort.up ? order : -order;
  });
  const total = data.forecast.reduce((a, d) => a + d.count, 0);
  return (
    <Stack>
      {data.students.length === 0 ? (
        <EmptyState title={t('learning.noStudents')} />
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table striped highlightOnHover aria-label={t('learning.progressTitle')}>
            <Table.Thead>
              <Table.Tr>
                {COLUMNS.map((c) => (
                  <Table.Th key={c.key} scope="col" aria-sort={sort.by === c.key ? (sort.up ? 'ascending' : 'descending') : 'none'}>
                    <UnstyledButton fw={700} fz="sm" onClick={() => setSort({ by: c.key, up: sort.by === c.key ? !sort.up : c.key === 'display_name' })}>
                      {t(c.label)}{sort.by === c.key && <span aria-hidden> {sort.up ? '▲' : '▼'}</span>}
                    </UnstyledButton>
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td>
                    <Button variant="subtle" size="compact-sm" onClick={() => setOpen(s)} aria-label={t('learning.studentDetail', { name: s.display_name })}>
                      {s.display_name}
                    </Button>
                  </Table.Td>
                  <Table.Td>{s.steps_done} / {data.step_count}</Table.Td>
                  <Table.Td>{s.cards_started}</Table.Td>
                  <Table.Td>{s.due_now}</Table.Td>
                  <Table.Td>{s.due_next_7_days}</Table.Td>
                  <Table.Td>{percent(s.average_retrievability)}</Table.Td>
                  <Table.Td>{s.last_review_at ? formatDate(s.last_review_at) : t('learning.never')}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Suspense fallback={<SkeletonState rows={1} height={200} />}>
        <ForecastChart days={data.forecast} count={30} headingOrder={3} title={t('learning.classForecast')}
          text={t('learning.classForecastText', { total })} />
      </Suspense>
      <Drawer opened={!!open} onClose={() => setOpen(null)} position="right" title={open?.display_name}>
        {open && <StudentDetail student={open} stepCount={data.step_count} />}
      </Drawer>
    </Stack>
  );
}
