// One conversation's messages as the thread shows them: the newest first loaded, older ones on
// demand, new ones as they arrive over /ws, and after a break in the connection everything since
// the last one seen (`after`), so nothing is missed and nothing shown twice.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, query } from '../../shared/api/client';
import { useRealtime, useRealtimeMessage } from '../../shared/realtime/realtime';
import type { Message } from './queries';

interface Page {
  items: Message[];
  has_more: boolean;
}

/** Merges messages by id, in their conversation's order. */
export function mergeMessages(current: Message[], incoming: Message[]): Message[] {
  const byId = new Map(current.map((m) => [m.id, m]));
  for (const m of incoming) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

export function useThread(conversationId: string) {
  const [messages, setMessages] = useState<Message[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [hasOlder, setHasOlder] = useState(false);
  const latest = useRef<Message[]>([]);
  latest.current = messages;
  const catchingUp = useRef(false);
  const { connection } = useRealtime();

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      const page = await api<Page>('GET', `/api/v1/conversations/${conversationId}/messages${query({ limit: 50 })}`);
      setMessages(page.items);
      setHasOlder(page.has_more);
    } catch (caught) {
      setError(caught);
    } finally {
      setLoading(false);
    }
  }, [conversationId]);

  useEffect(() => {
    setMessages([]);
    void load();
  }, [load]);

  const catchUp = useCallback(async () => {
    if (catchingUp.current) return;
    const last = latest.current[latest.current.length - 1];
    if (!last) return void load();
    catchingUp.current = true;
    try {
      let after = last.id;
      for (let round = 0; round < 20; round++) {
        const page = await api<Page>('GET', `/api/v1/conversations/${conversationId}/messages${query({ after, limit: 100 })}`);
        setMessages((current) => mergeMessages(current, page.items));
        if (!page.has_more || page.items.length === 0) break;
        after = page.items[page.items.length - 1].id;
      }
    } catch {
      // The next message or reconnection tries again.
    } finally {
      catchingUp.current = false;
    }
  }, [conversationId, load]);

  // Back online after a break: what was sent meanwhile.
  useEffect(() => {
    if (connection > 1) void catchUp();
  }, [connection, catchUp]);

  useRealtimeMessage<Message>('message.created', ({ data }) => {
    if (data.conversation_id !== conversationId) return;
    const last = latest.current[latest.current.length - 1];
    if (last && data.seq > last.seq + 1) void catchUp();
    setMessages((current) => mergeMessages(current, [data]));
  });
  const replace = ({ data }: { data: Message }) => {
    if (data.conversation_id === conversationId) setMessages((current) => mergeMessages(current, [data]));
  };
  useRealtimeMessage<Message>('message.updated', replace);
  useRealtimeMessage<Message>('message.deleted', replace);

  const loadOlder = useCallback(async () => {
    const first = latest.current[0];
    if (!first) return;
    const page = await api<Page>('GET', `/api/v1/conversations/${conversationId}/messages${query({ before: first.id, limit: 50 })}`);
    setMessages((current) => mergeMessages(current, page.items));
    setHasOlder(page.has_more);
  }, [conversationId]);

  /** Adds or replaces messages the user's own requests returned. */
  const put = useCallback((message: Message) => setMessages((current) => mergeMessages(current, [message])), []);

  return { messages, loading, error, hasOlder, loadOlder, reload: load, put };
}
