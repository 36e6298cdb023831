// After a session: the passages of the course that answer the cards the student missed, to read
// again before the cards come back. Nothing is shown when nothing was missed or the path has no
// documents.
import { useState } from 'react';
import { Button, Card, Group, Modal, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, type Schemas } from '../../shared/api/client';
import { plainText } from './plainText';

type Recommendation = Schemas['AiRecommendation'];

export function ReadAgain({ sessionId }: { sessionId: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<Recommendation | null>(null);
  const suggested = useQuery({
    queryKey: ['ai-read-again', sessionId],
    queryFn: () => api<{ passages: Recommendation[] }>('GET', `/api/v1/revision-sessions/${sessionId}/recommendations`),
  });
  const passages = suggested.data?.passages ?? [];
  if (passages.length === 0) return null;
  return (
    <Stack gap="xs" component="section" aria-labelledby="read-again">
      <Title order={2} size="h4" id="read-again">{t('tutor.readAgain')}</Title>
      <Text size="sm" c="dimmed">{t('tutor.readAgainHint')}</Text>
      {passages.map((p) => (
        <Card key={p.passage_id} withBorder p="sm">
          <Group justify="space-between" wrap="nowrap" align="flex-start">
            <Stack gap={2} style={{ minWidth: 0 }}>
              <Text fw={600}>{p.heading || p.source_name}</Text>
              <Text size="xs" c="dimmed">{t('tutor.forCards', { cards: p.cards.join(' · ') })}</Text>
            </Stack>
            <Button variant="light" size="compact-sm" onClick={() => setOpen(p)}>{t('tutor.read')}</Button>
          </Group>
        </Card>
      ))}
      <Modal opened={!!open} onClose={() => setOpen(null)} title={open?.source_name ?? ''} size="lg">
        {open && (
          <Stack gap="xs">
            {open.heading && <Text size="sm" fw={600}>{open.heading}{open.page ? ` · ${t('tutor.page', { page: open.page })}` : ''}</Text>}
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{plainText(open.text)}</Text>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}
