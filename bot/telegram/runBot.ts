/**
 * Runs the bot: long polling with grammY's runner (updates of different chats handled
 * concurrently, one chat's in order), or a webhook on node:http when FUHAN_WEBHOOK_URL is set
 * (which then also serves the web pages to GET requests).
 * Stops gracefully on SIGINT/SIGTERM: in-flight answers finish, then the process may exit.
 */
import http from 'node:http';
import { run, type RunnerHandle } from '@grammyjs/runner';
import { webhookCallback, type Transformer } from 'grammy';
import type { Config } from '../config.ts';
import type { AnswerKit } from './answerKit.ts';
import { registerCommandMenu } from './botCommands.ts';
import type { BotLog } from './botDeps.ts';
import { createBot, type CreateBotOptions, type FuhanBot } from './createBot.ts';
import type { EngineHolder } from './engineHolder.ts';

export interface StartBotOptions {
  config: Config;
  engine: EngineHolder;
  kit: AnswerKit;
  log?: BotLog;
  throttle?: CreateBotOptions['throttle'];
  /** Install extra API transformers or middleware before the bot starts. */
  configure?: (bot: FuhanBot['bot']) => void;
  /** Interface the webhook server listens on (default: all; tests use 127.0.0.1). */
  webhookHost?: string;
}

/** A started bot. `stop()` is idempotent and resolves once polling/serving has ended. */
export interface RunningBot extends FuhanBot {
  stop(): Promise<void>;
  /** Resolves when the bot has stopped (by `stop()` or a fatal polling error). */
  done: Promise<void>;
}

/**
 * Starts the bot in the background (polling, or webhook when configured) and returns at once.
 *
 * @example
 * const running = await startBot({ config, engine, kit });
 * await running.stop();
 */
export async function startBot(options: StartBotOptions): Promise<RunningBot> {
  const log: BotLog = options.log ?? ((line) => console.error(line));
  const fuhan = createBot({ config: options.config, engine: options.engine, kit: options.kit, log, throttle: options.throttle });
  const { bot } = fuhan;
  options.configure?.(bot);
  await bot.init();
  await registerCommandMenu(bot, log);
  const webhook = options.config.webhook;
  if (webhook) {
    // The web pages share the webhook's port: Telegram POSTs updates, readers GET pages (bot/web).
    const { webRequestListener } = await import('../web/webServer.ts');
    const pages = webRequestListener({ engine: () => options.engine.current, publicUrl: options.config.publicUrl, llm: options.config.llm, log });
    return startWebhook(fuhan, webhook, log, options.webhookHost, pages);
  }

  bot.api.config.use(paceEmptyPolls());
  // A webhook left over from an earlier deployment would make getUpdates fail.
  await bot.api.deleteWebhook().catch((err: unknown) => log(`deleteWebhook failed (continuing): ${err instanceof Error ? err.message : String(err)}`));
  const runner: RunnerHandle = run(bot, { runner: { fetch: { allowed_updates: ['message', 'callback_query', 'inline_query'] } } });
  log(`fuhan bot @${bot.botInfo.username} is polling for updates`);
  let stopping: Promise<void> | undefined;
  return {
    ...fuhan,
    done: runner.task() ?? Promise.resolve(),
    stop() {
      stopping ??= runner.isRunning() ? runner.stop() : Promise.resolve();
      return stopping;
    },
  };
}

async function startWebhook(fuhan: FuhanBot, webhook: NonNullable<Config['webhook']>, log: BotLog, host: string | undefined, pages: http.RequestListener): Promise<RunningBot> {
  const { bot } = fuhan;
  const handle = webhookCallback(bot, 'http', { secretToken: webhook.secret, timeoutMilliseconds: 55_000, onTimeout: 'return' });
  const server = http.createServer((req, res) => {
    if (req.method !== 'POST') {
      void pages(req, res);
      return;
    }
    handle(req, res).catch((err: unknown) => {
      log(`webhook request failed: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(webhook.port, host, resolve));
  await bot.api.setWebhook(webhook.url, { secret_token: webhook.secret, allowed_updates: ['message', 'callback_query', 'inline_query'] });
  log(`fuhan bot @${bot.botInfo.username} is listening for webhooks on port ${webhook.port} (${webhook.url})`);
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  let stopping: Promise<void> | undefined;
  return {
    ...fuhan,
    done,
    stop() {
      stopping ??= new Promise<void>((resolve) => server.close(() => resolve())).then(resolveDone);
      server.closeIdleConnections?.();
      return stopping;
    },
  };
}

/**
 * Long polling relies on the server holding getUpdates open until an update arrives. API servers
 * that answer at once with nothing (test emulators, some proxies) would turn the polling loop into
 * a busy loop; an empty answer that came back quickly is followed by a short pause instead.
 *
 * @example
 * bot.api.config.use(paceEmptyPolls(250));
 */
export function paceEmptyPolls(pauseMs = 100, quickMs = 1000): Transformer {
  return async (prev, method, payload, signal) => {
    const started = Date.now();
    const result = await prev(method, payload, signal);
    if (method === 'getUpdates' && result.ok && Array.isArray(result.result) && result.result.length === 0 && Date.now() - started < quickMs) {
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
    return result;
  };
}

/**
 * Runs the bot until SIGINT or SIGTERM, then stops gracefully.
 *
 * @example
 * await runBot({ config, engine, kit }); // returns after Ctrl-C
 */
export async function runBot(options: StartBotOptions): Promise<void> {
  const running = await startBot(options);
  const log: BotLog = options.log ?? ((line) => console.error(line));
  const onSignal = (signal: NodeJS.Signals): void => {
    log(`${signal} received, stopping the bot…`);
    void running.stop();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await running.done;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await running.stop();
  }
}
