// The Markdown subset of chat messages: **bold**, *italic* or _italic_, `code`, and web addresses
// as links, line by line. The result is plain data turned into React elements, never HTML: a
// message cannot carry markup, script or a picture from elsewhere.
export type Segment =
  | { kind: 'text' | 'bold' | 'italic' | 'code'; text: string }
  | { kind: 'link'; text: string; href: string };

const source = /`([^`\n]+)`|\*\*([^*\n]+?)\*\*|(?<![\w*])\*([^*\s][^*\n]*?)\*(?![\w*])|(?<![\w_])_([^_\s][^_\n]*?)_(?![\w_])|(https?:\/\/[^\s<>"']+)/.source;

// A link ends before the punctuation that usually follows it in a sentence.
function trimLink(url: string): string {
  return url.replace(/[.,;:!?)\]]+$/, '');
}

export function chatSegments(line: string): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  const push = (segment: Segment) => {
    const previous = out[out.length - 1];
    if (segment.kind === 'text' && previous?.kind === 'text') previous.text += segment.text;
    else if (segment.text) out.push(segment);
  };
  // A fresh expression per line: a shared global one would carry its position from call to call.
  const pattern = new RegExp(source, 'g');
  for (let match = pattern.exec(line); match; match = pattern.exec(line)) {
    const at = match.index;
    push({ kind: 'text', text: line.slice(last, at) });
    const [whole, code, bold, star, underscore, url] = match;
    let consumed = whole.length;
    if (code !== undefined) push({ kind: 'code', text: code });
    else if (bold !== undefined) push({ kind: 'bold', text: bold });
    else if (star !== undefined) push({ kind: 'italic', text: star });
    else if (underscore !== undefined) push({ kind: 'italic', text: underscore });
    else if (url !== undefined) {
      const href = trimLink(url);
      consumed = href.length;
      push({ kind: 'link', text: href, href });
    }
    last = at + consumed;
    pattern.lastIndex = last;
  }
  push({ kind: 'text', text: line.slice(last) });
  return out;
}

export function chatLines(text: string): Segment[][] {
  return text.split('\n').map(chatSegments);
}
