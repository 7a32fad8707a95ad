/**
 * The search engine: a question in Simplified Chinese, Traditional Chinese or English → the
 * passages that answer it, best first, with a judgement of whether anything answers at all.
 *
 * Channels: lexical (BM25 over passages, boosted by a whole-letter BM25 score, with cross-lingual
 * query expansion) and, when a model is loaded, dense (e5 embeddings in HNSW). They are fused by
 * reciprocal rank. The engine is immutable: a rebuilt index is a new engine, swapped in whole.
 *
 * @example
 * const engine = await SearchEngine.fromLetters(letters);
 * const result = await engine.search('what has Qingdao done with MOX?');
 * result.hits[0].passage.text // → '2023年12月,上合示范区管委会与中华(澳门)金融资产交易股份有限公司…'
 */
import type { Letter, Passage } from '../corpus/letter.ts';
import { cutPassages } from '../corpus/passages.ts';
import { buildCorpusIndex, type CorpusIndex } from './corpusIndex.ts';
import type { Embedder } from './embedding/embedder.ts';
import { mergeHits } from './exactVectors.ts';
import { DEFAULT_FUSION, fuseRankings, type FusionParams } from './fusion.ts';
import { analyzeQuery, type AnalyzedQuery } from './lexical/analyzeQuery.ts';
import { normalizeForMatch } from './lexical/normalizeForMatch.ts';
import { buildPinyinTable, type PinyinTableData } from './lexical/pinyinNames.ts';
import { BestHits, type LexicalIndex, type WeightedTerm } from './lexical/lexicalIndex.ts';
import { letterFilterMask } from './letterFilter.ts';
import { letterMetadataTerms } from './letterMetadataTerms.ts';
import { letterRefOf } from './letterRef.ts';
import { textHash } from './store/fileSums.ts';
import { judgeRelevance, DEFAULT_REFUSAL, type RefusalParams } from './refusal.ts';
import type { LetterRef, SearchHit, SearchOptions, SearchResult, Searcher } from './searchTypes.ts';

export interface SearchEngineOptions {
  /** Query-side model for the dense channel (must be the model the vectors were built with). */
  embedder?: Embedder | null;
  fusion?: Partial<FusionParams>;
  refusal?: Partial<RefusalParams>;
  /** Weight of the whole-letter score added to each passage's own score (0 = passages only). */
  letterBoost?: number;
  /** Weight, in passage scoring, of query terms that appear in the passage's letter's metadata. */
  metadataTermWeight?: number;
}

/** How many lexical/dense candidates enter fusion. */
const CANDIDATES = 100;
/** How many lexical candidates are rescored with letter-naming terms discounted. */
const RESCORE = 150;
/** Terms in more than this share of documents carry little; skipping them halves the postings read. */
const COMMON_SHARE = 0.25;

/**
 * The query without terms (starting with `prefix`: 'b:' for bigrams only, '' for all) that occur
 * almost everywhere — unless that would leave too little to rank by.
 */
function withoutCommonTerms(terms: WeightedTerm[], lexical: LexicalIndex, prefix: string): WeightedTerm[] {
  const limit = COMMON_SHARE * lexical.size;
  const kept = terms.filter((t) => !t.term.startsWith(prefix) || lexical.df(t.term) <= limit);
  return kept.length >= 4 ? kept : terms;
}

export class SearchEngine implements Searcher {
  readonly index: CorpusIndex;
  private readonly embedder: Embedder | null;
  private readonly fusion: FusionParams;
  private readonly refusal: RefusalParams;
  private readonly letterBoost: number;
  private readonly metadataTermWeight: number;
  private readonly letterById: Map<string, number>;
  private readonly passagesByLetter: Map<string, Passage[]>;
  private readonly refs: LetterRef[];
  /** Reused score buffers (see bestPassages). */
  private scratch?: { raw: Float64Array; letterScores: Float64Array };
  /** Each letter's passages as one ordinal range, when they are stored that way (see letterRanges). */
  private readonly letterPassages: LetterRanges | null;

  constructor(index: CorpusIndex, options: SearchEngineOptions = {}) {
    this.index = index;
    this.embedder = index.dense && options.embedder && options.embedder.modelId === index.dense.modelId ? options.embedder : null;
    this.fusion = { ...DEFAULT_FUSION, ...options.fusion };
    this.refusal = { ...DEFAULT_REFUSAL, ...options.refusal };
    this.letterBoost = options.letterBoost ?? 1.2;
    this.metadataTermWeight = options.metadataTermWeight ?? 0.4;
    this.letterById = new Map(index.letters.map((l, i) => [l.id, i]));
    this.passagesByLetter = new Map(index.letters.map((l) => [l.id, []]));
    for (const p of index.passages) this.passagesByLetter.get(p.letter)?.push(p);
    this.refs = index.letters.map(letterRefOf);
    this.letterPassages = letterRanges(index.passageLetter, index.letters.length);
  }

