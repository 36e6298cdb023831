// The one way the web app talks to the server: same-origin fetch with the session cookie,
// the CSRF token on state changes, and RFC 9457 problems turned into ApiError.
import i18n from 'i18next';
import type { components } from './schema';

export type Schemas = components['schemas'];
export type User = Schemas['User'];
export type School = Schemas['School'];
export type Me = Schemas['Me'];
export type Role = Schemas['Role'];

export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly fields: FieldError[];
  readonly code: string;
  constructor(status: number, message: string, code: string, fields: FieldError[]) {
    super(message);
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
  /** The server's message for one field, if it named it. */
  fieldMessage(field: string): string | undefined {
    return this.fields.find((f) => f.field === field)?.message;
  }
}

let csrfToken = '';
export function setCsrfToken(token: string | undefined) {
  csrfToken = token ?? '';
}

/** `body` is sent as JSON, or as it is when `contentType` names another type (a CSV file, a picture). */
export async function api<T>(
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
  extraHeaders: Record<string, string> = {},
): Promise<T> {
  // The server writes its messages in the language the screen shows.
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': i18n.language || 'fr', ...extraHeaders };
  if (body !== undefined) headers['Content-Type'] = contentType;
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : contentType === 'application/json' ? JSON.stringify(body) : (body as BodyInit),
    });
  } catch {
    // Offline, or the server is unreachable: said in words wherever the message is shown.
    throw new ApiError(0, i18n.t('errors.network'), 'network', []);
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const data = text ? JSON.parse(text) : undefined;
  if (!response.ok) throw problemError(response, data);
  return data as T;
}

function problemError(response: Response, data: unknown): ApiError {
  const problem = (data ?? {}) as Partial<Schemas['Problem']>;
  return new ApiError(response.status, problem.detail ?? response.statusText, problem.code ?? String(response.status), problem.errors ?? []);
}

export interface ServerEvent {
  event: string;
  data: string;
}

/**
 * Splits a server-sent event stream into events as its bytes arrive: `feed` takes the next piece
 * of text and returns the events it completed (a piece may end mid-event).
 */
export function eventStreamParser() {
  let buffer = '';
  return {
    feed(piece: string): ServerEvent[] {
      buffer += piece.replace(/\r\n?/g, '\n');
      const events: ServerEvent[] = [];
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let event = 'message';
        const data: string[] = [];
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'event') event = value;
          else if (field === 'data') data.push(value);
        }
        if (data.length) events.push({ event, data: data.join('\n') });
        end = buffer.indexOf('\n\n');
      }
      return events;
    },
  };
}

/**
 * A POST whose answer streams as server-sent events (the tutor's reply): each event goes to
 * `onEvent` as it arrives. Errors before the stream are problems, thrown as ApiError.
 */
export async function apiEventStream(path: string, body: unknown, onEvent: (event: ServerEvent) => void, signal?: AbortSignal): Promise<void> {
  const headers: Record<string, string> = {
    Accept: 'text/event-stream',
    'Accept-Language': i18n.language || 'fr',
    'Content-Type': 'application/json',
  };
  if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, { method: 'POST', headers, credentials: 'same-origin', body: JSON.stringify(body), signal });
  } catch (caught) {
    if (signal?.aborted) throw caught;
    throw new ApiError(0, i18n.t('errors.network'), 'network', []);
  }
  if (!response.ok || !response.body) {
    const text = await response.text();
    let data: unknown;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      data = undefined;
    }
    throw problemError(response, data);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const parser = eventStreamParser();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      for (const event of parser.feed(value)) onEvent(event);
    }
  } catch (caught) {
    if (signal?.aborted) throw caught;
    // The connection broke mid-stream.
    throw new ApiError(0, i18n.t('errors.network'), 'network', []);
  }
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
