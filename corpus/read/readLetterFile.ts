import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { RawDocument, ReadResult } from '../letter.ts';
import { decodeText } from './decodeText.ts';
import { splitFrontMatter } from './frontMatter.ts';
import { letterIdFromPath } from './letterId.ts';
import { markdownToText, normalizeLines } from './plainText.ts';
import { htmlToText, sniffHtmlCharset } from './htmlToText.ts';
import { pdfToText } from './pdfToText.ts';
import { docxToText } from './docxToText.ts';

/** How a file is read. Every field is optional. */
export interface ReadOptions {
  /** Directory the letter id is relative to (see `letterIdFromPath`); default: the basename. */
  root?: string;
  /** Use this id instead of deriving one from the path (readCorpus uses it to de-duplicate). */
  id?: string;
  /** Files larger than this are skipped before reading. Default 20 MB. */
  maxBytes?: number;
  /** An HTML page with fewer Chinese characters than this in its main text has no letter. Default 50. */
  minCjkChars?: number;
}

/** Default size limit: a reply letter is a few KB; 20 MB leaves room for PDFs with images. */
export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;

type Format = RawDocument['format'];

const FORMAT_BY_EXTENSION: Record<string, Format> = {
  '.txt': 'txt',
  '.text': 'txt',
  '.md': 'md',
  '.markdown': 'md',
  '.html': 'html',
  '.htm': 'html',
  '.shtml': 'html',
  '.xhtml': 'html',
  '.pdf': 'pdf',
  '.docx': 'docx',
};

/** Formats people will try that we deliberately do not read, with the hint worth giving. */
const UNSUPPORTED_HINT: Record<string, string> = {
  '.doc': 'old Word .doc (save as .docx)',
  '.wps': 'WPS document (save as .docx)',
  '.rtf': 'RTF (save as .docx)',
};

/**
 * The format a file name maps to, or null for extensions the reader does not know.
 *
 * @example
 * formatOfFile('a/b/0963.HTM'); // 'html'
 * formatOfFile('notes.xyz');    // null
 */
export function formatOfFile(file: string): Format | null {
  return FORMAT_BY_EXTENSION[path.extname(file).toLowerCase()] ?? null;
}

function skipped(file: string, reason: string): ReadResult {
  // A reason is one line by contract; messages from libraries may not be.
  return { ok: false, file, reason: reason.replace(/\s*\n\s*/g, ' ').trim() };
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`;
}

function errorText(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') return error.code;
  return error instanceof Error ? error.message : String(error);
}

/** What a format reader hands back before the common checks. */
type Extracted = { ok: true; text: string; encoding?: string; containerTitle?: string; frontMatter?: RawDocument['frontMatter'] } | { ok: false; reason: string };

async function extract(format: Format, bytes: Uint8Array, options: ReadOptions): Promise<Extracted> {
  switch (format) {
    case 'txt':
    case 'md': {
      const decoded = decodeText(bytes);
      if (!decoded.ok) return decoded;
      const split = splitFrontMatter(normalizeLines(decoded.text));
      if (!split.ok) return split;
      const body = format === 'md' ? markdownToText(split.body) : split.body;
      return { ok: true, text: body, encoding: decoded.encoding, frontMatter: split.frontMatter };
    }
    case 'html': {
      const decoded = decodeText(bytes, sniffHtmlCharset(bytes) ?? undefined);
      if (!decoded.ok) return decoded;
      const page = htmlToText(decoded.text, { minCjkChars: options.minCjkChars });
      if (!page.ok) return page;
      return { ok: true, text: page.text, encoding: decoded.encoding, containerTitle: page.title };
    }
    case 'pdf':
      return pdfToText(bytes);
    case 'docx':
      return docxToText(bytes);
  }
}

/**
 * Read one letter file (.txt/.md/.html/.htm/.pdf/.docx) into a `RawDocument`, or say in one
 * line why it was skipped. Never throws: every failure (missing file, directory, too large,
 * empty, binary, undecodable, no letter text, broken PDF/DOCX) becomes `{ ok: false, reason }`.
 *
 * Text files are decoded by detection (UTF-8 with or without BOM, UTF-16 with BOM, GB18030/GBK…),
 * YAML front matter is split off and validated, and line endings are normalised.
 *
 * @example
 * const result = await readLetterFile('corpus/letters/chongqing-gangao-0963.txt', { root: 'corpus/letters' });
 * if (result.ok) console.log(result.doc.id, result.doc.encoding); // 'chongqing-gangao-0963' 'UTF-8'
 * else console.log(`skipped ${result.file}: ${result.reason}`);   // e.g. 'skipped x.bin: unknown extension .bin'
 */
export async function readLetterFile(file: string, options: ReadOptions = {}): Promise<ReadResult> {
  try {
    const extension = path.extname(file).toLowerCase();
    const format = formatOfFile(file);
    if (!format) {
      const hint = UNSUPPORTED_HINT[extension];
      return skipped(file, hint ? `unsupported format: ${hint}` : `unknown extension ${extension || '(none)'}`);
    }

    let size: number;
    try {
      const info = await stat(file);
      if (info.isDirectory()) return skipped(file, 'unreadable file (is a directory)');
      if (!info.isFile()) return skipped(file, `unreadable file (not a regular file${info.isFIFO() ? ': a FIFO' : info.isSocket() ? ': a socket' : ''})`);
      size = info.size;
    } catch (error) {
      return skipped(file, `unreadable file (${errorText(error)})`);
    }
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    if (size > maxBytes) return skipped(file, `file too large (${megabytes(size)} > ${megabytes(maxBytes)} limit)`);
    if (size === 0) return skipped(file, 'empty file');

    let bytes: Uint8Array;
    try {
      bytes = await readFile(file);
    } catch (error) {
      return skipped(file, `unreadable file (${errorText(error)})`);
    }
    if (bytes.length === 0) return skipped(file, 'empty file');

    const extracted = await extract(format, bytes, options);
    if (!extracted.ok) return skipped(file, extracted.reason);
    const text = normalizeLines(extracted.text);
    if (text.trim() === '') return skipped(file, 'empty file (no text)');

    const doc: RawDocument = {
      file,
      id: options.id ?? letterIdFromPath(file, options.root),
      format,
      text,
      frontMatter: extracted.frontMatter ?? {},
    };
    if (extracted.encoding) doc.encoding = extracted.encoding;
    const title = extracted.containerTitle?.replace(/\s+/g, ' ').trim();
    if (title) doc.containerTitle = title;
    return { ok: true, doc };
  } catch (error) {
    // Last line of defence: a library bug on hostile input must not take the corpus run down.
    return skipped(file, `unreadable file (${errorText(error)})`);
  }
}

export { letterIdFromPath } from './letterId.ts';
