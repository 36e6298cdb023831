// What a card shows, read-only (the question side), and the correction after an answer: the
// student's answer beside the right one, in words. Shared by the revision screen and the
// teacher's preview, so a teacher sees exactly what a student will.
import { Alert, List, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../shared/api/client';
import { Markdown } from '../../shared/markdown/Markdown';

type Prompt = Schemas['Prompt'];

/** The question of a card, as the student sees it before answering. */
export function PromptText({ prompt }: { prompt: Prompt }) {
  const { t } = useTranslation();
  if (prompt.kind === 'flashcard') return <Markdown text={prompt.front ?? ''} size="xl" center />;
  if (prompt.kind === 'cloze') return <Markdown text={prompt.text ?? ''} size="lg" />;
  return (
    <Stack gap="xs">
      <Markdown text={prompt.question ?? ''} size="xl" />
      {prompt.kind === 'choice' && prompt.multiple && <Text size="sm" c="dimmed">{t('learning.severalAnswers')}</Text>}
      {prompt.kind === 'choice' && (
        <List size="sm">
          {(prompt.options ?? []).map((option, i) => <List.Item key={i}>{option}</List.Item>)}
        </List>
      )}
      {prompt.kind === 'matching' && (
        <List size="sm">
          {(prompt.lefts ?? []).map((left, i) => <List.Item key={i}>{left} → …</List.Item>)}
        </List>
      )}
      {prompt.kind === 'ordering' && (
        <List size="sm">
          {(prompt.steps ?? []).map((step, i) => <List.Item key={i}>{step}</List.Item>)}
        </List>
      )}
      {prompt.kind === 'numerical' && (prompt.units ?? []).length > 0 && (
        <Text size="sm" c="dimmed">{t('learning.unitsList', { units: (prompt.units ?? []).join(', ') })}</Text>
      )}
    </Stack>
  );
}

function Answers({ words }: { words: string[] }) {
  const { t } = useTranslation();
  if (words.length === 0) return <Text span fs="italic">{t('learning.noAnswerGiven')}</Text>;
  if (words.length === 1) return <Text span fw={700}>{words[0]}</Text>;
  return (
    <List size="sm" withPadding>
      {words.map((w, i) => <List.Item key={i}><Text span fw={700}>{w}</Text></List.Item>)}
    </List>
  );
}

/** After an auto-graded answer: right or not, what the student gave and what was expected. */
export function Correction({ correct, given, expected, kind, parts }: {
  correct: boolean; given: string[]; expected: string[]; kind: string; parts?: { right: number; total: number };
}) {
  const { t } = useTranslation();
  // Short answers and numbers list every accepted form: "one of".
  const expectedLabel = (kind === 'short_answer' || kind === 'numerical') && expected.length > 1 ? t('learning.expectedOneOf') : t('learning.expected');
  // Matching and ordering are graded per part: "2 of 3 pairs right" says how close it was.
  const partial = parts && !correct && parts.right > 0;
  return (
    <Alert color={correct ? 'green' : partial ? 'orange' : 'red'} variant="light" role="status"
      title={correct ? t('learning.right') : partial ? t(kind === 'matching' ? 'learning.pairsRight' : 'learning.stepsRight', { right: parts.right, total: parts.total }) : t('learning.notQuite')}>
      <Stack gap={4}>
        <div><Text span size="sm">{t('learning.yourAnswerWas')} </Text><Answers words={given} /></div>
        {!correct && <div><Text span size="sm">{expectedLabel} </Text><Answers words={expected} /></div>}
      </Stack>
    </Alert>
  );
}
