import { useState } from 'react';
import {
  Alert, Badge, Button, Group, Modal, MultiSelect, Select, Stack, Table, Text, TextInput, Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, query, type Page, type Role, type User } from '../../shared/api/client';
import { ConfirmButton } from '../../shared/ui/ConfirmButton';
import { EmptyState, ErrorState, LoadMore, LoadingState, applyFieldErrors, errorMessage } from '../../shared/ui/states';
import { hasRole, useAuth } from '../auth/auth';
import { ImportDialog } from './ImportDialog';

const SCHOOL_ROLES: Role[] = ['school_admin', 'teacher', 'student', 'support'];

export function UsersPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const canManage = hasRole(me, 'school_admin');
  const [search, setSearch] = useState('');
  const [role, setRole] = useState<string | null>(null);
  const [debounced] = useDebouncedValue(search, 250);
  const [creating, { open: openCreate, close: closeCreate }] = useDisclosure(false);
  const [editing, setEditing] = useState<User | null>(null);
  const [importing, { open: openImport, close: closeImport }] = useDisclosure(false);

  const users = useInfiniteQuery({
    queryKey: ['users', debounced, role],
    queryFn: ({ pageParam }) =>
      api<Page<User>>('GET', `/api/v1/users${query({ q: debounced, role, cursor: pageParam, limit: 25 })}`),
    initialPageParam: '' as string,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const rows = users.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('users.title')}
        </Title>
        {canManage && (
          <Group gap="sm">
            <Button variant="light" onClick={openImport}>{t('import.button')}</Button>
            <Button onClick={openCreate}>{t('users.new')}</Button>
          </Group>
        )}
      </Group>
      <Group align="flex-end">
        <TextInput
          label={t('users.search')}
          placeholder={t('users.searchPlaceholder')}
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
          w={{ base: '100%', sm: 320 }}
        />
        <Select
          label={t('users.role')}
          placeholder={t('users.allRoles')}
          clearable
          value={role}
          onChange={setRole}
          data={SCHOOL_ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
          w={{ base: '100%', sm: 200 }}
        />
      </Group>
      {users.isLoading ? (
        <LoadingState />
      ) : users.isError ? (
        <ErrorState error={users.error} onRetry={() => users.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState title={t('users.empty')} hint={debounced || role ? t('users.emptyFiltered') : undefined} />
      ) : (
        <Table.ScrollContainer minWidth={600}>
          <Table striped highlightOnHover aria-label={t('users.title')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('users.name')}</Table.Th>
                <Table.Th scope="col">{t('users.email')}</Table.Th>
                <Table.Th scope="col">{t('users.roles')}</Table.Th>
                <Table.Th scope="col">{t('users.status')}</Table.Th>
                {canManage && <Table.Th scope="col"><span className="sr-only">{t('users.actions')}</span></Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((user) => (
                <Table.Tr key={user.id}>
                  <Table.Td>{user.display_name}</Table.Td>
                  <Table.Td>{user.email}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {user.roles.map((r) => (
                        <Badge key={r} variant="light" size="sm">
                          {t(`roles.${r}`)}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={user.status === 'active' ? 'green' : user.status === 'invited' ? 'blue' : 'gray'} variant="light" size="sm">
                      {t(`status.${user.status}`)}
                    </Badge>
                  </Table.Td>
                  {canManage && (
                    <Table.Td>
                      <Button size="compact-sm" variant="subtle" onClick={() => setEditing(user)} aria-label={t('users.editNamed', { name: user.display_name })}>
                        {t('users.edit')}
                      </Button>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <LoadMore query={users} />
      <Modal opened={creating} onClose={closeCreate} title={t('users.new')}>
        <CreateUserForm onDone={closeCreate} />
      </Modal>
      <Modal opened={importing} onClose={closeImport} title={t('import.title')} size="xl">
        <ImportDialog onDone={closeImport} />
      </Modal>
      <Modal opened={!!editing} onClose={() => setEditing(null)} title={t('users.edit')}>
        {editing && <EditUserForm user={editing} onDone={() => setEditing(null)} />}
      </Modal>
    </Stack>
  );
}

function CreateUserForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { email: '', display_name: '', roles: ['student'] as string[] },
    validate: {
      email: (v) => (/^\S+@\S+\.\S+$/.test(v.trim()) ? null : t('users.emailInvalid')),
      display_name: (v) => (v.trim() ? null : t('users.nameRequired')),
      roles: (v) => (v.length ? null : t('users.rolesRequired')),
    },
  });
  const create = useMutation({
    mutationFn: (values: typeof form.values) => api<User>('POST', '/api/v1/users', values),
    onSuccess: (user) => {
      void queryClient.invalidateQueries({ queryKey: ['users'] });
      notifications.show({ color: 'green', message: t('users.created', { name: user.display_name }) });
      onDone();
    },
    onError: (caught) => setError(applyFieldErrors(caught, form.setFieldError, ['email', 'display_name', 'roles']) ?? errorMessage(caught, t)),
  });
  return (
    <form onSubmit={form.onSubmit((values) => { setError(null); create.mutate(values); })} noValidate>
      <Stack>
        {error && <Alert color="red" role="alert">{error}</Alert>}
        <TextInput label={t('users.email')} type="email" required data-autofocus {...form.getInputProps('email')} />
        <TextInput label={t('users.name')} required {...form.getInputProps('display_name')} />
        <MultiSelect
          searchable
          label={t('users.roles')}
          required
          data={SCHOOL_ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
          {...form.getInputProps('roles')}
        />
        <Text size="sm" c="dimmed">{t('users.invitedHint')}</Text>
        <Button type="submit" loading={create.isPending}>{t('users.create')}</Button>
      </Stack>
    </form>
  );
}

function EditUserForm({ user, onDone }: { user: User; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { display_name: user.display_name, roles: user.roles as string[], status: user.status },
  });
  const save = useMutation({
    mutationFn: (values: typeof form.values) => {
      const body: Record<string, unknown> = { display_name: values.display_name, roles: values.roles };
      if (values.status !== user.status) body.status = values.status;
      return api<User>('PATCH', `/api/v1/users/${user.id}`, body);
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['users'] });
      notifications.show({ color: 'green', message: t('users.saved') });
      onDone();
    },
    onError: (caught) => setError(applyFieldErrors(caught, form.setFieldError, ['display_name', 'roles', 'status']) ?? errorMessage(caught, t)),
  });
  const resend = useMutation({
    mutationFn: () => api('POST', `/api/v1/users/${user.id}/invitation`),
    onSuccess: () => notifications.show({ color: 'green', message: t('users.resent') }),
    onError: (caught) => setError(errorMessage(caught, t)),
  });
  const remove = useMutation({
    mutationFn: () => api('DELETE', `/api/v1/users/${user.id}`),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['users'] });
      notifications.show({ color: 'green', message: t('users.deleted') });
      onDone();
    },
    onError: (caught) => setError(errorMessage(caught, t)),
  });
  const statuses = user.status === 'invited' ? ['invited', 'disabled'] : ['active', 'disabled'];
  return (
    <form onSubmit={form.onSubmit((values) => { setError(null); save.mutate(values); })} noValidate>
      <Stack>
        {error && <Alert color="red" role="alert">{error}</Alert>}
        <Text size="sm">{user.email}</Text>
        <TextInput label={t('users.name')} required {...form.getInputProps('display_name')} />
        <MultiSelect searchable label={t('users.roles')} data={SCHOOL_ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} {...form.getInputProps('roles')} />
        <Select label={t('users.status')} data={statuses.map((s) => ({ value: s, label: t(`status.${s}`) }))} allowDeselect={false} {...form.getInputProps('status')} />
        <Button type="submit" loading={save.isPending}>{t('common.save')}</Button>
        <ConfirmButton
          variant="subtle"
          color="red"
          loading={remove.isPending}
          title={t('users.delete')}
          message={t('users.confirmDelete', { name: user.display_name })}
          confirmLabel={t('users.delete')}
          onConfirm={() => remove.mutate()}
        >
          {t('users.delete')}
        </ConfirmButton>
        {user.status === 'invited' && (
          <Button variant="light" onClick={() => resend.mutate()} loading={resend.isPending}>
            {t('users.resend')}
          </Button>
        )}
      </Stack>
    </form>
  );
}
