// The content editor of a step: a lesson in Markdown with math and pictures, or a card of any kind
// (flashcard, cloze, choice, short answer), with a live preview as students will see it. Used to
// add an item and to edit one.
import { useRef, useState } from 'react';
import {
  ActionIcon, Alert, Button, Card, Checkbox, FileButton, Group, SegmentedControl, Stack, TagsInput, Text, TextInput, Textarea,
} from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, api, type Schemas } from '../../shared/api/client';
import { Markdown } from '../../shared/markdown/Markdown';

type Item = Schemas['Item'];
type Media = Schemas['LearningMedia'];
type Kind = 'lesson' | 'flashcard' | 'cloze' | 'choice' | 'short_answer';
type Content = Record<string, unknown>;

interface Draft {
  markdown: string;
  front: string;
  back: string;
  reversed: boolean;
  text: string;
  question: string;
  options: string[];
  right: number[];
  accepted: string[];
  caseSensitive: boolean;
  accentSensitive: boolean;
}

const emptyDraft: Draft = {
  markdown: '', front: '', back: '', reversed: false, text: '', question: '', options: ['', ''], right: [], accepted: [],
  caseSensitive: false, accentSensitive: false,
};

function draftOf(item: Item | undefined): Draft {
  if (!item) return emptyDraft;
  const c = item.content as Content;
  return {
    ...emptyDraft,
    markdown: (c.markdown as string) ?? '',
    front: (c.front as string) ?? '',
    back: (c.back as string) ?? '',
    reversed: !!c.reversed,
    text: (c.text as string) ?? '',
    question: (c.question as string) ?? '',
    options: (c.options as string[]) ?? ['', ''],
    right: (c.answers as number[]) ?? [],
    accepted: (c.accepted as string[]) ?? [],
    caseSensitive: !!c.case_sensitive,
    accentSensitive: !!c.accent_sensitive,
  };
}

function contentOf(kind: Kind, d: Draft): Content {
  switch (kind) {
    case 'lesson':
      return { markdown: d.markdown };
    case 'flashcard':
      return { front: d.front, back: d.back, reversed: d.reversed };
    case 'cloze':
      return { text: d.text, case_sensitive: d.caseSensitive, accent_sensitive: d.accentSensitive };
    case 'choice':
      return { question: d.question, options: d.options, answers: d.right };
    case 'short_answer':
      return { question: d.question, accepted: d.accepted, case_sensitive: d.caseSensitive, accent_sensitive: d.accentSensitive };
  }
}

// What the preview shows: the prompt, with a cloze's gaps as blanks.
function previewOf(kind: Kind, d: Draft): string {
  if (kind === 'lesson') return d.markdown;
  if (kind === 'flashcard') return d.front && d.back ? `${d.front}\n\n---\n\n${d.back}` : d.front;
  if (kind === 'cloze') return d.text.replace(/\{\{c\d+::(.*?)(::(.*?))?\}\}/g, (_m, _a, _h, hint) => `[${hint ?? '…'}]`);
  if (kind === 'choice') return [d.question, ...d.options.filter(Boolean).map((o) => `- ${o}`)].join('\n');
  return d.question;
}

