/**
 * Importing through the bot: the real bot (grammY + runner) polling the telegram-test-api emulator,
 * importing from the simulated government site, both on 127.0.0.1. An admin's /import or link gets
 * one message, edited from progress into the report; non-admins are refused; the
 * FUHAN_IMPORT_URLS schedule makes new letters answerable without a restart.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../bot/config.ts';
import { loadAnswerKit } from '../bot/telegram/answerKit.ts';
import { stopImportSchedule } from '../bot/telegram/importCommand.ts';
import { openEngine } from '../bot/telegram/openEngine.ts';
import { startBot, type RunningBot } from '../bot/telegram/runBot.ts';
import { startGovSite, type GovSite } from './fixtures/site/govSite.ts';
import { SHIPPED_CORPUS } from './support/fixtureLetters.ts';
import { freePort } from './support/freePort.ts';

const TOKEN = '123456:IMPORT-token_for_the_emulator_only';
const ADMIN = 1001;
const STRANGER = 2002;

let server: TelegramServer;
let site: GovSite;
let running: RunningBot;
let workDir: string;
const logLines: string[] = [];
let edits = 0;
/** Every text an admin's message showed, edits included. */
const shownToAdmin = new Set<string>();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The bot's messages in a chat (edits applied), oldest first. */
function botMessages(chatId: number): { messageId: number; text: string }[] {
  return server.storage.botMessages
    .filter((u) => u.botToken === TOKEN && String(u.message.chat_id) === String(chatId))
    .map((u) => ({ messageId: u.messageId, text: String((u.message as unknown as { text?: string }).text ?? '') }));
}

