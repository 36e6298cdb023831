// The content editor of a step: a lesson in Markdown with math and pictures, or a card of any kind
// (flashcard, cloze, choice, short answer, matching, numerical, ordering), with a live preview as
// students will see it. Used to add an item and to edit one.
import { type ReactNode, useRef, useState } from 'react';
import {
  ActionIcon, Alert, Button, Card, Checkbox, FileButton, Group, SegmentedControl, Select, Stack, TagsInput, Text, TextInput, Textarea,
} from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, api, type Schemas } from '../../shared/api/client';
import { Markdown } from '../../shared/markdown/Markdown';
import { parseDecimal } from './numbers';

type Item = Schemas['Item'];
type Media = Schemas['LearningMedia'];
type Kind = 'lesson' | 'flashcard' | 'cloze' | 'choice' | 'short_answer' | 'matching' | 'numerical' | 'ordering';
const CARD_KINDS = ['flashcard', 'cloze', 'choice', 'short_answer', 'matching', 'numerical', 'ordering'] as const;

interface Pair { left: string; right: string }
// One accepted number as typed: a value with its tolerance, or a range (min to max).
interface Accepted { range: boolean; value: string; tolerance: string; min: string; max: string }
interface Unit { unit: string; multiplier: string }
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
  pairs: Pair[];
  distractors: string[];
  numbers: Accepted[];
  units: Unit[];
  unitRequired: boolean;
  steps: string[];
}

const emptyNumber: Accepted = { range: false, value: '', tolerance: '', min: '', max: '' };


const emptyDraft: Draft = {
  markdown: '', front: '', back: '', reversed: false, text: '', question: '', options: ['', ''], right: [], accepted: [],
  caseSensitive: false, accentSensitive: false,
  pairs: [{ left: '', right: '' }, { left: '', right: '' }, { left: '', right: '' }], distractors: [],
  numbers: [emptyNumber], units: [], unitRequired: false, steps: ['', '', ''],
};

type StoredNumber = { value?: number; tolerance?: number; min?: number; max?: number };

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
    pairs: (c.pairs as Pair[]) ?? emptyDraft.pairs,
    distractors: (c.distractors as string[]) ?? [],
    numbers: item.kind === 'numerical'
      ? (c.answers as StoredNumber[]).map((a) => (a.min !== undefined
        ? { ...emptyNumber, range: true, min: String(a.min), max: String(a.max) }
        : { ...emptyNumber, value: String(a.value), tolerance: a.tolerance ? String(a.tolerance) : '' }))
      : emptyDraft.numbers,
    units: ((c.units as { unit: string; multiplier: number }[]) ?? []).map((u) => ({ unit: u.unit, multiplier: String(u.multiplier) })),
    unitRequired: !!c.unit_required,
    steps: (c.steps as string[]) ?? emptyDraft.steps,
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
    case 'matching':
      return { question: d.question, pairs: d.pairs.filter((p) => p.left.trim() || p.right.trim()), distractors: d.distractors };
    case 'numerical':
      // Numbers the teacher typed with a comma are sent as numbers; what is not a number is sent
      // as it is, for the server to name the field.
      return {
        question: d.question,
        answers: d.numbers.map((n) => {
          const read = (text: string) => (Number.isNaN(parseDecimal(text)) ? text : parseDecimal(text));
          if (n.range) return { min: read(n.min), max: read(n.max) };
          return n.tolerance.trim() ? { value: read(n.value), tolerance: read(n.tolerance) } : { value: read(n.value) };
        }),
        units: d.units.filter((u) => u.unit.trim()).map((u) => ({ unit: u.unit, multiplier: u.multiplier.trim() ? parseDecimal(u.multiplier) : 1 })),
        unit_required: d.unitRequired,
      };
    case 'ordering':
      return { question: d.question, steps: d.steps.filter((step) => step.trim()) };
  }
}

