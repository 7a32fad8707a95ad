/**
 * What a build has worked out before it writes (what changed, the new letters parsed), and what both
 * ways of writing an index — whole (writeWhole.ts) or as a delta (writeLayered.ts) — share.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Letter, Passage } from '../../corpus/letter.ts';
import type { FileStats } from '../../corpus/readCorpus.ts';
import type { BuildOptions } from '../buildIndex.ts';
import type { LetterTerms } from '../corpusIndex.ts';
import type { Embedder } from '../embedding/embedder.ts';
import { DEFAULT_BM25 } from '../lexical/lexicalIndex.ts';
import type { BuildProgress } from '../store/buildProgress.ts';
import { generationFiles } from '../store/corpusIndexFiles.ts';
import { commitGeneration } from '../store/generations.ts';
import { INDEX_SCHEMA_VERSION, type Manifest } from '../store/indexManifest.ts';

/** Labels of delta vectors: above any graph label, so the two never collide. */
export const DELTA_LABELS = 0x80000000;

/** One letter's entry in a manifest. */
export type ManifestLetter = Manifest['letters'][number];

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
  newTerms: LetterTerms[];
  /** Letter id → content hash, for every letter of the new index. */
  hashes: Map<string, string>;
  /** Letter id → the file it is read from now (the corpus folder may have moved). */
  currentFile: Map<string, string>;
  stats: Map<string, FileStats>;
  skipped: { file: string; reason: string }[];
  progress: BuildProgress;
  counts: { added: number; changed: number; removed: number; unchanged: number };
}

/** The live index could not be read: the build starts again from the corpus. */
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
export function manifestOf(plan: BuildPlan, letters: ManifestLetter[], counts: Manifest['counts'], extra: { hnsw: Manifest['params']['hnsw']; segments?: Manifest['segments'] }): Manifest {
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
  return { id, file: current, hash: plan.hashes.get(id)!, passages, ...plan.stats.get(current) };
}

/**
 * Swaps a written generation in (after the crash-safety test's pause, when asked).
 *
 * @example await commitBuild(plan, generationDir);
 */
export async function commitBuild(plan: BuildPlan, generationDir: string): Promise<void> {
  // A test hook: lets the crash-safety test kill a build after it wrote everything but before the swap.
  if (process.env.FUHAN_TEST_PAUSE_BEFORE_SWAP) {
    plan.log('build: written, pausing before swap');
    await new Promise((r) => setTimeout(r, Number(process.env.FUHAN_TEST_PAUSE_BEFORE_SWAP)));
  }
  await commitGeneration(plan.options.indexDir, generationDir);
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

