/**
 * Admins add letters by sending the file to the bot. The file is downloaded, read and parsed
 * exactly as the corpus reader would (so a letter that would be skipped is rejected with the same
 * reason), saved into the first corpus folder under a name that never overwrites another letter,
 * and the index is rebuilt incrementally and swapped in. The reply says what was understood.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Context } from 'grammy';
import type { Document } from 'grammy/types';
import { parseLetter } from '../../corpus/parseLetter.ts';
import { findSignature } from '../../corpus/parse/signature.ts';
import { letterIdFromPath } from '../../corpus/read/letterId.ts';
import { readLetterFile } from '../../corpus/read/readLetterFile.ts';
import type { Letter } from '../../corpus/letter.ts';
import { DEFAULT_UPLOAD_MAX_BYTES } from '../config.ts';
import { formatDate } from '../answer/answerLabels.ts';
import { isAdmin } from './access.ts';
import type { BotDeps } from './botDeps.ts';
import { chooseLanguage, textsFor, type BotTexts, type LetterSignal } from './botTexts.ts';

/** Extensions an admin may upload (what the corpus reader understands). */
export const UPLOAD_EXTENSIONS = ['.txt', '.html', '.htm', '.pdf', '.docx', '.md'];

const EXTENSION_BY_MIME: Record<string, string> = {
  'text/plain': '.txt',
  'text/html': '.html',
  'text/markdown': '.md',
  'application/pdf': '.pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': '.docx',
};

/** Outcome of an upload, for the reply and for tests. */
export type UploadOutcome =
  | { ok: true; file: string; letter: Letter; passages: number }
  | { ok: false; reason: string; duplicateOf?: string };

/**
 * A safe file name for a corpus folder: the original name's base (letters, digits, CJK, `._-`),
 * never a path, never hidden, with an allowed extension.
 *
 * @example
 * safeLetterFileName('../../etc/重庆 0963号.TXT') // → '重庆-0963号.txt'
 */
export function safeLetterFileName(original: string, fallbackExt = '.txt'): string {
  const base = path.basename(original.replace(/\\/g, '/'));
  let ext = path.extname(base).toLowerCase();
  if (!UPLOAD_EXTENSIONS.includes(ext)) ext = fallbackExt;
  const stem = path
    .basename(base, path.extname(base))
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}._-]+/gu, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 100);
  return `${stem || 'letter'}${ext}`;
}

/**
 * Writes `data` into `dir` under `name`, or `name-2`, `name-3`… if taken; never overwrites
 * (`wx` makes the check and the write one step). Returns the path written, or the existing path
 * when an identical file is already there.
 *
 * @example
 * await saveWithoutOverwrite('/corpus', 'a.txt', bytes) // → { file: '/corpus/a-2.txt', duplicate: false }
 */
export async function saveWithoutOverwrite(dir: string, name: string, data: Uint8Array): Promise<{ file: string; duplicate: boolean }> {
  const ext = path.extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let i = 1; i < 1000; i++) {
    const file = path.join(dir, i === 1 ? name : `${stem}-${i}${ext}`);
    if (existsSync(file)) {
      const existing = await readFile(file).catch(() => null);
      if (existing && Buffer.compare(existing, Buffer.from(data)) === 0) return { file, duplicate: true };
      continue;
    }
    try {
      await writeFile(file, data, { flag: 'wx' });
      return { file, duplicate: false };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw err;
    }
  }
  throw new Error(`too many files named like ${name}`);
}

/**
 * A file under `dir` (recursively) with exactly these bytes, if any: the same letter sent twice
 * under another name must not become two letters. Sizes are compared first, so this reads only
 * files of the same length.
 *
 * @example
 * await findIdenticalFile('/corpus', bytes) // → '/corpus/qingdao-shanghe-mox.txt' or undefined
 */
export async function findIdenticalFile(dir: string, data: Uint8Array): Promise<string | undefined> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch {
    return undefined;
  }
  const wanted = Buffer.from(data);
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath ?? dir, entry.name);
    const info = await stat(file).catch(() => null);
    if (!info || info.size !== wanted.length) continue;
    const existing = await readFile(file).catch(() => null);
    if (existing && existing.equals(wanted)) return file;
  }
  return undefined;
}

