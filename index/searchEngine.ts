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
import { DEFAULT_FUSION, fuseRankings, type FusionParams } from './fusion.ts';
import { analyzeQuery, type AnalyzedQuery } from './lexical/analyzeQuery.ts';
import { topK, type LexicalIndex, type WeightedTerm } from './lexical/lexicalIndex.ts';
import { letterFilterMask } from './letterFilter.ts';
import { letterMetadataTerms } from './letterMetadataTerms.ts';
import { letterRefOf } from './letterRef.ts';
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
  /** Reused per-passage score buffers (see search). */
  private scratch?: [Float64Array, Float64Array];

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

  letter(id: string): Letter | undefined {
    const i = this.letterById.get(id);
    return i === undefined ? undefined : this.index.letters[i];
  }

  letterRef(id: string): LetterRef | undefined {
    const i = this.letterById.get(id);
    return i === undefined ? undefined : this.refs[i];
  }

  passagesOf(id: string): Passage[] {
    return this.passagesByLetter.get(id) ?? [];
  }

  /** The analysed form of a question (terms and weights), for explanations and tests. */
  analyze(question: string): AnalyzedQuery {
    const { passageLexical, english, commonEnglish, pinyin, aliases } = this.index;
    return analyzeQuery(question, { df: (t) => passageLexical.df(t), english, commonEnglish, pinyin, aliases });
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
    // The scratch buffers are only used in this synchronous stretch, so concurrent searches cannot share them.
    this.scratch ??= [new Float64Array(passages.length), new Float64Array(passages.length)];
    const [raw, combined] = this.scratch;
    passageLexical.scoreAll(terms, allow, raw);
    const letterScores = letterLexical.scoreAll(withoutCommonTerms(query.terms, letterLexical, ''), letterMask);
    const maxP = max(raw);
    const maxL = max(letterScores);
    const boost = (id: number) => (maxL > 0 ? (this.letterBoost * letterScores[passageLetter[id]]) / maxL : 0);
    combined.fill(0);
    if (maxP > 0) {
      for (let i = 0; i < passages.length; i++) if (raw[i] > 0) combined[i] = raw[i] / maxP + boost(i);
    }
    // Rescore the best candidates with the terms that only name their letter (its title, issuer,
    // addressee) counting less: the letter score already rewards them, and within a letter the
    // passage that answers is the one matching the rest of the question.
    const candidates = topIndices(combined, RESCORE);
    const naming = passageLexical.partialScores(terms, candidates, (term, doc) => letterMetadataTerms(this.index, passageLetter[doc]).has(term));
    const rescored = candidates.map((id, i) => raw[id] - (1 - this.metadataTermWeight) * naming[i]);
    const maxR = Math.max(0, ...rescored);
    const final = new Map(candidates.map((id, i) => [id, (maxR > 0 ? rescored[i] / maxR : 0) + boost(id)]));
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
      const { vectors, labels } = this.index.dense;
      const byLabel = labelLookup(labels);
      const found = vectors.search(vector, CANDIDATES, allow ? (label) => allow[byLabel.get(label) ?? 0] === 1 : undefined);
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
      confidence: verdict.confidence,
      hits,
      nearestLetters: nearestLetters.slice(0, 5),
      terms: query.display,
      timings: { embed: embedMs, lexical: lexicalMs, dense: denseMs, fusion: fusionMs, total: performance.now() - started },
    };
  }
}

function max(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) if (a[i] > m) m = a[i];
  return m;
}

/** Indices of the n largest positive values, best first. */
function topIndices(a: Float64Array, n: number): number[] {
  return topK(a, n).map((h) => h.doc);
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
