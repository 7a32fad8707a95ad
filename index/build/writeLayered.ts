/**
 * Writing a change as a layered generation: the live index's base segment shared by hard link, the
 * delta extended (see corpusIndexFiles.ts for the files).
 */
import type { Passage } from '../../corpus/letter.ts';
import { crossLingualTables, passageLetterOrdinals, type CrossLingualTables } from '../corpusIndex.ts';
import { ExactVectors } from '../exactVectors.ts';
import type { LexicalIndex } from '../lexical/lexicalIndex.ts';
import { loadDeltaSegment, readBaseTerms, readCrossLingual, saveLayeredGeneration, verifyGeneration, type DeltaSegment } from '../store/corpusIndexFiles.ts';
import { sumsRecordFile } from '../store/generations.ts';
import type { Manifest } from '../store/indexManifest.ts';
import { DELTA_LABELS, LiveIndexError, manifestLetter, manifestOf, withCurrentFile, writeGeneration, type BuildPlan, type Stage, type Written } from './buildPlan.ts';
import { embedInLengthOrder } from './embedPassages.ts';

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

/** How a layered build would lay the new index out, or null when it must be written whole. */
export interface LayerPlan {
  segments: NonNullable<Manifest['segments']>;
  /** Live letters (index order) that are in the base: the first `liveBase`. */
  liveBase: number;
}

/**
 * The segments of the next generation if the change is written as a delta over the live index's
 * base, or null when that would break the limits (or the live index is not ours to extend).
 *
 * @example const layers = layerPlan(live.manifest, keepLetter, newPassages, DEFAULT_LAYER_LIMITS); // null: write whole
 */
export function layerPlan(manifest: Manifest, keepLetter: Uint8Array, newPassages: Passage[][], limits: LayerLimits): LayerPlan | null {
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

/**
 * A layered generation: the live base shared, the delta extended — kept delta letters, then the
 * new ones — and the cross-lingual tables extended with the words the delta brings.
 *
 * @example const written = await writeLayered(plan, layers, stage);
 */
export async function writeLayered(plan: BuildPlan, layers: LayerPlan, stage: Stage): Promise<Written> {
  const live = plan.live!;
  const { keepLetter, newLetters, newPassages, newRows, embedder } = plan;
  let prevDelta: DeltaSegment;
  let prevTables: CrossLingualTables;
  let baseTerms: string[];
  // The whole live generation is checked, the base it shares too: a delta over a damaged base would
  // carry the damage into every later generation. (Files unchanged since a build recorded their sums are not read again.)
  const verified = verifyGeneration(live.dir, live.manifest, { recorded: sumsRecordFile(live.dir) });
  verified.catch(() => {});
  try {
    [prevDelta, prevTables, baseTerms] = await Promise.all([loadDeltaSegment(live.dir, live.manifest), readCrossLingual(live.dir), readBaseTerms(live.dir)]);
    await verified;
  } catch (e) {
    await verified.catch((damage: Error) => {
      throw new LiveIndexError(damage.message);
    });
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
    passageLexical: prevDelta.passageLexical.withChanges(keepDeltaPassage, newRows.passages),
    letterLexical: prevDelta.letterLexical.withChanges(keepDeltaLetter, newRows.letters),
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

  const letterEntries = [
    ...live.manifest.letters.filter((_, i) => keepLetter[i]).map((l) => manifestLetter(plan, l.id, l.file, l.passages)),
    ...newLetters.map((l, i) => manifestLetter(plan, l.id, l.file, newPassages[i].length)),
  ];
  const passageCount = letterEntries.reduce((n, l) => n + l.passages, 0);
  // Every live passage has one live vector: in the graph (base) or among the delta's.
  const vectors = embedder ? passageCount : 0;
  const draft = manifestOf(plan, letterEntries, { letters: letterEntries.length, passages: passageCount, vectors }, { hnsw: live.manifest.params.hnsw, segments: layers.segments });
  const { dir, manifest } = await writeGeneration(plan, (generationDir) =>
    saveLayeredGeneration(generationDir, { baseDir: live.dir, baseSums: live.manifest.checksums, delta, tables, manifest: draft }),
  );
  stage('write');
  return { dir, manifest, embedded };
}

