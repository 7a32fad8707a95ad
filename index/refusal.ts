/**
 * The relevance judgement: does anything in the corpus answer the question?
 *
 * A question is a set of concepts (query units: a Chinese word, an English word or phrase with its
 * translations, a name, a number). Three checks, each on the top passages (with their letter's
 * metadata: issuer, addressees, proposal number, title):
 *
 * 1. Coverage: the rarity-weighted share of the question's concepts the best passage covers.
 *    Concepts the corpus never mentions count little (they are as likely paraphrase as absence),
 *    single characters count little (they are rarely the point).
 * 2. Focus (Chinese questions): a Chinese question ends on what it asks about (…预计哪一年完工？,
 *    …什么时候建成？). When none of its last two concepts appears in the passages of the letter the
 *    search found, that letter talks about the subject but not about the thing asked.
 * 3. Numbers: a number in the question (a year, a count, a proposal number) that none of the top
 *    letters contains means the question is about something they do not cover.
 * 4. Names: when the question names places or people the corpus knows (Qingdao, 成都; English
 *    names read through pinyin, Chinese ones as jieba tags them) and the letter found mentions none
 *    of them, it is some other place's letter.
 *    Names the corpus does not know at all are not held against a letter: scraped letters often
 *    omit their own county's name, and romanisations vary.
 */
import type { CorpusIndex } from './corpusIndex.ts';
import type { AnalyzedQuery, QueryUnit } from './lexical/analyzeQuery.ts';
import { letterMetadataTerms } from './letterMetadataTerms.ts';

export interface RefusalParams {
  /** Minimum weighted share of the question's concepts the best passage must cover (0..1). */
  threshold: number;
  /** How many top passages are examined. */
  depth: number;
  /** Apply the focus rule to Chinese questions. */
  focus: boolean;
  /** Apply the number rule. */
  numbers: boolean;
  /** Apply the names rule. */
  names: boolean;
}

export const DEFAULT_REFUSAL: RefusalParams = { threshold: 0.3, depth: 5, focus: true, numbers: true, names: true };

export interface Verdict {
  refused: boolean;
  /** Coverage of the best passage, 0..1. */
  confidence: number;
  /** Why it refused, for logs and explanations. */
  reason?: 'nothing-found' | 'low-coverage' | 'focus-missing' | 'number-missing' | 'names-absent';
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

/** Weight of a concept: its rarity (IDF), little when the corpus never mentions it or it is one character. */
function unitWeight(unit: QueryUnit, index: CorpusIndex): number {
  let idf = 0;
  let df = 0;
  for (const term of unit.alternatives.keys()) {
    idf = Math.max(idf, index.passageLexical.idf(term));
    df = Math.max(df, index.passageLexical.df(term));
  }
  const weight = df === 0 ? 1 : idf;
  return [...unit.source].length === 1 ? weight * 0.3 : weight;
}

const isNumberUnit = (u: QueryUnit) => /^\d+$/.test(u.source);

/**
 * Judges whether the top passages answer the question.
 *
 * @param ranked passage ordinals, best first.
 * @example
 * judgeRelevance(query, [12, 40, 3], index, DEFAULT_REFUSAL) // → { refused: false, confidence: 0.86 }
 */
export function judgeRelevance(query: AnalyzedQuery, ranked: number[], index: CorpusIndex, params: RefusalParams): Verdict {
  if (!ranked.length || !query.units.length) return { refused: true, confidence: 0, reason: 'nothing-found' };
  const top = ranked.slice(0, params.depth);
  const weights = query.units.map((u) => unitWeight(u, index));
  const total = weights.reduce((a, b) => a + b, 0);
  const passageHas = (ordinal: number) => {
    const meta = letterMetadataTerms(index, index.passageLetter[ordinal]);
    return (t: string) => meta.has(t) || index.passageLexical.contains(ordinal, t);
  };

  // 1. Coverage of the best passage.
  let best = 0;
  for (const ordinal of top) {
    const has = passageHas(ordinal);
    let covered = 0;
    query.units.forEach((u, i) => (covered += weights[i] * unitCoverage(u, has)));
    best = Math.max(best, total > 0 ? covered / total : 0);
  }
  const confidence = Math.round(best * 1000) / 1000;
  if (best < params.threshold) return { refused: true, confidence, reason: 'low-coverage' };

  // 2. Focus: the last concepts of a Chinese question, in the top letter's passages among the hits.
  if (params.focus && !query.english) {
    const focus = query.units.filter((u) => !isNumberUnit(u) && !u.answerType && [...u.source].length >= 2).slice(-2);
    const topLetter = index.passageLetter[top[0]];
    const letterPassages = top.filter((o) => index.passageLetter[o] === topLetter).map(passageHas);
    const found = focus.some((u) => letterPassages.some((has) => unitCoverage(u, has) >= 0.5));
    if (focus.length && !found) return { refused: true, confidence, reason: 'focus-missing' };
  }

  // 3. Numbers: each must occur in one of the top letters (anywhere in it).
  if (params.numbers) {
    const letters = [...new Set(top.map((o) => index.passageLetter[o]))].slice(0, 3);
    for (const u of query.units.filter(isNumberUnit)) {
      const inSomeLetter = letters.some((l) => [...u.alternatives.keys()].some((t) => index.letterLexical.contains(l, t)));
      if (!inSomeLetter) return { refused: true, confidence, reason: 'number-missing' };
    }
  }
  // 4. Names: of the places or people a question names, one the corpus knows must be in the top letter.
  const known = query.names.filter((n) => n.terms.length);
  if (params.names && known.length) {
    const l = index.passageLetter[top[0]];
    const meta = letterMetadataTerms(index, l);
    if (!known.some((n) => n.terms.some((t) => meta.has(t) || index.letterLexical.contains(l, t)))) return { refused: true, confidence, reason: 'names-absent' };
  }
  return { refused: false, confidence };
}