/** Downloads a Telegram file (or reads it, for a local Bot API server that returns absolute paths). */
async function downloadFile(ctx: Context, deps: BotDeps, fileId: string, maxBytes: number): Promise<Uint8Array> {
  const file = await ctx.api.getFile(fileId);
  if (!file.file_path) throw new Error('Telegram did not return a file path');
  if (path.isAbsolute(file.file_path) && existsSync(file.file_path)) return readFile(file.file_path);
  const apiRoot = (deps.config.telegramApi ?? 'https://api.telegram.org').replace(/\/+$/, '');
  const url = `${apiRoot}/file/bot${ctx.api.token}/${file.file_path}`;
  const res = await fetch(url, { signal: AbortSignal.timeout(60_000) });
  if (!res.ok || !res.body) throw new Error(`download failed (HTTP ${res.status})`);
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw new Error(`file larger than ${maxBytes} bytes`);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
    total += chunk.length;
    if (total > maxBytes) throw new Error(`file larger than ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Phrases a reply letter uses to acknowledge the proposal or report on it. */
const REPLY_PHRASE = /收悉|答复如下|答复|办理情况|办理结果|复函|来信/;

/**
 * Which signs of a reply letter the parsed file shows, from the parser's own findings: an addressee
 * or salutation (`王义代表：`), a reply phrase (收悉, 答复如下, 办理情况…), a signature or a date.
 * A letter shows at least two; a shopping list or a stray note shows none or one.
 *
 * @example
 * letterSignals(parseLetter(doc)) // → ['addressee', 'replyPhrase', 'signature'] for a real letter, [] for 'milk\neggs'
 */
export function letterSignals(letter: Letter): LetterSignal[] {
  const signature = findSignature(letter.text.split('\n'));
  const found: LetterSignal[] = [];
  if (letter.addressees.length > 0) found.push('addressee');
  if (REPLY_PHRASE.test(letter.text)) found.push('replyPhrase');
  if (signature.issuer !== null || signature.dateLine >= 0 || letter.date !== null) found.push('signature');
  return found;
}

/** Reads and parses uploaded bytes as the corpus reader would; a reason on failure (also when it is not a letter). */
async function validateLetter(name: string, data: Uint8Array, t: BotTexts): Promise<{ ok: true; letter: Letter } | { ok: false; reason: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'fuhan-upload-'));
  try {
    const file = path.join(dir, name);
    await writeFile(file, data);
    const read = await readLetterFile(file);
    if (!read.ok) return { ok: false, reason: read.reason };
    const letter = parseLetter(read.doc);
    if (letter.text.trim() === '') return { ok: false, reason: 'no letter text found in the file' };
    const found = letterSignals(letter);
    if (found.length < 2) {
      const all: LetterSignal[] = ['addressee', 'replyPhrase', 'signature'];
      return { ok: false, reason: t.notALetter(all.filter((s) => !found.includes(s))) };
    }
    return { ok: true, letter };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Adds an uploaded letter to the corpus and the index (admins only). Replies in the chat.
 *
 * @example
 * bot.on('message:document', (ctx) => handleLetterUpload(ctx, deps));
 */
export async function handleLetterUpload(ctx: Context, deps: BotDeps): Promise<UploadOutcome | undefined> {
  const document: Document | undefined = ctx.message?.document;
  if (!document) return undefined;
  const lang = chooseLanguage(ctx.message?.caption, ctx.from?.language_code);
  const t = textsFor(lang);
  // In groups people share files all the time, admins included: only a private chat is an upload.
  if (ctx.chat?.type !== 'private') return undefined;
  if (!isAdmin(deps.config, ctx.from?.id)) {
    await ctx.reply(t.uploadNotAdmin);
    return { ok: false, reason: 'not an admin' };
  }
  const fallbackExt = EXTENSION_BY_MIME[document.mime_type ?? ''] ?? '';
  const originalExt = path.extname(document.file_name ?? '').toLowerCase() || fallbackExt;
  if (!UPLOAD_EXTENSIONS.includes(originalExt)) {
    await ctx.reply(t.uploadBadType(originalExt || '?'));
    return { ok: false, reason: `unsupported type ${originalExt}` };
  }
  const maxBytes = deps.config.uploadMaxBytes ?? DEFAULT_UPLOAD_MAX_BYTES;
  if ((document.file_size ?? 0) > maxBytes) {
    await ctx.reply(t.uploadTooBig((maxBytes / 1024 / 1024).toFixed(1)));
    return { ok: false, reason: 'too large' };
  }
  await ctx.reply(t.uploadReceived);

  const name = safeLetterFileName(document.file_name ?? `letter-${document.file_unique_id}${originalExt}`, originalExt);
  let data: Uint8Array;
  try {
    data = await downloadFile(ctx, deps, document.file_id, maxBytes);
  } catch (err) {
    return reject(ctx, t, err instanceof Error ? err.message : String(err));
  }
  const check = await validateLetter(name, data, t);
  if (!check.ok) return reject(ctx, t, check.reason);

  const corpusDir = deps.config.corpusDirs[0];
  if (!corpusDir) return reject(ctx, t, 'no corpus folder configured');
  await mkdir(corpusDir, { recursive: true });
  for (const dir of deps.config.corpusDirs) {
    const same = await findIdenticalFile(dir, data);
    if (same) {
      await ctx.reply(t.uploadSameFile(path.relative(dir, same)));
      return { ok: false, reason: 'duplicate', duplicateOf: same };
    }
  }
  const saved = await saveWithoutOverwrite(corpusDir, name, data);
  if (saved.duplicate) {
    await ctx.reply(t.uploadSameFile(path.basename(saved.file)));
    return { ok: false, reason: 'duplicate', duplicateOf: saved.file };
  }
  try {
    await deps.engine.reload();
  } catch (err) {
    // The index could not take the letter: take the file back out so corpus and index agree.
    await rm(saved.file, { force: true });
    return reject(ctx, t, `index update failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  // The index decides the id (a stem already taken by another file gets a suffix, e.g. zz~2): find the letter by its file.
  const savedPath = path.resolve(saved.file);
  const id = deps.engine.current.letters().find((l) => path.resolve(l.file) === savedPath)?.id ?? letterIdFromPath(saved.file, corpusDir);
  const passages = deps.engine.current.passagesOf(id).length;
  const letter = deps.engine.current.letter(id) ?? check.letter;
  deps.log(`letter uploaded by ${ctx.from?.id}: ${saved.file} (${passages} passages)`);
  await ctx.reply(
    t.uploadSaved({
      file: path.basename(saved.file),
      issuer: letter.issuer ?? t.unknown,
      proposal: letter.proposal ?? t.unknown,
      date: letter.date ? formatDate(letter.date, lang) : t.unknown,
      title: letter.title || t.unknown,
      passages,
    }),
  );
  return { ok: true, file: saved.file, letter, passages };
}

async function reject(ctx: Context, t: ReturnType<typeof textsFor>, reason: string): Promise<UploadOutcome> {
  await ctx.reply(t.uploadRejected(reason));
  return { ok: false, reason };
}
