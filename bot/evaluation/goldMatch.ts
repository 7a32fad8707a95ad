/**
 * Whether a retrieved passage holds a gold quote — the same rule as the shared scorer: same letter
 * file, and a common substring of at least 60% of the quote (whitespace ignored), so a quote split
 * across two passages still counts for the passage that holds most of it.
 */

const stripSpace = (s: string) => s.replace(/\s+/gu, '');

/** Length of the longest common substring (dynamic programming over the shorter string). */
export function longestCommonSubstring(a: string, b: string): number {
  if (!a.length || !b.length) return 0;
  if (b.includes(a)) return a.length;
  let prev = new Uint16Array(b.length + 1);
  let best = 0;
  for (let i = 1; i <= a.length; i++) {
    const cur = new Uint16Array(b.length + 1);
    for (let j = 1; j <= b.length; j++) {
      if (a[i - 1] === b[j - 1]) {
        cur[j] = prev[j - 1] + 1;
        if (cur[j] > best) best = cur[j];
      }
    }
    prev = cur;
  }
  return best;
}

/**
 * True when a passage from letter file `doc` holds the gold quote.
 *
 * @example
 * passageHoldsQuote({ doc: 'a.txt', text: '……推荐7名澳门青年加入市青年联合会,其中3人任常委' }, { doc: 'a.txt', quote: '推荐7名澳门青年' }) // → true
 */
export function passageHoldsQuote(passage: { doc: string; text: string }, gold: { doc: string; quote: string }): boolean {
  if (passage.doc !== gold.doc) return false;
  const q = stripSpace(gold.quote);
  return longestCommonSubstring(q, stripSpace(passage.text)) >= Math.ceil(0.6 * q.length);
}
