/**
 * Vectors at scale (`npm run bench -- --vectors 1000000`): an HNSW graph of synthetic 384-dim passage vectors
 * built in one child process (bench/vectors/buildProbe.ts: build time, peak RSS) and searched in another
 * (bench/vectors/holdProbe.ts: RSS holding it, recall@10 against exact search, search p50/p95), so each memory
 * figure is that process's own.
 *
 * The vectors are synthesised from 128 passages of the real letters embedded for real by the benchmark model
 * (bench/syntheticVectors.ts), and the queries are 100 real questions embedded the same way.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readCorpus } from '../../corpus/readCorpus.ts';
import { parseLetter } from '../../corpus/parseLetter.ts';
import { cutPassages } from '../../corpus/passages.ts';
import { passageEmbeddingText } from '../../index/build/embedPassages.ts';
import { loadEmbedder } from '../../index/embedding/embedder.ts';
import { readQuestions } from '../../bot/evaluation/questionSet.ts';
import { ensureE5ShapedModel } from '../../tests/support/onnxModels.ts';
import { runWatched } from '../childProcesses.ts';
import { loadAverage } from '../processMemory.ts';
import { SeededRandom, seedOf } from '../seededRandom.ts';
import type { VectorBuildReport } from './buildProbe.ts';
import type { VectorHoldReport } from './holdProbe.ts';

export interface VectorScaleOptions {
  count: number;
  cacheDir: string;
  /** Folders of real letters to sample passages from. */
  letterDirs: string[];
  /** Question files (JSON lines with `question`) to embed as queries. */
  questionFiles: string[];
  sampleSize: number;
  queries: number;
  seed: number;
  /**
   * Keep the saved graph (1.7 GB at 1M, in cacheDir/bench-vectors/) so the next run with the same count measures
   * the holding side again without rebuilding (its build figures are then the saved run's, marked reused).
   */
  keep: boolean;
  /** How the graph is held and searched: each one its own child process. */
  holds: { storage: 'float32' | 'int8'; efSearch?: number }[];
  log: (line: string) => void;
}

export interface VectorScaleResult {
  count: number;
  dims: number;
  model: string;
  build: VectorBuildReport & { wallMs: number; reused: boolean };
  hold: VectorHoldReport[];
  loadAtStart: number[];
  loadAtEnd: number[];
  totalMs: number;
}

const DIMS = 384;

async function writeRows(file: string, rows: Float32Array[]): Promise<void> {
  const flat = new Float32Array(rows.length * DIMS);
  rows.forEach((r, i) => flat.set(r, i * DIMS));
  await writeFile(file, flat);
}

/** Real sample embeddings and real query embeddings, cached in `dir`. */
async function ensureInputs(o: VectorScaleOptions, dir: string): Promise<{ baseFile: string; queriesFile: string; model: string }> {
  const model = await ensureE5ShapedModel();
  const baseFile = path.join(dir, `base-s${o.seed}-n${o.sampleSize}.f32`);
  const queriesFile = path.join(dir, `queries-n${o.queries}.f32`);
  if (existsSync(baseFile) && existsSync(queriesFile)) return { baseFile, queriesFile, model: model.modelId };
  const embedder = await loadEmbedder({ model: model.modelId, localModelPath: model.localModelPath, allowRemote: false }, o.log);
  if (!embedder) throw new Error(`could not load the benchmark model ${model.modelId}`);
  const { docs } = await readCorpus(o.letterDirs.filter((d) => existsSync(d)));
  const passages = docs.flatMap((d) => cutPassages(parseLetter(d)));
  const chosen = new SeededRandom(seedOf('sample', o.seed)).sample(passages, Math.min(o.sampleSize, passages.length));
  o.log(`vectors: embedding ${chosen.length} of ${passages.length} real passages and ${o.queries} questions for real…`);
  await mkdir(dir, { recursive: true });
  await writeRows(baseFile, await embedder.embedPassages(chosen.map(passageEmbeddingText)));
  const questions: string[] = [];
  for (const f of o.questionFiles.filter((q) => existsSync(q))) for (const q of await readQuestions(f)) questions.push(q.question);
  await writeRows(queriesFile, await embedder.embedQueries(questions.slice(0, o.queries)));
  await embedder.dispose();
  return { baseFile, queriesFile, model: model.modelId };
}

