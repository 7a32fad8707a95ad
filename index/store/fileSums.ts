/**
 * Durable, checksummed index files. Every file a generation holds is written through here (or
 * summed after a library wrote it), fsynced before the CURRENT swap, and listed in the manifest
 * with its length and CRC-32; opening re-reads each file and compares, so a flipped byte, a
 * truncation or a file from another generation is one clear IndexError naming the file — never a
 * changed quote. (CRC-32 from Node's zlib: ~1.5 GB/s here, three times SHA-256's speed; it is a
 * check against damage, not against an attacker who can write the index folder.)
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { z } from 'zod';
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
 * `workerAbove`: bytes above which the worker is used (default 32 MB). `recorded`: a record of sums
 * (see recordSums): files it vouches for are not read again.
 *
 * @example await verifyFiles(dir, manifest.checksums, ['texts.bin', 'spans.bin']);
 */
export async function verifyFiles(dir: string, sums: Record<string, FileSum>, allFiles: string[], options: { workerAbove?: number; recorded?: string } = {}): Promise<void> {
  for (const f of allFiles) {
    if (!sums[f]) throw new IndexError(`the index at ${dir} is corrupt: its manifest has no checksum of ${f}: run \`fuhan build --full\``, { kind: 'corrupt', file: f });
  }
  const files = options.recorded ? await unrecorded(dir, sums, allFiles, options.recorded) : allFiles;
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

/**
 * A file as a record of sums knows it: where it is (device, inode), its length, modification and change times (ns),
 * and the CRC-32 it had then. Any write to the file through the file system moves its modification time on (and its
 * change time, even when the modification time is set back; a rename over it changes its inode), so a file that
 * still matches still has that content — the check git's index makes of a
 * working tree. The base segment of a layered index (2.7 GB at 100,000 letters, shared by every delta written on it)
 * is then not read and summed again by each incremental build: ≈ 1.1 s of CPU per build there.
 */
const RecordSchema = z.record(z.string(), z.object({ dev: z.string(), ino: z.string(), bytes: z.number(), mtimeNs: z.string(), ctimeNs: z.string(), crc32: z.number() }));
type Recorded = z.infer<typeof RecordSchema>;

/**
 * A file modified less than this long before it was recorded is not recorded: a write right after could leave the
 * same (coarse, jiffy-grained) modification time (git's "racily clean" files). Such a file is summed next time.
 */
const RACY_NS = 2_000_000_000n;

function identity(file: string): { dev: string; ino: string; bytes: number; mtimeNs: bigint; ctimeNs: bigint } | null {
  const s = statSync(file, { bigint: true, throwIfNoEntry: false });
  return s ? { dev: String(s.dev), ino: String(s.ino), bytes: Number(s.size), mtimeNs: s.mtimeNs, ctimeNs: s.ctimeNs } : null;
}

/**
 * Records the sums of `files` of `dir` (known good: just written, or just verified) in `recordFile`, with each
 * file's identity (taken after the build's last link or unlink of it: both move a file's change time on), so that verifyFiles with `recorded` need not read them again while they are unchanged. A cache:
 * written without fsync, and a missing or unreadable record only means the files are summed.
 *
 * @example await recordSums(dir, manifest.checksums, ['texts.bin', 'lexical.bin'], 'data/index/verified/gen-1.json');
 */
export async function recordSums(dir: string, sums: Record<string, FileSum>, files: string[], recordFile: string): Promise<void> {
  const now = BigInt(Date.now()) * 1_000_000n;
  const record: Recorded = {};
  for (const f of files) {
    const id = sums[f] ? identity(path.join(dir, f)) : null;
    if (!id || id.bytes !== sums[f].bytes || id.mtimeNs > now - RACY_NS) continue;
    record[f] = { dev: id.dev, ino: id.ino, bytes: id.bytes, mtimeNs: String(id.mtimeNs), ctimeNs: String(id.ctimeNs), crc32: sums[f].crc32 };
  }
  await fs.mkdir(path.dirname(recordFile), { recursive: true });
  const tmp = `${recordFile}.${process.pid}.tmp`;
  await fs.writeFile(tmp, JSON.stringify(record));
  await fs.rename(tmp, recordFile);
}

/** The files the record does not vouch for (not in it, or changed since, or with other sums than the manifest's). */
async function unrecorded(dir: string, sums: Record<string, FileSum>, files: string[], recordFile: string): Promise<string[]> {
  const text = await fs.readFile(recordFile, 'utf8').catch(() => null);
  let record: Recorded = {};
  try {
    if (text !== null) record = RecordSchema.parse(JSON.parse(text));
  } catch {
    record = {};
  }
  return files.filter((f) => {
    const r = record[f];
    if (!r || r.bytes !== sums[f].bytes || r.crc32 !== sums[f].crc32) return true;
    const id = identity(path.join(dir, f));
    return !id || id.dev !== r.dev || id.ino !== r.ino || id.bytes !== r.bytes || String(id.mtimeNs) !== r.mtimeNs || String(id.ctimeNs) !== r.ctimeNs;
  });
}
