// A path's steps in the builder: add, rename, reorder (drag or move), unlock rules, and each
// step's content.
import { useState } from 'react';
import { ActionIcon, Alert, Badge, Button, Card, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, type Schemas } from '../../shared/api/client';
import { ConfirmButton } from '../../shared/ui/ConfirmButton';
import { EmptyState, errorMessage } from '../../shared/ui/states';
import { StepRulesEditor } from './SettingsPanels';
import { useLearningChanged } from './queries';
import { StepItems } from './StepItems';

type Path = Schemas['LearningPath'];
type Step = Schemas['Step'];

export function StepsPanel({ path }: { path: Path }) {
  const { t } = useTranslation();
  const changed = useLearningChanged();
  const steps = path.steps ?? [];
  const canEdit = !!path.can_edit;
  const [title, setTitle] = useState('');
  const [kind, setKind] = useState<string>('cards');
  const [open, setOpen] = useState<string | null>(steps[0]?.id ?? null);
  const [dragged, setDragged] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = () => changed.path(path.id);
  const add = useMutation({
    mutationFn: () => api<Step>('POST', `/api/v1/learning-paths/${path.id}/steps`, { title, kind }),
    onSuccess: (step) => {
      setTitle('');
      setOpen(step.id);
      setError(null);
      void refresh();
    },
    onError: (caught) => setError(errorMessage(caught, t)),
  });
  const reorder = useMutation({
    mutationFn: (ids: string[]) => api('PUT', `/api/v1/learning-paths/${path.id}/step-order`, { step_ids: ids }),
    onSuccess: () => void refresh(),
  });
  const remove = useMutation({ mutationFn: (id: string) => api('DELETE', `/api/v1/steps/${id}`), onSuccess: () => void refresh() });
  const move = (from: number, to: number) => {
    if (to < 0 || to >= steps.length) return;
    const ids = steps.map((s) => s.id);
    const [id] = ids.splice(from, 1);
    ids.splice(to, 0, id);
    reorder.mutate(ids);
  };
  return (
    <Stack gap="sm">
      {steps.length === 0 && <EmptyState title={t('learning.noSteps')} hint={canEdit ? t('learning.noStepsHint') : undefined} />}
      {steps.map((step, index) => (
        <Card
          key={step.id}
          withBorder
          draggable={canEdit}
          onDragStart={() => setDragged(step.id)}
          onDragOver={(e) => e.preventDefault()}
          onDrop={() => {
            const from = steps.findIndex((s) => s.id === dragged);
            if (from >= 0 && from !== index) move(from, index);
            setDragged(null);
          }}
        >
          <Group justify="space-between" wrap="nowrap">
            <Group gap="xs" wrap="nowrap">
              {canEdit && <Text c="dimmed" aria-hidden style={{ cursor: 'grab' }}>⠿</Text>}
              <Button variant="subtle" size="compact-md" onClick={() => setOpen(open === step.id ? null : step.id)} aria-expanded={open === step.id}>
                {index + 1}. {step.title}
              </Button>
              <Badge variant="light">{t(`learning.stepKinds.${step.kind}`)}</Badge>
              <Text size="xs" c="dimmed">{t(`learning.unlock.${step.unlock_rule}`)}</Text>
            </Group>
            <Group gap={4} wrap="nowrap">
              <Text size="xs" c="dimmed">{t('learning.itemCount', { count: step.item_count ?? 0 })}</Text>
              {canEdit && (
                <>
                  <ActionIcon variant="subtle" aria-label={t('learning.moveUp', { title: step.title })} disabled={index === 0} onClick={() => move(index, index - 1)}>↑</ActionIcon>
                  <ActionIcon variant="subtle" aria-label={t('learning.moveDown', { title: step.title })} disabled={index === steps.length - 1} onClick={() => move(index, index + 1)}>↓</ActionIcon>
                  <ConfirmButton variant="subtle" color="red" size="compact-sm" aria-label={t('learning.deleteStep', { title: step.title })}
                    title={t('learning.deleteStep', { title: step.title })} message={t('learning.confirmDeleteStep', { title: step.title })}
                    confirmLabel={t('learning.delete')} onConfirm={() => remove.mutate(step.id)}>×</ConfirmButton>
                </>
              )}
            </Group>
          </Group>
          {open === step.id && (
            <Stack mt="sm">
              {canEdit && <StepRulesEditor step={step} steps={steps} pathId={path.id} />}
              <StepItems step={step} pathId={path.id} canEdit={canEdit} />
            </Stack>
          )}
        </Card>
      ))}
      {canEdit && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            add.mutate();
          }}
        >
          <Group align="flex-end">
            <TextInput label={t('learning.newStep')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} style={{ flex: 1 }} />
            <Select
              label={t('learning.stepKind')}
              data={['lesson', 'cards', 'quiz'].map((k) => ({ value: k, label: t(`learning.stepKinds.${k}`) }))}
              value={kind}
              onChange={(v) => setKind(v ?? 'cards')}
              allowDeselect={false}
            />
            <Button type="submit" loading={add.isPending}>{t('learning.addStep')}</Button>
          </Group>
          {error && <Alert color="red" role="alert" mt="xs">{error}</Alert>}
        </form>
      )}
    </Stack>
  );
}
