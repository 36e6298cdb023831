// One's API tokens for integrations: create (the token is shown once), list, revoke.
import { useState } from 'react';
import { Alert, Button, Card, Code, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../shared/format/dates';
import { api, type Schemas } from '../../shared/api/client';
import { EmptyState, ErrorState, LoadingState, errorMessage } from '../../shared/ui/states';

type ApiToken = Schemas['ApiToken'];

export function ApiTokensCard() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const tokens = useQuery({ queryKey: ['api-tokens'], queryFn: () => api<{ items: ApiToken[] }>('GET', '/api/v1/me/api-tokens') });
  const create = useMutation({
    mutationFn: () => api<ApiToken & { token: string }>('POST', '/api/v1/me/api-tokens', { name }),
    onSuccess: (token) => {
      setCreated(token.token);
      setName('');
      setError(null);
      void queryClient.invalidateQueries({ queryKey: ['api-tokens'] });
    },
    onError: (caught) => setError(errorMessage(caught, t)),
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api('DELETE', `/api/v1/me/api-tokens/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['api-tokens'] }),
    onError: (caught) => setError(errorMessage(caught, t)),
  });
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={2} size="h4">{t('tokens.title')}</Title>
        <Text size="sm" c="dimmed">{t('tokens.help')}</Text>
        {created && (
          <Alert color="green" title={t('tokens.createdTitle')} role="status">
            <Stack gap={4}>
              <Text size="sm">{t('tokens.createdHelp')}</Text>
              <Code block>{created}</Code>
            </Stack>
          </Alert>
        )}
        {error && <Alert color="red" role="alert">{error}</Alert>}
        {tokens.isLoading ? (
          <LoadingState />
        ) : tokens.isError ? (
          <ErrorState error={tokens.error} />
        ) : tokens.data!.items.length === 0 ? (
          <EmptyState title={t('tokens.empty')} />
        ) : (
          <Stack gap={6} component="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
            {tokens.data!.items.map((token) => (
              <Group key={token.id} component="li" justify="space-between" wrap="nowrap">
                <div>
                  <Text size="sm" fw={600}>{token.name}</Text>
                  <Text size="xs" c="dimmed">
                    <code>{token.prefix}…</code> · {t('tokens.created', { date: formatDate(token.created_at) })}
                    {token.last_used_at ? ` · ${t('tokens.used', { date: formatDate(token.last_used_at) })}` : ''}
                  </Text>
                </div>
                <Button size="compact-sm" variant="subtle" color="red" onClick={() => revoke.mutate(token.id)} aria-label={t('tokens.revokeNamed', { name: token.name })}>
                  {t('tokens.revoke')}
                </Button>
              </Group>
            ))}
          </Stack>
        )}
        <form onSubmit={(event) => { event.preventDefault(); if (name.trim()) create.mutate(); }}>
          <Group align="flex-end" wrap="nowrap">
            <TextInput label={t('tokens.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} style={{ flex: 1 }} maxLength={80} />
            <Button type="submit" loading={create.isPending}>{t('tokens.create')}</Button>
          </Group>
        </form>
      </Stack>
    </Card>
  );
}
