/**
 * The bot under Bot API faults (issue #17, findings 1, 2, 3, 5, 6, 7), against a fake Bot API on
 * 127.0.0.1 that answers 429s, refusals or nothing at all, and as a process the way operators run
 * it (`fuhan bot`, `npm start`). Waits are bounded generously; nothing asserts a tight timing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Update } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../bot/config.ts';
import { RefusalMemo } from '../bot/telegram/access.ts';
import { loadAnswerKit } from '../bot/telegram/answerKit.ts';
import type { AnswerKit } from '../bot/telegram/answerKit.ts';
import { createBot } from '../bot/telegram/createBot.ts';
import type { EngineHolder } from '../bot/telegram/engineHolder.ts';
import { openEngine } from '../bot/telegram/openEngine.ts';
import { startBot, StoppedBeforeStartError } from '../bot/telegram/runBot.ts';
import { readBotStatus } from '../bot/telegram/botStatus.ts';
import { FakeBotApi, tooManyRequests } from './support/fakeBotApi.ts';
import { requestDeadline } from '../bot/telegram/apiResilience.ts';
// The runner's own AbortController (its polls' signals), not Node's.
import { AbortController as ShimAbortController } from 'abort-controller';

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'fuhan.js');
const TOKEN = '123456:FAKE-token_for_fault_tests_only';
const USER = 7001;
const MOX_SENTENCE = '上合示范区管委会与中华(澳门)金融资产交易股份有限公司(以下简称“MOX”)签订了全面合作框架协议';

let workDir: string;
let baseEnv: Record<string, string>;
let engine: EngineHolder;
let kit: AnswerKit;
const quiet = () => undefined;

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'fuhan-ops-faults-'));
  baseEnv = { FUHAN_CORPUS: path.join(ROOT, 'corpus', 'letters'), FUHAN_INDEX: path.join(workDir, 'index'), FUHAN_DENSE: 'off' };
  const config = loadConfig({ ...baseEnv, BOT_TOKEN: TOKEN });
  [engine, kit] = await Promise.all([openEngine(config, quiet), loadAnswerKit(quiet)]);
}, 120_000);

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** `node bin/fuhan.js ARGS` (or any command) with the test settings, stderr collected. */
function spawnFuhan(args: string[], env: Record<string, string>, command = process.execPath) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('FUHAN_') && k !== 'BOT_TOKEN'));
  const child = spawn(command, command === process.execPath ? [BIN, ...args] : args, {
    cwd: ROOT,
    env: { ...clean, ...baseEnv, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = { stderr: '', child, exited: new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code))) };
  child.stderr!.on('data', (d: Buffer) => (out.stderr += d.toString()));
  return out;
}

