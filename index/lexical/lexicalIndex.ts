/**
 * BM25 over two families of terms: words (jieba words, Latin words, numbers) and CJK character
 * bigrams. Each family has its own length normalisation, and a query weights each of its terms.
 *
 * Storage is an inverted index in compressed-sparse-row typed arrays (term → documents, sorted,
 * with term frequencies) plus per-document lengths. Loading is a view onto the file's bytes; a
 * document's terms are looked up by binary search in the postings (rescoring, relevance checks);
 * incremental updates (drop some documents, append others) are typed-array copies (postingsUpdate.ts).
 *
 * An index may also be layered (`LexicalIndex.layered`): a large base whose removed documents are
 * masked out, plus a small delta of new documents, scored together with the statistics of the
 * documents that are live (document count, lengths, document frequencies) — exactly the scores the
 * compacted index would give, without rewriting the base. Incremental builds write only the delta.
 */

import { average, findPosting, lengthFactors, scorePostings, termIdsOf } from './bm25.ts';
import { baseAllowOf, makeLayer, mergeLayer, scoreShifted, type Layer } from './lexicalLayer.ts';
import { updatePostings } from './postingsUpdate.ts';
import type { TermRows } from './termRows.ts';

/** Term families: 'w' words (incl. Latin/numbers), 'b' character bigrams. */
export type TermFamily = 'w' | 'b';

/** The terms of one document, by family, before counting. */
export interface DocumentTerms {
  words: string[];
  bigrams: string[];
}

/** A query term: a family-prefixed term (`w:农业`, `b:农业`) and its weight. */
export interface WeightedTerm {
  term: string;
  weight: number;
}

export interface Bm25Params {
  /** Term-frequency saturation (default 1.2). */
  k1: number;
  /** Length normalisation (default 0.75). */
  b: number;
}

export const DEFAULT_BM25: Bm25Params = { k1: 1.2, b: 0.75 };

/** What LexicalIndex persists: the vocabulary and typed arrays. */
export interface LexicalIndexData {
  vocab: string[];
  /** term id → start of its postings (length vocab + 1). */
  postingOffsets: Uint32Array;
  /** Document ordinals, ascending within each term. */
  postingDocs: Uint32Array;
  /** Term frequencies, capped at 255 (BM25 saturates long before: k1 = 1.2). */
  postingTfs: Uint8Array;
  /** Per-document length in word terms and in bigram terms. */
  wordLengths: Uint32Array;
  bigramLengths: Uint32Array;
  params: Bm25Params;
}

/** One scored document. */
export interface LexicalHit {
  doc: number;
  score: number;
}

/**
 * A BM25 index over documents numbered 0..size-1.
 *
 * @example
 * const index = LexicalIndex.fromDocuments([{ words: ['农业'], bigrams: ['农业'] }]);
 * index.search([{ term: 'w:农业', weight: 1 }], 10); // → [{ doc: 0, score: … }]
 */
export class LexicalIndex {
  readonly params: Bm25Params;
  private readonly data: LexicalIndexData;
  private readonly termIds: Map<string, number>;
  /** Per family, per (base) document: k1 · (1 − b + b · len / avgLen), the BM25 length factor. */
  private readonly norm: { w: Float32Array; b: Float32Array };
  /** The removed base documents and the delta, when layered. */
  private readonly layer: Layer | null;
  private merged?: readonly string[];

  constructor(data: LexicalIndexData, layer?: { removed: Uint8Array; delta: LexicalIndexData }) {
    this.data = data;
    this.params = data.params;
    this.termIds = termIdsOf(data.vocab);
    this.layer = layer ? makeLayer(data, layer.removed, layer.delta) : null;
    const avg = this.layer ? this.layer.avg : { w: average(data.wordLengths), b: average(data.bigramLengths) };
    this.norm = { w: lengthFactors(data.wordLengths, avg.w, data.params), b: lengthFactors(data.bigramLengths, avg.b, data.params) };
  }

  /**
   * A base index with some of its documents removed (`removed[d]` set), followed by the documents
   * of `delta` (numbered after the base's live ones). Scores, document frequencies and document
   * numbers are those of the compacted index `base.withChanges(keep, deltaDocuments)`.
   *
   * @example
   * const index = LexicalIndex.layered(base.toData(), Uint8Array.of(0, 1), delta.toData());
   * index.size // → base.size − 1 + delta.size
   */
  static layered(base: LexicalIndexData, removed: Uint8Array, delta: LexicalIndexData): LexicalIndex {
    return new LexicalIndex(base, { removed, delta });
  }

