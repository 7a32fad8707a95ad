/**
 * Sentence spans of a text: a sentence ends at 。！？； (and ASCII .!?; when they really end one,
 * not in 58.781 or a `1.` heading), at a line break, and takes trailing closing quotes with it.
 */

/** A half-open character range. */
export interface Span {
  start: number;
  end: number;
}

const HARD_END = new Set(['。', '！', '？', '；', '!', '?', ';']);
const CLOSERS = new Set(['”', '’', '"', "'", '」', '』', '）', ')', '】', '》']);

function isSpace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\u3000' || ch === '\u00a0' || ch === '\r';
}

/** Does the ASCII full stop at `i` end a sentence? Not in decimals, URLs or `1.` numbering. */
function periodEnds(text: string, i: number): boolean {
  const prev = text[i - 1] ?? '';
  const next = text[i + 1] ?? '';
  if (/[0-9A-Za-z]/.test(prev) && /[0-9A-Za-z]/.test(next)) return false;
  if (/[0-9]/.test(prev)) return false; // 1. heading, or a number
  return next === '' || next === '\n' || isSpace(next) || next.charCodeAt(0) >= 0x3000;
}

/** Trims whitespace off a span; null when nothing is left. */
export function trimSpan(text: string, start: number, end: number): Span | null {
  let s = start;
  let e = end;
  while (s < e && (isSpace(text[s]) || text[s] === '\n')) s++;
  while (e > s && (isSpace(text[e - 1]) || text[e - 1] === '\n')) e--;
  return s < e ? { start: s, end: e } : null;
}

/**
 * The sentences of `text[from, to)`, whitespace-trimmed, in order.
 * @example splitSentences('一是甲。二是乙。').map(s => s.end) // [4, 8]
 */
export function splitSentences(text: string, from = 0, to = text.length): Span[] {
  const out: Span[] = [];
  let start = from;
  const push = (end: number) => {
    const span = trimSpan(text, start, end);
    if (span) out.push(span);
    start = end;
  };
  for (let i = from; i < to; i++) {
    const ch = text[i];
    if (ch === '\n') {
      push(i);
      continue;
    }
    if (HARD_END.has(ch) || (ch === '.' && periodEnds(text, i))) {
      let j = i + 1;
      while (j < to && (HARD_END.has(text[j]) || CLOSERS.has(text[j]))) j++;
      push(j);
      i = j - 1;
    }
  }
  push(to);
  return out;
}

/**
 * The last sentence of `text[0, end)` — `splitSentences(text, 0, end).pop()` — found from `end`
 * backwards, line by line (a sentence never crosses a line break, so a line splits alone as it
 * does within the whole): a letter with many 一是… lists asked for it once per list, and split
 * everything before each (quadratic in the letter's length).
 *
 * @example lastSentenceBefore('甲。乙。\n丙', 5) // { start: 2, end: 4 }
 */
export function lastSentenceBefore(text: string, end: number): Span | undefined {
  let lineEnd = end;
  while (lineEnd > 0) {
    const lineStart = text.lastIndexOf('\n', lineEnd - 1) + 1;
    const spans = splitSentences(text, lineStart, lineEnd);
    if (spans.length) return spans[spans.length - 1];
    lineEnd = lineStart - 1;
  }
  return undefined;
}
