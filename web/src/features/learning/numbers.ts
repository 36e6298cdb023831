// Numbers as teachers type them in the editor: a dot or a decimal comma, spaces between groups of
// digits (the server reads a student's answer the same way, docs/learning.md).

/** The number typed, or NaN when the text is not one. */
export function parseDecimal(text: string): number {
  const plain = text.trim().replace(/[\s\u00a0\u202f]+/g, '').replace(',', '.').replace('\u2212', '-');
  return plain === '' || !/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(plain) ? NaN : Number(plain);
}
