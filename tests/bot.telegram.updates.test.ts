/**
 * Inline queries and admin letter uploads, fed to the real bot with `bot.handleUpdate`. Outgoing
 * API calls are recorded (and answered) by an API transformer; uploaded files are served by a
 * local HTTP file server on 127.0.0.1, the way Telegram serves `getFile` downloads.
 */
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Update } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../bot/config.ts';
import { loadAnswerKit } from '../bot/telegram/answerKit.ts';
import { createBot, type FuhanBot } from '../bot/telegram/createBot.ts';
import { openEngine } from '../bot/telegram/openEngine.ts';
import { safeLetterFileName, saveWithoutOverwrite } from '../bot/telegram/uploadLetter.ts';
import { AnswerCache } from '../bot/telegram/answerCache.ts';
import { BotStats, formatDuration } from '../bot/telegram/botStats.ts';
import { EngineHolder } from '../bot/telegram/engineHolder.ts';
import type { Answer } from '../bot/answerTypes.ts';

const TOKEN = '123456:TEST-token_for_recorded_calls';
const ADMIN = 42;
const USER = 43;
const STRANGER = 44;
const MOX_SENTENCE = '上合示范区管委会与中华(澳门)金融资产交易股份有限公司(以下简称“MOX”)签订了全面合作框架协议';
const NEW_LETTER = path.resolve(__dirname, 'fixtures/letters/025_shapingba-jiaotong-DH0271-jianyi.txt');
const NEW_LETTER_SENTENCE = '待新建道路投用时一并开通公交线路';

interface Call {
  method: string;
  payload: Record<string, unknown>;
}

let workDir: string;
let corpusDir: string;
let fileServer: http.Server;
const files = new Map<string, Buffer>();
const calls: Call[] = [];
let fuhan: FuhanBot;
let updateId = 1;
let messageId = 1;

/** Records every API call and answers it like Telegram would (enough for the bot's needs). */
function fakeTelegram(method: string, payload: Record<string, unknown>): unknown {
  calls.push({ method, payload });
  const chat = { id: Number(payload.chat_id), type: 'private' };
  switch (method) {
    case 'sendMessage':
      return { message_id: messageId++, date: 0, chat, text: payload.text };
    case 'editMessageText':
      return { message_id: Number(payload.message_id), date: 0, chat, text: payload.text };
    case 'getFile': {
      const id = String(payload.file_id);
      return { file_id: id, file_unique_id: `u-${id}`, file_size: files.get(`documents/${id}`)?.length, file_path: `documents/${id}` };
    }
    default:
      return true;
  }
}

function from(id: number) {
  return { id, is_bot: false, first_name: `User${id}`, language_code: 'en' };
}

/** Sends an update through the bot and returns the calls it made. */
async function feed(update: Omit<Update, 'update_id'>): Promise<Call[]> {
  const start = calls.length;
  await fuhan.bot.handleUpdate({ update_id: updateId++, ...update } as Update);
  return calls.slice(start);
}

function textMessage(user: number, text: string): Omit<Update, 'update_id'> {
  return { message: { message_id: messageId++, date: 0, chat: { id: user, type: 'private', first_name: 'U' }, from: from(user), text } } as Omit<Update, 'update_id'>;
}

/** A document message; the file's bytes are served by the local file server under its id. */
function documentMessage(user: number, fileName: string, data: Buffer, mime = 'text/plain'): Omit<Update, 'update_id'> {
  const fileId = `file${messageId}`;
  files.set(`documents/${fileId}`, data);
  return {
    message: {
      message_id: messageId++,
      date: 0,
      chat: { id: user, type: 'private', first_name: 'U' },
      from: from(user),
      document: { file_id: fileId, file_unique_id: `u-${fileId}`, file_name: fileName, mime_type: mime, file_size: data.length },
    },
  } as Omit<Update, 'update_id'>;
}

function sentTexts(made: Call[]): string {
  return made.filter((c) => c.method === 'sendMessage').map((c) => String(c.payload.text)).join('\n');
}

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'fuhan-bot-updates-'));
  // A smaller corpus than the fixtures: the two shipped letters, copied so uploads can add to it.
  corpusDir = path.join(workDir, 'corpus');
  await mkdir(corpusDir);
  const shipped = path.resolve(__dirname, '../corpus/letters');
  for (const name of await readdir(shipped)) await copyFile(path.join(shipped, name), path.join(corpusDir, name));

  fileServer = http.createServer((req, res) => {
    const prefix = `/file/bot${TOKEN}/`;
    const data = req.url?.startsWith(prefix) ? files.get(decodeURIComponent(req.url.slice(prefix.length))) : undefined;
    if (!data) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-length': data.length }).end(data);
  });
  await new Promise<void>((resolve) => fileServer.listen(0, '127.0.0.1', resolve));
  const port = (fileServer.address() as AddressInfo).port;

  const config = loadConfig({
    BOT_TOKEN: TOKEN,
    FUHAN_TELEGRAM_API: `http://127.0.0.1:${port}`,
    FUHAN_ALLOWED_CHATS: `${USER}`,
    FUHAN_ADMINS: `${ADMIN}`,
    FUHAN_CORPUS: corpusDir,
    FUHAN_INDEX: path.join(workDir, 'index'),
    FUHAN_DENSE: 'off',
    FUHAN_UPLOAD_MAX_BYTES: '65536',
  });
  const log = () => undefined;
  const [engine, kit] = await Promise.all([openEngine(config, log), loadAnswerKit(log)]);
  fuhan = createBot({
    config,
    engine,
    kit,
    log,
    throttle: false,
    botInfo: { id: 666, is_bot: true, first_name: 'Fuhan', username: 'FuhanTestBot', can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: true, can_connect_to_business: false, has_main_web_app: false } as never,
  });
  fuhan.bot.api.config.use(async (_prev, method, payload) => ({ ok: true, result: fakeTelegram(method, payload as Record<string, unknown>) }) as never);
}, 120_000);

