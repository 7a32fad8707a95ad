/**
 * The benchmark harness: generates (or reuses) the workload, builds (or reuses) the indexes and measures every
 * figure of docs/BENCHMARKS.md. `bench/run.ts` is its command line; tests/bench.smoke.test.ts runs it tiny.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadEmbedder, type Embedder } from '../index/embedding/embedder.ts';
import { openIndex } from '../index/openIndex.ts';
import type { SearchEngine } from '../index/searchEngine.ts';
import { ensureE5ShapedModel, ensureTinyTestModel } from '../tests/support/onnxModels.ts';
import { measureAnswerLatency, measureConcurrentAnswers, type AnswerLatencyResult, type LoadResult } from './answerLatency.ts';
import { cachedSample, ensureHybridIndex, ensureLexicalIndex } from './benchIndexes.ts';
import { measureBuildThroughput, type BuildThroughputResult } from './buildThroughput.ts';
import { buildEntryBundle } from '../bin/buildEntryBundle.js';
import { freshEntryBundle } from '../bin/entryBundle.js';
import { askColdStart, probeIncrementalRebuild, probeIndexProcess as probeIndexProcessIn, type AskColdStart } from './childProcesses.ts';
import { ensureBenchCorpus, generatedInfos } from './generateCorpus.ts';
import type { HoldReport } from './holdIndex.ts';
import type { IncrementalResult } from './incrementalRebuild.ts';
import { generateQuestions, loadDevQuestions, type BenchQuestion } from './questions.ts';
import { buildSentencePool } from './sentencePool.ts';
import { embedSample, meanPairCosine } from './syntheticVectors.ts';
import { measureRecall, type RecallResult } from './vectorRecall.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface BenchOptions {
  /** Corpus sizes in letters, e.g. [1000, 10000]. The largest one gets the scale figures. */
  sizes: number[];
  /** Measure hybrid (dense) figures. */
  hybrid: boolean;
  /** 'e5': random-weight encoder of multilingual-e5-small's exact shape; 'tiny': the 2-layer test encoder. */
  model: 'e5' | 'tiny';
  /** Where corpora, indexes and sample vectors are cached. */
  cacheDir: string;
  /** Real letters whose sentences the corpus is made from. */
  realLetterDirs: string[];
  /** questions.jsonl of the dev set (optional; generated questions are used either way). */
  devQuestionsFile: string;
  /** Generated questions per size (added to the dev questions). */
  generatedQuestions: number;
  /** Passages embedded for real to synthesise all passage vectors from. */
  sampleSize: number;
  /** Letters in the build-throughput corpus (every passage is run through the model three times). */
  throughputLetters: number;
  /** Interleaved rounds of the throughput comparison (each figure is the best round). */
  throughputRounds: number;
  concurrency: number;
  concurrentAnswers: number;
  recallQueries: number;
  coldStartRuns: number;
  /** Child-process figures (cold start, peak RSS). */
  childProcesses: boolean;
  incremental: boolean;
  seed: number;
  log: (line: string) => void;
}

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  platform: string;
  node: string;
  packages: Record<string, string>;
  commit: string | null;
  loadAverageStart: number[];
  loadAverageEnd?: number[];
}

export interface SizeResult {
  letters: number;
  passages: number;
  corpusDir: string;
  lexicalIndexDir: string;
  hybridIndexDir: string | null;
  corpusGeneratedMs: number | null;
  lexicalBuildMs: number | null;
  hnswBuildMs: number | null;
  questions: { total: number; dev: number; generated: number; byLang: Record<string, number> };
  lexical: AnswerLatencyResult;
  hybrid?: AnswerLatencyResult;
}

export interface TargetCheck {
  name: string;
  target: string;
  value: number | null;
  unit: string;
  met: boolean | null;
}

