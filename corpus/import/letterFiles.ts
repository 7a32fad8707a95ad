/**
 * Where an imported letter goes on disk and how it gets there: a file named after its URL
 * (`<host>/<path>`, so ids are stable and readable), checked by the corpus reader and parser
 * exactly as a build would read it, then moved into place with its source record — each by a
 * rename, so a killed import leaves either the old file or the new one, never half of one.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bodyStart, type Letter } from '../letter.ts';
import { parseLetter } from '../parseLetter.ts';
import { cutPassages } from '../passages.ts';
import { letterIdFromPath } from '../read/letterId.ts';
import { formatOfFile, readLetterFile } from '../read/readLetterFile.ts';
import { IMPORT_STATE_DIR } from './importJournal.ts';
import { recordFileOf, type SourceRecord } from './sourceRecord.ts';

/** The file extension for fetched bytes: by their magic number, then the Content-Type, then the URL. */
export function extensionFor(bytes: Uint8Array, contentType: string, url: string): string {
  const head = Buffer.from(bytes.subarray(0, 8));
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return '.pdf';
  if (head.readUInt32BE(0) === 0xd0cf11e0) return '.doc';
  const urlExt = path.extname(new URL(url).pathname).toLowerCase();
  if (head.subarray(0, 4).toString('latin1') === 'PK\u0003\u0004') return urlExt === '.wps' ? '.wps' : '.docx';
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type === 'application/pdf') return '.pdf';
  if (type.includes('wordprocessingml')) return '.docx';
  if (type === 'application/msword') return '.doc';
  if (type === 'text/html' || type === 'application/xhtml+xml') return '.html';
  if (urlExt && formatOfFile(`x${urlExt}`)) return urlExt;
  return type === 'text/plain' ? '.txt' : '.html';
}

function slug(part: string): string {
  return (
    decodeURIComponentSafe(part)
      .normalize('NFC')
      .replace(/[^\p{L}\p{N}._-]+/gu, '-')
      .replace(/^[-.]+|[-.]+$/g, '')
      .slice(0, 80) || 'index'
  );
}

function decodeURIComponentSafe(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/**
 * The corpus-relative file for a letter fetched from `url`.
 *
 * @example
 * letterFileFor('https://www.example.gov.cn/jyta/t20240724_1.html', '.html') // → 'www.example.gov.cn/jyta/t20240724_1.html'
 * letterFileFor('http://127.0.0.1:8080/detail?id=7', '.pdf')                 // → '127.0.0.1_8080/detail-id-7.pdf'
 */
export function letterFileFor(url: string, ext: string): string {
  const u = new URL(url);
  const segments = u.pathname.split('/').filter(Boolean).map(slug);
  let last = segments.pop() ?? 'index';
  if (u.search) last = `${last}-${slug(u.search.slice(1))}`;
  const currentExt = path.extname(last).toLowerCase();
  const sameFormat = currentExt && formatOfFile(`x${currentExt}`) === formatOfFile(`x${ext}`);
  if (!sameFormat) last = `${currentExt ? last.slice(0, -currentExt.length) : last}${ext}`;
  return [u.host.replace(/:/g, '_'), ...segments, last].join('/');
}

export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A letter read and parsed from fetched bytes, ready to be moved into the corpus. */
export interface StagedLetter {
  letter: Letter;
  passages: number;
  textHash: string;
  /** Moves the file and its record into place (record first: a record without its page is ignored). */
  commit(record: SourceRecord): Promise<void>;
  discard(): Promise<void>;
}

/**
 * Writes `bytes` to a staging file inside the corpus folder (same file system: the final move is
 * a rename) and reads it as the corpus reader would. A reason when it is not a letter.
 *
 * @example
 * const staged = await stageLetter('corpus/letters', 'www.x.gov.cn/jyta/t1.html', bytes);
 * if (staged.ok) await staged.commit(record);
 */
export async function stageLetter(corpusDir: string, relFile: string, bytes: Uint8Array, source?: string): Promise<({ ok: true } & StagedLetter) | { ok: false; reason: string }> {
  const staging = path.join(corpusDir, IMPORT_STATE_DIR, 'staging');
  await mkdir(staging, { recursive: true });
  const target = path.join(corpusDir, relFile);
  const temp = path.join(staging, `${randomUUID()}${path.extname(relFile)}`);
  await writeFile(temp, bytes);
  const discard = (): Promise<void> => rm(temp, { force: true });
  const read = await readLetterFile(temp, { id: letterIdFromPath(target, corpusDir) });
  if (!read.ok) {
    await discard();
    return { ok: false, reason: read.reason };
  }
  const frontMatter = source && !read.doc.frontMatter.source ? { ...read.doc.frontMatter, source } : read.doc.frontMatter;
  const letter = parseLetter({ ...read.doc, file: target, frontMatter });
  if (letter.text.trim() === '') {
    await discard();
    return { ok: false, reason: 'no letter text found' };
  }
  return {
    ok: true,
    letter,
    passages: cutPassages(letter).length,
    textHash: letterTextHash(letter),
    discard,
    async commit(record) {
      await mkdir(path.dirname(target), { recursive: true });
      const recordTemp = `${temp}.record`;
      await writeFile(recordTemp, `${JSON.stringify(record, null, 2)}\n`);
      await rename(recordTemp, recordFileOf(target));
      await rename(temp, target);
    },
  };
}

/**
 * What makes two copies the same letter: the body's text without white space. The header block
 * (索引号, 发布日期 … of the page it was published on) and line breaks differ between a site's page
 * and a saved copy of the same letter, so they are left out.
 */
export function letterTextHash(letter: Pick<Letter, 'text' | 'header'>): string {
  return sha256(letter.text.slice(bodyStart(letter)).replace(/\s+/g, ''));
}
