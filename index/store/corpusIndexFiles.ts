/**
 * Saving and loading a CorpusIndex in a generation folder.
 *
 *   manifest.json          what is here (see indexManifest.ts)
 *   letters.json, texts.bin, spans.bin   letters and passages (see letterFiles.ts)
 *   lexical.bin / .json    postings of passages and letters (typed arrays) and vocabularies
 *   crosslingual.json      corpus-restricted English→Chinese dictionary and pinyin table
 *   vectors.hnsw (+ .meta.json), labels.bin   the dense channel, when built with a model
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { aliasTable, type CorpusIndex } from '../corpusIndex.ts';
import { LexicalIndex } from '../lexical/lexicalIndex.ts';
import { VectorIndex } from '../vectorIndex.ts';
import { IndexError, INDEX_SCHEMA_VERSION, ManifestSchema, type Manifest } from './indexManifest.ts';
import { LETTER_FILES, loadLetters, saveLetters } from './letterFiles.ts';
import { readTypedArrays, typedColumn, writeTypedArrays } from './typedArrayFile.ts';

const CrossLingualSchema = z.object({
  english: z.record(z.string(), z.array(z.tuple([z.string(), z.number()]))),
  common: z.array(z.string()),
  pinyin: z.record(z.string(), z.string()),
});
const VocabSchema = z.object({ passages: z.array(z.string()), letters: z.array(z.string()), bm25: z.object({ k1: z.number(), b: z.number() }) });

/** Files every generation has (vector files are added in hybrid mode). */
export const BASE_FILES = ['manifest.json', ...LETTER_FILES, 'lexical.bin', 'lexical.json', 'crosslingual.json'];
export const VECTOR_FILES = ['vectors.hnsw', 'vectors.hnsw.meta.json', 'labels.bin'];

/**
 * Writes an index into an (empty) generation folder. The manifest is written last: a folder
 * without one is incomplete.
 *
 * @example
 * await saveCorpusIndex(dir, index, manifest);
 */
export async function saveCorpusIndex(dir: string, index: CorpusIndex, manifest: Manifest): Promise<void> {
  const p = index.passageLexical.toData();
  const l = index.letterLexical.toData();
  const dense = index.dense;
  // Written side by side: hnswlib writes its graph on a worker thread while this one writes the rest.
  await Promise.all([
    dense ? dense.vectors.save(path.join(dir, 'vectors.hnsw')) : null,
    dense ? writeTypedArrays(path.join(dir, 'labels.bin'), { labels: dense.labels }) : null,
    saveLetters(dir, index.letters, index.passages, index.passageLetter),
    writeTypedArrays(path.join(dir, 'lexical.bin'), {
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
    fs.writeFile(path.join(dir, 'lexical.json'), JSON.stringify({ passages: p.vocab, letters: l.vocab, bm25: p.params })),
    fs.writeFile(path.join(dir, 'crosslingual.json'), JSON.stringify({ english: index.english, common: [...index.commonEnglish], pinyin: index.pinyin })),
  ]);
  await fs.writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
}

/**
 * Reads and checks a generation's manifest.
 *
 * @example
 * const manifest = await readManifest('data/index/gen-…');
 */
export async function readManifest(dir: string): Promise<Manifest> {
  let raw: string;
  try {
    raw = await fs.readFile(path.join(dir, 'manifest.json'), 'utf8');
  } catch {
    throw new IndexError(`the index at ${dir} has no manifest (an interrupted build?): run \`fuhan build\``);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new IndexError(`the index manifest at ${dir} is corrupt: run \`fuhan build\``);
  }
  const schema = (json as { schema?: unknown })?.schema;
  if (schema !== INDEX_SCHEMA_VERSION) {
    throw new IndexError(`the index at ${dir} is schema ${String(schema)}, this version of Fuhan reads schema ${INDEX_SCHEMA_VERSION}: run \`fuhan build\``);
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) throw new IndexError(`the index manifest at ${dir} is invalid (${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message}): run \`fuhan build\``);
  for (const f of parsed.data.files) {
    try {
      await fs.access(path.join(dir, f));
    } catch {
      throw new IndexError(`the index at ${dir} is missing ${f}: run \`fuhan build\``);
    }
  }
  return parsed.data;
}

/**
 * Loads a generation into memory. Any inconsistency is an IndexError telling the user to rebuild.
 * `vectors: false` leaves the HNSW graph on disk (dense search off: ~180 MB less at 100,000 passages).
 *
 * @example
 * const { index, manifest } = await loadCorpusIndex('data/index/gen-…');
 */
export async function loadCorpusIndex(dir: string, options: { vectors?: boolean } = {}): Promise<{ index: CorpusIndex; manifest: Manifest }> {
  const manifest = await readManifest(dir);
  try {
    // All files are read at once: hnswlib reads its graph on a worker thread while this one parses.
    const dense = manifest.model && manifest.params.hnsw && options.vectors !== false ? { model: manifest.model, hnsw: manifest.params.hnsw } : null;
    const [vectors, labelArrays, { letters, passages, passageLetter }, arrays, vocabJson, crossJson] = await Promise.all([
      dense ? VectorIndex.load(path.join(dir, 'vectors.hnsw'), dense.model.dims, dense.hnsw) : null,
      dense ? readTypedArrays(path.join(dir, 'labels.bin')) : null,
      loadLetters(dir),
      readTypedArrays(path.join(dir, 'lexical.bin')),
      fs.readFile(path.join(dir, 'lexical.json'), 'utf8'),
      fs.readFile(path.join(dir, 'crosslingual.json'), 'utf8'),
    ]);
    const vocab = VocabSchema.parse(JSON.parse(vocabJson));
    const lexical = (prefix: 'passage' | 'letter', terms: string[], size: number) => {
      const postingOffsets = typedColumn(arrays, `${prefix}Offsets`, Uint32Array, terms.length + 1);
      const postingDocs = typedColumn(arrays, `${prefix}Docs`, Uint32Array, postingOffsets[terms.length]);
      const postingTfs = typedColumn(arrays, `${prefix}Tfs`, Uint8Array, postingDocs.length);
      const wordLengths = typedColumn(arrays, `${prefix}WordLengths`, Uint32Array, size);
      const bigramLengths = typedColumn(arrays, `${prefix}BigramLengths`, Uint32Array, size);
      return new LexicalIndex({ vocab: terms, postingOffsets, postingDocs, postingTfs, wordLengths, bigramLengths, params: vocab.bm25 });
    };
    const passageLexical = lexical('passage', vocab.passages, passages.length);
    const letterLexical = lexical('letter', vocab.letters, letters.length);
    const cross = CrossLingualSchema.parse(JSON.parse(crossJson));
    const index: CorpusIndex = {
      letters,
      passages,
      passageLetter,
      passageLexical,
      letterLexical,
      english: cross.english,
      commonEnglish: new Set(cross.common),
      pinyin: cross.pinyin,
      aliases: aliasTable(letters),
    };
    if (dense && vectors && labelArrays) {
      const labels = typedColumn(labelArrays, 'labels', Uint32Array, passages.length);
      index.dense = { modelId: dense.model.id, dims: dense.model.dims, vectors, labels };
    }
    return { index, manifest };
  } catch (e) {
    if (e instanceof IndexError) throw e;
    throw new IndexError(`the index at ${dir} is corrupt (${(e as Error).message}): run \`fuhan build\``);
  }
}
