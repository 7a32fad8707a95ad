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
import path from 'node:path';
import type { Letter, Passage, RawDocument } from '../corpus/letter.ts';
import { parseLetter } from '../corpus/parseLetter.ts';
import { cutPassages } from '../corpus/passages.ts';
import { readCorpus, type FileStats } from '../corpus/readCorpus.ts';
import { aliasTable, crossLingualTables, letterTerms, passageLetterOrdinals, type CorpusIndex, type CrossLingualTables, type LetterTerms } from './corpusIndex.ts';
import type { Embedder } from './embedding/embedder.ts';
import { embedderOptionsFromEnv, type EmbedderOptionsInput } from './embedding/embedderOptions.ts';
import { ExactVectors } from './exactVectors.ts';
import { DEFAULT_BM25, LexicalIndex } from './lexical/lexicalIndex.ts';
import { BuildProgress } from './store/buildProgress.ts';
import {
  generationFiles,
  loadCorpusIndex,
  loadDeltaSegment,
  readBaseTerms,
  readCrossLingual,
  readManifest,
  saveCorpusIndex,
  saveLayeredGeneration,
  type DeltaSegment,
} from './store/corpusIndexFiles.ts';
import { commitGeneration, currentGenerationDir, startGeneration, withBuildLock } from './store/generations.ts';
import { INDEX_SCHEMA_VERSION, type Manifest } from './store/indexManifest.ts';
import { VectorIndex } from './vectorIndex.ts';

export type DenseMode = 'off' | 'on' | 'auto';

/**
 * When an incremental build may write a delta instead of rewriting the index. Each delta passage
 * costs every question a little (its vector is compared exactly; removed base passages are still
 * read from the postings and skipped), so past these limits the build compacts.
 */
export interface LayerLimits {
  /** The delta may hold this share of the base's passages (default 0.05)… */
  maxDeltaShare: number;
  /** …and the base may have this share of its passages removed (default 0.1)… */
  maxRemovedShare: number;
  /** …or, either of them, this many passages, whichever is more (default 2,000: small indexes always take a delta). */
  minPassages: number;
}

export const DEFAULT_LAYER_LIMITS: LayerLimits = { maxDeltaShare: 0.05, maxRemovedShare: 0.1, minPassages: 2000 };

/** Labels of delta vectors: above any graph label, so the two never collide. */
const DELTA_LABELS = 0x80000000;

export interface BuildOptions {
  corpusDirs: string[];
  indexDir: string;
  /** off: lexical only; on: a model is required; auto (default): use one when it loads. */
  dense?: DenseMode;
  /** A loaded model to use (skips loading); null forces lexical-only. */
  embedder?: Embedder | null;
  embedderOptions?: EmbedderOptionsInput;
  /** Ignore the live index and rebuild everything. */
  full?: boolean;
  /** Write the index whole, as one segment, even when a delta would do (reuses what is unchanged). */
  compact?: boolean;
  /** When a delta will do (see LayerLimits). */
  layerLimits?: Partial<LayerLimits>;
  log?: (line: string) => void;
  /** Show a progress bar on a terminal (default: when stderr is a TTY). */
  progress?: boolean;
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

type ManifestLetter = Manifest['letters'][number];

/** Everything a build has worked out before it writes: what changed, and the new letters parsed. */
interface BuildPlan {
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
  counts: Pick<BuildReport, 'added' | 'changed' | 'removed' | 'unchanged'>;
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
  // must be rewritten whole).
  let live: { dir: string; manifest: Manifest } | null = null;
  const liveDir = options.full ? null : await currentGenerationDir(options.indexDir);
  if (liveDir) {
    try {
      const manifest = await readManifest(liveDir);
      const sameModel = (manifest.model?.id ?? null) === (embedder?.modelId ?? null);
      if (sameModel) live = { dir: liveDir, manifest };
      else log(`the model changed (${manifest.model?.id ?? 'none'} → ${embedder?.modelId ?? 'none'}): rebuilding everything`);
    } catch (e) {
      log(`the current index cannot be reused (${(e as Error).message}); rebuilding everything`);
    }
  }
  stage('load');

  // Read the corpus. A file whose size and modification time are those the live index recorded is
  // not read again (`--full` reads everything); many small files: more reads in flight.
  const liveByFile = new Map((live?.manifest.letters ?? []).map((l) => [path.resolve(l.file), l]));
  const isUnchanged = (file: string, s: FileStats) => {
    const known = liveByFile.get(path.resolve(file));
    return known?.size === s.size && known.mtimeMs === s.mtimeMs;
  };
  const { docs, skipped, unchanged, stats } = await readCorpus(options.corpusDirs, { concurrency: 16, isUnchanged });
  for (const s of skipped) log(`skipped ${s.file}: ${s.reason}`);
  stage('read');

