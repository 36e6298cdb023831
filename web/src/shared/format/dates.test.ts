import { describe, expect, it } from 'vitest';
import i18n from 'i18next';
import { formatDate, formatDayLong } from './dates';

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
});
