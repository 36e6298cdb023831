import { describe, expect, it } from 'vitest';
import { importRequest, itemSummary } from './items';

const item = (content: Record<string, unknown>) => ({ content }) as Parameters<typeof itemSummary>[0];

describe('itemSummary', () => {
  it('shows the front, the question, the text or the lesson', () => {
    expect(itemSummary(item({ front: 'chat', back: 'cat' }))).toBe('chat');
    expect(itemSummary(item({ question: 'Capitale ?', accepted: ['Paris'] }))).toBe('Capitale ?');
    expect(itemSummary(item({ markdown: '## Les fractions\nUn texte' }))).toBe('Les fractions\nUn texte');
  });
  it('reads a cloze gap as its answer, in bold', () => {
    expect(itemSummary(item({ text: 'Paris est la {{c1::capitale::ville ?}} de la {{c2::France}}' })))
      .toBe('Paris est la **capitale** de la **France**');
  });
  it('shows pictures and sounds as symbols, not addresses', () => {
    expect(itemSummary(item({ front: 'Écoute ![audio](/api/v1/learning-media/1) et ![chat](/api/v1/learning-media/2)' })))
      .toBe('Écoute 🔊 et 🖼');
  });
  it('cuts a long text at 90 characters', () => {
    const summary = itemSummary(item({ front: 'a'.repeat(200) }));
    expect(summary).toBe(`${'a'.repeat(90)}…`);
  });
  it('is empty for content it cannot name', () => {
    expect(itemSummary(item({ pairs: [] }))).toBe('');
  });
});

describe('importRequest', () => {
  it('sends Anki packages as zip, GIFT as text and anything else as CSV', () => {
    expect(importRequest({ name: 'Deck.APKG' })).toEqual({ format: 'apkg', type: 'application/zip' });
    expect(importRequest({ name: 'collection.colpkg' })).toEqual({ format: 'apkg', type: 'application/zip' });
    expect(importRequest({ name: 'quiz.gift' })).toEqual({ format: 'gift', type: 'text/plain' });
    expect(importRequest({ name: 'moodle-export.txt' })).toEqual({ format: 'gift', type: 'text/plain' });
    expect(importRequest({ name: 'cartes.csv' })).toEqual({ format: 'csv', type: 'text/csv' });
  });
});
