import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';

// The real-time channel (`/ws`): one WebSocket per tab while someone is signed in, JSON envelopes
// {type, id, data} both ways, reconnection with growing delays. Features subscribe by type.

export interface Envelope<T = unknown> {
  type: string;
  id: string | number | null;
  data: T;
}
type Listener = (message: Envelope) => void;
export type RealtimeStatus = 'connecting' | 'open' | 'closed';

interface RealtimeState {
  status: RealtimeStatus;
  /** Bumped at each new connection: what was missed while closed is to be caught up on. */
  connection: number;
  subscribe: (type: string, listener: Listener) => () => void;
  /** Sends an envelope when the socket is open; false otherwise (the REST API covers everything). */
  send: (type: string, data: unknown) => boolean;
}

const RealtimeContext = createContext<RealtimeState | null>(null);

// Close codes after which reconnecting is pointless (the session is over).
const SESSION_ENDED = 4401;

function socketUrl(): string {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${window.location.host}/ws`;
}

export function RealtimeProvider({ enabled, children }: { enabled: boolean; children: React.ReactNode }) {
  const listeners = useRef(new Map<string, Set<Listener>>());
  const [status, setStatus] = useState<RealtimeStatus>('closed');
  const [connection, setConnection] = useState(0);
  const socketRef = useRef<WebSocket | null>(null);

  useEffect(() => {
    if (!enabled || typeof WebSocket === 'undefined') return;
    let socket: WebSocket | null = null;
    let retry: number | undefined;
    let heartbeat: number | undefined;
    let attempts = 0;
    let stopped = false;

    const dispatch = (message: Envelope) => {
      listeners.current.get(message.type)?.forEach((listener) => listener(message));
    };
    const connect = () => {
      setStatus('connecting');
      socket = new WebSocket(socketUrl());
      socketRef.current = socket;
      socket.onopen = () => {
        attempts = 0;
        setStatus('open');
        setConnection((n) => n + 1);
      };
      socket.onmessage = (event) => {
        if (typeof event.data !== 'string') return;
        try {
          const message = JSON.parse(event.data) as Envelope;
          if (message.type === 'welcome') {
            const seconds = (message.data as { heartbeat_seconds?: number }).heartbeat_seconds ?? 30;
            window.clearInterval(heartbeat);
            // Proxies close connections that look idle; the server also pings at the protocol level.
            heartbeat = window.setInterval(() => socket?.send(JSON.stringify({ type: 'ping' })), seconds * 1000);
          }
          dispatch(message);
        } catch {
          // Not ours to handle: the server sends JSON only.
        }
      };
      socket.onclose = (event) => {
        window.clearInterval(heartbeat);
        setStatus('closed');
        if (stopped || event.code === SESSION_ENDED) return;
        // 1 s, 2 s, 4 s ... up to 30 s, with jitter so a restarted server is not stampeded.
        const delay = Math.min(30_000, 1000 * 2 ** attempts) * (0.5 + Math.random() / 2);
        attempts += 1;
        retry = window.setTimeout(connect, delay);
      };
    };
    connect();
    return () => {
      stopped = true;
      window.clearTimeout(retry);
      window.clearInterval(heartbeat);
      socket?.close(1000);
    };
  }, [enabled]);

  const subscribe = useCallback((type: string, listener: Listener) => {
    const set = listeners.current.get(type) ?? new Set<Listener>();
    set.add(listener);
    listeners.current.set(type, set);
    return () => {
      set.delete(listener);
    };
  }, []);
  const send = useCallback((type: string, data: unknown) => {
    const socket = socketRef.current;
    if (!socket || socket.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify({ type, id: null, data }));
    return true;
  }, []);
  const value = useMemo<RealtimeState>(() => ({ status, connection, subscribe, send }), [status, connection, subscribe, send]);
  return <RealtimeContext.Provider value={value}>{children}</RealtimeContext.Provider>;
}

export function useRealtime(): RealtimeState {
  const context = useContext(RealtimeContext);
  if (!context) throw new Error('useRealtime outside RealtimeProvider');
  return context;
}

// Calls `listener` for every message of `type` while the component is mounted.
export function useRealtimeMessage<T>(type: string, listener: (message: Envelope<T>) => void) {
  const { subscribe } = useRealtime();
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => subscribe(type, (message) => latest.current(message as Envelope<T>)), [subscribe, type]);
}