export function ItemEditor({
  stepId, pathId, lessonStep, item, onDone, onCancel,
}: {
  stepId: string;
  pathId: string;
  lessonStep: boolean;
  item?: Item;
  onDone: () => void;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<Kind>((item?.kind as Kind) ?? (lessonStep ? 'lesson' : 'flashcard'));
  const [draft, setDraft] = useState<Draft>(() => draftOf(item));
  const [error, setError] = useState<ApiError | null>(null);
  const textArea = useRef<HTMLTextAreaElement>(null);
  // Typing a deck: Enter on the front goes to the back, Enter on the back adds the card and comes
  // back to a new front; Shift+Enter is a new line, Ctrl+Enter adds from anywhere.
  const firstField = useRef<HTMLTextAreaElement>(null);
  const backField = useRef<HTMLTextAreaElement>(null);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const field = (name: string) => error?.fieldMessage(`content.${name}`);

  const save = useMutation({
    mutationFn: () =>
      item
        ? api<Item>('PATCH', `/api/v1/items/${item.id}`, { content: contentOf(kind, draft) })
        : api<Item>('POST', `/api/v1/steps/${stepId}/items`, { kind, content: contentOf(kind, draft) }),
    onSuccess: () => {
      setDraft(emptyDraft);
      setError(null);
      onDone();
      if (!item) firstField.current?.focus();
    },
    onError: (caught) => setError(caught instanceof ApiError ? caught : null),
  });
  // A picture or sound goes into the text where the cursor is.
  const upload = useMutation({
    mutationFn: (file: File) =>
      api<Media>('POST', `/api/v1/learning-paths/${pathId}/media?name=${encodeURIComponent(file.name)}`, file, file.type || 'application/octet-stream'),
    onSuccess: (media) => {
      const target = kind === 'lesson' ? 'markdown' : kind === 'flashcard' ? 'front' : kind === 'cloze' ? 'text' : 'question';
      const current = draft[target];
      const at = kind === 'lesson' && textArea.current ? textArea.current.selectionStart : current.length;
      set(target, `${current.slice(0, at)}${at > 0 ? '\n' : ''}${media.markdown}\n${current.slice(at)}`);
      setError(null);
    },
    onError: (caught) => setError(caught instanceof ApiError ? caught : null),
  });

  const preview = previewOf(kind, draft);
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate();
      }}
      onKeyDown={(event) => {
        if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
        if (event.ctrlKey || event.metaKey) {
          event.preventDefault();
          save.mutate();
        } else if (kind === 'flashcard' && event.target === firstField.current) {
          event.preventDefault();
          backField.current?.focus();
        } else if (kind === 'flashcard' && event.target === backField.current) {
          event.preventDefault();
          save.mutate();
        }
      }}
    >
      <Stack gap="xs">
        {error && <Alert color="red" role="alert">{error.message}</Alert>}
        {!lessonStep && !item && (
          <SegmentedControl
            size="xs"
            value={kind}
            onChange={(v) => setKind(v as Kind)}
            aria-label={t('learning.itemKind')}
            data={(['flashcard', 'cloze', 'choice', 'short_answer'] as const).map((k) => ({ value: k, label: t(`learning.itemKinds.${k}`) }))}
          />
        )}
        {kind === 'lesson' && (
          <Textarea ref={textArea} label={t('learning.lessonText')} description={t('learning.markdownHint')} value={draft.markdown}
            onChange={(e) => set('markdown', e.currentTarget.value)} autosize minRows={4} error={field('markdown')} />
        )}
        {kind === 'flashcard' && (
          <>
            <Group grow align="flex-start">
              <Textarea ref={firstField} label={t('learning.front')} value={draft.front} onChange={(e) => set('front', e.currentTarget.value)} autosize minRows={1} error={field('front')} />
              <Textarea ref={backField} label={t('learning.back')} value={draft.back} onChange={(e) => set('back', e.currentTarget.value)} autosize minRows={1} error={field('back')} />
            </Group>
            <Text size="xs" c="dimmed">{t('learning.enterHint')}</Text>
            <Checkbox label={t('learning.reversed')} checked={draft.reversed} onChange={(e) => set('reversed', e.currentTarget.checked)} />
          </>
        )}
        {kind === 'cloze' && (
          <Textarea ref={firstField} label={t('learning.clozeText')} description={t('learning.clozeHint', { example: `{{c1::${t('learning.answerWord')}}}`, hinted: `{{c2::${t('learning.answerWord')}::${t('learning.hintWord')}}}`, interpolation: { escapeValue: false } })} value={draft.text}
            onChange={(e) => set('text', e.currentTarget.value)} autosize minRows={2} error={field('text')} />
        )}
        {(kind === 'choice' || kind === 'short_answer') && (
          <Textarea ref={firstField} label={t('learning.question')} value={draft.question} onChange={(e) => set('question', e.currentTarget.value)}
            autosize minRows={1} error={field('question')} />
        )}
        {kind === 'choice' && (
          <Stack gap={4} role="group" aria-label={t('learning.options')}>
            <Text size="sm" fw={500}>{t('learning.options')}</Text>
            <Text size="xs" c="dimmed">{t('learning.optionsHint')}</Text>
            {draft.options.map((option, i) => (
              <Group key={i} gap="xs" wrap="nowrap">
                <Checkbox
                  aria-label={t('learning.rightOption', { n: i + 1 })}
                  checked={draft.right.includes(i)}
                  onChange={(e) => set('right', e.currentTarget.checked ? [...draft.right, i].sort() : draft.right.filter((x) => x !== i))}
                />
                <TextInput style={{ flex: 1 }} aria-label={t('learning.optionN', { n: i + 1 })} value={option}
                  onChange={(e) => set('options', draft.options.map((o, j) => (j === i ? e.currentTarget.value : o)))} />
                <ActionIcon variant="subtle" color="red" aria-label={t('learning.removeOption', { n: i + 1 })} disabled={draft.options.length <= 2}
                  onClick={() => {
                    set('options', draft.options.filter((_, j) => j !== i));
                    set('right', draft.right.filter((x) => x !== i).map((x) => (x > i ? x - 1 : x)));
                  }}>
                  ×
                </ActionIcon>
              </Group>
            ))}
            {(field('options') || field('answers')) && <Text size="xs" c="red">{field('options') ?? field('answers')}</Text>}
            <Button size="compact-xs" variant="subtle" onClick={() => set('options', [...draft.options, ''])} disabled={draft.options.length >= 10}
              style={{ alignSelf: 'flex-start' }}>
              {t('learning.addOption')}
            </Button>
          </Stack>
        )}
        {kind === 'short_answer' && (
          <TagsInput label={t('learning.accepted')} description={t('learning.acceptedHint')} value={draft.accepted}
            onChange={(v) => set('accepted', v)} error={field('accepted')} />
        )}
        {(kind === 'cloze' || kind === 'short_answer') && (
          <Group gap="md">
            <Checkbox size="xs" label={t('learning.caseSensitive')} checked={draft.caseSensitive} onChange={(e) => set('caseSensitive', e.currentTarget.checked)} />
            <Checkbox size="xs" label={t('learning.accentSensitive')} checked={draft.accentSensitive} onChange={(e) => set('accentSensitive', e.currentTarget.checked)} />
          </Group>
        )}
        {preview.trim() && (
          <Card withBorder p="xs" aria-label={t('learning.preview')}>
            <Text size="xs" c="dimmed" mb={4}>{t('learning.preview')}</Text>
            <Markdown text={preview} />
          </Card>
        )}
        <Group gap="xs">
          <Button type="submit" size="xs" loading={save.isPending}>{item ? t('learning.saveItem') : t('learning.addItem')}</Button>
          <FileButton onChange={(file) => file && upload.mutate(file)} accept="image/png,image/jpeg,image/webp,image/gif,audio/mpeg,audio/ogg,audio/wav,audio/mp4,.mp3,.ogg,.wav,.m4a">
            {(props) => (
              <Button {...props} size="xs" variant="default" loading={upload.isPending}>{t('learning.insertPicture')}</Button>
            )}
          </FileButton>
          {onCancel && <Button size="xs" variant="subtle" onClick={onCancel}>{t('learning.cancel')}</Button>}
        </Group>
      </Stack>
    </form>
  );
}
