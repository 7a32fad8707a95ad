/**
 * `fuhan bot` — the Telegram bot (long polling, or a webhook when FUHAN_WEBHOOK_URL is set).
 */
import type { Config } from '../config.ts';
import { argumentsExitCode, loadConfigOrExitCode } from './commandSetup.ts';

const USAGE = `usage: fuhan bot

Runs the Telegram bot until Ctrl-C (SIGINT) or SIGTERM. Builds the index on first run.
Environment: BOT_TOKEN (required), FUHAN_ALLOWED_CHATS, FUHAN_ADMINS, FUHAN_TELEGRAM_API,
FUHAN_WEBHOOK_URL + FUHAN_WEBHOOK_PORT + FUHAN_WEBHOOK_SECRET, FUHAN_CORPUS, FUHAN_INDEX,
FUHAN_DENSE (off|on|auto), FUHAN_UPLOAD_MAX_BYTES, FUHAN_LLM_URL + FUHAN_LLM_MODEL.`;

/**
 * Runs the bot with an already loaded configuration; resolves when it has stopped.
 *
 * @example
 * await serveTelegram(config) // → 0 after SIGINT
 */
export async function serveTelegram(config: Config): Promise<number> {
  const log = (line: string): void => console.error(line);
  // Loaded here, not at the top: `fuhan start` without a token never pays for grammY.
  const [{ openEngine }, { loadAnswerKit }, { runBot }] = await Promise.all([
    import('../telegram/openEngine.ts'),
    import('../telegram/answerKit.ts'),
    import('../telegram/runBot.ts'),
  ]);
  const [engine, kit] = await Promise.all([openEngine(config, log), loadAnswerKit(log)]);
  await runBot({ config, engine, kit, log });
  return 0;
}

/**
 * @example
 * await run([]) // → 0 after Ctrl-C; 2 when BOT_TOKEN is missing or the environment is invalid
 */
export async function run(args: string[]): Promise<number> {
  const code = argumentsExitCode('fuhan bot', args, USAGE);
  if (code !== undefined) return code;
  const config = loadConfigOrExitCode('fuhan bot');
  if (typeof config === 'number') return config;
  if (!config.botToken) {
    console.error('fuhan bot: BOT_TOKEN is not set (get one from @BotFather), or run `fuhan chat` for the terminal chat');
    return 2;
  }
  return serveTelegram(config);
}
