// Teachers: their learning paths and a form to create one (admins and support: every path, read-only).
import { useState } from 'react';
import { Alert, Badge, Button, Card, Group, MultiSelect, Select, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { ApiError, api, type Schemas } from '../../shared/api/client';
import { EmptyState, ErrorState, LoadingState, errorMessage } from '../../shared/ui/states';
import { hasRole, useAuth } from '../auth/auth';
import { useClasses, useSubjects } from '../classes/queries';
import { useLearningChanged, usePaths } from './queries';

type Path = Schemas['LearningPath'];

export function statusColor(status: string) {
  return status === 'active' ? 'green' : status === 'draft' ? 'gray' : 'orange';
}

function CreatePathForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const changed = useLearningChanged();
  const [title, setTitle] = useState('');
  const [subject, setSubject] = useState<string | null>(null);
  const [objectives, setObjectives] = useState('');
  const [level, setLevel] = useState('');
  const [classIds, setClassIds] = useState<string[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const subjects = useSubjects();
  const classes = useClasses();
  const create = useMutation({
    mutationFn: () =>
      api<Path>('POST', '/api/v1/learning-paths', {
        title,
        subject_id: subject ?? undefined,
        objectives,
        level,
        class_ids: classIds,
      }),
    onSuccess: (path) => {
      void changed.paths();
      onDone();
      navigate(`/learning/paths/${path.id}`);
    },
    onError: (caught) => setError(caught instanceof ApiError ? caught : new ApiError(500, errorMessage(caught, t), 'error', [])),
  });
  return (
    <Card withBorder>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate();
        }}
      >
        <Stack gap="sm">
          <Title order={2} size="h4">{t('learning.newPath')}</Title>
          {error && !error.fields.length && <Alert color="red" role="alert">{error.message}</Alert>}
          <TextInput label={t('learning.title')} required value={title} onChange={(e) => setTitle(e.currentTarget.value)} error={error?.fieldMessage('title')} />
          <Select
            label={t('learning.subject')}
            required
            data={(subjects.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))}
            value={subject}
            onChange={setSubject}
            error={error?.fieldMessage('subject_id')}
          />
          <Textarea label={t('learning.objectives')} value={objectives} onChange={(e) => setObjectives(e.currentTarget.value)} autosize minRows={2} />
          <TextInput label={t('learning.level')} value={level} onChange={(e) => setLevel(e.currentTarget.value)} />
          <MultiSelect
            label={t('learning.classes')}
            data={(classes.data?.items ?? []).map((c) => ({ value: c.id, label: `${c.name} (${c.school_year})` }))}
            value={classIds}
            onChange={setClassIds}
            error={error?.fieldMessage('class_ids')}
          />
          <Group>
            <Button type="submit" loading={create.isPending}>{t('learning.create')}</Button>
            <Button variant="subtle" onClick={onDone}>{t('learning.cancel')}</Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

export function PathsPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const [creating, setCreating] = useState(false);
  const paths = usePaths();
  const canCreate = hasRole(me, 'teacher');
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">{t('learning.pathsTitle')}</Title>
        {canCreate && !creating && <Button onClick={() => setCreating(true)}>{t('learning.newPath')}</Button>}
      </Group>
      {creating && <CreatePathForm onDone={() => setCreating(false)} />}
      {paths.isLoading ? (
        <LoadingState />
      ) : paths.isError ? (
        <ErrorState error={paths.error} onRetry={() => paths.refetch()} />
      ) : paths.data!.items.length === 0 ? (
        <EmptyState title={t('learning.noPaths')} hint={canCreate ? t('learning.noPathsHint') : undefined} />
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('learning.title')}</Table.Th>
                <Table.Th>{t('learning.subject')}</Table.Th>
                <Table.Th>{t('learning.status')}</Table.Th>
                <Table.Th>{t('learning.steps')}</Table.Th>
                <Table.Th>{t('learning.students')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {paths.data!.items.map((path) => (
                <Table.Tr key={path.id}>
                  <Table.Td>
                    <Link to={`/learning/paths/${path.id}`}>{path.title}</Link>
                    {path.shared && <Text span size="xs" c="dimmed"> · {t('learning.sharedWithYou')}</Text>}
                  </Table.Td>
                  <Table.Td>{path.subject_name}</Table.Td>
                  <Table.Td>
                    <Badge color={statusColor(path.status)} variant="light">{t(`learning.statuses.${path.status}`)}</Badge>
                  </Table.Td>
                  <Table.Td>{path.step_count}</Table.Td>
                  <Table.Td>{path.student_count}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
