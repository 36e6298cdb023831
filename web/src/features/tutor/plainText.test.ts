import { describe, expect, it } from 'vitest';
import { plainText } from './plainText';

describe('plainText', () => {
  it('reads a quoted table as its rows', () => {
    expect(plainText('« | base | prétérit | | --- | --- | | go | ▢▢▢ | | see | ▢▢▢ | » [1]'))
      .toBe('« base — prétérit ; go — ▢▢▢ ; see — ▢▢▢ » [1]');
  });
  it('keeps the words of bold and code', () => {
    expect(plainText('« Au prétérit, ces verbes ne prennent pas **-ed** : `went`. » [1]'))
      .toBe('« Au prétérit, ces verbes ne prennent pas -ed : went. » [1]');
  });
  it('leaves plain sentences and their line breaks alone', () => {
    const text = 'Je cite le cours :\n\n« Le centre du pays est un désert. » [1]';
    expect(plainText(text)).toBe(text);
  });
});
