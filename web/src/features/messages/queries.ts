// The messages feature's reads and writes: the conversation list, one conversation, contacts,
// the school's rules and reports; the live updates that keep them current (useMessagesSync).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, query, type Schemas } from '../../shared/api/client';
import { useRealtime, useRealtimeMessage } from '../../shared/realtime/realtime';
import { useEffect } from 'react';

export type Message = Schemas['Message'];
export type Conversation = Schemas['Conversation'];
export type ConversationDetail = Schemas['ConversationDetail'];
export type Person = Schemas['Person'];
export type MessageReport = Schemas['MessageReport'];
export type CommunicationSettings = Schemas['CommunicationSettings'];

export const chatKeys = {
  all: ['conversations'] as const,
  list: ['conversations', 'list'] as const,
  detail: (id: string) => ['conversations', 'detail', id] as const,
  contacts: (q: string) => ['contacts', q] as const,
  search: (q: string) => ['conversations', 'search', q] as const,
  reports: (status: string) => ['message-reports', status] as const,
  settings: (school: string) => ['communication-settings', school] as const,
};

export function useConversationList(enabled = true) {
  return useQuery({
    queryKey: chatKeys.list,
    queryFn: () => api<{ items: Conversation[] }>('GET', '/api/v1/conversations'),
    enabled,
    // A safety net under the live updates: a message another process could not push (its
    // Redis down) shows within a minute.
    refetchInterval: 60_000,
  });
}

export function useConversation(id: string | undefined) {
  return useQuery({
    queryKey: chatKeys.detail(id ?? ''),
    queryFn: () => api<ConversationDetail>('GET', `/api/v1/conversations/${id}`),
    enabled: !!id,
  });
}

export function useContacts(q: string, enabled: boolean) {
  return useQuery({
    queryKey: chatKeys.contacts(q),
    queryFn: () => api<{ items: Person[] }>('GET', `/api/v1/contacts${query({ q })}`),
    enabled,
  });
}

export function useMessageSearch(q: string) {
  return useQuery({
    queryKey: chatKeys.search(q),
    queryFn: () => api<{ items: Message[] }>('GET', `/api/v1/messages/search${query({ q })}`),
    enabled: q.trim().length >= 2,
  });
}

export function useStartConversation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { participant_ids: string[]; title?: string }) =>
      api<ConversationDetail>('POST', '/api/v1/conversations', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: chatKeys.list }),
  });
}

export function useReportMessage() {
  return useMutation({
    mutationFn: ({ conversationId, messageId, reason }: { conversationId: string; messageId: string; reason: string }) =>
      api('POST', `/api/v1/conversations/${conversationId}/messages/${messageId}/report`, { reason }),
  });
}

export function useMessageReports(status: 'open' | 'all') {
  return useQuery({
    queryKey: chatKeys.reports(status),
    queryFn: () => api<{ items: MessageReport[] }>('GET', `/api/v1/message-reports${query({ status })}`),
  });
}

export function useResolveReport() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api('POST', `/api/v1/message-reports/${id}/resolve`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['message-reports'] }),
  });
}

export function useCommunicationSettings(school: string) {
  return useQuery({
    queryKey: chatKeys.settings(school),
    queryFn: () => api<CommunicationSettings>('GET', `/api/v1/schools/${school}/communication`),
  });
}

export function useSaveCommunicationSettings(school: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (change: Partial<Pick<CommunicationSettings, 'students_may_message_students' | 'blocked_words'>>) =>
      api<CommunicationSettings>('PUT', `/api/v1/schools/${school}/communication`, change),
    onSuccess: (saved) => queryClient.setQueryData(chatKeys.settings(school), saved),
  });
}

/** Unread messages in all of one's conversations (the menu's badge). */
export function useUnreadTotal(enabled: boolean): number {
  const list = useConversationList(enabled);
  return (list.data?.items ?? []).reduce((sum, c) => sum + c.unread, 0);
}

/**
 * Keeps the conversation list and its unread counts current while signed in: a message arrives
 * or is read elsewhere, or the socket comes back after a break (what was missed is read again).
 */
export function useMessagesSync(enabled: boolean) {
  const queryClient = useQueryClient();
  const { connection } = useRealtime();
  const refresh = () => {
    if (enabled) void queryClient.invalidateQueries({ queryKey: chatKeys.list });
  };
  useRealtimeMessage('message.created', refresh);
  useRealtimeMessage('message.deleted', refresh);
  useRealtimeMessage('conversation.read', refresh);
  // Someone came online or left: their dot changes wherever they are shown.
  useRealtimeMessage<{ user_id: string; online: boolean }>('presence.changed', ({ data }) => {
    const mark = <T extends { members: Person[] }>(c: T): T =>
      c.members.some((m) => m.id === data.user_id)
        ? { ...c, members: c.members.map((m) => (m.id === data.user_id ? { ...m, online: data.online } : m)) }
        : c;
    queryClient.setQueryData<{ items: Conversation[] }>(chatKeys.list, (old) => old && { items: old.items.map(mark) });
    queryClient.setQueriesData<ConversationDetail>({ queryKey: ['conversations', 'detail'] }, (old) => old && mark(old));
  });
  useEffect(() => {
    if (enabled && connection > 1) void queryClient.invalidateQueries({ queryKey: chatKeys.all });
  }, [connection, enabled, queryClient]);
}

/** How a conversation is named to one of its members. */
export function conversationTitle(c: Pick<Conversation, 'kind' | 'title' | 'members'>, myId: string | undefined): string {
  if (c.title) return c.title;
  const others = c.members.filter((m) => m.id !== myId).map((m) => m.display_name);
  return others.join(', ');
}
