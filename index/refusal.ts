/**
 * The relevance judgement: does anything in the corpus answer the question?
 *
 * A question is a set of concepts (query units: a Chinese word, an English word or phrase with its
 * translations, a name, a number). A passage answers when it — with its letter's metadata: issuer,
 * addressees, proposal number, title — covers most of the question's concepts, each weighted by its
 * rarity (IDF). A question about something no letter mentions (a district no letter is from, a
 * figure no letter gives) leaves a rare concept uncovered, and the search refuses.
 */
import type { CorpusIndex } from './corpusIndex.ts';
import type { AnalyzedQuery, QueryUnit } from './lexical/analyzeQuery.ts';
import { documentTerms } from './lexical/documentTerms.ts';

export interface RefusalParams {
  /** Minimum IDF-weighted share of the question's concepts the best passage must cover (0..1). */
  threshold: number;
  /** How many top passages are examined. */
  depth: number;
}

export const DEFAULT_REFUSAL: RefusalParams = { threshold: 0.62, depth: 5 };

export interface Verdict {
  refused: boolean;
  /** Coverage of the best passage, 0..1. */
  confidence: number;
}

const metadataTerms = new WeakMap<CorpusIndex, (Set<string> | undefined)[]>();

/** The terms of a letter's metadata (cached per index). */
function letterMetadataTerms(index: CorpusIndex, letterOrdinal: number): Set<string> {
  let cache = metadataTerms.get(index);
  if (!cache) metadataTerms.set(index, (cache = []));
  let set = cache[letterOrdinal];
  if (!set) {
    const l = index.letters[letterOrdinal];
    const t = documentTerms([l.title, l.issuer ?? '', l.addressees.join(' '), l.proposal ?? '', l.session ?? '', l.date ?? '', l.published ?? ''].join('\n'));
    set = new Set([...t.words.map((w) => 'w:' + w), ...t.bigrams.map((b) => 'b:' + b)]);
    cache[letterOrdinal] = set;
  }
  return set;
}

/** How well a set of document terms covers one concept (0..1). */
export function unitCoverage(unit: QueryUnit, has: (term: string) => boolean): number {
  let bestWord = 0;
  let maxWord = 0;
  let bigramTotal = 0;
  let bigramFound = 0;
  for (const [term, w] of unit.alternatives) {
    if (term.startsWith('w:')) {
      maxWord = Math.max(maxWord, w);
      if (has(term)) bestWord = Math.max(bestWord, w);
    } else {
      bigramTotal += w;
      if (has(term)) bigramFound += w;
    }
  }
  const word = maxWord > 0 ? bestWord / maxWord : 0;
  const bigram = bigramTotal > 0 ? (0.85 * bigramFound) / bigramTotal : 0;
  return Math.max(word, bigram);
}

/** Rarity of a concept: the IDF of its most specific word (or bigram when it has no word). */
function unitWeight(unit: QueryUnit, index: CorpusIndex): number {
  let best = 0;
  for (const term of unit.alternatives.keys()) best = Math.max(best, index.passageLexical.idf(term));
  return best;
}

/**
 * Judges whether the top hits answer the question.
 *
 * @example
 * judgeRelevance(query, [12, 40, 3], index, DEFAULT_REFUSAL) // → { refused: false, confidence: 0.86 }
 *
 * @param ranked passage ordinals, best first.
 */
export function judgeRelevance(query: AnalyzedQuery, ranked: number[], index: CorpusIndex, params: RefusalParams): Verdict {
  if (!ranked.length || !query.units.length) return { refused: true, confidence: 0 };
  const weights = query.units.map((u) => unitWeight(u, index));
  const total = weights.reduce((a, b) => a + b, 0);
  if (total <= 0) return { refused: true, confidence: 0 };
  let best = 0;
  for (const ordinal of ranked.slice(0, params.depth)) {
    const own = index.passageLexical.documentTermSet(ordinal);
    const meta = letterMetadataTerms(index, index.passageLetter[ordinal]);
    const has = (t: string) => own.has(t) || meta.has(t);
    let covered = 0;
    query.units.forEach((u, i) => (covered += weights[i] * unitCoverage(u, has)));
    best = Math.max(best, covered / total);
  }
  return { refused: best < params.threshold, confidence: Math.round(best * 1000) / 1000 };
}
