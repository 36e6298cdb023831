// Messages: one's conversations with their unread counts beside the open thread (one or the
// other on a phone); a new conversation with the people one may write to; search.
import { useEffect, useMemo, useRef, useState } from 'react';
import {
  ActionIcon, Avatar, Badge, Box, Button, Checkbox, Group, Indicator, Menu, Modal, Paper, ScrollArea, Stack, Text, TextInput, Textarea,
  Title, Tooltip, UnstyledButton,
} from '@mantine/core';
import { useDebouncedValue, useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, ApiError } from '../../shared/api/client';
import { formatMessageTime } from '../../shared/format/dates';
import { useRealtime, useRealtimeMessage } from '../../shared/realtime/realtime';
import { EmptyState, ErrorState, errorMessage, SkeletonState } from '../../shared/ui/states';
import { useAuth } from '../auth/auth';
import { ACCEPTED_FILES, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, MessageFiles, PaperclipIcon, PendingFiles, type Attachment } from './Attachments';
import { ChatText } from './ChatText';
import {
  chatKeys, conversationTitle, useContacts, useConversation, useConversationList, useMessageSearch, useReportMessage,
  useStartConversation, type Conversation, type Message,
} from './queries';
import { initials } from './initials';
import { useThread } from './useThread';

const EDIT_WINDOW_MS = 15 * 60 * 1000;

export function MessagesPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const phone = useMediaQuery('(max-width: 48em)');
  const [composing, setComposing] = useState(false);
  const list = (
    <ConversationColumn selected={id} onNew={() => setComposing(true)} />
  );
  return (
    <Stack gap="md">
      <Title order={1} size="h2">{t('chat.title')}</Title>
      {phone ? (
        id ? <Thread key={id} id={id} /> : list
      ) : (
        <Group align="stretch" gap="md" wrap="nowrap">
          <Box w={320} style={{ flexShrink: 0 }}>{list}</Box>
          <Box style={{ flex: 1, minWidth: 0 }}>
            {id ? <Thread key={id} id={id} /> : <EmptyState title={t('chat.pick')} hint={t('chat.pickHint')} />}
          </Box>
        </Group>
      )}
      <NewConversation opened={composing} onClose={() => setComposing(false)} />
    </Stack>
  );
}

function ConversationColumn({ selected, onNew }: { selected?: string; onNew: () => void }) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const conversations = useConversationList();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search, 300);
  const found = useMessageSearch(q);
  const titles = new Map((conversations.data?.items ?? []).map((c) => [c.id, conversationTitle(c, me?.user.id)]));
  return (
    <Stack gap="sm">
      <Button onClick={onNew}>{t('chat.new')}</Button>
      <TextInput label={t('chat.search')} placeholder={t('chat.searchPlaceholder')} value={search}
        onChange={(e) => setSearch(e.currentTarget.value)} type="search" />
      {q.trim().length >= 2 ? (
        <Stack gap={4} aria-live="polite">
          {found.isLoading && <SkeletonState rows={2} height={48} />}
          {found.data && found.data.items.length === 0 && <Text size="sm" c="dimmed">{t('chat.noResults')}</Text>}
          {found.data?.items.map((m) => (
            <UnstyledButton key={m.id} component={Link} to={`/messages/${m.conversation_id}`} className="conversation-row" onClick={() => setSearch('')}>
              <Text size="xs" c="dimmed">{titles.get(m.conversation_id) ?? ''} · {m.author_name} · {formatMessageTime(m.created_at)}</Text>
              <Text size="sm" lineClamp={2}>{m.text}</Text>
            </UnstyledButton>
          ))}
        </Stack>
      ) : conversations.isLoading ? (
        <SkeletonState rows={4} height={56} />
      ) : conversations.error ? (
        <ErrorState error={conversations.error} onRetry={() => void conversations.refetch()} />
      ) : conversations.data!.items.length === 0 ? (
        <EmptyState title={t('chat.none')} hint={t('chat.noneHint')} />
      ) : (
        <nav aria-label={t('chat.list')}>
          <Stack gap={4} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {conversations.data!.items.map((c) => (
              <li key={c.id}>
                <ConversationRow conversation={c} selected={c.id === selected} myId={me?.user.id} />
              </li>
            ))}
          </Stack>
        </nav>
      )}
    </Stack>
  );
}

