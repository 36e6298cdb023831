import { describe, expect, it } from 'vitest';
import { eventStreamParser } from './client';
import en from '../i18n/en.json';
import fr from '../i18n/fr.json';

describe('eventStreamParser', () => {
  it('completes events across pieces cut anywhere', () => {
    const parser = eventStreamParser();
    expect(parser.feed('event: tok')).toEqual([]);
    expect(parser.feed('en\ndata: {"text":"Je "}\n')).toEqual([]);
    expect(parser.feed('\nevent: token\ndata: {"text":"cite"}\n\nevent: reply\r\ndata: {"a":1}\r\n\r\n')).toEqual([
      { event: 'token', data: '{"text":"Je "}' },
      { event: 'token', data: '{"text":"cite"}' },
      { event: 'reply', data: '{"a":1}' },
    ]);
  });
  it('joins data lines and skips comments', () => {
    const parser = eventStreamParser();
    expect(parser.feed(': keep-alive\n\ndata: a\ndata: b\n\n')).toEqual([{ event: 'message', data: 'a\nb' }]);
  });
});

// Every key on screen exists in both languages.
function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => keys(inner, prefix ? `${prefix}.${key}` : key));
}

describe('translations', () => {
  it('French and English hold the same keys', () => {
    const french = new Set(keys(fr));
    const english = new Set(keys(en));
    expect([...english].filter((k) => !french.has(k))).toEqual([]);
    expect([...french].filter((k) => !english.has(k))).toEqual([]);
  });
});
