/**
 * Runs the bot: long polling with grammY's runner (updates of different chats handled
 * concurrently, one chat's in order), or a webhook on node:http when FUHAN_WEBHOOK_URL is set
 * (which then also serves the web pages to GET requests).
 *
 * Start-up never hangs silently: an unreachable Bot API is one clear line (address and error)
 * within 20 s, then retried with backoff, each attempt logged; a refusal (bad token) is fatal.
 * Stopping (SIGINT/SIGTERM or `stop()`) ends every retry wait at once and gives in-flight updates
 * at most STOP_GRACE_MS to finish.
 */
import http from 'node:http';
import { run, type RunnerHandle } from '@grammyjs/runner';
import { GrammyError, HttpError, webhookCallback, type Transformer } from 'grammy';
import type { Config } from '../config.ts';
import type { AnswerKit } from './answerKit.ts';
import { describeFailure, pause } from './apiResilience.ts';
import { registerCommandMenu } from './botCommands.ts';
import type { BotLog } from './botDeps.ts';
import { BotStatus } from './botStatus.ts';
import { createBot, type CreateBotOptions, type FuhanBot } from './createBot.ts';
import type { EngineHolder } from './engineHolder.ts';

/** In-flight updates get this long to finish once a stop is asked for (SIGTERM must end within 5 s). */
export const STOP_GRACE_MS = 3000;
/** Start-up gives up (fatal, exit 1) when the Bot API stays unreachable this long (15 min). */
const CONNECT_GIVE_UP_MS = 15 * 60 * 1000;

export interface StartBotOptions {
  config: Config;
  engine: EngineHolder;
  kit: AnswerKit;
  log?: BotLog;
  throttle?: CreateBotOptions['throttle'];
  maxRateLimitWaitSeconds?: CreateBotOptions['maxRateLimitWaitSeconds'];
  deadlineSeconds?: CreateBotOptions['deadlineSeconds'];
  /** Install extra API transformers or middleware before the bot starts. */
  configure?: (bot: FuhanBot['bot']) => void;
  /** Interface the webhook server listens on (default: all; tests use 127.0.0.1). */
  webhookHost?: string;
  /** Aborting it stops the bot, also while it is still connecting. */
  signal?: AbortSignal;
  /** Write the status `fuhan health` reads (default: config.statusFile; false: none). */
  statusFile?: string | false;
}

/** A started bot. `stop()` is idempotent and resolves once polling/serving has ended (within STOP_GRACE_MS). */
export interface RunningBot extends FuhanBot {
  stop(): Promise<void>;
  /** Resolves when the bot has stopped by `stop()`; rejects on a fatal polling error (bad token, another instance). */
  done: Promise<void>;
}

/** Thrown by startBot when it was stopped before it could connect. */
export class StoppedBeforeStartError extends Error {}

/**
 * Starts the bot in the background (polling, or webhook when configured) and returns once it has
 * reached the Bot API.
 *
 * @example
 * const running = await startBot({ config, engine, kit });
 * await running.stop();
 */
