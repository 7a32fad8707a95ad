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
  await session.run(feeds[0]);
  const started = performance.now();
  for (const feed of feeds) await session.run(feed);
  const ms = performance.now() - started;
  await session.release();
  return result(texts.length, ms);
}
