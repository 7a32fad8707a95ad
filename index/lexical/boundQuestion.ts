/**
 * Bounds on what a question may cost. Analysis expands each word through the dictionary, pinyin
 * and aliases, and some steps compare words pairwise: 10,000 × "Macau" ran past two minutes and
 * 3.3 GB. A real question is a sentence or two; beyond that, repeats add nothing.
 */

/** Longest question analysed, in characters (a long Telegram message is cut here, at a space when one is near). */
export const MAX_QUESTION_CHARS = 500;

/** How often one word may recur before its further repeats are dropped. */
const MAX_REPEATS = 3;

/**
 * The question with words repeated more than three times kept three times (compared
 * case-insensitively, punctuation aside), then cut to MAX_QUESTION_CHARS.
 *
 * @example
 * boundQuestion('Macau '.repeat(10_000)) // → 'Macau Macau Macau'
 * boundQuestion('What has Qingdao done with MOX?') // → unchanged
 */
export function boundQuestion(question: string): string {
  const counts = new Map<string, number>();
  let repeated = false;
  const parts = question.split(/(\s+)/);
  const kept: string[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    const word = parts[i];
    const key = word.toLowerCase().replace(/[\p{P}\p{S}]/gu, '');
    const n = key ? (counts.get(key) ?? 0) + 1 : 0;
    if (key) counts.set(key, n);
    if (n > MAX_REPEATS) {
      repeated = true;
      continue;
    }
    if (kept.length) kept.push(parts[i - 1]);
    kept.push(word);
  }
  let out = repeated ? kept.join('').trim() : question;
  if (out.length > MAX_QUESTION_CHARS) {
    const cut = out.slice(0, MAX_QUESTION_CHARS);
    const space = cut.search(/\s\S*$/);
    out = space > MAX_QUESTION_CHARS * 0.8 ? cut.slice(0, space) : cut;
  }
  return out;
}
