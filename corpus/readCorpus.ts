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
  isUnchanged?: (file: string, stats: FileStats, resolved: string) => boolean;
  /**
   * Ids given earlier (an index's), by resolved file path: each such file keeps its id, and only the
   * others are assigned one — so `a.html` added beside an indexed `a.txt` never takes `a` over.
   */
  knownIds?: { get(resolved: string): string | undefined };
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
  /** Files not read because `isUnchanged` said so, with the id they would have had (and their resolved path). */
  unchanged: { file: string; id: string; resolved: string }[];
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
  /** path.resolve(file), worked out once (see pathResolver). */
  resolved: string;
}

/**
 * path.resolve for many files of few folders: each folder is resolved once. At 100,000 letters the
 * incremental build resolves every file's path two or three times; one path.resolve each costs more
 * than the rest of looking at an unchanged file.
 *
 * @example const resolve = pathResolver(); resolve('letters/a.txt') // → '/home/me/letters/a.txt'
 */
export function pathResolver(): (file: string) => string {
  const dirs = new Map<string, string>();
  return (file) => {
    const slash = file.lastIndexOf(path.sep);
    const name = file.slice(slash + 1);
    if (name === '' || name === '.' || name === '..') return path.resolve(file);
    const dir = slash < 0 ? '.' : file.slice(0, slash) || path.sep;
    let resolved = dirs.get(dir);
    if (resolved === undefined) dirs.set(dir, (resolved = path.resolve(dir)));
    return resolved.endsWith(path.sep) ? resolved + name : resolved + path.sep + name;
  };
}

function errorCode(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') return error.code;
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}

/** Walk a directory without following symlinked directories (no cycles), skipping dotfiles and node_modules. */
async function walk(dir: string, resolvedDir: string, root: string, found: Candidate[], skipped: CorpusReadResult['skipped']): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir || '.', { withFileTypes: true });
  } catch (error) {
    skipped.push({ file: dir || '.', reason: `unreadable directory (${errorCode(error)})` });
    return;
  }
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    // path.join and path.resolve of a folder's entry, without normalising the folder again for each.
    const full = inside(dir, entry.name);
    const resolved = inside(resolvedDir, entry.name);
    if (entry.isDirectory()) await walk(full, resolved, root, found, skipped);
    else if (entry.isFile() || entry.isSymbolicLink()) {
      if (entry.isSymbolicLink()) {
        const target = await stat(full).catch(() => null);
        if (target?.isDirectory()) continue;
      }
      if (isQuietlyIgnored(entry.name, full)) continue;
      found.push({ file: full, root, resolved });
    } else if (!isQuietlyIgnored(entry.name, full)) {
      // A FIFO, socket or device named like a letter: reported, never opened (reading a FIFO blocks).
      skipped.push({ file: full, reason: `unreadable file (not a regular file: ${specialKind(entry)})` });
    }
  }
}

/** `path.join(dir, name)` for a normalised folder path (`''` for the current folder) and an entry's name. */
function inside(dir: string, name: string): string {
  return dir === '' ? name : dir.endsWith(path.sep) ? dir + name : dir + path.sep + name;
}

function specialKind(entry: { isFIFO(): boolean; isSocket(): boolean; isBlockDevice(): boolean }): string {
  return entry.isFIFO() ? 'a FIFO' : entry.isSocket() ? 'a socket' : entry.isBlockDevice() ? 'a block device' : 'a character device';
}

/** A file claiming an id: a document read (its id from its path), or a file known unchanged (its id from the path, worked out only if needed). */
interface Claimant {
  id: string;
  /** The id an index gave it (see knownIds). */
  known: string | undefined;
  candidate: Candidate;
  doc?: RawDocument;
}

/**
 * Make ids unique: a file with a known id keeps it; the others, in path order, take their own id or,
 * when it is taken, `id~2`, `id~3`, … (never `#`: passage ids use it).
 */
function makeIdsUnique(claimants: Claimant[]): void {
  const used = new Set<string>();
  const rest: Claimant[] = [];
  for (const c of claimants) {
    if (c.known !== undefined && !used.has(c.known)) {
      used.add(c.known);
      c.id = c.known;
    } else rest.push(c);
  }
  for (const c of rest) {
    const base = c.doc ? c.id : letterIdFromPath(c.candidate.file, c.candidate.root);
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}~${n}`;
    used.add(id);
    c.id = id;
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
    const normal = path.normalize(input);
    if (info.isDirectory()) await walk(normal === '.' || normal === `.${path.sep}` ? '' : normal, path.resolve(input), input, found, skipped);
    else found.push({ file: input, resolved: path.resolve(input) });
  }

  const seen = new Set<string>();
  const candidates = found
    .sort((a, b) => byPath(a.file, b.file))
    .filter(({ resolved }) => {
      if (seen.has(resolved)) return false;
      seen.add(resolved);
      return true;
    });
  const { concurrency = 4, isUnchanged, knownIds, ...readOptions } = options;
  const stats = new Map<string, FileStats>();
  // Files known unchanged first, in one synchronous loop: a stat of a cached inode takes microseconds,
  // and 100,000 of them through the thread pool cost several times more in promises and hand-overs.
  const isKnown = new Uint8Array(candidates.length);
  if (isUnchanged) {
    candidates.forEach((c, i) => {
      const info = statOrNull(c.file);
      if (!info) return;
      const s = { size: info.size, mtimeMs: info.mtimeMs };
      stats.set(c.file, s);
      if (isUnchanged(c.file, s, c.resolved)) isKnown[i] = 1;
    });
  }
  const toRead = isUnchanged ? candidates.filter((_, i) => !isKnown[i]) : candidates;
  const results = await mapPool(toRead, concurrency, async (candidate) => {
    const read = await readLetterFile(candidate.file, { ...readOptions, root: candidate.root });
    // An imported page carries no front matter: its source record (`<file>.source.json`) gives the citation link.
    const source = read.ok && !read.doc.frontMatter.source ? await recordedSource(candidate.file) : undefined;
    if (read.ok && source) read.doc.frontMatter = { ...read.doc.frontMatter, source };
    return read;
  });

  // Every document read or known claims an id, in path order (candidates are sorted); a skipped one
  // does not, so a skipped `a.html` does not push `a.txt` to `a~2`.
  const docs: RawDocument[] = [];
  const claimants: Claimant[] = [];
  let next = 0;
  candidates.forEach((c, i) => {
    if (isKnown[i]) {
      claimants.push({ id: '', known: knownIds?.get(c.resolved), candidate: c });
      return;
    }
    const result = results[next++]!;
    if (result.ok) {
      docs.push(result.doc);
      claimants.push({ id: result.doc.id, known: knownIds?.get(c.resolved), candidate: c, doc: result.doc });
    } else skipped.push({ file: result.file, reason: result.reason });
  });
  makeIdsUnique(claimants);
  const unchanged: CorpusReadResult['unchanged'] = [];
  for (const c of claimants) {
    if (c.doc) c.doc.id = c.id;
    else unchanged.push({ file: c.candidate.file, id: c.id, resolved: c.candidate.resolved });
  }
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
