/**
 * Atomic index replacement. An index folder holds generations (`gen-…` folders) and a `CURRENT`
 * file naming the live one. A build writes a new generation beside the old, then replaces CURRENT
 * with one rename — atomic on POSIX file systems — so a crash at any point leaves either the old
 * index or the new one, never a mixture. Old generations are removed after the swap.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

const CURRENT = 'CURRENT';
const LOCK = 'build.lock';

/**
 * The live generation's folder, or null when the index folder has none.
 *
 * @example
 * await currentGenerationDir('data/index') // → 'data/index/gen-1732240000000-4242'
 */
export async function currentGenerationDir(indexDir: string): Promise<string | null> {
  let name: string;
  try {
    name = (await fs.readFile(path.join(indexDir, CURRENT), 'utf8')).trim();
  } catch {
    return null;
  }
  if (!/^gen-[\w-]+$/.test(name)) return null;
  return path.join(indexDir, name);
}

/**
 * Creates an empty folder for a generation being written (invisible to readers until committed).
 *
 * @example
 * const tmp = await startGeneration('data/index');
 */
export async function startGeneration(indexDir: string): Promise<string> {
  await fs.mkdir(indexDir, { recursive: true });
  const dir = path.join(indexDir, `gen-${Date.now()}-${process.pid}`);
  await fs.mkdir(dir);
  return dir;
}

/**
 * Makes a written generation the live one (atomic), then removes the others.
 *
 * @example
 * await commitGeneration('data/index', tmp);
 */
export async function commitGeneration(indexDir: string, generationDir: string): Promise<void> {
  const pointer = path.join(indexDir, `${CURRENT}.${process.pid}.tmp`);
  const handle = await fs.open(pointer, 'w');
  try {
    await handle.writeFile(path.basename(generationDir) + '\n');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(pointer, path.join(indexDir, CURRENT));
  await removeStaleGenerations(indexDir);
}

/** Removes every generation but the live one (also those left by crashed builds). */
export async function removeStaleGenerations(indexDir: string): Promise<void> {
  const live = await currentGenerationDir(indexDir);
  const lockedBy = await lockOwner(indexDir);
  for (const entry of await fs.readdir(indexDir).catch(() => [] as string[])) {
    if (!entry.startsWith('gen-') || path.join(indexDir, entry) === live) continue;
    // A generation being written by a live build is not stale.
    if (lockedBy !== null && lockedBy !== process.pid && entry.endsWith(`-${lockedBy}`)) continue;
    await fs.rm(path.join(indexDir, entry), { recursive: true, force: true });
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

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
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
  await fs.mkdir(indexDir, { recursive: true });
  const file = path.join(indexDir, LOCK);
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.writeFile(file, String(process.pid), { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = await lockOwner(indexDir);
      if (owner !== null && isAlive(owner)) {
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
