import { describe, expect, it } from 'vitest';
import { parseDecimal } from './numbers';

describe('parseDecimal', () => {
  it('reads a dot or a decimal comma', () => {
    expect(parseDecimal('3.14')).toBe(3.14);
    expect(parseDecimal(' 3,14 ')).toBe(3.14);
    expect(parseDecimal('-0,5')).toBe(-0.5);
    expect(parseDecimal('\u22124')).toBe(-4);
  });
  it('reads spaces between groups of digits and exponents', () => {
    expect(parseDecimal('299 792 458')).toBe(299792458);
    expect(parseDecimal('1\u202f500')).toBe(1500);
    expect(parseDecimal('3e8')).toBe(3e8);
  });
  it('says when the text is not a number', () => {
    expect(parseDecimal('')).toBeNaN();
    expect(parseDecimal('pi')).toBeNaN();
    expect(parseDecimal('3,1,4')).toBeNaN();
    expect(parseDecimal('12 cm')).toBeNaN();
  });
});
