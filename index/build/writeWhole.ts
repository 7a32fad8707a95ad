/**
 * Writing the index whole, as one segment: the live index (if any) loaded, its kept rows, then the new letters.
 * Also how a layered index is compacted.
 */
import { aliasTable, crossLingualTables, passageLetterOrdinals, type CorpusIndex } from '../corpusIndex.ts';
import { DEFAULT_BM25 } from '../lexical/lexicalIndex.ts';
import { loadCorpusIndex, saveCorpusIndex, type IndexOfRows } from '../store/corpusIndexFiles.ts';
import { VectorIndex } from '../vectorIndex.ts';
import type { Letter, Passage } from '../../corpus/letter.ts';
import { LetterFilesWriter } from '../store/letterFiles.ts';
import { DELTA_LABELS, LiveIndexError, manifestLetter, manifestOf, withCurrentFile, writeGeneration, type BuildPlan, type ManifestLetter, type Stage, type Written } from './buildPlan.ts';
import { embedInLengthOrder } from './embedPassages.ts';

/**
 * One segment, written in full: the live index (if any) loaded whole, its kept rows, then the new letters.
 *
 * @example const written = await writeWhole(plan, stage);
 */
export async function writeWhole(plan: BuildPlan, stage: Stage, streamed?: LetterFilesWriter): Promise<Written> {
  const { live, keepLetter, newLetters, newPassages, newRows, embedder } = plan;
  let prev: CorpusIndex | undefined;
  if (live) {
    if (streamed) throw new Error('writeWhole: letters streamed to their files leave nothing to merge the live index with');
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
  // Nothing kept (a first or full build): the postings are laid out from the rows into lexical.bin as
  // it is written, never whole in memory (2.1 GB at 100,000 letters), and the letters' files are
  // written from what the build streamed to them (or from the letters, when it kept them to embed).
  let index: CorpusIndex | IndexOfRows;
  let letterEntries: ManifestLetter[];
  if (prev) {
    const passageLetter = passageLetterOrdinals(letters, passages);
    const passageLexical = prev.passageLexical.withChanges(keepPassage, newRows.passages);
    const letterLexical = prev.letterLexical.withChanges(keepLetter, newRows.letters);
    stage('lexical');
    // The cross-lingual tables depend on the vocabulary only, which grows when a letter brings new words:
    // reuse them otherwise, and extend them with the new words' entries when it grew (lookups of words
    // no letter has any more simply find nothing).
    const { english, commonEnglish, pinyin } =
      passageLexical.terms().length === prev.passageLexical.terms().length ? prev : await crossLingualTables(passageLexical, { tables: prev, lexical: prev.passageLexical });
    index = { letters, passages, passageLetter, passageLexical, letterLexical, english, commonEnglish, pinyin, aliases: aliasTable(letters) };
    letterEntries = letters.map((l) => manifestLetter(plan, l.id, l.file, 0));
    for (let i = 0; i < passageLetter.length; i++) letterEntries[passageLetter[i]].passages++;
  } else {
    const letterFiles = streamed ?? lettersWriter(newLetters, newPassages);
    stage('lexical');
    const tables = await crossLingualTables({ terms: () => newRows.passages.vocab });
    index = { letterFiles, rows: newRows, bm25: DEFAULT_BM25, ...tables };
    letterEntries = letterFiles.entries().map((l) => manifestLetter(plan, l.id, l.file, l.passages));
  }
  stage('crossLingual');

  // Dense channel: reuse kept vectors, embed the new passages. (onnxruntime-node runs a batch on this
  // thread — its `run` is synchronous behind a setImmediate — so nothing else could overlap it.)
  let embedded = 0;
  let dense: CorpusIndex['dense'];
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
    dense = { modelId: embedder.modelId, dims: embedder.dims, vectors, labels };
  }
  stage('embed');

  // Write a new generation and swap it in.
  const counts = { letters: letterEntries.length, passages: letterEntries.reduce((n, l) => n + l.passages, 0), vectors: dense ? dense.vectors.size : 0 };
  const draft = manifestOf(plan, letterEntries, counts, { hnsw: dense ? dense.vectors.params : null });
  const { dir, manifest } = await writeGeneration(plan, (generationDir) => saveCorpusIndex(generationDir, { ...index, dense }, draft));
  stage('write');
  return { dir, manifest, embedded };
}

/** The letters kept in memory (to embed their passages), added to a writer of their files. */
function lettersWriter(letters: Letter[], passages: Passage[][]): LetterFilesWriter {
  const writer = new LetterFilesWriter();
  letters.forEach((l, i) => {
    const ordinal = writer.addLetter(l);
    for (const p of passages[i]) writer.addPassage(p, l, ordinal);
  });
  return writer;
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