function ConversationRow({ conversation: c, selected, myId }: { conversation: Conversation; selected: boolean; myId?: string }) {
  const { t } = useTranslation();
  const title = conversationTitle(c, myId);
  const last = c.last_message;
  const preview = last
    ? last.deleted_at ? t('chat.deleted') : last.text || (last.attachments?.length ? t('chat.fileSent') : '')
    : t('chat.noMessagesYet');
  // A direct conversation shows whether the other person is here now.
  const other = c.kind === 'direct' ? c.members.find((m) => m.id !== myId) : undefined;
  return (
    <UnstyledButton component={Link} to={`/messages/${c.id}`} className="conversation-row" data-selected={selected || undefined}
      aria-current={selected ? 'page' : undefined}>
      <Group gap="sm" wrap="nowrap">
        <Indicator disabled={!other?.online} color="green.7" size={11} offset={5} position="bottom-end" withBorder>
          <Avatar color={c.kind === 'class' ? 'teal' : c.kind === 'path' ? 'grape' : 'indigo'} radius="xl" aria-hidden>{initials(title)}</Avatar>
        </Indicator>
        <Box style={{ flex: 1, minWidth: 0 }}>
          <Group justify="space-between" gap={4} wrap="nowrap">
            <Text fw={c.unread > 0 ? 700 : 500} size="sm" truncate>
              {title}
              {other?.online && <span className="visually-hidden"> ({t('chat.online')})</span>}
            </Text>
            {last && <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>{formatMessageTime(last.created_at)}</Text>}
          </Group>
          <Group justify="space-between" gap={4} wrap="nowrap">
            <Text size="xs" c="dimmed" truncate>
              {last && c.kind !== 'direct' && last.author_id !== myId ? `${last.author_name} : ` : ''}
              {last && last.author_id === myId ? `${t('chat.you')} : ` : ''}
              {preview}
            </Text>
            {c.unread > 0 && (
              <Badge color="indigo" variant="filled" size="sm" aria-label={t('chat.unread', { count: c.unread })}>{c.unread}</Badge>
            )}
          </Group>
        </Box>
      </Group>
    </UnstyledButton>
  );
}