  /**
   * An in-memory, lexical-only engine over parsed letters (tests, one-off tools).
   *
   * @example
   * const engine = await SearchEngine.fromLetters(letters);
   */
  static async fromLetters(letters: Letter[], options: SearchEngineOptions = {}): Promise<SearchEngine> {
    const index = await buildCorpusIndex(letters, letters.map((l) => cutPassages(l)));
    return new SearchEngine(index, options);
  }

  /** Whether the dense channel is in use. */
  get dense(): boolean {
    return this.embedder !== null;
  }

  letters(): Letter[] {
    return this.index.letters;
  }

  /**
   * A letter by id. In an index loaded from disk its text is checked against the hash the build
   * recorded (≈ 20 µs for a 10,000-character letter): a letter whose text changed in memory or on
   * disk since is not returned, so no quote is ever verified against it (see verifyQuote).
   */
  letter(id: string): Letter | undefined {
    const i = this.letterById.get(id);
    if (i === undefined) return undefined;
    const letter = this.index.letters[i];
    const expected = this.index.textHashes?.get(id);
    if (expected !== undefined && textHash(letter.text) !== expected) {
      console.error(`fuhan: the text of letter ${id} does not match the hash recorded when it was indexed; not quoting it (run \`fuhan build --full\`)`);
      return undefined;
    }
    return letter;
  }

  letterRef(id: string): LetterRef | undefined {
    const i = this.letterById.get(id);
    return i === undefined ? undefined : this.refs[i];
  }

  passagesOf(id: string): Passage[] {
    return this.passagesByLetter.get(id) ?? [];
  }

  private namePinyinTable?: PinyinTableData;

  /** The corpus's pinyin table with the characters of the letters' site owners added (built once). */
  private namePinyin(): PinyinTableData {
    if (!this.namePinyinTable) {
      const base = this.index.pinyin;
      const extra = buildPinyinTable(new Set(this.index.letters.flatMap((l) => [...normalizeForMatch(l.site ?? '')])));
      const merged: PinyinTableData = { ...base };
      for (const [syllable, chars] of Object.entries(extra)) {
        const have = merged[syllable] ?? '';
        merged[syllable] = have + [...chars].filter((c) => !have.includes(c)).join('');
      }
      this.namePinyinTable = merged;
    }
    return this.namePinyinTable;
  }

  /** The analysed form of a question (terms and weights), for explanations and tests. */
  analyze(question: string): AnalyzedQuery {
    const { passageLexical, letterLexical, english, commonEnglish, aliases } = this.index;
    // Names are read through the letters' metadata too (a county only the page's site owner names,
    // 盤山縣人民政府, is in no passage once the footer is dropped).
    const nameDf = (t: string) => passageLexical.df(t) || letterLexical.df(t);
    return analyzeQuery(question, { df: (t) => passageLexical.df(t), nameDf, english, commonEnglish, pinyin: this.namePinyin(), aliases });
  }

  /**
   * The RESCORE best passages by their own BM25 score (scaled to the best one's) plus their letter's
   * (scaled likewise, times letterBoost), with both parts. One pass over the passages ranks them with a
   * bounded heap: no per-passage `combined` buffer to fill and scan again, the score buffers reused.
   * (Visiting only the passages the query's postings touch measured no faster: a typical question's
   * postings cover twice the corpus, and sequential passes beat scattered ones.)
   */
  private bestPassages(terms: WeightedTerm[], letterTerms: WeightedTerm[], allow: Uint8Array | undefined, letterMask: Uint8Array | undefined) {
    const { passageLetter, passageLexical, letterLexical } = this.index;
    // Reused across searches; only used in this synchronous method, so concurrent searches cannot share them.
    const s = (this.scratch ??= { raw: new Float64Array(passageLexical.size), letterScores: new Float64Array(letterLexical.size) });
    const raw = passageLexical.scoreAll(terms, allow, s.raw);
    const boosts = letterLexical.scoreAll(letterTerms, letterMask, s.letterScores);
    toBoosts(boosts, this.letterBoost);
    const best = new BestHits(RESCORE);
    if (this.letterPassages) offerPassagesByLetter(best, raw, boosts, this.letterPassages);
    else offerPassages(best, raw, boosts, passageLetter);
    const candidates = best.hits().map((h) => h.doc);
    return { candidates, rawOf: candidates.map((id) => raw[id]), boosts: candidates.map((id) => boosts[passageLetter[id]]) };
  }

