/**
 * Saving and loading a CorpusIndex in a generation folder.
 *
 *   manifest.json          what is here (see indexManifest.ts)
 *   letters.json, texts.bin, spans.bin   letters and passages (see letterFiles.ts)
 *   lexical.bin / .json    postings of passages and letters (typed arrays) and vocabularies
 *   crosslingual.json      corpus-restricted English→Chinese dictionary and pinyin table
 *   vectors.hnsw (+ .meta.json), labels.bin   the dense channel, when built with a model
 *
 * A layered generation (written by an incremental build, see manifest `segments`) has the files
 * above as its base segment — hard links to an earlier generation's, never rewritten — and a delta
 * segment with the letters added or changed since: delta.letters.json, delta.texts.bin,
 * delta.spans.bin, delta.lexical.bin / .json and, with a model, delta.vectors.bin (searched
 * exactly). Loading composes the two into one CorpusIndex: the base's remaining letters, then
 * the delta's, scored as one index (LexicalIndex.layered).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Letter, Passage } from '../../corpus/letter.ts';
import { aliasTable, type CorpusIndex, type CrossLingualTables } from '../corpusIndex.ts';
import { ExactVectors } from '../exactVectors.ts';
import { LexicalIndex, type Bm25Params, type LexicalIndexData } from '../lexical/lexicalIndex.ts';
import { postingOffsetsOf, postingsInRanges } from '../lexical/postingsUpdate.ts';
import type { TermRows } from '../lexical/termRows.ts';
import { VectorIndex, type VectorIndexParams } from '../vectorIndex.ts';
import { crc32 } from 'node:zlib';
import { sumFile, syncPath, verifyFiles, writeDurably, writing, type FileSum } from './fileSums.ts';
import { columnOf, IndexError, INDEX_SCHEMA_VERSION, manifestText, parseManifest, type Manifest } from './indexManifest.ts';
import { letterFiles, loadLetters, named, saveLetters, type LetterFilesWriter } from './letterFiles.ts';
import { readTypedArrays, typedColumn, writeTypedArrays, writeTypedArraysFilled } from './typedArrayFile.ts';

const CrossLingualSchema = z.object({
  english: z.record(z.string(), z.array(z.tuple([z.string(), z.number()]))),
  common: z.array(z.string()),
  pinyin: z.record(z.string(), z.string()),
});
// The vocabularies are checked in one loop each (hundreds of thousands of terms at 100,000 letters).
const termColumn = () => columnOf<string>('string', (v) => typeof v === 'string');
const VocabSchema = z.object({ passages: termColumn(), letters: termColumn(), bm25: z.object({ k1: z.number(), b: z.number() }) });

/** File-name prefix of the delta segment's files. */
const DELTA_PREFIX = 'delta.';
/** Files of the generation itself (every generation has them; the manifest is written last). */
const OWN_FILES = ['manifest.json', 'crosslingual.json'];
/** The vector files of a base segment. */
const VECTOR_FILES = ['vectors.hnsw', 'vectors.hnsw.meta.json', 'labels.bin'];

/** Files of a segment: its letters, its postings and, in a hybrid index, its vectors (e.g. segmentFiles('delta.', true) → ['delta.letters.json', …, 'delta.vectors.bin']). */
function segmentFiles(prefix: string, hybrid: boolean): string[] {
  const vectors = hybrid ? (prefix === DELTA_PREFIX ? [`${DELTA_PREFIX}vectors.bin`] : VECTOR_FILES) : [];
  return [...letterFiles(prefix), `${prefix}lexical.bin`, `${prefix}lexical.json`, ...vectors];
}

/**
 * The files a generation must have.
 *
 * @example generationFiles({ hybrid: false, layered: false }) // → ['manifest.json', 'crosslingual.json', 'letters.json', …]
 */
export function generationFiles(options: { hybrid: boolean; layered: boolean }): string[] {
  return [...OWN_FILES, ...segmentFiles('', options.hybrid), ...(options.layered ? segmentFiles(DELTA_PREFIX, options.hybrid) : [])];
}

