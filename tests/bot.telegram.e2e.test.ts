/**
 * End to end: the real bot (grammY + runner + throttler + auto-retry) polling the telegram-test-api
 * emulator on 127.0.0.1, answering from a real index of corpus/letters built in a temp folder.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../bot/config.ts';
import { loadAnswerKit } from '../bot/telegram/answerKit.ts';
import { openEngine } from '../bot/telegram/openEngine.ts';
import { startBot, type RunningBot } from '../bot/telegram/runBot.ts';
import { freePort } from './support/freePort.ts';

const TOKEN = '123456:TEST-token_for_the_emulator_only';
const MOX_SENTENCE = '上合示范区管委会与中华(澳门)金融资产交易股份有限公司(以下简称“MOX”)签订了全面合作框架协议';
const GROUP_ID = -100200300;
const REFUSED_USER = 999_999;
const CROWD = Array.from({ length: 50 }, (_, i) => 5000 + i);
const ALLOWED = [1001, 1002, 1003, 1004, 1005, GROUP_ID, ...CROWD];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let server: TelegramServer;
let running: RunningBot;
let workDir: string;
let baseEnv: Record<string, string>;
const logLines: string[] = [];

interface BotMessage {
  messageId: number;
  text: string;
  parseMode?: string;
  replyMarkup?: { inline_keyboard: { text: string; callback_data?: string }[][] };
  replyTo?: number;
}

/** What the bot has sent to a chat so far (edits applied), oldest first. */
function botMessages(chatId: number, token = TOKEN): BotMessage[] {
  return server.storage.botMessages
    .filter((u) => u.botToken === token && String(u.message.chat_id) === String(chatId))
    .map((u) => {
      const m = u.message as unknown as Record<string, unknown>;
      const replyParameters = m.reply_parameters as { message_id?: number } | string | undefined;
      const parsedReply = typeof replyParameters === 'string' ? (JSON.parse(replyParameters) as { message_id?: number }) : replyParameters;
      return {
        messageId: u.messageId,
        text: String(m.text ?? ''),
        parseMode: m.parse_mode as string | undefined,
        replyMarkup: m.reply_markup as BotMessage['replyMarkup'],
        replyTo: parsedReply?.message_id,
      };
    });
}

/** Waits until the chat has at least `atLeast` bot messages more than `before` and no new one arrived for `settleMs`. */
async function waitForReplies(chatId: number, before: number, { timeoutMs = 20_000, settleMs = 250, token = TOKEN, atLeast = 1 } = {}): Promise<BotMessage[]> {
  const deadline = Date.now() + timeoutMs;
  let count = botMessages(chatId, token).length;
  let lastChange = Date.now();
  while (Date.now() < deadline) {
    await sleep(25);
    const now = botMessages(chatId, token).length;
    if (now !== count) {
      count = now;
      lastChange = Date.now();
    }
    if (count >= before + atLeast && Date.now() - lastChange >= settleMs) return botMessages(chatId, token).slice(before);
  }
  throw new Error(`no reply in chat ${chatId} within ${timeoutMs} ms (log: ${logLines.slice(-5).join(' | ')})`);
}

function clientFor(userId: number, options: { chatId?: number; type?: 'private' | 'group'; token?: string } = {}) {
  return server.getClient(options.token ?? TOKEN, { userId, chatId: options.chatId ?? userId, type: options.type ?? 'private', firstName: `User${userId}`, userName: `user${userId}`, timeout: 5000 });
}

/** Sends text as a user and returns the bot's replies. */
async function ask(userId: number, text: string, extra: Record<string, unknown> = {}, chat: { chatId?: number; type?: 'private' | 'group' } = {}): Promise<BotMessage[]> {
  const client = clientFor(userId, chat);
  const chatId = chat.chatId ?? userId;
  const before = botMessages(chatId).length;
  await client.sendMessage(client.makeMessage(text, extra));
  return waitForReplies(chatId, before);
}

/** The number [n] printed under the quote that contains `sentence`. */
function citationNumberOf(html: string, sentence: string): number {
  const block = html.split('</blockquote>').findIndex((part) => part.includes(sentence));
  const after = html.split('</blockquote>')[block + 1] ?? '';
  return Number(/^\n<b>\[(\d+)\]<\/b>/.exec(after)?.[1]);
}