  // What changed.
  const liveLetters = live?.manifest.letters ?? [];
  const hashes = new Map(docs.map((d) => [d.id, documentHash(d)]));
  for (const u of unchanged) hashes.set(u.id, liveByFile.get(path.resolve(u.file))!.hash);
  const keepLetter = Uint8Array.from(liveLetters, (l) => (hashes.get(l.id) === l.hash ? 1 : 0));
  const kept = new Set(liveLetters.filter((_, i) => keepLetter[i]).map((l) => l.id));
  const fresh = docs.filter((d) => !kept.has(d.id));
  const liveIds = new Set(liveLetters.map((l) => l.id));
  const removed = liveLetters.filter((l) => !hashes.has(l.id)).length;

  // Parse, cut and tokenise what is new; a letter that yields nothing is reported like an unreadable file.
  const skip = (file: string, reason: string) => {
    skipped.push({ file, reason });
    log(`skipped ${file}: ${reason}`);
  };
  const progress = new BuildProgress({ total: fresh.length, tty: options.progress ?? Boolean(process.stderr.isTTY), log });
  const newLetters: Letter[] = [];
  const newPassages: Passage[][] = [];
  const newTerms: LetterTerms[] = [];
  for (const doc of fresh) {
    let letter: Letter;
    let passages: Passage[];
    try {
      letter = parseLetter(doc);
      passages = cutPassages(letter);
    } catch (e) {
      skip(doc.file, `could not be parsed (${(e as Error).message})`);
      hashes.delete(doc.id);
      continue;
    }
    if (!letter.text.trim() || !passages.length) {
      skip(doc.file, 'no letter text found');
      hashes.delete(doc.id);
      continue;
    }
    newLetters.push(letter);
    newPassages.push(passages);
    newTerms.push(letterTerms(letter, passages));
    progress.parsed(passages.length);
  }
  stage('parse');

