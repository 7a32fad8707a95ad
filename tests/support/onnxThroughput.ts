/**
 * Throughput measurement for the embedding path: the Embedder (tokenize → run → pool) against a bare ONNX Runtime
 * session fed the same pre-tokenized batches. The ratio is the pipeline's overhead. For benchmarks, not tests.
 */
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { AutoTokenizer, env } from '@huggingface/transformers';
import * as ort from 'onnxruntime-node';
import type { Embedder } from '../../index/embedding/embedder.ts';

export interface ThroughputResult {
  passages: number;
  ms: number;
  passagesPerSecond: number;
  msPerPassage: number;
}

function result(passages: number, ms: number): ThroughputResult {
  return { passages, ms, passagesPerSecond: (passages * 1000) / ms, msPerPassage: ms / passages };
}

/**
 * Times `embedder.embedPassages(texts)` end to end (tokenization, inference, pooling), after one warm-up batch.
 *
 * @example const { passagesPerSecond } = await embedderThroughput(embedder, texts);
 */
export async function embedderThroughput(embedder: Embedder, texts: string[]): Promise<ThroughputResult> {
  await embedder.embedPassages(texts.slice(0, 4));
  const started = performance.now();
  await embedder.embedPassages(texts);
  return result(texts.length, performance.now() - started);
}

export interface RawOnnxOptions {
  localModelPath: string;
  modelId: string;
  dtype?: 'q8' | 'fp32';
  batchSize?: number;
  maxLength?: number;
  threads?: number;
  prefix?: string;
}

/**
 * Times a bare `InferenceSession.run` over the batches the Embedder would form (texts sorted by length, prefixed,
 * padded per batch); tokenization happens before the clock starts, so this is the inference-only ceiling.
 *
 * @example const raw = await rawOnnxThroughput(texts, { localModelPath, modelId, dtype: 'q8' });
 */
export async function rawOnnxThroughput(texts: string[], options: RawOnnxOptions): Promise<ThroughputResult> {
  const { session, feeds } = await prepareRawBatches(texts, options);
  await session.run(feeds[0]);
  const started = performance.now();
  for (const feed of feeds) await session.run(feed);
  const ms = performance.now() - started;
  await session.release();
  return result(texts.length, ms);
}

/**
 * Embedder vs bare session, interleaved batch by batch (embedder batch i, then raw batch i) so load from other
 * processes hits both alike. Returns both throughputs, `ratio` = embedder / raw throughput (wall clock) and
 * `cpuRatio` = raw / embedder CPU time (steadier on a busy machine).
 *
 * @example const { ratio } = await compareEmbedderToRaw(embedder, texts, { localModelPath, modelId });
 */
export async function compareEmbedderToRaw(
  embedder: Embedder,
  texts: string[],
  options: RawOnnxOptions,
): Promise<{ embedder: ThroughputResult; raw: ThroughputResult; ratio: number; cpuRatio: number }> {
  const batchSize = options.batchSize ?? embedder.options.batchSize;
  const { session, feeds } = await prepareRawBatches(texts, { ...options, batchSize, prefix: embedder.options.passagePrefix });
  const sorted = [...texts].sort((a, b) => (embedder.options.passagePrefix + a).length - (embedder.options.passagePrefix + b).length);
  await session.run(feeds[0]);
  await embedder.embedPassages(sorted.slice(0, batchSize));
  let embedderMs = 0;
  let rawMs = 0;
  // CPU time (all threads of this process) is far less disturbed by other processes than wall time.
  let embedderCpu = 0;
  let rawCpu = 0;
  const cpu = () => {
    const { user, system } = process.cpuUsage();
    return user + system;
  };
  for (let b = 0; b < feeds.length; b++) {
    let started = performance.now();
    let cpuStarted = cpu();
    await embedder.embedPassages(sorted.slice(b * batchSize, (b + 1) * batchSize));
    embedderMs += performance.now() - started;
    embedderCpu += cpu() - cpuStarted;
    started = performance.now();
    cpuStarted = cpu();
    await session.run(feeds[b]);
    rawMs += performance.now() - started;
    rawCpu += cpu() - cpuStarted;
  }
  await session.release();
  const e = result(texts.length, embedderMs);
  const r = result(texts.length, rawMs);
  return { embedder: e, raw: r, ratio: e.passagesPerSecond / r.passagesPerSecond, cpuRatio: rawCpu / embedderCpu };
}

async function prepareRawBatches(texts: string[], options: RawOnnxOptions): Promise<{ session: ort.InferenceSession; feeds: Record<string, ort.Tensor>[] }> {
  const { batchSize = 32, maxLength = 512, prefix = 'passage: ', dtype = 'q8' } = options;
  const threads = options.threads ?? Math.max(1, Math.min(4, availableParallelism()));
  env.allowRemoteModels = false;
  env.localModelPath = options.localModelPath.replace(/\/?$/, '/');
  const tokenizer = await AutoTokenizer.from_pretrained(options.modelId);
  const modelFile = path.join(options.localModelPath, options.modelId, 'onnx', dtype === 'q8' ? 'model_quantized.onnx' : 'model.onnx');
  const session = await ort.InferenceSession.create(modelFile, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
  });
  const sorted = texts.map((t) => prefix + t).sort((a, b) => a.length - b.length);
  const feeds: Record<string, ort.Tensor>[] = [];
  for (let i = 0; i < sorted.length; i += batchSize) {
    const encoded = tokenizer(sorted.slice(i, i + batchSize), { padding: true, truncation: true, max_length: maxLength });
    const feed: Record<string, ort.Tensor> = {};
    const tensors = encoded as unknown as Record<string, { data: BigInt64Array; dims: number[] } | undefined>;
    const ids = tensors.input_ids!;
    for (const name of session.inputNames) {
      // XLM-R style tokenizers give no token_type_ids; the model then gets zeros, as transformers.js does.
      const t = tensors[name] ?? { data: new BigInt64Array(ids.data.length), dims: ids.dims };
      feed[name] = new ort.Tensor('int64', t.data, t.dims);
    }
    feeds.push(feed);
  }
  return { session, feeds };
}
