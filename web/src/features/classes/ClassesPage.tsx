import { useState } from 'react';
import { Alert, Badge, Button, Card, Group, Modal, MultiSelect, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, query, type Page, type Schemas, type User } from '../../shared/api/client';
import { EmptyState, ErrorState, LoadingState, applyFieldErrors, errorMessage } from '../../shared/ui/states';
import { hasRole, useAuth } from '../auth/auth';
import { SubjectsPanel } from './SubjectsPanel';
import { classKeys, useClasses, useClassesChanged } from './queries';

type ClassDetail = Schemas['ClassDetail'];

export function ClassesPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const canManage = hasRole(me, 'school_admin');
  const [creating, { open, close }] = useDisclosure(false);
  const [selected, setSelected] = useState<string | null>(null);
  const classes = useClasses();

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">{t('classes.title')}</Title>
        {canManage && <Button onClick={open}>{t('classes.new')}</Button>}
      </Group>
      <SimpleGrid cols={{ base: 1, md: 3 }}>
        <Stack style={{ gridColumn: 'span 2' }}>
          {classes.isLoading ? (
            <LoadingState />
          ) : classes.isError ? (
            <ErrorState error={classes.error} onRetry={() => classes.refetch()} />
          ) : classes.data!.items.length === 0 ? (
            <EmptyState title={t('classes.empty')} hint={canManage ? t('classes.emptyHint') : undefined} />
          ) : (
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              {classes.data!.items.map((c) => (
                <Card key={c.id} withBorder>
                  <Stack gap={6}>
                    <Group justify="space-between">
                      <Text fw={600}>{c.name}</Text>
                      <Badge variant="light">{c.school_year}</Badge>
                    </Group>
                    {c.level && <Text size="sm" c="dimmed">{t('classes.levelLine', { level: c.level })}</Text>}
                    <Text size="sm">{t('classes.counts', { teachers: t('classes.teacherCount', { count: c.teacher_count }), students: t('classes.studentCount', { count: c.student_count }) })}</Text>
                    <Button variant="light" size="xs" onClick={() => setSelected(c.id)} aria-label={canManage ? t('classes.manageNamed', { name: c.name }) : t('classes.openNamed', { name: c.name })}>
                      {canManage ? t('classes.manage') : t('classes.open')}
                    </Button>
                  </Stack>
                </Card>
              ))}
            </SimpleGrid>
          )}
        </Stack>
        <SubjectsPanel canManage={canManage} />
      </SimpleGrid>
      <Modal opened={creating} onClose={close} title={t('classes.new')}>
        <CreateClassForm onDone={close} />
      </Modal>
      <Modal opened={!!selected} onClose={() => setSelected(null)} title={t('classes.members')} size="lg">
        {selected && <ClassMembers id={selected} canManage={canManage} onDone={() => setSelected(null)} />}
      </Modal>
    </Stack>
  );
}

function CreateClassForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const changed = useClassesChanged();
  const [error, setError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { name: '', level: '', school_year: '' },
    validate: {
      name: (v) => (v.trim() ? null : t('classes.nameRequired')),
      school_year: (v) => (!v || /^\d{4}-\d{4}$/.test(v) ? null : t('classes.yearInvalid')),
    },
  });
  const create = useMutation({
    mutationFn: (values: typeof form.values) =>
      api<ClassDetail>('POST', '/api/v1/classes', {
        name: values.name,
        level: values.level,
        ...(values.school_year ? { school_year: values.school_year } : {}),
      }),
    onSuccess: (c) => {
      void changed.classes();
      notifications.show({ color: 'green', message: t('classes.created', { name: c.name }) });
      onDone();
    },
    onError: (caught) => setError(applyFieldErrors(caught, form.setFieldError, ['name', 'level', 'school_year']) ?? errorMessage(caught, t)),
  });
  return (
    <form onSubmit={form.onSubmit((values) => { setError(null); create.mutate(values); })} noValidate>
      <Stack>
        {error && <Alert color="red" role="alert">{error}</Alert>}
        <TextInput label={t('classes.name')} required data-autofocus {...form.getInputProps('name')} />
        <TextInput label={t('classes.level')} {...form.getInputProps('level')} />
        <TextInput label={t('classes.year')} description={t('classes.yearHint')} placeholder="2026-2027" {...form.getInputProps('school_year')} />
        <Button type="submit" loading={create.isPending}>{t('classes.create')}</Button>
      </Stack>
    </form>
  );
}

function usePeople(role: 'teacher' | 'student', enabled: boolean) {
  return useQuery({
    queryKey: ['users', 'all', role],
    enabled,
    queryFn: async () => {
      const people: User[] = [];
      let cursor: string | null = '';
      do {
        const page: Page<User> = await api<Page<User>>('GET', `/api/v1/users${query({ role, cursor, limit: 100 })}`);
        people.push(...page.items);
        cursor = page.next_cursor;
      } while (cursor);
      return people.filter((p) => p.status !== 'disabled');
    },
  });
}

function ClassMembers({ id, canManage, onDone }: { id: string; canManage: boolean; onDone: () => void }) {
  const { t } = useTranslation();
  const changed = useClassesChanged();
  const detail = useQuery({ queryKey: classKeys.detail(id), queryFn: () => api<ClassDetail>('GET', `/api/v1/classes/${id}`) });
  const teachers = usePeople('teacher', canManage);
  const students = usePeople('student', canManage);
  const [teacherIds, setTeacherIds] = useState<string[] | null>(null);
  const [studentIds, setStudentIds] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: () =>
      api<ClassDetail>('PUT', `/api/v1/classes/${id}/members`, {
        teacher_ids: teacherIds ?? detail.data!.teachers.map((m) => m.id),
        student_ids: studentIds ?? detail.data!.students.map((m) => m.id),
      }),
    onSuccess: () => {
      void changed.classes();
      notifications.show({ color: 'green', message: t('classes.membersSaved') });
      onDone();
    },
    onError: (caught) => setError(errorMessage(caught, t)),
  });
  if (detail.isLoading) return <LoadingState />;
  if (detail.isError) return <ErrorState error={detail.error} />;
  const c = detail.data!;
  if (!canManage) {
    return (
      <Stack>
        <Text fw={600}>{c.name}</Text>
        <Text size="sm">{t('common.labelled', { label: t('classes.teachers'), value: c.teachers.map((m) => m.display_name).join(', ') || '—' })}</Text>
        {c.students.length > 0 && (
          <Text size="sm">{t('common.labelled', { label: t('classes.students'), value: c.students.map((m) => m.display_name).join(', ') })}</Text>
        )}
      </Stack>
    );
  }
  const option = (u: User) => ({ value: u.id, label: `${u.display_name} (${u.email})` });
  return (
    <Stack>
      <Text fw={600}>{c.name} · {c.school_year}</Text>
      {error && <Alert color="red" role="alert">{error}</Alert>}
      <MultiSelect
        searchable
        label={t('classes.teachers')}
        data={(teachers.data ?? []).map(option)}
        value={teacherIds ?? c.teachers.map((m) => m.id)}
        onChange={setTeacherIds}
        disabled={teachers.isLoading}
      />
      <MultiSelect
        searchable
        label={t('classes.students')}
        data={(students.data ?? []).map(option)}
        value={studentIds ?? c.students.map((m) => m.id)}
        onChange={setStudentIds}
        disabled={students.isLoading}
        maxDropdownHeight={240}
      />
      <Button onClick={() => { setError(null); save.mutate(); }} loading={save.isPending}>{t('common.save')}</Button>
    </Stack>
  );
}
