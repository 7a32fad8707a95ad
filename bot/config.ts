/**
 * Runtime configuration, from the environment, validated once at start-up.
 * A missing or malformed value is one clear error naming the variable.
 *
 * @example
 * const config = loadConfig(process.env);
 * if (config.botToken) startBot(config); else startChat(config);
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parseDuration } from '../corpus/import/duration.ts';

/** Repository root (where corpus/ and package.json live). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const idList = z
  .string()
  .transform((s) => s.split(/[\s,]+/).filter(Boolean))
  .pipe(z.array(z.string().regex(/^-?\d+$/, 'must be numeric Telegram ids separated by commas')).transform((a) => a.map(Number)));

const EnvSchema = z.object({
  BOT_TOKEN: z.string().regex(/^\d+:[\w-]{20,}$/, 'does not look like a token from @BotFather (123456:ABC…)').optional(),
  FUHAN_TELEGRAM_API: z.string().url().optional(),
  FUHAN_ALLOWED_CHATS: idList.optional(),
  FUHAN_ADMINS: idList.optional(),
  FUHAN_CORPUS: z.string().optional(),
  FUHAN_INDEX: z.string().optional(),
  FUHAN_DENSE: z.enum(['off', 'on', 'auto']).optional(),
  FUHAN_WEBHOOK_URL: z.string().url().optional(),
  FUHAN_WEBHOOK_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  FUHAN_WEBHOOK_SECRET: z.string().optional(),
  FUHAN_LLM_URL: z.string().url().optional(),
  FUHAN_LLM_MODEL: z.string().optional(),
  FUHAN_LLM_KEY: z.string().optional(),
  FUHAN_LLM_TIMEOUT_MS: z.coerce.number().int().min(100).optional(),
  FUHAN_UPLOAD_MAX_BYTES: z.coerce.number().int().min(1024, 'must be at least 1024 bytes').max(2_000_000_000).optional(),
  FUHAN_IMPORT_URLS: z.string().transform((s) => s.split(/[\s,]+/).filter(Boolean)).pipe(z.array(z.string().regex(/^https?:\/\/[^\s/]+/, 'must be http(s) URLs separated by commas'))).optional(),
  FUHAN_IMPORT_EVERY: z.string().transform((s) => parseDuration(s)).pipe(z.number({ message: 'must be a duration such as 24h, 30m or 90s' }).min(1000, 'must be at least 1s')).optional(),
  FUHAN_IMPORT_DELAY_MS: z.coerce.number().int().min(0).max(600_000).optional(),
  FUHAN_PUBLIC_URL: z.string().url().regex(/^https?:\/\//i, 'must be an http(s) address such as https://fuhan.example.org').optional(),
  FUHAN_REDIS_URL: z.string().regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL').optional(),
  FUHAN_CONVERSATION_TTL: z.coerce.number().int('must be whole minutes').min(1, 'must be at least 1 (minutes)').max(10_080, 'must be at most 10080 (a week, in minutes)').optional(),
});

export interface Config {
  botToken?: string;
  /** Bot API root, e.g. a self-hosted telegram-bot-api or the test emulator. */
  telegramApi?: string;
  /** Chats allowed to use the bot; undefined = everyone (the letters are public). */
  allowedChats?: number[];
  /** Users allowed to /reload, /stats and upload letters. */
  admins: number[];
  /** Corpus folders (FUHAN_CORPUS, separated by the path delimiter); default: the shipped corpus/letters. */
  corpusDirs: string[];
  /** Index folder (FUHAN_INDEX); default data/index in the repository. */
  indexDir: string;
  dense: 'off' | 'on' | 'auto';
  webhook?: { url: string; port: number; secret?: string };
  llm?: { url: string; model: string; key?: string; timeoutMs: number };
  /** Largest letter file an admin may upload to the bot (FUHAN_UPLOAD_MAX_BYTES); default 10 MB. */
  uploadMaxBytes?: number;
  /** Columns or letters re-imported on a schedule (FUHAN_IMPORT_URLS), every `everyMs` (FUHAN_IMPORT_EVERY, default 24h); pause between requests to a host (FUHAN_IMPORT_DELAY_MS, default 1 s). */
  import?: { urls: string[]; everyMs: number; delayMs?: number };
  /** Public address of the web pages (FUHAN_PUBLIC_URL, no trailing slash): citations then carry permalinks. */
  publicUrl?: string;
  /** Redis for the bot's conversations (FUHAN_REDIS_URL), shared by several bot processes; unset: in memory. */
  redisUrl?: string;
  /** Minutes of quiet after which a conversation is forgotten (FUHAN_CONVERSATION_TTL); default 30. */
  conversationTtlMinutes?: number;
}

/** Default upload limit: reply letters are kilobytes; 10 MB leaves room for scanned PDFs (Telegram's getFile allows 20 MB). */
export const DEFAULT_UPLOAD_MAX_BYTES = 10 * 1024 * 1024;

/** Thrown for a bad environment; `message` names the variable. */
export class ConfigError extends Error {}

/**
 * Reads and validates the configuration from an environment object.
 *
 * @example
 * loadConfig({ FUHAN_ADMINS: '12345,67890' }).admins // → [12345, 67890]
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings count as unset: `FOO=` in a .env file or docker-compose means "not given".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`invalid environment variable ${String(issue.path[0])}: ${issue.message}`);
  }
  const e = parsed.data;
  if (e.FUHAN_LLM_URL && !e.FUHAN_LLM_MODEL) throw new ConfigError('FUHAN_LLM_MODEL must be set when FUHAN_LLM_URL is set');
  const corpusDirs = e.FUHAN_CORPUS
    ? e.FUHAN_CORPUS.split(path.delimiter).filter(Boolean).map((p) => path.resolve(p))
    : [path.join(REPO_ROOT, 'corpus', 'letters')];
  return {
    botToken: e.BOT_TOKEN,
    telegramApi: e.FUHAN_TELEGRAM_API,
    allowedChats: e.FUHAN_ALLOWED_CHATS,
    admins: e.FUHAN_ADMINS ?? [],
    corpusDirs,
    indexDir: path.resolve(e.FUHAN_INDEX ?? path.join(REPO_ROOT, 'data', 'index')),
    dense: e.FUHAN_DENSE ?? 'auto',
    webhook: e.FUHAN_WEBHOOK_URL
      ? { url: e.FUHAN_WEBHOOK_URL, port: e.FUHAN_WEBHOOK_PORT ?? 8080, secret: e.FUHAN_WEBHOOK_SECRET }
      : undefined,
    llm: e.FUHAN_LLM_URL
      ? { url: e.FUHAN_LLM_URL, model: e.FUHAN_LLM_MODEL!, key: e.FUHAN_LLM_KEY, timeoutMs: e.FUHAN_LLM_TIMEOUT_MS ?? 15_000 }
      : undefined,
    uploadMaxBytes: e.FUHAN_UPLOAD_MAX_BYTES ?? DEFAULT_UPLOAD_MAX_BYTES,
    import: { urls: e.FUHAN_IMPORT_URLS ?? [], everyMs: e.FUHAN_IMPORT_EVERY ?? 86_400_000, delayMs: e.FUHAN_IMPORT_DELAY_MS },
    publicUrl: e.FUHAN_PUBLIC_URL?.replace(/\/+$/, ''),
    redisUrl: e.FUHAN_REDIS_URL,
    conversationTtlMinutes: e.FUHAN_CONVERSATION_TTL ?? 30,
  };
}
