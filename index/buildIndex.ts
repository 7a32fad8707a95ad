/**
 * `fuhan build`: corpus folders → an index folder, incrementally and atomically.
 *
 * Letters whose content hash is unchanged keep their passages, terms and vectors from the live
 * index; only new or changed letters are parsed, tokenised and embedded; removed letters drop out.
 * The result is written as a new generation and swapped in with one rename (see generations.ts):
 * a crash mid-build leaves the previous index intact.
 *
 * A small change is written as a layered generation: the live index's base segment is shared by
 * hard link (not read, not rewritten), its removed or changed letters are listed, and a delta
 * segment holds the new and changed letters. When the delta outgrows its limits (see
 * `LayerLimits`), or with `compact`, the index is rewritten whole as one segment.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Letter, Passage, RawDocument } from '../corpus/letter.ts';
import { pathResolver, readCorpus, type CorpusReadResult, type FileStats } from '../corpus/readCorpus.ts';
import { analyzeDocuments } from './build/analyzeLetters.ts';
import { shareLetterStrings } from './build/shareStrings.ts';
import { LiveIndexError, type BuildPlan, type Lookup, type ManifestLetter, type Written } from './build/buildPlan.ts';
import { DEFAULT_LAYER_LIMITS, layerPlan, writeLayered, type LayerLimits } from './build/writeLayered.ts';
import { writeWhole } from './build/writeWhole.ts';
import type { Embedder } from './embedding/embedder.ts';
import { embedderOptionsFromEnv, type EmbedderOptionsInput } from './embedding/embedderOptions.ts';
import { BuildProgress } from './store/buildProgress.ts';
import { readManifest } from './store/corpusIndexFiles.ts';
import { textHash } from './store/fileSums.ts';
import { currentGenerationDir, hasGenerations, withBuildLock } from './store/generations.ts';
import { IndexError, INDEX_SCHEMA_VERSION, type Manifest } from './store/indexManifest.ts';
import { RowsCollector } from './lexical/termRows.ts';
import { LetterFilesWriter } from './store/letterFiles.ts';

export { DEFAULT_LAYER_LIMITS, type LayerLimits } from './build/writeLayered.ts';

export type DenseMode = 'off' | 'on' | 'auto';

export interface BuildOptions {
  corpusDirs: string[];
  indexDir: string;
  /** off: lexical only; on: a model is required; auto (default): use one when it loads. */
  dense?: DenseMode;
  /** A loaded model to use (skips loading); null forces lexical-only. */
  embedder?: Embedder | null;
  embedderOptions?: EmbedderOptionsInput;
  /** Ignore the live index and rebuild everything (also when it is damaged; ids already given are kept). */
  full?: boolean;
  /**
   * Build even when a corpus folder is missing or unreadable, or no letter is found. Off by default:
   * a folder that failed to mount must not replace an index of 300 letters with an empty one.
   */
  allowEmpty?: boolean;
  /** Write the index whole, as one segment, even when a delta would do (reuses what is unchanged). */
  compact?: boolean;
  /** When a delta will do (see LayerLimits). */
  layerLimits?: Partial<LayerLimits>;
  log?: (line: string) => void;
  /** Show a progress bar on a terminal (default: when stderr is a TTY). */
  progress?: boolean;
  /**
   * Threads that parse and tokenise (1: this thread only). By default one per core (at most 4) when
   * there are at least 200 letters to parse. The index is the same either way.
   */
  threads?: number;
}

export interface BuildReport {
  indexDir: string;
  generation: string;
  mode: 'hybrid' | 'lexical-only';
  /** 'layered': a delta over the live index's shared base; 'whole': one segment, written in full. */
  layout: 'layered' | 'whole';
  letters: number;
  passages: number;
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
  /** Passages embedded in this build (0 when everything was reused). */
  embedded: number;
  skipped: { file: string; reason: string }[];
  ms: number;
  /** Time per stage, in milliseconds: reading files, loading the live index, parsing and tokenising, lexical indexes, cross-lingual tables, embedding, writing and swapping. */
  stages: { read: number; load: number; parse: number; lexical: number; crossLingual: number; embed: number; write: number };
}

/** Content hash of a read document: what it says, and the index schema that read it. */
export function documentHash(doc: RawDocument): string {
  return createHash('sha256')
    .update(`${INDEX_SCHEMA_VERSION}\n${doc.id}\n${JSON.stringify(doc.frontMatter)}\n${doc.text}`)
    .digest('hex')
    .slice(0, 32);
}

