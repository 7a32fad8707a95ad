/**
 * `fuhan build`: corpus folders → an index folder, incrementally and atomically.
 *
 * Letters whose content hash is unchanged keep their passages, terms and vectors from the live
 * index; only new or changed letters are parsed, tokenised and embedded; removed letters drop out.
 * The result is written as a new generation and swapped in with one rename (see generations.ts):
 * a crash mid-build leaves the previous index intact.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Letter, Passage, RawDocument } from '../corpus/letter.ts';
import { parseLetter } from '../corpus/parseLetter.ts';
import { cutPassages } from '../corpus/passages.ts';
import { readCorpus, type FileStats } from '../corpus/readCorpus.ts';
import { aliasTable, crossLingualTables, letterTerms, passageLetterOrdinals, type CorpusIndex, type LetterTerms } from './corpusIndex.ts';
import type { Embedder } from './embedding/embedder.ts';
import { embedderOptionsFromEnv, type EmbedderOptionsInput } from './embedding/embedderOptions.ts';
import { DEFAULT_BM25, LexicalIndex } from './lexical/lexicalIndex.ts';
import { BuildProgress } from './store/buildProgress.ts';
import { BASE_FILES, loadCorpusIndex, saveCorpusIndex, VECTOR_FILES } from './store/corpusIndexFiles.ts';
import { commitGeneration, currentGenerationDir, startGeneration, withBuildLock } from './store/generations.ts';
import { INDEX_SCHEMA_VERSION, type Manifest } from './store/indexManifest.ts';
import { VectorIndex } from './vectorIndex.ts';

export type DenseMode = 'off' | 'on' | 'auto';

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
  log?: (line: string) => void;
  /** Show a progress bar on a terminal (default: when stderr is a TTY). */
  progress?: boolean;
}

export interface BuildReport {
  indexDir: string;
  generation: string;
  mode: 'hybrid' | 'lexical-only';
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

  // The live index, when it can be reused.
  let previous: { index: CorpusIndex; letters: Map<string, Manifest['letters'][number]> } | null = null;
  const liveDir = options.full ? null : await currentGenerationDir(options.indexDir);
  if (liveDir) {
    try {
      const { index, manifest } = await loadCorpusIndex(liveDir);
      const sameModel = (manifest.model?.id ?? null) === (embedder?.modelId ?? null);
      if (sameModel) previous = { index, letters: new Map(manifest.letters.map((l) => [path.resolve(l.file), l])) };
      else log(`the model changed (${manifest.model?.id ?? 'none'} → ${embedder?.modelId ?? 'none'}): rebuilding everything`);
    } catch (e) {
      log(`the current index cannot be reused (${(e as Error).message}); rebuilding everything`);
    }
  }
  stage('load');

  // Read the corpus. A file whose size and modification time are those the live index recorded is
  // not read again (`--full` reads everything); many small files: more reads in flight.
  const isUnchanged = (file: string, s: FileStats) => {
    const known = previous?.letters.get(path.resolve(file));
    return known?.size === s.size && known.mtimeMs === s.mtimeMs;
  };
  const { docs, skipped, unchanged, stats } = await readCorpus(options.corpusDirs, { concurrency: 16, isUnchanged });
  for (const s of skipped) log(`skipped ${s.file}: ${s.reason}`);
  stage('read');

