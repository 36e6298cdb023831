// A path's documents for its tutor: upload (PDF, Markdown, text, HTML, or a pasted page), their
// indexing status read again until ready, the cause when one failed, and delete.
import { useState } from 'react';
import { Alert, Badge, Button, Card, FileButton, Group, Loader, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, type Schemas } from '../../shared/api/client';
import { ConfirmButton } from '../../shared/ui/ConfirmButton';
import { ListState, errorMessage } from '../../shared/ui/states';
import { sourceContentType } from './sourceTypes';
import { useSources, useTutorChanged, type Source } from './queries';

type Path = Schemas['LearningPath'];

export function SourcesPanel({ path }: { path: Path }) {
  const { t } = useTranslation();
  const sources = useSources(path.id);
  const changed = useTutorChanged();
  const canEdit = !!path.can_edit;
  const [errors, setErrors] = useState<string[]>([]);
  const [pasting, setPasting] = useState(false);
  const [pasteName, setPasteName] = useState('');
  const [pasteText, setPasteText] = useState('');
  const upload = useMutation({
    mutationFn: async (files: { name: string; body: Blob | string; type: string }[]) => {
      const failed: string[] = [];
      for (const file of files) {
        try {
          await api<Source>('POST', `/api/v1/learning-paths/${path.id}/sources?name=${encodeURIComponent(file.name)}`, file.body, file.type);
        } catch (caught) {
          failed.push(`${file.name} : ${errorMessage(caught, t)}`);
        }
      }
      return failed;
    },
    onSuccess: (failed) => {
      setErrors(failed);
      void changed.sources(path.id);
      void changed.status(path.id);
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => api('DELETE', `/api/v1/learning-paths/${path.id}/sources/${id}`),
    onSuccess: () => {
      void changed.sources(path.id);
      void changed.status(path.id);
    },
    onError: (caught) => setErrors([errorMessage(caught, t)]),
  });
  const sendFiles = (files: File[]) => {
    if (files.length === 0) return;
    upload.mutate(files.map((file) => ({ name: file.name, body: file, type: sourceContentType(file.name, file.type) })));
  };
  const sendPasted = () => {
    const html = /^\s*</.test(pasteText);
    const base = pasteName.trim() || t('tutor.pastedName');
    const name = /\.(html?|txt)$/i.test(base) ? base : `${base}.${html ? 'html' : 'txt'}`;
    upload.mutate([{ name, body: pasteText, type: html ? 'text/html' : 'text/plain' }], {
      onSuccess: (failed) => {
        if (failed.length === 0) {
          setPasting(false);
          setPasteName('');
          setPasteText('');
        }
      },
    });
  };

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-end">
        <Stack gap={2}>
          <Title order={2} size="h4">{t('tutor.sourcesTitle')}</Title>
          <Text size="sm" c="dimmed">{t('tutor.sourcesHint')}</Text>
        </Stack>
        {canEdit && (
          <Group gap="xs">
            <FileButton onChange={sendFiles} accept=".pdf,.md,.markdown,.txt,.html,.htm,application/pdf,text/markdown,text/plain,text/html" multiple>
              {(props) => <Button {...props} loading={upload.isPending}>{t('tutor.addDocuments')}</Button>}
            </FileButton>
            <Button variant="default" onClick={() => setPasting(!pasting)} aria-expanded={pasting}>{t('tutor.pasteText')}</Button>
          </Group>
        )}
      </Group>
      {canEdit && <Text size="xs" c="dimmed">{t('tutor.formats')}</Text>}
      {errors.map((e) => <Alert key={e} color="red" role="alert">{e}</Alert>)}
      {pasting && (
        <Card withBorder>
          <form onSubmit={(e) => { e.preventDefault(); sendPasted(); }}>
            <Stack gap="xs">
              <TextInput label={t('tutor.pasteName')} value={pasteName} onChange={(e) => setPasteName(e.currentTarget.value)} placeholder={t('tutor.pastedName')} />
              <Textarea label={t('tutor.pasteLabel')} description={t('tutor.pasteDescription')} value={pasteText}
                onChange={(e) => setPasteText(e.currentTarget.value)} autosize minRows={5} maxRows={14} required />
              <Group gap="xs">
                <Button type="submit" loading={upload.isPending} disabled={!pasteText.trim()}>{t('tutor.addPasted')}</Button>
                <Button variant="default" onClick={() => setPasting(false)}>{t('common.cancel')}</Button>
              </Group>
            </Stack>
          </form>
        </Card>
      )}
      <ListState query={sources} empty={{ title: t('tutor.noSources'), hint: canEdit ? t('tutor.noSourcesHint') : undefined }}>
        {(list) => (
          <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label={t('tutor.sourcesTitle')}>
            {list.map((source) => (
              <Card key={source.id} component="li" withBorder p="sm">
                <Group justify="space-between" wrap="nowrap" align="flex-start">
                  <Stack gap={2} style={{ minWidth: 0 }}>
                    <Text fw={600} style={{ overflowWrap: 'anywhere' }}>{source.name}</Text>
                    <SourceStatus source={source} />
                    {source.origin === 'lessons' && <Text size="xs" c="dimmed">{t('tutor.lessonsHint')}</Text>}
                  </Stack>
                  {canEdit && source.origin !== 'lessons' && (
                    <ConfirmButton variant="subtle" color="red" size="compact-sm" aria-label={t('tutor.deleteSource', { name: source.name })}
                      title={t('tutor.deleteSource', { name: source.name })} message={t('tutor.confirmDeleteSource')}
                      confirmLabel={t('learning.delete')} onConfirm={() => remove.mutate(source.id)}>
                      {t('learning.delete')}
                    </ConfirmButton>
                  )}
                </Group>
              </Card>
            ))}
          </Stack>
        )}
      </ListState>
    </Stack>
  );
}

function SourceStatus({ source }: { source: Source }) {
  const { t } = useTranslation();
  if (source.status === 'pending') {
    return (
      <Group gap={6} role="status">
        <Loader size="xs" aria-hidden />
        <Text size="sm">{t('tutor.indexing')}</Text>
      </Group>
    );
  }
  if (source.status === 'failed') {
    return (
      <Stack gap={2}>
        <Badge color="red" variant="light" style={{ alignSelf: 'flex-start' }}>{t('tutor.failed')}</Badge>
        <Text size="sm" c="red.9">{source.error}</Text>
      </Stack>
    );
  }
  const parts = [t('tutor.passages', { count: source.passages ?? 0 }), t('tutor.words', { count: source.words ?? 0 })];
  if ((source.pages ?? 0) > 0) parts.unshift(t('tutor.pages', { count: source.pages ?? 0 }));
  if (source.language) parts.push(t(`tutor.languages.${source.language}`));
  return (
    <Group gap={6}>
      <Badge color="green" variant="light">{t('tutor.ready')}</Badge>
      <Text size="sm" c="dimmed">{parts.join(' · ')}</Text>
    </Group>
  );
}