  /**
   * Ranked passages for a question.
   *
   * @example
   * const { refused, hits } = await engine.search('重庆和澳门青年交流有哪些安排？', { k: 5 });
   */
  async search(question: string, options: SearchOptions = {}): Promise<SearchResult> {
    const started = performance.now();
    const k = Math.max(1, Math.min(options.k ?? 10, 100));
    const { passages, passageLetter, passageLexical, letterLexical } = this.index;
    const letterMask = letterFilterMask(this.index.letters, options.filters);
    const allow = letterMask ? Uint8Array.from(passageLetter, (l) => letterMask[l]) : undefined;

    // Lexical channel.
    const t0 = performance.now();
    const query = this.analyze(question);
    const terms = withoutCommonTerms(query.terms, passageLexical, 'b:');
    const { candidates, rawOf, boosts } = this.bestPassages(terms, withoutCommonTerms(query.terms, letterLexical, ''), allow, letterMask);
    // Rescore the best candidates with the terms that only name their letter (its title, issuer,
    // addressee) counting less: the letter score already rewards them, and within a letter the
    // passage that answers is the one matching the rest of the question.
    // Which terms name a letter is worked out once per letter among the candidates, not per passage.
    const namingByLetter = new Map<number, Uint8Array>();
    const naming = passageLexical.partialScores(terms, candidates, (distinct, doc) => {
      const l = passageLetter[doc];
      let flags = namingByLetter.get(l);
      if (!flags) {
        const meta = letterMetadataTerms(this.index, l);
        flags = new Uint8Array(distinct.length);
        for (let j = 0; j < distinct.length; j++) flags[j] = meta.has(distinct[j]) ? 1 : 0;
        namingByLetter.set(l, flags);
      }
      return flags;
    });
    const rescored = candidates.map((_, i) => rawOf[i] - (1 - this.metadataTermWeight) * naming[i]);
    const maxR = Math.max(0, ...rescored);
    const final = new Map(candidates.map((id, i) => [id, (maxR > 0 ? rescored[i] / maxR : 0) + boosts[i]]));
    const lexicalRanked = candidates.sort((a, b) => final.get(b)! - final.get(a)! || a - b).slice(0, CANDIDATES);
    const lexicalMs = performance.now() - t0;

    // Dense channel.
    let embedMs = 0;
    let denseMs = 0;
    let denseRanked: number[] = [];
    if (this.embedder && this.index.dense && question.trim()) {
      const t1 = performance.now();
      const [vector] = await this.embedder.embedQueries([question]);
      embedMs = performance.now() - t1;
      const t2 = performance.now();
      const { vectors, labels, delta } = this.index.dense;
      const byLabel = labelLookup(labels);
      const filter = allow ? (label: number) => allow[byLabel.get(label) ?? 0] === 1 : undefined;
      // A layered index's newest passages are outside the graph, in a small exactly-searched set.
      const found = mergeHits(vectors.search(vector, CANDIDATES, filter), delta?.search(vector, CANDIDATES, filter) ?? [], CANDIDATES);
      denseRanked = found.map((h) => byLabel.get(h.label)).filter((x): x is number => x !== undefined);
      denseMs = performance.now() - t2;
    }

    // Fusion.
    const t3 = performance.now();
    const fused = denseRanked.length
      ? fuseRankings(
          [
            { ids: lexicalRanked, weight: this.fusion.lexicalWeight },
            { ids: denseRanked, weight: this.fusion.denseWeight },
          ],
          this.fusion.k,
        )
      : lexicalRanked.map((id) => ({ id, score: final.get(id)! }));
    const lexRank = new Map(lexicalRanked.map((id, i) => [id, i + 1]));
    const denseRank = new Map(denseRanked.map((id, i) => [id, i + 1]));
    const hits: SearchHit[] = fused.slice(0, k).map(({ id, score }) => ({
      passage: passages[id],
      letter: this.refs[passageLetter[id]],
      score,
      ranks: { lexical: lexRank.get(id), dense: denseRank.get(id) },
    }));
    // Judged on the lexical ranking: its rules read terms, and a dense hit's terms say nothing about them.
    const verdict = judgeRelevance(query, lexicalRanked.length ? lexicalRanked : fused.map((f) => f.id), this.index, this.refusal);
    const fusionMs = performance.now() - t3;

    const nearestLetters: LetterRef[] = [];
    for (const h of hits) if (!nearestLetters.includes(h.letter)) nearestLetters.push(h.letter);

    return {
      question,
      refused: verdict.refused,
      refusalReason: verdict.reason,
      confidence: verdict.confidence,
      hits,
      nearestLetters: nearestLetters.slice(0, 5),
      terms: query.display,
      timings: { embed: embedMs, lexical: lexicalMs, dense: denseMs, fusion: fusionMs, total: performance.now() - started },
    };
  }
}

