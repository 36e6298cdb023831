// Students: today's reviews, a path's steps, and the revision screen (space shows the answer,
// 1–4 rate it; every answer is saved at once, so a closed tab resumes where it was).
import { useEffect, useRef, useState } from 'react';
import { Alert, Badge, Button, Card, Checkbox, Group, Kbd, Progress, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Markdown } from '../../shared/markdown/Markdown';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ApiError, api, type Schemas } from '../../shared/api/client';
import { EmptyState, ErrorState, LoadingState, errorMessage } from '../../shared/ui/states';

type Home = Schemas['StudentHome'];
type StudentPath = Schemas['StudentPath'];
type Session = Schemas['RevisionSession'];
type AnswerResult = Schemas['AnswerResult'];

function Forecast({ days, label }: { days: { date: string; count: number }[]; label: string }) {
  const peak = Math.max(1, ...days.map((d) => d.count));
  return (
    <Group gap={2} align="flex-end" h={60} role="img" aria-label={label}>
      {days.map((d) => (
        <div key={d.date} title={`${d.date}: ${d.count}`} style={{ width: 7, height: `${(d.count / peak) * 100}%`, minHeight: 1, background: 'var(--mantine-color-indigo-6)' }} />
      ))}
    </Group>
  );
}

export function StudentHome() {
  const { t } = useTranslation();
  const home = useQuery({ queryKey: ['my-learning'], queryFn: () => api<Home>('GET', '/api/v1/me/learning') });
  if (home.isLoading) return <LoadingState />;
  if (home.isError) return <ErrorState error={home.error} onRetry={() => home.refetch()} />;
  const data = home.data!;
  const week = data.forecast.slice(0, 7).reduce((a, d) => a + d.count, 0);
  return (
    <Stack>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Card withBorder>
          <Text size="sm" c="dimmed">{t('learning.dueToday')}</Text>
          <Text fz={32} fw={700}>{data.due_today}</Text>
          <Text size="xs" c="dimmed">{t('learning.reviewedToday', { count: data.reviewed_today })}</Text>
        </Card>
        <Card withBorder>
          <Text size="sm" c="dimmed">{t('learning.streak')}</Text>
          <Text fz={32} fw={700}>{t('learning.days', { count: data.streak_days })}</Text>
        </Card>
        <Card withBorder>
          <Text size="sm" c="dimmed">{t('learning.next7Days', { count: week })}</Text>
          <Forecast days={data.forecast} label={t('learning.forecastLabel', { total: data.forecast.reduce((a, d) => a + d.count, 0) })} />
        </Card>
      </SimpleGrid>
      {data.subjects.length > 0 && (
        <Group gap="xs">
          {data.subjects.map((s) => (
            <Badge key={s.subject_id} variant="light" size="lg">{s.subject_name}: {s.due_today}</Badge>
          ))}
        </Group>
      )}
      <Title order={2} size="h4">{t('learning.myPaths')}</Title>
      {data.paths.length === 0 ? (
        <EmptyState title={t('learning.noAssignedPaths')} hint={t('learning.noAssignedPathsHint')} />
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          {data.paths.map((p) => (
            <Card key={p.id} withBorder component={Link} to={`/learning/my/${p.id}`} className="link-card">
              <Text fw={600}>{p.title}</Text>
              <Text size="sm" c="dimmed">{p.subject_name}</Text>
              <Group gap="xs" mt="xs">
                <Badge color={p.due_today > 0 ? 'indigo' : 'gray'}>{t('learning.dueCount', { count: p.due_today })}</Badge>
                <Badge variant="outline">{t('learning.newCount', { count: p.new_available })}</Badge>
              </Group>
              <Progress mt="sm" value={p.step_count ? (100 * p.steps_done) / p.step_count : 0} aria-label={t('learning.stepsProgress', { done: p.steps_done, total: p.step_count })} />
            </Card>
          ))}
        </SimpleGrid>
      )}
    </Stack>
  );
}

