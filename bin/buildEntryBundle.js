#!/usr/bin/env node
/**
 * Compiles bot/cli.ts and the sources it imports into plain JavaScript under node_modules/.cache
 * (see bin/entryBundle.js for why and when it is used). Runs as the `prepare` script, i.e. after
 * every `npm install` and `npm ci`; `npm run prepare` runs it by hand.
 *
 * It never fails an install: without esbuild (it comes with tsx) or on any build error it prints
 * one line and `fuhan` keeps running the TypeScript through tsx, exactly as before.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUNDLE_ROOT, REPO_ROOT, STAMP_NAME, STAMP_VERSION } from './entryBundle.js';

/**
 * Every source file keeps the `import.meta.url` of its own path: the bundle lives elsewhere, and
 * code finds the repository and its data files from where its source file is. Remembers the text
 * of each file as compiled (`compiled`, absolute path → text).
 */
function sourceLocationPlugin(compiled) {
  return {
    name: 'fuhan-source-location',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (args.path.split(path.sep).includes('node_modules')) return undefined;
        const text = await readFile(args.path, 'utf8');
        compiled.set(args.path, text);
        const values = { url: pathToFileURL(args.path).href, dirname: path.dirname(args.path), filename: args.path };
        return { contents: text.replace(/\bimport\.meta\.(url|dirname|filename)\b/g, (_, key) => JSON.stringify(values[key])), loader: 'ts' };
      });
    },
  };
}

/**
 * Packages compiled into the bundle instead of loaded from node_modules: zod is ~95 small modules
 * (≈ 50–100 ms to load one by one, ≈ 25 ms as one chunk) and pure JavaScript (it keeps its default
 * locale working when bundled). Everything else stays external: native add-ons, packages that find
 * their own files, and those only some commands load.
 */
const BUNDLED_PACKAGES = new Set(['zod']);

const externalPackagesPlugin = {
  name: 'fuhan-external-packages',
  setup(build) {
    // Bare specifiers (packages and node: built-ins); relative imports are our sources.
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
      return BUNDLED_PACKAGES.has(name) ? undefined : { path: args.path, external: true };
    });
  },
};

/**
 * Builds the bundle and records its inputs; returns where it went and the compiled entry file.
 *
 * @param {{ outRoot?: string, entry?: string }} [options] where builds go (default BUNDLE_ROOT; tests
 *   use another folder) and the TypeScript entry (default bot/cli.ts → cli.js; the benchmark can
 *   compile its probes the same way, e.g. bench/holdIndex.ts → holdIndex.js, in a folder of its own)
 * @example
 * const { dir, entryFile, files, ms } = await buildEntryBundle();
 */
export async function buildEntryBundle({ outRoot = BUNDLE_ROOT, entry = 'bot/cli.ts' } = {}) {
  const started = Date.now();
  const esbuild = await import('esbuild');
  const stampFile = path.join(outRoot, STAMP_NAME);
  const previous = await readFile(stampFile, 'utf8').then((s) => JSON.parse(s).dir, () => undefined);
  const dir = `build-${started.toString(36)}-${process.pid}`;
  await mkdir(outRoot, { recursive: true });
  const compiled = new Map();
  const result = await esbuild.build({
    absWorkingDir: REPO_ROOT,
    entryPoints: { [path.basename(entry, '.ts')]: entry },
    outdir: path.join(outRoot, dir),
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    // One chunk per lazily imported command/stage: `fuhan ask` must not load grammY or the file readers.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Class and function names stay as written (error names, logs).
    keepNames: true,
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'silent',
    plugins: [externalPackagesPlugin, sourceLocationPlugin(compiled)],
  });
  // package.json and tsconfig.json steer the compilation too (a Docker image has no tsconfig.json), and
  // a bundled package's own package.json changes with its version.
  const settings = ['package.json', 'tsconfig.json', ...[...BUNDLED_PACKAGES].map((name) => `node_modules/${name}/package.json`)].filter((f) =>
    existsSync(path.join(REPO_ROOT, f)),
  );
  const files = [...Object.keys(result.metafile.inputs).filter((f) => !f.split('/').includes('node_modules')), ...settings];
  const inputs = [];
  for (const file of files) {
    const full = path.join(REPO_ROOT, file);
    const s = await stat(full);
    // Edited while it was being compiled: the bundle holds the old text, so it must not look fresh.
    if (compiled.has(full) && (await readFile(full, 'utf8')) !== compiled.get(full)) {
      throw new Error(`${file} changed during the build; run \`npm run prepare\` again`);
    }
    inputs.push([file, s.size, s.mtimeMs]);
  }
  const stamp = { version: STAMP_VERSION, root: REPO_ROOT, dir, builtAt: new Date(started).toISOString(), inputs };
  const temporary = `${stampFile}.${process.pid}`;
  await writeFile(temporary, JSON.stringify(stamp));
  await rename(temporary, stampFile);
  // Keep the previous build: a running `fuhan` may still import its lazily loaded chunks.
  for (const entry of await readdir(outRoot)) {
    if (entry.startsWith('build-') && entry !== dir && entry !== previous) await rm(path.join(outRoot, entry), { recursive: true, force: true });
  }
  const entryFile = path.join(outRoot, dir, `${path.basename(entry, '.ts')}.js`);
  return { dir: path.join(outRoot, dir), entryFile, files: files.length, ms: Date.now() - started };
}

/**
 * The `prepare` script: builds, and reports in one line either way (never throws, never fails the install).
 *
 * @example
 * await main(); // fuhan: compiled the command line (115 files, 341 ms) into node_modules/.cache/fuhan-entry/build-…
 */
export async function main() {
  try {
    const { dir, files, ms } = await buildEntryBundle();
    console.log(`fuhan: compiled the command line (${files} files, ${ms} ms) into ${path.relative(REPO_ROOT, dir)}`);
  } catch (err) {
    console.log(`fuhan: no precompiled command line (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); \`fuhan\` runs the TypeScript through tsx`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
