// The outgoing mail log: what the platform sent, or kept when no SMTP server is configured.
import { useState } from 'react';
import { Accordion, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../shared/format/dates';
import { api, query } from '../../shared/api/client';
import { EmptyState, ErrorState, LoadMore, LoadingState } from '../../shared/ui/states';

interface Mail {
  id: string;
  to: string;
  subject: string;
  text: string;
  created_at: number;
}

export function MailPage() {
  const { t } = useTranslation();
  const [to, setTo] = useState('');
  const [debounced] = useDebouncedValue(to.trim(), 300);
  const mail = useInfiniteQuery({
    queryKey: ['mail', debounced],
    queryFn: ({ pageParam }) =>
      api<{ items: Mail[]; next_cursor: string | null }>('GET', `/api/v1/platform/mail${query({ to: debounced, cursor: pageParam })}`),
    initialPageParam: '' as string,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const items = mail.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Stack>
      <Title order={1} size="h2">{t('mail.title')}</Title>
      <TextInput label={t('mail.to')} value={to} onChange={(e) => setTo(e.currentTarget.value)} w={{ base: '100%', sm: 360 }} type="email" />
      {mail.isLoading ? (
        <LoadingState />
      ) : mail.isError ? (
        <ErrorState error={mail.error} onRetry={() => mail.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title={t('mail.empty')} />
      ) : (
        <Accordion variant="separated">
          {items.map((m) => (
            <Accordion.Item key={m.id} value={m.id}>
              <Accordion.Control>
                <Text fw={600} size="sm">{m.subject}</Text>
                <Text size="xs" c="dimmed">{m.to} · {formatDateTime(m.created_at)}</Text>
              </Accordion.Control>
              <Accordion.Panel>
                <Text component="pre" size="sm" style={{ whiteSpace: 'pre-wrap', fontFamily: 'inherit' }}>{m.text}</Text>
              </Accordion.Panel>
            </Accordion.Item>
          ))}
        </Accordion>
      )}
      <LoadMore query={mail} />
    </Stack>
  );
}