  /**
   * Builds an index from term lists (one per document, in document order), or from rows counted already.
   *
   * @example
   * LexicalIndex.fromDocuments(passages.map((p) => documentTerms(p.text)));
   */
  static fromDocuments(docs: DocumentTerms[] | TermRows, params: Bm25Params = DEFAULT_BM25): LexicalIndex {
    return new LexicalIndex(updatePostings(emptyData(params), new Uint8Array(0), docs));
  }

  /** Number of documents. */
  get size(): number {
    return this.layer ? this.layer.liveBase + this.layer.delta.wordLengths.length : this.data.wordLengths.length;
  }

  /** Number of documents containing a term (`w:…` or `b:…`). */
  df(term: string): number {
    const t = this.termIds.get(term);
    let df = t === undefined ? 0 : this.data.postingOffsets[t + 1] - this.data.postingOffsets[t];
    const layer = this.layer;
    if (layer) {
      if (t !== undefined) df -= layer.removedDf[t];
      const u = layer.termIds.get(term);
      if (u !== undefined) df += layer.delta.postingOffsets[u + 1] - layer.delta.postingOffsets[u];
    }
    return df;
  }

  /** True when the term occurs anywhere. */
  has(term: string): boolean {
    return this.df(term) > 0;
  }

  /** Inverse document frequency (BM25+ style, always positive). */
  idf(term: string): number {
    const n = this.size;
    const df = this.df(term);
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** How often a term occurs in one document (0 when it does not). */
  tf(doc: number, term: string): number {
    const layer = this.layer;
    if (layer && doc >= layer.liveBase) {
      const u = layer.termIds.get(term);
      if (u === undefined) return 0;
      const p = findPosting(layer.delta, u, doc - layer.liveBase);
      return p < 0 ? 0 : layer.delta.postingTfs[p];
    }
    const t = this.termIds.get(term);
    if (t === undefined) return 0;
    const p = findPosting(this.data, t, layer ? layer.baseDoc[doc] : doc);
    return p < 0 ? 0 : this.data.postingTfs[p];
  }

  /** True when a document contains the term. */
  contains(doc: number, term: string): boolean {
    return this.tf(doc, term) > 0;
  }

  /**
   * Scores every document for a weighted query; returns the best `k`, best first.
   * `allow`, when given, limits the search to documents with a non-zero flag (filters).
   */
  search(query: WeightedTerm[], k: number, allow?: Uint8Array): LexicalHit[] {
    return topK(this.scoreAll(query, allow), k);
  }

  /**
   * Scores of all documents for a weighted query (0 where nothing matches).
   * `into`, when given (length ≥ size), is zeroed and reused, sparing an allocation per query.
   *
   * @example
   * index.scoreAll([{ term: 'w:农业', weight: 1 }])[0] // → BM25 of document 0
   */
  scoreAll(query: WeightedTerm[], allow?: Uint8Array, into?: Float64Array): Float64Array {
    const { postingOffsets, postingDocs, postingTfs } = this.data;
    const layer = this.layer;
    const k1p1 = this.params.k1 + 1;
    const size = this.size;
    // A layered index overwrites its live base documents' scores below: only the delta's need zeros.
    const scores = into && into.length >= size ? into.fill(0, layer ? layer.liveBase : 0, size) : new Float64Array(size);
    // Per term: where its postings are read up to, where they end, idf·weight·(k1+1), its family's length factors
    // (and the same for the delta's postings of the term, when layered).
    const at: number[] = [];
    const ends: number[] = [];
    const factors: number[] = [];
    const norms: Float32Array[] = [];
    const delta: { at: number[]; ends: number[]; factors: number[]; norms: Float32Array[] } = { at: [], ends: [], factors: [], norms: [] };
    for (const { term, weight } of query) {
      if (weight === 0) continue;
      const t = this.termIds.get(term);
      const u = layer?.termIds.get(term);
      if (t === undefined && u === undefined) continue;
      const factor = this.idf(term) * weight * k1p1;
      const isWord = term.charCodeAt(0) === 119; /* w */
      if (t !== undefined) {
        at.push(postingOffsets[t]);
        ends.push(postingOffsets[t + 1]);
        factors.push(factor);
        norms.push(isWord ? this.norm.w : this.norm.b);
      }
      if (layer && u !== undefined) {
        delta.at.push(layer.delta.postingOffsets[u]);
        delta.ends.push(layer.delta.postingOffsets[u + 1]);
        delta.factors.push(factor);
        delta.norms.push(isWord ? layer.norm.w : layer.norm.b);
      }
    }
    if (layer) {
      // The base is scored in its own numbering with the plain loop (a renumbering per posting measured
      // 30 % slower), then its runs of live documents are copied to their places (a few memory copies).
      const baseScores = (layer.scratch ??= new Float64Array(layer.remap.length)).fill(0);
      scorePostings(baseScores, baseScores.length, postingDocs, postingTfs, at, ends, factors, norms, allow && baseAllowOf(layer, allow));
      for (let r = 0; r < layer.runs.length; r += 3) scores.set(baseScores.subarray(layer.runs[r], layer.runs[r + 1]), layer.runs[r + 2]);
      scoreShifted(scores, layer.delta.postingDocs, layer.delta.postingTfs, delta, layer.liveBase, allow);
      return scores;
    }
    scorePostings(scores, size, postingDocs, postingTfs, at, ends, factors, norms, allow);
    return scores;
  }

  /**
   * For a few documents, the part of their BM25 score that comes from the query terms `select`
   * flags for that document (e.g. the terms that merely name the document's letter). `select` gets
   * the query's distinct terms and a document and returns a 0/1 flag per term (documents may share
   * one flag array); only flagged terms are looked up, by binary search in their postings.
   *
   * @example
   * index.partialScores(terms, [4, 9], (distinct) => distinct.map((t) => (t === 'w:青岛' ? 1 : 0)))
   */
  partialScores(query: WeightedTerm[], docs: number[], select: (terms: readonly string[], doc: number) => ArrayLike<number>): Float64Array {
    const layer = this.layer;
    const k1p1 = this.params.k1 + 1;
    const out = new Float64Array(docs.length);
    const weights = new Map<string, number>();
    for (const { term, weight } of query) if (weight > (weights.get(term) ?? 0) && (this.termIds.has(term) || layer?.termIds.has(term))) weights.set(term, weight);
    // Per term, hoisted out of the document loop: ids (base, delta), idf·weight·(k1+1) and the family's length factors.
    const terms = [...weights.keys()];
    const ids = terms.map((term) => this.termIds.get(term) ?? -1);
    const deltaIds = terms.map((term) => layer?.termIds.get(term) ?? -1);
    const factors = terms.map((term) => this.idf(term) * weights.get(term)! * k1p1);
    const isWord = terms.map((term) => term.charCodeAt(0) === 119);
    for (let i = 0; i < docs.length; i++) {
      const d = docs[i];
      const flags = select(terms, d);
      // Where the document lives: the base (its number there) or the delta.
      const inDelta = layer !== null && d >= layer.liveBase;
      const data = inDelta ? layer.delta : this.data;
      const local = inDelta ? d - layer.liveBase : layer ? layer.baseDoc[d] : d;
      const norm = inDelta ? layer.norm : this.norm;
      for (let j = 0; j < terms.length; j++) {
        if (!flags[j]) continue;
        const t = inDelta ? deltaIds[j] : ids[j];
        if (t < 0) continue;
        const p = findPosting(data, t, local);
        if (p < 0) continue;
        const tf = data.postingTfs[p];
        out[i] += (factors[j] * tf) / (tf + (isWord[j] ? norm.w : norm.b)[local]);
      }
    }
    return out;
  }

  /** All terms of the index (for building dictionaries restricted to the corpus): the base's, then the delta's new ones. */
  terms(): readonly string[] {
    if (!this.layer) return this.data.vocab;
    if (!this.merged) {
      const added = this.layer.delta.vocab.filter((term) => !this.termIds.has(term));
      this.merged = added.length ? [...this.data.vocab, ...added] : this.data.vocab;
    }
    return this.merged;
  }

  /** The persisted form (of an index that is not layered: see `compacted`). */
  toData(): LexicalIndexData {
    if (this.layer) throw new Error('LexicalIndex.toData: a layered index has no single form; compact it first');
    return this.data;
  }

  /**
   * The same documents, numbers and scores in one index (a layered index merged; any other returned as it is).
   *
   * @example
   * LexicalIndex.layered(base, removed, delta).compacted().toData()
   */
  compacted(): LexicalIndex {
    return this.layer ? new LexicalIndex(mergeLayer(this.data, this.layer, this.terms())) : this;
  }

  /**
   * A new index keeping the documents whose flag in `keep` is set (in order, renumbered from 0),
   * followed by `added` (term lists, or rows counted already: see termRows.ts). Kept documents are not
   * re-tokenised: their postings are copied.
   */
  withChanges(keep: Uint8Array, added: DocumentTerms[] | TermRows): LexicalIndex {
    return new LexicalIndex(updatePostings(this.compacted().data, keep, added));
  }
}

function emptyData(params: Bm25Params): LexicalIndexData {
  return {
    vocab: [],
    postingOffsets: Uint32Array.of(0),
    postingDocs: new Uint32Array(0),
    postingTfs: new Uint8Array(0),
    wordLengths: new Uint32Array(0),
    bigramLengths: new Uint32Array(0),
    params,
  };
}

/**
 * Indices of the k largest positive scores, best first (ties: lower index first).
 *
 * @example
 * topK(Float64Array.of(0, 2, 1), 2) // → [{ doc: 1, score: 2 }, { doc: 2, score: 1 }]
 */
export function topK(scores: Float64Array, k: number): LexicalHit[] {
  const best = new BestHits(k);
  for (let d = 0; d < scores.length; d++) best.offer(d, scores[d]);
  return best.hits();
}

/**
 * The k best positive-scored documents offered to it, in any order: a bounded min-heap in typed
 * arrays (no allocation per offer). Ties go to the lower document number, so the result does not
 * depend on the order of the offers.
 *
 * @example
 * const best = new BestHits(2);
 * best.offer(7, 0.5); best.offer(3, 0.9); best.offer(5, 0.1);
 * best.hits() // → [{ doc: 3, score: 0.9 }, { doc: 7, score: 0.5 }]
 */
export class BestHits {
  private readonly k: number;
  private readonly heapScore: Float64Array;
  private readonly heapDoc: Int32Array;
  private size = 0;

