import { describe, expect, it } from 'vitest';
import i18n from 'i18next';
import { formatDate, formatDayLong, formatMessageTime } from './dates';

describe('dates', () => {
  it('keeps a school day on its day whatever the reader\'s time zone', () => {
    // Read at noon UTC: no zone between UTC-12 and UTC+11 moves 6 March to the 5th or the 7th.
    expect(formatDate('2026-03-06')).toBe('06/03/2026');
  });
  it('writes dates as each language does', async () => {
    await i18n.init({ lng: 'fr', resources: {} });
    expect(formatDayLong('2026-03-06')).toBe('vendredi 6 mars');
    await i18n.changeLanguage('en');
    expect(formatDayLong('2026-03-06')).toBe('Friday 6 March');
    expect(formatDate('2026-03-06')).toBe('06/03/2026');
  });
  it('shows a message\'s time shortly: the time today, the day before that', async () => {
    await i18n.init({ lng: 'fr', resources: { fr: { translation: { common: { yesterday: 'hier' } } } } });
    await i18n.changeLanguage('fr');
    const now = new Date(2026, 2, 6, 15, 0).getTime();
    expect(formatMessageTime(new Date(2026, 2, 6, 14, 5).getTime(), now)).toBe('14:05');
    expect(formatMessageTime(new Date(2026, 2, 5, 9, 30).getTime(), now)).toBe('hier 09:30');
    expect(formatMessageTime(new Date(2026, 1, 20, 8, 0).getTime(), now)).toBe('20 févr. 08:00');
    expect(formatMessageTime(new Date(2025, 11, 24, 18, 0).getTime(), now)).toBe('24 déc. 2025 18:00');
  });
});
