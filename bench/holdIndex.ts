/**
 * Child-process probe: opens an index the way the bot does (`openIndex`), answers the given questions, and prints
 * one JSON line with the time from process start to the first answer and the peak resident memory.
 * Run by the benchmark as `node --import tsx bench/holdIndex.ts '<json>'`.
 */
import { readFileSync } from 'node:fs';
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
  /** RSS right after the index (and model) were opened. */
  rssAfterOpenMB: number;
  heapUsedMB: number;
  externalMB: number;
}

/**
 * Peak resident memory of this process in MB. Linux's VmHWM belongs to this program image; getrusage's maxRSS
 * is not usable here because a child spawned from a big parent inherits the parent's high-water mark across exec.
 */
function peakRssMB(): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Math.round(Number(match[1]) / 1024);
  } catch {
    // Not Linux: fall back below.
  }
  return Math.round(process.resourceUsage().maxRSS / 1024);
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
const rssAfterOpenMB = Math.round(process.memoryUsage().rss / 2 ** 20);
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
  maxRssMB: peakRssMB(),
  rssMB: Math.round(mem.rss / 2 ** 20),
  rssAfterOpenMB,
  heapUsedMB: Math.round(mem.heapUsed / 2 ** 20),
  // arrayBuffers is part of external.
  externalMB: Math.round(mem.external / 2 ** 20),
};
console.log(JSON.stringify(report));
