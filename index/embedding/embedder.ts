/**
 * Sentence embeddings for the dense search channel: tokenizer + ONNX encoder through transformers.js,
 * masked mean pooling and L2 normalisation done here in one pass over the encoder output.
 *
 * The model is downloaded into `cacheDir` on first use exactly as transformers.js does; when it cannot be loaded
 * (offline and not cached, remote loading off, broken files) `loadEmbedder` logs one line and returns null so the
 * engine carries on lexical-only.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { AutoConfig, AutoModel, AutoTokenizer, env, LogLevel, type PreTrainedModel, type PreTrainedTokenizer } from '@huggingface/transformers';
import { resolveEmbedderOptions, type EmbedderOptions, type EmbedderOptionsInput } from './embedderOptions.ts';

// transformers.js settings are process-wide; every load sets all of them so one load never inherits another's.
const DEFAULT_REMOTE_HOST = env.remoteHost;
const DEFAULT_LOCAL_MODEL_PATH = env.localModelPath;
/** Loads run one at a time because they share (and set) that global configuration. */
let loadChain: Promise<unknown> = Promise.resolve();

/**
 * A loaded embedding model. Vectors are `dims` long, unit-norm when `normalize` is on. `modelId` is the model id
 * it was loaded by, or the folder path when `localModelPath` pointed straight at a model folder.
 */
export class Embedder {
  /** Busy-chain: one batch at a time, so concurrent callers don't oversubscribe the ONNX thread pool. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly modelId: string,
    readonly dims: number,
    readonly options: EmbedderOptions,
    private readonly tokenizer: PreTrainedTokenizer,
    private readonly model: PreTrainedModel,
  ) {}

  /**
   * Loads tokenizer and model; throws when they cannot be loaded. Prefer `loadEmbedder`, which never throws.
   *
   * @example const embedder = await Embedder.load({ model: 'Xenova/multilingual-e5-small' });
   */
  static load(input: EmbedderOptionsInput = {}): Promise<Embedder> {
    const run = loadChain.then(() => Embedder.loadNow(input));
    loadChain = run.catch(() => undefined);
    return run;
  }

  private static async loadNow(input: EmbedderOptionsInput): Promise<Embedder> {
    const options = resolveEmbedderOptions(input);
    const source = configureTransformers(options);
    const previousLevel = env.logLevel;
    // transformers.js warns on every missing local file before falling back; the caller reports failure once.
    env.logLevel = LogLevel.NONE;
    try {
      // config.json first: it is required, so a missing model fails here with a clear "not found" (the tokenizer
      // loader treats its config as optional and fails later with an unhelpful TypeError).
      const config = await AutoConfig.from_pretrained(source);
      const tokenizer = await AutoTokenizer.from_pretrained(source);
      const model = await AutoModel.from_pretrained(source, {
        config,
        dtype: options.dtype,
        device: 'cpu',
        session_options: {
          intraOpNumThreads: options.threads,
          interOpNumThreads: 1,
          graphOptimizationLevel: 'all',
          logSeverityLevel: 3,
          // Idle ORT threads spin by default; on a busy 2-core machine that steals the CPU the
          // rest of the answer needs (measured: query-embedding p95 79–95 ms → 20–33 ms). Builds,
          // which only embed, turn it back on (`spinning`).
          extra: { session: { intra_op: { allow_spinning: options.spinning ? '1' : '0' } } },
        },
      });
      const sizes = model.config as unknown as { hidden_size?: number; d_model?: number };
      const dims = sizes.hidden_size ?? sizes.d_model;
      if (!dims) throw new Error(`model config has no hidden_size`);
      // A model loaded straight from a folder is named by that folder: it may not be `options.model` at all.
      return new Embedder(source, dims, options, tokenizer, model);
    } finally {
      env.logLevel = previousLevel;
    }
  }

  /**
   * Embeds search questions (with the query prefix, e.g. `query: `).
   *
   * @example const [q] = await embedder.embedQueries(['数字经济发展措施']);
   */
  embedQueries(texts: string[]): Promise<Float32Array[]> {
    return this.embed(texts.map((t) => this.options.queryPrefix + t));
  }

  /**
   * Embeds passages (with the passage prefix, e.g. `passage: `), in input order.
   *
   * @example const vectors = await embedder.embedPassages(passages.map((p) => p.text));
   */
  embedPassages(texts: string[]): Promise<Float32Array[]> {
    return this.embed(texts.map((t) => this.options.passagePrefix + t));
  }

  /** Releases the ONNX session. The embedder must not be used afterwards. */
  async dispose(): Promise<void> {
    await this.queue.catch(() => undefined);
    await this.model.dispose();
  }

  private async embed(texts: string[]): Promise<Float32Array[]> {
    const out = new Array<Float32Array>(texts.length);
    // Similar lengths in one batch → little padding. Character count is a good enough proxy for token count.
    const order = texts.map((_, i) => i).sort((a, b) => texts[a].length - texts[b].length);
    const { batchSize } = this.options;
    for (let from = 0; from < order.length; from += batchSize) {
      const ids = order.slice(from, from + batchSize);
      const vectors = await this.serialised(() => this.embedBatch(ids.map((i) => texts[i])));
      ids.forEach((id, j) => (out[id] = vectors[j]));
    }
    return out;
  }