/**
 * The delta segment of a layered generation: letters added or changed since the base was written,
 * their passages (in index order), postings and vectors. Its document numbers start at 0.
 */
export interface DeltaSegment {
  letters: Letter[];
  passages: Passage[];
  /** Passage ordinal → letter ordinal, within the delta. */
  passageLetter: Uint32Array;
  passageLexical: LexicalIndex;
  letterLexical: LexicalIndex;
  /** One vector per passage, when the index is hybrid. */
  vectors: ExactVectors | null;
}

/** A manifest before its files' checksums are known (saveCorpusIndex and saveLayeredGeneration add them). */
export type ManifestDraft = Omit<Manifest, 'checksums'>;

type Sums = Record<string, FileSum>;

async function writeLexical(dir: string, prefix: string, passageLexical: LexicalIndex, letterLexical: LexicalIndex): Promise<Sums> {
  const p = passageLexical.toData();
  const l = letterLexical.toData();
  const [bin, json] = await Promise.all([
    writeTypedArrays(path.join(dir, `${prefix}lexical.bin`), {
      passageOffsets: p.postingOffsets,
      passageDocs: p.postingDocs,
      passageTfs: p.postingTfs,
      passageWordLengths: p.wordLengths,
      passageBigramLengths: p.bigramLengths,
      letterOffsets: l.postingOffsets,
      letterDocs: l.postingDocs,
      letterTfs: l.postingTfs,
      letterWordLengths: l.wordLengths,
      letterBigramLengths: l.bigramLengths,
    }),
    writeDurably(path.join(dir, `${prefix}lexical.json`), JSON.stringify({ passages: p.vocab, letters: l.vocab, bm25: p.params })),
  ]);
  return { [`${prefix}lexical.bin`]: bin, [`${prefix}lexical.json`]: json };
}

/**
 * Writes lexical.bin / .json of an index of new documents only (a fresh or full build), straight
 * from their counted rows: the postings are laid out into the file range of terms by range of
 * terms (see postingsInRanges), never whole in memory. The files are byte for byte those
 * writeLexical writes for `LexicalIndex.fromDocuments(rows)`.
 */
async function writeLexicalRows(dir: string, prefix: string, rows: { passages: TermRows; letters: TermRows }, params: Bm25Params): Promise<Sums> {
  const offsets = { passage: postingOffsetsOf(rows.passages), letter: postingOffsetsOf(rows.letters) };
  const declared = (name: 'passage' | 'letter', r: TermRows) => ({
    [`${name}Offsets`]: offsets[name],
    [`${name}Docs`]: { type: 'Uint32Array' as const, length: offsets[name][r.vocab.length] },
    [`${name}Tfs`]: { type: 'Uint8Array' as const, length: offsets[name][r.vocab.length] },
    [`${name}WordLengths`]: r.wordLengths,
    [`${name}BigramLengths`]: r.bigramLengths,
  });
  const [bin, json] = await Promise.all([
    writeTypedArraysFilled(path.join(dir, `${prefix}lexical.bin`), { ...declared('passage', rows.passages), ...declared('letter', rows.letters) }, async (put) => {
      for (const name of ['passage', 'letter'] as const) {
        for (const { start, docs, tfs } of postingsInRanges(name === 'passage' ? rows.passages : rows.letters, offsets[name])) {
          await put(`${name}Docs`, start, docs);
          await put(`${name}Tfs`, start, tfs);
        }
      }
    }),
    writeDurably(path.join(dir, `${prefix}lexical.json`), JSON.stringify({ passages: rows.passages.vocab, letters: rows.letters.vocab, bm25: params })),
  ]);
  return { [`${prefix}lexical.bin`]: bin, [`${prefix}lexical.json`]: json };
}

async function writeCrossLingual(dir: string, tables: CrossLingualTables): Promise<Sums> {
  const sum = await writeDurably(path.join(dir, 'crosslingual.json'), JSON.stringify({ english: tables.english, common: [...tables.commonEnglish], pinyin: tables.pinyin }));
  return { 'crosslingual.json': sum };
}