export async function startBot(options: StartBotOptions): Promise<RunningBot> {
  const log: BotLog = options.log ?? ((line) => console.error(line));
  const fuhan = createBot({
    config: options.config,
    engine: options.engine,
    kit: options.kit,
    log,
    throttle: options.throttle,
    maxRateLimitWaitSeconds: options.maxRateLimitWaitSeconds,
    deadlineSeconds: options.deadlineSeconds,
  });
  const { bot, halt } = fuhan;
  if (options.signal?.aborted) halt.abort();
  options.signal?.addEventListener('abort', () => halt.abort(), { once: true });
  const webhook = options.config.webhook;
  const statusFile = options.statusFile ?? options.config.statusFile;
  const status = statusFile ? new BotStatus(statusFile, webhook ? 'webhook' : 'polling') : undefined;
  if (status) bot.api.config.use(recordContact(status));
  options.configure?.(bot);
  const where = options.config.telegramApi ?? 'https://api.telegram.org';
  await connect(fuhan, where, log, halt.signal);
  await status?.reached(bot.botInfo.username);
  await registerCommandMenu(bot, log);
  if (webhook) {
    // The web pages share the webhook's port: Telegram POSTs updates, readers GET pages (bot/web).
    const { webRequestListener } = await import('../web/webServer.ts');
    const pages = webRequestListener({ engine: () => options.engine.current, publicUrl: options.config.publicUrl, llm: options.config.llm, log });
    return startWebhook(fuhan, webhook, log, options.webhookHost, pages, status);
  }

  bot.api.config.use(reportPollingFailures(where, log));
  // A webhook left over from an earlier deployment would make getUpdates fail.
  await bot.api.deleteWebhook().catch((err: unknown) => log(`deleteWebhook failed (continuing): ${describeFailure(err)}`, 'warn'));
  const runner: RunnerHandle = run(bot, {
    // Failures are logged by reportPollingFailures, once per attempt; the runner retries with backoff.
    runner: { fetch: { allowed_updates: ['message', 'callback_query', 'inline_query'] }, silent: true, maxRetryTime: CONNECT_GIVE_UP_MS },
  });
  log(`fuhan bot @${bot.botInfo.username} is polling for updates`);
  let stopping: Promise<void> | undefined;
  // Redis's reconnect timer would otherwise keep a stopping process alive while Redis is down.
  const closeConversations = () => fuhan.deps.conversations.close();
  const task = runner.task() ?? Promise.resolve();
  return {
    ...fuhan,
    done: task,
    stop() {
      halt.abort();
      stopping ??= withinGrace((runner.isRunning() ? runner.stop() : Promise.resolve()).then(closeConversations), log).then(() => status?.stopped());
      return stopping;
    },
  };
}

/** Calls getMe until it answers: one line per failed attempt (address and error), backoff 2, 4 … 60 s. */
async function connect(fuhan: FuhanBot, where: string, log: BotLog, signal: AbortSignal): Promise<void> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    if (signal.aborted) throw new StoppedBeforeStartError('stopped before the bot reached the Telegram Bot API');
    try {
      // Not bot.init(): it retries network errors without end and without a word (the silent hang).
      if (!fuhan.bot.isInited()) fuhan.bot.botInfo = await fuhan.bot.api.getMe(signal as never);
      if (attempt > 1) log(`reached the Telegram Bot API at ${where} (attempt ${attempt})`);
      return;
    } catch (err) {
      if (signal.aborted) throw new StoppedBeforeStartError('stopped before the bot reached the Telegram Bot API');
      if (err instanceof GrammyError) {
        const hint = err.error_code === 401 || err.error_code === 404 ? ' — check BOT_TOKEN' : '';
        throw new Error(`the Telegram Bot API at ${where} refused the bot: ${err.error_code} ${err.description}${hint}`);
      }
      if (!(err instanceof HttpError)) throw err;
      if (Date.now() - started > CONNECT_GIVE_UP_MS) {
        throw new Error(`gave up reaching the Telegram Bot API at ${where} after ${attempt} attempts: ${describeFailure(err)}`);
      }
      const wait = Math.min(60, 2 ** attempt);
      log(`cannot reach the Telegram Bot API at ${where}: ${describeFailure(err)}; retrying in ${wait} s (attempt ${attempt})`, attempt === 1 ? 'error' : 'warn');
      await pause(wait, signal).catch(() => undefined);
    }
  }
}

/** Resolves when `stopped` does or after STOP_GRACE_MS, whichever is first (saying so if it was the timer). */
function withinGrace(stopped: Promise<void>, log: BotLog): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      log(`updates still in flight after ${STOP_GRACE_MS} ms: stopping without them`, 'warn');
      resolve();
    }, STOP_GRACE_MS);
  });
  return Promise.race([stopped.catch(() => undefined), grace]).finally(() => clearTimeout(timer));
}

