/**
 * BM25 arithmetic over compressed-sparse-row postings (see lexicalIndex.ts for the layout): length
 * factors, the blocked scoring loop, and looking a document up in a term's postings.
 */
import type { Bm25Params, LexicalIndexData } from './lexicalIndex.ts';

/** Documents scored together by scoreAll: 16k scores and length factors (192 KB) fit a core's L2 cache. */
export const SCORE_BLOCK = 16384;

/**
 * Adds the terms' BM25 contributions to `scores`. Documents are scored a block at a time, every term's
 * postings within the block before the next block: the block's scores and length factors stay in the
 * CPU cache instead of being streamed in once per term (≈ 25 % faster at 105k documents). Each
 * document still receives its terms' contributions in query order, so the sums are exactly those of a
 * term-by-term pass. (`at` is advanced: it is the caller's scratch.)
 *
 * @example scorePostings(scores, scores.length, data.postingDocs, data.postingTfs, at, ends, factors, norms, undefined);
 */
export function scorePostings(
  scores: Float64Array,
  size: number,
  postingDocs: Uint32Array,
  postingTfs: Uint8Array,
  at: number[],
  ends: number[],
  factors: number[],
  norms: Float32Array[],
  allow: Uint8Array | undefined,
): void {
  for (let blockEnd = SCORE_BLOCK; blockEnd < size + SCORE_BLOCK; blockEnd += SCORE_BLOCK) {
    for (let j = 0; j < at.length; j++) {
      const w = factors[j];
      const norm = norms[j];
      const end = ends[j];
      let p = at[j];
      if (allow) {
        for (; p < end; p++) {
          const d = postingDocs[p];
          if (d >= blockEnd) break;
          if (!allow[d]) continue;
          const tf = postingTfs[p];
          scores[d] += (w * tf) / (tf + norm[d]);
        }
      } else {
        for (; p < end; p++) {
          const d = postingDocs[p];
          if (d >= blockEnd) break;
          const tf = postingTfs[p];
          scores[d] += (w * tf) / (tf + norm[d]);
        }
      }
      at[j] = p;
    }
  }
}

/**
 * Position of `doc` in term `t`'s postings, or -1.
 *
 * @example data.postingTfs[findPosting(data, termId, doc)] // its tf, when ≥ 0
 */
export function findPosting(data: LexicalIndexData, t: number, doc: number): number {
  const docs = data.postingDocs;
  let lo = data.postingOffsets[t];
  let hi = data.postingOffsets[t + 1] - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = docs[mid];
    if (v === doc) return mid;
    if (v < doc) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * Term → its id (position in the vocabulary).
 *
 * @example termIdsOf(['w:农业', 'b:农业']).get('b:农业') // → 1
 */
export function termIdsOf(vocab: readonly string[]): Map<string, number> {
  const ids = new Map<string, number>();
  for (let i = 0; i < vocab.length; i++) ids.set(vocab[i], i);
  return ids;
}

/**
 * Mean of document lengths (1 when there are none, so length factors stay finite).
 *
 * @example average(Uint32Array.of(2, 4)) // → 3
 */
export function average(lengths: Uint32Array): number {
  let sum = 0;
  for (let i = 0; i < lengths.length; i++) sum += lengths[i];
  return lengths.length && sum ? sum / lengths.length : 1;
}

/**
 * Per document: k1 · (1 − b + b · len / avg), the BM25 length factor.
 *
 * @example lengthFactors(data.wordLengths, average(data.wordLengths), DEFAULT_BM25)
 */
export function lengthFactors(lengths: Uint32Array, avg: number, { k1, b }: Bm25Params): Float32Array {
  const out = new Float32Array(lengths.length);
  for (let i = 0; i < lengths.length; i++) out[i] = k1 * (1 - b + (b * lengths[i]) / avg);
  return out;
}