// What the preview shows: the prompt, with a cloze's gaps as blanks.
function previewOf(kind: Kind, d: Draft): string {
  if (kind === 'lesson') return d.markdown;
  if (kind === 'flashcard') return d.front && d.back ? `${d.front}\n\n---\n\n${d.back}` : d.front;
  if (kind === 'cloze') return d.text.replace(/\{\{c\d+::(.*?)(::(.*?))?\}\}/g, (_m, _a, _h, hint) => `[${hint ?? '…'}]`);
  if (kind === 'choice') return [d.question, ...d.options.filter(Boolean).map((o) => `- ${o}`)].join('\n');
  if (kind === 'matching') return [d.question, ...d.pairs.filter((p) => p.left).map((p) => `- ${p.left} → …`)].join('\n');
  if (kind === 'ordering') return [d.question, ...d.steps.filter(Boolean).map((step, i) => `${i + 1}. ${step}`)].join('\n');
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
            data={CARD_KINDS.map((k) => ({ value: k, label: t(`learning.itemKinds.${k}`) }))}
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
        {(kind === 'choice' || kind === 'short_answer' || kind === 'matching' || kind === 'numerical' || kind === 'ordering') && (
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
        {kind === 'matching' && (
          <ListEditor
            label={t('learning.pairs')} hint={t('learning.pairsHint')} error={field('pairs') ?? field('distractors')}
            rows={draft.pairs} min={2} max={20} addLabel={t('learning.addPair')}
            empty={{ left: '', right: '' }} onChange={(pairs) => set('pairs', pairs)}
            removeLabel={(n) => t('learning.removePair', { n })}
            render={(pair, i, change) => (
              <>
                <TextInput style={{ flex: 1 }} aria-label={t('learning.pairLeft', { n: i + 1 })} placeholder={t('learning.pairLeftPlaceholder')}
                  value={pair.left} onChange={(e) => change({ ...pair, left: e.currentTarget.value })} />
                <Text aria-hidden>→</Text>
                <TextInput style={{ flex: 1 }} aria-label={t('learning.pairRight', { n: i + 1 })} placeholder={t('learning.pairRightPlaceholder')}
                  value={pair.right} onChange={(e) => change({ ...pair, right: e.currentTarget.value })} />
              </>
            )}
          />
        )}
        {kind === 'matching' && (
          <TagsInput label={t('learning.distractors')} description={t('learning.distractorsHint')} value={draft.distractors}
            onChange={(v) => set('distractors', v)} />
        )}
        {kind === 'numerical' && (
          <>
            <ListEditor
              label={t('learning.acceptedNumbers')} hint={t('learning.acceptedNumbersHint')} error={field('answers')}
              rows={draft.numbers} min={1} max={10} addLabel={t('learning.addNumber')} empty={emptyNumber}
              onChange={(numbers) => set('numbers', numbers)} removeLabel={(n) => t('learning.removeNumber', { n })}
              render={(n, i, change) => (
                <>
                  <Select size="xs" w={130} aria-label={t('learning.numberKind', { n: i + 1 })} allowDeselect={false}
                    data={[{ value: 'value', label: t('learning.numberValue') }, { value: 'range', label: t('learning.numberRange') }]}
                    value={n.range ? 'range' : 'value'} onChange={(v) => change({ ...n, range: v === 'range' })} />
                  {n.range ? (
                    <>
                      <TextInput style={{ flex: 1 }} inputMode="decimal" aria-label={t('learning.numberMin', { n: i + 1 })} placeholder={t('learning.min')}
                        value={n.min} onChange={(e) => change({ ...n, min: e.currentTarget.value })} />
                      <Text aria-hidden>–</Text>
                      <TextInput style={{ flex: 1 }} inputMode="decimal" aria-label={t('learning.numberMax', { n: i + 1 })} placeholder={t('learning.max')}
                        value={n.max} onChange={(e) => change({ ...n, max: e.currentTarget.value })} />
                    </>
                  ) : (
                    <>
                      <TextInput style={{ flex: 1 }} inputMode="decimal" aria-label={t('learning.numberValueN', { n: i + 1 })} placeholder={t('learning.numberValue')}
                        value={n.value} onChange={(e) => change({ ...n, value: e.currentTarget.value })} />
                      <Text aria-hidden>±</Text>
                      <TextInput style={{ flex: 1 }} inputMode="decimal" aria-label={t('learning.toleranceN', { n: i + 1 })} placeholder={t('learning.tolerance')}
                        value={n.tolerance} onChange={(e) => change({ ...n, tolerance: e.currentTarget.value })} />
                    </>
                  )}
                </>
              )}
            />
            <ListEditor
              label={t('learning.units')} hint={t('learning.unitsHint')} error={field('units') ?? field('unit_required')}
              rows={draft.units} min={0} max={10} addLabel={t('learning.addUnit')} empty={{ unit: '', multiplier: '' }}
              onChange={(units) => set('units', units)} removeLabel={(n) => t('learning.removeUnit', { n })}
              render={(u, i, change) => (
                <>
                  <TextInput style={{ flex: 1 }} aria-label={t('learning.unitN', { n: i + 1 })} placeholder={t('learning.unitPlaceholder')}
                    value={u.unit} onChange={(e) => change({ ...u, unit: e.currentTarget.value })} />
                  <Text size="sm" aria-hidden>×</Text>
                  <TextInput w={110} inputMode="decimal" aria-label={t('learning.multiplierN', { n: i + 1 })} placeholder={i === 0 ? '1' : t('learning.multiplier')}
                    value={u.multiplier} onChange={(e) => change({ ...u, multiplier: e.currentTarget.value })} />
                </>
              )}
            />
            {draft.units.length > 0 && (
              <Checkbox size="xs" label={t('learning.unitRequired')} checked={draft.unitRequired} onChange={(e) => set('unitRequired', e.currentTarget.checked)} />
            )}
          </>
        )}
        {kind === 'ordering' && (
          <ListEditor
            label={t('learning.orderSteps')} hint={t('learning.orderStepsHint')} error={field('steps')}
            rows={draft.steps} min={2} max={20} addLabel={t('learning.addOrderStep')} empty=""
            onChange={(steps) => set('steps', steps)} removeLabel={(n) => t('learning.removeOrderStep', { n })} movable
            moveLabels={(n) => [t('learning.moveRowUp', { n }), t('learning.moveRowDown', { n })]}
            render={(step, i, change) => (
              <TextInput style={{ flex: 1 }} aria-label={t('learning.orderStepN', { n: i + 1 })} value={step}
                leftSection={<Text size="xs" c="dimmed">{i + 1}</Text>} onChange={(e) => change(e.currentTarget.value)} />
            )}
          />
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

/** Rows the teacher adds, removes and (for an ordering) moves: pairs, numbers, units, steps. */
function ListEditor<Row>({
  label, hint, error, rows, min, max, empty, addLabel, removeLabel, movable, moveLabels, onChange, render,
}: {
  label: string;
  hint: string;
  error?: string;
  rows: Row[];
  min: number;
  max: number;
  empty: Row;
  addLabel: string;
  removeLabel: (n: number) => string;
  movable?: boolean;
  moveLabels?: (n: number) => [string, string];
  onChange: (rows: Row[]) => void;
  render: (row: Row, index: number, change: (row: Row) => void) => ReactNode;
}) {
  const move = (from: number, to: number) => {
    const next = [...rows];
    [next[from], next[to]] = [next[to], next[from]];
    onChange(next);
  };
  return (
    <Stack gap={4} role="group" aria-label={label}>
      <Text size="sm" fw={500}>{label}</Text>
      <Text size="xs" c="dimmed">{hint}</Text>
      {rows.map((row, i) => (
        <Group key={i} gap="xs" wrap="nowrap">
          {render(row, i, (changed) => onChange(rows.map((r, j) => (j === i ? changed : r))))}
          {movable && moveLabels && (
            <>
              <ActionIcon variant="subtle" aria-label={moveLabels(i + 1)[0]} disabled={i === 0} onClick={() => move(i, i - 1)}>↑</ActionIcon>
              <ActionIcon variant="subtle" aria-label={moveLabels(i + 1)[1]} disabled={i === rows.length - 1} onClick={() => move(i, i + 1)}>↓</ActionIcon>
            </>
          )}
          <ActionIcon variant="subtle" color="red" aria-label={removeLabel(i + 1)} disabled={rows.length <= min}
            onClick={() => onChange(rows.filter((_, j) => j !== i))}>
            ×
          </ActionIcon>
        </Group>
      ))}
      {error && <Text size="xs" c="red">{error}</Text>}
      <Button size="compact-xs" variant="subtle" onClick={() => onChange([...rows, empty])} disabled={rows.length >= max}
        style={{ alignSelf: 'flex-start' }}>
        {addLabel}
      </Button>
    </Stack>
  );
}
