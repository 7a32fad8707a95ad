/**
 * The indexes the benchmark queries: a lexical-only index built by the real `buildIndex`, and a hybrid index made
 * from it by adding an HNSW graph of synthesised passage vectors (see syntheticVectors.ts). Both are written as
 * ordinary index generations, so `openIndex`, `fuhan ask` and incremental `buildIndex` use them like any other.
 * Each is reused while its stamp matches.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIndex, type BuildReport } from '../index/buildIndex.ts';
import type { Embedder } from '../index/embedding/embedder.ts';
import { generationFiles, loadCorpusIndex, readManifest, saveCorpusIndex } from '../index/store/corpusIndexFiles.ts';
import { commitGeneration, currentGenerationDir, startGeneration } from '../index/store/generations.ts';
import { VectorIndex } from '../index/vectorIndex.ts';
import { synthesizeVectors } from './syntheticVectors.ts';

/** Bump when the way vectors are synthesised changes. */
const VECTOR_METHOD_VERSION = 1;

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * A hash of the code that decides what an index holds (corpus/** and index/** sources): a cached benchmark index
 * built by other code is rebuilt, never measured.
 *
 * @example await engineFingerprint() // → '3f2a…'
 */
export async function engineFingerprint(): Promise<string> {
  const hash = createHash('sha256');
  for (const folder of ['corpus', 'index']) {
    const files = (await readdir(path.join(REPO_ROOT, folder), { recursive: true })).filter((f) => f.endsWith('.ts')).sort();
    for (const f of files) hash.update(`${folder}/${f}\n`).update(await readFile(path.join(REPO_ROOT, folder, f)));
  }
  return hash.digest('hex').slice(0, 16);
}

async function readStamp(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return null;
  }
}

export interface LexicalIndexInfo {
  indexDir: string;
  letters: number;
  passages: number;
  /** The build report when it was built in this run (null when reused). */
  build: BuildReport | null;
}

/**
 * A lexical-only index of `corpusDir` in `indexDir`, built with `buildIndex` unless one of the same corpus exists.
 *
 * @example const lex = await ensureLexicalIndex('.cache/bench-corpus/v3-s1-1000', '.cache/bench-index/1000-lexical');
 */
export async function ensureLexicalIndex(corpusDir: string, indexDir: string, log: (line: string) => void): Promise<LexicalIndexInfo> {
  const stamp = { engine: await engineFingerprint(), corpus: path.resolve(corpusDir) };
  const stampFile = path.join(indexDir, 'bench-stamp.json');
  const live = await currentGenerationDir(indexDir);
  if (live && JSON.stringify(await readStamp(stampFile)) === JSON.stringify(stamp)) {
    const manifest = await readManifest(live).catch(() => null);
    if (manifest && manifest.mode === 'lexical-only') return { indexDir, letters: manifest.counts.letters, passages: manifest.counts.passages, build: null };
  }
  const build = await buildIndex({ corpusDirs: [corpusDir], indexDir, dense: 'off', embedder: null, full: true, progress: false, log });
  await writeFile(stampFile, JSON.stringify(stamp));
  return { indexDir, letters: build.letters, passages: build.passages, build };
}

export interface HybridIndexInfo {
  indexDir: string;
  passages: number;
  /** HNSW insertion time for all vectors (ms), when built in this run. */
  hnswBuildMs: number | null;
  /** Save time (ms), when built in this run. */
  saveMs: number | null;
  /** The synthesised vectors, label i = passage ordinal i (for recall measurement). */
  vectors: Float32Array[];
  reused: boolean;
}

interface HybridStamp {
  version: number;
  engine: string;
  lexicalGeneration: string;
  modelId: string;
  baseCount: number;
  baseChecksum: number;
  seed: number;
}

function checksum(base: Float32Array[]): number {
  let s = 0;
  base.forEach((v, i) => v.forEach((x, d) => (s += x * ((i + 1) * 31 + d))));
  return Math.round(s * 1e6);
}