function lastJson<T>(r: { code: number | null; stdout: string; stderr: string }, what: string): T {
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  if (r.code !== 0 || !line.startsWith('{')) throw new Error(`${what} failed (exit ${r.code}): ${r.stderr.trim().slice(-800)}`);
  return JSON.parse(line) as T;
}

/**
 * Builds and measures the graph of `o.count` vectors.
 *
 * @example const r = await measureVectorScale({ ...VECTOR_DEFAULTS, count: 100_000, log: console.error });
 */
export async function measureVectorScale(o: VectorScaleOptions): Promise<VectorScaleResult> {
  const started = performance.now();
  const loadAtStart = loadAverage();
  const dir = path.join(o.cacheDir, 'bench-vectors');
  const inputs = await ensureInputs(o, dir);
  const outDir = path.join(dir, `graph-${o.count}`);
  const node = (script: string) => [process.execPath, ['--expose-gc', '--import', 'tsx', path.join('bench', 'vectors', script)]] as const;
  const buildFile = path.join(outDir, 'build.json');
  const saved = existsSync(path.join(outDir, 'truth.u32')) ? await readFile(buildFile, 'utf8').then((t) => JSON.parse(t) as VectorScaleResult['build'], () => null) : null;
  let build: VectorScaleResult['build'];
  if (saved) {
    build = { ...saved, reused: true };
    o.log(`vectors: reusing the graph of ${o.count} vectors built at ${saved.loadAtStart.join(' / ')} load (${outDir})`);
  } else {
    o.log(`vectors: building an HNSW graph of ${o.count} vectors in a child process (load ${loadAtStart.join(' / ')})…`);
    const [cmd, pre] = node('buildProbe.ts');
    const b = await runWatched(cmd, [...pre, JSON.stringify({ count: o.count, dims: DIMS, baseFile: inputs.baseFile, queriesFile: inputs.queriesFile, outDir, seed: o.seed })], process.env, false, o.log);
    build = { ...lastJson<VectorBuildReport>(b, 'bench/vectors/buildProbe.ts'), wallMs: Math.round(b.ms), reused: false };
    await writeFile(buildFile, JSON.stringify(build));
  }
  o.log(`vectors: built in ${(build.buildMs / 1000).toFixed(1)} s, peak RSS ${build.peakRssMB} MB, graph file ${build.graphFileMB} MB`);
  const hold: VectorHoldReport[] = [];
  for (const { storage, efSearch } of o.holds) {
    const [hcmd, hpre] = node('holdProbe.ts');
    const h = await runWatched(hcmd, [...hpre, JSON.stringify({ graphFile: path.join(outDir, 'vectors.hnsw'), dims: DIMS, queriesFile: inputs.queriesFile, truthFile: path.join(outDir, 'truth.u32'), storage, efSearch })], process.env, false, o.log);
    hold.push(lastJson<VectorHoldReport>(h, 'bench/vectors/holdProbe.ts'));
    const r = hold.at(-1)!;
    o.log(`vectors: ${storage} efSearch ${r.efSearch}: RSS holding ${r.rssHoldingMB} MB, recall@10 ${r.recallAt10.toFixed(4)}, p50 ${r.searchMs.p50} ms, p95 ${r.searchMs.p95} ms`);
  }
  if (!o.keep) await rm(outDir, { recursive: true, force: true });
  return { count: o.count, dims: DIMS, model: inputs.model, build, hold, loadAtStart, loadAtEnd: loadAverage(), totalMs: Math.round(performance.now() - started) };
}

/** Reads a previous result (for re-rendering the report). */
export async function readVectorScale(file: string): Promise<VectorScaleResult | null> {
  return readFile(file, 'utf8').then((s) => JSON.parse(s) as VectorScaleResult, () => null);
}