async function until(test: () => boolean, timeoutMs: number, what: string, detail: () => string = () => ''): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`${what} not seen within ${timeoutMs} ms: ${detail()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Exit code after SIGTERM, and how long it took. */
async function terminate(child: ChildProcess, exited: Promise<number | null>): Promise<{ code: number | null; ms: number }> {
  const at = Date.now();
  child.kill('SIGTERM');
  const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 20_000))]);
  if (code === 'timeout') {
    child.kill('SIGKILL');
    throw new Error('the bot did not exit within 20 s of SIGTERM');
  }
  return { code, ms: Date.now() - at };
}

function jsonLines(stderr: string): Record<string, unknown>[] {
  return stderr
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('finding 1: an unreachable Bot API is said at once, retried with backoff, and never a silent hang', () => {
  it('`fuhan bot` names the address and the error within 30 s, logs each retry, and stops on SIGTERM', async () => {
    const api = `http://127.0.0.1:${await closedPort()}`;
    const run = spawnFuhan(['bot'], { BOT_TOKEN: TOKEN, FUHAN_TELEGRAM_API: api });
    try {
      await until(() => /attempt 2\)/.test(run.stderr), 60_000, 'a second attempt', () => run.stderr);
      const lines = jsonLines(run.stderr);
      const first = lines.find((l) => String(l.msg).includes('cannot reach the Telegram Bot API'))!;
      expect(first.msg).toContain(api);
      expect(first.msg).toContain('ECONNREFUSED');
      expect(first.msg).toMatch(/retrying in 2 s \(attempt 1\)/);
      expect(first.level).toBe(50);
      // Said well within 30 s of start-up (the index is already built: the line comes after a second or two).
      const started = Number(lines[0]!.time);
      expect(Number(first.time) - started).toBeLessThan(30_000);
      expect(lines.find((l) => /retrying in 4 s \(attempt 2\)/.test(String(l.msg)))).toBeDefined();
    } finally {
      const { code, ms } = await terminate(run.child, run.exited);
      expect(code).toBe(0);
      expect(ms).toBeLessThan(5000);
    }
  }, 90_000);

  it('an API that accepts the connection but never answers is reported after the request deadline', async () => {
    const fake = await new FakeBotApi().start();
    fake.handler = () => 'hang';
    const lines: string[] = [];
    const stop = new AbortController();
    const config = loadConfig({ ...baseEnv, BOT_TOKEN: TOKEN, FUHAN_TELEGRAM_API: fake.url });
    try {
      const starting = startBot({ config, engine, kit, log: (l) => lines.push(l), throttle: false, deadlineSeconds: 1, signal: stop.signal, statusFile: false });
      await until(() => lines.some((l) => l.includes('no answer within 1 s')), 20_000, 'the deadline line', () => lines.join(' | '));
      expect(lines[0]).toContain(`cannot reach the Telegram Bot API at ${fake.url}`);
      stop.abort();
      await expect(starting).rejects.toBeInstanceOf(StoppedBeforeStartError);
    } finally {
      await fake.stop();
    }
  }, 30_000);

  it('a refused token is fatal: one line saying so, exit code 1', async () => {
    const fake = await new FakeBotApi().start();
    fake.handler = (call) => (call.method === 'getMe' ? { status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } } : 'default');
    try {
      const run = spawnFuhan(['bot'], { BOT_TOKEN: TOKEN, FUHAN_TELEGRAM_API: fake.url });
      const code = await Promise.race([run.exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 60_000))]);
      if (code === 'timeout') run.child.kill('SIGKILL');
      expect(code).toBe(1);
      const fatal = jsonLines(run.stderr).find((l) => l.level === 60)!;
      expect(fatal.msg).toContain('refused the bot: 401 Unauthorized — check BOT_TOKEN');
    } finally {
      await fake.stop();
    }
  }, 70_000);
});

describe('finding 1, on Node 22 and 24: the request deadline takes the runner\'s signals', () => {
  it('a poll whose signal comes from the abort-controller package is passed on, and its abort still stops the call', async () => {
    // Node 22+ AbortSignal.any throws on such a signal ("signals[0] is not of type AbortSignal"): every poll failed.
    const shim = new ShimAbortController();
    let seen: AbortSignal | undefined;
    const prev = ((_method: string, _payload: unknown, signal?: AbortSignal) => {
      seen = signal;
      return new Promise((_resolve, reject) => signal!.addEventListener('abort', () => reject(new Error('aborted by the caller'))));
    }) as never;
    const call = requestDeadline(20)(prev, 'getUpdates', { timeout: 30 } as never, shim.signal as never);
    expect(seen).toBeInstanceOf(AbortSignal);
    expect(seen!.aborted).toBe(false);
    shim.abort();
    await expect(call).rejects.toThrow('aborted by the caller');
  });
});

describe('finding 7: structured logs, never the token', () => {
  it('writes JSON lines with level and time when stderr is not a terminal, and no token anywhere', async () => {
    const fake = await new FakeBotApi().start();
    // The token in an error text must be scrubbed too: the fake puts it in its refusal.
    fake.handler = (call) => (call.method === 'getMe' ? { status: 401, body: { ok: false, error_code: 401, description: `Unauthorized for ${TOKEN}` } } : 'default');
    try {
      const run = spawnFuhan(['bot'], { BOT_TOKEN: TOKEN, FUHAN_TELEGRAM_API: fake.url });
      await Promise.race([run.exited, new Promise((r) => setTimeout(r, 60_000))]);
      const lines = jsonLines(run.stderr);
      expect(lines.length).toBeGreaterThan(0);
      for (const l of lines) {
        expect(typeof l.level).toBe('number');
        expect(typeof l.time).toBe('number');
        expect(typeof l.msg).toBe('string');
      }
      expect(run.stderr).not.toContain(TOKEN);
      expect(run.stderr).toContain('[redacted]');
    } finally {
      await fake.stop();
    }
  }, 70_000);
});

