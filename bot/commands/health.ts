/**
 * `fuhan health [--json]` — exit 0 when Fuhan can serve, 1 when it cannot, saying why in one line:
 * the index opens (built, readable, its files consistent); and with BOT_TOKEN set, the bot running
 * beside it has reached the Bot API and is still in touch (its status file, FUHAN_STATUS_FILE).
 * Docker's HEALTHCHECK runs it in the bot's container.
 */
import { ALL_GROUPS, loadConfig, type Config } from '../config.ts';
import { parseOptions } from './commandSetup.ts';
import { isProcessAlive } from '../../index/store/processAlive.ts';

const USAGE = `usage: fuhan health [--json]

Exit 0 when the index opens and, with BOT_TOKEN set, the bot has reached the Telegram Bot API
(status file FUHAN_STATUS_FILE, written by the running bot, fresh within the last 5 minutes when polling).
Exit 1 otherwise, with the reason on stdout. Builds nothing, downloads nothing.`;

/** A polling bot touches its status at least every 15 s while the API answers; older than this means trouble. */
const STALE_MS = 5 * 60 * 1000;

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

async function checkIndex(config: Config): Promise<Check> {
  const { openIndexWithManifest } = await import('../../index/openIndex.ts');
  try {
    const { manifest } = await openIndexWithManifest({ corpusDirs: config.corpusDirs, indexDir: config.indexDir, dense: 'off', buildIfMissing: false, log: () => undefined });
    return { name: 'index', ok: true, detail: `${manifest.counts.letters} letters at ${config.indexDir}` };
  } catch (err) {
    return { name: 'index', ok: false, detail: err instanceof Error ? err.message.split('\n')[0]! : String(err) };
  }
}

async function checkBot(config: Config): Promise<Check> {
  const { readBotStatus } = await import('../telegram/botStatus.ts');
  const status = readBotStatus(config.statusFile);
  const fail = (detail: string): Check => ({ name: 'bot', ok: false, detail });
  if (!status) return fail(`no bot status at ${config.statusFile} (the bot has not reached the Bot API yet)`);
  if (status.state === 'stopped') return fail('the bot has stopped');
  // Said running, but gone: it crashed or was killed without stopping.
  if (!isProcessAlive(status.pid)) return fail(`the bot (pid ${status.pid}) is not running`);
  if (status.state !== 'running' || !status.apiOkAt) return fail('the bot has not reached the Bot API yet (still connecting)');
  const age = Date.now() - Date.parse(status.apiOkAt);
  if (status.mode === 'polling' && age > STALE_MS) return fail(`the bot last reached the Bot API ${Math.round(age / 1000)} s ago`);
  return { name: 'bot', ok: true, detail: `@${status.username} ${status.mode}, Bot API reached ${Math.round(age / 1000)} s ago` };
}

/**
 * @example
 * await run([]) // → 0 and "healthy: index 2 letters at …" on stdout
 */
export async function run(args: string[]): Promise<number> {
  const { values } = parseOptions(args, { options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const botMode = Boolean(process.env.BOT_TOKEN?.trim());
  const config = loadConfig(process.env, { groups: botMode ? ALL_GROUPS : ['index'] });
  const checks = [await checkIndex(config), ...(botMode ? [await checkBot(config)] : [])];
  const healthy = checks.every((c) => c.ok);
  if (values.json) console.log(JSON.stringify({ healthy, checks }));
  else console.log(`${healthy ? 'healthy' : 'unhealthy'}: ${checks.map((c) => `${c.name} ${c.ok ? 'ok' : 'FAILED'} (${c.detail})`).join('; ')}`);
  return healthy ? 0 : 1;
}
