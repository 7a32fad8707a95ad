/**
 * `npm start` / `fuhan start` — the Telegram bot when BOT_TOKEN is set, else the terminal chat.
 * Either way the index is opened through openIndex, which builds it on first run.
 */
import { serveTelegram } from './bot.ts';
import { fstatSync } from 'node:fs';
import { ALL_GROUPS } from '../config.ts';
import { argumentsExitCode, loadConfigOrExitCode } from './commandSetup.ts';

const USAGE = `usage: fuhan start

With BOT_TOKEN set: runs the Telegram bot (see \`fuhan bot --help\`).
Without it: the terminal chat (see \`fuhan chat --help\`). The index is built on first run.`;

/**
 * @example
 * await run([]) // bot or terminal chat; 2 on an invalid environment
 */
export async function run(args: string[]): Promise<number> {
  const code = argumentsExitCode('fuhan start', args, USAGE);
  if (code !== undefined) return code;
  // The bot's settings matter only when there is a bot to run: a bad FUHAN_WEBHOOK_PORT must not block the chat.
  const bot = Boolean(process.env.BOT_TOKEN?.trim());
  const config = loadConfigOrExitCode('fuhan start', bot ? ALL_GROUPS : ['index', 'answer']);
  if (typeof config === 'number') return config;
  if (bot) return serveTelegram(config);
  if (!hasChatInput()) {
    // `docker run -d` without BOT_TOKEN: no terminal and nothing to read. Say so instead of a silent exit 0.
    console.error(
      'fuhan start: BOT_TOKEN is not set and there is no terminal for the chat. Set BOT_TOKEN to run the Telegram bot ' +
        '(docker run -e BOT_TOKEN=…), run with a terminal for the chat (docker run -it), or pipe questions into `fuhan chat`.',
    );
    return 2;
  }
  return (await import('./chat.ts')).run([]);
}

/** Whether stdin can carry questions: a terminal, a pipe or a file — not /dev/null or a closed stdin (`docker run -d`). */
function hasChatInput(): boolean {
  if (process.stdin.isTTY) return true;
  try {
    const s = fstatSync(0);
    return s.isFIFO() || s.isFile() || s.isSocket();
  } catch {
    return false;
  }
}