export interface BenchResults {
  date: string;
  command: string;
  machine: MachineInfo;
  options: Omit<BenchOptions, 'log'>;
  model: { id: string; kind: BenchOptions['model']; loadMs: number; dims: number; batchSize: number; threads: number } | null;
  vectors: { sampleSize: number; sampleEmbedMs: number; sampleReused: boolean; meanPairCosineSample: number; meanPairCosineSynthetic: number } | null;
  sizes: SizeResult[];
  load?: LoadResult & { mode: 'hybrid' | 'lexical-only'; letters: number };
  recall?: RecallResult;
  buildThroughput?: BuildThroughputResult;
  incremental?: IncrementalResult & { mode: 'hybrid' | 'lexical-only'; modelLoadMs: number };
  memory?: { lexical: HoldReport & { wallMs: number }; hybrid?: HoldReport & { wallMs: number } };
  coldStart?: { lexical: AskColdStart; hybrid?: AskColdStart };
  /** How the child processes ran the code: compiled (as after `npm install`) or through tsx. */
  runtime?: 'compiled' | 'tsx';
  targets: TargetCheck[];
  totalMs: number;
}

function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(path.join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** CPU, cores, memory, Node and package versions. @example machineInfo().cores */
export function machineInfo(): MachineInfo {
  let commit: string | null = null;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    commit = null;
  }
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    packages: Object.fromEntries(
      ['@huggingface/transformers', 'onnxruntime-node', 'hnswlib-node', '@node-rs/jieba', 'tsx'].map((n) => [n, packageVersion(n)]),
    ),
    commit,
    loadAverageStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

/**
 * A full garbage collection when node runs with --expose-gc (npm run bench does), so a latency run does not pay for
 * the garbage an index build left behind.
 */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

export function questionSet(dev: BenchQuestion[], generated: BenchQuestion[]): { texts: string[]; byLang: Record<string, number> } {
  // Interleave so a truncated run still sees every kind.
  const all: BenchQuestion[] = [];
  for (let i = 0; i < Math.max(dev.length, generated.length); i++) {
    if (i < generated.length) all.push(generated[i]);
    if (i < dev.length) all.push(dev[i]);
  }
  const byLang: Record<string, number> = {};
  for (const q of all) byLang[q.lang] = (byLang[q.lang] ?? 0) + 1;
  return { texts: all.map((q) => q.text), byLang };
}

/**
 * Runs the benchmark and returns every figure (nothing is written; see writeReport.ts).
 *
 * @example const results = await runBenchmark({ ...QUICK_OPTIONS, log: console.error });
 */
export async function runBenchmark(options: BenchOptions): Promise<BenchResults> {
  const started = performance.now();
  const log = options.log;
  const machine = machineInfo();
  const sizes = [...options.sizes].sort((a, b) => a - b);
  const largest = sizes.at(-1)!;
  const corpusRoot = path.join(options.cacheDir, 'bench-corpus');
  const indexRoot = path.join(options.cacheDir, 'bench-index');

  const pool = await buildSentencePool(options.realLetterDirs.filter((d) => existsSync(d)));
  log(`bench: sentence pool from ${pool.letters} real letters (${pool.body.length} body, ${pool.plans.length} plan sentences, ${pool.leads.length} item leads)`);
  const dev = loadDevQuestions(options.devQuestionsFile);

  // The model (real ONNX encoder, real tokenizer, real pooling).
  let embedder: Embedder | null = null;
  let modelFiles: { localModelPath: string; modelId: string } | null = null;
  let modelInfo: BenchResults['model'] = null;
  if (options.hybrid) {
    modelFiles = options.model === 'e5' ? await ensureE5ShapedModel() : await ensureTinyTestModel();
    const t = performance.now();
    embedder = await loadEmbedder({ model: modelFiles.modelId, localModelPath: modelFiles.localModelPath, allowRemote: false }, log);
    if (!embedder) throw new Error(`could not load the benchmark model ${modelFiles.modelId}`);
    modelInfo = {
      id: embedder.modelId,
      kind: options.model,
      loadMs: Math.round(performance.now() - t),
      dims: embedder.dims,
      batchSize: embedder.options.batchSize,
      threads: embedder.options.threads,
    };
    log(`bench: model ${embedder.modelId} loaded in ${modelInfo.loadMs} ms (${embedder.dims} dims)`);
  }

  const results: BenchResults = {
    date: new Date().toISOString(),
    command: '',
    machine,
    options: { ...options, log: undefined } as unknown as Omit<BenchOptions, 'log'>,
    model: modelInfo,
    vectors: null,
    sizes: [],
    targets: [],
    totalMs: 0,
  };
  delete (results.options as { log?: unknown }).log;

  let base: Float32Array[] | null = null;
  let largestHybrid: { engine: SearchEngine; vectors: Float32Array[]; dir: string } | null = null;
  let largestLexical: { engine: SearchEngine; dir: string } | null = null;
  let largestCorpus = '';
  let largestQuestions: string[] = [];

  for (const size of sizes) {
    const corpus = await ensureBenchCorpus(pool, size, corpusRoot, options.seed);
    log(`bench: corpus of ${size} letters in ${corpus.dir}${corpus.generated ? ` (generated in ${Math.round(corpus.ms)} ms)` : ' (cached)'}`);
    const lexDir = path.join(indexRoot, `${path.basename(corpus.dir)}-lexical`);
    const lex = await ensureLexicalIndex(corpus.dir, lexDir, log);
    log(`bench: lexical index ${lex.letters} letters, ${lex.passages} passages${lex.build ? ` (built in ${(lex.build.ms / 1000).toFixed(1)} s)` : ' (cached)'}`);
    const generated = generateQuestions(generatedInfos(pool, size, options.seed), options.generatedQuestions, options.seed);
    const { texts: questions, byLang } = questionSet(dev, generated);

    const lexicalEngine = await openIndex({ corpusDirs: [corpus.dir], indexDir: lexDir, dense: 'off', buildIfMissing: false, log });
    collectGarbage();
    const lexical = await measureAnswerLatency(lexicalEngine, questions);
    log(`bench: ${size} letters lexical-only: p50 ${lexical.total.p50} ms, p95 ${lexical.total.p95} ms, p99 ${lexical.total.p99} ms`);
    const sizeResult: SizeResult = {
      letters: lex.letters,
      passages: lex.passages,
      corpusDir: path.relative(REPO_ROOT, corpus.dir),
      lexicalIndexDir: path.relative(REPO_ROOT, lexDir),
      hybridIndexDir: null,
      corpusGeneratedMs: corpus.generated ? Math.round(corpus.ms) : null,
      lexicalBuildMs: lex.build?.ms ?? null,
      hnswBuildMs: null,
      questions: { total: questions.length, dev: dev.length, generated: generated.length, byLang },
      lexical,
    };

    if (embedder && modelFiles) {
      if (!base) {
        const sampleFile = path.join(indexRoot, `sample-${embedder.modelId.replace(/\W+/g, '_')}-s${options.seed}-n${options.sampleSize}.bin`);
        const sample = await cachedSample(sampleFile, options.sampleSize, embedder.dims, () => {
          log(`bench: embedding ${options.sampleSize} sample passages for real…`);
          return embedSample(embedder!, lexicalEngine.index.passages, options.sampleSize, options.seed);
        });
        base = sample.base;
        results.vectors = {
          sampleSize: options.sampleSize,
          sampleEmbedMs: Math.round(sample.ms),
          sampleReused: sample.reused,
          meanPairCosineSample: meanPairCosine(base, 500),
          meanPairCosineSynthetic: 0,
        };
      }
      const hybridDir = path.join(indexRoot, `${path.basename(corpus.dir)}-hybrid-${options.model}-n${options.sampleSize}`);
      const hybrid = await ensureHybridIndex(lexDir, hybridDir, embedder, base, options.seed, log);
      sizeResult.hybridIndexDir = path.relative(REPO_ROOT, hybridDir);
      sizeResult.hnswBuildMs = hybrid.hnswBuildMs === null ? null : Math.round(hybrid.hnswBuildMs);
      if (results.vectors && size === largest) results.vectors.meanPairCosineSynthetic = meanPairCosine(hybrid.vectors, 1000);
      const hybridEngine = await openIndex({ corpusDirs: [corpus.dir], indexDir: hybridDir, dense: 'on', embedder, buildIfMissing: false, log });
      if (!hybridEngine.dense) throw new Error(`the hybrid index in ${hybridDir} opened without its dense channel`);
      collectGarbage();
      sizeResult.hybrid = await measureAnswerLatency(hybridEngine, questions);
      log(`bench: ${size} letters hybrid: p50 ${sizeResult.hybrid.total.p50} ms, p95 ${sizeResult.hybrid.total.p95} ms, p99 ${sizeResult.hybrid.total.p99} ms`);
      if (size === largest) largestHybrid = { engine: hybridEngine, vectors: hybrid.vectors, dir: hybridDir };
    }
    if (size === largest) {
      largestLexical = { engine: lexicalEngine, dir: lexDir };
      largestCorpus = corpus.dir;
      largestQuestions = questions;
    }
    results.sizes.push(sizeResult);
  }

  // Scale figures on the largest corpus.
  const loadEngine = largestHybrid?.engine ?? largestLexical!.engine;
  collectGarbage();
  const load = await measureConcurrentAnswers(loadEngine, largestQuestions, options.concurrency, options.concurrentAnswers);
  results.load = { ...load, mode: largestHybrid ? 'hybrid' : 'lexical-only', letters: largest };
  log(`bench: ${load.answersPerSecond} answers/s with ${options.concurrency} concurrent questions`);
  if (largestHybrid && embedder) {
    const queryVectors = await embedder.embedQueries(largestQuestions.slice(0, options.recallQueries));
    results.recall = measureRecall(largestHybrid.engine.index.dense!.vectors, largestHybrid.vectors, queryVectors);
    log(`bench: recall@10 ${results.recall.recallAt10.toFixed(4)} over ${results.recall.vectors} vectors`);
  }
  largestHybrid = largestHybrid ? { ...largestHybrid, vectors: [] } : null;

  if (options.incremental) {
    // On a copy, so the cached index keeps the synthesised vectors the recall figure is measured against.
    const source = largestHybrid?.dir ?? largestLexical!.dir;
    const copy = path.join(indexRoot, 'incremental-copy');
    await rm(copy, { recursive: true, force: true });
    await cp(source, copy, { recursive: true });
    const letterFile = `letter-${String(Math.floor(largest / 2)).padStart(5, '0')}.txt`;
    const r = await probeIncrementalRebuild({ corpusDir: largestCorpus, letterFile, indexDir: copy, model: largestHybrid ? modelFiles : null });
    results.incremental = { ...r, mode: largestHybrid ? 'hybrid' : 'lexical-only' };
    await rm(copy, { recursive: true, force: true });
    log(`bench: incremental rebuild after changing one letter: ${(r.change.wallMs / 1000).toFixed(2)} s (${r.change.embedded} passages embedded)`);
  }

  if (options.childProcesses) {
    // The processes measured run compiled JavaScript, as `fuhan` does after `npm install` (bin/entryBundle.js):
    // the command line's bundle is rebuilt now (sources may have changed since the install), and the probe is
    // compiled the same way.
    const cli = await buildEntryBundle();
    const probe = await buildEntryBundle({ outRoot: path.join(indexRoot, 'probe-bundle'), entry: 'bench/holdIndex.ts' });
    results.runtime = freshEntryBundle() ? 'compiled' : 'tsx';
    log(`bench: child processes run ${results.runtime === 'compiled' ? `compiled JavaScript (${cli.files} sources)` : 'TypeScript through tsx (the compiled entry is stale)'}`);
    const probeIndexProcess = (p: Parameters<typeof probeIndexProcessIn>[1]) => probeIndexProcessIn(probe.entryFile, p);
    const probeQuestions = largestQuestions.slice(0, 20);
    const lexicalProbe = { corpusDir: largestCorpus, indexDir: largestLexical!.dir, dense: 'off' as const, model: null, questions: probeQuestions };
    results.memory = { lexical: await probeIndexProcess(lexicalProbe) };
    results.coldStart = { lexical: await askColdStart(lexicalProbe, options.coldStartRuns) };
    if (largestHybrid && modelFiles) {
      const hybridProbe = { corpusDir: largestCorpus, indexDir: largestHybrid.dir, dense: 'on' as const, model: modelFiles, questions: probeQuestions };
      results.memory.hybrid = await probeIndexProcess(hybridProbe);
      results.coldStart.hybrid = await askColdStart(hybridProbe, options.coldStartRuns);
    }
    log(`bench: peak RSS ${results.memory.hybrid?.maxRssMB ?? results.memory.lexical.maxRssMB} MB; cold start ${JSON.stringify(results.coldStart.hybrid?.runsMs ?? results.coldStart.lexical.runsMs)} ms`);
  }
  largestHybrid = null;
  largestLexical = null;

  if (embedder && modelFiles && options.throughputLetters > 0) {
    const small = await ensureBenchCorpus(pool, options.throughputLetters, corpusRoot, options.seed);
    results.buildThroughput = await measureBuildThroughput(small.dir, path.join(indexRoot, 'throughput-scratch'), modelFiles, options.throughputRounds);
    log(`bench: build ${results.buildThroughput.buildPerSecond.toFixed(2)} passages/s vs raw ORT ${results.buildThroughput.rawSortedPerSecond.toFixed(2)} (ratio ${results.buildThroughput.ratio.toFixed(3)})`);
  }
  await embedder?.dispose();

  results.targets = checkTargets(results, largest);
  results.machine.loadAverageEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);
  results.totalMs = Math.round(performance.now() - started);
  return results;
}

