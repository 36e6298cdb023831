// Cards made from the path's documents, and the teacher's verdict on them: each pending card
// beside the passage it came from; validate, edit or reject, one by one or in bulk. Only validated
// cards reach students.
import { useState } from 'react';
import { Alert, Badge, Button, Card, Checkbox, Group, List, NumberInput, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, type Schemas } from '../../shared/api/client';
import { Markdown } from '../../shared/markdown/Markdown';
import { errorMessage } from '../../shared/ui/states';
import { ItemEditor } from '../learning/ItemEditor';
import { useLearningChanged } from '../learning/queries';
import { useGenerated, useSources, useTutorChanged, type GeneratedOrigin } from './queries';

type Item = Schemas['Item'];
type Step = Schemas['Step'];
const KINDS = ['flashcard', 'cloze', 'choice'] as const;

interface Generation {
  created: { item_id?: string }[];
  rejected: string[];
  provider: string;
  fallback: boolean;
}

/** The pending generated cards of a step: those the queue shows (the step's list leaves them out). */
export function pendingGenerated(items: Item[]): Item[] {
  return items.filter((i) => i.origin === 'generated' && i.validation === 'pending');
}

export function GeneratedQueue({ step, pathId, items }: { step: Step; pathId: string; items: Item[] }) {
  const { t } = useTranslation();
  const changed = useLearningChanged();
  const tutorChanged = useTutorChanged();
  const sources = useSources(pathId);
  const pending = pendingGenerated(items);
  const origins = useGenerated(step.id, pending.length > 0);
  const [kinds, setKinds] = useState<string[]>([...KINDS]);
  const [count, setCount] = useState<number | string>(10);
  const [result, setResult] = useState<Generation | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = () => {
    void changed.stepItems(step.id);
    void changed.path(pathId);
    void tutorChanged.generated(step.id);
  };
  const generate = useMutation({
    mutationFn: () => api<Generation>('POST', `/api/v1/steps/${step.id}/generate`, { kinds, count: Number(count) || 10 }),
    onSuccess: (made) => {
      setResult(made);
      setError(null);
      setSelected([]);
      refresh();
    },
    onError: (caught) => setError(errorMessage(caught, t)),
  });
  const review = useMutation({
    mutationFn: (verdict: { validated?: string[]; rejected?: string[] }) => api('POST', `/api/v1/steps/${step.id}/items/review`, verdict),
    onSuccess: () => {
      setSelected([]);
      setError(null);
      refresh();
    },
    onError: (caught) => setError(errorMessage(caught, t)),
  });
  const ready = (sources.data?.items ?? []).filter((s) => s.status === 'ready').length;
  const originOf = (id: string): GeneratedOrigin | undefined => origins.data?.items.find((o) => o.item_id === id);
  const allSelected = pending.length > 0 && selected.length === pending.length;

  return (
    <Card withBorder p="sm" className="generated-queue">
      <Stack gap="xs">
        <Title order={3} size="h5">{t('tutor.generateTitle')}</Title>
        {ready === 0 ? (
          <Text size="sm" c="dimmed">{t('tutor.generateNeedsSources')}</Text>
        ) : (
          <form onSubmit={(e) => { e.preventDefault(); generate.mutate(); }}>
            <Group align="flex-end" gap="sm">
              <Checkbox.Group label={t('tutor.generateKinds')} value={kinds} onChange={setKinds}>
                <Group gap="sm" mt={4}>
                  {KINDS.map((k) => <Checkbox key={k} value={k} label={t(`learning.itemKinds.${k}`)} />)}
                </Group>
              </Checkbox.Group>
              <NumberInput label={t('tutor.generateCount')} min={1} max={30} value={count} onChange={setCount} w={110} />
              <Button type="submit" variant="light" loading={generate.isPending} disabled={kinds.length === 0}>{t('tutor.generate')}</Button>
            </Group>
          </form>
        )}
        {error && <Alert color="red" role="alert">{error}</Alert>}
        {result && (
          <Alert color={result.created.length ? 'teal' : 'yellow'} variant="light" role="status">
            <Text size="sm">{t('tutor.generated', { count: result.created.length })}{result.fallback ? ` ${t('tutor.generatedFallback')}` : ''}</Text>
            {result.rejected.length > 0 && (
              <List size="xs" mt={4}>
                {result.rejected.slice(0, 5).map((r, i) => <List.Item key={i}>{r}</List.Item>)}
              </List>
            )}
          </Alert>
        )}
        {pending.length > 0 && (
          <Stack gap="xs">
            <Group justify="space-between">
              <Checkbox label={t('tutor.selectAll', { count: pending.length })} checked={allSelected}
                indeterminate={selected.length > 0 && !allSelected}
                onChange={(e) => setSelected(e.currentTarget.checked ? pending.map((i) => i.id) : [])} />
              <Group gap="xs">
                <Button size="xs" disabled={selected.length === 0} loading={review.isPending && review.variables?.validated !== undefined}
                  onClick={() => review.mutate({ validated: selected })}>
                  {t('tutor.validateSelected', { count: selected.length })}
                </Button>
                <Button size="xs" variant="default" color="red" disabled={selected.length === 0}
                  onClick={() => review.mutate({ rejected: selected })}>
                  {t('tutor.rejectSelected', { count: selected.length })}
                </Button>
              </Group>
            </Group>
            <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label={t('tutor.queue')}>
              {pending.map((item) => {
                const origin = originOf(item.id);
                return (
                  <Card key={item.id} component="li" withBorder p="xs">
                    {editing === item.id ? (
                      <ItemEditor stepId={step.id} pathId={pathId} lessonStep={false} item={item}
                        onDone={() => { setEditing(null); refresh(); }} onCancel={() => setEditing(null)} />
                    ) : (
                      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                        <Stack gap={6}>
                          <Group gap="xs" wrap="nowrap" align="flex-start">
                            <Checkbox aria-label={t('tutor.selectCard')} checked={selected.includes(item.id)}
                              onChange={(e) => setSelected(e.currentTarget.checked ? [...selected, item.id] : selected.filter((id) => id !== item.id))} />
                            <Badge variant="outline" size="sm">{t(`learning.itemKinds.${item.kind}`)}</Badge>
                          </Group>
                          <CardPreview item={item} />
                          <Group gap={4}>
                            <Button size="compact-xs" variant="light" onClick={() => review.mutate({ validated: [item.id] })}>{t('learning.validate')}</Button>
                            <Button size="compact-xs" variant="subtle" onClick={() => setEditing(item.id)}>{t('learning.edit')}</Button>
                            <Button size="compact-xs" variant="subtle" color="red" onClick={() => review.mutate({ rejected: [item.id] })}>{t('learning.reject')}</Button>
                          </Group>
                        </Stack>
                        <Stack gap={2} className="source-passage" aria-label={t('tutor.fromPassage')}>
                          <Text size="xs" c="dimmed">
                            {origin ? [origin.source_name, origin.heading, origin.page ? t('tutor.page', { page: origin.page }) : ''].filter(Boolean).join(' › ') : t('tutor.passage')}
                          </Text>
                          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} lineClamp={8}>{origin?.passage ?? '…'}</Text>
                        </Stack>
                      </SimpleGrid>
                    )}
                  </Card>
                );
              })}
            </Stack>
          </Stack>
        )}
      </Stack>
    </Card>
  );
}