  // What changed.
  const hashes = docs.map(documentHash);
  const prevLetters = previous?.index.letters ?? [];
  const wanted = new Map(docs.map((d, i) => [d.id, hashes[i]]));
  for (const u of unchanged) wanted.set(u.id, previous!.letters.get(path.resolve(u.file))!.hash);
  const prevHash = new Map([...(previous?.letters.values() ?? [])].map((l) => [l.id, l.hash]));
  const keepLetter = Uint8Array.from(prevLetters, (l) => (prevHash.get(l.id) === wanted.get(l.id) ? 1 : 0));
  const kept = new Set(prevLetters.filter((_, i) => keepLetter[i]).map((l) => l.id));
  const fresh = docs.filter((d) => !kept.has(d.id));
  const prevIds = new Set(prevLetters.map((l) => l.id));
  const removed = prevLetters.filter((l) => !wanted.has(l.id)).length;

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
      continue;
    }
    if (!letter.text.trim() || !passages.length) {
      skip(doc.file, 'no letter text found');
      continue;
    }
    newLetters.push(letter);
    newPassages.push(passages);
    newTerms.push(letterTerms(letter, passages));
    progress.parsed(passages.length);
  }

  stage('parse');

  // Assemble: kept rows of the live index, then the new letters.
  const prev = previous?.index;
  const keepPassage = prev ? Uint8Array.from(prev.passageLetter, (li) => keepLetter[li]) : new Uint8Array(0);
  // A kept letter takes the path it has now (the corpus folder may have moved).
  const currentFile = new Map([...docs, ...unchanged].map((d) => [d.id, d.file]));
  const keptLetters = prevLetters.filter((_, i) => keepLetter[i]).map((l) => (currentFile.get(l.id) === l.file ? l : { ...l, file: currentFile.get(l.id) ?? l.file }));
  const letters = [...keptLetters, ...newLetters];
  const passages = [...(prev?.passages.filter((_, i) => keepPassage[i]) ?? []), ...newPassages.flat()];
  const passageLetter = passageLetterOrdinals(letters, passages);
  const emptyLexical = LexicalIndex.fromDocuments([], DEFAULT_BM25);
  const passageLexical = (prev?.passageLexical ?? emptyLexical).withChanges(keepPassage, newTerms.flatMap((t) => t.passages));
  const letterLexical = (prev?.letterLexical ?? emptyLexical).withChanges(keepLetter, newTerms.map((t) => t.letter));
  stage('lexical');
  // The cross-lingual tables depend on the vocabulary only, which grows when a letter brings new words:
  // reuse them otherwise, and extend them with the new words' entries when it grew (lookups of words
  // no letter has any more simply find nothing).
  const unchangedVocabulary = prev && passageLexical.terms().length === prev.passageLexical.terms().length;
  const { english, commonEnglish, pinyin } = unchangedVocabulary
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
    const vecs = await embedInLengthOrder(embedder, newPassages.flat(), progress);
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
  progress.done();
  stage('embed');

  // Write a new generation and swap it in.
  const generationDir = await startGeneration(options.indexDir);
  const letterHashes = wanted;
  const manifest: Manifest = {
    schema: INDEX_SCHEMA_VERSION,
    createdAt: new Date().toISOString(),
    mode: index.dense ? 'hybrid' : 'lexical-only',
    model: embedder ? { id: embedder.modelId, dims: embedder.dims, dtype: embedder.options.dtype } : null,
    params: { bm25: passageLexical.params, hnsw: index.dense ? index.dense.vectors.params : null },
    corpus: {
      dirs: options.corpusDirs.map((d) => path.resolve(d)),
      fingerprint: createHash('sha256')
        .update(letters.map((l) => `${l.id}:${letterHashes.get(l.id)}`).sort().join('\n'))
        .digest('hex')
        .slice(0, 32),
    },
    letters: letters.map((l) => ({ id: l.id, file: l.file, hash: letterHashes.get(l.id)!, passages: 0, ...stats.get(l.file) })),
    skipped,
    counts: { letters: letters.length, passages: passages.length, vectors: index.dense ? index.dense.vectors.size : 0 },
    files: index.dense ? [...BASE_FILES, ...VECTOR_FILES] : BASE_FILES,
  };
  const perLetter = new Map<string, number>();
  for (const p of passages) perLetter.set(p.letter, (perLetter.get(p.letter) ?? 0) + 1);
  for (const l of manifest.letters) l.passages = perLetter.get(l.id) ?? 0;
  await saveCorpusIndex(generationDir, index, manifest);
  // A test hook: lets the crash-safety test kill a build after it wrote everything but before the swap.
  if (process.env.FUHAN_TEST_PAUSE_BEFORE_SWAP) {
    log('build: written, pausing before swap');
    await new Promise((r) => setTimeout(r, Number(process.env.FUHAN_TEST_PAUSE_BEFORE_SWAP)));
  }
  await commitGeneration(options.indexDir, generationDir);

  stage('write');
  const changed = fresh.filter((d) => prevIds.has(d.id)).length;
  return {
    indexDir: options.indexDir,
    generation: path.basename(generationDir),
    mode: manifest.mode,
    letters: letters.length,
    passages: passages.length,
    added: newLetters.length - changed,
    changed,
    removed,
    unchanged: kept.size,
    embedded,
    skipped,
    ms: Math.round(performance.now() - started),
    stages,
  };
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
