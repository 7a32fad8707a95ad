/**
 * Build throughput against its limit: a full `buildIndex` (read, parse, cut, tokenise, embed, HNSW, save) of a
 * corpus, in passages per second, next to a bare onnxruntime-node `InferenceSession.run` over the same passages,
 * with the same model file, batch size, tokenizer, truncation and session options, tokenised before the clock starts.
 * The limit is measured on batches length-sorted over all passages (the best the hardware allows; `buildIndex`
 * forms the same batches).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AutoTokenizer, env } from '@huggingface/transformers';
import * as ort from 'onnxruntime-node';
import type { Passage } from '../corpus/letter.ts';
import { parseLetter } from '../corpus/parseLetter.ts';
import { cutPassages } from '../corpus/passages.ts';
import { readCorpus } from '../corpus/readCorpus.ts';
import type { ThroughputProbeReport } from './throughputProbe.ts';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface ModelFiles {
  localModelPath: string;
  modelId: string;
}

export interface BuildThroughputResult {
  letters: number;
  passages: number;
  buildMs: number;
  /** Passages per second of the whole build. */
  buildPerSecond: number;
  /** Embedder alone (`embedPassages` over all texts at once), passages per second. */
  embedderPerSecond: number;
  /** Raw ORT, batches length-sorted over all passages. */
  rawSortedPerSecond: number;
  /** buildPerSecond / rawSortedPerSecond: the headline figure (target ≥ 0.90). */
  ratio: number;
  /** Padding tokens / real tokens in the sorted batches. */
  padding: number;
  batchSize: number;
  threads: number;
  /** Interleaved rounds; each figure is the best of them. */
  rounds: number;
}

/** Passages of a corpus exactly as buildIndex cuts them. @example await corpusPassages(['dir']) */
export async function corpusPassages(dirs: string[]): Promise<Passage[]> {
  const { docs } = await readCorpus(dirs);
  return docs.flatMap((d) => cutPassages(parseLetter(d)));
}

/** Texts length-sorted over the whole set, then cut into batches. */
export function sortedBatches(texts: string[], batchSize: number): string[][] {
  const sorted = [...texts].sort((a, b) => a.length - b.length);
  const batches: string[][] = [];
  for (let b = 0; b < sorted.length; b += batchSize) batches.push(sorted.slice(b, b + batchSize));
  return batches;
}

/** A bare ORT session plus the model's tokenizer, reused across timing rounds. */
export interface RawRunner {
  /** Times `session.run` over pre-tokenised batches (tokenisation outside the clock); returns ms and padding ratio. */
  run(batches: string[][]): Promise<{ ms: number; padding: number }>;
  release(): Promise<void>;
}

/**
 * Opens the model file with onnxruntime-node directly, with the Embedder's session options.
 *
 * @example const raw = await rawRunner(files, { maxLength: 512, threads: 2, dtype: 'q8' }); const { ms } = await raw.run(batches);
 */
export async function rawRunner(files: ModelFiles, options: { maxLength: number; threads: number; dtype: string }): Promise<RawRunner> {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = files.localModelPath.replace(/\/?$/, '/');
  const tokenizer = await AutoTokenizer.from_pretrained(files.modelId);
  const file = path.join(files.localModelPath, files.modelId, 'onnx', options.dtype === 'fp32' ? 'model.onnx' : 'model_quantized.onnx');
  const session = await ort.InferenceSession.create(file, {
    intraOpNumThreads: options.threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
  });
  return {
    async run(batches) {
      let real = 0;
      let padded = 0;
      const feeds = batches.map((batch) => {
        const encoded = tokenizer(batch, { padding: true, truncation: true, max_length: options.maxLength });
        const feed: Record<string, ort.Tensor> = {};
        for (const name of session.inputNames) {
          const t = (encoded as unknown as Record<string, { data: BigInt64Array; dims: number[] }>)[name];
          feed[name] = new ort.Tensor('int64', t.data, t.dims);
        }
        const mask = (encoded.attention_mask as { data: BigInt64Array }).data;
        for (const m of mask) m === 1n ? real++ : padded++;
        return feed;
      });
      await session.run(feeds[0]); // warm-up
      const started = performance.now();
      for (const feed of feeds) {
        const out = await session.run(feed);
        for (const t of Object.values(out)) t.dispose?.();
      }
      return { ms: performance.now() - started, padding: padded / (real || 1) };
    },
    release: () => session.release(),
  };
}

/**
 * Runs the comparison on the corpus in `corpusDir` (keep it small: the model runs every passage three times per
 * round). Each round runs the pipeline side and the raw side in separate child processes (bench/throughputProbe.ts),
 * alternately; each figure is the best round.
 *
 * @example const r = await measureBuildThroughput(dir, '.cache/bench-index/throughput', files, 3);
 */
export async function measureBuildThroughput(corpusDir: string, scratchIndexDir: string, files: ModelFiles, rounds = 3): Promise<BuildThroughputResult> {
  const best = { build: Infinity, embedder: Infinity, sorted: Infinity };
  let pipeline: ThroughputProbeReport | null = null;
  let raw: ThroughputProbeReport | null = null;
  for (let round = 0; round < rounds; round++) {
    pipeline = await probe({ mode: 'pipeline', corpusDir, scratchIndexDir, model: files });
    raw = await probe({ mode: 'raw', corpusDir, scratchIndexDir, model: files });
    best.build = Math.min(best.build, pipeline.buildMs!);
    best.embedder = Math.min(best.embedder, pipeline.embedderMs!);
    best.sorted = Math.min(best.sorted, raw.rawSortedMs!);
  }
  const n = pipeline!.passages;
  const perSecond = (ms: number) => (n * 1000) / ms;
  const buildPerSecond = perSecond(best.build);
  return {
    letters: pipeline!.letters,
    passages: n,
    buildMs: Math.round(best.build),
    buildPerSecond,
    embedderPerSecond: perSecond(best.embedder),
    rawSortedPerSecond: perSecond(best.sorted),
    ratio: buildPerSecond / perSecond(best.sorted),
    padding: raw!.padding!,
    batchSize: pipeline!.batchSize,
    threads: pipeline!.threads,
    rounds,
  };
}

function probe(args: { mode: 'pipeline' | 'raw'; corpusDir: string; scratchIndexDir: string; model: ModelFiles }): Promise<ThroughputProbeReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join('bench', 'throughputProbe.ts'), JSON.stringify(args)], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = stdout.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !line.startsWith('{')) reject(new Error(`bench/throughputProbe.ts ${args.mode} failed (exit ${code}): ${stderr.trim().slice(-500)}`));
      else resolve(JSON.parse(line) as ThroughputProbeReport);
    });
  });
}
