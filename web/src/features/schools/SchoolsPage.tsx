import { useMemo, useState } from 'react';
import { Alert, Badge, Button, Group, Modal, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, query, type Page, type School, type User } from '../../shared/api/client';
import { SchoolAiSettings } from '../tutor/SchoolAiSettings';
import { EmptyState, ErrorState, LoadMore, LoadingState, applyFieldErrors, errorMessage } from '../../shared/ui/states';

function slugify(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
}

/** A school's administrators, and inviting one: a new school's way in. */
function SchoolAdmins({ school }: { school: School }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const key = ['school-admins', school.id];
  const admins = useQuery({ queryKey: key, queryFn: () => api<{ items: User[] }>('GET', `/api/v1/schools/${school.id}/admins`) });
  const form = useForm({
    initialValues: { display_name: '', email: '' },
    validate: {
      display_name: (v) => (v.trim() ? null : t('schools.adminNameRequired')),
      email: (v) => (/^\S+@\S+\.\S+$/.test(v.trim()) ? null : t('login.emailInvalid')),
    },
  });
  const invite = useMutation({
    mutationFn: (values: typeof form.values) =>
      api<User>('POST', `/api/v1/schools/${school.id}/admins`, { display_name: values.display_name.trim(), email: values.email.trim() }),
    onSuccess: (user) => {
      setError(null);
      form.reset();
      notifications.show({ color: 'green', message: t('schools.adminInvited', { email: user.email }) });
      void queryClient.invalidateQueries({ queryKey: key });
    },
    onError: (caught) => setError(applyFieldErrors(caught, form.setFieldError, ['display_name', 'email']) ?? errorMessage(caught, t)),
  });
  const list = admins.data?.items ?? [];
  return (
    <Stack>
      {admins.isLoading ? (
        <LoadingState rows={1} />
      ) : admins.isError ? (
        <ErrorState error={admins.error} onRetry={() => admins.refetch()} />
      ) : list.length === 0 ? (
        <Alert color="blue" variant="light">{t('schools.noAdmin')}</Alert>
      ) : (
        <Stack gap={4} component="ul" aria-label={t('schools.admins')} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {list.map((u) => (
            <Group key={u.id} component="li" justify="space-between">
              <Text size="sm">{u.display_name} · {u.email}</Text>
              <Badge variant="light" color={u.status === 'active' ? 'green' : 'gray'}>{t(`status.${u.status}`)}</Badge>
            </Group>
          ))}
        </Stack>
      )}
      <form noValidate onSubmit={form.onSubmit((values) => invite.mutate(values))}>
        <Stack gap="sm">
          <Title order={3} size="h5">{t('schools.inviteAdmin')}</Title>
          <Text size="sm" c="dimmed">{t('schools.inviteAdminHint')}</Text>
          {error && <Alert color="red" role="alert">{error}</Alert>}
          <TextInput label={t('users.name')} required data-autofocus {...form.getInputProps('display_name')} />
          <TextInput label={t('login.email')} type="email" required {...form.getInputProps('email')} />
          <Button type="submit" loading={invite.isPending}>{t('schools.sendInvitation')}</Button>
        </Stack>
      </form>
    </Stack>
  );
}