/** Writes a file of typed arrays and returns its sum by name. */
async function writeArraysFile(dir: string, name: string, arrays: Parameters<typeof writeTypedArrays>[1]): Promise<Sums> {
  return { [name]: await writeTypedArrays(path.join(dir, name), arrays) };
}

/** Saves the HNSW graph (hnswlib writes it) and sums and fsyncs what it wrote. */
async function writeGraph(dir: string, vectors: VectorIndex): Promise<Sums> {
  const out: Sums = {};
  const file = path.join(dir, 'vectors.hnsw');
  await writing(file, () => vectors.save(file));
  for (const name of ['vectors.hnsw', 'vectors.hnsw.meta.json']) out[name] = await writing(path.join(dir, name), () => sumFile(path.join(dir, name), { sync: true }));
  return out;
}

/**
 * Writes the manifest (last: a folder without one is incomplete) with the files' sums and a CRC of
 * its own text, then fsyncs it and the folder: after this the generation survives a power cut.
 */
async function writeManifest(dir: string, draft: ManifestDraft, sums: Sums): Promise<Manifest> {
  const checksums: Sums = {};
  for (const f of draft.files) {
    if (f === MANIFEST) continue;
    if (!sums[f]) throw new Error(`writeManifest: no checksum of ${f}`);
    checksums[f] = sums[f];
  }
  const manifest: Manifest = { ...draft, checksums };
  // Encoded once: the CRC is of these bytes, the file these bytes with the CRC spliced in before the last brace.
  const body = Buffer.from(manifestText(manifest));
  await writeDurably(path.join(dir, MANIFEST), Buffer.concat([body.subarray(0, -1), Buffer.from(`,"crc32":${crc32(body)}}`)]));
  await syncPath(dir);
  return manifest;
}

const MANIFEST = 'manifest.json';

/**
 * An index to save as a fresh or full build has it: its postings still rows, never laid out in
 * memory but into lexical.bin as it is written (see writeLexicalRows), and its letters added to
 * `letterFiles` (streamed there batch by batch as they were parsed).
 */
export type IndexOfRows = CrossLingualTables & {
  letterFiles: LetterFilesWriter;
  rows: { passages: TermRows; letters: TermRows };
  bm25: Bm25Params;
  dense?: CorpusIndex['dense'];
};

/**
 * Writes an index into an (empty) generation folder, every file fsynced and summed; the manifest,
 * with the sums, is written last (a folder without one is incomplete). Returns the manifest written.
 * A failed write is a WriteError naming the file. The index may be one of rows (see IndexOfRows).
 *
 * @example
 * const manifest = await saveCorpusIndex(dir, index, draft);
 */
export async function saveCorpusIndex(dir: string, index: CorpusIndex | IndexOfRows, draft: ManifestDraft): Promise<Manifest> {
  const dense = index.dense;
  if (dense?.delta?.size) throw new Error('saveCorpusIndex: the index has delta vectors; fold them into the graph first');
  // Written side by side: hnswlib writes its graph on a worker thread while this one writes the rest.
  const sums = await Promise.all([
    dense ? writeGraph(dir, dense.vectors) : {},
    dense ? writeArraysFile(dir, 'labels.bin', { labels: dense.labels }) : {},
    'rows' in index ? index.letterFiles.write(dir) : saveLetters(dir, index.letters, index.passages, index.passageLetter),
    'rows' in index ? writeLexicalRows(dir, '', index.rows, index.bm25) : writeLexical(dir, '', index.passageLexical, index.letterLexical),
    writeCrossLingual(dir, index),
  ]);
  return writeManifest(dir, draft, Object.assign({}, ...sums));
}

/**
 * Writes a layered generation into an (empty) folder: the base segment's files linked from
 * `baseDir` (a generation whose base they are; copied where the file system cannot link), the
 * delta segment, the cross-lingual tables and, last, the manifest.
 *
 * @example
 * await saveLayeredGeneration(dir, { baseDir: liveDir, delta, tables, manifest });
 */
