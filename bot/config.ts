/**
 * Runtime configuration, from the environment. Every setting is one row of `SETTINGS`: the group of
 * commands that use it, what is allowed (in words, for the error) and its schema. A command checks
 * only the groups it uses (`fuhan ask` never looks at BOT_TOKEN), and every bad value is the same
 * one-line `ConfigError` naming the variable and what is allowed; the command line exits 2 on it.
 *
 * @example
 * const config = loadConfig(process.env, { groups: ['index', 'answer'] });
 * // FUHAN_WEBHOOK_PORT=abc → ConfigError: FUHAN_WEBHOOK_PORT="abc" is not allowed: a port number from 1 to 65535
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parseDuration } from '../corpus/import/duration.ts';
import { ModelDtypeSchema } from '../index/embedding/embedderOptions.ts';
import { LOG_LEVELS, type LogLevel } from './logger.ts';

/** Repository root (where corpus/ and package.json live). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Which commands read a setting: `index` (every command that opens or builds the index), `answer`
 * (commands that compose answers), `telegram` (the bot), `log` (long-running services).
 */
export type SettingGroup = 'index' | 'answer' | 'telegram' | 'log';
export const ALL_GROUPS: readonly SettingGroup[] = ['index', 'answer', 'telegram', 'log'];

interface Setting {
  group: SettingGroup;
  /** What is allowed, in words: the end of the error line. */
  allowed: string;
  schema: z.ZodType;
  /** Never echo the value (tokens, keys). */
  secret?: true;
}

const idList = z
  .string()
  .transform((s) => s.split(/[\s,]+/).filter(Boolean))
  .pipe(z.array(z.string().regex(/^-?\d+$/)).transform((a) => a.map(Number)));
/** zod runs refinements even after `.url()` failed, so the protocol check must not throw on a non-URL. */
const url = (protocols = /^https?:$/) => z.string().url().refine((s) => URL.canParse(s) && protocols.test(new URL(s).protocol));
const whole = (min: number, max: number) => z.string().regex(/^\d+$/).transform(Number).pipe(z.number().int().min(min).max(max));
const flag = z.enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off']).transform((s) => ['1', 'true', 'yes', 'on'].includes(s));

