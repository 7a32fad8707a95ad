/**
 * The last gate before a quote reaches anyone: it must be, character for character, the slice of
 * the letter its span names. Anything else is dropped and logged, never shown.
 */
import type { Letter } from '../../corpus/letter.ts';

/** What is checked: a quote claimed to be `letter.text.slice(start, end)`. */
export interface QuoteClaim {
  letter: string;
  quote: string;
  start: number;
  end: number;
}

export type QuoteCheck = { ok: true } | { ok: false; reason: string };

/** Where dropped quotes are reported; defaults to console.warn. */
export type QuoteLogger = (line: string) => void;

/**
 * Checks one quote against its letter.
 *
 * @example
 * verifyQuote(letter, { letter: letter.id, quote: letter.text.slice(5, 9), start: 5, end: 9 }) // → { ok: true }
 * verifyQuote(letter, { letter: letter.id, quote: '编造', start: 5, end: 9 }).ok                // → false
 */
export function verifyQuote(letter: Letter | undefined, claim: QuoteClaim): QuoteCheck {
  if (!letter) return { ok: false, reason: `unknown letter ${claim.letter}` };
  if (letter.id !== claim.letter) return { ok: false, reason: `quote claims letter ${claim.letter} but was checked against ${letter.id}` };
  if (!Number.isInteger(claim.start) || !Number.isInteger(claim.end) || claim.start < 0 || claim.end > letter.text.length || claim.start >= claim.end) {
    return { ok: false, reason: `bad span ${claim.start}–${claim.end} (letter has ${letter.text.length} characters)` };
  }
  if (claim.quote.trim() === '') return { ok: false, reason: 'empty quote' };
  if (letter.text.slice(claim.start, claim.end) !== claim.quote) return { ok: false, reason: `quote differs from the letter text at ${claim.start}–${claim.end}` };
  return { ok: true };
}

/**
 * Keeps only the quotes that verify; each dropped one is logged with its letter, span and reason.
 *
 * @example
 * const safe = keepVerifiedQuotes(citations, (id) => searcher.letter(id));
 */
export function keepVerifiedQuotes<T extends QuoteClaim>(
  claims: T[],
  letterOf: (id: string) => Letter | undefined,
  log: QuoteLogger = (line) => console.warn(line),
): T[] {
  return claims.filter((c) => {
    const check = verifyQuote(letterOf(c.letter), c);
    if (!check.ok) log(`fuhan: dropped a quote from ${c.letter} [${c.start}, ${c.end}): ${check.reason}`);
    return check.ok;
  });
}
