// The revision screen. Every answer is saved at once, so a closed tab resumes where it was; the
// last answer finishes the session on the server. A flashcard: Space shows the answer, 1–4 rate
// it. An auto-graded card (cloze, choice, short answer, matching, numerical, ordering) stays on
// screen after the answer with the student's answer beside the right one until they move on. On a phone the card fills the screen
// and the rating buttons sit at the bottom, under the thumb.
import { useEffect, useRef, useState } from 'react';
import { ActionIcon, Alert, Badge, Button, Card, Checkbox, Group, Kbd, Paper, Progress, Radio, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { api, type Schemas } from '../../shared/api/client';
import { Markdown } from '../../shared/markdown/Markdown';
import { ConfirmButton } from '../../shared/ui/ConfirmButton';
import { ErrorState, LoadingState, errorMessage } from '../../shared/ui/states';
import { Correction, PromptText } from './CardFace';
import { SessionSummary } from './SessionSummary';
import { TutorButton } from '../tutor/TutorPanel';
import { learningKeys, useLearningChanged, useRevisionSession } from './queries';

type Session = Schemas['RevisionSession'];
type AnswerResult = Schemas['AnswerResult'];
type Prompt = Schemas['Prompt'];

/** The words of a card for a screen reader's announcement: Markdown marks and formulas stripped. */
function spoken(prompt: Prompt): string {
  const text = prompt.front ?? prompt.question ?? prompt.text ?? '';
  return text.replace(/!\[[^\]]*\]\([^)]*\)/g, '').replace(/[*_#`>$]/g, '').replace(/\s+/g, ' ').trim();
}

// Rating buttons: the colours keep their text above 4.5:1 (WCAG 1.4.3).
const RATINGS = [
  { value: 1, key: 'again', color: 'red.9' },
  { value: 2, key: 'hard', color: 'orange.4', dark: true },
  { value: 3, key: 'good', color: 'teal.9' },
  { value: 4, key: 'easy', color: 'blue.9' },
] as const;

export function RevisionPage() {
  const { id = '' } = useParams();
  // A new session (going on to the next step) starts from a clean screen.
  return <RevisionScreen key={id} id={id} />;
}

function RevisionScreen({ id }: { id: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const touch = useMediaQuery('(pointer: coarse)') ?? false;
  const changed = useLearningChanged();
  const session = useRevisionSession(id);
  const [shown, setShown] = useState(false);
  const [text, setText] = useState('');
  const [blanks, setBlanks] = useState<string[]>([]);
  const [selected, setSelected] = useState<number[]>([]);
  const [matches, setMatches] = useState<(number | null)[]>([]);
  const [order, setOrder] = useState<number[]>([]);
  // The card just answered, kept on screen with its correction until the student moves on.
  const [answered, setAnswered] = useState<{ prompt: Prompt; result: AnswerResult } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const shownAt = useRef(Date.now());
  const continueRef = useRef<HTMLButtonElement>(null);
  const current = session.data?.current ?? null;
  const cardKey = current ? `${current.item_id}:${current.variant}:${session.data?.position}` : '';
  useEffect(() => {
    shownAt.current = Date.now();
    setShown(false);
    setText('');
    setBlanks([]);
    setSelected([]);
    setMatches(current?.prompt.lefts?.map(() => null) ?? []);
    setOrder(current?.prompt.steps?.map((_, i) => i) ?? []);
    // Reset for each card shown; its prompt comes with its key.
  }, [cardKey]);
  useEffect(() => {
    if (answered) continueRef.current?.focus();
  }, [answered]);

  const onSessionChanged = (next: Session) => {
    queryClient.setQueryData(learningKeys.session(id), next);
    if (next.status === 'finished') {
      void changed.myLearning();
      void changed.myPath(next.path_id);
    }
  };
  const answer = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      api<AnswerResult>('POST', `/api/v1/revision-sessions/${id}/answers`, {
        item_id: current!.item_id,
        variant: current!.variant,
        duration_ms: Date.now() - shownAt.current,
        answer: body,
      }),
    onSuccess: (result) => {
      setError(null);
      if (!result.self_rated && !result.skipped && current) setAnswered({ prompt: current.prompt, result });
      onSessionChanged(result.session);
    },
    onError: (caught) => {
      setError(errorMessage(caught, t));
      void session.refetch();
    },
  });
  const finish = useMutation({
    mutationFn: () => api<Session>('POST', `/api/v1/revision-sessions/${id}/finish`),
    onSuccess: (result) => {
      setAnswered(null);
      onSessionChanged(result);
    },
    onError: (caught) => setError(errorMessage(caught, t)),
  });

  // Keyboard: Space shows the back of a flashcard, 1–4 rate it; Enter moves on after a correction.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (answered || !current || current.prompt.kind !== 'flashcard' || answer.isPending) return;
      const target = event.target as HTMLElement;
      if (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'BUTTON') {
        if (event.key === ' ') return;
      }
      if (event.key === ' ' && !shown) {
        event.preventDefault();
        setShown(true);
      } else if (shown && ['1', '2', '3', '4'].includes(event.key)) {
        answer.mutate({ rating: Number(event.key) });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [current, shown, answer, answered]);

  if (session.isLoading) return <LoadingState />;
  if (session.isError) return <ErrorState error={session.error} onRetry={() => session.refetch()} back={{ to: '/', label: t('learning.backHome') }} />;
  const data = session.data!;
  if (data.status === 'finished' && data.summary && !answered) return <SessionSummary session={data} />;
  const cards = data.cards ?? data.total;
  const cardsDone = data.cards_done ?? data.total - data.remaining;
  const onCard = Math.min(cards, cardsDone + 1);
  const prompt = answered ? answered.prompt : current?.prompt;

  return (
    <Stack className="revision" gap="sm" maw={720} mx="auto" w="100%">
      {/* Wraps on a phone: in one line the row was wider than a 390 px screen, which then scrolled sideways. */}
      <Group justify="flex-end" gap="xs">
        <Button component={Link} to={`/learning/my/${data.path_id}`} variant="subtle" size="compact-sm" mr="auto">{t('learning.leave')}</Button>
        <TutorButton pathId={data.path_id} stepId={data.step_id} sessionId={data.id} context={current && !answered ? spoken(current.prompt) : undefined} />
        {data.status === 'active' && (
          <ConfirmButton variant="subtle" size="compact-sm" title={t('learning.finishNowTitle')} message={t('learning.finishNowMessage')}
            confirmLabel={t('learning.finishNow')} onConfirm={() => finish.mutate()}>
            {t('learning.finishNow')}
          </ConfirmButton>
        )}
      </Group>
      <Group justify="space-between" wrap="nowrap">
        <Title order={1} size="h3">{data.mode === 'practice' ? t('learning.practiceTitle') : t('learning.reviewTitle')}</Title>
        <Text size="sm" c="dimmed">{t('learning.cardOf', { n: onCard, total: cards })}</Text>
      </Group>
      <Progress value={cards ? (100 * cardsDone) / cards : 0} aria-label={t('learning.cardsDoneLabel', { done: cardsDone, total: cards })} />
      {/* Announces each new card to screen readers: its number and its question. */}
      <div className="sr-only" aria-live="polite">
        {current && !answered ? t('learning.cardAnnounce', { n: onCard, total: cards, text: spoken(current.prompt) }) : ''}
      </div>
      {error && <Alert color="red" role="alert">{error}</Alert>}
      {!prompt ? (
        <Card withBorder>
          <Stack align="center">
            <Text fw={600}>{t('learning.sessionDone')}</Text>
            <Button onClick={() => finish.mutate()} loading={finish.isPending}>{t('learning.finish')}</Button>
          </Stack>
        </Card>
      ) : (
        <Card withBorder padding="lg" className="revision-card">
          <Stack justify="center" style={{ flex: 1 }}>
            {!answered && current && current.repeat > 0 && <Badge variant="outline" color="gray.7" style={{ alignSelf: 'center' }}>{t('learning.comesBack')}</Badge>}
            {answered ? (
              <Stack>
                <PromptText prompt={answered.prompt} />
                <Correction correct={!!answered.result.correct} kind={answered.prompt.kind} parts={answered.result.parts}
                  given={answered.result.correction?.given ?? []} expected={answered.result.correction?.expected ?? []} />
              </Stack>
            ) : prompt.kind === 'flashcard' ? (
              <>
                <Markdown text={prompt.front ?? ''} size="xl" center />
                {shown && <div style={{ borderTop: '1px solid var(--mantine-color-gray-4)', paddingTop: 12 }}><Markdown text={prompt.back ?? ''} size="lg" center /></div>}
              </>
            ) : prompt.kind === 'short_answer' ? (
              <form id="answer-form" onSubmit={(e) => { e.preventDefault(); answer.mutate({ text }); }}>
                <Stack>
                  <Markdown text={prompt.question ?? ''} size="xl" />
                  <TextInput label={t('learning.yourAnswer')} value={text} onChange={(e) => setText(e.currentTarget.value)} autoFocus={!touch} />
                </Stack>
              </form>
            ) : prompt.kind === 'numerical' ? (
              <form id="answer-form" onSubmit={(e) => { e.preventDefault(); answer.mutate({ text }); }}>
                <Stack>
                  <Markdown text={prompt.question ?? ''} size="xl" />
                  <TextInput label={t('learning.yourNumber')} inputMode="decimal" value={text} onChange={(e) => setText(e.currentTarget.value)} autoFocus={!touch}
                    description={(prompt.units ?? []).length > 0
                      ? t(prompt.unit_required ? 'learning.unitsRequiredHint' : 'learning.unitsOptionalHint', { units: (prompt.units ?? []).join(', ') })
                      : t('learning.numberHint')} />
                </Stack>
              </form>
            ) : prompt.kind === 'matching' ? (
              <form id="answer-form" onSubmit={(e) => { e.preventDefault(); answer.mutate({ matches }); }}>
                <Stack>
                  <Markdown text={prompt.question ?? ''} size="xl" />
                  {(prompt.lefts ?? []).map((left, i) => (
                    <Select key={i} label={left} placeholder={t('learning.pick')} searchable={false} clearable
                      data={(prompt.choices ?? []).map((choice, c) => ({ value: String(c), label: choice }))}
                      value={matches[i] === null || matches[i] === undefined ? null : String(matches[i])}
                      onChange={(v) => setMatches(matches.map((m, j) => (j === i ? (v === null ? null : Number(v)) : m)))} />
                  ))}
                </Stack>
              </form>
            ) : prompt.kind === 'ordering' ? (
              <form id="answer-form" onSubmit={(e) => { e.preventDefault(); answer.mutate({ order }); }}>
                <Stack gap="xs">
                  <Markdown text={prompt.question ?? ''} size="xl" />
                  <Text size="sm" c="dimmed">{t('learning.orderHint')}</Text>
                  <Stack gap={6} component="ol" aria-label={t('learning.yourOrder')} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
                    {order.map((shownAt, i) => {
                      const label = prompt.steps?.[shownAt] ?? '';
                      const move = (to: number) => {
                        const next = [...order];
                        [next[i], next[to]] = [next[to], next[i]];
                        setOrder(next);
                      };
                      return (
                        <Paper key={shownAt} component="li" withBorder p="xs">
                          <Group justify="space-between" wrap="nowrap" gap="xs">
                            <Group gap="xs" wrap="nowrap"><Text c="dimmed" size="sm">{i + 1}.</Text><Text>{label}</Text></Group>
                            <Group gap={4} wrap="nowrap">
                              <ActionIcon size="lg" variant="default" aria-label={t('learning.moveUpStep', { text: label })} disabled={i === 0} onClick={() => move(i - 1)}>↑</ActionIcon>
                              <ActionIcon size="lg" variant="default" aria-label={t('learning.moveDownStep', { text: label })} disabled={i === order.length - 1} onClick={() => move(i + 1)}>↓</ActionIcon>
                            </Group>
                          </Group>
                        </Paper>
                      );
                    })}
                  </Stack>
                </Stack>
              </form>
            ) : prompt.kind === 'cloze' ? (
              <form id="answer-form" onSubmit={(e) => { e.preventDefault(); answer.mutate({ answers: Array.from({ length: prompt.blanks ?? 1 }, (_, i) => blanks[i] ?? '') }); }}>
                <Stack>
                  <Markdown text={prompt.text ?? ''} size="lg" />
                  {Array.from({ length: prompt.blanks ?? 1 }, (_, i) => (
                    <TextInput key={i} label={t('learning.blank', { n: i + 1 })} value={blanks[i] ?? ''} autoFocus={i === 0 && !touch}
                      onChange={(e) => { const next = [...blanks]; next[i] = e.currentTarget.value; setBlanks(next); }} />
                  ))}
                </Stack>
              </form>
            ) : (
              <form id="answer-form" onSubmit={(e) => { e.preventDefault(); answer.mutate({ selected }); }}>
                <Stack>
                  <Markdown text={prompt.question ?? ''} size="xl" />
                  {prompt.multiple ? (
                    <Checkbox.Group label={t('learning.severalAnswers')} value={selected.map(String)} onChange={(v) => setSelected(v.map(Number))}>
                      <Stack gap="xs" mt="xs">
                        {(prompt.options ?? []).map((option, i) => <Checkbox key={i} value={String(i)} label={option} />)}
                      </Stack>
                    </Checkbox.Group>
                  ) : (
                    <Radio.Group label={t('learning.oneAnswer')} value={selected.length ? String(selected[0]) : null} onChange={(v) => setSelected([Number(v)])}>
                      <Stack gap="xs" mt="xs">
                        {(prompt.options ?? []).map((option, i) => <Radio key={i} value={String(i)} label={option} />)}
                      </Stack>
                    </Radio.Group>
                  )}
                </Stack>
              </form>
            )}
          </Stack>
        </Card>
      )}
      {/* The one action of the moment, at the bottom of the screen on a phone. */}
      {prompt && (
        <div className="revision-actions">
          {answered ? (
            // Its own key: were the element reused for "Check" below, the click that moves on would
            // also submit the next card's form, empty, once the button had become a submit button.
            <Button key="continue" ref={continueRef} fullWidth size="lg" onClick={() => setAnswered(null)}>
              {data.status === 'finished' ? t('learning.seeResults') : t('learning.continue')}
            </Button>
          ) : prompt.kind === 'flashcard' ? (
            shown ? (
              <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs">
                {RATINGS.map((r) => (
                  <Button key={r.value} color={r.color} c={'dark' in r ? 'black' : undefined} size="lg"
                    onClick={() => answer.mutate({ rating: r.value })} disabled={answer.isPending}>
                    {!touch && <Kbd mr={6} size="xs">{r.value}</Kbd>}{t(`learning.${r.key}`)}
                  </Button>
                ))}
              </SimpleGrid>
            ) : (
              <Button fullWidth size="lg" onClick={() => setShown(true)}>
                {t('learning.show')}{!touch && <Kbd ml={8} size="xs">{t('learning.space')}</Kbd>}
              </Button>
            )
          ) : (
            <Button key="check" type="submit" form="answer-form" fullWidth size="lg" loading={answer.isPending}>{t('learning.check')}</Button>
          )}
          {!touch && prompt.kind === 'flashcard' && !answered && (
            <Text size="xs" c="dimmed" ta="center" mt={4}>{shown ? t('learning.rateHint') : t('learning.showHint')}</Text>
          )}
        </div>
      )}
    </Stack>
  );
}