/** Every setting Fuhan reads. Add one row per new setting (the README's configuration table lists them too). */
const SETTINGS = {
  FUHAN_CORPUS: { group: 'index', allowed: 'letter folders separated by ":"', schema: z.string() },
  FUHAN_INDEX: { group: 'index', allowed: 'a folder for the index', schema: z.string() },
  FUHAN_DENSE: { group: 'index', allowed: 'off, on or auto', schema: z.enum(['off', 'on', 'auto']) },
  FUHAN_MODEL: { group: 'index', allowed: 'a Hugging Face model id such as Xenova/multilingual-e5-small', schema: z.string() },
  FUHAN_MODEL_DTYPE: { group: 'index', allowed: ModelDtypeSchema.options.join(', '), schema: z.string().toLowerCase().pipe(ModelDtypeSchema) },
  FUHAN_MODEL_CACHE: { group: 'index', allowed: 'a folder for downloaded models', schema: z.string() },
  FUHAN_MODEL_DIR: { group: 'index', allowed: 'an existing folder holding models (transformers.js layout)', schema: z.string().refine(isDirectory) },
  FUHAN_OFFLINE: { group: 'index', allowed: '1 (never download a model) or 0', schema: flag },
  FUHAN_LLM_URL: { group: 'answer', allowed: 'an http(s) URL of an OpenAI-compatible endpoint', schema: url() },
  FUHAN_LLM_MODEL: { group: 'answer', allowed: 'a model name', schema: z.string() },
  FUHAN_LLM_KEY: { group: 'answer', allowed: 'an API key', schema: z.string(), secret: true },
  FUHAN_LLM_TIMEOUT_MS: { group: 'answer', allowed: 'milliseconds, a whole number from 100 to 600000', schema: whole(100, 600_000) },
  BOT_TOKEN: { group: 'telegram', allowed: 'a token from @BotFather, like 123456:ABC-DEF…', schema: z.string().regex(/^\d+:[\w-]{20,}$/), secret: true },
  FUHAN_TELEGRAM_API: { group: 'telegram', allowed: 'the http(s) URL of a Bot API server', schema: url() },
  FUHAN_ALLOWED_CHATS: { group: 'telegram', allowed: 'numeric Telegram chat ids separated by commas', schema: idList },
  FUHAN_ADMINS: { group: 'telegram', allowed: 'numeric Telegram user ids separated by commas', schema: idList },
  FUHAN_WEBHOOK_URL: { group: 'telegram', allowed: 'an https:// URL (http:// only with FUHAN_WEBHOOK_INSECURE=1)', schema: url() },
  FUHAN_WEBHOOK_PORT: { group: 'telegram', allowed: 'a port number from 1 to 65535', schema: whole(1, 65535) },
  FUHAN_WEBHOOK_SECRET: { group: 'telegram', allowed: '1 to 256 characters A-Z a-z 0-9 _ -', schema: z.string().regex(/^[\w-]{1,256}$/), secret: true },
  FUHAN_WEBHOOK_INSECURE: { group: 'telegram', allowed: '1 (allow an http:// webhook, for local tests) or 0', schema: flag },
  FUHAN_UPLOAD_MAX_BYTES: { group: 'telegram', allowed: 'bytes, a whole number from 1024 to 2000000000', schema: whole(1024, 2_000_000_000) },
  FUHAN_STATUS_FILE: { group: 'telegram', allowed: 'a file path the bot may write its status to', schema: z.string() },
  FUHAN_PUBLIC_URL: { group: 'answer', allowed: 'an http(s) address such as https://fuhan.example.org', schema: url() },
  FUHAN_REDIS_URL: { group: 'answer', allowed: 'a redis:// or rediss:// URL', schema: z.string().regex(/^rediss?:\/\/\S+$/) },
  FUHAN_CONVERSATION_TTL: { group: 'answer', allowed: 'minutes, a whole number from 1 to 10080', schema: whole(1, 10_080) },
  FUHAN_IMPORT_URLS: { group: 'telegram', allowed: 'http(s) URLs separated by commas', schema: z.string().transform((s) => s.split(/[\s,]+/).filter(Boolean)).pipe(z.array(z.string().regex(/^https?:\/\/[^\s/]+/))) },
  FUHAN_IMPORT_EVERY: { group: 'telegram', allowed: 'a duration of at least 1s, such as 24h, 30m or 90s', schema: z.string().transform((s) => parseDuration(s)).pipe(z.number().min(1000)) },
  FUHAN_IMPORT_DELAY_MS: { group: 'telegram', allowed: 'milliseconds, a whole number from 0 to 600000', schema: whole(0, 600_000) },
  FUHAN_LOG_LEVEL: { group: 'log', allowed: LOG_LEVELS.join(', '), schema: z.enum(LOG_LEVELS) },
} satisfies Record<string, Setting>;

type SettingName = keyof typeof SETTINGS;
type Values = { [K in SettingName]?: z.output<(typeof SETTINGS)[K]['schema']> };

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
  /** Webhook mode; `secret` is required unless `insecure` (FUHAN_WEBHOOK_INSECURE=1, local tests only). */
  webhook?: { url: string; port: number; secret?: string; insecure?: boolean };
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
  /** Where the bot records that it reached the Bot API (FUHAN_STATUS_FILE); read by `fuhan health`. */
  statusFile: string;
  /** FUHAN_LOG_LEVEL; default info. */
  logLevel: LogLevel;
}

/** Default upload limit: reply letters are kilobytes; 10 MB leaves room for scanned PDFs (Telegram's getFile allows 20 MB). */
export const DEFAULT_UPLOAD_MAX_BYTES = 10 * 1024 * 1024;

/** Thrown for a bad setting; `message` is one line naming the variable and what is allowed. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly allowed: string,
    message = `${variable} is not allowed: ${allowed}`,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * The one formatter of setting errors.
 *
 * @example
 * settingError('FUHAN_DENSE', 'sometimes').message // → 'FUHAN_DENSE="sometimes" is not allowed: off, on or auto'
 */
export function settingError(variable: string, value: string | undefined, allowed = describeSetting(variable)): ConfigError {
  const secret = (SETTINGS as Record<string, Setting>)[variable]?.secret;
  const shown = value === undefined ? '' : secret ? ' (value hidden)' : `=${JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value)}`;
  return new ConfigError(variable, allowed, `${variable}${shown} is not allowed: ${allowed}`);
}

