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
import { loadCorpusIndex } from './store/corpusIndexFiles.ts';
import { currentGenerationDir } from './store/generations.ts';
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
  let dir = await currentGenerationDir(options.indexDir);
  if (!dir) {
    if (options.buildIfMissing === false) throw new IndexError(`no index at ${options.indexDir}: run \`fuhan build\``);
    log(`no index at ${options.indexDir} yet: building it from ${options.corpusDirs.join(', ')} (once)…`);
    const { buildIndex } = await import('./buildIndex.ts');
    const report = await buildIndex({ corpusDirs: options.corpusDirs, indexDir: options.indexDir, dense, embedder: options.embedder, embedderOptions: options.embedderOptions, log });
    log(`index built: ${report.letters} letters, ${report.passages} passages (${report.mode}, ${(report.ms / 1000).toFixed(1)} s)`);
    dir = await currentGenerationDir(options.indexDir);
    if (!dir) throw new IndexError(`the build of ${options.indexDir} left no index`);
  }
  // The model loads after the index, not beside it: loading both at once saved ~0.5 s of cold start
  // but raised peak memory by ~140 MB at 10,000 letters (the index's load-time buffers and the
  // model's arenas then coexist).
  const { index, manifest } = await loadCorpusIndex(dir, { vectors: dense !== 'off' });
  let embedder: Embedder | null = null;
  if (manifest.model && dense !== 'off') {
    if (options.embedder !== undefined) embedder = options.embedder;
    else {
      const { loadEmbedder } = await import('./embedding/embedder.ts');
      embedder = await loadEmbedder({ ...embedderOptionsFromEnv(), ...options.embedderOptions, model: manifest.model.id }, log);
    }
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
