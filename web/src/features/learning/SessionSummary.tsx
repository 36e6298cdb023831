// The end of a session: what went well, in figures each defined in words, when the cards come
// back, and the one next thing to do (go on with what is still due, or go back).
import { Alert, Button, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { type Schemas } from '../../shared/api/client';
import { formatDayLong } from '../../shared/format/dates';
import { useStartSession } from './useStartSession';
import { ReadAgain } from '../tutor/ReadAgain';
import { useMyLearning } from './queries';

type Session = Schemas['RevisionSession'];

function Figure({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div>
      <Text size="sm" c="dimmed">{label}</Text>
      <Text fz={28} fw={700} lh={1.2}>{value}</Text>
      {hint && <Text size="xs" c="dimmed">{hint}</Text>}
    </div>
  );
}

export function SessionSummary({ session }: { session: Session }) {
  const { t } = useTranslation();
  const s = session.summary!;
  const home = useMyLearning();
  const start = useStartSession();
  const next = home.data?.next_step ?? null;
  const minutes = Math.max(1, Math.round(s.time_spent_ms / 60000));
  return (
    <Card withBorder maw={720} mx="auto" w="100%">
      <Stack>
        <Title order={1} size="h2">{t('learning.summaryTitle')}</Title>
        <SimpleGrid cols={{ base: 2, sm: 3 }}>
          <Figure label={t('learning.firstTime')} value={`${s.cards_right_first_time ?? 0} / ${s.cards_reviewed}`}
            hint={t('learning.firstTimeHint', { score: s.score })} />
          <Figure label={t('learning.learned')} value={String(s.cards_learned)} hint={t('learning.learnedHint')} />
          <Figure label={t('learning.time')} value={t('learning.minutes', { count: minutes })} />
        </SimpleGrid>
        {s.answers > s.cards_reviewed && (
          <Text size="sm">{t('learning.answersLine', { count: s.answers, right: s.correct })}</Text>
        )}
        {s.next_due_at && <Text>{t('learning.nextDue', { date: formatDayLong(s.next_due_at) })}</Text>}
        {s.due_by_day.length > 0 && (
          <Stack gap={2} component="ul" aria-label={t('learning.dueByDay')} style={{ margin: 0, paddingLeft: 20 }}>
            {s.due_by_day.map((d) => <Text component="li" key={d.date} size="sm">{t('learning.dueOn', { date: formatDayLong(d.date), count: d.count })}</Text>)}
          </Stack>
        )}
        {s.step_mastered && <Alert color="green" variant="light" role="note">{t('learning.mastered')}</Alert>}
        {s.unlocked_steps.map((u) => <Alert key={u.id} color="blue" variant="light" role="note">{t('learning.unlocked', { title: u.title })}</Alert>)}
        <ReadAgain sessionId={session.id} />
        {start.error && <Alert color="red" role="alert">{start.error}</Alert>}
        <Group>
          {next && (next.kind === 'lesson' || next.kind === 'tutor') ? (
            <Button size="md" component={Link} to={`/learning/my/${next.path_id}`}>{t('learning.goOn', { title: next.step_title })}</Button>
          ) : next ? (
            <Button size="md" onClick={() => start.mutate(next.step_id)} loading={start.isPending}>
              {t('learning.goOn', { title: next.step_title })}
            </Button>
          ) : (
            <Button size="md" component={Link} to="/">{t('learning.backHome')}</Button>
          )}
          <Button variant="default" component={Link} to={`/learning/my/${session.path_id}`}>{t('learning.backToPath')}</Button>
        </Group>
      </Stack>
    </Card>
  );
}