async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = probe();
    if (value) return value;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what} (log: ${logLines.slice(-5).join(' | ')})`);
}

async function send(userId: number, text: string): Promise<number> {
  const client = server.getClient(TOKEN, { userId, chatId: userId, type: 'private', firstName: `User${userId}`, userName: `user${userId}`, timeout: 5000 });
  const before = botMessages(userId).length;
  if (text.startsWith('/')) await client.sendCommand(client.makeCommand(text));
  else await client.sendMessage(client.makeMessage(text));
  return before;
}

beforeAll(async () => {
  site = await startGovSite();
  workDir = await mkdtemp(path.join(os.tmpdir(), 'fuhan-import-bot-'));
  const corpus = path.join(workDir, 'letters');
  await cp(SHIPPED_CORPUS, corpus, { recursive: true });
  server = new TelegramServer({ port: await freePort(), host: '127.0.0.1', storeTimeout: 600 });
  await server.start();
  server.on('EditedMessageText', () => {
    edits++;
    for (const m of botMessages(ADMIN)) shownToAdmin.add(m.text);
  });
  const config = loadConfig({
    BOT_TOKEN: TOKEN,
    FUHAN_TELEGRAM_API: server.config.apiURL,
    FUHAN_CORPUS: corpus,
    FUHAN_INDEX: path.join(workDir, 'index'),
    FUHAN_DENSE: 'off',
    FUHAN_ADMINS: String(ADMIN),
    // The query-string (GBK) column is watched; the others are imported by hand below.
    FUHAN_IMPORT_URLS: site.layout.columns[1],
    FUHAN_IMPORT_EVERY: '2s',
    FUHAN_IMPORT_DELAY_MS: '20',
  });
  const log = (line: string) => logLines.push(line);
  const [engine, kit] = await Promise.all([openEngine(config, log), loadAnswerKit(log)]);
  running = await startBot({ config, engine, kit, log, throttle: false });
}, 120_000);

afterAll(async () => {
  if (running) stopImportSchedule(running.bot);
  await running?.stop();
  await server?.stop();
  await site?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('importing through the bot', () => {
  it('the schedule imports the watched column at start-up; its letters are answerable without a restart', async () => {
    await until('the scheduled import', () => logLines.find((l) => l.startsWith('scheduled import:')));
    expect(logLines.find((l) => l.startsWith('scheduled import:'))).toContain('"added":5');
    const before = await send(ADMIN, '怀远县非遗保护工作采取了哪些措施？');
    const answer = await until('an answer', () => botMessages(ADMIN).slice(before).find((m) => m.text.includes('<blockquote')));
    // The letter was linked as old?id=1 and redirected: its citation links to where it lives now.
    expect(answer.text).toContain(`href="${site.url}/tagk/detail?id=1"`);
  }, 90_000);

  it('the schedule re-checks the column: a letter changed on the site is answered from its new text', async () => {
    const name = [...site.layout.letters.values()].find((l) => l.source.endsWith('/tagk/detail?id=1'))!.name;
    site.changeLetter(name, (lines) => [...lines.slice(0, -2), '明年文化和旅游局将在全县新建三个花鼓灯传承教学基地。', ...lines.slice(-2)]);
    await until('the update', () => logLines.find((l) => l.startsWith('scheduled import:') && l.includes('"updated":1')), 30_000);
    const before = await send(ADMIN, '花鼓灯传承教学基地建几个？');
    const answer = await until('an answer', () => botMessages(ADMIN).slice(before).find((m) => m.text.includes('<blockquote')));
    expect(answer.text).toContain('明年文化和旅游局将在全县新建三个花鼓灯传承教学基地。');
  }, 60_000);

  it('an admin imports a column with /import: one message, edited from progress to the report', async () => {
    const editsBefore = edits;
    const before = await send(ADMIN, `/import ${site.layout.columns[0]}`);
    const report = await until('the import report', () => botMessages(ADMIN).slice(before).find((m) => m.text.startsWith('导入完成')));
    expect(botMessages(ADMIN).slice(before)).toHaveLength(1);
    // Progress, "updating the index", then the report: all in that one message.
    expect(edits - editsBefore).toBeGreaterThanOrEqual(3);
    expect([...shownToAdmin].some((t) => /^⏳ 已检查 \d+\/\d+ 篇：新增 \d+/.test(t))).toBe(true);
    expect(shownToAdmin.has('⏳ 正在更新索引…')).toBe(true);
    // Two of the column's letters are the shipped ones, already in the corpus: not imported twice.
    expect(report.text).toMatch(/^导入完成（3 个列表页）：新增 3，更新 0，未变 0，跳过 3/);
    expect(report.text).toContain(`跳过 ${site.url}/jyta/t_1.html：already in the corpus (qingdao-shanghe-mox.txt)`);
    expect(report.text).toContain('+ 衡阳市公安局 · 第268号 · 2022年7月24日 · 1 段');
    expect(report.text).toContain(`跳过 ${site.url}/private/secret.html：disallowed by robots.txt`);

    const asked = await send(ADMIN, '解放路商业区能设置微型车车位吗？');
    const answer = await until('an answer', () => botMessages(ADMIN).slice(asked).find((m) => m.text.includes('<blockquote')));
    expect(answer.text).toContain(`href="${site.url}/jyta/t_4.html"`);
  }, 90_000);

  it('a link sent by an admin imports that letter and says what it is', async () => {
    const link = `${site.url}/zxta/t_0.shtml`;
    const before = await send(ADMIN, link);
    const report = await until('the import report', () => botMessages(ADMIN).slice(before).find((m) => /^(已导入|未导入)/.test(m.text)));
    expect(report.text).toMatch(/^已导入：/);
    expect(report.text).toMatch(/发文单位：\S+/);
    expect(report.text).toMatch(/段落：[1-9]/);
    expect(report.text).toContain(`来源：${link}`);
    const again = await send(ADMIN, link);
    const second = await until('the second report', () => botMessages(ADMIN).slice(again).find((m) => /^(已导入过|未导入)/.test(m.text)));
    expect(second.text).toBe(`已导入过，内容未变：${link}`);
  }, 60_000);

  it('says exactly why a page was not imported, and refuses non-admins', async () => {
    const before = await send(ADMIN, `${site.url}/zxta/notice.shtml`);
    const report = await until('the refusal', () => botMessages(ADMIN).slice(before).find((m) => m.text.startsWith('未导入')));
    expect(report.text).toMatch(/^未导入：cannot classify the page/);
    const refused = await send(STRANGER, `/import ${site.layout.columns[2]}`);
    const reply = await until('the refusal', () => botMessages(STRANGER).slice(refused)[0]);
    expect(reply.text).toBe('只有管理员可以从网站导入复函。');
  }, 60_000);
});