export async function saveLayeredGeneration(
  dir: string,
  options: { baseDir: string; baseSums: Manifest['checksums']; delta: DeltaSegment; tables: CrossLingualTables; manifest: ManifestDraft },
): Promise<Manifest> {
  const { baseDir, baseSums, delta, tables, manifest } = options;
  const hybrid = manifest.mode === 'hybrid';
  if (hybrid !== (delta.vectors !== null)) throw new Error('saveLayeredGeneration: the delta has vectors exactly when the index is hybrid');
  // The base's files are the live generation's (verified by the build before it got here): their sums carry over.
  const base = segmentFiles('', hybrid);
  const sums = await Promise.all([
    ...base.map(async (f) => {
      await linkOrCopy(path.join(baseDir, f), path.join(dir, f));
      return { [f]: baseSums[f] };
    }),
    saveLetters(dir, delta.letters, delta.passages, delta.passageLetter, DELTA_PREFIX),
    writeLexical(dir, DELTA_PREFIX, delta.passageLexical, delta.letterLexical),
    delta.vectors ? writeArraysFile(dir, `${DELTA_PREFIX}vectors.bin`, { labels: delta.vectors.labels, vectors: delta.vectors.data }) : {},
    writeCrossLingual(dir, tables),
  ]);
  return writeManifest(dir, manifest, Object.assign({}, ...sums));
}

/** A hard link (no bytes written: the base segment of a 100,000-passage index is ~450 MB), else a copy (fsynced). */
function linkOrCopy(from: string, to: string): Promise<void> {
  return writing(to, async () => {
    try {
      await fs.link(from, to);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw e;
      await fs.copyFile(from, to);
      await syncPath(to);
    }
  });
}

/**
 * Reads and checks a generation's manifest.
 *
 * @example
 * const manifest = await readManifest('data/index/gen-…');
 */
export async function readManifest(dir: string): Promise<Manifest> {
  const corrupt = (why: string) => new IndexError(`the index manifest at ${dir} is corrupt (${why}): run \`fuhan build --full\``, { kind: 'corrupt', file: MANIFEST });
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(path.join(dir, MANIFEST));
  } catch {
    throw new IndexError(`the index at ${dir} has no manifest (an interrupted build?): run \`fuhan build\``, { kind: 'corrupt', file: MANIFEST });
  }
  const raw = bytes.toString('utf8');
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(raw);
  } catch {
    throw corrupt('not JSON');
  }
  const schema = json?.schema;
  if (schema !== INDEX_SCHEMA_VERSION) {
    throw new IndexError(`the index at ${dir} is schema ${String(schema)}, this version of Fuhan reads schema ${INDEX_SCHEMA_VERSION}: run \`fuhan build\``, { kind: 'schema' });
  }
  // The manifest's own CRC is over its text without the field, which writeManifest spliced in before the last brace
  // (so the bytes before it are summed, not the text made again; JSON.stringify of what JSON.parse read gives it too).
  const { crc32: own, ...body } = json;
  const tail = `,"crc32":${String(own)}}`;
  const spliced = raw.endsWith(tail) && own === crc32('}', crc32(bytes.subarray(0, bytes.length - tail.length)));
  if (!spliced && own !== crc32(JSON.stringify(body))) throw corrupt('its checksum does not match');
  const parsed = parseManifest(body);
  if (!parsed.success) throw corrupt(`${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message}`);
  for (const f of parsed.data.files) {
    try {
      await fs.access(path.join(dir, f));
    } catch {
      throw new IndexError(`the index at ${dir} is missing ${f}: run \`fuhan build --full\``, { kind: 'corrupt', file: f });
    }
  }
  return parsed.data;
}

/**
 * Checks every file of a generation against its manifest's sums (`vectors: false`: not the vector
 * files, which are then not read; `recorded`: a record of sums, see recordSums). An IndexError (kind 'corrupt') names the first damaged file.
 * Cost: one more read of files the page cache mostly holds, summed at ~1.5 GB/s: 150–190 ms for the
 * 248 MB index of 10,000 synthetic letters, on a worker thread beside the load (median load 2.58 s
 * verified vs 2.49 s not, 9 loads each, one-off measurement on a loaded 2-core machine).
 *
 * @example await verifyGeneration(dir, manifest);
 */