  private serialised<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async embedBatch(texts: string[]): Promise<Float32Array[]> {
    const inputs = this.tokenizer(texts, { padding: true, truncation: true, max_length: this.options.maxLength });
    const outputs = (await this.model(inputs)) as Record<string, { data: Float32Array; dims: number[]; dispose(): void }>;
    const hidden = outputs.last_hidden_state ?? Object.values(outputs)[0];
    const mask = inputs.attention_mask.data as BigInt64Array;
    const vectors = pool(hidden.data, mask, hidden.dims as [number, number, number], this.options.pooling, this.options.normalize);
    hidden.dispose();
    return vectors;
  }
}

/**
 * Pools token vectors `[batch, seq, dims]` into one vector per text: mean over real (mask = 1) tokens, or the first
 * token for `cls`; then L2-normalises. Written as flat loops over the typed arrays: no intermediate tensors.
 */
function pool(data: Float32Array, mask: BigInt64Array, [batch, seq, dims]: [number, number, number], pooling: 'mean' | 'cls', normalize: boolean): Float32Array[] {
  const result: Float32Array[] = [];
  for (let b = 0; b < batch; b++) {
    const v = new Float32Array(dims);
    if (pooling === 'cls') {
      v.set(data.subarray(b * seq * dims, b * seq * dims + dims));
    } else {
      let count = 0;
      for (let s = 0; s < seq; s++) {
        if (mask[b * seq + s] === 0n) continue;
        count++;
        const base = (b * seq + s) * dims;
        for (let d = 0; d < dims; d++) v[d] += data[base + d];
      }
      if (count > 0) for (let d = 0; d < dims; d++) v[d] /= count;
    }
    if (normalize) {
      let norm = 0;
      for (let d = 0; d < dims; d++) norm += v[d] * v[d];
      norm = Math.sqrt(norm);
      if (norm > 0) for (let d = 0; d < dims; d++) v[d] /= norm;
    }
    result.push(v);
  }
  return result;
}

/**
 * Points transformers.js (a process-wide singleton) at our cache, local models and a fetch that gives up quickly
 * when the hub does not answer; returns the id or folder to load from.
 */
function configureTransformers(options: EmbedderOptions): string {
  env.allowLocalModels = true;
  env.allowRemoteModels = options.allowRemote;
  env.useFSCache = true;
  env.cacheDir = options.cacheDir;
  env.fetch = fetchWithConnectTimeout(options.connectTimeoutMs);
  env.remoteHost = options.remoteHost ? options.remoteHost.replace(/\/?$/, '/') : DEFAULT_REMOTE_HOST;
  env.localModelPath = DEFAULT_LOCAL_MODEL_PATH;
  if (options.localModelPath) {
    // A folder that is itself a model (config.json inside) is loaded as a path; otherwise it is a models root.
    if (existsSync(path.join(options.localModelPath, 'config.json'))) return options.localModelPath;
    env.localModelPath = options.localModelPath.endsWith(path.sep) ? options.localModelPath : options.localModelPath + path.sep;
  }
  return options.model;
}

/**
 * `fetch` that aborts when no response headers arrive within `timeoutMs` (a firewalled machine can otherwise hang
 * for minutes); once the download has started it is not cut short.
 */
function fetchWithConnectTimeout(timeoutMs: number) {
  return async (input: string | URL, init: RequestInit = {}): Promise<Response> => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error(`no answer from the model hub within ${timeoutMs} ms`)), timeoutMs);
    try {
      return await fetch(input, { ...init, signal: controller.signal });
    } finally {
      clearTimeout(timer);
    }
  };
}

/** Whether an error means the hub could not be reached (as opposed to a broken model). */
function isNetworkError(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: string }).code ?? '';
    if (/^(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|UND_ERR_)/.test(code)) return true;
    if (e.name === 'AbortError' || /fetch failed|no answer from the model hub/.test(e.message)) return true;
  }
  return false;
}

/** One-line reason a model failed to load, for the user. */
function describeLoadFailure(error: unknown, options: EmbedderOptions): string {
  const places = [options.cacheDir, options.localModelPath].filter(Boolean).join(' or ');
  if (!options.allowRemote && /not found locally|allowRemoteModels=false|local_files_only|ENOENT/i.test(String(error))) {
    return `downloads are off and it is not in ${places}`;
  }
  if (isNetworkError(error)) return `offline and not in cache ${places}`;
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0].slice(0, 300);
}

/**
 * Loads the embedding model, or returns null after logging exactly one line saying why and how to fix it
 * (the engine then runs lexical-only). Never throws for an unavailable model or invalid options.
 *
 * @example
 * const embedder = await loadEmbedder({ allowRemote: false }, (line) => console.error(line));
 * if (embedder) vectors = await embedder.embedPassages(texts);
 */
export async function loadEmbedder(input: EmbedderOptionsInput = {}, log: (line: string) => void = (line) => console.error(line)): Promise<Embedder | null> {
  let options: EmbedderOptions;
  try {
    options = resolveEmbedderOptions(input);
  } catch (error) {
    const detail = error instanceof Error ? error.message.replace(/\s+/g, ' ').slice(0, 300) : String(error);
    log(`dense search off: invalid embedding model settings (${detail}); continuing lexical-only.`);
    return null;
  }
  try {
    return await Embedder.load(options);
  } catch (error) {
    log(
      `dense search off: could not load model ${options.model} (${describeLoadFailure(error, options)}). ` +
        `Run once with internet, or set FUHAN_MODEL_DIR to a folder holding the model; continuing lexical-only.`,
    );
    return null;
  }
}
