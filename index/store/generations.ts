/**
 * Atomic index replacement. An index folder holds generations (`gen-…` folders) and a `CURRENT`
 * file naming the live one. A build writes a new generation beside the old, then replaces CURRENT
 * with one rename — atomic on POSIX file systems — so a crash at any point leaves either the old
 * index or the new one, never a mixture. Every file is fsynced before the swap, so a power cut
 * cannot leave CURRENT naming empty files. Old generations are removed after the swap, unless a
 * process is still opening one (see holdGeneration).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { syncPath, writeDurably } from './fileSums.ts';
import { IndexError } from './indexManifest.ts';
import { isProcessAlive } from './processAlive.ts';

const CURRENT = 'CURRENT';
const LOCK = 'build.lock';
/** Folder of reader marks: `<generation>.<pid>.<n>`, one per open in progress (see holdGeneration). */
const READERS = 'readers';
const GENERATION_NAME = /^gen-[\w-]+$/;
/** Folder of records of verified sums, `<generation>.json` (see recordSums): only the live generation's is kept. */
const VERIFIED = 'verified';

/**
 * Where a generation's record of verified sums lives: beside the generations, not in one (a generation's files are
 * exactly those its manifest lists).
 *
 * @example sumsRecordFile('data/index/gen-1-2') // → 'data/index/verified/gen-1-2.json'
 */
export function sumsRecordFile(generationDir: string): string {
  return path.join(path.dirname(generationDir), VERIFIED, `${path.basename(generationDir)}.json`);
}

/**
 * The live generation's folder, or null when the index folder has no CURRENT. A CURRENT that is
 * garbled or names a generation that is not there is an IndexError: never a reason to build afresh
 * (from another corpus folder, perhaps) and delete the real generation.
 *
 * @example
 * await currentGenerationDir('data/index') // → 'data/index/gen-1732240000000-4242'
 */
export async function currentGenerationDir(indexDir: string): Promise<string | null> {
  // A build may swap CURRENT and remove the old generation between our reading CURRENT and looking
  // for its folder (a reader not yet marked does not keep it): when CURRENT has changed meanwhile,
  // that is a swap, not damage — read it again.
  for (let attempt = 0; ; attempt++) {
    const name = await readCurrent(indexDir);
    if (name === null) return null;
    const dir = path.join(indexDir, name);
    if (await isDirectory(dir)) return dir;
    if (attempt < 5 && (await readCurrent(indexDir).catch(() => name)) !== name) continue;
    throw new IndexError(`the index at ${indexDir} is corrupt: ${CURRENT} names ${name}, which is not there: run \`fuhan build --full\``, { kind: 'corrupt', file: CURRENT });
  }
}

/** The generation CURRENT names, or null when there is no CURRENT. */
async function readCurrent(indexDir: string): Promise<string | null> {
  let name: string;
  try {
    name = (await fs.readFile(path.join(indexDir, CURRENT), 'utf8')).trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new IndexError(`the index at ${indexDir} cannot be read (${CURRENT}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { kind: 'corrupt', file: CURRENT });
  }
  if (!GENERATION_NAME.test(name)) {
    throw new IndexError(`the index at ${indexDir} is corrupt: ${CURRENT} does not name a generation: run \`fuhan build --full\``, { kind: 'corrupt', file: CURRENT });
  }
  return name;
}

/** Whether the index folder holds complete generations (with a manifest): then a missing CURRENT is damage, not a first run. */
export async function hasGenerations(indexDir: string): Promise<boolean> {
  for (const e of await fs.readdir(indexDir).catch(() => [] as string[])) {
    if (GENERATION_NAME.test(e) && (await fs.stat(path.join(indexDir, e, 'manifest.json')).catch(() => null))) return true;
  }
  return false;
}

async function isDirectory(dir: string): Promise<boolean> {
  return (await fs.stat(dir).catch(() => null))?.isDirectory() ?? false;
}

/**
 * Creates a folder and its missing parents, one level at a time: Node 20's recursive mkdir loops
 * forever on some paths (`/proc/x`: ENOENT from a parent that exists). Any failure is one IndexError.
 *
 * @example await ensureDir('data/index');
 */
export async function ensureDir(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    const info = await fs.stat(at).catch((e: NodeJS.ErrnoException) => e);
    if (!(info instanceof Error)) {
      if (!info.isDirectory()) throw new IndexError(`cannot create the index folder ${dir}: ${at} is not a folder`, { kind: 'write', file: at });
      break;
    }
    if (info.code !== 'ENOENT' || path.dirname(at) === at) throw new IndexError(`cannot create the index folder ${dir} (${info.code} on ${at})`, { kind: 'write', file: at });
    missing.push(at);
  }
  for (const d of missing.reverse()) {
    try {
      await fs.mkdir(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new IndexError(`cannot create the index folder ${dir} (${(e as NodeJS.ErrnoException).code} on ${d})`, { kind: 'write', file: d });
    }
  }
}

/**
 * Creates an empty folder for a generation being written (invisible to readers until committed).
 *
 * @example
 * const tmp = await startGeneration('data/index');
 */
export async function startGeneration(indexDir: string): Promise<string> {
  await ensureDir(indexDir);
  const dir = path.join(indexDir, `gen-${Date.now()}-${process.pid}`);
  await fs.mkdir(dir);
  return dir;
}

/**
 * Removes a generation a failed build was writing (never the live one).
 *
 * @example await discardGeneration(tmp);
 */
