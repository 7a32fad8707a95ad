/**
 * Issue #17, finding 4: an admin's upload is taken as a letter only when it looks like one. The real
 * bot polls a fake Bot API on 127.0.0.1, which hands it the document and serves the file's bytes the
 * way Telegram does (getFile, then /file/bot<token>/<path>); the bot's replies are read off the API.
 */
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../bot/config.ts';
import { loadAnswerKit } from '../bot/telegram/answerKit.ts';
import type { EngineHolder } from '../bot/telegram/engineHolder.ts';
import { openEngine } from '../bot/telegram/openEngine.ts';
import { startBot, type RunningBot } from '../bot/telegram/runBot.ts';
import { FakeBotApi } from './support/fakeBotApi.ts';

const ROOT = path.resolve(__dirname, '..');
const TOKEN = '123456:FAKE-token_for_upload_tests_only';
const ADMIN = 4242;
const SHOPPING_LIST = 'milk\neggs\nbread\n';
const REAL_LETTER = path.join(ROOT, 'tests/fixtures/letters/025_shapingba-jiaotong-DH0271-jianyi.txt');

let workDir: string;
let corpusDir: string;
let fake: FakeBotApi;
let engine: EngineHolder;
let running: RunningBot;

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'fuhan-ops-upload-'));
  corpusDir = path.join(workDir, 'corpus');
  await mkdir(corpusDir);
  for (const name of await readdir(path.join(ROOT, 'corpus/letters'))) await copyFile(path.join(ROOT, 'corpus/letters', name), path.join(corpusDir, name));
  fake = await new FakeBotApi().start();
  const config = loadConfig({
    BOT_TOKEN: TOKEN,
    FUHAN_TELEGRAM_API: fake.url,
    FUHAN_ADMINS: String(ADMIN),
    FUHAN_CORPUS: corpusDir,
    FUHAN_INDEX: path.join(workDir, 'index'),
    FUHAN_DENSE: 'off',
  });
  const quiet = () => undefined;
  const [opened, kit] = await Promise.all([openEngine(config, quiet), loadAnswerKit(quiet)]);
  engine = opened;
  running = await startBot({ config, engine, kit, log: quiet, throttle: false, statusFile: false });
}, 120_000);

afterAll(async () => {
  await running?.stop();
  await fake?.stop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

/** Sends a document as the admin and returns the bot's replies to it, once the last one is in. */
async function upload(fileName: string, data: Buffer, lastReply: RegExp): Promise<string[]> {
  const before = fake.callsOf('sendMessage').length;
  fake.pushDocument(ADMIN, fileName, data);
  const replies = () => fake.callsOf('sendMessage').slice(before).map((c) => String(c.payload.text));
  await fake.waitFor(() => replies().some((t) => lastReply.test(t)), 60_000, `a reply matching ${lastReply}`);
  return replies();
}

describe('finding 4: an upload is added as a letter only when it looks like one', () => {
  it('refuses a shopping list, saying which signs of a reply letter are missing, and keeps the corpus as it was', async () => {
    const files = await readdir(corpusDir);
    const letters = engine.current.letters().length;
    const replies = await upload('shopping.txt', Buffer.from(SHOPPING_LIST), /does not look like a reply letter/);
    const refusal = replies.find((t) => /does not look like a reply letter/.test(t))!;
    expect(refusal).toContain('no addressee or salutation');
    expect(refusal).toContain('no reply phrase (such as 收悉, 答复如下, 办理情况)');
    expect(refusal).toContain('no signature or date');
    expect(fake.callsOf('getFile').at(-1)!.payload.file_id).toBeDefined();
    expect(await readdir(corpusDir)).toEqual(files);
    expect(engine.current.letters()).toHaveLength(letters);
    expect(engine.current.letters().some((l) => l.text.includes('eggs'))).toBe(false);
  }, 90_000);

  it('through the same path, a real reply letter is added (the refusal is not a broken download)', async () => {
    const letters = engine.current.letters().length;
    await upload(path.basename(REAL_LETTER), await readFile(REAL_LETTER), /^Added /m);
    expect(await readdir(corpusDir)).toContain(path.basename(REAL_LETTER));
    expect(engine.current.letters()).toHaveLength(letters + 1);
  }, 120_000);
});