export function verifyGeneration(dir: string, manifest: Manifest, options: { vectors?: boolean; recorded?: string } = {}): Promise<void> {
  const vectorFiles = new Set([...VECTOR_FILES, `${DELTA_PREFIX}vectors.bin`]);
  const files = manifest.files.filter((f) => f !== MANIFEST && (options.vectors !== false || !vectorFiles.has(f)));
  return verifyFiles(dir, manifest.checksums, files, { recorded: options.recorded });
}

/** One segment's files, read. */
interface LoadedSegment {
  letters: Letter[];
  passages: Passage[];
  passageLetter: Uint32Array;
  passageData: LexicalIndexData;
  letterData: LexicalIndexData;
  graph: VectorIndex | null;
  labels: Uint32Array | null;
  exact: ExactVectors | null;
}

/** Reads a segment's files (`dense`: how to read its vectors; null leaves them on disk). */
async function loadSegment(dir: string, prefix: string, dense: { dims: number; hnsw: VectorIndexParams } | null): Promise<LoadedSegment> {
  const isDelta = prefix === DELTA_PREFIX;
  // All files are read at once: hnswlib reads its graph on a worker thread while this one parses.
  const [graph, vectorArrays, { letters, passages, passageLetter }, arrays, vocabJson] = await Promise.all([
    dense && !isDelta ? VectorIndex.load(path.join(dir, 'vectors.hnsw'), dense.dims, dense.hnsw) : null,
    dense ? readTypedArrays(path.join(dir, isDelta ? `${DELTA_PREFIX}vectors.bin` : 'labels.bin')) : null,
    loadLetters(dir, prefix),
    readTypedArrays(path.join(dir, `${prefix}lexical.bin`)),
    fs.readFile(path.join(dir, `${prefix}lexical.json`), 'utf8'),
  ]);
  const vocab = named(`${prefix}lexical.json`, () => VocabSchema.parse(JSON.parse(vocabJson)));
  const lexical = (name: 'passage' | 'letter', terms: string[], size: number): LexicalIndexData => named(`${prefix}lexical.bin`, () => {
    const postingOffsets = typedColumn(arrays, `${name}Offsets`, Uint32Array, terms.length + 1);
    const postingDocs = typedColumn(arrays, `${name}Docs`, Uint32Array, postingOffsets[terms.length]);
    const postingTfs = typedColumn(arrays, `${name}Tfs`, Uint8Array, postingDocs.length);
    const wordLengths = typedColumn(arrays, `${name}WordLengths`, Uint32Array, size);
    const bigramLengths = typedColumn(arrays, `${name}BigramLengths`, Uint32Array, size);
    return { vocab: terms, postingOffsets, postingDocs, postingTfs, wordLengths, bigramLengths, params: vocab.bm25 };
  });
  const labels = vectorArrays ? typedColumn(vectorArrays, 'labels', Uint32Array, passages.length) : null;
  const exact = isDelta && dense && vectorArrays && labels ? new ExactVectors(dense.dims, labels, typedColumn(vectorArrays, 'vectors', Float32Array, passages.length * dense.dims)) : null;
  return {
    letters,
    passages,
    passageLetter,
    passageData: lexical('passage', vocab.passages, passages.length),
    letterData: lexical('letter', vocab.letters, letters.length),
    graph,
    labels,
    exact,
  };
}

/**
 * Reads the delta segment of a generation (an empty one when the generation is not layered):
 * what an incremental build extends, without reading the base.
 *
 * @example
 * const delta = await loadDeltaSegment(liveDir, manifest);
 */
