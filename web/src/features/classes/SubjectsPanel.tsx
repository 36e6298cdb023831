import { useState } from 'react';
import { Alert, Button, Card, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, type Schemas } from '../../shared/api/client';
import { ConfirmButton } from '../../shared/ui/ConfirmButton';
import { EmptyState, ErrorState, LoadingState, errorMessage } from '../../shared/ui/states';
import { SubjectMemorySettings } from '../learning/SettingsPanels';
import { classKeys, useClassesChanged } from './queries';

type Subject = Schemas['Subject'];

export function SubjectsPanel({ canManage }: { canManage: boolean }) {
  const { t } = useTranslation();
  const changed = useClassesChanged();
  const [name, setName] = useState('');
  const [memoryOf, setMemoryOf] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const subjects = useQuery({
    queryKey: classKeys.subjects,
    queryFn: () => api<{ items: Subject[] }>('GET', '/api/v1/subjects'),
  });
  const create = useMutation({
    mutationFn: (value: string) => api<Subject>('POST', '/api/v1/subjects', { name: value }),
    onSuccess: () => {
      setName('');
      setError(null);
      void changed.subjects();
    },
    onError: (caught) => setError(errorMessage(caught, t)),
  });
  const remove = useMutation({
    mutationFn: (id: string) => api('DELETE', `/api/v1/subjects/${id}`),
    onSuccess: () => changed.subjects(),
    onError: (caught) => setError(errorMessage(caught, t)),
  });

  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={2} size="h4">{t('subjects.title')}</Title>
        {subjects.isLoading ? (
          <LoadingState />
        ) : subjects.isError ? (
          <ErrorState error={subjects.error} onRetry={() => subjects.refetch()} />
        ) : subjects.data!.items.length === 0 ? (
          <EmptyState title={t('subjects.empty')} />
        ) : (
          <Stack gap={4} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {subjects.data!.items.map((subject) => (
              <Stack key={subject.id} component="li" gap={4}>
              <Group justify="space-between" wrap="nowrap">
                <Text>{subject.name}</Text>
                {canManage && (
                  <Group gap={4} wrap="nowrap">
                  <Button size="compact-xs" variant="subtle" aria-expanded={memoryOf === subject.id}
                    aria-label={t('subjects.memoryNamed', { name: subject.name })}
                    onClick={() => setMemoryOf(memoryOf === subject.id ? null : subject.id)}>
                    {t('subjects.memory')}
                  </Button>
                  <ConfirmButton
                    variant="subtle"
                    color="red"
                    size="compact-sm"
                    aria-label={t('subjects.deleteNamed', { name: subject.name })}
                    title={t('subjects.deleteNamed', { name: subject.name })}
                    message={t('subjects.confirmDelete', { name: subject.name })}
                    confirmLabel={t('subjects.delete')}
                    onConfirm={() => remove.mutate(subject.id)}
                  >
                    ×
                  </ConfirmButton>
                  </Group>
                )}
              </Group>
              {memoryOf === subject.id && <SubjectMemorySettings subjectId={subject.id} />}
              </Stack>
            ))}
          </Stack>
        )}
        {canManage && (
          <form
            onSubmit={(event) => {
              event.preventDefault();
              if (name.trim()) create.mutate(name.trim());
            }}
          >
            <Stack gap="xs">
              {error && <Alert color="red" role="alert">{error}</Alert>}
              <Group align="flex-end" wrap="nowrap">
                <TextInput label={t('subjects.new')} value={name} onChange={(e) => setName(e.currentTarget.value)} style={{ flex: 1 }} />
                <Button type="submit" loading={create.isPending}>{t('subjects.add')}</Button>
              </Group>
            </Stack>
          </form>
        )}
      </Stack>
    </Card>
  );
}
