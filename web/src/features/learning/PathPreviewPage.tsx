// A path as its students will see it, for its teachers before (or after) publishing: the lessons
// rendered, each card's question with its answer a click away. Nothing is scheduled or logged.
import { useState } from 'react';
import { Alert, Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { api, type Schemas } from '../../shared/api/client';
import { Markdown } from '../../shared/markdown/Markdown';
import { EmptyState, ErrorState, SkeletonState, errorMessage } from '../../shared/ui/states';
import { PromptText } from './CardFace';
import { useLearningChanged, usePathPreview } from './queries';

type Preview = Schemas['PathPreview'];
type PreviewCard = Preview['steps'][number]['cards'][number];

function PreviewCardView({ card, n, total }: { card: PreviewCard; n: number; total: number }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <Card withBorder padding="md">
      <Stack gap="sm">
        <Text size="xs" c="dimmed">{t('learning.cardOf', { n, total })} · {t(`learning.itemKinds.${card.prompt.kind}`)}</Text>
        <PromptText prompt={card.prompt} />
        {open ? (
          <Alert color="green" variant="light" title={t('learning.expected')}>
            {card.prompt.kind === 'flashcard' ? <Markdown text={card.expected[0] ?? ''} /> : card.expected.join(' · ')}
          </Alert>
        ) : (
          <Button variant="default" size="xs" style={{ alignSelf: 'flex-start' }} onClick={() => setOpen(true)}>{t('learning.show')}</Button>
        )}
      </Stack>
    </Card>
  );
}

export function PathPreviewPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const changed = useLearningChanged();
  const preview = usePathPreview(id);
  const [error, setError] = useState<string | null>(null);
  const publish = useMutation({
    mutationFn: () => api('PATCH', `/api/v1/learning-paths/${id}`, { status: 'active' }),
    onSuccess: () => {
      setError(null);
      void changed.preview(id);
      void changed.path(id);
      void changed.paths();
    },
    onError: (caught) => setError(errorMessage(caught, t)),
  });
  if (preview.isLoading) return <SkeletonState rows={3} height={120} />;
  if (preview.isError) return <ErrorState error={preview.error} onRetry={() => preview.refetch()} back={{ to: '/learning/paths', label: t('learning.backToPaths') }} />;
  const data = preview.data!;
  const empty = data.steps.every((s) => s.lessons.length === 0 && s.cards.length === 0);
  return (
    <Stack maw={760} mx="auto" w="100%">
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Text size="sm" c="dimmed">{t('learning.previewTitle')}</Text>
          <Title order={1} size="h2">{data.title}</Title>
          <Text c="dimmed">{data.subject_name}</Text>
        </Stack>
        <Group gap="xs">
          <Button component={Link} to={`/learning/paths/${id}`} variant="default">{t('learning.backToEditing')}</Button>
          {data.can_edit && data.status !== 'active' && (
            <Button onClick={() => publish.mutate()} loading={publish.isPending}>{t('learning.publish')}</Button>
          )}
        </Group>
      </Group>
      <Alert color="blue" variant="light" role="note">{data.status === 'active' ? t('learning.previewLive') : t('learning.previewDraft')}</Alert>
      {error && <Alert color="red" role="alert">{error}</Alert>}
      {empty && <EmptyState title={t('learning.previewEmpty')} hint={t('learning.previewEmptyHint')} />}
      {data.steps.map((step, index) => (
        <Stack key={step.id} gap="sm">
          <Group gap="xs">
            <Title order={2} size="h4">{index + 1}. {step.title}</Title>
            <Badge variant="outline" color="gray.7">{t(`learning.stepKinds.${step.kind}`)}</Badge>
          </Group>
          {step.lessons.map((lesson, i) => <Card key={i} withBorder><Markdown text={lesson.markdown ?? ''} /></Card>)}
          {step.cards.map((card, i) => <PreviewCardView key={`${card.item_id}:${card.variant}`} card={card} n={i + 1} total={step.cards.length} />)}
          {step.lessons.length === 0 && step.cards.length === 0 && <Text size="sm" c="dimmed">{t('learning.previewStepEmpty')}</Text>}
        </Stack>
      ))}
    </Stack>
  );
}
