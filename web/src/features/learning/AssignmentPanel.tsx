// Who takes a path: the teacher's classes and, one by one, students of them.
import { useState } from 'react';
import { Button, Group, MultiSelect, Stack, Text } from '@mantine/core';
import { useMutation, useQueries } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, type Schemas } from '../../shared/api/client';
import { useAuth } from '../auth/auth';
import { errorMessage } from '../../shared/ui/states';
import { classKeys, useClasses } from '../classes/queries';
import { useLearningChanged } from './queries';

type Path = Schemas['LearningPath'];

export function AssignmentPanel({ path }: { path: Path }) {
  const { t } = useTranslation();
  const changed = useLearningChanged();
  const { me } = useAuth();
  const classes = useClasses();
  // Students a path can take one by one: those of the classes the teacher teaches.
  const details = useQueries({
    queries: (classes.data?.items ?? []).map((c) => ({
      queryKey: classKeys.detail(c.id),
      queryFn: () => api<Schemas['ClassDetail']>('GET', `/api/v1/classes/${c.id}`),
    })),
  });
  const students = new Map<string, string>();
  for (const d of details) {
    if (!d.data || !d.data.teachers.some((teacher) => teacher.id === me?.user.id)) continue;
    for (const s of d.data.students) students.set(s.id, s.display_name);
  }
  for (const s of path.assigned_students ?? []) students.set(s.id, s.display_name);
  const [classIds, setClassIds] = useState<string[]>((path.assigned_classes ?? []).map((c) => c.id ?? ''));
  const [studentIds, setStudentIds] = useState<string[]>((path.assigned_students ?? []).map((s) => s.id));
  const [message, setMessage] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: () =>
      api<{ assigned_students: { id: string }[] }>('PUT', `/api/v1/learning-paths/${path.id}/assignments`, {
        class_ids: classIds,
        student_ids: studentIds,
      }),
    onSuccess: (result) => {
      setMessage(t('learning.assignedCount', { count: result.assigned_students.length }));
      void changed.path(path.id);
    },
    onError: (caught) => setMessage(errorMessage(caught, t)),
  });
  return (
    <Stack gap="sm">
      <MultiSelect
        label={t('learning.classes')}
        data={(classes.data?.items ?? []).map((c) => ({ value: c.id, label: `${c.name} (${c.school_year})` }))}
        value={classIds}
        onChange={setClassIds}
        disabled={!path.can_edit}
      />
      <MultiSelect
        label={t('learning.students')}
        description={t('learning.studentsHint')}
        data={[...students].map(([value, label]) => ({ value, label })).sort((x, y) => x.label.localeCompare(y.label))}
        value={studentIds}
        onChange={setStudentIds}
        searchable
        disabled={!path.can_edit}
      />
      <Text size="sm">{t('learning.assignedCount', { count: path.assigned_student_count ?? 0 })}</Text>
      {path.can_edit && (
        <Group>
          <Button onClick={() => save.mutate()} loading={save.isPending}>{t('learning.saveAssignment')}</Button>
        </Group>
      )}
      {message && <Text role="status" size="sm">{message}</Text>}
    </Stack>
  );
}
