/**
 * Child-process probe for build throughput. `pipeline` mode times a full `buildIndex` and `Embedder.embedPassages`
 * over a corpus; `raw` mode times a bare onnxruntime-node session over the same passages (length-sorted batches).
 * Each side runs in its own process: two ORT sessions in one process disturb each other's
 * timings (measured: the in-process raw figure swung between 0.5× and 1.3× the Embedder's on identical batches,
 * while separate processes agree within a few per cent).
 * Run as `node --import tsx bench/throughputProbe.ts '<json>'`.
 */
import { rm } from 'node:fs/promises';
import { z } from 'zod';
import { passageEmbeddingText } from '../index/build/embedPassages.ts';
import { buildIndex } from '../index/buildIndex.ts';
import { loadEmbedder } from '../index/embedding/embedder.ts';
import { corpusPassages, rawRunner, sortedBatches } from './buildThroughput.ts';

const ArgsSchema = z.object({
  mode: z.enum(['pipeline', 'raw']),
  corpusDir: z.string(),
  scratchIndexDir: z.string(),
  model: z.object({ localModelPath: z.string(), modelId: z.string() }),
});

/** What the probe prints (ms; raw mode fills the raw fields, pipeline mode the others). */
export interface ThroughputProbeReport {
  passages: number;
  letters: number;
  buildMs?: number;
  embedderMs?: number;
  rawSortedMs?: number;
  padding?: number;
  batchSize: number;
  threads: number;
}

const args = ArgsSchema.parse(JSON.parse(process.argv[2] ?? '{}'));
const embedder = await loadEmbedder({ model: args.model.modelId, localModelPath: args.model.localModelPath, allowRemote: false, spinning: true }, (line) => console.error(line));
if (!embedder) throw new Error(`could not load ${args.model.modelId}`);
const passages = await corpusPassages([args.corpusDir]);
const texts = passages.map(passageEmbeddingText);
const { batchSize, maxLength, threads, dtype, passagePrefix } = embedder.options;
const report: ThroughputProbeReport = { passages: passages.length, letters: 0, batchSize, threads };
if (args.mode === 'pipeline') {
  await embedder.embedPassages(texts.slice(0, 4)); // warm-up outside the clock
  await rm(args.scratchIndexDir, { recursive: true, force: true });
  const build = await buildIndex({ corpusDirs: [args.corpusDir], indexDir: args.scratchIndexDir, dense: 'on', embedder, full: true, progress: false, log: () => undefined });
  await rm(args.scratchIndexDir, { recursive: true, force: true });
  report.letters = build.letters;
  report.buildMs = build.ms;
  const started = performance.now();
  await embedder.embedPassages(texts);
  report.embedderMs = performance.now() - started;
} else {
  await embedder.dispose(); // only its options were needed: the raw side runs alone
  const raw = await rawRunner(args.model, { maxLength, threads, dtype });
  const prefixed = texts.map((t) => passagePrefix + t);
  const sorted = await raw.run(sortedBatches(prefixed, batchSize));
  await raw.release();
  report.rawSortedMs = sorted.ms;
  report.padding = sorted.padding;
}
console.log(JSON.stringify(report));
