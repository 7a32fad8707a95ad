/**
 * Opening the index for questions: load the live generation (building it first when there is
 * none, saying so in one line), and the query model when the index has vectors.
 */
// The builder (all file readers) and the model runtime are imported only when needed: opening a
// built lexical index should not pay for loading PDF parsers or onnxruntime.
import type { DenseMode } from './buildIndex.ts';
import type { Embedder } from './embedding/embedder.ts';
import { embedderOptionsFromEnv, type EmbedderOptionsInput } from './embedding/embedderOptions.ts';
import { SearchEngine, type SearchEngineOptions } from './searchEngine.ts';
import type { CorpusIndex } from './corpusIndex.ts';
import { loadCorpusIndex, readManifest } from './store/corpusIndexFiles.ts';
import { hasGenerations, holdGeneration } from './store/generations.ts';
import type { Manifest } from './store/indexManifest.ts';
import { IndexError } from './store/indexManifest.ts';

export interface OpenIndexOptions {
  corpusDirs: string[];
  indexDir: string;
  dense?: DenseMode;
  embedderOptions?: EmbedderOptionsInput;
  /** A loaded model (skips loading). */
  embedder?: Embedder | null;
  /** Build when there is no index (default true). */
  buildIfMissing?: boolean;
  log?: (line: string) => void;
  engine?: Omit<SearchEngineOptions, 'embedder'>;
}

/** An opened engine and what it was opened from. */
export interface OpenedIndex {
  engine: SearchEngine;
  manifest: Manifest;
  generationDir: string;
}

/**
 * Opens the index (building it first if needed) and returns a ready engine.
 *
 * @example
 * const { engine } = await openIndexWithManifest({ corpusDirs: ['corpus/letters'], indexDir: 'data/index' });
 */
export async function openIndexWithManifest(options: OpenIndexOptions): Promise<OpenedIndex> {
  const log = options.log ?? ((line: string) => console.error(line));
  const dense = options.dense ?? 'auto';
  // A garbled CURRENT is an IndexError (from holdGeneration); a missing one beside generations too:
  // building afresh would replace the real index with one of whatever folder is configured.
  let held = await holdGeneration(options.indexDir);
  if (!held) {
    if (await hasGenerations(options.indexDir)) {
      throw new IndexError(`the index at ${options.indexDir} has no CURRENT file naming its live generation: run \`fuhan build\``, { kind: 'corrupt', file: 'CURRENT' });
    }
    if (options.buildIfMissing === false) throw new IndexError(`no index at ${options.indexDir}: run \`fuhan build\``, { kind: 'missing' });
    log(`no index at ${options.indexDir} yet: building it from ${options.corpusDirs.join(', ')} (once)…`);
    const { buildIndex } = await import('./buildIndex.ts');
    const report = await buildIndex({ corpusDirs: options.corpusDirs, indexDir: options.indexDir, dense, embedder: options.embedder, embedderOptions: options.embedderOptions, log });
    log(`index built: ${report.letters} letters, ${report.passages} passages (${report.mode}, ${(report.ms / 1000).toFixed(1)} s)`);
    held = await holdGeneration(options.indexDir);
    if (!held) throw new IndexError(`the build of ${options.indexDir} left no index`);
  }
  try {
    return await openHeld(options, held.dir, log);
  } finally {
    // Loaded: the engine holds everything in memory, and a build may remove the generation.
    await held.release();
  }
}

async function openHeld(options: OpenIndexOptions, dir: string, log: (line: string) => void): Promise<OpenedIndex> {
  const dense = options.dense ?? 'auto';
  // The model loads beside the index: its session is created while the index's files are read and
  // its graph is loaded on other threads (≈ 0.2 s less cold start at 10,000 letters, ≈ 20 MB more
  // peak memory; in session 2, with the old 100 MB letters.json, the two together cost 60–140 MB).
  const manifest = await readManifest(dir);
  // "on" means required: an index built without vectors cannot give it, whatever the model does.
  if (dense === 'on' && manifest.model === null) {
    throw new IndexError(`dense search is required (FUHAN_DENSE=on / --dense on) but the index at ${options.indexDir} was built lexical-only: rebuild it with the model available (\`fuhan build --full\`), or use FUHAN_DENSE=auto`);
  }
  const wantsModel = manifest.model !== null && dense !== 'off';
  const modelId = manifest.model?.id;
  const modelLoad =
    wantsModel && options.embedder === undefined
      ? import('./embedding/embedder.ts').then(({ loadEmbedder }) => loadEmbedder({ ...embedderOptionsFromEnv(), ...options.embedderOptions, model: modelId }, log))
      : Promise.resolve(options.embedder ?? null);
  let index: CorpusIndex;
  try {
    ({ index } = await loadCorpusIndex(dir, { vectors: dense !== 'off', manifest }));
  } catch (e) {
    if (options.embedder === undefined) await (await modelLoad)?.dispose();
    throw e;
  }
  const embedder = wantsModel ? await modelLoad : null;
  if (manifest.model && wantsModel) {
    if (embedder && (embedder.modelId !== manifest.model.id || embedder.dims !== manifest.model.dims)) {
      throw new IndexError(
        `the index was built with ${manifest.model.id} (${manifest.model.dims} dims) but the model loaded is ${embedder.modelId} (${embedder.dims} dims): run \`fuhan build\``,
      );
    }
    if (!embedder && dense === 'on') throw new Error(`dense search was required but the model ${manifest.model.id} could not be loaded`);
  }
  return { engine: new SearchEngine(index, { ...options.engine, embedder }), manifest, generationDir: dir };
}

/**
 * Opens the index and returns the engine.
 *
 * @example
 * const engine = await openIndex({ corpusDirs: ['corpus/letters'], indexDir: 'data/index', dense: 'auto' });
 */
export async function openIndex(options: OpenIndexOptions): Promise<SearchEngine> {
  return (await openIndexWithManifest(options)).engine;
}
