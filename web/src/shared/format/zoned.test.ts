import { describe, expect, it } from 'vitest';
import { addDays, addMonths, dayOf, startOfWeek, weekdayOf, zonedParts, zonedToUtc } from './zoned';

describe('zoned calendar arithmetic', () => {
  it('reads an instant as the school clock shows it, whatever the browser zone', () => {
    // 2026-12-02T23:30Z is already Thursday 3 December at 00:30 in Paris.
    const p = zonedParts(Date.UTC(2026, 11, 2, 23, 30), 'Europe/Paris');
    expect([p.year, p.month, p.day, p.hour, p.minute, p.weekday]).toEqual([2026, 12, 3, 0, 30, 3]);
  });

  it('turns a local time into the instant, on both sides of a daylight saving change', () => {
    expect(zonedToUtc(2026, 12, 3, 14, 0, 'Europe/Paris')).toBe(Date.UTC(2026, 11, 3, 13, 0));
    expect(zonedToUtc(2026, 7, 3, 14, 0, 'Europe/Paris')).toBe(Date.UTC(2026, 6, 3, 12, 0));
    // 29 March 2026: clocks go from 02:00 to 03:00; 09:00 that day is 07:00Z.
    expect(zonedToUtc(2026, 3, 29, 9, 0, 'Europe/Paris')).toBe(Date.UTC(2026, 2, 29, 7, 0));
    expect(zonedToUtc(2026, 12, 3, 14, 0, 'America/New_York')).toBe(Date.UTC(2026, 11, 3, 19, 0));
  });

  it('counts days, weeks and months on the calendar', () => {
    const day = dayOf(Date.UTC(2026, 11, 2, 12), 'Europe/Paris');
    expect(weekdayOf(day)).toBe(2); // a Wednesday
    expect(startOfWeek(day)).toEqual({ year: 2026, month: 11, day: 30 });
    expect(addDays({ year: 2026, month: 12, day: 31 }, 1)).toEqual({ year: 2027, month: 1, day: 1 });
    expect(addMonths({ year: 2026, month: 12, day: 15 }, 1)).toEqual({ year: 2027, month: 1, day: 1 });
  });
});
