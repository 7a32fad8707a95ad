/**
 * Durable, checksummed index files. Every file a generation holds is written through here (or
 * summed after a library wrote it), fsynced before the CURRENT swap, and listed in the manifest
 * with its length and CRC-32; opening re-reads each file and compares, so a flipped byte, a
 * truncation or a file from another generation is one clear IndexError naming the file — never a
 * changed quote. (CRC-32 from Node's zlib: ~1.5 GB/s here, three times SHA-256's speed; it is a
 * check against damage, not against an attacker who can write the index folder.)
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { IndexError } from './indexManifest.ts';

/** A file's length and CRC-32, as the manifest lists them. */
export interface FileSum {
  bytes: number;
  crc32: number;
}

/**
 * The sum of `data`, or of what came before followed by `data`.
 *
 * @example sumOf(Buffer.from('abc')) // → { bytes: 3, crc32: 891568578 }
 */
export function sumOf(data: Uint8Array, before: FileSum = { bytes: 0, crc32: 0 }): FileSum {
  // Node 20's crc32 of an empty view onto an empty ArrayBuffer is 0, whatever the running value.
  if (data.byteLength === 0) return before;
  return { bytes: before.bytes + data.byteLength, crc32: crc32(data, before.crc32) };
}

/**
 * A write that failed: the file and the system's reason (ENOSPC, EFBIG, EACCES…).
 *
 * @example new WriteError('data/index/gen-1/texts.bin', err).message // → 'could not write data/index/gen-1/texts.bin (ENOSPC: no space left on device)'
 */
export class WriteError extends Error {
  readonly file: string;
  readonly code: string | undefined;
  constructor(file: string, cause: unknown) {
    const code = (cause as NodeJS.ErrnoException)?.code;
    const detail = cause instanceof Error ? cause.message.replace(/^[A-Z]+: /, '').split(',')[0] : String(cause);
    super(`could not write ${file} (${code ? `${code}: ` : ''}${detail})`, { cause });
    this.name = 'WriteError';
    this.file = file;
    this.code = code;
  }
}

/** Runs a write of `file`, turning any failure into a WriteError naming it. */
export async function writing<T>(file: string, task: () => Promise<T>): Promise<T> {
  try {
    return await task();
  } catch (e) {
    throw e instanceof WriteError ? e : new WriteError(file, e);
  }
}

/**
 * Writes `data` to `file`, fsyncs it, and returns its sum.
 *
 * @example const sum = await writeDurably(path.join(dir, 'letters.json'), JSON.stringify(stored));
 */
export function writeDurably(file: string, data: string | Uint8Array): Promise<FileSum> {
  return writing(file, async () => {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const handle = await fs.open(file, 'w');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return sumOf(bytes);
  });
}

/**
 * fsyncs a file or a folder (a folder's entries — the names of new files — are durable only then).
 *
 * @example await syncPath(generationDir);
 */
export function syncPath(file: string): Promise<void> {
  return writing(file, async () => {
    const handle = await fs.open(file, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  });
}

/** Read size of sumFile: large enough for few calls, small enough not to hold a 450 MB file in memory. */
const CHUNK = 4 << 20;

/**
 * Sum of a file on disk, read in chunks; `sync` also fsyncs it (for files a library wrote).
 *
 * @example const sum = await sumFile('data/index/gen-1/vectors.hnsw');
 */
export async function sumFile(file: string, options: { sync?: boolean } = {}): Promise<FileSum> {
  const handle = await fs.open(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    let sum: FileSum = { bytes: 0, crc32: 0 };
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, CHUNK, null);
      if (bytesRead === 0) break;
      sum = sumOf(buf.subarray(0, bytesRead), sum);
    }
    if (options.sync) await handle.sync();
    return sum;
  } finally {
    await handle.close();
  }
}

/**
 * Checks the files of a generation against the sums its manifest lists. A file that is missing,
 * of another length or another CRC is an IndexError (kind 'corrupt') naming it.
 *
 * @example await verifyFiles(dir, manifest.checksums, ['texts.bin', 'spans.bin']);
 */
export async function verifyFiles(dir: string, sums: Record<string, FileSum>, files: string[]): Promise<void> {
  // Two at a time: enough to overlap reading and summing, and the other reads of a load go on beside.
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const f = files[next++];
      const expected = sums[f];
      if (!expected) throw new IndexError(`the index at ${dir} is corrupt: its manifest has no checksum of ${f}: run \`fuhan build --full\``, { kind: 'corrupt', file: f });
      let found: FileSum;
      try {
        found = await sumFile(path.join(dir, f));
      } catch (e) {
        throw new IndexError(`the index at ${dir} is missing ${f} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): run \`fuhan build --full\``, { kind: 'corrupt', file: f });
      }
      if (found.bytes !== expected.bytes || found.crc32 !== expected.crc32) {
        const what = found.bytes !== expected.bytes ? `${found.bytes} bytes, the manifest says ${expected.bytes}` : 'its checksum does not match the manifest';
        throw new IndexError(`the index at ${dir} is corrupt: ${f} is damaged (${what}): run \`fuhan build --full\``, { kind: 'corrupt', file: f });
      }
    }
  };
  await Promise.all([worker(), worker()]);
}

/**
 * A letter text's hash, as the manifest records it: what the answer path checks a letter against
 * before quoting it (see SearchEngine.letter).
 *
 * @example textHash('经研究，现答复如下') // → '6a1f…' (32 hex digits)
 */
export function textHash(text: string): string {
  return createHash('sha256').update(text, 'utf16le').digest('hex').slice(0, 32);
}