export function SchoolsPage() {
  const { t } = useTranslation();
  const [opened, { open, close }] = useDisclosure(false);
  const [adminsOf, setAdminsOf] = useState<School | null>(null);
  const [aiOf, setAiOf] = useState<School | null>(null);
  const queryClient = useQueryClient();
  const schools = useInfiniteQuery({
    queryKey: ['schools'],
    queryFn: ({ pageParam }) => api<Page<School>>('GET', `/api/v1/schools${query({ cursor: pageParam, limit: 50 })}`),
    initialPageParam: '' as string,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const setStatus = useMutation({
    mutationFn: ({ school, status }: { school: School; status: string }) =>
      api<School>('PATCH', `/api/v1/schools/${school.id}`, { status }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['schools'] }),
    onError: (caught) => notifications.show({ color: 'red', message: errorMessage(caught, t) }),
  });
  const rows = schools.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">{t('schools.title')}</Title>
        <Button onClick={open}>{t('schools.new')}</Button>
      </Group>
      {schools.isLoading ? (
        <LoadingState />
      ) : schools.isError ? (
        <ErrorState error={schools.error} onRetry={() => schools.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState title={t('schools.empty')} />
      ) : (
        <Table.ScrollContainer minWidth={600}>
          <Table striped aria-label={t('schools.title')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('schools.name')}</Table.Th>
                <Table.Th scope="col">{t('schools.slug')}</Table.Th>
                <Table.Th scope="col">{t('schools.timezone')}</Table.Th>
                <Table.Th scope="col">{t('schools.status')}</Table.Th>
                <Table.Th scope="col"><span className="sr-only">{t('users.actions')}</span></Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((school) => (
                <Table.Tr key={school.id}>
                  <Table.Td>{school.name}</Table.Td>
                  <Table.Td><code>{school.slug}</code></Table.Td>
                  <Table.Td>{school.timezone}</Table.Td>
                  <Table.Td>
                    <Badge color={school.status === 'active' ? 'green' : 'gray'} variant="light" size="sm">
                      {t(`status.${school.status}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Button size="compact-sm" variant="light" mr="xs" onClick={() => setAiOf(school)}
                      aria-label={t('tutor.settings.settingsOf', { name: school.name })}>
                      {t('tutor.settings.button')}
                    </Button>
                    <Button size="compact-sm" variant="light" mr="xs" onClick={() => setAdminsOf(school)}
                      aria-label={t('schools.adminsOf', { name: school.name })}>
                      {t('schools.admins')}
                    </Button>
                    <Button
                      size="compact-sm"
                      variant="subtle"
                      color={school.status === 'active' ? 'red' : 'green'}
                      onClick={() => setStatus.mutate({ school, status: school.status === 'active' ? 'suspended' : 'active' })}
                    >
                      {school.status === 'active' ? t('schools.suspend') : t('schools.reactivate')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <LoadMore query={schools} />
      <Modal opened={opened} onClose={close} title={t('schools.new')}>
        <CreateSchoolForm onDone={(school) => { close(); setAdminsOf(school); }} />
      </Modal>
      <Modal opened={!!aiOf} onClose={() => setAiOf(null)} title={aiOf ? t('tutor.settings.settingsOf', { name: aiOf.name }) : ''}>
        {aiOf && <SchoolAiSettings schoolId={aiOf.id} />}
      </Modal>
      <Modal opened={!!adminsOf} onClose={() => setAdminsOf(null)} title={adminsOf ? t('schools.adminsOf', { name: adminsOf.name }) : ''}>
        {adminsOf && <SchoolAdmins school={adminsOf} />}
      </Modal>
    </Stack>
  );
}

function CreateSchoolForm({ onDone }: { onDone: (school: School) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const timezones = useMemo(() => Intl.supportedValuesOf('timeZone'), []);
  const form = useForm({
    initialValues: { name: '', slug: '', timezone: 'Europe/Paris', default_locale: 'fr' },
    validate: {
      name: (v) => (v.trim() ? null : t('schools.nameRequired')),
      slug: (v) => (/^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$/.test(v) ? null : t('schools.slugInvalid')),
    },
  });
  const create = useMutation({
    mutationFn: (values: typeof form.values) => api<School>('POST', '/api/v1/schools', values),
    onSuccess: (school) => {
      void queryClient.invalidateQueries({ queryKey: ['schools'] });
      notifications.show({ color: 'green', message: t('schools.created', { name: school.name }) });
      onDone(school);
    },
    onError: (caught) =>
      setError(applyFieldErrors(caught, form.setFieldError, ['name', 'slug', 'timezone', 'default_locale']) ?? errorMessage(caught, t)),
  });
  return (
    <form onSubmit={form.onSubmit((values) => { setError(null); create.mutate(values); })} noValidate>
      <Stack>
        {error && <Alert color="red" role="alert">{error}</Alert>}
        <TextInput
          label={t('schools.name')}
          required
          data-autofocus
          {...form.getInputProps('name')}
          onChange={(event) => {
            const name = event.currentTarget.value;
            const followSlug = form.values.slug === '' || form.values.slug === slugify(form.values.name);
            form.setFieldValue('name', name);
            if (followSlug) form.setFieldValue('slug', slugify(name));
          }}
        />
        <TextInput label={t('schools.slug')} description={t('schools.slugHint')} required {...form.getInputProps('slug')} />
        <Select label={t('schools.timezone')} searchable data={timezones} allowDeselect={false} {...form.getInputProps('timezone')} />
        <Select
          label={t('schools.locale')}
          data={[{ value: 'fr', label: 'Français' }, { value: 'en', label: 'English' }]}
          allowDeselect={false}
          {...form.getInputProps('default_locale')}
        />
        <Button type="submit" loading={create.isPending}>{t('schools.create')}</Button>
      </Stack>
    </form>
  );
}
