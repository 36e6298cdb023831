// Support's view of background work: counts by state, the jobs (filterable), and the latest
// server errors with their request ids. Platform admins see every school and may retry dead jobs.
import { useState } from 'react';
import { Badge, Button, Group, SegmentedControl, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../shared/format/dates';
import { api, query, type Page, type Schemas } from '../../shared/api/client';
import { EmptyState, ErrorState, LoadMore, LoadingState, errorMessage } from '../../shared/ui/states';
import { hasRole, useAuth } from '../auth/auth';

type Job = Schemas['Job'];
type Summary = Record<'queued' | 'running' | 'done' | 'dead' | 'failing', number>;
interface ServerError {
  at: number;
  request_id: string;
  method: string;
  route: string;
  status: number;
  detail?: string;
}
const FILTERS = ['all', 'failing', 'dead', 'queued', 'running', 'done'] as const;
const STATE_COLOR: Record<string, string> = { queued: 'blue', running: 'violet', done: 'green', dead: 'red' };

export function JobsPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const queryClient = useQueryClient();
  const [filter, setFilter] = useState<(typeof FILTERS)[number]>('all');
  const canRetry = hasRole(me, 'platform_admin');

  const summary = useQuery({ queryKey: ['jobs', 'summary'], queryFn: () => api<Summary>('GET', '/api/v1/jobs/summary') });
  const jobs = useInfiniteQuery({
    queryKey: ['jobs', 'list', filter],
    queryFn: ({ pageParam }) =>
      api<Page<Job>>('GET', `/api/v1/jobs${query({ status: filter === 'all' ? undefined : filter, cursor: pageParam, limit: 50 })}`),
    initialPageParam: '' as string,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const errors = useQuery({
    queryKey: ['jobs', 'errors'],
    queryFn: () => api<{ items: ServerError[] }>('GET', '/api/v1/errors'),
  });
  const retry = useMutation({
    mutationFn: (id: string) => api<Job>('POST', `/api/v1/jobs/${id}/retry`),
    onSuccess: () => {
      notifications.show({ color: 'green', message: t('jobs.retried') });
      queryClient.invalidateQueries({ queryKey: ['jobs'] });
    },
    onError: (error) => notifications.show({ color: 'red', message: errorMessage(error, t) }),
  });
  const rows = jobs.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Stack>
      <Title order={1} size="h2">{t('jobs.title')}</Title>
      <Group gap="xs" aria-label={t('jobs.summary')} role="group">
        {summary.data &&
          (['queued', 'running', 'failing', 'dead', 'done'] as const).map((state) => (
            <Badge key={state} size="lg" variant="light" color={state === 'failing' ? 'orange' : STATE_COLOR[state]}>
              {t(`jobs.filters.${state}`)} : {summary.data[state]}
            </Badge>
          ))}
      </Group>
      <SegmentedControl
        aria-label={t('jobs.filter')}
        value={filter}
        onChange={(value) => setFilter(value as (typeof FILTERS)[number])}
        data={FILTERS.map((value) => ({ value, label: t(`jobs.filters.${value}`) }))}
        style={{ alignSelf: 'flex-start' }}
      />
      {jobs.isLoading ? (
        <LoadingState />
      ) : jobs.isError ? (
        <ErrorState error={jobs.error} onRetry={() => jobs.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState title={t('jobs.empty')} />
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table striped aria-label={t('jobs.listLabel')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('jobs.type')}</Table.Th>
                <Table.Th scope="col">{t('jobs.state')}</Table.Th>
                <Table.Th scope="col">{t('jobs.attempts')}</Table.Th>
                <Table.Th scope="col">{t('jobs.next')}</Table.Th>
                <Table.Th scope="col">{t('jobs.lastError')}</Table.Th>
                {canRetry && <Table.Th scope="col"><VisuallyHidden>{t('jobs.actions')}</VisuallyHidden></Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((job) => (
                <Table.Tr key={job.id}>
                  <Table.Td><Text size="sm" ff="monospace">{job.type}</Text></Table.Td>
                  <Table.Td><Badge color={STATE_COLOR[job.status]} variant="light">{t(`jobs.states.${job.status}`)}</Badge></Table.Td>
                  <Table.Td>{job.attempts} / {job.max_attempts}</Table.Td>
                  <Table.Td>{job.status === 'queued' ? formatDateTime(job.run_at) : '—'}</Table.Td>
                  <Table.Td><Text size="sm" c={job.last_error ? 'red.9' : 'dimmed'} lineClamp={2}>{job.last_error ?? '—'}</Text></Table.Td>
                  {canRetry && (
                    <Table.Td>
                      {job.status === 'dead' && (
                        <Button size="compact-sm" variant="light" loading={retry.isPending && retry.variables === job.id}
                          onClick={() => retry.mutate(job.id)} aria-label={t('jobs.retryLabel', { type: job.type })}>
                          {t('jobs.retry')}
                        </Button>
                      )}
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <LoadMore query={jobs} />

      <Title order={2} size="h3">{t('jobs.errorsTitle')}</Title>
      <Text size="sm" c="dimmed">{t('jobs.errorsHint')}</Text>
      {errors.isLoading ? (
        <LoadingState />
      ) : errors.isError ? (
        <ErrorState error={errors.error} onRetry={() => errors.refetch()} />
      ) : !errors.data?.items.length ? (
        <EmptyState title={t('jobs.noErrors')} />
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table striped aria-label={t('jobs.errorsTitle')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('jobs.when')}</Table.Th>
                <Table.Th scope="col">{t('jobs.request')}</Table.Th>
                <Table.Th scope="col">{t('jobs.route')}</Table.Th>
                <Table.Th scope="col">{t('jobs.status')}</Table.Th>
                {canRetry && <Table.Th scope="col">{t('jobs.detail')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {errors.data.items.map((error) => (
                <Table.Tr key={error.request_id}>
                  <Table.Td>{formatDateTime(error.at)}</Table.Td>
                  <Table.Td><Text size="xs" ff="monospace">{error.request_id}</Text></Table.Td>
                  <Table.Td><Text size="sm" ff="monospace">{error.method} {error.route}</Text></Table.Td>
                  <Table.Td>{error.status}</Table.Td>
                  {canRetry && <Table.Td><Text size="sm" lineClamp={2}>{error.detail}</Text></Table.Td>}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
