// Dates as each language writes them: "06/03/2026" and "vendredi 6 mars" in French, "06/03/2026"
// and "Friday 6 March" in English (British usage: day first). Dates the API gives as YYYY-MM-DD are
// calendar days of the school: they are read at noon UTC so no time zone moves them to the day
// before.
import i18n from 'i18next';

function toDate(value: string | number | Date): Date {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(`${value}T12:00:00Z`);
  return new Date(value);
}

function locale(): string {
  return i18n.language?.startsWith('en') ? 'en-GB' : 'fr-FR';
}

const dayOnly = (value: string | number | Date) => typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);

/** 06/03/2026 */
export function formatDate(value: string | number | Date): string {
  return toDate(value).toLocaleDateString(locale(), { day: '2-digit', month: '2-digit', year: 'numeric', ...(dayOnly(value) ? { timeZone: 'UTC' } : {}) });
}

/** vendredi 6 mars */
export function formatDayLong(value: string | number | Date): string {
  return toDate(value).toLocaleDateString(locale(), { weekday: 'long', day: 'numeric', month: 'long', ...(dayOnly(value) ? { timeZone: 'UTC' } : {}) });
}

/** 6 mars, for chart axes */
export function formatDayShort(value: string | number | Date): string {
  return toDate(value).toLocaleDateString(locale(), { day: 'numeric', month: 'short', ...(dayOnly(value) ? { timeZone: 'UTC' } : {}) });
}

/** 06/03/2026 14:05:09 UTC+1: the reader's clock, its zone named, the same in every log */
export function formatDateTime(value: string | number | Date): string {
  return toDate(value).toLocaleString(locale(), { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'short' });
}

/** A message's time as chats show it: 14:05 today, "hier 14:05", "6 mars 14:05" this year, else with the year. */
export function formatMessageTime(value: number, now: number = Date.now()): string {
  const at = new Date(value);
  const today = new Date(now);
  const time = at.toLocaleTimeString(locale(), { hour: '2-digit', minute: '2-digit' });
  const sameDay = (a: Date, b: Date) => a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
  if (sameDay(at, today)) return time;
  const yesterday = new Date(today);
  yesterday.setDate(today.getDate() - 1);
  if (sameDay(at, yesterday)) return `${i18n.t('common.yesterday')} ${time}`;
  const day = at.toLocaleDateString(locale(), { day: 'numeric', month: 'short', ...(at.getFullYear() === today.getFullYear() ? {} : { year: 'numeric' }) });
  return `${day} ${time}`;
}
