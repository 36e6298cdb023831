// The student's tutor, beside a revision session or a lesson: a question goes out, the reply
// streams in as the server writes it, and the final reply (the one the teacher's policy checked
// whole) replaces the streamed text, with its citations as buttons that open the passage.
import { useEffect, useRef, useState } from 'react';
import { Alert, Badge, Box, Button, Drawer, Group, Loader, Paper, Stack, Text, Textarea } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, apiEventStream } from '../../shared/api/client';
import { EmptyState, ErrorState, LoadingState, errorMessage } from '../../shared/ui/states';
import { PassageDialog, TutorText } from './TutorText';
import { tutorKeys, useTutorStatus, type Citation, type TutorReply, type TutorStatus } from './queries';
import { planHas, useAuth } from '../auth/auth';

interface Exchange {
  question: string;
  streamed: string;
  reply: TutorReply | null;
  error: string | null;
}

interface Where {
  pathId: string;
  stepId?: string;
  sessionId?: string;
  /** The card or lesson on screen, for the "a hint for this card" shortcut. */
  context?: string;
}

/** The button that opens the tutor, and its drawer (kept mounted: closing it keeps the exchange). */
export function TutorButton({ label, ...where }: Where & { label?: string }) {
  const { t } = useTranslation();
  const phone = useMediaQuery('(max-width: 48em)') ?? false;
  const [open, setOpen] = useState(false);
  // The passage a citation opens; while it is open, Escape closes it and not the drawer too.
  const [opened, setOpened] = useState<Citation | null>(null);
  const { me } = useAuth();
  if (!planHas(me, 'ai_tutor')) return null;  // the school's plan has no tutor
  return (
    <>
      <Button variant="light" size="compact-sm" onClick={() => setOpen(true)} aria-haspopup="dialog">{label ?? t('tutor.ask')}</Button>
      <Drawer opened={open} onClose={() => setOpen(false)} title={t('tutor.panelTitle')} position={phone ? 'bottom' : 'right'}
        size={phone ? '88%' : 'md'} keepMounted closeOnEscape={!opened}>
        <TutorPanel {...where} onOpenCitation={setOpened} />
      </Drawer>
      <PassageDialog pathId={where.pathId} citation={opened} onClose={() => setOpened(null)} />
    </>
  );
}

