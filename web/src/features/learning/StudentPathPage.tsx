// A student's view of one path: its steps in order, locked or open, with what is due in each, the
// lessons to read (marked as read after their text) and a way to revise or practise each step.
import { Alert, Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { api } from '../../shared/api/client';
import { formatDayLong } from '../../shared/format/dates';
import { Markdown } from '../../shared/markdown/Markdown';
import { ErrorState, SkeletonState } from '../../shared/ui/states';
import { useStartSession } from './useStartSession';
import { TutorButton } from '../tutor/TutorPanel';
import { useLearningChanged, useMyPath } from './queries';


export function StudentPathPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const changed = useLearningChanged();
  const path = useMyPath(id);
  const start = useStartSession();
  const complete = useMutation({
    mutationFn: (step: string) => api('POST', `/api/v1/steps/${step}/complete`),
    onSuccess: () => {
      void changed.myPath(id);
      void changed.myLearning();
    },
  });
  if (path.isLoading) return <SkeletonState rows={3} height={96} />;
  if (path.isError) return <ErrorState error={path.error} onRetry={() => path.refetch()} back={{ to: '/', label: t('learning.backHome') }} />;
  const data = path.data!;
  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Title order={1} size="h2">{data.title}</Title>
          <Text c="dimmed">{data.subject_name}{data.exam_date ? ` · ${t('learning.examOn', { date: formatDayLong(data.exam_date) })}` : ''}</Text>
        </Stack>
        <TutorButton pathId={id} />
      </Group>
      {start.error && <Alert color="blue" variant="light" role="alert">{start.error}</Alert>}
      {data.steps.map((step, index) => {
        const revisable = step.kind === 'cards' || step.kind === 'quiz';
        const readable = step.kind === 'lesson' || step.kind === 'tutor';
        return (
          <Card key={step.id} withBorder bg={step.locked ? 'gray.0' : undefined}>
            <Group justify="space-between" wrap="wrap" align="flex-start">
              <Stack gap={4}>
                <Title order={2} size="h4">{index + 1}. {step.title}</Title>
                <Group gap="xs">
                  <Text size="sm" c="dimmed">{t(`learning.stepKinds.${step.kind}`)}</Text>
                  {step.locked && <Badge variant="outline" color="gray.7">{t('learning.locked')}</Badge>}
                  {step.done && <Badge variant="light" color="green">{t('learning.done')}</Badge>}
                  {revisable && !step.locked && (
                    <Text size="sm">{t('learning.cardsDue', { count: step.due ?? 0 })} · {t('learning.cardsNew', { count: step.new ?? 0 })}</Text>
                  )}
                </Group>
              </Stack>
              {!step.locked && revisable && (
                <Group gap="xs">
                  <Button onClick={() => start.mutate(step.id)} loading={start.isPending}>
                    {step.active_session_id ? t('learning.resume') : t('learning.revise')}
                  </Button>
                  <Button variant="default" onClick={() => start.mutate(step.id, 'practice')}>{t('learning.practice')}</Button>
                </Group>
              )}
            </Group>
            {step.locked && <Text size="sm" c="dimmed" mt="xs">{t('learning.lockedHint')}</Text>}
            {!step.locked && (step.lessons ?? []).map((lesson, i) => (
              <div key={i} style={{ marginTop: 'var(--mantine-spacing-md)' }}><Markdown text={lesson.markdown ?? ''} /></div>
            ))}
            {/* Read first, then marked as read: the button comes after the lesson's text. */}
            {!step.locked && readable && (
              <Group mt="md"><TutorButton pathId={id} stepId={step.id} label={t('tutor.askAboutLesson')} /></Group>
            )}
            {!step.locked && readable && !step.done && (
              <Button mt="md" variant="light" onClick={() => complete.mutate(step.id)} loading={complete.isPending}>{t('learning.markRead')}</Button>
            )}
          </Card>
        );
      })}
    </Stack>
  );
}
