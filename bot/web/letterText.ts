/**
 * A letter's text as HTML: one paragraph per line, section headings as headings, an anchor where each
 * section and passage starts, commitments marked, and — for a permalink — the quoted range inside
 * `<mark>`. Every character of `letter.text` comes out exactly once, escaped, in order, so the text
 * of the page is the letter's text and the marked text is exactly the quote.
 */
import type { Letter, Passage } from '../../corpus/letter.ts';
import { escapeHtml } from '../telegram/renderHtml.ts';

/** A half-open range of `letter.text`. */
export interface TextRange {
  start: number;
  end: number;
}

interface Anchor {
  at: number;
  markup: string;
}

/**
 * @example
 * renderLetterText(letter, passages, { start: 89, end: 151 }) // '<p>…<mark id="quote">2023年12月,…</mark>…</p>…'
 */
export function renderLetterText(letter: Letter, passages: Passage[], highlight?: TextRange): string {
  const text = letter.text;
  const commitments = [...letter.commitments].sort((a, b) => a.start - b.start);
  const anchors: Anchor[] = [];
  const headingAt = new Map<number, Letter['sections'][number]>();
  for (const s of letter.sections) {
    const lineStart = s.start === 0 || text[s.start - 1] === '\n';
    const lineEnd = text.indexOf('\n', s.start);
    const line = text.slice(s.start, lineEnd === -1 ? text.length : lineEnd).trim();
    if (lineStart && line === s.heading.trim() && !headingAt.has(s.start)) headingAt.set(s.start, s);
    else anchors.push({ at: s.start, markup: `<span class="anchor" id="s-${s.start}"></span>` });
  }
  passages.forEach((p, i) => {
    anchors.push({ at: p.start, markup: `<span class="passage-start" id="passage-${i + 1}" data-n="${i + 1}" title="passage ${i + 1}"></span>` });
  });
  anchors.sort((a, b) => a.at - b.at);

  let markOpened = false;
  const inline = (from: number, to: number): string => {
    const cuts = new Set<number>([from, to]);
    const add = (x: number) => {
      if (x > from && x < to) cuts.add(x);
    };
    if (highlight) [highlight.start, highlight.end].forEach(add);
    for (const c of commitments) [c.start, c.end].forEach(add);
    for (const a of anchors) add(a.at);
    const points = [...cuts].sort((a, b) => a - b);
    let out = '';
    let inMark = false;
    let inCommitment = -1;
    const closeCommitment = () => {
      if (inCommitment >= 0) out += '</span>';
      inCommitment = -1;
    };
    for (let i = 0; i < points.length - 1; i++) {
      const x = points[i];
      const y = points[i + 1];
      const mark = highlight !== undefined && highlight.start <= x && x < highlight.end;
      const commitment = commitments.findIndex((c) => c.start <= x && x < c.end);
      // Close what ends here, put the anchors, open what starts here: an anchor at the edge of the
      // quote stays outside the <mark>, so the mark holds exactly the quote.
      if (commitment !== inCommitment || mark !== inMark) closeCommitment();
      if (mark !== inMark && inMark) {
        out += '</mark>';
        inMark = false;
      }
      for (const a of anchors) if (a.at === x) out += a.markup;
      if (mark && !inMark) {
        out += markOpened ? '<mark>' : '<mark id="quote">';
        markOpened = true;
        inMark = true;
      }
      if (commitment >= 0 && inCommitment < 0) {
        out += '<span class="commitment">';
        inCommitment = commitment;
      }
      out += escapeHtml(text.slice(x, y));
    }
    closeCommitment();
    if (inMark) out += '</mark>';
    return out;
  };

  const blocks: string[] = [];
  let lineStart = 0;
  while (lineStart <= text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline;
    if (text.slice(lineStart, lineEnd).trim() !== '') {
      const heading = headingAt.get(lineStart);
      const body = inline(lineStart, lineEnd);
      if (heading) {
        const tag = heading.level === 1 ? 'h2' : heading.level === 2 ? 'h3' : 'h4';
        blocks.push(`<${tag} id="s-${heading.start}">${body}</${tag}>`);
      } else blocks.push(`<p>${body}</p>`);
    }
    if (newline === -1) break;
    lineStart = newline + 1;
  }
  return blocks.join('\n');
}