/** A card whole, as the teacher judges it: both sides, the gaps, the options with the right ones marked. */
function CardPreview({ item }: { item: Item }) {
  const { t } = useTranslation();
  const c = item.content as Record<string, unknown>;
  if (item.kind === 'flashcard') {
    return (
      <Stack gap={2}>
        <Markdown text={String(c.front ?? '')} />
        <Text size="sm" c="dimmed">↳</Text>
        <Markdown text={String(c.back ?? '')} />
      </Stack>
    );
  }
  if (item.kind === 'cloze') {
    return <Markdown text={String(c.text ?? '').replace(/\{\{c\d+::(.*?)(::.*?)?\}\}/g, '[**$1**]')} />;
  }
  if (item.kind === 'choice') {
    const answers = new Set((c.answers as number[] | undefined) ?? []);
    return (
      <Stack gap={2}>
        <Markdown text={String(c.question ?? '')} />
        <List size="sm">
          {((c.options as string[] | undefined) ?? []).map((o, i) => (
            <List.Item key={i}>{answers.has(i) ? <strong>{o} ✓ <span className="sr-only">{t('tutor.rightOption')}</span></strong> : o}</List.Item>
          ))}
        </List>
      </Stack>
    );
  }
  return <Markdown text={String(c.question ?? c.front ?? c.text ?? '')} />;
}