// The per-passage loops live in small functions of typed arrays only, so V8 optimises them once
// and keeps them optimised (inside the engine's larger methods they deoptimised now and then, and an
// unoptimised pass over 105k passages boxes every double it computes).

function max(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) if (a[i] > m) m = a[i];
  return m;
}

/** Letter scores → the boost each letter gives its passages: `weight` × score ÷ the best letter's score. */
function toBoosts(scores: Float64Array, weight: number): void {
  const maxL = max(scores);
  for (let l = 0; l < scores.length; l++) scores[l] = maxL > 0 ? (weight * scores[l]) / maxL : 0;
}

/** Offers `best` every matched passage (raw > 0), scored raw ÷ the best raw score + its letter's boost. */
function offerPassages(best: BestHits, raw: Float64Array, boosts: Float64Array, passageLetter: Uint32Array): void {
  const maxP = max(raw);
  if (maxP <= 0) return;
  let floor = 0;
  for (let d = 0; d < raw.length; d++) {
    const r = raw[d];
    // Computed for every passage and tested against the heap's floor first: that test is nearly
    // always false, so well predicted, where testing `r > 0` first mispredicted on every other
    // passage (3× slower). Only passages the query matched (r > 0) are offered.
    const combined = r / maxP + boosts[passageLetter[d]];
    if (combined >= floor && r > 0) floor = best.offer(d, combined);
  }
}

const labelMaps = new WeakMap<Uint32Array, Map<number, number>>();

/** label → passage ordinal (cached per label array). */
function labelLookup(labels: Uint32Array): Map<number, number> {
  let m = labelMaps.get(labels);
  if (!m) {
    m = new Map();
    labels.forEach((label, i) => m!.set(label, i));
    labelMaps.set(labels, m);
  }
  return m;
}

interface LetterRanges {
  start: Uint32Array;
  end: Uint32Array;
  /** Scratch: letters already offered in the first round. */
  visited: Uint8Array;
}

/** Per letter, the range of its passages' ordinals, or null when some letter's passages are not contiguous. */
function letterRanges(passageLetter: Uint32Array, letters: number): LetterRanges | null {
  const start = new Uint32Array(letters);
  const end = new Uint32Array(letters);
  const seen = new Uint8Array(letters);
  for (let d = 0; d < passageLetter.length; d++) {
    const l = passageLetter[d];
    if (!seen[l]) {
      seen[l] = 1;
      start[l] = d;
    } else if (end[l] !== d) return null;
    end[l] = d + 1;
  }
  return { start, end, visited: new Uint8Array(letters) };
}

/** How many of the most boosted letters are offered first, to raise the heap's floor early. */
const FIRST_LETTERS = 32;

/**
 * offerPassages, letter by letter: the most boosted letters first, then the others in order, skipping
 * every letter whose boost + 1 is below the heap's floor — no passage of it can enter, as raw ÷ the
 * best raw score is at most 1. The same hits: BestHits keeps the same k whatever the order of offers.
 */
function offerPassagesByLetter(best: BestHits, raw: Float64Array, boosts: Float64Array, ranges: LetterRanges): void {
  const maxP = max(raw);
  if (maxP <= 0) return;
  const { start, end, visited } = ranges;
  const first = new BestHits(FIRST_LETTERS);
  for (let l = 0; l < boosts.length; l++) first.offer(l, boosts[l]);
  const firstLetters = first.hits();
  let floor = 0;
  for (const { doc: l } of firstLetters) {
    floor = offerRange(best, raw, maxP, boosts[l], start[l], end[l], floor);
    visited[l] = 1;
  }
  for (let l = 0; l < boosts.length; l++) {
    if (visited[l] || 1 + boosts[l] < floor) continue;
    floor = offerRange(best, raw, maxP, boosts[l], start[l], end[l], floor);
  }
  for (const { doc: l } of firstLetters) visited[l] = 0;
}

function offerRange(best: BestHits, raw: Float64Array, maxP: number, boost: number, from: number, to: number, floor: number): number {
  for (let d = from; d < to; d++) {
    const r = raw[d];
    const combined = r / maxP + boost;
    if (combined >= floor && r > 0) floor = best.offer(d, combined);
  }
  return floor;
}
