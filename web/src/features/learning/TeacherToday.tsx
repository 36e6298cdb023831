// A teacher's home: what needs attention today (students falling behind, paths with nothing to
// learn yet, items waiting for validation), then their paths at a glance.
import { Alert, Badge, Button, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { formatDate } from '../../shared/format/dates';
import { EmptyState, ErrorState, SkeletonState } from '../../shared/ui/states';
import { statusColor } from './PathsPage';
import { useTeachingToday } from './queries';


export function TeacherToday() {
  const { t } = useTranslation();
  const today = useTeachingToday();
  if (today.isLoading) return <SkeletonState rows={3} height={80} />;
  if (today.isError) return <ErrorState error={today.error} onRetry={() => today.refetch()} />;
  const data = today.data!;
  const calm = data.students_behind.length === 0 && data.paths_without_content.length === 0 && data.pending_items === 0;
  const pendingPath = data.paths.find((p) => p.pending_items > 0);
  return (
    <Stack>
      <Title order={2} size="h3">{t('teaching.attention')}</Title>
      {calm && <Alert color="green" variant="light" role="note">{t('teaching.allGood')}</Alert>}
      {data.students_behind.length > 0 && (
        <Card withBorder>
          <Stack gap="xs">
            <Title order={3} size="h5">{t('teaching.behindTitle', { count: data.students_behind.length })}</Title>
            <Text size="sm" c="dimmed">{t('teaching.behindHint')}</Text>
            <Table.ScrollContainer minWidth={480}>
              <Table aria-label={t('teaching.behindTitle', { count: data.students_behind.length })}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('learning.student')}</Table.Th>
                    <Table.Th scope="col">{t('teaching.path')}</Table.Th>
                    <Table.Th scope="col">{t('learning.dueNow')}</Table.Th>
                    <Table.Th scope="col">{t('learning.lastReview')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.students_behind.slice(0, 10).map((s) => (
                    <Table.Tr key={`${s.student_id}:${s.path_id}`}>
                      <Table.Td>{s.display_name}</Table.Td>
                      <Table.Td><Link to={`/learning/paths/${s.path_id}?tab=progress`}>{s.path_title}</Link></Table.Td>
                      <Table.Td>{s.due}</Table.Td>
                      <Table.Td>{s.last_review_at ? formatDate(s.last_review_at) : t('learning.never')}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Stack>
        </Card>
      )}
      {(data.paths_without_content.length > 0 || data.pending_items > 0) && (
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {data.paths_without_content.map((p) => (
            <Card key={p.path_id} withBorder>
              <Stack gap={6}>
                <Text fw={600}>{p.title}</Text>
                <Text size="sm">{t('teaching.noContent')}</Text>
                <Button component={Link} to={`/learning/paths/${p.path_id}`} variant="light" style={{ alignSelf: 'flex-start' }}>{t('teaching.addContent')}</Button>
              </Stack>
            </Card>
          ))}
          {data.pending_items > 0 && pendingPath && (
            <Card withBorder>
              <Stack gap={6}>
                <Text fw={600}>{t('teaching.pendingTitle', { count: data.pending_items })}</Text>
                <Text size="sm">{t('teaching.pendingHint')}</Text>
                <Button component={Link} to={`/learning/paths/${pendingPath.id}`} variant="light" style={{ alignSelf: 'flex-start' }}>{t('teaching.review')}</Button>
              </Stack>
            </Card>
          )}
        </SimpleGrid>
      )}
      <Group justify="space-between">
        <Title order={2} size="h3">{t('teaching.myPaths')}</Title>
        <Button component={Link} to="/learning/paths" variant="default">{t('teaching.allPaths')}</Button>
      </Group>
      {data.paths.length === 0 ? (
        <EmptyState title={t('learning.noPaths')} hint={t('learning.noPathsHint')} />
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          {data.paths.map((p) => (
            <Card key={p.id} withBorder component={Link} to={`/learning/paths/${p.id}`} className="link-card">
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                <Text fw={600}>{p.title}</Text>
                <Badge variant="light" color={statusColor(p.status)} style={{ flexShrink: 0 }}>{t(`learning.statuses.${p.status}`)}</Badge>
              </Group>
              <Text size="sm" c="dimmed" mt={4}>
                {t('teaching.pathLine', { items: p.validated_items, students: p.student_count })}
              </Text>
              {p.students_behind > 0 && <Text size="sm" c="red.9" mt={4}>{t('teaching.behindCount', { count: p.students_behind })}</Text>}
              {p.status === 'active' && p.students_not_started > 0 && (
                <Text size="sm" mt={4}>{t('teaching.notStarted', { count: p.students_not_started, total: p.student_count })}</Text>
              )}
            </Card>
          ))}
        </SimpleGrid>
      )}
    </Stack>
  );
}
