/**
 * What a build has worked out before it writes (what changed, the new letters parsed), and what both
 * ways of writing an index — whole (writeWhole.ts) or as a delta (writeLayered.ts) — share.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Letter, Passage } from '../../corpus/letter.ts';
import type { FileStats } from '../../corpus/readCorpus.ts';
import type { BuildOptions } from '../buildIndex.ts';
import type { Embedder } from '../embedding/embedder.ts';
import { DEFAULT_BM25 } from '../lexical/lexicalIndex.ts';
import type { TermRows } from '../lexical/termRows.ts';
import type { BuildProgress } from '../store/buildProgress.ts';
import { generationFiles, type ManifestDraft } from '../store/corpusIndexFiles.ts';
import { recordSums, WriteError } from '../store/fileSums.ts';
import { commitGeneration, discardGeneration, startGeneration, sumsRecordFile } from '../store/generations.ts';
import { IndexError, INDEX_SCHEMA_VERSION, type Manifest } from '../store/indexManifest.ts';

/** Labels of delta vectors: above any graph label, so the two never collide. */
export const DELTA_LABELS = 0x80000000;

/** One letter's entry in a manifest. */
export type ManifestLetter = Manifest['letters'][number];

/** A map to look things up in (a Map, or a view onto the live manifest's letters: see buildIndex.ts). */
export interface Lookup<V> {
  get(key: string): V | undefined;
}

/** Everything a build has worked out before it writes: what changed, and the new letters parsed. */
export interface BuildPlan {
  options: BuildOptions;
  log: (line: string) => void;
  embedder: Embedder | null;
  live: { dir: string; manifest: Manifest } | null;
  /** Per live letter (index order): 1 when it stays as it is. */
  keepLetter: Uint8Array;
  newLetters: Letter[];
  newPassages: Passage[][];
  /** The new letters' terms and their passages' (in order), counted. */
  newRows: { passages: TermRows; letters: TermRows };
  /** Letter id → content hash, for every letter of the new index. */
  hashes: Lookup<string>;
  /** Letter id → hash of its text (see textHash), for every letter of the new index. */
  textHashes: Lookup<string>;
  /** Letter id → the file it is read from now (the corpus folder may have moved). */
  currentFile: Lookup<string>;
  /** File → its size and modification time, as read. */
  stats: Lookup<FileStats>;
  skipped: { file: string; reason: string }[];
  progress: BuildProgress;
  counts: { added: number; changed: number; removed: number; unchanged: number };
}

/** The live index could not be read (damaged): the build refuses, and `--full` rebuilds from the corpus. */
export class LiveIndexError extends Error {}

/** A generation written and swapped in. */
export interface Written {
  dir: string;
  manifest: Manifest;
  embedded: number;
}

/** Closes the current timing stage of the build report under `name`. */
export type Stage = (name: 'lexical' | 'crossLingual' | 'embed' | 'write' | 'load') => void;

/**
 * The manifest of a new generation (`letters` in index order).
 *
 * @example manifestOf(plan, entries, { letters: 2, passages: 26, vectors: 0 }, { hnsw: null })
 */
export function manifestOf(plan: BuildPlan, letters: ManifestLetter[], counts: Manifest['counts'], extra: { hnsw: Manifest['params']['hnsw']; segments?: Manifest['segments'] }): ManifestDraft {
  const { embedder, options } = plan;
  const hybrid = embedder !== null;
  return {
    schema: INDEX_SCHEMA_VERSION,
    createdAt: new Date().toISOString(),
    mode: hybrid ? 'hybrid' : 'lexical-only',
    model: embedder ? { id: embedder.modelId, dims: embedder.dims, dtype: embedder.options.dtype } : null,
    params: { bm25: DEFAULT_BM25, hnsw: extra.hnsw },
    corpus: {
      dirs: options.corpusDirs.map((d) => path.resolve(d)),
      fingerprint: createHash('sha256')
        .update(letters.map((l) => `${l.id}:${l.hash}`).sort().join('\n'))
        .digest('hex')
        .slice(0, 32),
    },
    letters,
    skipped: plan.skipped,
    counts,
    ...(extra.segments ? { segments: extra.segments } : {}),
    files: generationFiles({ hybrid, layered: extra.segments !== undefined }),
  };
}

/**
 * A letter's manifest entry: its hash, passages, and the file it is read from now (with its size and time).
 *
 * @example manifestLetter(plan, letter.id, letter.file, passages.length)
 */
export function manifestLetter(plan: BuildPlan, id: string, file: string, passages: number): ManifestLetter {
  const current = plan.currentFile.get(id) ?? file;
  return { id, file: current, hash: plan.hashes.get(id)!, passages, textHash: plan.textHashes.get(id)!, ...plan.stats.get(current) };
}

/**
 * Writes a new generation with `write` and swaps it in (after the crash-safety test's pause, when
 * asked). When anything fails before the swap — a full disk, say — the partial generation is
 * removed and the error names the file and the reason; the live index is untouched.
 *
 * @example const { dir, manifest } = await writeGeneration(plan, (dir) => saveCorpusIndex(dir, index, draft));
 */
export async function writeGeneration(plan: BuildPlan, write: (dir: string) => Promise<Manifest>): Promise<{ dir: string; manifest: Manifest }> {
  const generationDir = await startGeneration(plan.options.indexDir);
  try {
    const manifest = await write(generationDir);
    // A test hook: lets the crash-safety test kill a build after it wrote everything but before the swap.
    if (process.env.FUHAN_TEST_PAUSE_BEFORE_SWAP) {
      plan.log('build: written, pausing before swap');
      await new Promise((r) => setTimeout(r, Number(process.env.FUHAN_TEST_PAUSE_BEFORE_SWAP)));
    }
    await commitGeneration(plan.options.indexDir, generationDir);
    // Every file is known good now (written, or verified and linked): the next build need not read it again.
    await recordSums(generationDir, manifest.checksums, Object.keys(manifest.checksums), sumsRecordFile(generationDir)).catch(() => {});
    return { dir: generationDir, manifest };
  } catch (e) {
    await discardGeneration(generationDir);
    const why = e instanceof WriteError ? e.message : `could not write the index (${(e as Error).message})`;
    throw new IndexError(`the build of ${plan.options.indexDir} failed: ${why}; the index was not changed and the partial generation was removed`, {
      kind: 'write',
      file: e instanceof WriteError ? e.file : undefined,
      cause: e,
    });
  }
}

/**
 * A kept letter with the file it is read from now (the corpus folder may have moved).
 *
 * @example const letters = kept.map((l) => withCurrentFile(plan, l));
 */
export function withCurrentFile(plan: BuildPlan, l: Letter): Letter {
  const file = plan.currentFile.get(l.id);
  return file === undefined || file === l.file ? l : { ...l, file };
}