/** A build refused over a damaged live index: it would carry the damage on, or lose letters. */
function refusal(dir: string, reason: string): IndexError {
  const why = reason.replace(/:? run `fuhan build[^`]*`$/, '');
  return new IndexError(`the current index cannot be reused (${why}); nothing was changed: run \`fuhan build --full\` to rebuild it from the corpus`, { kind: 'corrupt', file: dir });
}

/**
 * The live generation and its manifest; 'schema' when it was written by another version (rebuilt
 * from the corpus); null when there is none. A damaged one (garbled CURRENT, a corrupt manifest)
 * is an IndexError unless `full` (then null).
 */
async function liveManifest(options: BuildOptions, log: (line: string) => void): Promise<{ dir: string; manifest: Manifest } | 'schema' | null> {
  try {
    const dir = await currentGenerationDir(options.indexDir);
    if (!dir) {
      // No CURRENT beside generations: an interrupted first build, or a CURRENT lost. A build is asked
      // for explicitly, with its corpus folders checked: it writes a new index (opening refuses instead).
      if (await hasGenerations(options.indexDir)) log(`the index at ${options.indexDir} has no CURRENT file: building a new one from ${options.corpusDirs.join(', ')}`);
      return null;
    }
    return { dir, manifest: await readManifest(dir) };
  } catch (e) {
    if (e instanceof IndexError && e.kind === 'schema') return 'schema';
    if (options.full) return null;
    throw refusal(options.indexDir, (e as Error).message);
  }
}

/** Every corpus folder must be there and readable (unless allowEmpty): one line saying which is not. */
async function checkCorpusDirs(options: BuildOptions): Promise<void> {
  if (options.allowEmpty) return;
  if (!options.corpusDirs.length) throw new IndexError('no corpus folder given: the index was not changed', { kind: 'refused' });
  for (const dir of options.corpusDirs) {
    const problem = await fs
      .stat(dir)
      .then((s) => (s.isDirectory() ? fs.readdir(dir).then(() => null) : null))
      .catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? 'does not exist' : `cannot be read (${e.code ?? e.message})`));
    if (problem) throw new IndexError(`the corpus folder ${dir} ${problem}: the index was not changed (pass --allow-empty to build without it)`, { kind: 'refused', file: dir });
  }
}

/**
 * The letters of a manifest, looked up by resolved file path and by id: two maps of ordinals, made
 * once (at 100,000 letters every Map and every path.resolve more costs tens of milliseconds).
 */
function knownLetters(letters: ManifestLetter[]) {
  const resolve = pathResolver();
  const byFile = new Map<string, number>();
  const byId = new Map<string, number>();
  letters.forEach((l, i) => {
    byFile.set(resolve(l.file), i);
    byId.set(l.id, i);
  });
  return {
    byFile: (resolved: string): ManifestLetter | undefined => {
      const i = byFile.get(resolved);
      return i === undefined ? undefined : letters[i];
    },
    fileOrdinal: (resolved: string): number | undefined => byFile.get(resolved),
    ordinal: (id: string): number | undefined => byId.get(id),
  };
}

/**
 * What a corpus read changes in the live index: per live letter (index order), 1 when it stays as
 * it is (its file unchanged, or read with the same content hash); the content hash of every
 * letter read (or unchanged under another id); the file each letter is read from now; how many live
 * letters the corpus no longer has, and how many stay.
 */
function whatChanged(liveLetters: ManifestLetter[], known: ReturnType<typeof knownLetters>, docs: RawDocument[], unchanged: CorpusReadResult['unchanged']) {
  // `known` is the live manifest's letters when there are live letters (else no letter is live).
  const ordinal = (id: string) => (liveLetters.length ? known.ordinal(id) : undefined);
  const keepLetter = new Uint8Array(liveLetters.length);
  const present = new Uint8Array(liveLetters.length);
  const fileOf: (string | undefined)[] = new Array(liveLetters.length);
  const hashes = new Map<string, string>();
  const files = new Map<string, string>();
  for (const u of unchanged) {
    const i = liveLetters.length ? known.fileOrdinal(u.resolved) : undefined;
    if (i !== undefined && liveLetters[i].id === u.id) {
      keepLetter[i] = present[i] = 1;
      fileOf[i] = u.file;
      continue;
    }
    // Unchanged, yet under another id than the index gave it (not expected): its recorded hash.
    const l = known.byFile(u.resolved);
    if (l) hashes.set(u.id, l.hash);
    files.set(u.id, u.file);
  }
  for (const d of docs) {
    hashes.set(d.id, documentHash(d));
    files.set(d.id, d.file);
  }
  for (const [id, hash] of hashes) {
    const i = ordinal(id);
    if (i === undefined) continue;
    present[i] = 1;
    if (liveLetters[i].hash === hash) {
      keepLetter[i] = 1;
      fileOf[i] = files.get(id);
    }
  }
  const currentFile: Lookup<string> = {
    get: (id) => {
      const i = ordinal(id);
      return (i === undefined ? undefined : fileOf[i]) ?? files.get(id);
    },
  };
  return { keepLetter, hashes, currentFile, ordinal, removed: present.length - present.reduce((n, p) => n + p, 0), kept: keepLetter.reduce((n, k) => n + k, 0) };
}

