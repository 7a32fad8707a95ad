/**
 * Webhook mode: the bot and the web pages share one port. The real bot (grammY) receives updates from
 * the telegram-test-api emulator on 127.0.0.1; with FUHAN_PUBLIC_URL set its answers link each quote
 * to its permalink, and that permalink, fetched from the same port, shows the quote highlighted.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../bot/config.ts';
import { loadAnswerKit } from '../bot/telegram/answerKit.ts';
import { openEngine } from '../bot/telegram/openEngine.ts';
import { startBot, type RunningBot } from '../bot/telegram/runBot.ts';
import { SHIPPED_CORPUS } from './support/fixtureLetters.ts';
import { freePort } from './support/freePort.ts';
import { visibleText } from './support/visibleText.ts';

const TOKEN = '123459:TEST-token_for_the_web_webhook_bot';
const USER = 4242;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let telegram: TelegramServer;
let bot: RunningBot;
let work: string;
let base: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'fuhan-web-webhook-'));
  telegram = new TelegramServer({ port: await freePort(), host: '127.0.0.1', storeTimeout: 600 });
  await telegram.start();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    BOT_TOKEN: TOKEN,
    FUHAN_TELEGRAM_API: telegram.config.apiURL,
    FUHAN_CORPUS: SHIPPED_CORPUS,
    FUHAN_INDEX: path.join(work, 'index'),
    FUHAN_DENSE: 'off',
    FUHAN_WEBHOOK_URL: `${base}/telegram`,
    FUHAN_WEBHOOK_PORT: String(port),
    // Plain http and no secret on loopback (the emulator sends no secret header); ignored by older configs.
    FUHAN_WEBHOOK_INSECURE: '1',
    // The address readers use; here the same server.
    FUHAN_PUBLIC_URL: `${base}/`,
  });
  const log = () => undefined;
  const [engine, kit] = await Promise.all([openEngine(config, log), loadAnswerKit(log)]);
  bot = await startBot({ config, engine, kit, log, throttle: false, webhookHost: '127.0.0.1' });
}, 120_000);

afterAll(async () => {
  await bot?.stop();
  await telegram?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

it('serves the pages on the webhook port, and the bot\'s answers link each quote to its highlighted letter page', async () => {
  const home = await fetch(`${base}/`);
  expect(home.status).toBe(200);
  expect(home.headers.get('content-security-policy')).toContain("script-src 'self'");

  const client = telegram.getClient(TOKEN, { userId: USER, chatId: USER, type: 'private', firstName: 'Reader', userName: 'reader', timeout: 5000 });
  await client.sendMessage(client.makeMessage('上合示范区与MOX签订了什么协议？'));
  let text = '';
  const deadline = Date.now() + 30_000;
  while (!text && Date.now() < deadline) {
    await sleep(50);
    const sent = telegram.storage.botMessages.filter((u) => u.botToken === TOKEN && String(u.message.chat_id) === String(USER));
    text = sent.map((u) => String((u.message as unknown as { text?: string }).text ?? '')).join('\n');
  }
  const links = [...text.matchAll(/<a href="([^"]+\/letters\/[^"]+)">/g)].map((m) => m[1].replace(/&amp;/g, '&'));
  expect(links.length).toBeGreaterThan(0);
  const link = new URL(links[0]);
  expect(link.origin).toBe(base);
  expect(link.search).toMatch(/^\?q=\d+-\d+$/);
  const quote = /<blockquote>([^<]+)<\/blockquote>/.exec(text)![1];
  const page = await (await fetch(link)).text();
  const marked = /<mark id="quote">([\s\S]*?)<\/mark>/.exec(page)![1];
  expect(visibleText(marked)).toBe(visibleText(quote));
});
