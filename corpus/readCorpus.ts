import { statSync, type Stats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { recordedSource } from './import/sourceRecord.ts';
import type { RawDocument } from './letter.ts';
import { letterIdFromPath } from './read/letterId.ts';
import { formatOfFile, readLetterFile, type ReadOptions } from './read/readLetterFile.ts';

/** Options for reading a whole corpus; the per-file ones are those of `readLetterFile`. */
export interface ReadCorpusOptions extends Omit<ReadOptions, 'root' | 'id'> {
  /** Files read at the same time. Default 4: enough to overlap I/O with PDF parsing, cheap on 2 cores. */
  concurrency?: number;
  /**
   * Asked, with each file's size and modification time, whether it is known unchanged (an index
   * that recorded them). Such files are not read: they are listed in `unchanged`, with their id.
   */
  isUnchanged?: (file: string, stats: FileStats) => boolean;
  /**
   * Ids given earlier (an index's), by resolved file path: each such file keeps its id, and only the
   * others are assigned one — so `a.html` added beside an indexed `a.txt` never takes `a` over.
   */
  knownIds?: Map<string, string>;
}

/** Size and modification time of a file, as an index records them. */
export interface FileStats {
  size: number;
  mtimeMs: number;
}

/** Everything read from a corpus: the documents, and each skipped file with its one-line reason. */
export interface CorpusReadResult {
  docs: RawDocument[];
  skipped: { file: string; reason: string }[];
  /** Files not read because `isUnchanged` said so, with the id they would have had. */
  unchanged: { file: string; id: string }[];
  /** Size and modification time of every file looked at (when `isUnchanged` was given). */
  stats: Map<string, FileStats>;
}

/**
 * Files a directory walk passes over silently because they are plainly not letters: the corpus's
 * own documentation and licence, and data sidecars (question sets, manifests, spreadsheets).
 * Anything else with an unknown extension is reported, so a stray `.doc` or `.wps` is noticed.
 * A README given explicitly (not found by a walk) is read like any other file.
 */
const NOT_A_LETTER_NAME = /^(readme|license|licence|changelog|notice|authors|contributing|copying)(\.[a-z0-9]+)?$/i;
const NOT_A_LETTER_EXTENSION = new Set(['.json', '.jsonl', '.ndjson', '.yaml', '.yml', '.csv', '.tsv', '.sh', '.ts', '.js', '.mjs', '.py', '.lock', '.log']);
const IGNORED_FILES = new Set(['Thumbs.db', 'desktop.ini']);

function isQuietlyIgnored(name: string, file: string): boolean {
  if (NOT_A_LETTER_NAME.test(name) || IGNORED_FILES.has(name)) return true;
  return !formatOfFile(file) && NOT_A_LETTER_EXTENSION.has(path.extname(name).toLowerCase());
}

/** A file to read, with the directory its id is relative to (none for files given directly). */
interface Candidate {
  file: string;
  root?: string;
}

function errorCode(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') return error.code;
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}

/** Walk a directory without following symlinked directories (no cycles), skipping dotfiles and node_modules. */
async function walk(dir: string, root: string, found: Candidate[], skipped: CorpusReadResult['skipped']): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    skipped.push({ file: dir, reason: `unreadable directory (${errorCode(error)})` });
    return;
  }
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await walk(full, root, found, skipped);
    else if (entry.isFile() || entry.isSymbolicLink()) {
      if (entry.isSymbolicLink()) {
        const target = await stat(full).catch(() => null);
        if (target?.isDirectory()) continue;
      }
      if (isQuietlyIgnored(entry.name, full)) continue;
      found.push({ file: full, root });
    } else if (!isQuietlyIgnored(entry.name, full)) {
      // A FIFO, socket or device named like a letter: reported, never opened (reading a FIFO blocks).
      skipped.push({ file: full, reason: `unreadable file (not a regular file: ${specialKind(entry)})` });
    }
  }
}

function specialKind(entry: { isFIFO(): boolean; isSocket(): boolean; isBlockDevice(): boolean }): string {
  return entry.isFIFO() ? 'a FIFO' : entry.isSocket() ? 'a socket' : entry.isBlockDevice() ? 'a block device' : 'a character device';
}

/**
 * Make ids unique: a file with a known id keeps it; the others, in path order, take their own id or,
 * when it is taken, `id~2`, `id~3`, … (never `#`: passage ids use it).
 */