/**
 * Builds or updates the index of the corpus folders.
 *
 * @example
 * const report = await buildIndex({ corpusDirs: ['corpus/letters'], indexDir: 'data/index' });
 * console.log(`${report.letters} letters, ${report.passages} passages`);
 */
export async function buildIndex(options: BuildOptions): Promise<BuildReport> {
  const log = options.log ?? ((line: string) => console.error(line));
  return withBuildLock(options.indexDir, () => buildLocked(options, log));
}

async function buildLocked(options: BuildOptions, log: (line: string) => void): Promise<BuildReport> {
  const started = performance.now();
  const stages = { read: 0, load: 0, parse: 0, lexical: 0, crossLingual: 0, embed: 0, write: 0 };
  let lap = performance.now();
  const stage = (name: keyof typeof stages) => {
    const now = performance.now();
    stages[name] += Math.round(now - lap);
    lap = now;
  };
  const dense = options.dense ?? 'auto';
  await checkCorpusDirs(options);

  // The model, if any.
  let embedder: Embedder | null = null;
  if (options.embedder !== undefined) embedder = options.embedder;
  else if (dense !== 'off') {
    const { loadEmbedder } = await import('./embedding/embedder.ts');
    // A build only embeds: ORT threads may spin (≈ 4 % more passages per second).
    embedder = await loadEmbedder({ spinning: true, ...embedderOptionsFromEnv(), ...options.embedderOptions }, log);
  }
  if (dense === 'on' && !embedder) throw new Error('dense search was required (--dense on) but no model could be loaded');
  if (dense === 'off') embedder = null;

  // The live index's manifest, when the index can be reused (the index itself is read only when it
  // must be rewritten whole). A damaged live index is not silently replaced: only `--full` does that.
  let live: { dir: string; manifest: Manifest } | null = null;
  const previous = await liveManifest(options, log);
  if (previous && previous !== 'schema' && !options.full) {
    const { manifest } = previous;
    const sameModel = (manifest.model?.id ?? null) === (embedder?.modelId ?? null);
    if (sameModel) live = previous;
    else log(`the model changed (${manifest.model?.id ?? 'none'} → ${embedder?.modelId ?? 'none'}): rebuilding everything`);
  } else if (previous === 'schema') log('the current index was written by another version of Fuhan: rebuilding everything');
  stage('load');

  // Read the corpus. A file whose size and modification time are those the live index recorded is
  // not read again (`--full` reads everything); many small files: more reads in flight.
  const liveLetters = live?.manifest.letters ?? [];
  const known = knownLetters(previous && previous !== 'schema' ? previous.manifest.letters : []);
  const isUnchanged = (_file: string, s: FileStats, resolved: string) => {
    const l = live ? known.byFile(resolved) : undefined;
    return l?.size === s.size && l.mtimeMs === s.mtimeMs;
  };
  // A letter keeps the id the index gave it (a file added later never takes it over, in full builds too).
  const knownIds = { get: (resolved: string) => known.byFile(resolved)?.id };
  const { docs, skipped, unchanged, stats } = await readCorpus(options.corpusDirs, { concurrency: 16, isUnchanged, knownIds });
  for (const s of skipped) log(`skipped ${s.file}: ${s.reason}`);
  stage('read');

  // What changed: per live letter (index order), whether it stays, and whether the corpus still has it.
  const { keepLetter, hashes, currentFile, ordinal, removed, kept } = whatChanged(liveLetters, known, docs, unchanged);
  const fresh = docs.filter((d) => {
    const i = ordinal(d.id);
    return i === undefined || !keepLetter[i];
  });

  // Parse, cut and tokenise what is new; a letter that yields nothing is reported like an unreadable file.
  const skip = (file: string, reason: string) => {
    skipped.push({ file, reason });
    log(`skipped ${file}: ${reason}`);
  };
  const progress = new BuildProgress({ total: fresh.length, tty: options.progress ?? Boolean(process.stderr.isTTY), log });
  const newLetters: Letter[] = [];
  const newPassages: Passage[][] = [];
  const newTextHashes = new Map<string, string>();
  // The rows of a large build go to files beside the generations as they come (see RowsCollector).
  const buildFile = (name: string) => path.join(options.indexDir, `.build-${process.pid}-${name}`);
  const passageRows = new RowsCollector({ spillFile: buildFile('passages.rows') });
  const letterRows = new RowsCollector({ spillFile: buildFile('letters.rows') });
  // Nothing to merge with and nothing to embed (a first or full lexical build): each batch's letters go
  // to the letter files' writer as they come and are let go, texts to a file beside the generations
  // (a build of 100,000 letters held 2.3 GB of them until its write). Otherwise they are kept.
  const streamed = !live && !embedder ? new LetterFilesWriter({ textFile: buildFile('texts') }) : null;
  let parsed = 0;
  try {
    for await (const { docs: batchDocs, batch } of analyzeDocuments(fresh, { threads: options.threads, log })) {
      batch.items.forEach((item, i) => {
        const doc = batchDocs[i];
        // Its text is not needed any more (its hash is taken): the corpus's text is not held twice.
        doc.text = '';
        if ('skipped' in item) {
          skip(doc.file, item.skipped);
          hashes.delete(doc.id);
          return;
        }
        // From a thread every string came as a copy: texts become slices of the letter's, repeats one string.
        shareLetterStrings(item.letter, item.passages);
        newTextHashes.set(item.letter.id, textHash(item.letter.text));
        parsed++;
        if (streamed) {
          const at = streamed.addLetter(item.letter);
          for (const p of item.passages) streamed.addPassage(p, item.letter, at);
        } else {
          newLetters.push(item.letter);
          newPassages.push(item.passages);
        }
        progress.parsed(item.passages.length);
      });
      passageRows.add(batch.passageRows);
      letterRows.add(batch.letterRows);
    }
    stage('parse');

    const changed = fresh.filter((d) => ordinal(d.id) !== undefined).length;
    if (!options.allowEmpty && kept + parsed === 0) {
      throw new IndexError(`no letters found in ${options.corpusDirs.join(', ')}: the index was not changed (pass --allow-empty to build an empty index)`, { kind: 'refused' });
    }
    // Kept letters' hashes are the live manifest's; the new letters' were worked out as they were parsed.
    const keptLetter = (id: string) => {
      const i = ordinal(id);
      return i !== undefined && keepLetter[i] ? liveLetters[i] : undefined;
    };
    const textHashes = { get: (id: string) => newTextHashes.get(id) ?? keptLetter(id)?.textHash };
    const plan: BuildPlan = {
      options,
      log,
      embedder,
      live,
      keepLetter,
      newLetters,
      newPassages,
      newRows: { passages: passageRows.finish(), letters: letterRows.finish() },
      hashes: { get: (id) => hashes.get(id) ?? keptLetter(id)?.hash },
      textHashes,
      currentFile,
      stats,
      skipped,
      progress,
      counts: { added: parsed - changed, changed, removed, unchanged: kept },
    };
    // A delta cannot say that a letter of the shared base is now read from another file (the corpus
    // folder moved): then the index is written whole.
    const moved = live?.manifest.letters.some((l, i) => keepLetter[i] && plan.currentFile.get(l.id) !== l.file);
    const layers = live && !options.compact && !moved ? layerPlan(live.manifest, keepLetter, newPassages, { ...DEFAULT_LAYER_LIMITS, ...options.layerLimits }) : null;
    let written: Written;
    try {
      written = layers ? await writeLayered(plan, layers, stage) : await writeWhole(plan, stage, streamed ?? undefined);
    } catch (e) {
      // The live index could not be read after all (a damaged file): refuse, as for a damaged manifest.
      if (!(e instanceof LiveIndexError)) throw e;
      throw refusal(live!.dir, e.message);
    }
    progress.done();
    return {
      indexDir: options.indexDir,
      generation: path.basename(written.dir),
      mode: written.manifest.mode,
      layout: written.manifest.segments ? 'layered' : 'whole',
      letters: written.manifest.counts.letters,
      passages: written.manifest.counts.passages,
      ...plan.counts,
      embedded: written.embedded,
      skipped,
      ms: Math.round(performance.now() - started),
      stages,
    };
  } finally {
    passageRows.dispose();
    letterRows.dispose();
    streamed?.dispose();
  }
}

