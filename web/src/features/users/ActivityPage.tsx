// The school's activity log: who did what, when (school admin, support).
import { Stack, Table, Text, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, query, type Page, type Schemas } from '../../shared/api/client';
import { EmptyState, ErrorState, LoadMore, LoadingState } from '../../shared/ui/states';
import { formatDateTime } from '../../shared/format/dates';

type Entry = Schemas['ActivityEntry'];

export function ActivityPage() {
  const { t } = useTranslation();
  const activity = useInfiniteQuery({
    queryKey: ['activity'],
    queryFn: ({ pageParam }) => api<Page<Entry>>('GET', `/api/v1/activity${query({ cursor: pageParam, limit: 50 })}`),
    initialPageParam: '' as string,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const rows = activity.data?.pages.flatMap((p) => p.items) ?? [];
  // Every log of the app shows times the same way: the reader's clock, with its zone named.
  const label = (action: string) => t(`activity.actions.${action.replace(/\./g, '_')}`, { defaultValue: t('activity.otherAction') });
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
                  <Table.Td>{formatDateTime(entry.at)}</Table.Td>
                  <Table.Td>{entry.actor_name || t('activity.system')}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{entry.target_name ? t('activity.withTarget', { action: label(entry.action), target: entry.target_name }) : label(entry.action)}</Text>
                  </Table.Td>
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
