/**
 * How much of the question a piece of text covers: the weighted share of the search's query terms
 * (SearchResult.terms, already normalised) that occur in the normalised text.
 */
import type { Alias } from '../../corpus/letter.ts';
import { normalizeForMatch } from '../../index/lexical/normalizeForMatch.ts';

// Share of a term's weight earned through its alias's full form.
const ALIAS_CREDIT = 0.8;

export interface QueryTerm {
  text: string;
  weight: number;
}

/**
 * Deduplicated terms with positive weight, their texts normalised, each alias short form (MOX)
 * also matching its full form in letters that define it.
 *
 * @example
 * prepareTerms([{ text: 'MOX', weight: 2 }, { text: 'mox', weight: 1 }]) // → [{ text: 'mox', weight: 2 }]
 */
export function prepareTerms(terms: QueryTerm[]): QueryTerm[] {
  const best = new Map<string, number>();
  for (const t of terms) {
    const text = normalizeForMatch(t.text).trim();
    if (!text || !(t.weight > 0)) continue;
    best.set(text, Math.max(best.get(text) ?? 0, t.weight));
  }
  return [...best].map(([text, weight]) => ({ text, weight }));
}

/**
 * Weighted share (0..1) of `terms` found in `normalized` (text already passed through normalizeForMatch).
 * A term that is a letter's alias short form also counts (at 0.8) when the alias's full form occurs.
 *
 * @example
 * termCoverage('签订了全面合作框架协议', [{ text: '框架协议', weight: 1 }, { text: '青岛', weight: 1 }]) // → 0.5
 */
export function termCoverage(normalized: string, terms: QueryTerm[], aliases: Alias[] = []): number {
  let total = 0;
  let found = 0;
  for (const t of terms) {
    total += t.weight;
    if (normalized.includes(t.text)) found += t.weight;
    // The full form stands in for the short one, a little less: a sentence naming MOX itself is the closer match.
    else if (aliases.some((a) => normalizeForMatch(a.short) === t.text && normalized.includes(normalizeForMatch(a.full)))) found += ALIAS_CREDIT * t.weight;
  }
  return total > 0 ? found / total : 0;
}

/**
 * Terms re-weighted by how rare they are among the texts being compared: a word every candidate
 * sentence contains (澳门 in letters about Macau) tells sentences apart less than one only a few hold.
 *
 * @example
 * reweightByRarity([{ text: '澳门', weight: 1 }, { text: 'mox', weight: 1 }], ['澳门mox', '澳门', '澳门'])
 * // → 澳门 keeps weight 1, mox gets more
 */
export function reweightByRarity(terms: QueryTerm[], normalizedTexts: string[]): QueryTerm[] {
  const n = normalizedTexts.length;
  if (n === 0) return terms;
  return terms.map((t) => {
    const df = normalizedTexts.filter((s) => s.includes(t.text)).length;
    return { text: t.text, weight: t.weight * (1 + Math.log((n + 1) / (df + 1))) };
  });
}