/** The issue's targets against the measured figures. @example checkTargets(results, 10000) */
export function checkTargets(r: BenchResults, largest: number): TargetCheck[] {
  const at = r.sizes.find((s) => s.letters === largest) ?? r.sizes.at(-1);
  const check = (name: string, target: string, value: number | null | undefined, unit: string, ok: (v: number) => boolean): TargetCheck => ({
    name,
    target,
    value: value ?? null,
    unit,
    met: value === undefined || value === null ? null : ok(value),
  });
  const coldRuns = r.coldStart?.hybrid?.runsMs ?? r.coldStart?.lexical.runsMs;
  const medianCold = coldRuns ? [...coldRuns].sort((a, b) => a - b)[Math.floor(coldRuns.length / 2)] : null;
  return [
    check(`p95 end to end, hybrid, ${largest} letters`, '≤ 30 ms', at?.hybrid?.total.p95, 'ms', (v) => v <= 30),
    check(`p95 end to end, lexical-only, ${largest} letters`, '≤ 10 ms', at?.lexical.total.p95, 'ms', (v) => v <= 10),
    check('build throughput / raw ORT', '≥ 0.90', r.buildThroughput?.ratio, '×', (v) => v >= 0.9),
    check(`incremental rebuild, one letter changed, ${largest} letters`, '≤ 5 s', r.incremental ? r.incremental.change.wallMs / 1000 : null, 's', (v) => v <= 5),
    check(`peak RSS holding the ${largest}-letter index`, '≤ 1024 MB', r.memory?.hybrid?.maxRssMB ?? r.memory?.lexical.maxRssMB, 'MB', (v) => v <= 1024),
    check('cold start (median `fuhan ask`)', '≤ 3 s', medianCold === null ? null : medianCold / 1000, 's', (v) => v <= 3),
    check(`HNSW recall@10 at ${r.recall?.vectors ?? '?'} vectors`, '≥ 0.98', r.recall?.recallAt10, '', (v) => v >= 0.98),
  ];
}

/** Reads the previous results file, if any (for before/after comparisons). @example await previousResults('docs/bench-results.json') */
export async function previousResults(file: string): Promise<BenchResults | null> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as BenchResults;
  } catch {
    return null;
  }
}