/**
 * The hybrid index: the lexical index of `lexicalIndexDir` plus an HNSW graph of vectors synthesised from `base`
 * (real embeddings of sample passages by `embedder`), written as a generation of `indexDir` whose manifest names
 * `embedder`'s model, so the engine loads that model to embed questions.
 *
 * @example const hybrid = await ensureHybridIndex(lex.indexDir, '.cache/bench-index/1000-hybrid', embedder, base, 1, log);
 */
export async function ensureHybridIndex(
  lexicalIndexDir: string,
  indexDir: string,
  embedder: Embedder,
  base: Float32Array[],
  seed: number,
  log: (line: string) => void,
): Promise<HybridIndexInfo> {
  const lexicalLive = await currentGenerationDir(lexicalIndexDir);
  if (!lexicalLive) throw new Error(`no lexical index in ${lexicalIndexDir}`);
  const stamp: HybridStamp = {
    version: VECTOR_METHOD_VERSION,
    engine: await engineFingerprint(),
    lexicalGeneration: path.basename(lexicalLive),
    modelId: embedder.modelId,
    baseCount: base.length,
    baseChecksum: checksum(base),
    seed,
  };
  const stampFile = path.join(indexDir, 'bench-stamp.json');
  const { index, manifest } = await loadCorpusIndex(lexicalLive);
  const passages = index.passages.length;
  const vectors = synthesizeVectors(base, passages, seed);
  if ((await currentGenerationDir(indexDir)) && JSON.stringify(await readStamp(stampFile)) === JSON.stringify(stamp)) {
    return { indexDir, passages, hnswBuildMs: null, saveMs: null, vectors, reused: true };
  }
  log(`bench: building an HNSW graph of ${passages} vectors for ${indexDir}…`);
  const t0 = performance.now();
  const graph = new VectorIndex(embedder.dims, { maxElements: passages });
  const labels = new Uint32Array(passages);
  vectors.forEach((v, i) => {
    graph.add(i, v);
    labels[i] = i;
    if (i > 0 && i % 20000 === 0) log(`bench:   ${i}/${passages} vectors (${Math.round((performance.now() - t0) / 1000)} s)`);
  });
  const hnswBuildMs = performance.now() - t0;
  index.dense = { modelId: embedder.modelId, dims: embedder.dims, vectors: graph, labels };
  const hybridManifest = {
    ...manifest,
    createdAt: new Date().toISOString(),
    mode: 'hybrid' as const,
    model: { id: embedder.modelId, dims: embedder.dims, dtype: embedder.options.dtype },
    params: { ...manifest.params, hnsw: graph.params },
    counts: { ...manifest.counts, vectors: graph.size },
    files: generationFiles({ hybrid: true, layered: false }),
  };
  const t1 = performance.now();
  await mkdir(indexDir, { recursive: true });
  const generation = await startGeneration(indexDir);
  await saveCorpusIndex(generation, index, hybridManifest);
  await commitGeneration(indexDir, generation);
  await writeFile(stampFile, JSON.stringify(stamp));
  return { indexDir, passages, hnswBuildMs, saveMs: performance.now() - t1, vectors, reused: false };
}

/**
 * Real embeddings of sample passages, cached in `file` (Float32, `count × dims`) so later runs skip the slow part.
 *
 * @example const base = await cachedSample('.cache/bench-index/sample.bin', 128, 384, () => embedSample(…));
 */
export async function cachedSample(file: string, count: number, dims: number, compute: () => Promise<Float32Array[]>): Promise<{ base: Float32Array[]; ms: number; reused: boolean }> {
  if (existsSync(file)) {
    const buf = await readFile(file);
    if (buf.byteLength === count * dims * 4) {
      const flat = new Float32Array(buf.buffer, buf.byteOffset, count * dims);
      return { base: Array.from({ length: count }, (_, i) => flat.slice(i * dims, (i + 1) * dims)), ms: 0, reused: true };
    }
  }
  const started = performance.now();
  const base = await compute();
  const flat = new Float32Array(count * dims);
  base.forEach((v, i) => flat.set(v, i * dims));
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, Buffer.from(flat.buffer));
  return { base, ms: performance.now() - started, reused: false };
}
