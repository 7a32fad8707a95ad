/**
 * `fuhan bot` — the Telegram bot (long polling, or a webhook when FUHAN_WEBHOOK_URL is set).
 */
import { ALL_GROUPS, type Config } from '../config.ts';
import { createLogger, lineLog } from '../logger.ts';
import { argumentsExitCode, loadConfigOrExitCode } from './commandSetup.ts';

const USAGE = `usage: fuhan bot

Runs the Telegram bot until Ctrl-C (SIGINT) or SIGTERM (it stops within 5 s). Builds the index on first run.
Logs go to stderr: JSON lines when stderr is not a terminal, readable lines when it is (FUHAN_LOG_LEVEL).
Environment: BOT_TOKEN (required), FUHAN_ALLOWED_CHATS, FUHAN_ADMINS, FUHAN_TELEGRAM_API,
FUHAN_WEBHOOK_URL (https://) + FUHAN_WEBHOOK_SECRET (required) + FUHAN_WEBHOOK_PORT, FUHAN_CORPUS,
FUHAN_INDEX, FUHAN_DENSE (off|on|auto), FUHAN_UPLOAD_MAX_BYTES, FUHAN_STATUS_FILE, FUHAN_LOG_LEVEL,
FUHAN_LLM_URL + FUHAN_LLM_MODEL.`;

/**
 * Runs the bot with an already loaded configuration; resolves when it has stopped.
 *
 * @example
 * await serveTelegram(config) // → 0 after SIGINT
 */
export async function serveTelegram(config: Config): Promise<number> {
  const logger = createLogger({ level: config.logLevel, secrets: [config.botToken, config.webhook?.secret, config.llm?.key] });
  const log = lineLog(logger);
  // Loaded here, not at the top: `fuhan start` without a token never pays for grammY.
  const [{ openEngine }, { loadAnswerKit }, { runBot }] = await Promise.all([
    import('../telegram/openEngine.ts'),
    import('../telegram/answerKit.ts'),
    import('../telegram/runBot.ts'),
  ]);
  try {
    const [engine, kit] = await Promise.all([openEngine(config, log), loadAnswerKit(log)]);
    await runBot({ config, engine, kit, log });
  } catch (err) {
    logger.fatal(err instanceof Error ? err.message : String(err));
    exitSoon(1);
    return 1;
  }
  exitSoon(0);
  return 0;
}

/**
 * Once the bot has stopped, nothing it left behind (keep-alive sockets, a poll retry's timer) may
 * keep the process up past a second: `docker stop` and `npm start` expect it gone.
 */
function exitSoon(code: number): void {
  setTimeout(() => process.exit(code), 1000).unref();
}

/**
 * @example
 * await run([]) // → 0 after Ctrl-C; 2 when BOT_TOKEN is missing or a setting is invalid
 */
export async function run(args: string[]): Promise<number> {
  const code = argumentsExitCode('fuhan bot', args, USAGE);
  if (code !== undefined) return code;
  const config = loadConfigOrExitCode('fuhan bot', ALL_GROUPS);
  if (typeof config === 'number') return config;
  if (!config.botToken) {
    console.error('fuhan bot: BOT_TOKEN is not set (get one from @BotFather), or run `fuhan chat` for the terminal chat');
    return 2;
  }
  return serveTelegram(config);
}
