// An avatar's letters: the first letter (or digit) of each of the first two words that have one,
// so that "Anglais : le prétérit" gives "AL", not "A:".
export function initials(name: string): string {
  const letters: string[] = [];
  for (const word of name.split(/\s+/)) {
    const letter = word.match(/[\p{L}\p{N}]/u)?.[0];
    if (letter) letters.push(letter.toUpperCase());
    if (letters.length === 2) break;
  }
  return letters.join('');
}
