import { describe, expect, it } from 'vitest';
import { chatLines, chatSegments } from './chatText';

describe('chatSegments', () => {
  it('keeps plain text as it is, markup included', () => {
    expect(chatSegments('<img src=x onerror=alert(1)> 2 < 3')).toEqual([{ kind: 'text', text: '<img src=x onerror=alert(1)> 2 < 3' }]);
  });
  it('reads bold, italic and code', () => {
    expect(chatSegments('Le **prétérit** de *go* est `went`, _pas_ goed')).toEqual([
      { kind: 'text', text: 'Le ' },
      { kind: 'bold', text: 'prétérit' },
      { kind: 'text', text: ' de ' },
      { kind: 'italic', text: 'go' },
      { kind: 'text', text: ' est ' },
      { kind: 'code', text: 'went' },
      { kind: 'text', text: ', ' },
      { kind: 'italic', text: 'pas' },
      { kind: 'text', text: ' goed' },
    ]);
  });
  it('leaves a lone star or a multiplication alone', () => {
    expect(chatSegments('2*3*4 = 24 et 5 * 2')).toEqual([{ kind: 'text', text: '2*3*4 = 24 et 5 * 2' }]);
    expect(chatSegments('snake_case_name')).toEqual([{ kind: 'text', text: 'snake_case_name' }]);
  });
  it('links web addresses, not the punctuation after them, and nothing else', () => {
    expect(chatSegments('Voir https://fr.wikipedia.org/wiki/Canberra.')).toEqual([
      { kind: 'text', text: 'Voir ' },
      { kind: 'link', text: 'https://fr.wikipedia.org/wiki/Canberra', href: 'https://fr.wikipedia.org/wiki/Canberra' },
      { kind: 'text', text: '.' },
    ]);
    expect(chatSegments('javascript:alert(1)')).toEqual([{ kind: 'text', text: 'javascript:alert(1)' }]);
  });
  it('splits lines', () => {
    expect(chatLines('a\n**b**')).toEqual([[{ kind: 'text', text: 'a' }], [{ kind: 'bold', text: 'b' }]]);
  });
});