export function TutorPanel({ pathId, stepId, sessionId, context, onOpenCitation }: Where & { onOpenCitation: (citation: Citation) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const status = useTutorStatus(pathId);
  const [text, setText] = useState('');
  const [exchanges, setExchanges] = useState<Exchange[]>([]);
  const [conversationId, setConversationId] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const endRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    endRef.current?.scrollIntoView?.({ block: 'end' });
  }, [exchanges]);

  const change = (index: number, update: (e: Exchange) => Exchange) =>
    setExchanges((all) => all.map((e, i) => (i === index ? update(e) : e)));

  const ask = async (question: string) => {
    const trimmed = question.trim();
    if (!trimmed || asking) return;
    const index = exchanges.length;
    setExchanges((all) => [...all, { question: trimmed, streamed: '', reply: null, error: null }]);
    setText('');
    setRefusal(null);
    setAsking(true);
    try {
      await apiEventStream('/api/v1/tutor/messages', {
        path_id: pathId,
        ...(stepId ? { step_id: stepId } : {}),
        ...(sessionId ? { session_id: sessionId } : {}),
        ...(conversationId ? { conversation_id: conversationId } : {}),
        text: trimmed,
      }, (event) => {
        const data = JSON.parse(event.data);
        if (event.event === 'token') change(index, (e) => ({ ...e, streamed: e.streamed + data.text }));
        else if (event.event === 'reply') {
          const reply = data as TutorReply;
          change(index, (e) => ({ ...e, reply }));
          setConversationId(reply.conversation_id);
          if (reply.questions_left_today !== undefined) {
            queryClient.setQueryData<TutorStatus>(tutorKeys.status(pathId), (old) => old && { ...old, questions_left_today: reply.questions_left_today! });
          }
        } else if (event.event === 'error') change(index, (e) => ({ ...e, error: data.detail }));
      });
    } catch (caught) {
      // A refused question (empty, too long, quota reached) asked nothing: it goes back in the box.
      if (caught instanceof ApiError && caught.status >= 400 && caught.status < 500) {
        setExchanges((all) => all.slice(0, index));
        setText(trimmed);
        setRefusal(caught.fieldMessage('text') ?? errorMessage(caught, t));
      } else {
        change(index, (e) => ({ ...e, error: errorMessage(caught, t) }));
      }
    } finally {
      setAsking(false);
    }
  };

  if (status.isLoading) return <LoadingState rows={2} />;
  if (status.isError) return <ErrorState error={status.error} onRetry={() => status.refetch()} />;
  const info = status.data!;
  if (info.ready_sources === 0) return <EmptyState title={t('tutor.noDocumentsYet')} hint={t('tutor.noDocumentsYetHint')} />;
  const left = info.questions_left_today;
  return (
    <Stack gap="sm" className="tutor-panel">
      <Group gap="xs" justify="space-between">
        <Badge variant="light" color="indigo">{t(`tutor.policies.${info.answer_policy}`)}</Badge>
        <Text size="xs" c={left > 0 ? 'dimmed' : 'red.9'}>{t('tutor.questionsLeft', { count: left })}</Text>
      </Group>
      {exchanges.length === 0 && <Text size="sm" c="dimmed">{t(`tutor.intro.${info.answer_policy}`)}</Text>}
      <Stack gap="sm" aria-live="polite" aria-busy={asking}>
        {exchanges.map((exchange, i) => (
          <Stack key={i} gap={6}>
            <Paper className="bubble bubble-mine" p="xs" radius="md" withBorder>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}><span className="sr-only">{t('tutor.you')} </span>{exchange.question}</Text>
            </Paper>
            <Paper className="bubble" p="xs" radius="md" withBorder>
              <Stack gap={6}>
                {exchange.reply ? (
                  <>
                    <ReplyLabels reply={exchange.reply} />
                    <TutorText text={exchange.reply.text} citations={exchange.reply.citations} onOpen={onOpenCitation} />
                  </>
                ) : exchange.error ? (
                  <Alert color="red" role="alert" p="xs">
                    <Group gap="xs" justify="space-between">
                      <Text size="sm">{exchange.error}</Text>
                      <Button size="compact-xs" variant="light" color="red" onClick={() => {
                        setExchanges((all) => all.filter((_, j) => j !== i));
                        void ask(exchange.question);
                      }}>{t('common.retry')}</Button>
                    </Group>
                  </Alert>
                ) : (
                  <Group gap={6} align="flex-start" wrap="nowrap">
                    <Loader size="xs" aria-label={t('tutor.thinking')} />
                    <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{exchange.streamed}</Text>
                  </Group>
                )}
              </Stack>
            </Paper>
          </Stack>
        ))}
        <div ref={endRef} />
      </Stack>
      <form onSubmit={(e) => { e.preventDefault(); void ask(text); }}>
        <Stack gap={6}>
          {context && exchanges.length === 0 && (
            <Button variant="default" size="compact-sm" style={{ alignSelf: 'flex-start' }} disabled={asking || left === 0}
              onClick={() => void ask(t('tutor.hintFor', { text: context }))}>
              {t('tutor.hintForThisCard')}
            </Button>
          )}
          <Textarea label={t('tutor.yourQuestion')} value={text} onChange={(e) => setText(e.currentTarget.value)} error={refusal}
            autosize minRows={2} maxRows={6} maxLength={2000} disabled={left === 0}
            description={left === 0 ? t('tutor.restsUntilTomorrow') : t('tutor.enterToSend')}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
                e.preventDefault();
                void ask(text);
              }
            }} />
          <Button type="submit" loading={asking} disabled={!text.trim() || left === 0}>{t('tutor.send')}</Button>
        </Stack>
      </form>
    </Stack>
  );
}

function ReplyLabels({ reply }: { reply: TutorReply }) {
  const { t } = useTranslation();
  return (
    <Box>
      <Group gap={4}>
        {reply.refusal === 'answer' && <Badge size="sm" color="orange" variant="light">{t('tutor.hintBadge')}</Badge>}
        {reply.provider === 'builtin' && reply.refusal !== 'off_topic' && (
          <Badge size="sm" color="gray.8" variant="outline">{t('tutor.quotingTheCourse')}</Badge>
        )}
        {reply.fallback && <Badge size="sm" color="yellow" variant="light">{t('tutor.fallback')}</Badge>}
      </Group>
    </Box>
  );
}
