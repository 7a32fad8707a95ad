/**
 * `npm start` / `fuhan start` — the Telegram bot when BOT_TOKEN is set, else the terminal chat.
 * Either way the index is opened through openIndex, which builds it on first run.
 */
import { serveTelegram } from './bot.ts';
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
  const config = loadConfigOrExitCode('fuhan start');
  if (typeof config === 'number') return config;
  if (config.botToken) return serveTelegram(config);
  return (await import('./chat.ts')).run([]);
}
