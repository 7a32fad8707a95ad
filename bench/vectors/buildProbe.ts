/**
 * Child process: synthesises `count` passage vectors (bench/syntheticVectors.ts), builds the engine's HNSW graph
 * over them (`VectorIndex`, default parameters, single-threaded like `buildIndex`), saves it, computes the exact
 * top 100 of every query for recall, and prints one JSON line (times, load average, peak RSS).
 * Run by bench/vectors/vectorScale.ts as `node --expose-gc --import tsx bench/vectors/buildProbe.ts '<json>'`.
 */
import { readFileSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { VectorIndex } from '../../index/vectorIndex.ts';
import { loadAverage, peakRssMB } from '../processMemory.ts';
import { synthesizeFlat } from '../syntheticVectors.ts';
import { exactTopK } from './exactTopK.ts';

const ArgsSchema = z.object({
  count: z.number().int().positive(),
  dims: z.number().int().positive(),
  baseFile: z.string(),
  queriesFile: z.string(),
  outDir: z.string(),
  seed: z.number().int(),
  truthK: z.number().int().positive().default(100),
});

/** What the probe prints. */
export interface VectorBuildReport {
  count: number;
  synthesiseMs: number;
  buildMs: number;
  saveMs: number;
  truthMs: number;
  graphFileMB: number;
  peakRssMB: number;
  loadAtStart: number[];
  loadAtEnd: number[];
  /** Seconds elapsed at each 10 % of the insertions (the build slows as the graph deepens). */
  progress: { added: number; s: number }[];
  params: VectorIndex['params'];
}

function rowsOf(file: string, dims: number): Float32Array[] {
  const buf = readFileSync(file);
  const flat = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
  return Array.from({ length: flat.length / dims }, (_, i) => flat.slice(i * dims, (i + 1) * dims));
}

const args = ArgsSchema.parse(JSON.parse(process.argv[2] ?? '{}'));
const loadAtStart = loadAverage();
const base = rowsOf(args.baseFile, args.dims);
const queries = rowsOf(args.queriesFile, args.dims);
let t = performance.now();
const rows = synthesizeFlat(base, args.count, args.seed);
const synthesiseMs = performance.now() - t;

t = performance.now();
const graph = new VectorIndex(args.dims, { maxElements: args.count });
const progress: VectorBuildReport['progress'] = [];
const step = Math.ceil(args.count / 10);
for (let i = 0; i < args.count; i++) {
  graph.add(i, rows.subarray(i * args.dims, (i + 1) * args.dims));
  if ((i + 1) % step === 0 || i + 1 === args.count) {
    progress.push({ added: i + 1, s: Math.round((performance.now() - t) / 100) / 10 });
    console.error(`vectors: ${i + 1}/${args.count} in ${progress.at(-1)!.s} s (load ${loadAverage().join(' / ')})`);
  }
}
const buildMs = performance.now() - t;

await mkdir(args.outDir, { recursive: true });
const graphFile = path.join(args.outDir, 'vectors.hnsw');
t = performance.now();
await graph.save(graphFile);
const saveMs = performance.now() - t;

t = performance.now();
const truth = new Uint32Array(queries.length * args.truthK);
queries.forEach((q, i) => truth.set(exactTopK(rows, args.dims, q, args.truthK), i * args.truthK));
const truthMs = performance.now() - t;
await writeFile(path.join(args.outDir, 'truth.u32'), truth);

const report: VectorBuildReport = {
  count: args.count,
  synthesiseMs: Math.round(synthesiseMs),
  buildMs: Math.round(buildMs),
  saveMs: Math.round(saveMs),
  truthMs: Math.round(truthMs),
  graphFileMB: Math.round(statSync(graphFile).size / 2 ** 20),
  peakRssMB: peakRssMB(),
  loadAtStart,
  loadAtEnd: loadAverage(),
  progress,
  params: graph.params,
};
console.log(JSON.stringify(report));
