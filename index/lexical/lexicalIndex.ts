/**
 * BM25 over two families of terms: words (jieba words, Latin words, numbers) and CJK character
 * bigrams. Each family has its own length normalisation, and a query weights each of its terms.
 *
 * Storage is a forward index (document → term ids, as compressed-sparse-row typed arrays);
 * postings are derived from it on load. That makes saving, loading and incremental updates
 * (drop some documents, append others) plain array work, with no re-tokenisation.
 */

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

/** What LexicalIndex persists: plain JSON + typed arrays. */
export interface LexicalIndexData {
  vocab: string[];
  docTermOffsets: Uint32Array;
  docTermIds: Uint32Array;
  docTermTfs: Uint16Array;
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
  private readonly vocab: string[];
  private readonly termIds: Map<string, number>;
  private readonly docTermOffsets: Uint32Array;
  private readonly docTermIds: Uint32Array;
  private readonly docTermTfs: Uint16Array;
  // Derived on construction.
  private readonly postingOffsets: Uint32Array;
  private readonly postingDocs: Uint32Array;
  private readonly postingTfs: Uint16Array;
  private readonly docLen: { w: Float32Array; b: Float32Array };
  private readonly avgLen: { w: number; b: number };
  private readonly wordTerm: Uint8Array;

  constructor(data: LexicalIndexData) {
    this.params = data.params;
    this.vocab = data.vocab;
    this.docTermOffsets = data.docTermOffsets;
    this.docTermIds = data.docTermIds;
    this.docTermTfs = data.docTermTfs;
    this.termIds = new Map(this.vocab.map((t, i) => [t, i]));
    this.wordTerm = new Uint8Array(this.vocab.length);
    for (let i = 0; i < this.vocab.length; i++) this.wordTerm[i] = this.vocab[i].startsWith('w:') ? 1 : 0;

    const n = this.size;
    const V = this.vocab.length;
    // Document lengths per family.
    const lw = new Float32Array(n);
    const lb = new Float32Array(n);
    const df = new Uint32Array(V + 1);
    for (let d = 0; d < n; d++) {
      for (let j = this.docTermOffsets[d]; j < this.docTermOffsets[d + 1]; j++) {
        const t = this.docTermIds[j];
        if (this.wordTerm[t]) lw[d] += this.docTermTfs[j];
        else lb[d] += this.docTermTfs[j];
        df[t + 1]++;
      }
    }
    this.docLen = { w: lw, b: lb };
    this.avgLen = { w: mean(lw) || 1, b: mean(lb) || 1 };
    // Transpose forward → postings (counting sort by term id).
    for (let t = 0; t < V; t++) df[t + 1] += df[t];
    this.postingOffsets = df;
    const fill = df.slice(0, V);
    this.postingDocs = new Uint32Array(this.docTermIds.length);
    this.postingTfs = new Uint16Array(this.docTermIds.length);
    for (let d = 0; d < n; d++) {
      for (let j = this.docTermOffsets[d]; j < this.docTermOffsets[d + 1]; j++) {
        const t = this.docTermIds[j];
        const p = fill[t]++;
        this.postingDocs[p] = d;
        this.postingTfs[p] = this.docTermTfs[j];
      }
    }
  }

  /**
   * Builds an index from term lists (one per document, in document order).
   *
   * @example
   * LexicalIndex.fromDocuments(passages.map((p) => documentTerms(p.text)));
   */
  static fromDocuments(docs: DocumentTerms[], params: Bm25Params = DEFAULT_BM25): LexicalIndex {
    return new LexicalIndex(appendDocuments(emptyData(params), docs));
  }

  /** Number of documents. */
  get size(): number {
    return this.docTermOffsets.length - 1;
  }

