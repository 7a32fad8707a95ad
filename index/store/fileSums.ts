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

/** Above this many bytes, files are summed on a worker thread, beside the load (see verifyFiles). */
const WORKER_BYTES = 32 << 20;

/** The worker: sums each file it is given, in order, and posts them back (plain JS: no loader needed). */
const SUM_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { crc32 } = require('node:zlib');
const buf = Buffer.allocUnsafe(${CHUNK});
parentPort.postMessage(workerData.map((file) => {
  let fd;
  try {
    fd = fs.openSync(file, 'r');
    let bytes = 0, crc = 0, n;
    while ((n = fs.readSync(fd, buf, 0, buf.length, null)) > 0) { bytes += n; crc = crc32(buf.subarray(0, n), crc); }
    return { bytes, crc32: crc };
  } catch (e) {
    return { error: e.code || e.message };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}));
`;

type SumResult = FileSum | { error: string };

/** Sums of the files, on a worker thread (the main thread meanwhile parses what the load read). */
async function sumOnWorker(files: string[]): Promise<SumResult[]> {
  const { Worker } = await import('node:worker_threads');
  return new Promise((resolve, reject) => {
    const worker = new Worker(SUM_WORKER, { eval: true, workerData: files });
    worker.once('message', (sums: SumResult[]) => {
      resolve(sums);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

async function sumHere(files: string[]): Promise<SumResult[]> {
  const out: SumResult[] = [];
  for (const f of files) out.push(await sumFile(f).catch((e: NodeJS.ErrnoException) => ({ error: e.code ?? e.message })));
  return out;
}

/**
 * Checks the files of a generation against the sums its manifest lists. A file that is missing,
 * of another length or another CRC is an IndexError (kind 'corrupt') naming it. A large index is
 * summed on a worker thread: at 10,000 letters (248 MB) summing takes 150–190 ms, which would
 * otherwise hold up the load's parsing on the main thread.
 *
 * `workerAbove`: bytes above which the worker is used (default 32 MB).
 *
 * @example await verifyFiles(dir, manifest.checksums, ['texts.bin', 'spans.bin']);
 */
export async function verifyFiles(dir: string, sums: Record<string, FileSum>, files: string[], options: { workerAbove?: number } = {}): Promise<void> {
  for (const f of files) {
    if (!sums[f]) throw new IndexError(`the index at ${dir} is corrupt: its manifest has no checksum of ${f}: run \`fuhan build --full\``, { kind: 'corrupt', file: f });
  }
  const total = files.reduce((n, f) => n + sums[f].bytes, 0);
  const paths = files.map((f) => path.join(dir, f));
  const found = total > (options.workerAbove ?? WORKER_BYTES) ? await sumOnWorker(paths) : await sumHere(paths);
  files.forEach((f, i) => {
    const expected = sums[f];
    const got = found[i];
    if ('error' in got) throw new IndexError(`the index at ${dir} is missing ${f} (${got.error}): run \`fuhan build --full\``, { kind: 'corrupt', file: f });
    if (got.bytes !== expected.bytes || got.crc32 !== expected.crc32) {
      const what = got.bytes !== expected.bytes ? `${got.bytes} bytes, the manifest says ${expected.bytes}` : 'its checksum does not match the manifest';
      throw new IndexError(`the index at ${dir} is corrupt: ${f} is damaged (${what}): run \`fuhan build --full\``, { kind: 'corrupt', file: f });
    }
  });
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
