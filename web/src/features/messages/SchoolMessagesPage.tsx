// The school's admins: the rules for messages (may students write to each other, blocked words)
// and the messages reported to them.
import { useEffect, useState } from 'react';
import { Badge, Button, Card, Group, SegmentedControl, Stack, Switch, Table, TagsInput, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../shared/api/client';
import { formatDateTime } from '../../shared/format/dates';
import { EmptyState, ErrorState, errorMessage, SkeletonState } from '../../shared/ui/states';
import { useAuth } from '../auth/auth';
import { useQueryClient } from '@tanstack/react-query';
import { useRealtimeMessage } from '../../shared/realtime/realtime';
import { ChatText } from './ChatText';
import { useCommunicationSettings, useMessageReports, useResolveReport, useSaveCommunicationSettings } from './queries';

export function SchoolMessagesPage() {
  const { t } = useTranslation();
  return (
    <Stack gap="lg">
      <Title order={1} size="h2">{t('chat.schoolTitle')}</Title>
      <Reports />
      <Rules />
    </Stack>
  );
}

function Rules() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const school = me?.school?.id ?? '';
  const settings = useCommunicationSettings(school);
  const save = useSaveCommunicationSettings(school);
  const [students, setStudents] = useState(false);
  const [words, setWords] = useState<string[]>([]);
  useEffect(() => {
    if (settings.data) {
      setStudents(settings.data.students_may_message_students);
      setWords(settings.data.blocked_words);
    }
  }, [settings.data]);
  if (settings.isLoading) return <SkeletonState rows={2} />;
  if (settings.error) return <ErrorState error={settings.error} onRetry={() => void settings.refetch()} />;
  const fieldError = save.error instanceof ApiError ? save.error.fieldMessage('blocked_words') : undefined;
  return (
    <Card withBorder radius="md" component="section" aria-labelledby="rules-title">
      <Stack>
        <Title order={2} size="h4" id="rules-title">{t('chat.rules')}</Title>
        <Switch checked={students} onChange={(e) => setStudents(e.currentTarget.checked)} label={t('chat.studentsMayWrite')}
          description={t('chat.studentsMayWriteHint')} />
        <TagsInput label={t('chat.blockedWords')} description={t('chat.blockedWordsHint')} value={words} onChange={setWords}
          clearable maxTags={200} error={fieldError} splitChars={[',', ';']} />
        {save.error && !fieldError && <Text c="red.8" size="sm" role="alert">{errorMessage(save.error, t)}</Text>}
        <Group>
          <Button loading={save.isPending} onClick={() => save.mutate({ students_may_message_students: students, blocked_words: words }, {
            onSuccess: () => notifications.show({ color: 'green', message: t('chat.rulesSaved') }),
          })}>{t('common.save')}</Button>
        </Group>
      </Stack>
    </Card>
  );
}

function Reports() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<'open' | 'all'>('open');
  const reports = useMessageReports(status);
  const resolve = useResolveReport();
  const queryClient = useQueryClient();
  // A report made while the page is open shows at once.
  useRealtimeMessage<{ kind: string }>('notification.created', ({ data }) => {
    if (data.kind === 'message_reported') void queryClient.invalidateQueries({ queryKey: ['message-reports'] });
  });
  return (
    <Card withBorder radius="md" component="section" aria-labelledby="reports-title">
      <Stack>
        <Group justify="space-between">
          <Title order={2} size="h4" id="reports-title">{t('chat.reports')}</Title>
          <SegmentedControl value={status} onChange={(v) => setStatus(v as 'open' | 'all')} aria-label={t('chat.reportsShown')}
            data={[{ value: 'open', label: t('chat.reportsOpen') }, { value: 'all', label: t('chat.reportsAll') }]} />
        </Group>
        {reports.isLoading ? (
          <SkeletonState rows={2} />
        ) : reports.error ? (
          <ErrorState error={reports.error} onRetry={() => void reports.refetch()} />
        ) : reports.data!.items.length === 0 ? (
          <EmptyState title={t('chat.noReports')} hint={t('chat.noReportsHint')} />
        ) : (
          <Table.ScrollContainer minWidth={640}>
            <Table striped aria-labelledby="reports-title">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('chat.reportedMessage')}</Table.Th>
                  <Table.Th>{t('chat.reportedBy')}</Table.Th>
                  <Table.Th>{t('chat.reportReason')}</Table.Th>
                  <Table.Th>{t('chat.reportedAt')}</Table.Th>
                  <Table.Th><span className="visually-hidden">{t('chat.actions')}</span></Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {reports.data!.items.map((r) => (
                  <Table.Tr key={r.id}>
                    <Table.Td>
                      <Text size="xs" fw={700}>{r.message.author_name}</Text>
                      <ChatText text={r.message_text} />
                      {r.message.deleted_at && <Badge color="gray" variant="light" size="sm">{t('chat.deletedSince')}</Badge>}
                    </Table.Td>
                    <Table.Td>{r.reporter_name}</Table.Td>
                    <Table.Td><Text size="sm">{r.reason}</Text></Table.Td>
                    <Table.Td>{formatDateTime(r.created_at)}</Table.Td>
                    <Table.Td>
                      {r.resolved_at ? (
                        <Badge color="green" variant="light">{t('chat.resolved')}</Badge>
                      ) : (
                        <Button size="xs" variant="light" loading={resolve.isPending && resolve.variables === r.id}
                          onClick={() => resolve.mutate(r.id)}>{t('chat.resolve')}</Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Card>
  );
}
