/**
 * Sentence spans of a text: a sentence ends at 。！？； (and ASCII .!?; when they really end one,
 * not in 58.781 or a `1.` heading), at a line break, and takes trailing closing quotes with it.
 */

/** A half-open character range. */
export interface Span {
  start: number;
  end: number;
}

// Char codes, not one-character strings: `text[i]` of a Chinese character makes a new string, and
// the splitter looks at every character of every letter (twice: passages and commitments).
const HARD_END = new Set([...'。！？；!?;'].map((c) => c.charCodeAt(0)));
const CLOSERS = new Set([...'”’"\'」』）)】》'].map((c) => c.charCodeAt(0)));
const NEWLINE = 10;
const PERIOD = 46;

function isSpaceCode(c: number): boolean {
  return c === 32 || c === 9 || c === 0x3000 || c === 0xa0 || c === 13;
}

const isWordCode = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isDigitCode = (c: number) => c >= 48 && c <= 57;

/** Does the ASCII full stop at `i` end a sentence? Not in decimals, URLs or `1.` numbering. */
function periodEnds(text: string, i: number): boolean {
  const prev = i > 0 ? text.charCodeAt(i - 1) : NaN;
  const next = i + 1 < text.length ? text.charCodeAt(i + 1) : NaN;
  if (isWordCode(prev) && isWordCode(next)) return false;
  if (isDigitCode(prev)) return false; // 1. heading, or a number
  return Number.isNaN(next) || next === NEWLINE || isSpaceCode(next) || next >= 0x3000;
}

/** Trims whitespace off a span; null when nothing is left. */
export function trimSpan(text: string, start: number, end: number): Span | null {
  let s = start;
  let e = end;
  while (s < e && (isSpaceCode(text.charCodeAt(s)) || text.charCodeAt(s) === NEWLINE)) s++;
  while (e > s && (isSpaceCode(text.charCodeAt(e - 1)) || text.charCodeAt(e - 1) === NEWLINE)) e--;
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
    const c = text.charCodeAt(i);
    if (c === NEWLINE) {
      push(i);
      continue;
    }
    if (HARD_END.has(c) || (c === PERIOD && periodEnds(text, i))) {
      let j = i + 1;
      while (j < to && (HARD_END.has(text.charCodeAt(j)) || CLOSERS.has(text.charCodeAt(j)))) j++;
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
