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
export async function api<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
  // The server writes its messages in the language the screen shows.
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': i18n.language || 'fr' };
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
  if (!response.ok) {
    const problem = (data ?? {}) as Partial<Schemas['Problem']>;
    throw new ApiError(
      response.status,
      problem.detail ?? response.statusText,
      problem.code ?? String(response.status),
      problem.errors ?? [],
    );
  }
  return data as T;
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