describe('finding 2: SIGTERM stops within 5 s, also during a long retry wait and under npm start', () => {
  it('a reply waiting out a 60 s retry_after does not hold up the stop', async () => {
    const fake = await new FakeBotApi().start();
    fake.handler = (call) => (call.method === 'sendMessage' ? tooManyRequests(60) : 'default');
    const run = spawnFuhan(['bot'], { BOT_TOKEN: TOKEN, FUHAN_TELEGRAM_API: fake.url });
    try {
      await until(() => run.stderr.includes('is polling'), 60_000, 'polling', () => run.stderr);
      fake.pushText(USER, 'what has Qingdao done with MOX?');
      await until(() => run.stderr.includes('waiting 60 s'), 30_000, 'the queued reply', () => run.stderr);
      const { code, ms } = await terminate(run.child, run.exited);
      expect(code).toBe(0);
      expect(ms).toBeLessThan(5000);
    } finally {
      run.child.kill('SIGKILL');
      await fake.stop();
    }
  }, 90_000);

  it('`npm start` passes SIGTERM on: the bot process does not outlive npm', async () => {
    const fake = await new FakeBotApi().start();
    const statusFile = path.join(workDir, 'npm-start-status.json');
    const run = spawnFuhan(['start'], { BOT_TOKEN: TOKEN, FUHAN_TELEGRAM_API: fake.url, FUHAN_STATUS_FILE: statusFile }, 'npm');
    try {
      await until(() => readBotStatus(statusFile)?.state === 'running', 60_000, 'the bot running', () => run.stderr);
      const botPid = readBotStatus(statusFile)!.pid;
      expect(botPid).not.toBe(run.child.pid);
      run.child.kill('SIGTERM');
      await run.exited;
      const alive = () => {
        try {
          process.kill(botPid, 0);
          return true;
        } catch {
          return false;
        }
      };
      await until(() => !alive(), 10_000, 'the bot process gone after npm exited');
      expect(readBotStatus(statusFile)?.state).toBe('stopped');
    } finally {
      run.child.kill('SIGKILL');
      await fake.stop();
    }
  }, 90_000);
});

describe('finding 3: a long retry_after queues the reply, then tells the user plainly', () => {
  const update = (id: number, text: string): Update =>
    ({ update_id: id, message: { message_id: id, date: 0, chat: { id: USER, type: 'private', first_name: 'U' }, from: { id: USER, is_bot: false, first_name: 'U', language_code: 'en' }, text } }) as Update;

  it('five 429s in a row: the answer is still delivered, in full', async () => {
    const fake = await new FakeBotApi().start();
    let refusals = 0;
    fake.handler = (call) => (call.method === 'sendMessage' && refusals++ < 5 ? tooManyRequests(1) : 'default');
    const config = loadConfig({ ...baseEnv, BOT_TOKEN: TOKEN, FUHAN_TELEGRAM_API: fake.url });
    const { bot, halt } = createBot({ config, engine, kit, log: quiet, throttle: false, botInfo: botInfo() });
    try {
      await bot.handleUpdate(update(1, 'what has Qingdao done with MOX?'));
      const delivered = fake.callsOf('sendMessage').slice(5);
      expect(fake.callsOf('sendMessage').slice(0, 5).every((c) => c.payload.text === delivered[0]!.payload.text)).toBe(true);
      expect(delivered.map((c) => String(c.payload.text)).join('\n')).toContain(MOX_SENTENCE);
    } finally {
      halt.abort();
      await fake.stop();
    }
  }, 60_000);

  it('a wait past the bound: the user is told when to ask again instead of "something went wrong"', async () => {
    const fake = await new FakeBotApi().start();
    fake.handler = (call) => (call.method === 'sendMessage' && call.payload.parse_mode === 'HTML' ? tooManyRequests(3600) : 'default');
    const config = loadConfig({ ...baseEnv, BOT_TOKEN: TOKEN, FUHAN_TELEGRAM_API: fake.url });
    const { bot, halt } = createBot({ config, engine, kit, log: quiet, throttle: false, botInfo: botInfo() });
    try {
      // As the runner does: a failed update goes to the bot's error handler (bot.catch).
      await bot.handleUpdate(update(2, 'what has Qingdao done with MOX?')).catch((err) => bot.errorHandler(err));
      const plain = fake.callsOf('sendMessage').filter((c) => c.payload.parse_mode === undefined);
      expect(plain).toHaveLength(1);
      expect(plain[0]!.payload.text).toBe('Telegram is limiting how fast this bot may send, so this answer could not be delivered. Please ask again in about 60 minutes.');
    } finally {
      halt.abort();
      await fake.stop();
    }
  }, 60_000);
});

