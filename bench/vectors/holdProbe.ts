/**
 * Child process: loads a saved HNSW graph the way the engine does (float32 `VectorIndex.load`) or as int8 rows
 * beside the graph's links (`QuantizedVectorIndex`, re-ranked in float32 from the file), then reports the RSS
 * holding it, recall@10 against the exact top 10 (bench/vectors/buildProbe.ts wrote them) and search times.
 * Run by bench/vectors/vectorScale.ts as `node --expose-gc --import tsx bench/vectors/holdProbe.ts '<json>'`.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { QuantizedVectorIndex } from '../../index/quantizedVectorIndex.ts';
import { efSearchAt, VectorIndex, type VectorHit } from '../../index/vectorIndex.ts';
import { summarize, type LatencySummary } from '../latencyStats.ts';
import { collectGarbage, currentRssMB, loadAverage, peakRssMB } from '../processMemory.ts';

const ArgsSchema = z.object({
  graphFile: z.string(),
  dims: z.number().int().positive(),
  queriesFile: z.string(),
  truthFile: z.string(),
  storage: z.enum(['float32', 'int8']),
  efSearch: z.number().int().positive().optional(),
  truthK: z.number().int().positive().default(100),
});

/** What the probe prints. */
export interface VectorHoldReport {
  storage: 'float32' | 'int8';
  efSearch: number;
  vectors: number;
  loadMs: number;
  rssBeforeMB: number;
  rssHoldingMB: number;
  /** What the int8 index holds by its own count (typed arrays), MB; null for float32 (inside hnswlib). */
  heldMB: number | null;
  peakRssMB: number;
  /** Mean recall@10 of `search(q, 10)`. */
  recallAt10: number;
  /** Mean recall@10 of the first 10 of `search(q, 100)` (what the engine asks for). */
  recallAt10WithK100: number;
  searchMs: LatencySummary;
  searchK100Ms: LatencySummary;
  queries: number;
  load: number[];
}

const args = ArgsSchema.parse(JSON.parse(process.argv[2] ?? '{}'));
const qbuf = readFileSync(args.queriesFile);
const qflat = new Float32Array(qbuf.buffer, qbuf.byteOffset, qbuf.byteLength / 4);
const queries = Array.from({ length: qflat.length / args.dims }, (_, i) => qflat.slice(i * args.dims, (i + 1) * args.dims));
const tbuf = readFileSync(args.truthFile);
const truth = new Uint32Array(tbuf.buffer, tbuf.byteOffset, tbuf.byteLength / 4);

collectGarbage();
const rssBeforeMB = currentRssMB();
let t = performance.now();
const ef = args.efSearch ? { efSearch: args.efSearch } : {};
const index: { size: number; params: { efSearch: number }; search(q: Float32Array, k: number): VectorHit[] } =
  args.storage === 'float32' ? await VectorIndex.load(args.graphFile, args.dims, ef) : await QuantizedVectorIndex.load(args.graphFile, args.dims, ef);
const loadMs = performance.now() - t;
collectGarbage();
const rssHoldingMB = currentRssMB();

// Warm-up (first searches touch cold pages and compile the search loop).
for (const q of queries.slice(0, 10)) index.search(q, 10);
const ms: number[] = [];
const ms100: number[] = [];
let recall = 0;
let recall100 = 0;
queries.forEach((q, i) => {
  const exact = new Set(truth.subarray(i * args.truthK, i * args.truthK + 10));
  t = performance.now();
  const hits = index.search(q, 10);
  ms.push(performance.now() - t);
  t = performance.now();
  const hits100 = index.search(q, 100).slice(0, 10);
  ms100.push(performance.now() - t);
  recall += hits.filter((h) => exact.has(h.label)).length / 10;
  recall100 += hits100.filter((h) => exact.has(h.label)).length / 10;
});
const report: VectorHoldReport = {
  storage: args.storage,
  efSearch: efSearchAt(index.size, index.params.efSearch),
  vectors: index.size,
  loadMs: Math.round(loadMs),
  rssBeforeMB,
  rssHoldingMB,
  heldMB: index instanceof QuantizedVectorIndex ? Math.round(index.heldBytes / 2 ** 20) : null,
  peakRssMB: peakRssMB(),
  recallAt10: recall / queries.length,
  recallAt10WithK100: recall100 / queries.length,
  searchMs: summarize(ms),
  searchK100Ms: summarize(ms100),
  queries: queries.length,
  load: loadAverage(),
};
console.log(JSON.stringify(report));