afterAll(async () => {
  await new Promise<void>((resolve) => (fileServer ? fileServer.close(() => resolve()) : resolve()));
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('inline mode', () => {
  it('returns citation cards: short quote title, issuer · date, quote + citation message', async () => {
    const made = await feed({ inline_query: { id: 'iq1', from: from(USER), query: 'what has Qingdao done with MOX?', offset: '' } });
    const answer = made.find((c) => c.method === 'answerInlineQuery')!;
    const results = answer.payload.results as { type: string; title: string; description: string; input_message_content: { message_text: string; parse_mode: string } }[];
    expect(results.length).toBeGreaterThan(0);
    const card = results.find((r) => r.input_message_content.message_text.includes(MOX_SENTENCE))!;
    expect(card.type).toBe('article');
    expect(card.title.length).toBeLessThanOrEqual(60);
    expect(card.description).toBe('青岛市人民政府 · 28 Jun 2024');
    expect(card.input_message_content.parse_mode).toBe('HTML');
    expect(card.input_message_content.message_text).toMatch(/^<blockquote>.*<\/blockquote>\n青岛市人民政府 · 青岛市人民政府关于/s);
    for (const r of results) expect(r.input_message_content.message_text.length).toBeLessThanOrEqual(4096);
  });

  it('answers a question nothing answers with one "no letter answers" card', async () => {
    const made = await feed({ inline_query: { id: 'iq2', from: from(USER), query: 'recipe for chocolate cake', offset: '' } });
    const results = made.find((c) => c.method === 'answerInlineQuery')!.payload.results as { title: string }[];
    expect(results).toHaveLength(1);
    expect(results[0]!.title).toBe('No letter answers this question');
  });

  it('gives a user outside the allowed chats no cards', async () => {
    const made = await feed({ inline_query: { id: 'iq3', from: from(STRANGER), query: 'what has Qingdao done with MOX?', offset: '' } });
    expect(made.find((c) => c.method === 'answerInlineQuery')!.payload.results).toEqual([]);
  });
});

describe('admin letter upload', () => {
  const question = '凤鸣水岸小区通公交的计划是什么？';

  it('does not know the new letter before the upload', async () => {
    const made = await feed(textMessage(USER, question));
    expect(sentTexts(made)).not.toContain(NEW_LETTER_SENTENCE);
    // "typing…" is shown while the answer is being composed, before the answer is sent.
    expect(made[0]).toMatchObject({ method: 'sendChatAction', payload: { action: 'typing', chat_id: USER } });
    expect(made.some((c) => c.method === 'sendMessage')).toBe(true);
  });

  it('refuses an upload from a non-admin and keeps the corpus unchanged', async () => {
    const made = await feed(documentMessage(USER, path.basename(NEW_LETTER), await readFile(NEW_LETTER)));
    expect(sentTexts(made)).toContain('Only admins can add letters');
    expect(made.some((c) => c.method === 'getFile')).toBe(false);
    expect(await readdir(corpusDir)).toHaveLength(2);
  });

  it("makes an admin's uploaded letter answerable, replying with what was parsed", async () => {
    const made = await feed(documentMessage(ADMIN, path.basename(NEW_LETTER), await readFile(NEW_LETTER)));
    const reply = sentTexts(made);
    expect(made.some((c) => c.method === 'getFile')).toBe(true);
    expect(reply).toContain('Added 025_shapingba-jiaotong-DH0271-jianyi.txt');
    expect(reply).toContain('Issuer: 重庆市沙坪坝区交通运输委员会');
    expect(reply).toContain('DH0271');
    expect(reply).toContain('10 Apr 2025');
    expect(reply).toMatch(/Passages: [1-9]/);
    expect(await readFile(path.join(corpusDir, '025_shapingba-jiaotong-DH0271-jianyi.txt'))).toEqual(await readFile(NEW_LETTER));
    expect(fuhan.deps.engine.current.letters()).toHaveLength(3);

    const answer = sentTexts(await feed(textMessage(USER, question)));
    expect(answer).toContain(NEW_LETTER_SENTENCE);
    expect(answer).toContain('重庆市沙坪坝区交通运输委员会');
  });

  it('does not add the same letter twice, whatever its file name', async () => {
    for (const name of [path.basename(NEW_LETTER), 'copy-of-the-letter.txt']) {
      const made = await feed(documentMessage(ADMIN, name, await readFile(NEW_LETTER)));
      expect(sentTexts(made)).toContain('The corpus already has this exact file (025_shapingba-jiaotong-DH0271-jianyi.txt)');
    }
    expect(await readdir(corpusDir)).toHaveLength(3);
    expect(fuhan.deps.engine.current.letters()).toHaveLength(3);
  });

  it('rejects unsupported types, oversized files and files without a letter, with the reason', async () => {
    expect(sentTexts(await feed(documentMessage(ADMIN, 'tool.exe', Buffer.from('MZ'), 'application/octet-stream')))).toContain('Unsupported file type .exe');
    expect(sentTexts(await feed(documentMessage(ADMIN, 'big.txt', Buffer.alloc(70_000, 0x41))))).toContain('too large');
    const empty = sentTexts(await feed(documentMessage(ADMIN, 'empty.txt', Buffer.from('\n  \n'))));
    expect(empty).toMatch(/Not added: \S/);
    expect(await readdir(corpusDir)).not.toContain('empty.txt');
  });

  it('tells anyone sending a sticker in private what it can do; hostile text gets a normal answer', async () => {
    const sticker = await feed({ message: { message_id: messageId++, date: 0, chat: { id: USER, type: 'private', first_name: 'U' }, from: from(USER), sticker: { file_id: 's', file_unique_id: 's', width: 1, height: 1, is_animated: false, is_video: false, type: 'regular' } } } as Omit<Update, 'update_id'>);
    expect(sentTexts(sticker)).toContain('I can only answer text questions');
    const hostile = await feed(textMessage(USER, `<script>alert(1)</script>${'😀\u200b'.repeat(5000)}`));
    const sent = hostile.filter((c) => c.method === 'sendMessage');
    expect(sent.length).toBeGreaterThan(0);
    for (const c of sent) {
      expect(String(c.payload.text)).not.toContain('<script>');
      expect(String(c.payload.text).length).toBeLessThanOrEqual(4096);
    }
  });
});

describe('upload file naming', () => {
  it('keeps names safe and never overwrites', async () => {
    expect(safeLetterFileName('../../etc/重庆 0963号.TXT')).toBe('重庆-0963号.txt');
    expect(safeLetterFileName('.hidden.pdf')).toBe('hidden.pdf');
    expect(safeLetterFileName('noext', '.txt')).toBe('noext.txt');
    const dir = path.join(workDir, 'naming');
    await mkdir(dir);
    await writeFile(path.join(dir, 'a.txt'), 'one');
    expect(await saveWithoutOverwrite(dir, 'a.txt', Buffer.from('two'))).toEqual({ file: path.join(dir, 'a-2.txt'), duplicate: false });
    expect(await saveWithoutOverwrite(dir, 'a.txt', Buffer.from('one'))).toEqual({ file: path.join(dir, 'a.txt'), duplicate: true });
    expect(await readFile(path.join(dir, 'a.txt'), 'utf8')).toBe('one');
  });
});

describe('engine holder, answer cache, stats', () => {
  it('runs reloads one at a time and keeps serving the old engine until the new one is ready', async () => {
    const first = fuhan.deps.engine.current;
    let running = 0;
    let maxRunning = 0;
    const opened: number[] = [];
    const holder = new EngineHolder(first, async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await new Promise((r) => setTimeout(r, 30));
      opened.push(opened.length + 1);
      running--;
      return first;
    });
    const reloads = [holder.reload(), holder.reload(), holder.reload()];
    expect(holder.reloading).toBe(true);
    expect(holder.current).toBe(first);
    await Promise.all(reloads);
    expect(maxRunning).toBe(1);
    expect(opened).toEqual([1, 2, 3]);
    expect(holder.reloading).toBe(false);

    const failing = new EngineHolder(first, async () => {
      throw new Error('disk full');
    });
    await expect(failing.reload()).rejects.toThrow('disk full');
    expect(failing.current).toBe(first);
  });

  it('answer cache forgets the oldest answers and never serves another chat', () => {
    const cache = new AnswerCache(2);
    const answer = { citations: [] } as unknown as Answer;
    const a = cache.add({ chatId: 1, kind: 'question', question: 'a', page: 1, answer });
    const b = cache.add({ chatId: 2, kind: 'question', question: 'b', page: 1, answer });
    expect(cache.get(a, 1)?.question).toBe('a');
    expect(cache.get(a, 2)).toBeUndefined();
    cache.add({ chatId: 3, kind: 'question', question: 'c', page: 1, answer });
    expect(cache.get(b, 2)).toBeUndefined(); // least recently used
    expect(cache.get(a, 1)?.question).toBe('a');
    expect(cache.last(3)?.question).toBe('c');
  });

  it('stats report questions and the median latency', () => {
    const stats = new BotStats();
    for (const ms of [30, 10, 20, 1000]) stats.recordAnswer(ms);
    expect(stats.snapshot()).toMatchObject({ questions: 4, p50Ms: 20 });
    expect(formatDuration(3_725_000)).toBe('1h 2m');
  });
});
