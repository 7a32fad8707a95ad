/**
 * Cuts a stretch of letter text into sentences, each an exact half-open span of the letter's text,
 * so a chosen sentence can be quoted as `text.slice(start, end)` with nothing re-typed.
 */

export interface TextSpan {
  start: number;
  end: number;
}

// Sentence ends in these letters: Chinese and ASCII full stops, question/exclamation marks and
// semicolons (list items inside one long sentence are separated by ；). Line breaks end a sentence too.
// Closing quotes/brackets belong to the sentence they follow: 。” stays together.
// One table of UTF-16 code units: the scan reads char codes, never allocating a one-character string,
// and a typed-array read per character is several times cheaper than a Set lookup (the answer stage
// cuts every letter it quotes from whole, ~2,000 characters each).
const TERMINATOR = 1;
const CLOSER = 2;
const UNIT_KIND = new Uint8Array(0x10000);
for (const c of '。！？!?；;\n') UNIT_KIND[c.charCodeAt(0)] = TERMINATOR;
for (const c of '”’"\'」』）)】》') UNIT_KIND[c.charCodeAt(0)] = CLOSER;
const NEWLINE = 10;

/**
 * Whether a UTF-16 code unit is white space as `/[\s\u3000\u00a0]/u` reads one unit (\s: the
 * ECMAScript WhiteSpace and LineTerminator sets), without the regular expression's cost per test.
 */
function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/**
 * Sentences of `text` between `from` and `to`, trimmed of surrounding whitespace, empty ones dropped.
 *
 * @example
 * const t = '一是推进。二是落实；三是总结';
 * splitSentences(t).map((s) => t.slice(s.start, s.end)) // → ['一是推进。', '二是落实；', '三是总结']
 */
export function splitSentences(text: string, from = 0, to = text.length): TextSpan[] {
  const spans: TextSpan[] = [];
  let start = from;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (UNIT_KIND[c] !== TERMINATOR) continue;
    let end = i + 1;
    while (end < to && c !== NEWLINE && UNIT_KIND[text.charCodeAt(end)] === CLOSER) end++;
    pushTrimmed(spans, text, start, end);
    start = end;
    i = end - 1;
  }
  pushTrimmed(spans, text, start, to);
  return spans;
}

/** Adds text[s, e) without its surrounding white space, unless nothing is left. */
function pushTrimmed(spans: TextSpan[], text: string, s: number, e: number): void {
  while (s < e && isSpace(text.charCodeAt(s))) s++;
  while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
  if (e > s) spans.push({ start: s, end: e });
}
