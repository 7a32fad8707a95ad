/**
 * Child-process probe: opens an index the way the bot does (`openIndex`), answers the given questions, and prints
 * one JSON line with the time from process start to the first answer and the peak resident memory.
 * Run by the benchmark as `node --import tsx bench/holdIndex.ts '<json>'`.
 */
import { z } from 'zod';
import { answerQuestion } from '../bot/answer/answerQuestion.ts';
import { openIndex } from '../index/openIndex.ts';

const ArgsSchema = z.object({
  corpusDir: z.string(),
  indexDir: z.string(),
  dense: z.enum(['off', 'on']),
  model: z.object({ localModelPath: z.string(), modelId: z.string() }).nullable(),
  questions: z.array(z.string()).min(1),
});

/** What the probe prints. */
export interface HoldReport {
  openMs: number;
  firstAnswerMs: number;
  answers: number;
  maxRssMB: number;
  rssMB: number;
  heapUsedMB: number;
  externalMB: number;
}

const args = ArgsSchema.parse(JSON.parse(process.argv[2] ?? '{}'));
const t0 = performance.now();
const engine = await openIndex({
  corpusDirs: [args.corpusDir],
  indexDir: args.indexDir,
  dense: args.dense,
  buildIfMissing: false,
  embedderOptions: args.model ? { model: args.model.modelId, localModelPath: args.model.localModelPath, allowRemote: false } : undefined,
  log: (line) => console.error(line),
});
const openMs = performance.now() - t0;
const log = () => undefined;
await answerQuestion(engine, args.questions[0], { log });
// performance.now() counts from process start (timeOrigin), so this includes Node and module loading.
const firstAnswerMs = performance.now();
for (const q of args.questions.slice(1)) await answerQuestion(engine, q, { log });
const mem = process.memoryUsage();
const report: HoldReport = {
  openMs: Math.round(openMs),
  firstAnswerMs: Math.round(firstAnswerMs),
  answers: args.questions.length,
  maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  rssMB: Math.round(mem.rss / 2 ** 20),
  heapUsedMB: Math.round(mem.heapUsed / 2 ** 20),
  externalMB: Math.round((mem.external + mem.arrayBuffers) / 2 ** 20),
};
console.log(JSON.stringify(report));
