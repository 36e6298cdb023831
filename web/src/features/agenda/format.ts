// Times and days of the agenda as the school's clock shows them, in the reader's language.
import i18n from 'i18next';

function locale(): string {
  return i18n.language?.startsWith('en') ? 'en-GB' : 'fr-FR';
}

/** 14:05 */
export function timeIn(ms: number, timeZone: string): string {
  return new Date(ms).toLocaleTimeString(locale(), { hour: '2-digit', minute: '2-digit', timeZone });
}

/** jeudi 3 décembre */
export function dayIn(ms: number, timeZone: string): string {
  return new Date(ms).toLocaleDateString(locale(), { weekday: 'long', day: 'numeric', month: 'long', timeZone });
}

/** jeu. 3 déc. */
export function shortDayIn(ms: number, timeZone: string): string {
  return new Date(ms).toLocaleDateString(locale(), { weekday: 'short', day: 'numeric', month: 'short', timeZone });
}

/** décembre 2026 */
export function monthIn(ms: number, timeZone: string): string {
  return new Date(ms).toLocaleDateString(locale(), { month: 'long', year: 'numeric', timeZone });
}

/** jeudi 3 décembre, 14:00–14:30 */
export function spanIn(starts: number, ends: number, timeZone: string): string {
  return `${dayIn(starts, timeZone)}, ${timeIn(starts, timeZone)}–${timeIn(ends, timeZone)}`;
}

/** jeu. */
export function weekdayIn(ms: number, timeZone: string): string {
  return new Date(ms).toLocaleDateString(locale(), { weekday: 'short', timeZone });
}