  const changed = fresh.filter((d) => liveIds.has(d.id)).length;
  const plan: BuildPlan = {
    options,
    log,
    embedder,
    live,
    keepLetter,
    newLetters,
    newPassages,
    newTerms,
    hashes,
    currentFile: new Map([...docs, ...unchanged].map((d) => [d.id, d.file])),
    stats,
    skipped,
    progress,
    counts: { added: newLetters.length - changed, changed, removed, unchanged: kept.size },
  };
  // A delta cannot say that a letter of the shared base is now read from another file (the corpus
  // folder moved): then the index is written whole.
  const moved = live?.manifest.letters.some((l, i) => keepLetter[i] && plan.currentFile.get(l.id) !== l.file);
  const layers = live && !options.compact && !moved ? layerPlan(live.manifest, keepLetter, newPassages, { ...DEFAULT_LAYER_LIMITS, ...options.layerLimits }) : null;
  let written: Written;
  try {
    written = layers ? await writeLayered(plan, layers, stage) : await writeWhole(plan, stage);
  } catch (e) {
    // The live index could not be read after all (a damaged file): start again from the corpus alone.
    if (!live || !(e instanceof LiveIndexError)) throw e;
    log(`the current index cannot be reused (${e.message}); rebuilding everything`);
    return buildLocked({ ...options, full: true }, log);
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
}

/** The live index could not be read: the build starts again from the corpus. */
class LiveIndexError extends Error {}

interface Written {
  dir: string;
  manifest: Manifest;
  embedded: number;
}

type Stage = (name: 'lexical' | 'crossLingual' | 'embed' | 'write' | 'load') => void;

/** How a layered build would lay the new index out, or null when it must be written whole. */
interface LayerPlan {
  segments: NonNullable<Manifest['segments']>;
  /** Live letters (index order) that are in the base: the first `liveBase`. */
  liveBase: number;
}

/**
 * The segments of the next generation if the change is written as a delta over the live index's
 * base, or null when that would break the limits (or the live index is not ours to extend).
 */
function layerPlan(manifest: Manifest, keepLetter: Uint8Array, newPassages: Passage[][], limits: LayerLimits): LayerPlan | null {
  const prev = manifest.segments ?? {
    base: { letters: manifest.counts.letters, passages: manifest.counts.passages },
    removedLetters: [],
    removedPassages: 0,
    delta: { letters: 0, passages: 0 },
  };
  const removedBefore = new Set(prev.removedLetters);
  const liveBase = prev.base.letters - removedBefore.size;
  if (liveBase < 0 || liveBase + prev.delta.letters !== manifest.letters.length) return null;
  const removedLetters = [...prev.removedLetters];
  let removedPassages = prev.removedPassages;
  let deltaLetters = 0;
  let deltaPassages = newPassages.reduce((n, p) => n + p.length, 0);
  let baseOrdinal = 0;
  manifest.letters.forEach((l, i) => {
    if (i < liveBase) {
      while (removedBefore.has(baseOrdinal)) baseOrdinal++;
      if (!keepLetter[i]) {
        removedLetters.push(baseOrdinal);
        removedPassages += l.passages;
      }
      baseOrdinal++;
    } else if (keepLetter[i]) {
      deltaLetters++;
      deltaPassages += l.passages;
    }
  });
  deltaLetters += newPassages.length;
  const basePassages = prev.base.passages;
  if (deltaPassages > Math.max(limits.minPassages, limits.maxDeltaShare * basePassages)) return null;
  if (removedPassages > Math.max(limits.minPassages, limits.maxRemovedShare * basePassages)) return null;
  return {
    segments: { base: prev.base, removedLetters: removedLetters.sort((a, b) => a - b), removedPassages, delta: { letters: deltaLetters, passages: deltaPassages } },
    liveBase,
  };
}

/** The manifest of a new generation (`letters` in index order). */
function manifestOf(plan: BuildPlan, letters: ManifestLetter[], counts: Manifest['counts'], extra: { hnsw: Manifest['params']['hnsw']; segments?: Manifest['segments'] }): Manifest {
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

/** A letter's manifest entry: its hash, passages, and the file it is read from now (with its size and time). */
function manifestLetter(plan: BuildPlan, id: string, file: string, passages: number): ManifestLetter {
  const current = plan.currentFile.get(id) ?? file;
  return { id, file: current, hash: plan.hashes.get(id)!, passages, ...plan.stats.get(current) };
}

/** Swaps a written generation in (after the crash-safety test's pause, when asked). */
async function commit(plan: BuildPlan, generationDir: string): Promise<void> {
  // A test hook: lets the crash-safety test kill a build after it wrote everything but before the swap.
  if (process.env.FUHAN_TEST_PAUSE_BEFORE_SWAP) {
    plan.log('build: written, pausing before swap');
    await new Promise((r) => setTimeout(r, Number(process.env.FUHAN_TEST_PAUSE_BEFORE_SWAP)));
  }
  await commitGeneration(plan.options.indexDir, generationDir);
}

/**
 * A layered generation: the live base shared, the delta extended — kept delta letters, then the
 * new ones — and the cross-lingual tables extended with the words the delta brings.
 */
async function writeLayered(plan: BuildPlan, layers: LayerPlan, stage: Stage): Promise<Written> {
  const live = plan.live!;
  const { keepLetter, newLetters, newPassages, newTerms, embedder } = plan;
  let prevDelta: DeltaSegment;
  let prevTables: CrossLingualTables;
  let baseTerms: string[];
  try {
    [prevDelta, prevTables, baseTerms] = await Promise.all([loadDeltaSegment(live.dir, live.manifest), readCrossLingual(live.dir), readBaseTerms(live.dir)]);
  } catch (e) {
    throw new LiveIndexError((e as Error).message);
  }
  if (prevDelta.letters.length !== live.manifest.letters.length - layers.liveBase) throw new LiveIndexError('the delta segment does not match the manifest');
  stage('load');

  const keepDeltaLetter = keepLetter.subarray(layers.liveBase);
  const keepDeltaPassage = Uint8Array.from(prevDelta.passageLetter, (l) => keepDeltaLetter[l]);
  const letters = [...prevDelta.letters.filter((_, i) => keepDeltaLetter[i]).map((l) => withCurrentFile(plan, l)), ...newLetters];
  const passages = [...prevDelta.passages.filter((_, i) => keepDeltaPassage[i]), ...newPassages.flat()];
  const delta: DeltaSegment = {
    letters,
    passages,
    passageLetter: passageLetterOrdinals(letters, passages),
    passageLexical: prevDelta.passageLexical.withChanges(keepDeltaPassage, newTerms.flatMap((t) => t.passages)),
    letterLexical: prevDelta.letterLexical.withChanges(keepDeltaLetter, newTerms.map((t) => t.letter)),
    vectors: null,
  };
  stage('lexical');

  // The index's vocabulary is the base's terms, then the delta's terms the base lacks (a delta's
  // vocabulary only grows, so the previous one is a prefix of this one: the tables are extended).
  const baseSet = new Set(baseTerms);
  const vocabularyOf = (lexical: LexicalIndex) => {
    const extra = lexical.terms().filter((t) => !baseSet.has(t));
    return { terms: () => (extra.length ? [...baseTerms, ...extra] : baseTerms), extra: extra.length };
  };
  const before = vocabularyOf(prevDelta.passageLexical);
  const after = vocabularyOf(delta.passageLexical);
  const tables = after.extra === before.extra ? prevTables : await crossLingualTables(after, { tables: prevTables, lexical: before });
  stage('crossLingual');

  let embedded = 0;
  if (embedder) {
    if (!prevDelta.vectors) throw new LiveIndexError('the delta segment has no vectors');
    const keptRows: Float32Array[] = [];
    keepDeltaPassage.forEach((keep, i) => keep && keptRows.push(prevDelta.vectors!.row(i)));
    const vecs = await embedInLengthOrder(embedder, newPassages.flat(), plan.progress);
    embedded = vecs.length;
    const rows = [...keptRows, ...vecs];
    delta.vectors = ExactVectors.from(embedder.dims, Uint32Array.from(rows, (_, i) => DELTA_LABELS + i), rows);
  }
  stage('embed');

  const generationDir = await startGeneration(plan.options.indexDir);
  const letterEntries = [
    ...live.manifest.letters.filter((_, i) => keepLetter[i]).map((l) => manifestLetter(plan, l.id, l.file, l.passages)),
    ...newLetters.map((l, i) => manifestLetter(plan, l.id, l.file, newPassages[i].length)),
  ];
  const passageCount = letterEntries.reduce((n, l) => n + l.passages, 0);
  const vectorCount = embedder ? live.manifest.counts.vectors - (live.manifest.segments?.delta.passages ?? 0) - (layers.segments.removedPassages - (live.manifest.segments?.removedPassages ?? 0)) + passages.length : 0;
  const manifest = manifestOf(plan, letterEntries, { letters: letterEntries.length, passages: passageCount, vectors: vectorCount }, { hnsw: live.manifest.params.hnsw, segments: layers.segments });
  await saveLayeredGeneration(generationDir, { baseDir: live.dir, delta, tables, manifest });
  await commit(plan, generationDir);
  stage('write');
  return { dir: generationDir, manifest, embedded };
}

function withCurrentFile(plan: BuildPlan, l: Letter): Letter {
  const file = plan.currentFile.get(l.id);
  return file === undefined || file === l.file ? l : { ...l, file };
}

/** One segment, written in full: the live index (if any) loaded whole, its kept rows, then the new letters. */
async function writeWhole(plan: BuildPlan, stage: Stage): Promise<Written> {
  const { live, keepLetter, newLetters, newPassages, newTerms, embedder } = plan;
  let prev: CorpusIndex | undefined;
  if (live) {
    try {
      prev = (await loadCorpusIndex(live.dir)).index;
    } catch (e) {
      throw new LiveIndexError((e as Error).message);
    }
    if (prev.letters.length !== keepLetter.length || prev.letters.some((l, i) => l.id !== live.manifest.letters[i].id)) throw new LiveIndexError('its letters do not match its manifest');
    if (prev.dense) foldDeltaVectors(prev.dense);
  }
  stage('load');

  // Assemble: kept rows of the live index, then the new letters.
  const keepPassage = prev ? Uint8Array.from(prev.passageLetter, (li) => keepLetter[li]) : new Uint8Array(0);
  const letters = [...(prev?.letters.filter((_, i) => keepLetter[i]).map((l) => withCurrentFile(plan, l)) ?? []), ...newLetters];
  const passages = [...(prev?.passages.filter((_, i) => keepPassage[i]) ?? []), ...newPassages.flat()];
  const passageLetter = passageLetterOrdinals(letters, passages);
  const emptyLexical = LexicalIndex.fromDocuments([], DEFAULT_BM25);
  const passageLexical = (prev?.passageLexical ?? emptyLexical).withChanges(keepPassage, newTerms.flatMap((t) => t.passages));
  const letterLexical = (prev?.letterLexical ?? emptyLexical).withChanges(keepLetter, newTerms.map((t) => t.letter));
  stage('lexical');
  // The cross-lingual tables depend on the vocabulary only, which grows when a letter brings new words:
  // reuse them otherwise, and extend them with the new words' entries when it grew (lookups of words
  // no letter has any more simply find nothing).
  const { english, commonEnglish, pinyin } =
    prev && passageLexical.terms().length === prev.passageLexical.terms().length
      ? prev
    : await crossLingualTables(passageLexical, prev ? { tables: prev, lexical: prev.passageLexical } : undefined);
  const index: CorpusIndex = { letters, passages, passageLetter, passageLexical, letterLexical, english, commonEnglish, pinyin, aliases: aliasTable(letters) };
  stage('crossLingual');

  // Dense channel: reuse kept vectors, embed the new passages. (onnxruntime-node runs a batch on this
  // thread — its `run` is synchronous behind a setImmediate — so nothing else could overlap it.)
  let embedded = 0;
  if (embedder) {
    const vectors = prev?.dense?.vectors ?? new VectorIndex(embedder.dims, { maxElements: Math.max(1024, passages.length) });
    const prevLabels = prev?.dense?.labels ?? new Uint32Array(0);
    prevLabels.forEach((label, i) => {
      if (!keepPassage[i]) vectors.remove(label);
    });
    let nextLabel = prevLabels.reduce((m, l) => Math.max(m, l + 1), 0);
    const labels = new Uint32Array(passages.length);
    let j = 0;
    prevLabels.forEach((label, i) => {
      if (keepPassage[i]) labels[j++] = label;
    });
    const vecs = await embedInLengthOrder(embedder, newPassages.flat(), plan.progress);
    embedded = vecs.length;
    // New vectors take the slots of removed ones first: the graph (and the memory it is loaded
    // into) does not grow when a letter is merely changed.
    const free = vectors.removedLabels();
    for (const v of vecs) {
      const label = free.pop() ?? nextLabel++;
      vectors.add(label, v);
      labels[j++] = label;
    }
    index.dense = { modelId: embedder.modelId, dims: embedder.dims, vectors, labels };
  }
  stage('embed');

  // Write a new generation and swap it in.
  const generationDir = await startGeneration(plan.options.indexDir);
  const letterEntries = letters.map((l) => manifestLetter(plan, l.id, l.file, 0));
  for (let i = 0; i < passageLetter.length; i++) letterEntries[passageLetter[i]].passages++;
  const manifest = manifestOf(plan, letterEntries, { letters: letters.length, passages: passages.length, vectors: index.dense ? index.dense.vectors.size : 0 }, { hnsw: index.dense ? index.dense.vectors.params : null });
  await saveCorpusIndex(generationDir, index, manifest);
  await commit(plan, generationDir);
  stage('write');
  return { dir: generationDir, manifest, embedded };
}

/**
 * Moves a layered index's delta vectors into its graph (taking removed slots first), so the index
 * can be written as one segment.
 */
function foldDeltaVectors(dense: NonNullable<CorpusIndex['dense']>): void {
  const delta = dense.delta;
  dense.delta = undefined;
  if (!delta?.size) return;
  const free = dense.vectors.removedLabels();
  let next = 0;
  for (const label of dense.labels) if (label < DELTA_LABELS) next = Math.max(next, label + 1);
  const moved = new Map<number, number>();
  for (let i = 0; i < delta.size; i++) {
    const label = free.pop() ?? next++;
    dense.vectors.add(label, delta.row(i));
    moved.set(delta.labels[i], label);
  }
  dense.labels = dense.labels.map((label) => moved.get(label) ?? label);
}

/**
 * The text embedded for a passage: its innermost heading (context), then its text.
 *
 * @example
 * passageEmbeddingText({ headings: ['一、基本情况'], text: '…', … }) // → '一、基本情况\n…'
 */
export function passageEmbeddingText(p: Passage): string {
  return p.headings.length ? `${p.headings.at(-1)}\n${p.text}` : p.text;
}

/**
 * Embeds passages (with their nearest heading) in order of length, so each batch pads little
 * (wasted inference); 512 at a time keeps the progress bar live. Vectors come back in passage order.
 */
async function embedInLengthOrder(embedder: Embedder, passages: Passage[], progress: BuildProgress): Promise<Float32Array[]> {
  const texts = passages.map(passageEmbeddingText);
  const order = texts.map((_, i) => i).sort((a, b) => texts[a].length - texts[b].length);
  const vecs = new Array<Float32Array>(texts.length);
  const chunk = 512;
  for (let s = 0; s < order.length; s += chunk) {
    const ids = order.slice(s, s + chunk);
    const out = await embedder.embedPassages(ids.map((i) => texts[i]));
    ids.forEach((i, k) => (vecs[i] = out[k]));
    progress.embedded(ids.length, texts.length);
  }
  return vecs;
}
