/**
 * How much of the question a piece of text covers: the weighted share of the search's query terms
 * (SearchResult.terms, already normalised) that occur in the normalised text.
 */
import type { Alias, Letter } from '../../corpus/letter.ts';
import { normalizeForMatch } from '../../index/lexical/normalizeForMatch.ts';

// Share of a term's weight earned through its alias's full form.
const ALIAS_CREDIT = 0.8;
// Share of a term's weight earned by naming the letter the sentence is in rather than being in the sentence.
const CONTEXT_CREDIT = 0.7;

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
 * A term that is a letter's alias short form also counts (at 0.8) when the alias's full form occurs;
 * a term found only in `letterContext` (the letter's normalised metadata, see letterContextOf) counts at 0.7.
 *
 * @example
 * termCoverage('签订了全面合作框架协议', [{ text: '框架协议', weight: 1 }, { text: '青岛', weight: 1 }]) // → 0.5
 */
export function termCoverage(normalized: string, terms: QueryTerm[], aliases: Alias[] = [], letterContext = ''): number {
  const forms = aliases.length ? normalizedAliases(aliases) : NO_ALIASES;
  let total = 0;
  let found = 0;
  for (const t of terms) {
    total += t.weight;
    if (normalized.includes(t.text)) found += t.weight;
    // Words naming the letter (its issuer 青岛, addressee 陈捷, proposal 0963) pick the letter, not a sentence in it.
    else if (letterContext.includes(t.text)) found += CONTEXT_CREDIT * t.weight;
    // The full form stands in for the short one, a little less: a sentence naming MOX itself is the closer match.
    else if (hasFullFormOf(t.text, forms, normalized)) found += ALIAS_CREDIT * t.weight;
  }
  return total > 0 ? found / total : 0;
}

const NO_ALIASES: { short: string; full: string }[] = [];
// A letter's aliases, normalised once (termCoverage runs for every sentence against the same few).
const aliasForms = new WeakMap<Alias[], { short: string; full: string }[]>();

function normalizedAliases(aliases: Alias[]): { short: string; full: string }[] {
  let forms = aliasForms.get(aliases);
  if (!forms) {
    forms = aliases.map((a) => ({ short: normalizeForMatch(a.short), full: normalizeForMatch(a.full) }));
    aliasForms.set(aliases, forms);
  }
  return forms;
}

function hasFullFormOf(term: string, forms: { short: string; full: string }[], normalized: string): boolean {
  for (const a of forms) if (a.short === term && normalized.includes(a.full)) return true;
  return false;
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

/**
 * Removes terms the search added by expanding an alias the question used (MOX → 中华, 金融, 资产, 交易 …):
 * they stand for one thing, already matched through the alias, and would otherwise favour every
 * sentence that spells out the full name over one that says what the question asks.
 * Terms the asker typed themselves are kept.
 *
 * @example
 * dropAliasExpansions([{ text: 'mox', weight: 1.6 }, { text: '金融', weight: 1.1 }], 'MOX是什么', [{ short: 'MOX', full: '中华(澳门)金融资产交易股份有限公司' }])
 * // → [{ text: 'mox', weight: 1.6 }]
 */
export function dropAliasExpansions(terms: QueryTerm[], question: string, aliases: Alias[]): QueryTerm[] {
  const asked = normalizeForMatch(question);
  const expanded = aliases
    .map((a) => ({ short: normalizeForMatch(a.short), full: normalizeForMatch(a.full) }))
    .filter((a) => asked.includes(a.short) && !asked.includes(a.full));
  if (expanded.length === 0) return terms;
  return terms.filter((t) => asked.includes(t.text) || !expanded.some((a) => a.full.includes(t.text) && t.text !== a.short));
}

/**
 * A letter's identifying metadata in one normalised string: issuer, title, addressees, session and
 * proposal number — the words a question uses to say which letter it means.
 *
 * @example
 * letterContextOf(letter) // → '青岛市人民政府 青岛市人民政府关于《…》的复函 陈捷委员 …'
 */
export function letterContextOf(letter: Pick<Letter, 'issuer' | 'title' | 'addressees' | 'session' | 'proposal'>): string {
  return normalizeForMatch([letter.issuer, letter.title, ...letter.addressees, letter.session, letter.proposal].filter(Boolean).join(' '));
}