function makeIdsUnique(docs: { id: string; file: string }[], knownIds: Map<string, string> = new Map()): void {
  const used = new Set<string>();
  const rest: { id: string }[] = [];
  for (const doc of docs) {
    const known = knownIds.get(path.resolve(doc.file));
    if (known !== undefined && !used.has(known)) {
      used.add(known);
      doc.id = known;
    } else rest.push(doc);
  }
  for (const doc of rest) {
    const base = doc.id;
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}~${n}`;
    used.add(id);
    doc.id = id;
  }
}

async function mapPool<T, R>(items: T[], concurrency: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return results;
}

const byPath = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Read every letter under the given files and directories. Directories are walked recursively
 * (dotfiles, node_modules and plainly-not-letter files such as README/LICENSE/*.json skipped
 * silently); ids are relative to the directory given, files given directly get their basename.
 * Output order is deterministic (sorted by path); ids that collide (`a.txt` and `a.html`) are
 * made unique in that order (`a`, `a~2`), except that a file with a `knownIds` entry keeps its id. The same file reached twice is read once.
 * Never throws: unreadable paths and bad files land in `skipped` with a one-line reason.
 *
 * @example
 * const { docs, skipped } = await readCorpus('corpus/letters');
 * console.log(docs.map((d) => d.id)); // ['chongqing-gangao-0963', 'qingdao-shanghe-mox']
 * for (const s of skipped) console.warn(`skipped ${s.file}: ${s.reason}`);
 */
export async function readCorpus(paths: string | string[], options: ReadCorpusOptions = {}): Promise<CorpusReadResult> {
  const inputs = Array.isArray(paths) ? paths : [paths];
  const skipped: CorpusReadResult['skipped'] = [];
  const found: Candidate[] = [];
  for (const input of inputs) {
    let info;
    try {
      info = await stat(input);
    } catch (error) {
      skipped.push({ file: input, reason: `unreadable file (${errorCode(error)})` });
      continue;
    }
    if (info.isDirectory()) await walk(input, input, found, skipped);
    else found.push({ file: input });
  }

  const seen = new Set<string>();
  const candidates = found
    .sort((a, b) => byPath(a.file, b.file))
    .filter(({ file }) => {
      const key = path.resolve(file);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  const { concurrency = 4, isUnchanged, knownIds, ...readOptions } = options;
  const stats = new Map<string, FileStats>();
  const results = await mapPool(candidates, concurrency, async (candidate) => {
    if (isUnchanged) {
      // Synchronous on purpose: a stat of a cached inode takes microseconds, and 10,000 of them through
      // the thread pool cost several times more in promise and hand-over overhead than in the calls.
      const info = statOrNull(candidate.file);
      if (info) {
        const s = { size: info.size, mtimeMs: info.mtimeMs };
        stats.set(candidate.file, s);
        if (isUnchanged(candidate.file, s)) return { unchanged: { file: candidate.file, id: letterIdFromPath(candidate.file, candidate.root) } };
      }
    }
    const read = await readLetterFile(candidate.file, { ...readOptions, root: candidate.root });
    // An imported page carries no front matter: its source record (`<file>.source.json`) gives the citation link.
    const source = read.ok && !read.doc.frontMatter.source ? await recordedSource(candidate.file) : undefined;
    if (read.ok && source) read.doc.frontMatter = { ...read.doc.frontMatter, source };
    return read;
  });

  const docs: RawDocument[] = [];
  const unchanged: CorpusReadResult['unchanged'] = [];
  for (const result of results) {
    if ('unchanged' in result) unchanged.push(result.unchanged);
    else if (result.ok) docs.push(result.doc);
    else skipped.push({ file: result.file, reason: result.reason });
  }
  // Only documents that were read (or are known) claim ids, so a skipped `a.html` does not push `a.txt` to `a~2`.
  makeIdsUnique([...docs, ...unchanged].sort((a, b) => byPath(a.file, b.file)), knownIds);
  skipped.sort((a, b) => byPath(a.file, b.file));
  return { docs, skipped, unchanged, stats };
}

// One import for callers that read single files too.
export { readLetterFile, type ReadOptions } from './read/readLetterFile.ts';

function statOrNull(file: string): Stats | null {
  try {
    return statSync(file);
  } catch {
    return null;
  }
}
