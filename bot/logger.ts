/**
 * The one logger of the long-running commands (bot, and whatever serves requests): pino, on stderr,
 * with levels and timestamps. Not a terminal (Docker, systemd, a log shipper): one JSON object per
 * line. A terminal: a short readable line (`09:12:03 WARN  message key=value`), formatted here so
 * pino-pretty (a dev dependency) is never needed at run time. Secrets given to `createLogger`
 * (the bot token) are replaced by `[redacted]` in every line, whatever logged them.
 *
 * @example
 * const logger = createLogger({ level: 'info', secrets: [config.botToken] });
 * logger.warn({ api: 'http://127.0.0.1:8081' }, 'cannot reach the Telegram Bot API');
 * const log = lineLog(logger); log('fuhan bot is polling'); log('retrying', 'warn');
 */
import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/** Levels FUHAN_LOG_LEVEL accepts, quietest last. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A one-line log sink with an optional level (info by default): what the bot's modules call. */
export type LineLog = (line: string, level?: 'debug' | 'info' | 'warn' | 'error') => void;

export interface LoggerOptions {
  /** Lowest level written (FUHAN_LOG_LEVEL); default info. */
  level?: LogLevel;
  /** Readable lines instead of JSON; default: whether stderr is a terminal. */
  pretty?: boolean;
  /** Strings never to write (tokens, keys): replaced by `[redacted]`. */
  secrets?: (string | undefined)[];
  /** Where lines go; default stderr. */
  write?: (line: string) => void;
}

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/**
 * One JSON log record as a readable line: time, level, message, then the other fields as key=value.
 *
 * @example
 * readableLine('{"level":40,"time":1764752400000,"msg":"slow","ms":812}') // → '09:00:00 WARN  slow ms=812\n'
 */
export function readableLine(json: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  const { level, time, msg, pid: _pid, hostname: _hostname, ...rest } = record;
  const clock = new Date(Number(time)).toISOString().slice(11, 19);
  const name = (LEVEL_NAMES[Number(level)] ?? String(level)).padEnd(5);
  const fields = Object.entries(rest).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return `${clock} ${name} ${[msg ?? '', ...fields].filter((s) => s !== '').join(' ')}\n`;
}

/**
 * A pino logger writing to stderr (JSON, or readable lines on a terminal), secrets scrubbed.
 *
 * @example
 * createLogger({ level: 'debug' }).debug({ method: 'getMe' }, 'calling the Bot API')
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const pretty = options.pretty ?? Boolean(process.stderr.isTTY);
  const secrets = (options.secrets ?? []).filter((s): s is string => typeof s === 'string' && s.length >= 8);
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const scrub = (line: string): string => secrets.reduce((out, secret) => out.split(secret).join('[redacted]'), line);
  return pino(
    { level: options.level ?? 'info', base: undefined, timestamp: pino.stdTimeFunctions.epochTime },
    { write: (line: string) => write(pretty ? readableLine(scrub(line)) : scrub(line)) },
  );
}

/**
 * The logger as a one-line sink, for modules that log plain sentences.
 *
 * @example
 * const log = lineLog(logger); log('index reloaded'); log('reload failed: disk full', 'error');
 */
export function lineLog(logger: Logger): LineLog {
  return (line, level = 'info') => logger[level](line);
}
