/**
 * Child-process probe for the incremental rebuild: loads the model (if any), then changes one letter, rebuilds,
 * restores it and rebuilds again (bench/incrementalRebuild.ts), and prints the result as one JSON line. A fresh
 * process is what `fuhan build` after an edit looks like, and keeps the benchmark's own heap out of the figure.
 * Run as `node --import tsx bench/rebuildProbe.ts '<json>'`.
 */
import { z } from 'zod';
import { loadEmbedder } from '../index/embedding/embedder.ts';
import { measureIncrementalRebuild } from './incrementalRebuild.ts';

const ArgsSchema = z.object({
  corpusDir: z.string(),
  letterFile: z.string(),
  indexDir: z.string(),
  model: z.object({ localModelPath: z.string(), modelId: z.string() }).nullable(),
});

const args = ArgsSchema.parse(JSON.parse(process.argv[2] ?? '{}'));
const started = performance.now();
const embedder = args.model ? await loadEmbedder({ model: args.model.modelId, localModelPath: args.model.localModelPath, allowRemote: false, spinning: true }, (line) => console.error(line)) : null;
if (args.model && !embedder) throw new Error(`could not load ${args.model.modelId}`);
const modelLoadMs = Math.round(performance.now() - started);
const result = await measureIncrementalRebuild(args.corpusDir, args.letterFile, args.indexDir, embedder);
console.log(JSON.stringify({ ...result, modelLoadMs }));
await embedder?.dispose();