  constructor(k: number) {
    this.k = Math.max(0, k);
    this.heapScore = new Float64Array(this.k);
    this.heapDoc = new Int32Array(this.k);
  }

  /**
   * Considers one document (scores ≤ 0 are ignored). Returns the score a document now needs to
   * enter (with a tie, a lower document number than the worst kept): 0 until k are kept.
   */
  offer(doc: number, score: number): number {
    if (!(score > 0)) return this.floor();
    const { heapScore, heapDoc } = this;
    if (this.size < this.k) {
      let i = this.size++;
      // Sift up.
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!worse(score, doc, heapScore[parent], heapDoc[parent])) break;
        heapScore[i] = heapScore[parent];
        heapDoc[i] = heapDoc[parent];
        i = parent;
      }
      heapScore[i] = score;
      heapDoc[i] = doc;
    } else if (this.k > 0 && worse(heapScore[0], heapDoc[0], score, doc)) {
      this.replaceRoot(doc, score);
    }
    return this.floor();
  }

  private floor(): number {
    return this.size === this.k && this.k > 0 ? this.heapScore[0] : 0;
  }

  /** The hits kept, best first. */
  hits(): LexicalHit[] {
    const hits: LexicalHit[] = [];
    for (let i = 0; i < this.size; i++) hits.push({ doc: this.heapDoc[i], score: this.heapScore[i] });
    return hits.sort((x, y) => y.score - x.score || x.doc - y.doc);
  }

  private replaceRoot(doc: number, score: number): void {
    const { heapScore, heapDoc, size } = this;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= size) break;
      const r = l + 1;
      const m = r < size && worse(heapScore[r], heapDoc[r], heapScore[l], heapDoc[l]) ? r : l;
      if (!worse(heapScore[m], heapDoc[m], score, doc)) break;
      heapScore[i] = heapScore[m];
      heapDoc[i] = heapDoc[m];
      i = m;
    }
    heapScore[i] = score;
    heapDoc[i] = doc;
  }
}

/** Whether hit (s1, d1) ranks below hit (s2, d2): lower score, or equal score and higher document number. */
function worse(s1: number, d1: number, s2: number, d2: number): boolean {
  return s1 < s2 || (s1 === s2 && d1 > d2);
}