export function StudentPathPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [error, setError] = useState<ApiError | null>(null);
  const path = useQuery({ queryKey: ['my-path', id], queryFn: () => api<StudentPath>('GET', `/api/v1/me/learning-paths/${id}`) });
  const start = useMutation({
    mutationFn: ({ step, mode }: { step: string; mode: string }) => api<Session>('POST', '/api/v1/revision-sessions', { step_id: step, mode }),
    onSuccess: (session) => navigate(`/learning/sessions/${session.id}`),
    onError: (caught) => setError(caught instanceof ApiError ? caught : null),
  });
  const complete = useMutation({
    mutationFn: (step: string) => api('POST', `/api/v1/steps/${step}/complete`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['my-path', id] }),
  });
  if (path.isLoading) return <LoadingState />;
  if (path.isError) return <ErrorState error={path.error} onRetry={() => path.refetch()} />;
  const data = path.data!;
  return (
    <Stack>
      <Title order={1} size="h2">{data.title}</Title>
      <Text c="dimmed">{data.subject_name}{data.exam_date ? ` · ${t('learning.examOn', { date: data.exam_date })}` : ''}</Text>
      {error && (
        <Alert color={error.status === 409 ? 'blue' : 'red'} role="alert">
          {error.message}
        </Alert>
      )}
      {data.steps.map((step, index) => (
        <Card key={step.id} withBorder opacity={step.locked ? 0.7 : 1}>
          <Group justify="space-between" wrap="wrap">
            <Stack gap={2}>
              <Text fw={600}>{index + 1}. {step.title}</Text>
              <Group gap="xs">
                <Badge variant="light">{t(`learning.stepKinds.${step.kind}`)}</Badge>
                {step.locked && <Badge color="gray">{t('learning.locked')}</Badge>}
                {step.done && <Badge color="green">{t('learning.done')}</Badge>}
                {step.card_count != null && (
                  <Text size="sm" c="dimmed">{t('learning.cardsDueNew', { due: step.due ?? 0, fresh: step.new ?? 0 })}</Text>
                )}
              </Group>
            </Stack>
            {!step.locked && (step.kind === 'cards' || step.kind === 'quiz') && (
              <Group gap="xs">
                <Button onClick={() => start.mutate({ step: step.id, mode: 'review' })} loading={start.isPending}>
                  {step.active_session_id ? t('learning.resume') : t('learning.revise')}
                </Button>
                <Button variant="light" onClick={() => start.mutate({ step: step.id, mode: 'practice' })}>{t('learning.practice')}</Button>
              </Group>
            )}
            {!step.locked && (step.kind === 'lesson' || step.kind === 'tutor') && !step.done && (
              <Button variant="light" onClick={() => complete.mutate(step.id)} loading={complete.isPending}>{t('learning.markRead')}</Button>
            )}
          </Group>
          {!step.locked && (step.lessons ?? []).map((lesson, i) => (
            <div key={i} style={{ marginTop: 'var(--mantine-spacing-sm)' }}><Markdown text={lesson.markdown ?? ''} /></div>
          ))}
        </Card>
      ))}
    </Stack>
  );
}

function Summary({ session }: { session: Session }) {
  const { t, i18n } = useTranslation();
  const s = session.summary!;
  return (
    <Card withBorder>
      <Stack>
        <Title order={2} size="h3">{t('learning.summaryTitle')}</Title>
        <SimpleGrid cols={{ base: 2, sm: 4 }}>
          <div><Text size="sm" c="dimmed">{t('learning.score')}</Text><Text fz={28} fw={700}>{s.score} %</Text></div>
          <div><Text size="sm" c="dimmed">{t('learning.reviewed')}</Text><Text fz={28} fw={700}>{s.cards_reviewed}</Text></div>
          <div><Text size="sm" c="dimmed">{t('learning.learned')}</Text><Text fz={28} fw={700}>{s.cards_learned}</Text></div>
          <div><Text size="sm" c="dimmed">{t('learning.time')}</Text><Text fz={28} fw={700}>{Math.max(1, Math.round(s.time_spent_ms / 60000))} min</Text></div>
        </SimpleGrid>
        <Text>{t('learning.successRate', { rate: Math.round(s.success_rate * 100) })}</Text>
        {s.next_due_at && <Text>{t('learning.nextDue', { date: new Date(s.next_due_at).toLocaleDateString(i18n.language, { weekday: 'long', day: 'numeric', month: 'long' }) })}</Text>}
        {s.due_by_day.length > 0 && (
          <Stack gap={2} component="ul" aria-label={t('learning.dueByDay')}>
            {s.due_by_day.map((d) => <Text component="li" key={d.date} size="sm">{t('learning.dueOn', { date: d.date, count: d.count })}</Text>)}
          </Stack>
        )}
        {s.step_mastered && <Alert color="green">{t('learning.mastered')}</Alert>}
        {s.unlocked_steps.map((u) => <Alert key={u.id} color="blue">{t('learning.unlocked', { title: u.title })}</Alert>)}
        <Group>
          <Button component={Link} to={`/learning/my/${session.path_id}`}>{t('learning.backToPath')}</Button>
          <Button component={Link} to="/" variant="light">{t('learning.backHome')}</Button>
        </Group>
      </Stack>
    </Card>
  );
}

