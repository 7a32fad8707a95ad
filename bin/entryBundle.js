/**
 * Where the precompiled `fuhan` entry lives and whether it may be used.
 *
 * `npm install` / `npm ci` compile bot/cli.ts and everything it imports into plain JavaScript
 * (bin/buildEntryBundle.js, the `prepare` script), so a command does not pay for tsx: its loader
 * thread sees every module (`@huggingface/transformers` alone takes ~0.5 s longer to load through
 * it) and the TypeScript files are transformed or looked up in its cache one by one.
 * The bundle is used only while it is exactly what the sources say: the build records the size and
 * modification time of every source file it read, and any difference — an edit, a checkout, a moved
 * repository — sends bin/fuhan.js back to running the TypeScript through tsx.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Repository root (bin/..). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Build output: under node_modules, so it is never committed and goes away with the packages it was built against. */
export const BUNDLE_ROOT = path.join(REPO_ROOT, 'node_modules', '.cache', 'fuhan-entry');

/** The record of the current build, in its output folder: `{ version, root, dir, inputs: [[path, size, mtimeMs], …] }`. */
export const STAMP_NAME = 'entry.json';

/** Bumped when the stamp's shape or the build's options change, so older builds are ignored. */
export const STAMP_VERSION = 1;

/**
 * The file URL of the compiled bot/cli.ts when it matches the sources, else null (never throws).
 *
 * @param {string} [outRoot] where the builds are (default BUNDLE_ROOT)
 * @returns {string | null}
 * @example
 * const entry = freshEntryBundle();
 * await import(entry ?? '../bot/cli.ts');
 */
export function freshEntryBundle(outRoot = BUNDLE_ROOT) {
  try {
    const stamp = JSON.parse(readFileSync(path.join(outRoot, STAMP_NAME), 'utf8'));
    if (stamp.version !== STAMP_VERSION || stamp.root !== REPO_ROOT || !Array.isArray(stamp.inputs)) return null;
    for (const [file, size, mtimeMs] of stamp.inputs) {
      const s = statSync(path.join(REPO_ROOT, file));
      if (s.size !== size || s.mtimeMs !== mtimeMs) return null;
    }
    const entry = path.join(outRoot, stamp.dir, 'cli.js');
    return statSync(entry).isFile() ? pathToFileURL(entry).href : null;
  } catch {
    return null;
  }
}
