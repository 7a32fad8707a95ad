/**
 * The layer of a layered LexicalIndex: a base with some documents removed, plus a delta numbered after
 * the base's live documents, scored with the statistics of the live documents of both.
 */
import { lengthFactors, termIdsOf } from './bm25.ts';
import type { LexicalIndexData } from './lexicalIndex.ts';

/** A layered index's removed base documents and its delta, with what scoring needs of them. */
export interface Layer {
  delta: LexicalIndexData;
  termIds: Map<string, number>;
  /** Base document → its number in the layered index (−1: removed). */
  remap: Int32Array;
  /** Layered number (< liveBase) → base document. */
  baseDoc: Uint32Array;
  /** Live base documents (the delta's are numbered after them). */
  liveBase: number;
  /** Per base term: how many removed documents contain it. */
  removedDf: Uint32Array;
  /** Mean lengths over the live documents of both. */
  avg: { w: number; b: number };
  /** The delta's BM25 length factors. */
  norm: { w: Float32Array; b: Float32Array };
  /** The base's live documents as runs: [first, end, layered number of first] per run, back to back. */
  runs: Uint32Array;
  /** Reused buffers for the base's scores and filter in its own numbering (scoreAll is synchronous). */
  scratch?: Float64Array;
  allowScratch?: Uint8Array;
}

/**
 * The layer of `base` with `removed` documents masked and `delta` after them.
 *
 * @example const layer = makeLayer(base, Uint8Array.of(0, 1, 0), delta);
 */
export function makeLayer(base: LexicalIndexData, removed: Uint8Array, delta: LexicalIndexData): Layer {
  const baseSize = base.wordLengths.length;
  if (removed.length !== baseSize) throw new Error(`LexicalIndex.layered: ${removed.length} removal flags for ${baseSize} documents`);
  const remap = new Int32Array(baseSize);
  let liveBase = 0;
  for (let d = 0; d < baseSize; d++) remap[d] = removed[d] ? -1 : liveBase++;
  const baseDoc = new Uint32Array(liveBase);
  for (let d = 0; d < baseSize; d++) if (remap[d] >= 0) baseDoc[remap[d]] = d;
  // The removed documents' share of each term's document frequency: one pass over the postings,
  // only when something was removed.
  const removedDf = new Uint32Array(base.postingOffsets.length - 1);
  if (liveBase < baseSize) {
    const { postingOffsets, postingDocs } = base;
    for (let t = 0; t < removedDf.length; t++) {
      let n = 0;
      for (let p = postingOffsets[t], end = postingOffsets[t + 1]; p < end; p++) n += removed[postingDocs[p]];
      removedDf[t] = n;
    }
  }
  const mean = (baseLengths: Uint32Array, deltaLengths: Uint32Array) => {
    let sum = 0;
    for (let d = 0; d < baseSize; d++) if (!removed[d]) sum += baseLengths[d];
    for (let d = 0; d < deltaLengths.length; d++) sum += deltaLengths[d];
    const n = liveBase + deltaLengths.length;
    return n && sum ? sum / n : 1;
  };
  const avg = { w: mean(base.wordLengths, delta.wordLengths), b: mean(base.bigramLengths, delta.bigramLengths) };
  const norm = { w: lengthFactors(delta.wordLengths, avg.w, delta.params), b: lengthFactors(delta.bigramLengths, avg.b, delta.params) };
  const runs: number[] = [];
  for (let d = 0; d < baseSize; ) {
    if (remap[d] < 0) {
      d++;
      continue;
    }
    const first = d;
    while (d < baseSize && remap[d] >= 0) d++;
    runs.push(first, d, remap[first]);
  }
  return { delta, termIds: termIdsOf(delta.vocab), remap, baseDoc, liveBase, removedDf, avg, norm, runs: Uint32Array.from(runs) };
}

/**
 * The compacted data of a layered index: live base postings renumbered, then the delta's, per term of `vocab`.
 *
 * @example const data = mergeLayer(base, layer, vocabulary);
 */
export function mergeLayer(base: LexicalIndexData, layer: Layer, vocab: readonly string[]): LexicalIndexData {
  const { delta, remap, liveBase } = layer;
  const baseTerms = base.postingOffsets.length - 1;
  const V = vocab.length;
  const capacity = base.postingDocs.length + delta.postingDocs.length;
  const docs = new Uint32Array(capacity);
  const tfs = new Uint8Array(capacity);
  const offsets = new Uint32Array(V + 1);
  let at = 0;
  for (let t = 0; t < V; t++) {
    if (t < baseTerms) {
      for (let p = base.postingOffsets[t], end = base.postingOffsets[t + 1]; p < end; p++) {
        const d = remap[base.postingDocs[p]];
        if (d < 0) continue;
        docs[at] = d;
        tfs[at++] = base.postingTfs[p];
      }
    }
    const u = layer.termIds.get(vocab[t]);
    if (u !== undefined) {
      for (let p = delta.postingOffsets[u], end = delta.postingOffsets[u + 1]; p < end; p++) {
        docs[at] = liveBase + delta.postingDocs[p];
        tfs[at++] = delta.postingTfs[p];
      }
    }
    offsets[t + 1] = at;
  }
  const lengths = (b: Uint32Array, d: Uint32Array) => {
    const out = new Uint32Array(liveBase + d.length);
    for (let i = 0; i < liveBase; i++) out[i] = b[layer.baseDoc[i]];
    out.set(d, liveBase);
    return out;
  };
  return {
    vocab: [...vocab],
    postingOffsets: offsets,
    postingDocs: docs.subarray(0, at),
    postingTfs: tfs.subarray(0, at),
    wordLengths: lengths(base.wordLengths, delta.wordLengths),
    bigramLengths: lengths(base.bigramLengths, delta.bigramLengths),
    params: base.params,
  };
}

/**
 * A filter in layered numbering, as one in the base's numbering (removed documents not allowed).
 *
 * @example scorePostings(baseScores, n, docs, tfs, at, ends, factors, norms, baseAllowOf(layer, allow));
 */
export function baseAllowOf(layer: Layer, allow: Uint8Array): Uint8Array {
  const out = (layer.allowScratch ??= new Uint8Array(layer.remap.length));
  for (let b = 0; b < out.length; b++) {
    const d = layer.remap[b];
    out[b] = d >= 0 ? allow[d] : 0;
  }
  return out;
}

/**
 * Adds a delta's contributions (its documents numbered from `first`).
 *
 * @example scoreShifted(scores, layer.delta.postingDocs, layer.delta.postingTfs, deltaTerms, layer.liveBase, allow);
 */
export function scoreShifted(
  scores: Float64Array,
  postingDocs: Uint32Array,
  postingTfs: Uint8Array,
  terms: { at: number[]; ends: number[]; factors: number[]; norms: Float32Array[] },
  first: number,
  allow: Uint8Array | undefined,
): void {
  for (let j = 0; j < terms.at.length; j++) {
    const w = terms.factors[j];
    const norm = terms.norms[j];
    for (let p = terms.at[j], end = terms.ends[j]; p < end; p++) {
      const local = postingDocs[p];
      const d = first + local;
      if (allow && !allow[d]) continue;
      const tf = postingTfs[p];
      scores[d] += (w * tf) / (tf + norm[local]);
    }
  }
}

