/**
 * BM25 over two families of terms: words (jieba words, Latin words, numbers) and CJK character
 * bigrams. Each family has its own length normalisation, and a query weights each of its terms.
 *
 * Storage is an inverted index in compressed-sparse-row typed arrays (term → documents, sorted,
 * with term frequencies) plus per-document lengths. Loading is a view onto the file's bytes; a
 * document's terms are looked up by binary search in the postings (rescoring, relevance checks);
 * incremental updates (drop some documents, append others) are typed-array copies (postingsUpdate.ts).
 */

import { updatePostings } from './postingsUpdate.ts';

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
  /** Per family, per document: k1 · (1 − b + b · len / avgLen), the BM25 length factor. */
  private readonly norm: { w: Float32Array; b: Float32Array };

  constructor(data: LexicalIndexData) {
    this.data = data;
    this.params = data.params;
    this.termIds = new Map();
    for (let i = 0; i < data.vocab.length; i++) this.termIds.set(data.vocab[i], i);
    this.norm = { w: lengthFactors(data.wordLengths, data.params), b: lengthFactors(data.bigramLengths, data.params) };
  }

  /**
   * Builds an index from term lists (one per document, in document order).
   *
   * @example
   * LexicalIndex.fromDocuments(passages.map((p) => documentTerms(p.text)));
   */
  static fromDocuments(docs: DocumentTerms[], params: Bm25Params = DEFAULT_BM25): LexicalIndex {
    return new LexicalIndex(updatePostings(emptyData(params), new Uint8Array(0), docs));
  }

  /** Number of documents. */
  get size(): number {
    return this.data.wordLengths.length;
  }

  /** Number of documents containing a term (`w:…` or `b:…`). */
  df(term: string): number {
    const t = this.termIds.get(term);
    return t === undefined ? 0 : this.data.postingOffsets[t + 1] - this.data.postingOffsets[t];
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
    const t = this.termIds.get(term);
    if (t === undefined) return 0;
    const p = this.find(t, doc);
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
   */
  scoreAll(query: WeightedTerm[], allow?: Uint8Array, into?: Float64Array): Float64Array {
    const { postingOffsets, postingDocs, postingTfs } = this.data;
    const k1p1 = this.params.k1 + 1;
    const scores = into && into.length >= this.size ? into.fill(0, 0, this.size) : new Float64Array(this.size);
    for (const { term, weight } of query) {
      const t = this.termIds.get(term);
      if (t === undefined || weight === 0) continue;
      const norm = term.charCodeAt(0) === 119 /* w */ ? this.norm.w : this.norm.b;
      const w = this.idf(term) * weight * k1p1;
      const end = postingOffsets[t + 1];
      for (let p = postingOffsets[t]; p < end; p++) {
        const d = postingDocs[p];
        if (allow && !allow[d]) continue;
        const tf = postingTfs[p];
        scores[d] += (w * tf) / (tf + norm[d]);
      }
    }
    return scores;
  }

  /**
   * For a few documents, the part of their BM25 score that comes from the query terms `include`
   * selects for that document (e.g. the terms that merely name the document's letter). Only those
   * terms are looked up, by binary search in their postings.
   */
  partialScores(query: WeightedTerm[], docs: number[], include: (term: string, doc: number) => boolean): Float64Array {
    const k1p1 = this.params.k1 + 1;
    const out = new Float64Array(docs.length);
    const weights = new Map<string, number>();
    for (const { term, weight } of query) if (weight > (weights.get(term) ?? 0) && this.termIds.has(term)) weights.set(term, weight);
    docs.forEach((d, i) => {
      for (const [term, weight] of weights) {
        if (!include(term, d)) continue;
        const p = this.find(this.termIds.get(term)!, d);
        if (p < 0) continue;
        const tf = this.data.postingTfs[p];
        const norm = term.charCodeAt(0) === 119 ? this.norm.w : this.norm.b;
        out[i] += (this.idf(term) * weight * k1p1 * tf) / (tf + norm[d]);
      }
    });
    return out;
  }

  /** All terms of the index (for building dictionaries restricted to the corpus). */
  terms(): readonly string[] {
    return this.data.vocab;
  }

  /** The persisted form. */
  toData(): LexicalIndexData {
    return this.data;
  }

  /**
   * A new index keeping the documents whose flag in `keep` is set (in order, renumbered from 0),
   * followed by `added`. Kept documents are not re-tokenised: their postings are copied.
   */
  withChanges(keep: Uint8Array, added: DocumentTerms[]): LexicalIndex {
    return new LexicalIndex(updatePostings(this.data, keep, added));
  }

  /** Position of `doc` in term `t`'s postings, or -1. */
  private find(t: number, doc: number): number {
    const docs = this.data.postingDocs;
    let lo = this.data.postingOffsets[t];
    let hi = this.data.postingOffsets[t + 1] - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = docs[mid];
      if (v === doc) return mid;
      if (v < doc) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}

function lengthFactors(lengths: Uint32Array, { k1, b }: Bm25Params): Float32Array {
  let sum = 0;
  for (let i = 0; i < lengths.length; i++) sum += lengths[i];
  const avg = lengths.length && sum ? sum / lengths.length : 1;
  const out = new Float32Array(lengths.length);
  for (let i = 0; i < lengths.length; i++) out[i] = k1 * (1 - b + (b * lengths[i]) / avg);
  return out;
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
 * A bounded min-heap in typed arrays: one pass, no allocation per candidate.
 */
export function topK(scores: Float64Array, k: number): LexicalHit[] {
  if (k <= 0) return [];
  const heapScore = new Float64Array(k);
  const heapDoc = new Int32Array(k);
  let size = 0;
  // Heap order: smaller score first; on equal scores the larger index is "smaller" (evicted first).
  const less = (i: number, j: number) => heapScore[i] < heapScore[j] || (heapScore[i] === heapScore[j] && heapDoc[i] > heapDoc[j]);
  const swap = (i: number, j: number) => {
    const s = heapScore[i];
    heapScore[i] = heapScore[j];
    heapScore[j] = s;
    const d = heapDoc[i];
    heapDoc[i] = heapDoc[j];
    heapDoc[j] = d;
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < size && less(l, m)) m = l;
      if (r < size && less(r, m)) m = r;
      if (m === i) return;
      swap(i, m);
      i = m;
    }
  };
  for (let d = 0; d < scores.length; d++) {
    const s = scores[d];
    if (s <= 0) continue;
    if (size < k) {
      heapScore[size] = s;
      heapDoc[size] = d;
      for (let i = size++; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (!less(i, parent)) break;
        swap(i, parent);
        i = parent;
      }
    } else if (s > heapScore[0]) {
      heapScore[0] = s;
      heapDoc[0] = d;
      down(0);
    }
  }
  const hits: LexicalHit[] = [];
  for (let i = 0; i < size; i++) hits.push({ doc: heapDoc[i], score: heapScore[i] });
  return hits.sort((x, y) => y.score - x.score || x.doc - y.doc);
}
