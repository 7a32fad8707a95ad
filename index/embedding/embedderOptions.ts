/**
 * Settings of the dense embedding model: which model, where its files live, how texts are prepared.
 * Defaults suit `Xenova/multilingual-e5-small` (int8), which expects `query: ` / `passage: ` prefixes.
 */
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where downloaded models are cached when nothing else is configured. */
export const DEFAULT_MODEL_CACHE = path.join(REPO_ROOT, '.cache', 'models');

/** ONNX weight precisions transformers.js knows file names for (q8 → `onnx/model_quantized.onnx`). */
export const ModelDtypeSchema = z.enum(['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4']);
export type ModelDtype = z.infer<typeof ModelDtypeSchema>;

export const EmbedderOptionsSchema = z.object({
  /** Hugging Face model id (downloaded on first use) or a folder under `localModelPath`. */
  model: z.string().min(1).default('Xenova/multilingual-e5-small'),
  dtype: ModelDtypeSchema.default('q8'),
  /** Download cache (transformers.js file cache layout: `<cacheDir>/<model id>/…`). */
  cacheDir: z.string().min(1).default(DEFAULT_MODEL_CACHE),
  /**
   * Folder holding models in transformers.js layout: `<localModelPath>/<model id>/{config.json,tokenizer.json,
   * tokenizer_config.json,onnx/model_quantized.onnx|model.onnx}`. A folder that itself holds `config.json` is used as
   * the model directly.
   */
  localModelPath: z.string().min(1).optional(),
  /** Whether the model may be downloaded from the Hugging Face Hub when it is not cached. */
  allowRemote: z.boolean().default(true),
  /** Model hub to download from (a mirror); default https://huggingface.co/. */
  remoteHost: z.string().url().optional(),
  /** How long to wait for the hub to start answering before treating the machine as offline. */
  connectTimeoutMs: z.number().int().positive().default(10_000),
  /** Prepended to questions (e5 was trained with it). */
  queryPrefix: z.string().default('query: '),
  /** Prepended to passages (e5 was trained with it). */
  passagePrefix: z.string().default('passage: '),
  batchSize: z.number().int().positive().default(32),
  /** Tokens per text; longer texts are truncated. */
  maxLength: z.number().int().positive().default(512),
  pooling: z.enum(['mean', 'cls']).default('mean'),
  normalize: z.boolean().default(true),
  /** ONNX Runtime intra-op threads (one per core is the sweet spot for small encoders). */
  threads: z
    .number()
    .int()
    .positive()
    .default(() => Math.max(1, Math.min(4, availableParallelism()))),
  /**
   * Let idle ONNX Runtime threads spin between operators. Faster for bulk embedding (index builds); off for
   * answering, where spinning threads take the CPU the rest of the answer needs on a busy machine.
   */
  spinning: z.boolean().default(false),
});
/** Fully resolved options. */
export type EmbedderOptions = z.infer<typeof EmbedderOptionsSchema>;
/** Options as callers write them: everything optional. */
export type EmbedderOptionsInput = z.input<typeof EmbedderOptionsSchema>;

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on']);

/**
 * Reads `FUHAN_MODEL`, `FUHAN_MODEL_DTYPE`, `FUHAN_MODEL_CACHE`, `FUHAN_MODEL_DIR` and `FUHAN_OFFLINE`.
 * Unset or empty variables are left out, so they never override a default with ''.
 *
 * @example embedderOptionsFromEnv({ FUHAN_OFFLINE: '1' }) // → { allowRemote: false }
 */
export function embedderOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): EmbedderOptionsInput {
  const out: EmbedderOptionsInput = {};
  if (env.FUHAN_MODEL) out.model = env.FUHAN_MODEL;
  if (env.FUHAN_MODEL_DTYPE) out.dtype = ModelDtypeSchema.parse(env.FUHAN_MODEL_DTYPE.trim().toLowerCase());
  if (env.FUHAN_MODEL_CACHE) out.cacheDir = path.resolve(env.FUHAN_MODEL_CACHE);
  if (env.FUHAN_MODEL_DIR) out.localModelPath = path.resolve(env.FUHAN_MODEL_DIR);
  if (env.FUHAN_OFFLINE) out.allowRemote = !TRUE_WORDS.has(env.FUHAN_OFFLINE.trim().toLowerCase());
  return out;
}

/**
 * Resolves options: explicit values win over environment variables, which win over defaults.
 * Throws a zod error naming the bad field when a value is invalid.
 *
 * @example resolveEmbedderOptions({ batchSize: 16 }).model // → 'Xenova/multilingual-e5-small'
 */
export function resolveEmbedderOptions(input: EmbedderOptionsInput = {}, env: NodeJS.ProcessEnv = process.env): EmbedderOptions {
  const defined = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
  return EmbedderOptionsSchema.parse({ ...embedderOptionsFromEnv(env), ...defined });
}