export function RevisionPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const queryClient = useQueryClient();
  const session = useQuery({ queryKey: ['session', id], queryFn: () => api<Session>('GET', `/api/v1/revision-sessions/${id}`) });
  const [shown, setShown] = useState(false);
  const [text, setText] = useState('');
  const [blanks, setBlanks] = useState<string[]>([]);
  const [selected, setSelected] = useState<number[]>([]);
  const [feedback, setFeedback] = useState<AnswerResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const shownAt = useRef(Date.now());
  const current = session.data?.current ?? null;
  const cardKey = current ? `${current.item_id}:${current.variant}:${session.data?.position}` : '';
  useEffect(() => {
    shownAt.current = Date.now();
    setShown(false);
    setText('');
    setBlanks([]);
    setSelected([]);
  }, [cardKey]);

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
      if (current!.prompt.kind !== 'flashcard') setFeedback(result);
      queryClient.setQueryData(['session', id], result.session);
    },
    onError: (caught) => {
      setError(errorMessage(caught, t));
      void session.refetch();
    },
  });
  const finish = useMutation({
    mutationFn: () => api<Session>('POST', `/api/v1/revision-sessions/${id}/finish`),
    onSuccess: (result) => {
      queryClient.setQueryData(['session', id], result);
      void queryClient.invalidateQueries({ queryKey: ['my-learning'] });
    },
  });

  // Keyboard: space shows the back of a flashcard, 1–4 rate it.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!current || current.prompt.kind !== 'flashcard' || answer.isPending) return;
      const target = event.target as HTMLElement;
      if (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA') return;
      if (event.key === ' ' && !shown) {
        event.preventDefault();
        setShown(true);
      } else if (shown && ['1', '2', '3', '4'].includes(event.key)) {
        answer.mutate({ rating: Number(event.key) });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [current, shown, answer]);

  if (session.isLoading) return <LoadingState />;
  if (session.isError) return <ErrorState error={session.error} onRetry={() => session.refetch()} />;
  const data = session.data!;
  if (data.status === 'finished' && data.summary) return <Summary session={data} />;
  const done = data.total - data.remaining;
  const prompt = current?.prompt;
  const ratings = [
    { value: 1, label: t('learning.again'), color: 'red' },
    { value: 2, label: t('learning.hard'), color: 'orange' },
    { value: 3, label: t('learning.good'), color: 'green' },
    { value: 4, label: t('learning.easy'), color: 'blue' },
  ];
  return (
    <Stack maw={720} mx="auto" w="100%">
      <Group justify="space-between">
        <Title order={1} size="h3">{data.mode === 'practice' ? t('learning.practiceTitle') : t('learning.reviewTitle')}</Title>
        <Text size="sm" c="dimmed" aria-live="polite">{t('learning.cardOf', { done, total: data.total })}</Text>
      </Group>
      <Progress value={data.total ? (100 * done) / data.total : 0} aria-hidden />
      {error && <Alert color="red" role="alert">{error}</Alert>}
      {feedback && (
        <Alert color={feedback.correct ? 'green' : 'red'} role="status" withCloseButton onClose={() => setFeedback(null)}>
          {feedback.correct ? t('learning.right') : t('learning.wrong', { answer: JSON.stringify(feedback.solution).replace(/[{}"[\]]/g, ' ') })}
        </Alert>
      )}
      {!current || !prompt ? (
        <Card withBorder>
          <Stack align="center">
            <Text fw={600}>{t('learning.sessionDone')}</Text>
            <Button onClick={() => finish.mutate()} loading={finish.isPending}>{t('learning.finish')}</Button>
          </Stack>
        </Card>
      ) : (
        <Card withBorder padding="xl">
          <Stack>
            {prompt.kind === 'flashcard' && (
              <>
                <Markdown text={prompt.front ?? ''} size="xl" center />
                {shown ? (
                  <>
                    <div style={{ borderTop: '1px solid var(--mantine-color-gray-3)', paddingTop: 12 }}><Markdown text={prompt.back ?? ''} size="lg" center /></div>
                    <SimpleGrid cols={{ base: 2, sm: 4 }}>
                      {ratings.map((r) => (
                        <Button key={r.value} color={r.color} onClick={() => answer.mutate({ rating: r.value })} disabled={answer.isPending}>
                          <Kbd mr={6}>{r.value}</Kbd> {r.label}
                        </Button>
                      ))}
                    </SimpleGrid>
                  </>
                ) : (
                  <Button onClick={() => setShown(true)} size="md">
                    {t('learning.show')} <Kbd ml={6}>{t('learning.space')}</Kbd>
                  </Button>
                )}
              </>
            )}
            {prompt.kind === 'short_answer' && (
              <form onSubmit={(e) => { e.preventDefault(); answer.mutate({ text }); }}>
                <Stack>
                  <Markdown text={prompt.question ?? ''} size="xl" />
                  <TextInput label={t('learning.yourAnswer')} value={text} onChange={(e) => setText(e.currentTarget.value)} autoFocus />
                  <Button type="submit" loading={answer.isPending}>{t('learning.check')}</Button>
                </Stack>
              </form>
            )}
            {prompt.kind === 'cloze' && (
              <form onSubmit={(e) => { e.preventDefault(); answer.mutate({ answers: Array.from({ length: prompt.blanks ?? 1 }, (_, i) => blanks[i] ?? '') }); }}>
                <Stack>
                  <Markdown text={prompt.text ?? ''} size="lg" />
                  {Array.from({ length: prompt.blanks ?? 1 }, (_, i) => (
                    <TextInput key={i} label={t('learning.blank', { n: i + 1 })} value={blanks[i] ?? ''} autoFocus={i === 0}
                      onChange={(e) => { const next = [...blanks]; next[i] = e.currentTarget.value; setBlanks(next); }} />
                  ))}
                  <Button type="submit" loading={answer.isPending}>{t('learning.check')}</Button>
                </Stack>
              </form>
            )}
            {prompt.kind === 'choice' && (
              <form onSubmit={(e) => { e.preventDefault(); answer.mutate({ selected }); }}>
                <Stack>
                  <Markdown text={prompt.question ?? ''} size="xl" />
                  {prompt.multiple && <Text size="sm" c="dimmed">{t('learning.severalAnswers')}</Text>}
                  {(prompt.options ?? []).map((option, i) => (
                    <Checkbox key={i} label={option} checked={selected.includes(i)}
                      onChange={(e) => {
                        const on = e.currentTarget.checked;
                        setSelected(prompt.multiple ? (on ? [...selected, i] : selected.filter((x) => x !== i)) : on ? [i] : []);
                      }} />
                  ))}
                  <Button type="submit" loading={answer.isPending}>{t('learning.check')}</Button>
                </Stack>
              </form>
            )}
          </Stack>
        </Card>
      )}
      <Group justify="space-between">
        <Button component={Link} to={`/learning/my/${data.path_id}`} variant="subtle">{t('learning.leave')}</Button>
        {current && <Button variant="subtle" onClick={() => finish.mutate()}>{t('learning.finishNow')}</Button>}
      </Group>
    </Stack>
  );
}