function Thread({ id }: { id: string }) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const myId = me?.user.id;
  const queryClient = useQueryClient();
  const phone = useMediaQuery('(max-width: 48em)');
  // Keyboard hints are for keyboards.
  const touch = useMediaQuery('(pointer: coarse)') ?? false;
  const detail = useConversation(id);
  const thread = useThread(id);
  const { send: sendSocket } = useRealtime();
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const [sendQueued, setSendQueued] = useState(false);
  const [pending, setPending] = useState<Attachment[]>([]);
  const [uploading, setUploading] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const [sendError, setSendError] = useState<string | null>(null);
  const [typing, setTyping] = useState<Record<string, { name: string; until: number }>>({});
  const [editing, setEditing] = useState<Message | null>(null);
  const [reporting, setReporting] = useState<Message | null>(null);
  const pendingKey = useRef<{ text: string; key: string } | null>(null);
  const lastTypingSent = useRef(0);
  const readSent = useRef(0);
  const bottom = useRef<HTMLDivElement>(null);

  // Someone typing: shown for a few seconds after their last key.
  useRealtimeMessage<{ conversation_id: string; user_id: string; display_name: string }>('typing', ({ data }) => {
    if (data.conversation_id !== id) return;
    setTyping((current) => ({ ...current, [data.user_id]: { name: data.display_name, until: Date.now() + 5000 } }));
  });
  useEffect(() => {
    const timer = window.setInterval(() => {
      setTyping((current) => {
        const kept = Object.fromEntries(Object.entries(current).filter(([, v]) => v.until > Date.now()));
        return Object.keys(kept).length === Object.keys(current).length ? current : kept;
      });
    }, 1000);
    return () => window.clearInterval(timer);
  }, []);
  // A message arriving from someone clears their "is typing".
  useEffect(() => {
    const last = thread.messages[thread.messages.length - 1];
    if (last) setTyping((current) => (current[last.author_id] ? Object.fromEntries(Object.entries(current).filter(([k]) => k !== last.author_id)) : current));
  }, [thread.messages]);
  useRealtimeMessage<{ conversation_id: string }>('conversation.read', ({ data }) => {
    if (data.conversation_id === id) void queryClient.invalidateQueries({ queryKey: chatKeys.detail(id) });
  });

  // Read up to the last message shown, once it is shown.
  const last = thread.messages[thread.messages.length - 1];
  useEffect(() => {
    if (!last || last.seq <= readSent.current) return;
    const mine = detail.data?.members.find((m) => m.id === myId)?.last_read_seq ?? 0;
    readSent.current = last.seq;
    if (last.seq <= mine) return;
    void api('POST', `/api/v1/conversations/${id}/read`, { message_id: last.id })
      .then(() => queryClient.invalidateQueries({ queryKey: chatKeys.list }))
      .catch(() => { readSent.current = 0; });
  }, [last, id, myId, detail.data, queryClient]);

  useEffect(() => {
    // Block-bodied: Chromium's scrollIntoView returns a promise an effect must not return.
    bottom.current?.scrollIntoView({ block: 'end' });
  }, [last?.id]);

  const onType = (value: string) => {
    setText(value);
    setSendError(null);
    const now = Date.now();
    if (value.trim() && now - lastTypingSent.current > 3000) {
      lastTypingSent.current = now;
      sendSocket('typing', { conversation_id: id });
    }
  };

  const upload = async (chosen: FileList | null) => {
    if (!chosen) return;
    setSendError(null);
    for (const file of Array.from(chosen)) {
      if (pending.length >= MAX_ATTACHMENTS) {
        setSendError(t('chat.tooManyFiles', { count: MAX_ATTACHMENTS }));
        break;
      }
      if (file.size > MAX_ATTACHMENT_BYTES) {
        setSendError(t('chat.fileTooBig', { name: file.name }));
        continue;
      }
      setUploading(true);
      try {
        const made = await api<Attachment>('POST', `/api/v1/conversations/${id}/attachments?name=${encodeURIComponent(file.name)}`,
          file, 'application/octet-stream');
        setPending((list) => [...list, made]);
      } catch (caught) {
        setSendError(errorMessage(caught, t));
      } finally {
        setUploading(false);
      }
    }
  };

  const send = async () => {
    const body = text.trim();
    if (!body && pending.length === 0) return;
    // Enter pressed again while the previous message is on its way: sent as soon as it is through.
    if (sending) {
      setSendQueued(true);
      return;
    }
    const fileIds = pending.map((f) => f.id);
    const signature = `${body}\u0000${fileIds.join(',')}`;
    // The same message sent again after a failure keeps its key: the server makes one message of it.
    if (!pendingKey.current || pendingKey.current.text !== signature) pendingKey.current = { text: signature, key: crypto.randomUUID() };
    setSending(true);
    setSendError(null);
    try {
      const message = await api<Message>('POST', `/api/v1/conversations/${id}/messages`, { text: body, attachment_ids: fileIds }, 'application/json', {
        'Idempotency-Key': pendingKey.current.key,
      });
      pendingKey.current = null;
      lastTypingSent.current = 0;  // the next words are a new message: say so at once
      thread.put(message);
      // Only what was sent leaves the box: words typed meanwhile stay for the next message.
      setText((current) => (current.trim() === body ? '' : current));
      setPending((files) => files.filter((f) => !fileIds.includes(f.id)));
      void queryClient.invalidateQueries({ queryKey: chatKeys.list });
    } catch (caught) {
      setSendError(errorMessage(caught, t));
    } finally {
      setSending(false);
    }
  };

  useEffect(() => {
    if (sending || !sendQueued) return;
    setSendQueued(false);
    void send();
  });

  const title = detail.data ? conversationTitle(detail.data, myId) : '';
  // Read marks come for conversations of up to 100 people (a path's channel may hold a school).
  const allMembersShown = detail.data ? detail.data.members.length >= detail.data.member_count : false;
  const readBy = (m: Message) =>
    allMembersShown
      ? (detail.data?.members ?? []).filter((member) => member.id !== myId && member.last_read_seq >= m.seq).length
      : 0;
  const typingNames = Object.values(typing).map((v) => v.name);
  const lastOwn = [...thread.messages].reverse().find((m) => m.author_id === myId);

  if (detail.error) return <ErrorState error={detail.error} back={{ to: '/messages', label: t('chat.back') }} />;
  return (
    <Paper withBorder radius="md" p={0} component="section" aria-label={title || t('chat.thread')}>
      <Group justify="space-between" p="sm" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }} wrap="nowrap">
        <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
          {phone && (
            <ActionIcon component={Link} to="/messages" variant="subtle" size="lg" aria-label={t('chat.back')}>
              <span aria-hidden>←</span>
            </ActionIcon>
          )}
          <Box style={{ minWidth: 0 }}>
            <Title order={2} size="h4" lineClamp={1}>{title}</Title>
            <Group gap={6}>
              {detail.data?.kind !== 'direct' && detail.data && (
                <Text size="xs" c="dimmed">{t('chat.members', { count: detail.data.member_count })}</Text>
              )}
              {detail.data?.kind === 'direct' && (
                <Text size="xs" c={detail.data.members.some((m) => m.id !== myId && m.online) ? 'teal.9' : 'dimmed'}>
                  {detail.data.members.some((m) => m.id !== myId && m.online) ? t('chat.online') : t('chat.offline')}
                </Text>
              )}
              {detail.data?.subject_name && <Badge variant="light" color="grape" size="sm">{detail.data.subject_name}</Badge>}
              {detail.data?.path_title && detail.data.kind !== 'path' && <Badge variant="light" color="teal" size="sm">{detail.data.path_title}</Badge>}
            </Group>
          </Box>
        </Group>
      </Group>
      <ScrollArea h={phone ? 'calc(100dvh - 300px)' : 'calc(100dvh - 320px)'} type="auto" offsetScrollbars>
        <Stack gap="xs" p="sm" role="log" aria-live="polite" aria-label={t('chat.thread')}>
          {thread.hasOlder && (
            <Button variant="subtle" size="xs" onClick={() => void thread.loadOlder()} style={{ alignSelf: 'center' }}>
              {t('chat.older')}
            </Button>
          )}
          {thread.loading && <SkeletonState rows={3} height={40} />}
          {!!thread.error && <ErrorState error={thread.error} onRetry={() => void thread.reload()} />}
          {!thread.loading && !thread.error && thread.messages.length === 0 && (
            <EmptyState title={t('chat.empty')} hint={t('chat.emptyHint')} />
          )}
          {thread.messages.map((m) => (
            <MessageBubble key={m.id} message={m} mine={m.author_id === myId} showAuthor={detail.data?.kind !== 'direct'}
              seen={m.id === lastOwn?.id && readBy(m) > 0 ? (detail.data?.kind === 'direct' ? t('chat.seen') : t('chat.seenBy', { count: readBy(m) })) : undefined}
              onEdit={() => setEditing(m)} onReport={() => setReporting(m)} onDeleted={thread.put} conversationId={id} />
          ))}
          <div ref={bottom} />
        </Stack>
      </ScrollArea>
      <Box p="sm" style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}>
        <Text size="xs" c="dimmed" h={18} aria-live="polite">
          {typingNames.length > 0 ? t('chat.typing', { names: typingNames.join(', '), count: typingNames.length }) : ''}
        </Text>
        <PendingFiles files={pending} onRemove={(fileId) => setPending((list) => list.filter((f) => f.id !== fileId))} />
        <form onSubmit={(e) => { e.preventDefault(); void send(); }}>
          <Group align="flex-end" gap="xs" wrap="nowrap">
            <input ref={fileInput} type="file" multiple accept={ACCEPTED_FILES} hidden aria-hidden tabIndex={-1}
              onChange={(e) => { void upload(e.currentTarget.files); e.currentTarget.value = ''; }} />
            <Tooltip label={t('chat.attach')}>
              <ActionIcon variant="default" size={36} mb={sendError ? 22 : 0} onClick={() => fileInput.current?.click()}
                loading={uploading} aria-label={t('chat.attach')}>
                <PaperclipIcon />
              </ActionIcon>
            </Tooltip>
            <Textarea style={{ flex: 1 }} label={t('chat.compose')} labelProps={{ className: 'visually-hidden' }} placeholder={t('chat.composePlaceholder')}
              autosize minRows={1} maxRows={6} value={text} maxLength={4000} onChange={(e) => onType(e.currentTarget.value)}
              error={sendError} description={touch ? undefined : t('chat.composeHint')}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
                  e.preventDefault();
                  void send();
                }
              }} />
            <Button type="submit" loading={sending} disabled={(!text.trim() && pending.length === 0) || uploading} mb={sendError ? 22 : 0}>{t('chat.send')}</Button>
          </Group>
        </form>
      </Box>
      <EditMessage message={editing} conversationId={id} onClose={() => setEditing(null)} onSaved={thread.put} />
      <ReportMessage message={reporting} onClose={() => setReporting(null)} />
    </Paper>
  );
}

