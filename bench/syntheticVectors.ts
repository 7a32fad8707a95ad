/**
 * Passage vectors for large benchmark indexes. Embedding 100,000 passages with a 12-layer encoder on two cores
 * would take hours, so a sample of passages is embedded for real (same model, same text as `buildIndex` embeds) and
 * every passage vector is synthesised from that sample: the sample's centroid plus a random convex mix of two
 * sample deviations plus Gaussian noise, then L2-normalised. The vectors keep the model's anisotropy and spread
 * (so HNSW sees a realistic, non-uniform distribution) while each one is distinct.
 */
import type { Passage } from '../corpus/letter.ts';
import { passageEmbeddingText } from '../index/build/embedPassages.ts';
import type { Embedder } from '../index/embedding/embedder.ts';
import { SeededRandom, seedOf } from './seededRandom.ts';

/**
 * Embeds `n` passages chosen with a seeded PRNG, for real.
 *
 * @example const base = await embedSample(embedder, passages, 256, 1);
 */
export async function embedSample(embedder: Embedder, passages: Passage[], n: number, seed = 1): Promise<Float32Array[]> {
  const chosen = new SeededRandom(seedOf('sample', seed)).sample(passages, n);
  return embedder.embedPassages(chosen.map(passageEmbeddingText));
}

function normalize(v: Float32Array): Float32Array {
  let norm = 0;
  for (let d = 0; d < v.length; d++) norm += v[d] * v[d];
  norm = Math.sqrt(norm) || 1;
  for (let d = 0; d < v.length; d++) v[d] /= norm;
  return v;
}

/**
 * `count` unit vectors synthesised from `base` (see the module comment). Deterministic for a seed.
 * `noise` is the noise norm relative to the mean deviation norm of the sample (default 0.5).
 *
 * @example const vectors = synthesizeVectors(base, 100_000, 1);
 */
export function synthesizeVectors(base: Float32Array[], count: number, seed = 1, noise = 0.5): Float32Array[] {
  const dims = base[0]?.length ?? 0;
  const flat = synthesizeFlat(base, count, seed, noise);
  return Array.from({ length: count }, (_, i) => flat.subarray(i * dims, (i + 1) * dims));
}

/**
 * The same vectors as `synthesizeVectors`, as rows of one Float32Array (`count × dims`): at 1,000,000 vectors
 * one buffer of 1.5 GB instead of a million small arrays.
 *
 * @example const rows = synthesizeFlat(base, 1_000_000, 1); rows.subarray(0, 384) // vector 0
 */
export function synthesizeFlat(base: Float32Array[], count: number, seed = 1, noise = 0.5): Float32Array {
  if (base.length < 2) throw new Error('synthesizeVectors: need at least two sample vectors');
  const dims = base[0].length;
  const centroid = new Float32Array(dims);
  for (const v of base) for (let d = 0; d < dims; d++) centroid[d] += v[d] / base.length;
  const deviations = base.map((v) => v.map((x, d) => x - centroid[d]));
  const meanNorm = deviations.reduce((s, v) => s + Math.hypot(...v), 0) / deviations.length;
  const sigma = (noise * meanNorm) / Math.sqrt(dims);
  const rng = new SeededRandom(seedOf('vectors', seed));
  const out = new Float32Array(count * dims);
  for (let i = 0; i < count; i++) {
    const a = deviations[rng.int(0, deviations.length - 1)];
    const b = deviations[rng.int(0, deviations.length - 1)];
    const w = 0.5 + 0.5 * rng.next();
    const v = out.subarray(i * dims, (i + 1) * dims);
    for (let d = 0; d < dims; d++) v[d] = centroid[d] + w * a[d] + (1 - w) * b[d] + sigma * rng.normal();
    normalize(v);
  }
  return out;
}

/**
 * Mean cosine similarity between random pairs (a sanity figure for the report: real e5 embeddings are anisotropic).
 *
 * @example meanPairCosine(vectors, 1000)
 */
export function meanPairCosine(vectors: Float32Array[], pairs = 1000, seed = 1): number {
  const rng = new SeededRandom(seedOf('pairs', seed));
  let sum = 0;
  for (let i = 0; i < pairs; i++) {
    const a = vectors[rng.int(0, vectors.length - 1)];
    const b = vectors[rng.int(0, vectors.length - 1)];
    let dot = 0;
    let na = 0;
    let nb = 0;
    for (let d = 0; d < a.length; d++) {
      dot += a[d] * b[d];
      na += a[d] * a[d];
      nb += b[d] * b[d];
    }
    sum += dot / (Math.sqrt(na * nb) || 1);
  }
  return sum / pairs;
}
