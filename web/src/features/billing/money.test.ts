import { describe, expect, it } from 'vitest';
import { formatMoney } from './queries';

describe('formatMoney', () => {
  it('writes cents as the reader writes money', () => {
    expect(formatMoney(14900, 'EUR', 'fr').replace(/\s/g, ' ')).toBe('149,00 €');
    expect(formatMoney(14900, 'EUR', 'en')).toBe('€149.00');
    expect(formatMoney(5, 'EUR', 'en')).toBe('€0.05');
  });
});