export async function discardGeneration(generationDir: string): Promise<void> {
  await fs.rm(generationDir, { recursive: true, force: true }).catch(() => {});
}

/**
 * Makes a written (and fsynced) generation the live one: CURRENT is replaced with one rename
 * (atomic on POSIX file systems) and the index folder fsynced. Then removes the generations no
 * reader still holds; a failure there is not the build's (the next build retries).
 *
 * @example
 * await commitGeneration('data/index', tmp);
 */
export async function commitGeneration(indexDir: string, generationDir: string): Promise<void> {
  const pointer = path.join(indexDir, `${CURRENT}.${process.pid}.tmp`);
  try {
    await writeDurably(pointer, path.basename(generationDir) + '\n');
    await fs.rename(pointer, path.join(indexDir, CURRENT));
  } catch (e) {
    await fs.rm(pointer, { force: true }).catch(() => {});
    throw e;
  }
  await syncPath(indexDir).catch(() => {});
  await removeStaleGenerations(indexDir).catch(() => {});
}

/**
 * Removes every generation but the live one (also those left by crashed builds), except those a
 * live process is opening, and left-over CURRENT.<pid>.tmp and reader marks of dead processes.
 */
export async function removeStaleGenerations(indexDir: string): Promise<void> {
  const live = await currentGenerationDir(indexDir).catch(() => null);
  if (live === null) return; // no live generation (or a damaged CURRENT): nothing can be called stale
  const lockedBy = await lockOwner(indexDir);
  const held = await heldGenerations(indexDir);
  for (const entry of await fs.readdir(indexDir).catch(() => [] as string[])) {
    const tmp = /^CURRENT\.(\d+)\.tmp$/.exec(entry);
    if (tmp && !isProcessAlive(Number(tmp[1]))) await fs.rm(path.join(indexDir, entry), { force: true });
    if (!entry.startsWith('gen-') || path.join(indexDir, entry) === live || held.has(entry)) continue;
    // A generation being written by a live build is not stale.
    if (lockedBy !== null && lockedBy !== process.pid && entry.endsWith(`-${lockedBy}`)) continue;
    await fs.rm(path.join(indexDir, entry), { recursive: true, force: true });
  }
  for (const entry of await fs.readdir(path.join(indexDir, VERIFIED)).catch(() => [] as string[])) {
    if (entry !== `${path.basename(live)}.json`) await fs.rm(path.join(indexDir, VERIFIED, entry), { force: true });
  }
}

/** Generations some live process is opening (marks of dead processes are removed). */
async function heldGenerations(indexDir: string): Promise<Set<string>> {
  const held = new Set<string>();
  const dir = path.join(indexDir, READERS);
  for (const mark of await fs.readdir(dir).catch(() => [] as string[])) {
    const m = /^(gen-[\w-]+)\.(\d+)\.\d+$/.exec(mark);
    if (m && isProcessAlive(Number(m[2]))) held.add(m[1]);
    else await fs.rm(path.join(dir, mark), { force: true }).catch(() => {});
  }
  return held;
}

let markCount = 0;

/**
 * The live generation, held: until `release()`, no build removes it, so a reader never loses the
 * generation it is opening to a build that swaps a new one in meanwhile. (The reader marks it, then
 * checks CURRENT still names it: a build removes only generations that are no longer CURRENT, and
 * looks for marks after its swap — so either the build sees the mark, or the reader sees the new
 * CURRENT and moves on to it.) null when there is no CURRENT. In a read-only index folder nothing
 * is marked (no build can run there either).
 *
 * @example
 * const held = await holdGeneration('data/index');
 * try { await loadCorpusIndex(held.dir); } finally { await held.release(); }
 */
export async function holdGeneration(indexDir: string): Promise<{ dir: string; release: () => Promise<void> } | null> {
  for (let attempt = 0; ; attempt++) {
    const dir = await currentGenerationDir(indexDir);
    if (!dir) return null;
    const mark = path.join(indexDir, READERS, `${path.basename(dir)}.${process.pid}.${markCount++}`);
    const marked = await fs
      .mkdir(path.dirname(mark))
      .catch(() => {})
      .then(() => fs.writeFile(mark, ''))
      .then(() => true, () => false);
    const release = async () => {
      if (marked) await fs.rm(mark, { force: true }).catch(() => {});
    };
    if (!marked || (await currentGenerationDir(indexDir).catch(() => null)) === dir || attempt >= 20) return { dir, release };
    await release(); // a build swapped meanwhile: hold the new one
  }
}

async function lockOwner(indexDir: string): Promise<number | null> {
  try {
    const pid = Number((await fs.readFile(path.join(indexDir, LOCK), 'utf8')).trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/**
 * Runs `task` holding the index folder's build lock, so two builds (a CLI build and a bot upload,
 * say) never write at once. A lock left by a dead process is taken over.
 *
 * @example
 * await withBuildLock('data/index', () => build());
 */
export async function withBuildLock<T>(indexDir: string, task: () => Promise<T>): Promise<T> {
  await ensureDir(indexDir);
  const file = path.join(indexDir, LOCK);
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.writeFile(file, String(process.pid), { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = await lockOwner(indexDir);
      if (owner !== null && isProcessAlive(owner)) {
        if (attempt >= 600) throw new Error(`another build of ${indexDir} is running (pid ${owner}); try again when it ends`);
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      await fs.rm(file, { force: true }); // stale: its process is gone
    }
  }
  try {
    return await task();
  } finally {
    await fs.rm(file, { force: true });
  }
}
