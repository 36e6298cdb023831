// What the path builder shows of an item in a list, and how a file is sent for import: pure, unit-tested.
import type { Schemas } from '../../shared/api/client';

/** An item in one line: its front, question or text, pictures and sounds as symbols, at most 90 characters. */
export function itemSummary(item: Pick<Schemas['Item'], 'content'>): string {
  const c = item.content as Record<string, unknown>;
  // Pictures and sounds show as symbols, not as their addresses.
  const text = ((c.front ?? c.question ?? c.text ?? c.markdown ?? '') as string)
    .replace(/!\[audio\]\([^)]*\)/g, '🔊')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '🖼')
    // Headings read as plain lines in a list.
    .replace(/^#+\s*/gm, '')
    // A cloze's gaps read as their answers, in bold, not as {{c1::…}} markers.
    .replace(/\{\{c\d+::(.*?)(::.*?)?\}\}/g, '**$1**');
  return text.length > 90 ? `${text.slice(0, 90)}…` : text;
}

/** The format and content type an import is sent as, from the file's name. */
export function importRequest(file: Pick<File, 'name'>): { format: string; type: string } {
  const name = file.name.toLowerCase();
  if (name.endsWith('.apkg') || name.endsWith('.colpkg')) return { format: 'apkg', type: 'application/zip' };
  if (name.endsWith('.gift') || name.endsWith('.txt')) return { format: 'gift', type: 'text/plain' };
  return { format: 'csv', type: 'text/csv' };
}