export async function loadDeltaSegment(dir: string, manifest: Manifest): Promise<DeltaSegment> {
  const hybrid = manifest.model && manifest.params.hnsw ? { dims: manifest.model.dims, hnsw: manifest.params.hnsw } : null;
  if (!manifest.segments) {
    const empty = LexicalIndex.fromDocuments([], manifest.params.bm25);
    return { letters: [], passages: [], passageLetter: new Uint32Array(0), passageLexical: empty, letterLexical: empty, vectors: hybrid ? ExactVectors.from(hybrid.dims, [], []) : null };
  }
  try {
    const s = await loadSegment(dir, DELTA_PREFIX, hybrid);
    return {
      letters: s.letters,
      passages: s.passages,
      passageLetter: s.passageLetter,
      passageLexical: new LexicalIndex(s.passageData),
      letterLexical: new LexicalIndex(s.letterData),
      vectors: s.exact,
    };
  } catch (e) {
    throw new IndexError(`the index at ${dir} is corrupt (${(e as Error).message}): run \`fuhan build --full\``, { kind: 'corrupt', cause: e });
  }
}

/**
 * A generation's cross-lingual tables.
 *
 * @example
 * const { english, pinyin } = await readCrossLingual(liveDir);
 */
export async function readCrossLingual(dir: string): Promise<CrossLingualTables> {
  const cross = CrossLingualSchema.parse(JSON.parse(await fs.readFile(path.join(dir, 'crosslingual.json'), 'utf8')));
  return { english: cross.english, commonEnglish: new Set(cross.common), pinyin: cross.pinyin };
}

/**
 * The base segment's vocabulary of passage terms (for extending the cross-lingual tables without reading the base's postings).
 *
 * @example
 * const terms = await readBaseTerms(liveDir);
 */
export async function readBaseTerms(dir: string): Promise<string[]> {
  return VocabSchema.parse(JSON.parse(await fs.readFile(path.join(dir, 'lexical.json'), 'utf8'))).passages;
}

/**
 * Loads a generation into memory. Any inconsistency is an IndexError telling the user to rebuild.
 * `vectors: false` leaves the HNSW graph on disk (dense search off: ~180 MB less at 100,000 passages).
 * A layered generation is composed into one index (the base's remaining letters, then the delta's).
 * `manifest`: the generation's, when the caller has read it already.
 *
 * @example
 * const { index, manifest } = await loadCorpusIndex('data/index/gen-…');
 */
export async function loadCorpusIndex(dir: string, options: { vectors?: boolean; manifest?: Manifest } = {}): Promise<{ index: CorpusIndex; manifest: Manifest }> {
  const manifest = options.manifest ?? (await readManifest(dir));
  // Files are checked while they are read; a damaged file is reported as such, not as whatever
  // parsing it happened to trip on.
  const verified = verifyGeneration(dir, manifest, { vectors: options.vectors });
  verified.catch(() => {});
  try {
    const dense = manifest.model && manifest.params.hnsw && options.vectors !== false ? { model: manifest.model, hnsw: manifest.params.hnsw } : null;
    const denseFiles = dense ? { dims: dense.model.dims, hnsw: dense.hnsw } : null;
    const [base, delta, tables] = await Promise.all([
      loadSegment(dir, '', denseFiles),
      manifest.segments ? loadSegment(dir, DELTA_PREFIX, denseFiles) : null,
      readCrossLingual(dir),
    ]);
    let index: CorpusIndex;
    if (manifest.segments && delta) {
      index = { ...composeSegments(base, delta, manifest.segments, dense?.model.id ?? ''), ...tables };
    } else {
      index = {
        letters: base.letters,
        passages: base.passages,
        passageLetter: base.passageLetter,
        passageLexical: new LexicalIndex(base.passageData),
        letterLexical: new LexicalIndex(base.letterData),
        ...tables,
        aliases: aliasTable(base.letters),
      };
      if (dense && base.graph && base.labels) index.dense = { modelId: dense.model.id, dims: dense.model.dims, vectors: base.graph, labels: base.labels };
    }
    await verified;
    checkAgainstManifest(index, manifest);
    index.textHashes = new Map(manifest.letters.map((l) => [l.id, l.textHash]));
    return { index, manifest };
  } catch (e) {
    await verified;
    if (e instanceof IndexError) throw e;
    throw new IndexError(`the index at ${dir} is corrupt (${(e as Error).message}): run \`fuhan build --full\``, { kind: 'corrupt', cause: e });
  }
}