function MessageBubble({
  message: m, mine, showAuthor, seen, onEdit, onReport, onDeleted, conversationId,
}: {
  message: Message; mine: boolean; showAuthor: boolean; seen?: string; conversationId: string;
  onEdit: () => void; onReport: () => void; onDeleted: (m: Message) => void;
}) {
  const { t } = useTranslation();
  const changeable = mine && !m.deleted_at && Date.now() - m.created_at < EDIT_WINDOW_MS;
  const remove = async () => {
    try {
      onDeleted(await api<Message>('DELETE', `/api/v1/conversations/${conversationId}/messages/${m.id}`));
    } catch (caught) {
      notifications.show({ color: 'red', message: errorMessage(caught, t) });
    }
  };
  return (
    <Group justify={mine ? 'flex-end' : 'flex-start'} gap={4} wrap="nowrap" align="flex-start">
      <Box maw="80%">
        <Paper p="xs" radius="md" bg={mine ? 'indigo.0' : 'gray.0'} withBorder>
          {showAuthor && !mine && <Text size="xs" fw={700} c="indigo.9">{m.author_name}</Text>}
          {m.deleted_at ? (
            <Text size="sm" fs="italic" c="dimmed">{t('chat.deleted')}</Text>
          ) : (
            <>
              {m.text && <ChatText text={m.text} />}
              <MessageFiles files={m.attachments ?? []} />
            </>
          )}
        </Paper>
        <Text size="xs" c="dimmed" ta={mine ? 'right' : 'left'}>
          {formatMessageTime(m.created_at)}
          {m.edited_at && !m.deleted_at ? ` · ${t('chat.edited')}` : ''}
          {seen ? ` · ${seen}` : ''}
        </Text>
      </Box>
      {!m.deleted_at && (changeable || !mine) && (
        <Menu position={mine ? 'bottom-end' : 'bottom-start'} withinPortal>
          <Menu.Target>
            <ActionIcon variant="subtle" color="gray" size="md" aria-label={t('chat.actions')}>⋯</ActionIcon>
          </Menu.Target>
          <Menu.Dropdown>
            {changeable && <Menu.Item onClick={onEdit}>{t('chat.edit')}</Menu.Item>}
            {changeable && <Menu.Item color="red" onClick={() => void remove()}>{t('chat.delete')}</Menu.Item>}
            {!mine && <Menu.Item onClick={onReport}>{t('chat.report')}</Menu.Item>}
          </Menu.Dropdown>
        </Menu>
      )}
    </Group>
  );
}

