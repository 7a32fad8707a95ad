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
// Held as UTF-16 code units: the scan reads char codes, never allocating a one-character string.
const TERMINATORS = new Set([...'。！？!?；;\n'].map((c) => c.charCodeAt(0)));
// Closing quotes/brackets that belong to the sentence they follow: 。” stays together.
const CLOSERS = new Set([...'”’"\'」』）)】》'].map((c) => c.charCodeAt(0)));
const NEWLINE = 10;
const SPACE = /[\s\u3000\u00a0]/u;

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
  const push = (s: number, e: number) => {
    while (s < e && SPACE.test(text[s])) s++;
    while (e > s && SPACE.test(text[e - 1])) e--;
    if (e > s) spans.push({ start: s, end: e });
  };
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (!TERMINATORS.has(c)) continue;
    let end = i + 1;
    while (end < to && c !== NEWLINE && CLOSERS.has(text.charCodeAt(end))) end++;
    push(start, end);
    start = end;
    i = end - 1;
  }
  push(start, to);
  return spans;
}