/** Marks every successful call in the status file. */
function recordContact(status: BotStatus): Transformer {
  return async (prev, method, payload, signal) => {
    const result = await prev(method, payload, signal);
    if (result.ok) status.touch();
    return result;
  };
}

/** One line per failed getUpdates (the runner retries it with backoff), and one when it works again. */
function reportPollingFailures(where: string, log: BotLog): Transformer {
  let failures = 0;
  return async (prev, method, payload, signal) => {
    if (method !== 'getUpdates') return prev(method, payload, signal);
    try {
      const result = await prev(method, payload, signal);
      if (failures > 0) log(`reached the Telegram Bot API at ${where} again after ${failures} failed polls`);
      failures = 0;
      return result;
    } catch (err) {
      if (!(signal as { aborted?: boolean } | undefined)?.aborted) {
        failures++;
        log(`cannot reach the Telegram Bot API at ${where}: ${describeFailure(err)}; polling again with backoff (attempt ${failures})`, failures === 1 ? 'error' : 'warn');
      }
      throw err;
    }
  };
}

async function startWebhook(fuhan: FuhanBot, webhook: NonNullable<Config['webhook']>, log: BotLog, host: string | undefined, pages: http.RequestListener, status?: BotStatus): Promise<RunningBot> {
  const { bot, halt } = fuhan;
  if (!webhook.secret) log('webhook without FUHAN_WEBHOOK_SECRET (FUHAN_WEBHOOK_INSECURE=1): anyone who finds the URL can post updates', 'warn');
  // With a secret, grammY answers 401 to any request without the matching X-Telegram-Bot-Api-Secret-Token header.
  const handle = webhookCallback(bot, 'http', { secretToken: webhook.secret, timeoutMilliseconds: 55_000, onTimeout: 'return' });
  const server = http.createServer((req, res) => {
    if (req.method !== 'POST') {
      void pages(req, res);
      return;
    }
    handle(req, res).catch((err: unknown) => {
      log(`webhook request failed: ${err instanceof Error ? err.message : String(err)}`, 'error');
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(webhook.port, host, resolve));
  await bot.api.setWebhook(webhook.url, { secret_token: webhook.secret, allowed_updates: ['message', 'callback_query', 'inline_query'] });
  log(`fuhan bot @${bot.botInfo.username} is listening for webhooks on port ${webhook.port} (${webhook.url})`);
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  const closeConversations = () => fuhan.deps.conversations.close();
  let stopping: Promise<void> | undefined;
  return {
    ...fuhan,
    done,
    stop() {
      halt.abort();
      stopping ??= withinGrace(new Promise<void>((resolve) => server.close(() => resolve())).then(closeConversations), log)
        .then(() => status?.stopped())
        .then(resolveDone);
      server.closeIdleConnections?.();
      return stopping;
    },
  };
}

/**
 * Runs the bot until SIGINT or SIGTERM, then stops within STOP_GRACE_MS. Rejects on a fatal error
 * (refused token, API unreachable for 15 minutes, another instance polling).
 *
 * @example
 * await runBot({ config, engine, kit }); // returns after Ctrl-C
 */
export async function runBot(options: StartBotOptions): Promise<void> {
  const log: BotLog = options.log ?? ((line) => console.error(line));
  const stop = new AbortController();
  let running: RunningBot | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    log(`${signal} received, stopping the bot…`);
    stop.abort();
    void running?.stop();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    try {
      running = await startBot({ ...options, signal: stop.signal });
    } catch (err) {
      if (err instanceof StoppedBeforeStartError) return;
      throw err;
    }
    if (stop.signal.aborted) void running.stop();
    await Promise.race([running.done, new Promise<void>((resolve) => stop.signal.addEventListener('abort', () => resolve(), { once: true }))]);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await running?.stop();
  }
}