function EditMessage({ message, conversationId, onClose, onSaved }: {
  message: Message | null; conversationId: string; onClose: () => void; onSaved: (m: Message) => void;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    setText(message?.text ?? '');
    setError(null);
  }, [message]);
  const save = async () => {
    if (!message) return;
    setSaving(true);
    try {
      onSaved(await api<Message>('PATCH', `/api/v1/conversations/${conversationId}/messages/${message.id}`, { text }));
      onClose();
    } catch (caught) {
      setError(errorMessage(caught, t));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal opened={!!message} onClose={onClose} title={t('chat.editTitle')} closeButtonProps={{ 'aria-label': t('common.close') }}>
      <Stack>
        <Textarea label={t('chat.compose')} autosize minRows={2} value={text} onChange={(e) => setText(e.currentTarget.value)} error={error} maxLength={4000} data-autofocus />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
          <Button onClick={() => void save()} loading={saving}>{t('common.save')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function ReportMessage({ message, onClose }: { message: Message | null; onClose: () => void }) {
  const { t } = useTranslation();
  const report = useReportMessage();
  const [reason, setReason] = useState('');
  useEffect(() => {
    setReason('');
    report.reset();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [message]);
  return (
    <Modal opened={!!message} onClose={onClose} title={t('chat.reportTitle')} closeButtonProps={{ 'aria-label': t('common.close') }}>
      <Stack>
        <Text size="sm">{t('chat.reportHint')}</Text>
        {message && <Paper withBorder p="xs" bg="gray.0"><ChatText text={message.text} /></Paper>}
        <Textarea label={t('chat.reportReason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} autosize minRows={2}
          maxLength={1000} data-autofocus error={report.error instanceof ApiError ? report.error.fieldMessage('reason') ?? report.error.message : report.error ? errorMessage(report.error, t) : undefined} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
          <Button color="red" loading={report.isPending} onClick={() => message && report.mutate({ conversationId: message.conversation_id, messageId: message.id, reason }, {
            onSuccess: () => {
              notifications.show({ color: 'green', message: t('chat.reported') });
              onClose();
            },
          })}>{t('chat.reportSend')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function NewConversation({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search, 250);
  const contacts = useContacts(q.trim(), opened);
  const [chosen, setChosen] = useState<Map<string, string>>(new Map());
  const [title, setTitle] = useState('');
  const start = useStartConversation();
  useEffect(() => {
    if (!opened) {
      setSearch('');
      setChosen(new Map());
      setTitle('');
      start.reset();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened]);
  const toggle = (id: string, name: string) =>
    setChosen((current) => {
      const next = new Map(current);
      if (next.has(id)) next.delete(id);
      else next.set(id, name);
      return next;
    });
  const people = useMemo(() => contacts.data?.items ?? [], [contacts.data]);
  const submit = () =>
    start.mutate(
      { participant_ids: [...chosen.keys()], ...(chosen.size > 1 && title.trim() ? { title: title.trim() } : {}) },
      {
        onSuccess: (conversation) => {
          onClose();
          navigate(`/messages/${conversation.id}`);
        },
      },
    );
  return (
    <Modal opened={opened} onClose={onClose} title={t('chat.newTitle')} closeButtonProps={{ 'aria-label': t('common.close') }}>
      <Stack>
        <TextInput label={t('chat.findPerson')} placeholder={t('chat.findPersonPlaceholder')} value={search}
          onChange={(e) => setSearch(e.currentTarget.value)} data-autofocus type="search" />
        {contacts.isLoading ? (
          <SkeletonState rows={3} height={32} />
        ) : people.length === 0 ? (
          <Text size="sm" c="dimmed">{t('chat.noContacts')}</Text>
        ) : (
          <ScrollArea.Autosize mah={280} type="auto">
            <Stack gap={6} role="group" aria-label={t('chat.people')}>
              {people.map((p) => (
                <Checkbox key={p.id} label={p.display_name} checked={chosen.has(p.id)} onChange={() => toggle(p.id, p.display_name)} />
              ))}
            </Stack>
          </ScrollArea.Autosize>
        )}
        {chosen.size > 1 && (
          <TextInput label={t('chat.groupTitle')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} maxLength={100} />
        )}
        {start.error && <Text c="red.8" size="sm" role="alert">{errorMessage(start.error, t)}</Text>}
        <Group justify="space-between">
          <Text size="sm" c="dimmed">{[...chosen.values()].join(', ')}</Text>
          <Button onClick={submit} disabled={chosen.size === 0} loading={start.isPending}>{t('chat.start')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
