// A step's content in the path builder: its items with validation, the editor, and imports (CSV,
// GIFT, Anki) with their report.
import { useState } from 'react';
import { ActionIcon, Alert, Badge, Button, Card, FileInput, Group, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, api, type Schemas } from '../../shared/api/client';
import { ListState } from '../../shared/ui/states';
import { Markdown } from '../../shared/markdown/Markdown';
import { GeneratedQueue, pendingGenerated } from '../tutor/GeneratedQueue';
import { ItemEditor } from './ItemEditor';
import { importRequest, itemSummary } from './items';
import { useLearningChanged, useStepItems } from './queries';

type Step = Schemas['Step'];
type ImportReport = Schemas['ContentImportReport'];

export function StepItems({ step, pathId, canEdit }: { step: Step; pathId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const changed = useLearningChanged();
  const items = useStepItems(step.id);
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const refresh = () => {
    void changed.stepItems(step.id);
    void changed.path();
  };
  const isLesson = step.kind === 'lesson' || step.kind === 'tutor';
  const setValidation = useMutation({
    mutationFn: ({ id, validation }: { id: string; validation: string }) => api('PATCH', `/api/v1/items/${id}`, { validation }),
    onSuccess: refresh,
  });
  const remove = useMutation({ mutationFn: (id: string) => api('DELETE', `/api/v1/items/${id}`), onSuccess: refresh });
  // A file is read twice: first a dry run whose report (cards taken, duplicates and lines skipped)
  // the teacher reads, then the import itself when they confirm.
  const [pending, setPending] = useState<File | null>(null);
  const importFile = useMutation({
    mutationFn: ({ file, dryRun }: { file: File; dryRun: boolean }) => {
      const { format, type } = importRequest(file);
      return api<ImportReport>('POST', `/api/v1/steps/${step.id}/import?format=${format}${dryRun ? '&dry_run=true' : ''}`, file, type);
    },
    onSuccess: (result, { file, dryRun }) => {
      setReport(result);
      setError(null);
      setPending(dryRun ? file : null);
      if (!dryRun) refresh();
    },
    onError: (caught) => {
      setPending(null);
      setError(caught instanceof ApiError ? caught : null);
    },
  });

  // Generated cards waiting for the teacher's verdict are in the queue, beside their passage.
  const queued = new Set(canEdit && !isLesson ? pendingGenerated(items.data?.items ?? []).map((i) => i.id) : []);
  return (
    <Stack gap="xs">
      {canEdit && !isLesson && items.data && <GeneratedQueue step={step} pathId={pathId} items={items.data.items} />}
      <ListState query={items} empty={{ title: t('learning.noItems') }}>
        {(list) => (
          <Stack gap={4} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {list.filter((item) => !queued.has(item.id)).map((item) =>
              editing === item.id ? (
                <Card key={item.id} component="li" withBorder p="xs">
                  <ItemEditor stepId={step.id} pathId={pathId} lessonStep={isLesson} item={item}
                    onDone={() => { setEditing(null); refresh(); }} onCancel={() => setEditing(null)} />
                </Card>
              ) : (
                <Group key={item.id} component="li" justify="space-between" wrap="nowrap" gap="xs">
                  <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
                    <Badge variant="outline" size="sm">{t(`learning.itemKinds.${item.kind}`)}</Badge>
                    <div className="item-preview"><Markdown text={itemSummary(item)} /></div>
                  </Group>
                  <Group gap={4} wrap="nowrap">
                    <Badge size="sm" variant="light" color={item.validation === 'validated' ? 'green' : item.validation === 'pending' ? 'yellow' : 'red'}>
                      {t(`learning.validation.${item.validation}`)}
                    </Badge>
                    {canEdit && item.validation !== 'validated' && (
                      <Button size="compact-xs" variant="light" onClick={() => setValidation.mutate({ id: item.id, validation: 'validated' })}>
                        {t('learning.validate')}
                      </Button>
                    )}
                    {canEdit && item.validation === 'pending' && (
                      <Button size="compact-xs" variant="subtle" color="red" onClick={() => setValidation.mutate({ id: item.id, validation: 'rejected' })}>
                        {t('learning.reject')}
                      </Button>
                    )}
                    {canEdit && (
                      <Button size="compact-xs" variant="subtle" onClick={() => setEditing(item.id)} aria-label={t('learning.editItem', { text: itemSummary(item) })}>
                        {t('learning.edit')}
                      </Button>
                    )}
                    {canEdit && (
                      <ActionIcon variant="subtle" color="red" aria-label={t('learning.deleteItem')} onClick={() => remove.mutate(item.id)}>
                        ×
                      </ActionIcon>
                    )}
                  </Group>
                </Group>
              ),
            )}
          </Stack>
        )}
      </ListState>
      {canEdit && (
        <Card withBorder p="xs">
          <ItemEditor stepId={step.id} pathId={pathId} lessonStep={isLesson} onDone={refresh} />
        </Card>
      )}
      {canEdit && !isLesson && (
        <Stack gap={4}>
          {error && <Alert color="red" role="alert">{error.message}</Alert>}
          <FileInput
            size="xs"
            accept=".csv,text/csv,.txt,.gift,.apkg"
            label={t('learning.importFile')}
            description={t('learning.importFormats')}
            placeholder={t('learning.chooseFile')}
            onChange={(file) => file && importFile.mutate({ file, dryRun: true })}
            disabled={importFile.isPending}
            clearable
          />
          {importFile.isPending && <Text size="xs" role="status">{t('learning.importing')}</Text>}
        </Stack>
      )}
      {report && (
        <Card withBorder p="xs" role="status">
          <Text size="sm" fw={600}>
            {report.dry_run
              ? t('learning.importPreview', { taken: t('learning.cardsCount', { count: report.taken }), skipped: t('learning.linesCount', { count: report.skipped }) })
              : t('learning.importDone', { taken: t('learning.cardsImported', { count: report.taken }), skipped: t('learning.linesSkipped', { count: report.skipped }) })}
          </Text>
          {report.encoding === 'windows-1252' && (
            <Text size="xs">{t('learning.importEncoding')}</Text>
          )}
          {report.dry_run && (
            <Stack gap={2} my={4} component="ul" style={{ margin: 0, paddingLeft: 18 }} aria-label={t('learning.importFirstCards')}>
              {report.lines.filter((l) => l.status === 'taken').slice(0, 5).map((l) => (
                <Text key={l.line} size="xs" component="li">{l.front}</Text>
              ))}
            </Stack>
          )}
          {report.dry_run && pending && (
            <Group gap="xs" my="xs">
              <Button size="xs" disabled={report.taken === 0} loading={importFile.isPending}
                onClick={() => importFile.mutate({ file: pending, dryRun: false })}>
                {t('learning.importConfirm', { count: report.taken })}
              </Button>
              <Button size="xs" variant="default" onClick={() => { setPending(null); setReport(null); }}>{t('common.cancel')}</Button>
            </Group>
          )}
          {report.lines.filter((l) => l.reason).map((l) => (
            <Text key={l.line} size="xs" c={l.status === 'skipped' ? undefined : 'dimmed'}>
              {t(l.status === 'skipped' ? 'learning.importLine' : 'learning.importRemark', { line: l.line, front: l.front, reason: l.reason })}
            </Text>
          ))}
        </Card>
      )}
    </Stack>
  );
}
