/**
 * HNSW recall against exact search: for each query vector, the overlap of the HNSW top 10 with the brute-force
 * top 10 over the same vectors, and the time each takes.
 */
import { exactSearch, type VectorIndex } from '../index/vectorIndex.ts';
import { summarize, type LatencySummary } from './latencyStats.ts';

export interface RecallResult {
  vectors: number;
  queries: number;
  efSearch: number;
  /** Mean recall@10 of `search(q, 10)`. */
  recallAt10: number;
  /** Mean recall@10 of the first 10 of `search(q, 100)` (what the engine asks for). */
  recallAt10WithK100: number;
  hnswMs: LatencySummary;
  hnswK100Ms: LatencySummary;
  exactMs: LatencySummary;
}

/**
 * `vectors[i]` must be the vector of label i in `graph`.
 *
 * @example const r = measureRecall(graph, vectors, queryVectors); r.recallAt10 // → 0.99
 */
export function measureRecall(graph: VectorIndex, vectors: Float32Array[], queries: Float32Array[]): RecallResult {
  const hnswMs: number[] = [];
  const hnswK100Ms: number[] = [];
  const exactMs: number[] = [];
  let recall = 0;
  let recall100 = 0;
  for (const q of queries) {
    let t = performance.now();
    const approx = graph.search(q, 10);
    hnswMs.push(performance.now() - t);
    t = performance.now();
    const approx100 = graph.search(q, 100).slice(0, 10);
    hnswK100Ms.push(performance.now() - t);
    t = performance.now();
    const exact = new Set(exactSearch(vectors, q, 10).map((h) => h.label));
    exactMs.push(performance.now() - t);
    recall += approx.filter((h) => exact.has(h.label)).length / 10;
    recall100 += approx100.filter((h) => exact.has(h.label)).length / 10;
  }
  return {
    vectors: vectors.length,
    queries: queries.length,
    efSearch: graph.params.efSearch,
    recallAt10: recall / (queries.length || 1),
    recallAt10WithK100: recall100 / (queries.length || 1),
    hnswMs: summarize(hnswMs),
    hnswK100Ms: summarize(hnswK100Ms),
    exactMs: summarize(exactMs),
  };
}
