// Markdown with math, as Mnemos shows lessons and cards. Loaded on demand (Markdown.tsx) so the
// first page stays small. Math: $...$ and \(...\) inline, $$...$$ and \[...\] displayed (the
// delimiters Anki and most teachers use); a sound is ![audio](url). What comes out is sanitized:
// teachers' and imported content never runs script, and pictures and sounds come only from Mnemos
// itself (no third-party requests from a child's browser).
import DOMPurify from 'dompurify';
import katex from 'katex';
import 'katex/dist/katex.min.css';
import { Marked, type TokenizerAndRendererExtension } from 'marked';

const math = (text: string, displayMode: boolean) =>
  katex.renderToString(text, { displayMode, throwOnError: false, output: 'htmlAndMathml', strict: false });

// "$5 and $10" is money, not math: the opening $ is not followed by a space, the closing one is
// not preceded by a space nor followed by a digit.
const inlinePatterns: Array<[RegExp, boolean]> = [
  [/^\$\$([\s\S]+?)\$\$/, true],
  [/^\\\[([\s\S]+?)\\\]/, true],
  [/^\\\(([\s\S]+?)\\\)/, false],
  [/^\$(?![\s$])((?:\\.|[^\\$\n])*?[^\s\\])\$(?!\d)/, false],
];

const inlineMath: TokenizerAndRendererExtension = {
  name: 'inlineMath',
  level: 'inline',
  start(src) {
    const at = src.search(/\$|\\[([]/);
    return at < 0 ? undefined : at;
  },
  tokenizer(src) {
    for (const [pattern, display] of inlinePatterns) {
      const m = pattern.exec(src);
      if (m) return { type: 'inlineMath', raw: m[0], text: m[1].trim(), display };
    }
    return undefined;
  },
  renderer(token) {
    return math(token.text as string, token.display as boolean);
  },
};

const blockMath: TokenizerAndRendererExtension = {
  name: 'blockMath',
  level: 'block',
  start(src) {
    const at = src.search(/^(\$\$|\\\[)/m);
    return at < 0 ? undefined : at;
  },
  tokenizer(src) {
    const m = /^(?:\$\$([\s\S]+?)\$\$|\\\[([\s\S]+?)\\\])[ \t]*(?:\n|$)/.exec(src);
    if (m) return { type: 'blockMath', raw: m[0], text: (m[1] ?? m[2]).trim() };
    return undefined;
  },
  renderer(token) {
    return `<div class="mnemos-math">${math(token.text as string, true)}</div>`;
  },
};

const marked = new Marked({ gfm: true, breaks: true, async: false });
marked.use({
  extensions: [blockMath, inlineMath],
  renderer: {
    // Raw HTML in a lesson or card is shown as text, never parsed: pictures, sounds, emphasis and
    // formulas all have their Markdown, and an "<img onerror=…>" from an imported deck then never
    // reaches a parser at all (DOMPurify removed such handlers, but parsing them still tripped the
    // page's Content-Security-Policy, which reported a blocked inline handler).
    html({ text }) {
      return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    },
    // A sound is written as a picture whose text is "audio": ![audio](/api/v1/learning-media/…).
    image({ href, text }) {
      if (text !== 'audio') return false;
      return `<audio controls preload="none" src="${href.replace(/"/g, '&quot;')}"></audio>`;
    },
  },
});

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'IMG' || node.tagName === 'AUDIO' || node.tagName === 'VIDEO' || node.tagName === 'SOURCE') {
    const src = node.getAttribute('src') ?? '';
    if (!src.startsWith('/api/v1/learning-media/')) node.removeAttribute('src');
    if (node.tagName === 'IMG') node.setAttribute('loading', 'lazy');
  }
  if (node.tagName === 'A') {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
});

export function renderMarkdown(text: string): string {
  const html = marked.parse(text) as string;
  return DOMPurify.sanitize(html, { FORBID_TAGS: ['style', 'form', 'input', 'button', 'iframe'] });
}
