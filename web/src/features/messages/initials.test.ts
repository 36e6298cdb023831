import { describe, expect, it } from 'vitest';

import { initials } from './initials';

describe('initials', () => {
  it('takes the first letter of the first two words', () => {
    expect(initials('Sam Durand')).toBe('SD');
    expect(initials('4e A')).toBe('4A');
  });
  it('skips words without a letter or digit', () => {
    expect(initials('Anglais : le prétérit (exemple)')).toBe('AL');
    expect(initials('« Élodie » Martin')).toBe('ÉM');
  });
  it('gives what there is for short names', () => {
    expect(initials('Camille')).toBe('C');
    expect(initials('  ')).toBe('');
  });
});