function buttons(message: BotMessage): { text: string; data: string }[] {
  return (message.replyMarkup?.inline_keyboard ?? []).flat().map((b) => ({ text: b.text, data: b.callback_data ?? '' }));
}

async function press(userId: number, message: BotMessage, data: string): Promise<void> {
  const client = clientFor(userId);
  await client.sendCallback(
    client.makeCallbackQuery(data, { message: { message_id: message.messageId, chat: { id: userId, type: 'private' }, date: Math.floor(Date.now() / 1000) } }),
  );
}

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'fuhan-bot-e2e-'));
  const port = await freePort();
  server = new TelegramServer({ port, host: '127.0.0.1', storeTimeout: 600 });
  await server.start();
  baseEnv = {
    FUHAN_TELEGRAM_API: server.config.apiURL,
    FUHAN_CORPUS: path.resolve(__dirname, '../corpus/letters'),
    FUHAN_INDEX: path.join(workDir, 'index'),
    FUHAN_DENSE: 'off',
  };
  const config = loadConfig({ ...baseEnv, BOT_TOKEN: TOKEN, FUHAN_ALLOWED_CHATS: ALLOWED.join(','), FUHAN_ADMINS: '1001' });
  const log = (line: string) => logLines.push(line);
  const [engine, kit] = await Promise.all([openEngine(config, log), loadAnswerKit(log)]);
  running = await startBot({
    config,
    engine,
    kit,
    log,
    // Real throttler, with limits an emulator on loopback does not need to wait for.
    throttle: { global: { reservoir: 200, reservoirRefreshAmount: 200, reservoirRefreshInterval: 1000 }, out: { maxConcurrent: 1, minTime: 20 }, group: { maxConcurrent: 1, minTime: 20 } },
  });
}, 120_000);

