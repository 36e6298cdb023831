// The path builder: the path's status and exports, and its tabs: steps (StepsPanel, each step's
// content in StepItems), assignment (AssignmentPanel), the class's progress and memory settings.
import { useState } from 'react';
import { Alert, Badge, Button, Group, Menu, Stack, Tabs, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { api, type Schemas } from '../../shared/api/client';
import { formatDayLong } from '../../shared/format/dates';
import { ErrorState, LoadingState, errorMessage } from '../../shared/ui/states';
import { statusColor } from './PathsPage';
import { ProgressPanel } from './ProgressPanel';
import { PathSettingsPanel } from './SettingsPanels';
import { AssignmentPanel } from './AssignmentPanel';
import { StepsPanel } from './StepsPanel';
import { AgentPanel } from '../tutor/AgentPanel';
import { ConversationsPanel } from '../tutor/ConversationsPanel';
import { SourcesPanel } from '../tutor/SourcesPanel';
import { useLearningChanged, usePath } from './queries';

type Path = Schemas['LearningPath'];

export function PathBuilderPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const [searchParams] = useSearchParams();
  const changed = useLearningChanged();
  const path = usePath(id);
  const [statusError, setStatusError] = useState<string | null>(null);
  const setStatus = useMutation({
    mutationFn: (status: string) => api<Path>('PATCH', `/api/v1/learning-paths/${id}`, { status }),
    onSuccess: () => {
      setStatusError(null);
      void changed.path(id);
      void changed.paths();
    },
    onError: (caught) => setStatusError(errorMessage(caught, t)),
  });
  if (path.isLoading) return <LoadingState />;
  if (path.isError) return <ErrorState error={path.error} onRetry={() => path.refetch()} />;
  const data = path.data!;
  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Title order={1} size="h2">{data.title}</Title>
          <Text c="dimmed">{data.subject_name}{data.level ? ` · ${data.level}` : ''}{data.exam_date ? ` · ${t('learning.examOn', { date: formatDayLong(data.exam_date) })}` : ''}</Text>
          {data.objectives && <Text size="sm">{data.objectives}</Text>}
        </Stack>
        <Group gap="xs">
          <Badge variant="light" color={statusColor(data.status)}>{t(`learning.statuses.${data.status}`)}</Badge>
          <Button component={Link} to={`/learning/paths/${id}/preview`} variant="default">{t('learning.previewAsStudent')}</Button>
          {data.can_edit && data.status !== 'active' && (
            <Button onClick={() => setStatus.mutate('active')} loading={setStatus.isPending}>{t('learning.publish')}</Button>
          )}
          {data.can_edit && (
            <Menu position="bottom-end">
              <Menu.Target>
                <Button variant="subtle" aria-label={t('learning.moreActions')}>…</Button>
              </Menu.Target>
              <Menu.Dropdown>
                {data.status === 'active' && <Menu.Item onClick={() => setStatus.mutate('draft')}>{t('learning.unpublish')}</Menu.Item>}
                {data.status !== 'archived' && <Menu.Item onClick={() => setStatus.mutate('archived')}>{t('learning.archive')}</Menu.Item>}
                <Menu.Item component="a" href={`/api/v1/learning-paths/${id}/export?format=json`}>{t('learning.exportJson')}</Menu.Item>
                <Menu.Item component="a" href={`/api/v1/learning-paths/${id}/export?format=csv`}>{t('learning.exportCsv')}</Menu.Item>
                <Menu.Item component="a" href={`/api/v1/learning-paths/${id}/export?format=gift`}>{t('learning.exportGift')}</Menu.Item>
              </Menu.Dropdown>
            </Menu>
          )}
        </Group>
      </Group>
      {data.status === 'draft' && <Alert color="blue" variant="light" role="note">{t('learning.draftHint')}</Alert>}
      {statusError && <Alert color="red" role="alert">{statusError}</Alert>}
      <Tabs defaultValue={searchParams.get('tab') ?? 'steps'} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="steps">{t('learning.stepsTab')}</Tabs.Tab>
          <Tabs.Tab value="assign">{t('learning.assignTab')}</Tabs.Tab>
          <Tabs.Tab value="progress">{t('learning.progressTab')}</Tabs.Tab>
          <Tabs.Tab value="tutor">{t('tutor.tab')}</Tabs.Tab>
          <Tabs.Tab value="questions">{t('tutor.questionsTab')}</Tabs.Tab>
          <Tabs.Tab value="settings">{t('learning.settingsTab')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="steps" pt="md"><StepsPanel path={data} /></Tabs.Panel>
        <Tabs.Panel value="assign" pt="md"><AssignmentPanel path={data} /></Tabs.Panel>
        <Tabs.Panel value="progress" pt="md"><ProgressPanel path={data} /></Tabs.Panel>
        <Tabs.Panel value="tutor" pt="md">
          <Stack gap="xl">
            <SourcesPanel path={data} />
            {data.can_edit && <AgentPanel path={data} />}
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="questions" pt="md"><ConversationsPanel path={data} /></Tabs.Panel>
        <Tabs.Panel value="settings" pt="md"><PathSettingsPanel path={data} /></Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
