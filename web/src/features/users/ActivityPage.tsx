// The school's activity log: who did what, when (school admin, support).
import { Stack, Table, Text, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, query, type Page, type Schemas } from '../../shared/api/client';
import { EmptyState, ErrorState, LoadMore, LoadingState } from '../../shared/ui/states';
import { useAuth } from '../auth/auth';

type Entry = Schemas['ActivityEntry'];

export function ActivityPage() {
  const { t, i18n } = useTranslation();
  const { me } = useAuth();
  const activity = useInfiniteQuery({
    queryKey: ['activity'],
    queryFn: ({ pageParam }) => api<Page<Entry>>('GET', `/api/v1/activity${query({ cursor: pageParam, limit: 50 })}`),
    initialPageParam: '' as string,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const rows = activity.data?.pages.flatMap((p) => p.items) ?? [];
  // Times read in the school's own time zone, wherever the reader is.
  const when = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'medium', timeZone: me?.school?.timezone });
  const label = (action: string) => t(`activity.actions.${action.replace('.', '_')}`, { defaultValue: action });
  return (
    <Stack>
      <Title order={1} size="h2">{t('activity.title')}</Title>
      {activity.isLoading ? (
        <LoadingState />
      ) : activity.isError ? (
        <ErrorState error={activity.error} onRetry={() => activity.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState title={t('activity.empty')} />
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table striped aria-label={t('activity.title')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('activity.when')}</Table.Th>
                <Table.Th scope="col">{t('activity.who')}</Table.Th>
                <Table.Th scope="col">{t('activity.what')}</Table.Th>
                <Table.Th scope="col">{t('activity.request')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((entry) => (
                <Table.Tr key={entry.id}>
                  <Table.Td>{when.format(new Date(entry.at))}</Table.Td>
                  <Table.Td>{entry.actor_name || t('activity.system')}</Table.Td>
                  <Table.Td>{label(entry.action)}</Table.Td>
                  <Table.Td><Text size="xs" c="dimmed" ff="monospace">{entry.request_id.slice(0, 13)}</Text></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <LoadMore query={activity} />
    </Stack>
  );
}