/** The letters read are the manifest's, in its order, with its passage counts (a manifest from another generation is not). */
function checkAgainstManifest(index: CorpusIndex, manifest: Manifest): void {
  const { letters } = manifest;
  if (index.letters.length !== letters.length || index.letters.some((l, i) => l.id !== letters[i].id)) throw new Error('its letters are not those its manifest lists');
  if (index.passages.length !== manifest.counts.passages || letters.length !== manifest.counts.letters) throw new Error('its passages are not as many as its manifest says');
  const perLetter = new Uint32Array(letters.length);
  for (let i = 0; i < index.passageLetter.length; i++) perLetter[index.passageLetter[i]]++;
  letters.forEach((l, i) => {
    if (perLetter[i] !== l.passages) throw new Error(`letter ${l.id} has ${perLetter[i]} passages, its manifest says ${l.passages}`);
  });
}

/** The base segment minus its removed letters, followed by the delta, as one index. */
function composeSegments(base: LoadedSegment, delta: LoadedSegment, segments: NonNullable<Manifest['segments']>, modelId: string): Omit<CorpusIndex, keyof CrossLingualTables> {
  if (base.letters.length !== segments.base.letters || base.passages.length !== segments.base.passages) throw new Error('the base segment does not match the manifest');
  if (delta.letters.length !== segments.delta.letters || delta.passages.length !== segments.delta.passages) throw new Error('the delta segment does not match the manifest');
  const removedLetter = new Uint8Array(base.letters.length);
  for (const l of segments.removedLetters) {
    if (l >= removedLetter.length) throw new Error(`removed letter ${l} is not in the base segment`);
    removedLetter[l] = 1;
  }
  // Base letter ordinal → ordinal in the index.
  const letterOrdinal = new Uint32Array(base.letters.length);
  const letters: Letter[] = [];
  base.letters.forEach((l, i) => {
    letterOrdinal[i] = letters.length;
    if (!removedLetter[i]) letters.push(l);
  });
  const liveBaseLetters = letters.length;
  const ids = new Set(letters.map((l) => l.id));
  for (const l of delta.letters) {
    if (ids.has(l.id)) throw new Error(`letter ${l.id} is in both segments`);
    letters.push(l);
  }
  const removedPassage = Uint8Array.from(base.passageLetter, (l) => removedLetter[l]);
  const passages: Passage[] = [];
  const passageLetter = new Uint32Array(base.passages.length - countSet(removedPassage) + delta.passages.length);
  base.passages.forEach((p, i) => {
    if (removedPassage[i]) return;
    passageLetter[passages.length] = letterOrdinal[base.passageLetter[i]];
    passages.push(p);
  });
  if (base.passages.length - passages.length !== segments.removedPassages) throw new Error('the removed passages do not match the manifest');
  delta.passages.forEach((p, j) => {
    passageLetter[passages.length] = liveBaseLetters + delta.passageLetter[j];
    passages.push(p);
  });
  const index: Omit<CorpusIndex, keyof CrossLingualTables> = {
    letters,
    passages,
    passageLetter,
    passageLexical: LexicalIndex.layered(base.passageData, removedPassage, delta.passageData),
    letterLexical: LexicalIndex.layered(base.letterData, removedLetter, delta.letterData),
    aliases: aliasTable(letters),
  };
  if (base.graph && base.labels && delta.exact) {
    const labels = new Uint32Array(passages.length);
    let j = 0;
    base.labels.forEach((label, i) => {
      if (removedPassage[i]) base.graph!.remove(label);
      else labels[j++] = label;
    });
    labels.set(delta.exact.labels, j);
    index.dense = { modelId, dims: base.graph.dims, vectors: base.graph, labels, delta: delta.exact };
  }
  return index;
}

function countSet(flags: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < flags.length; i++) n += flags[i];
  return n;
}