/** What a setting allows, in words. */
export function describeSetting(variable: string): string {
  return (SETTINGS as Record<string, Setting>)[variable]?.allowed ?? 'see the configuration table in README.md';
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Reads the settings of `groups`; empty strings count as unset (`FOO=` in .env or docker-compose means "not given"). */
function readSettings(env: Record<string, string | undefined>, groups: readonly SettingGroup[]): Values {
  const out: Record<string, unknown> = {};
  for (const [name, setting] of Object.entries(SETTINGS) as [SettingName, Setting][]) {
    const raw = env[name]?.trim();
    if (!groups.includes(setting.group) || raw === undefined || raw === '') continue;
    const parsed = setting.schema.safeParse(raw);
    if (!parsed.success) throw settingError(name, raw);
    out[name] = parsed.data;
  }
  return out as Values;
}

export interface LoadConfigOptions {
  /** The groups of settings the command uses (default: all). Settings of other groups are not read. */
  groups?: readonly SettingGroup[];
}

/**
 * Reads and validates the configuration the command needs from an environment object.
 *
 * @example
 * loadConfig({ FUHAN_ADMINS: '12345,67890' }).admins // → [12345, 67890]
 * loadConfig({ BOT_TOKEN: 'abc' }, { groups: ['index', 'answer'] }).botToken // → undefined (not read)
 */
export function loadConfig(env: Record<string, string | undefined> = process.env, options: LoadConfigOptions = {}): Config {
  const e = readSettings(env, options.groups ?? ALL_GROUPS);
  if (e.FUHAN_LLM_URL && !e.FUHAN_LLM_MODEL) throw new ConfigError('FUHAN_LLM_MODEL', 'a model name', 'FUHAN_LLM_MODEL must be set when FUHAN_LLM_URL is set');
  const webhook = e.FUHAN_WEBHOOK_URL ? checkWebhook(e.FUHAN_WEBHOOK_URL, e) : undefined;
  const corpusDirs = e.FUHAN_CORPUS
    ? e.FUHAN_CORPUS.split(path.delimiter).filter(Boolean).map((p) => path.resolve(p))
    : [path.join(REPO_ROOT, 'corpus', 'letters')];
  const indexDir = path.resolve(e.FUHAN_INDEX ?? path.join(REPO_ROOT, 'data', 'index'));
  return {
    botToken: e.BOT_TOKEN,
    telegramApi: e.FUHAN_TELEGRAM_API,
    allowedChats: e.FUHAN_ALLOWED_CHATS,
    admins: e.FUHAN_ADMINS ?? [],
    corpusDirs,
    indexDir,
    dense: e.FUHAN_DENSE ?? 'auto',
    webhook,
    llm: e.FUHAN_LLM_URL
      ? { url: e.FUHAN_LLM_URL, model: e.FUHAN_LLM_MODEL!, key: e.FUHAN_LLM_KEY, timeoutMs: e.FUHAN_LLM_TIMEOUT_MS ?? 15_000 }
      : undefined,
    uploadMaxBytes: e.FUHAN_UPLOAD_MAX_BYTES ?? DEFAULT_UPLOAD_MAX_BYTES,
    import: { urls: e.FUHAN_IMPORT_URLS ?? [], everyMs: e.FUHAN_IMPORT_EVERY ?? 86_400_000, delayMs: e.FUHAN_IMPORT_DELAY_MS },
    publicUrl: e.FUHAN_PUBLIC_URL?.replace(/\/+$/, ''),
    redisUrl: e.FUHAN_REDIS_URL,
    conversationTtlMinutes: e.FUHAN_CONVERSATION_TTL ?? 30,
    statusFile: path.resolve(e.FUHAN_STATUS_FILE ?? path.join(indexDir, '..', 'bot-status.json')),
    logLevel: e.FUHAN_LOG_LEVEL ?? 'info',
  };
}

/** Webhook mode takes updates from anyone who can reach the port: only over https, and only with the secret header. */
function checkWebhook(webhookUrl: string, e: Values): NonNullable<Config['webhook']> {
  const insecure = e.FUHAN_WEBHOOK_INSECURE === true;
  if (!insecure && new URL(webhookUrl).protocol !== 'https:') throw settingError('FUHAN_WEBHOOK_URL', webhookUrl);
  if (!e.FUHAN_WEBHOOK_SECRET && !insecure) {
    throw new ConfigError(
      'FUHAN_WEBHOOK_SECRET',
      describeSetting('FUHAN_WEBHOOK_SECRET'),
      `FUHAN_WEBHOOK_SECRET must be set in webhook mode (${describeSetting('FUHAN_WEBHOOK_SECRET')}): without it anyone who finds the URL can post updates`,
    );
  }
  return { url: webhookUrl, port: e.FUHAN_WEBHOOK_PORT ?? 8080, secret: e.FUHAN_WEBHOOK_SECRET, insecure };
}