afterAll(async () => {
  await running?.stop();
  await server?.stop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('Telegram bot against the emulator', () => {
  it('answers an English question with the verbatim MOX sentence and its citation', async () => {
    const replies = await ask(1001, 'what has Qingdao done with MOX?');
    const all = replies.map((r) => r.text).join('\n');
    expect(replies[0]!.parseMode).toBe('HTML');
    expect(all).toContain(MOX_SENTENCE);
    expect(all).toMatch(/<blockquote>[^<]*上合示范区管委会与中华\(澳门\)金融资产交易股份有限公司\(以下简称“MOX”\)签订了全面合作框架协议/);
    expect(all).toContain('青岛市人民政府');
    expect(all).toContain('28 Jun 2024');
    expect(all).toMatch(/<b>\[1\]<\/b>/);
    for (const r of replies) expect(r.text.length).toBeLessThanOrEqual(4096);
    // The keyboard sits under the last message, with every callback payload within Telegram's 64 bytes.
    const keys = buttons(replies[replies.length - 1]!);
    expect(keys.length).toBeGreaterThan(2);
    for (const k of keys) expect(Buffer.byteLength(k.data)).toBeLessThanOrEqual(64);
  });

  it('answers the same question in Simplified and Traditional Chinese, framing in that script', async () => {
    const simplified = (await ask(1002, '青岛和MOX合作做了什么？')).map((r) => r.text).join('\n');
    expect(simplified).toContain(MOX_SENTENCE);
    expect(simplified).toContain('2024年6月28日');
    expect(simplified).toContain('问:');
    const traditional = (await ask(1003, '青島和MOX合作做了什麼？')).map((r) => r.text).join('\n');
    expect(traditional).toContain(MOX_SENTENCE);
    expect(traditional).toContain('問:');
  });

  it('stays silent in a group unless mentioned, replied to or asked with /ask', async () => {
    const group = { chatId: GROUP_ID, type: 'group' as const };
    const client = clientFor(1004, group);
    const before = botMessages(GROUP_ID).length;
    // Not addressed: no reply. Updates of one chat are handled in order, so once the mention below
    // is answered, this one has been handled too.
    await client.sendMessage(client.makeMessage('青岛和MOX合作做了什么？'));
    const mention = '@TestNameBot 青岛和MOX合作做了什么？';
    const replies = await ask(1004, mention, { entities: [{ type: 'mention', offset: 0, length: '@TestNameBot'.length }] }, group);
    const newOnes = botMessages(GROUP_ID).slice(before);
    expect(newOnes.length).toBe(replies.length);
    // Exactly one answer (one question header) for the two messages.
    expect(newOnes.filter((m) => m.text.startsWith('<b>问:</b>'))).toHaveLength(1);
    expect(replies.map((r) => r.text).join('\n')).toContain(MOX_SENTENCE);
    expect(replies[0]!.replyTo).toBeGreaterThan(0);

    const viaReply = await ask(1004, 'MOX是什么时候签协议的？', { reply_to_message: { message_id: replies[0]!.messageId, from: { id: 666, is_bot: true, first_name: 'Bot' }, chat: { id: GROUP_ID, type: 'group' }, date: 0 } }, group);
    expect(viaReply.map((r) => r.text).join('\n')).toContain('MOX');

    const askClient = clientFor(1004, group);
    const beforeAsk = botMessages(GROUP_ID).length;
    await askClient.sendCommand(askClient.makeCommand('/ask 青岛和MOX合作做了什么？'));
    const viaAsk = await waitForReplies(GROUP_ID, beforeAsk);
    expect(viaAsk.map((r) => r.text).join('\n')).toContain(MOX_SENTENCE);
  });

  it('buttons: citation to copy, full passage, more results (edits the message), stale data', async () => {
    const replies = await ask(1005, 'what has Qingdao done with MOX?');
    const last = replies[replies.length - 1]!;
    const keys = buttons(last);
    const n = citationNumberOf(replies.map((r) => r.text).join('\n'), MOX_SENTENCE);
    expect(n).toBeGreaterThan(0);
    const cite = keys.find((k) => k.data.startsWith('c:') && k.data.endsWith(`:${n}`))!;

    let before = botMessages(1005).length;
    await press(1005, last, cite.data);
    const [citation] = await waitForReplies(1005, before);
    expect(citation!.text).toMatch(/^<code>.*签订了全面合作框架协议.*青岛市人民政府/);

    const passage = keys.find((k) => k.data.startsWith('p:') && k.data.endsWith(`:${n}`))!;
    before = botMessages(1005).length;
    await press(1005, last, passage.data);
    const passageReplies = await waitForReplies(1005, before);
    expect(passageReplies.map((r) => r.text).join('\n')).toContain(MOX_SENTENCE);

    // Whether or not this answer has a second page, "more" must not break anything.
    await press(1005, last, keys.find((k) => k.data.startsWith('m:'))!.data);

    const broad = await ask(1005, 'Macau cooperation');
    const broadLast = broad[broad.length - 1]!;
    const more = buttons(broadLast).find((k) => k.data.startsWith('m:'))!;
    expect(more.data).toMatch(/^m:[0-9a-z]+:2$/);
    const originalText = broadLast.text;
    await press(1005, broadLast, more.data);
    const deadline = Date.now() + 10_000;
    let edited = broadLast;
    while (Date.now() < deadline) {
      edited = botMessages(1005).find((m) => m.messageId === broadLast.messageId)!;
      if (edited.text !== originalText) break;
      await sleep(25);
    }
    expect(edited.text).not.toBe(originalText);
    expect(edited.text).toMatch(/\(2\)/);
    expect(edited.text).toContain('<blockquote>');

    // Forged and stale payloads are answered (a toast), never crash the bot: it still answers after.
    await press(1005, last, 'm:zzzzzz:2');
    await press(1005, last, '<script>');
    const after = await ask(1005, 'what has Qingdao done with MOX?');
    expect(after.map((r) => r.text).join('\n')).toContain(MOX_SENTENCE);
  });

  it('/cite, /letters, /letter and admin-only /stats', async () => {
    const client = clientFor(1001);
    const english = { from: { language_code: 'en' } };
    const lastAnswer = botMessages(1001).filter((m) => m.text.includes('<blockquote>')).pop()!;
    const n = citationNumberOf(lastAnswer.text, MOX_SENTENCE);
    let before = botMessages(1001).length;
    await client.sendCommand(client.makeCommand(`/cite ${n}`));
    const [cite] = await waitForReplies(1001, before);
    expect(cite!.text).toContain('签订了全面合作框架协议');

    before = botMessages(1001).length;
    await client.sendCommand(client.makeCommand('/letters'));
    const letters = (await waitForReplies(1001, before)).map((r) => r.text).join('\n');
    expect(letters).toContain('青岛市人民政府');
    expect(letters).toContain('重庆市人民政府港澳事务办公室');

    const letterNumber = letters.split('\n').find((line) => line.includes('青岛市人民政府'))!.match(/(\d+)\./)![1]!;
    before = botMessages(1001).length;
    await client.sendCommand(client.makeCommand(`/letter ${letterNumber}`));
    const [description] = await waitForReplies(1001, before);
    expect(description!.text).toContain('陈捷');
    const whole = buttons(description!).find((k) => k.data.startsWith('w:'))!;
    before = botMessages(1001).length;
    await press(1001, description!, whole.data);
    const letterText = (await waitForReplies(1001, before)).map((r) => r.text).join('\n');
    expect(letterText).toContain(MOX_SENTENCE);
    expect(letterText).toContain('2024年6月28日');

    before = botMessages(1001).length;
    await client.sendCommand(client.makeCommand('/stats', english));
    const [stats] = await waitForReplies(1001, before);
    expect(stats!.text).toMatch(/Letters: 2/);
    expect(stats!.text).toMatch(/Questions served: \d+/);

    const other = clientFor(1002);
    before = botMessages(1002).length;
    await other.sendCommand(other.makeCommand('/stats', english));
    const [refused] = await waitForReplies(1002, before);
    expect(refused!.text).toContain('admins only');
    before = botMessages(1002).length;
    await other.sendCommand(other.makeCommand('/reload', english));
    expect((await waitForReplies(1002, before))[0]!.text).toContain('admins only');

    before = botMessages(1001).length;
    await client.sendCommand(client.makeCommand('/reload', english));
    const reload = await waitForReplies(1001, before, { atLeast: 2 });
    expect(reload.map((r) => r.text)).toEqual(['Reloading the index…', 'Index reloaded: 2 letters, 26 passages.']);
  });

  it('/start, /help with examples in the user\'s language, /commitments on a topic', async () => {
    const client = clientFor(1004);
    let before = botMessages(1004).length;
    await client.sendCommand(client.makeCommand('/help', { from: { language_code: 'zh-hans' } }));
    const help = (await waitForReplies(1004, before)).map((r) => r.text).join('\n');
    expect(help).toContain('/commitments');
    expect(help).toContain('<code>青岛和MOX合作做了什么？</code>');

    before = botMessages(1004).length;
    await client.sendCommand(client.makeCommand('/start', { from: { language_code: 'en' } }));
    expect((await waitForReplies(1004, before)).map((r) => r.text).join('\n')).toContain('verbatim quotes');

    before = botMessages(1004).length;
    await client.sendCommand(client.makeCommand('/commitments 澳门'));
    const commitments = (await waitForReplies(1004, before)).map((r) => r.text).join('\n');
    expect(commitments).toContain('复函中的下一步工作承诺');
    expect(commitments).toContain('<blockquote>');
  });

  it('refuses a chat that is not allowed, in one line', async () => {
    const replies = await ask(REFUSED_USER, 'what has Qingdao done with MOX?');
    expect(replies).toHaveLength(1);
    expect(replies[0]!.text).not.toContain('MOX');
    expect(replies[0]!.text.split('\n')).toHaveLength(1);

    // In a group that is not allowed, chatter is ignored and only a mention gets the refusal.
    const group = { chatId: -424242, type: 'group' as const };
    const client = clientFor(1002, group);
    const before = botMessages(-424242).length;
    await client.sendMessage(client.makeMessage('青岛和MOX合作做了什么？'));
    const refusal = await ask(1002, '@TestNameBot 青岛和MOX合作做了什么？', { entities: [{ type: 'mention', offset: 0, length: 12 }] }, group);
    expect(refusal).toHaveLength(1);
    expect(botMessages(-424242).slice(before)).toHaveLength(1);
    expect(refusal[0]!.text).not.toContain('MOX');
  });

  it('answers a private non-text message politely', async () => {
    const client = clientFor(1002);
    const before = botMessages(1002).length;
    const sticker = client.makeMessage('', { sticker: { file_id: 'x', file_unique_id: 'y', width: 1, height: 1, is_animated: false, is_video: false, type: 'regular' } });
    delete (sticker as { text?: string }).text;
    await client.sendMessage(sticker);
    const [reply] = await waitForReplies(1002, before);
    expect(reply!.text.length).toBeGreaterThan(10);
  });

  it('serves 50 users asking at once', async () => {
    const questions = ['what has Qingdao done with MOX?', '青岛和MOX合作做了什么？', '重庆和澳门青年交流有哪些安排？', '青島和MOX合作做了什麼？'];
    const started = Date.now();
    const before = new Map(CROWD.map((id) => [id, botMessages(id).length]));
    await Promise.all(CROWD.map((id, i) => clientFor(id).sendMessage(clientFor(id).makeMessage(questions[i % questions.length]!))));
    const answers = await Promise.all(CROWD.map((id) => waitForReplies(id, before.get(id)!, { timeoutMs: 45_000 })));
    const elapsed = Date.now() - started;
    for (const replies of answers) expect(replies.map((r) => r.text).join('\n')).toContain('<blockquote>');
    logLines.push(`50 concurrent questions answered in ${elapsed} ms`);
    console.info(`50 concurrent questions answered in ${elapsed} ms`);
    expect(elapsed).toBeLessThan(45_000);
  }, 60_000);

  it('handled every update without an error', () => {
    expect(logLines.filter((line) => /failed/.test(line) && !/setMyCommands/.test(line))).toEqual([]);
  });
});

describe('webhook mode', () => {
  it('receives updates on a webhook and answers them', async () => {
    const token = '123457:TEST-token_for_the_webhook_bot';
    const port = await freePort();
    // Plain http and no secret on loopback: the emulator sends no secret header (tests/ops.webhook.test.ts checks the secret).
    const config = loadConfig({ ...baseEnv, BOT_TOKEN: token, FUHAN_WEBHOOK_URL: `http://127.0.0.1:${port}/telegram`, FUHAN_WEBHOOK_PORT: String(port), FUHAN_WEBHOOK_INSECURE: '1' });
    const log = (line: string) => logLines.push(line);
    const [engine, kit] = await Promise.all([openEngine(config, log), loadAnswerKit(log)]);
    const hooked = await startBot({ config, engine, kit, log, throttle: false, webhookHost: '127.0.0.1' });
    try {
      const client = clientFor(1002, { token });
      const before = botMessages(1002, token).length;
      await client.sendMessage(client.makeMessage('what has Qingdao done with MOX?'));
      const replies = await waitForReplies(1002, before, { token });
      expect(replies.map((r) => r.text).join('\n')).toContain(MOX_SENTENCE);
    } finally {
      await hooked.stop();
    }
  });
});

describe('the fuhan command', () => {
  const bin = path.resolve(__dirname, '../bin/fuhan.js');
  const env = (extra: Record<string, string>) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('FUHAN_') && k !== 'BOT_TOKEN'));
    return { ...clean, ...baseEnv, ...extra } as NodeJS.ProcessEnv;
  };

  it('exits with code 2 and one clear line on a bad environment', () => {
    const bad = spawnSync(process.execPath, [bin, 'start'], { env: env({ FUHAN_DENSE: 'sometimes' }), encoding: 'utf8', timeout: 60_000 });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('FUHAN_DENSE');
    const noToken = spawnSync(process.execPath, [bin, 'bot'], { env: env({}), encoding: 'utf8', timeout: 60_000 });
    expect(noToken.status).toBe(2);
    expect(noToken.stderr).toContain('BOT_TOKEN');
  });

  it('`fuhan start` with BOT_TOKEN runs the bot, answers, and stops cleanly on SIGTERM', async () => {
    const token = '123458:TEST-token_for_the_process_bot';
    const spawnedAt = Date.now();
    const child = spawn(process.execPath, [bin, 'start'], { env: env({ BOT_TOKEN: token }), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 30_000;
      while (!stderr.includes('is polling') && Date.now() < deadline) await sleep(50);
      expect(stderr).toContain('is polling');
      const client = clientFor(1003, { token });
      const before = botMessages(1003, token).length;
      await client.sendMessage(client.makeMessage('青岛和MOX合作做了什么？'));
      const replies = await waitForReplies(1003, before, { token });
      expect(replies.map((r) => r.text).join('\n')).toContain(MOX_SENTENCE);
    } finally {
      console.info(`process bot answered after ${Date.now() - spawnedAt} ms`);
      child.kill('SIGTERM');
    }
    const killedAt = Date.now();
    expect(await exited).toBe(0);
    console.info(`process bot exited ${Date.now() - killedAt} ms after SIGTERM`);
    expect(stderr).toContain('SIGTERM received');
  }, 60_000);
});
