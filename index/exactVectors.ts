/**
 * A small set of vectors searched exactly (brute-force cosine): the dense side of an index's delta
 * segment. An incremental build adds a changed letter's few vectors here instead of rewriting the
 * HNSW graph of the whole corpus; a few thousand vectors are scanned in about a millisecond.
 */
import type { VectorHit } from './vectorIndex.ts';

/**
 * Labelled vectors (rows of one Float32Array, unit length) with exact k-nearest search.
 *
 * @example
 * const delta = ExactVectors.from(384, [2 ** 31, 2 ** 31 + 1], [v0, v1]);
 * delta.search(query, 10) // → [{ label: 2147483649, score: 0.91 }, …]
 */
export class ExactVectors {
  constructor(
    readonly dims: number,
    /** Label of each row. */
    readonly labels: Uint32Array,
    /** Rows, back to back (labels.length × dims), L2-normalised. */
    readonly data: Float32Array,
  ) {
    if (data.length !== labels.length * dims) throw new Error(`ExactVectors: ${data.length} numbers for ${labels.length} vectors of ${dims} dimensions`);
  }

  /**
   * Vectors as rows (normalised here; cosine needs no more).
   *
   * @example ExactVectors.from(3, [7], [Float32Array.of(1, 0, 0)])
   */
  static from(dims: number, labels: ArrayLike<number>, vectors: Float32Array[]): ExactVectors {
    if (labels.length !== vectors.length) throw new Error(`ExactVectors.from: ${labels.length} labels but ${vectors.length} vectors`);
    const data = new Float32Array(vectors.length * dims);
    vectors.forEach((v, i) => {
      if (v.length !== dims) throw new Error(`ExactVectors: expected a ${dims}-dim vector, got ${v.length}`);
      let norm = 0;
      for (let j = 0; j < dims; j++) norm += v[j] * v[j];
      const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
      for (let j = 0; j < dims; j++) data[i * dims + j] = v[j] * scale;
    });
    return new ExactVectors(dims, Uint32Array.from(labels), data);
  }

  /** Number of vectors. */
  get size(): number {
    return this.labels.length;
  }

  /** Row `i` (a view, not a copy). */
  row(i: number): Float32Array {
    return this.data.subarray(i * this.dims, (i + 1) * this.dims);
  }

  /**
   * The `k` most similar vectors by cosine, best first (ties: lower row first); `filter` keeps only matching labels.
   *
   * @example delta.search(query, 5, (label) => allowed.has(label))
   */
  search(query: Float32Array, k: number, filter?: (label: number) => boolean): VectorHit[] {
    if (query.length !== this.dims) throw new Error(`ExactVectors: expected a ${this.dims}-dim vector, got ${query.length}`);
    let qq = 0;
    for (let j = 0; j < this.dims; j++) qq += query[j] * query[j];
    const qNorm = Math.sqrt(qq) || 1;
    const hits: VectorHit[] = [];
    const { data, dims, labels } = this;
    for (let i = 0; i < labels.length; i++) {
      if (filter && !filter(labels[i])) continue;
      let dot = 0;
      for (let j = 0, o = i * dims; j < dims; j++) dot += data[o + j] * query[j];
      hits.push({ label: labels[i], score: dot / qNorm });
    }
    return hits.sort((a, b) => b.score - a.score).slice(0, Math.max(0, k));
  }
}

/**
 * Two best-first hit lists as one, best first, at most `k`.
 *
 * @example mergeHits(graphHits, deltaHits, 100)
 */
export function mergeHits(a: VectorHit[], b: VectorHit[], k: number): VectorHit[] {
  if (!b.length) return a.slice(0, k);
  return [...a, ...b].sort((x, y) => y.score - x.score).slice(0, k);
}