describe('finding 5: a refused chat hears the refusal once per hour, not under every message', () => {
  it('three messages from a chat outside FUHAN_ALLOWED_CHATS get one refusal', async () => {
    const fake = await new FakeBotApi().start();
    const config = loadConfig({ ...baseEnv, BOT_TOKEN: TOKEN, FUHAN_TELEGRAM_API: fake.url, FUHAN_ALLOWED_CHATS: '42' });
    const { bot, halt } = createBot({ config, engine, kit, log: quiet, throttle: false, botInfo: botInfo() });
    try {
      for (let i = 0; i < 3; i++) {
        await bot.handleUpdate({ update_id: 10 + i, message: { message_id: 10 + i, date: 0, chat: { id: USER, type: 'private', first_name: 'U' }, from: { id: USER, is_bot: false, first_name: 'U', language_code: 'en' }, text: 'hello?' } } as Update);
      }
      const sent = fake.callsOf('sendMessage');
      expect(sent).toHaveLength(1);
      expect(sent[0]!.payload.text).toBe('Sorry, this bot only serves invited chats.');
    } finally {
      halt.abort();
      await fake.stop();
    }
  });

  it('says it again after an hour', () => {
    let now = 0;
    const memo = new RefusalMemo(3_600_000, () => now);
    expect(memo.shouldRefuse(5)).toBe(true);
    now = 3_599_999;
    expect(memo.shouldRefuse(5)).toBe(false);
    expect(memo.shouldRefuse(6)).toBe(true);
    now = 3_600_000;
    expect(memo.shouldRefuse(5)).toBe(true);
  });
});

describe('finding 6: webhook mode takes only updates that carry the secret, over https', () => {
  it('refuses an http:// URL or a missing secret unless FUHAN_WEBHOOK_INSECURE=1', () => {
    const env = { ...baseEnv, BOT_TOKEN: TOKEN, FUHAN_WEBHOOK_SECRET: 's3cret' };
    expect(() => loadConfig({ ...env, FUHAN_WEBHOOK_URL: 'http://bot.example.org/hook' })).toThrow(
      'FUHAN_WEBHOOK_URL="http://bot.example.org/hook" is not allowed: an https:// URL (http:// only with FUHAN_WEBHOOK_INSECURE=1)',
    );
    expect(() => loadConfig({ ...env, FUHAN_WEBHOOK_SECRET: '', FUHAN_WEBHOOK_URL: 'https://bot.example.org/hook' })).toThrow(/^FUHAN_WEBHOOK_SECRET must be set in webhook mode/);
    expect(loadConfig({ ...env, FUHAN_WEBHOOK_URL: 'https://bot.example.org/hook' }).webhook).toMatchObject({ secret: 's3cret', insecure: false });
    expect(loadConfig({ ...env, FUHAN_WEBHOOK_URL: 'http://127.0.0.1:1/hook', FUHAN_WEBHOOK_INSECURE: '1' }).webhook?.insecure).toBe(true);
  });

  it('answers a forged update (no or wrong secret header) with 401 and handles a signed one', async () => {
    const fake = await new FakeBotApi().start();
    const port = await closedPort();
    const secret = 'fuhan-webhook-secret_1';
    const config = loadConfig({ ...baseEnv, BOT_TOKEN: TOKEN, FUHAN_TELEGRAM_API: fake.url, FUHAN_WEBHOOK_URL: `https://bot.example.org/hook`, FUHAN_WEBHOOK_PORT: String(port), FUHAN_WEBHOOK_SECRET: secret });
    const running = await startBot({ config, engine, kit, log: quiet, throttle: false, webhookHost: '127.0.0.1', statusFile: false });
    const post = (headers: Record<string, string>, id: number) =>
      fetch(`http://127.0.0.1:${port}/hook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ update_id: id, message: { message_id: id, date: 0, chat: { id: USER, type: 'private', first_name: 'U' }, from: { id: USER, is_bot: false, first_name: 'U' }, text: '/help' } }),
      });
    try {
      expect(fake.callsOf('setWebhook')[0]!.payload.secret_token).toBe(secret);
      expect((await post({}, 1)).status).toBe(401);
      expect((await post({ 'x-telegram-bot-api-secret-token': 'guess' }, 2)).status).toBe(401);
      expect(fake.callsOf('sendMessage')).toHaveLength(0);
      expect((await post({ 'x-telegram-bot-api-secret-token': secret }, 3)).status).toBe(200);
      await fake.waitFor(() => fake.callsOf('sendMessage').length > 0, 20_000, 'the /help reply');
    } finally {
      await running.stop();
      await fake.stop();
    }
  }, 30_000);
});

function botInfo() {
  return { id: 666, is_bot: true, first_name: 'Fuhan', username: 'FuhanFakeBot', can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: true, can_connect_to_business: false, has_main_web_app: false } as never;
}