  /** Number of documents containing a term (`w:…` or `b:…`). */
  df(term: string): number {
    const t = this.termIds.get(term);
    return t === undefined ? 0 : this.postingOffsets[t + 1] - this.postingOffsets[t];
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

  /**
   * Scores every document for a weighted query; returns the best `k`, best first.
   * `allow`, when given, limits the search to documents with a non-zero flag (filters).
   */
  search(query: WeightedTerm[], k: number, allow?: Uint8Array): LexicalHit[] {
    const scores = this.scoreAll(query, allow);
    return topK(scores, k);
  }

  /** Scores of all documents for a weighted query (0 where nothing matches). */
  scoreAll(query: WeightedTerm[], allow?: Uint8Array): Float64Array {
    const { k1, b } = this.params;
    const scores = new Float64Array(this.size);
    for (const { term, weight } of query) {
      const t = this.termIds.get(term);
      if (t === undefined || weight === 0) continue;
      const family: TermFamily = this.wordTerm[t] ? 'w' : 'b';
      const len = this.docLen[family];
      const avg = this.avgLen[family];
      const idf = this.idf(term) * weight;
      for (let p = this.postingOffsets[t]; p < this.postingOffsets[t + 1]; p++) {
        const d = this.postingDocs[p];
        if (allow && !allow[d]) continue;
        const tf = this.postingTfs[p];
        scores[d] += (idf * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * len[d]) / avg));
      }
    }
    return scores;
  }

  /**
   * BM25 scores of a few documents, each term's weight adjusted per document by `adjust`
   * (e.g. less for terms that merely name the document's letter). Reads the forward rows only.
   */
  rescore(query: WeightedTerm[], docs: number[], adjust: (term: string, doc: number) => number): Float64Array {
    const { k1, b } = this.params;
    const byId = new Map<number, { term: string; weight: number; idf: number }>();
    for (const { term, weight } of query) {
      const t = this.termIds.get(term);
      if (t !== undefined && weight !== 0) byId.set(t, { term, weight: Math.max(weight, byId.get(t)?.weight ?? 0), idf: this.idf(term) });
    }
    const out = new Float64Array(docs.length);
    docs.forEach((d, i) => {
      let score = 0;
      for (let j = this.docTermOffsets[d]; j < this.docTermOffsets[d + 1]; j++) {
        const q = byId.get(this.docTermIds[j]);
        if (!q) continue;
        const family: TermFamily = this.wordTerm[this.docTermIds[j]] ? 'w' : 'b';
        const tf = this.docTermTfs[j];
        const norm = tf + k1 * (1 - b + (b * this.docLen[family][d]) / this.avgLen[family]);
        score += (adjust(q.term, d) * q.weight * q.idf * tf * (k1 + 1)) / norm;
      }
      out[i] = score;
    });
    return out;
  }

  /** Term ids → terms of one document (for matching explanations and incremental updates). */
  documentTermSet(doc: number): Set<string> {
    const out = new Set<string>();
    for (let j = this.docTermOffsets[doc]; j < this.docTermOffsets[doc + 1]; j++) out.add(this.vocab[this.docTermIds[j]]);
    return out;
  }

  /** All terms of the index (for building dictionaries restricted to the corpus). */
  terms(): readonly string[] {
    return this.vocab;
  }

  /** The persisted form. */
  toData(): LexicalIndexData {
    return {
      vocab: this.vocab,
      docTermOffsets: this.docTermOffsets,
      docTermIds: this.docTermIds,
      docTermTfs: this.docTermTfs,
      params: this.params,
    };
  }

  /**
   * A new index keeping the documents whose flag in `keep` is set (in order), followed by `added`.
   * Unchanged documents are not re-tokenised: their rows are copied.
   */
  withChanges(keep: Uint8Array, added: DocumentTerms[]): LexicalIndex {
    // Copy kept rows with typed-array slices: at 100,000 passages this is ~15M entries, which
    // element-by-element JavaScript arrays would make seconds slower and gigabytes larger.
    let rows = 0;
    let entries = 0;
    for (let d = 0; d < this.size; d++) {
      if (!keep[d]) continue;
      rows++;
      entries += this.docTermOffsets[d + 1] - this.docTermOffsets[d];
    }
    const offsets = new Uint32Array(rows + 1);
    const ids = new Uint32Array(entries);
    const tfs = new Uint16Array(entries);
    let row = 0;
    let at = 0;
    for (let d = 0; d < this.size; d++) {
      if (!keep[d]) continue;
      const from = this.docTermOffsets[d];
      const to = this.docTermOffsets[d + 1];
      ids.set(this.docTermIds.subarray(from, to), at);
      tfs.set(this.docTermTfs.subarray(from, to), at);
      at += to - from;
      offsets[++row] = at;
    }
    const kept: LexicalIndexData = { vocab: this.vocab.slice(), docTermOffsets: offsets, docTermIds: ids, docTermTfs: tfs, params: this.params };
    return new LexicalIndex(appendDocuments(kept, added));
  }
}

function emptyData(params: Bm25Params): LexicalIndexData {
  return { vocab: [], docTermOffsets: Uint32Array.of(0), docTermIds: new Uint32Array(0), docTermTfs: new Uint16Array(0), params };
}

/** Appends documents to index data (vocabulary grows as needed). */
function appendDocuments(data: LexicalIndexData, docs: DocumentTerms[]): LexicalIndexData {
  if (!docs.length) return data;
  const vocab = data.vocab;
  const ids = new Map(vocab.map((t, i) => [t, i]));
  const newOffsets: number[] = [];
  const newIds: number[] = [];
  const newTfs: number[] = [];
  const base = data.docTermIds.length;
  for (const doc of docs) {
    const counts = new Map<string, number>();
    for (const w of doc.words) counts.set('w:' + w, (counts.get('w:' + w) ?? 0) + 1);
    for (const g of doc.bigrams) counts.set('b:' + g, (counts.get('b:' + g) ?? 0) + 1);
    for (const [term, tf] of counts) {
      let id = ids.get(term);
      if (id === undefined) {
        id = vocab.length;
        vocab.push(term);
        ids.set(term, id);
      }
      newIds.push(id);
      newTfs.push(Math.min(tf, 65535));
    }
    newOffsets.push(base + newIds.length);
  }
  const offsets = new Uint32Array(data.docTermOffsets.length + docs.length);
  offsets.set(data.docTermOffsets);
  offsets.set(newOffsets, data.docTermOffsets.length);
  const termIds = new Uint32Array(base + newIds.length);
  termIds.set(data.docTermIds);
  termIds.set(newIds, base);
  const termTfs = new Uint16Array(base + newTfs.length);
  termTfs.set(data.docTermTfs);
  termTfs.set(newTfs, base);
  return { vocab, docTermOffsets: offsets, docTermIds: termIds, docTermTfs: termTfs, params: data.params };
}

function mean(a: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return a.length ? s / a.length : 0;
}

/** Indices of the k largest positive scores, best first. */
export function topK(scores: Float64Array, k: number): LexicalHit[] {
  const hits: LexicalHit[] = [];
  let min = 0;
  for (let d = 0; d < scores.length; d++) {
    const s = scores[d];
    if (s <= 0 || (hits.length >= k && s <= min)) continue;
    hits.push({ doc: d, score: s });
    if (hits.length > k * 4) {
      hits.sort((x, y) => y.score - x.score);
      hits.length = k;
      min = hits[k - 1].score;
    }
  }
  hits.sort((x, y) => y.score - x.score || x.doc - y.doc);
  return hits.slice(0, k);
}
