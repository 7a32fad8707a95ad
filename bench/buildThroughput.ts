/**
 * Build throughput against its limit: a full `buildIndex` (read, parse, cut, tokenise, embed, HNSW, save) of a
 * corpus, in passages per second, next to a bare onnxruntime-node `InferenceSession.run` over the same passages,
 * with the same model file, batch size, tokenizer, truncation and session options, tokenised before the clock starts.
 * The limit is measured on two batchings: length-sorted over all passages (the best the hardware allows) and
 * exactly the batches `buildIndex` forms (64-passage slices, sorted inside), which isolates pipeline overhead from
 * batching.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { AutoTokenizer, env } from '@huggingface/transformers';
import * as ort from 'onnxruntime-node';
import type { Passage } from '../corpus/letter.ts';
import { parseLetter } from '../corpus/parseLetter.ts';
import { cutPassages } from '../corpus/passages.ts';
import { readCorpus } from '../corpus/readCorpus.ts';
import { buildIndex, type BuildReport } from '../index/buildIndex.ts';
import type { Embedder } from '../index/embedding/embedder.ts';
import { passageEmbeddingText } from './syntheticVectors.ts';

/** `buildIndex` hands the embedder this many passages at a time (index/buildIndex.ts). */
export const BUILD_EMBED_SLICE = 64;

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
  /** Raw ORT, the batches buildIndex forms. */
  rawBuildBatchesPerSecond: number;
  /** buildPerSecond / rawSortedPerSecond: the headline figure (target ≥ 0.90). */
  ratio: number;
  /** buildPerSecond / rawBuildBatchesPerSecond. */
  ratioSameBatches: number;
  /** Padding tokens / real tokens, for both batchings. */
  padding: { sorted: number; buildBatches: number };
  batchSize: number;
  threads: number;
  /** Interleaved rounds; each figure is the best of them. */
  rounds: number;
}

/** A pause between measurements, so one session's spinning worker threads have stopped before the next starts. */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 300));
}

/** Passages of a corpus exactly as buildIndex cuts them. @example await corpusPassages(['dir']) */
export async function corpusPassages(dirs: string[]): Promise<Passage[]> {
  const { docs } = await readCorpus(dirs);
  return docs.flatMap((d) => cutPassages(parseLetter(d)));
}

/** Texts in the batches `buildIndex` → `Embedder.embed` forms: 64-passage slices, length-sorted, then batchSize. */
export function buildBatches(texts: string[], batchSize: number, slice = BUILD_EMBED_SLICE): string[][] {
  const batches: string[][] = [];
  for (let s = 0; s < texts.length; s += slice) {
    const part = texts.slice(s, s + slice).sort((a, b) => a.length - b.length);
    for (let b = 0; b < part.length; b += batchSize) batches.push(part.slice(b, b + batchSize));
  }
  return batches;
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
 * Runs the comparison on the corpus in `corpusDir` (keep it small: the model runs every passage three times).
 *
 * @example const r = await measureBuildThroughput(dir, '.cache/bench-index/throughput', embedder, files);
 */
export async function measureBuildThroughput(corpusDir: string, scratchIndexDir: string, embedder: Embedder, files: ModelFiles, rounds = 3): Promise<BuildThroughputResult> {
  const passages = await corpusPassages([corpusDir]);
  const texts = passages.map(passageEmbeddingText);
  const { batchSize, maxLength, threads, dtype, passagePrefix } = embedder.options;
  const prefixed = texts.map((t) => passagePrefix + t);
  const raw = await rawRunner(files, { maxLength, threads, dtype });
  // Warm the embedder (first-run allocations) on a few texts outside the clock.
  await embedder.embedPassages(texts.slice(0, 4));
  // Rounds interleave the four measurements and keep each one's best, so a burst of load elsewhere on the machine
  // does not land on one side of the ratio only.
  const best = { build: Infinity, embedder: Infinity, sorted: Infinity, same: Infinity };
  let build: BuildReport | null = null;
  let padding = { sorted: 0, buildBatches: 0 };
  try {
    for (let round = 0; round < rounds; round++) {
      await rm(scratchIndexDir, { recursive: true, force: true });
      build = await buildIndex({ corpusDirs: [corpusDir], indexDir: scratchIndexDir, dense: 'on', embedder, full: true, progress: false, log: () => undefined });
      best.build = Math.min(best.build, build.ms);
      await rm(scratchIndexDir, { recursive: true, force: true });
      await settle();
      const e0 = performance.now();
      await embedder.embedPassages(texts);
      best.embedder = Math.min(best.embedder, performance.now() - e0);
      await settle();
      const sorted = await raw.run(sortedBatches(prefixed, batchSize));
      await settle();
      const same = await raw.run(buildBatches(prefixed, batchSize));
      await settle();
      best.sorted = Math.min(best.sorted, sorted.ms);
      best.same = Math.min(best.same, same.ms);
      padding = { sorted: sorted.padding, buildBatches: same.padding };
    }
  } finally {
    await raw.release();
  }
  const perSecond = (ms: number) => (passages.length * 1000) / ms;
  const buildPerSecond = perSecond(best.build);
  return {
    letters: build!.letters,
    passages: build!.passages,
    buildMs: Math.round(best.build),
    buildPerSecond,
    embedderPerSecond: perSecond(best.embedder),
    rawSortedPerSecond: perSecond(best.sorted),
    rawBuildBatchesPerSecond: perSecond(best.same),
    ratio: buildPerSecond / perSecond(best.sorted),
    ratioSameBatches: buildPerSecond / perSecond(best.same),
    padding,
    batchSize,
    threads,
    rounds,
  };
}
