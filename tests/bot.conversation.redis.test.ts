/**
 * Conversations shared through Redis: two bot instances in webhook mode behind one round-robin load
 * balancer (on 127.0.0.1), a real `redis-server` (free port, temp dir, no persistence) and the Bot API
 * emulator. Turn one is answered by one instance, the follow-up by the other — which can only read it
 * right from the conversation the first one stored in Redis.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../bot/config.ts';
import { conversationTexts } from '../bot/conversation/conversationTexts.ts';
import { loadAnswerKit } from '../bot/telegram/answerKit.ts';
import { openEngine } from '../bot/telegram/openEngine.ts';
import { startBot, type RunningBot } from '../bot/telegram/runBot.ts';
import { Emulator, shown } from './support/botEmulator.ts';
import { freePort } from './support/freePort.ts';

const REDIS_SERVER = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p) => existsSync(p));
if (!REDIS_SERVER) console.warn('skipping the shared-conversation test: redis-server is not installed (Debian package redis-server)');

const TOKEN = '123460:TEST-token_for_the_redis_bots';
const SECRET = 'conversation-test-secret';
const FIXTURES = path.join(import.meta.dirname, 'fixtures', 'letters');

let workDir: string;
let redis: ChildProcess | undefined;
let redisUrl: string;
let emulator: Emulator;
let balancer: http.Server;
const bots: RunningBot[] = [];
const logLines: string[] = [];
/** Which instance sent each message, in order. */
const senders: string[] = [];

/** Starts redis-server on a free loopback port and waits until it accepts commands. */
async function startRedis(dir: string): Promise<string> {
  const port = await freePort();
  redis = spawn(REDIS_SERVER!, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  const client = new Redis(url, { lazyConnect: true, retryStrategy: () => 100, maxRetriesPerRequest: null });
  client.on('error', () => {}); // refused until the server is up
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    try {
      await client.connect().catch(() => {});
      if ((await client.ping()) === 'PONG') break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  client.disconnect();
  return url;
}

/** A load balancer: each update goes to the next instance, as Telegram's webhook would through one. */
async function startBalancer(ports: number[]): Promise<number> {
  let next = 0;
  balancer = http.createServer((req, res) => {
    const port = ports[next++ % ports.length]!;
    const forward = http.request(
      { host: '127.0.0.1', port, path: '/telegram', method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => balancer.listen(port, '127.0.0.1', resolve));
  return port;
}

describe.skipIf(!REDIS_SERVER)('two bot instances sharing conversations through Redis', () => {
  beforeAll(async () => {
    workDir = await mkdtemp(path.join(os.tmpdir(), 'fuhan-redis-'));
    redisUrl = await startRedis(workDir);
    emulator = await Emulator.start(TOKEN);
    const log = (line: string) => logLines.push(line);
    const kit = await loadAnswerKit(log);
    const ports = [await freePort(), await freePort()];
    for (const [i, port] of ports.entries()) {
      const config = loadConfig({
        BOT_TOKEN: TOKEN,
        FUHAN_TELEGRAM_API: emulator.apiUrl,
        FUHAN_CORPUS: FIXTURES,
        FUHAN_INDEX: path.join(workDir, 'index'),
        FUHAN_DENSE: 'off',
        FUHAN_REDIS_URL: redisUrl,
        FUHAN_WEBHOOK_URL: `http://127.0.0.1:${port}/telegram`,
        FUHAN_WEBHOOK_PORT: String(port),
        FUHAN_WEBHOOK_SECRET: SECRET,
        FUHAN_WEBHOOK_INSECURE: '1',
      });
      const engine = await openEngine(config, log);
      const name = `bot${i + 1}`;
      bots.push(
        await startBot({
          config,
          engine,
          kit,
          log,
          throttle: false,
          webhookHost: '127.0.0.1',
          configure: (bot) =>
            bot.api.config.use((prev, method, payload, signal) => {
              if (method === 'sendMessage') senders.push(name);
              return prev(method, payload, signal);
            }),
        }),
      );
    }
    // Both instances registered their own address; the load balancer stands in front of them.
    emulator.server.setWebhook({ url: `http://127.0.0.1:${await startBalancer(ports)}/` }, TOKEN);
  }, 120_000);

  afterAll(async () => {
    for (const bot of bots) {
      await bot.stop();
      await bot.deps.conversations.close();
    }
    balancer?.close();
    await emulator?.stop();
    redis?.kill('SIGTERM');
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('continues one conversation across both instances', async () => {
    const first = await emulator.ask(3001, '青岛上合示范区和澳门在金融上有哪些合作？');
    expect(shown(first).letters[0]).toContain('青岛市人民政府');
    const firstSender = senders.at(-1);

    const date = shown(await emulator.ask(3001, '哪天回复的？'));
    const secondSender = senders.at(-1);
    expect(secondSender).not.toBe(firstSender);
    expect(date.html).toContain('理解为：青岛市人民政府的复函：哪天回复的？');
    expect(date.firstQuote).toContain('2024年6月28日');

    const other = shown(await emulator.ask(3001, '那重庆呢？'));
    expect(senders.at(-1)).toBe(firstSender);
    expect(other.html).toContain('理解为：');
    expect(other.letters.every((l) => l.includes('重庆'))).toBe(true);

    const [reset] = await emulator.ask(3001, '换个问题');
    expect(reset!.text).toBe(conversationTexts('zh').reset);
    const fresh = shown(await emulator.ask(3001, '谁签发的？'));
    expect(fresh.html).not.toContain('理解为');

    expect(logLines.filter((l) => /failed|unavailable/.test(l) && !/setMyCommands/.test(l))).toEqual([]);
    // The conversation lives in Redis under the chat's key.
    const client = new Redis(redisUrl);
    try {
      const stored = JSON.parse((await client.get('3001')) ?? '{}') as { current?: { turn?: unknown } };
      expect(stored.current).toBeDefined();
    } finally {
      client.disconnect();
    }
  });

  it('still answers, as a new conversation, while Redis is down', async () => {
    redis!.kill('SIGKILL');
    await new Promise((resolve) => redis!.once('exit', resolve));
    const answer = shown(await emulator.ask(3002, '青岛上合示范区和澳门在金融上有哪些合作？'));
    expect(answer.letters[0]).toContain('青岛市人民政府');
    expect(logLines.some((l) => l.includes('unavailable'))).toBe(true);
  }, 60_000);
});
