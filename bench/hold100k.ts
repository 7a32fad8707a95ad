/**
 * Holding a kept lexical index and querying it, in a fresh process (the figures of issue #14 at 100,000 letters):
 * opens the index the way the bot does (`openIndex`, lexical-only), prints the RSS after opening, then answers the
 * benchmark's question set end to end (`measureAnswerLatency`: the generated questions of that corpus interleaved
 * with the dev questions, as `npm run bench` does) and prints p50/p95/p99, the peak RSS (VmHWM) and the load.
 * With `--rebuild`, it then changes one letter, rebuilds incrementally, restores it and rebuilds again (no compaction:
 * rewriting 100k letters whole is the full build, measured by bench/buildOnly.ts).
 *
 * @example
 * node --import tsx bench/buildOnly.ts --size 100000 --keep      # the index in .cache/bench-build/100000
 * node --expose-gc --import tsx bench/hold100k.ts --size 100000 --rebuild
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildIndex } from '../index/buildIndex.ts';
import { openIndex } from '../index/openIndex.ts';
import { measureAnswerLatency } from './answerLatency.ts';
import { generatedInfos } from './generateCorpus.ts';
import { FULL_OPTIONS } from './options.ts';
import { generateQuestions, loadDevQuestions } from './questions.ts';
import { buildSentencePool } from './sentencePool.ts';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '100000' },
    index: { type: 'string' },
    rebuild: { type: 'boolean', default: false },
  },
});
const size = Number(values.size);
const corpusDir = path.join(FULL_OPTIONS.cacheDir, 'bench-corpus', `v3-s${FULL_OPTIONS.seed}-${size}`);
const indexDir = values.index ?? path.join(FULL_OPTIONS.cacheDir, 'bench-build', String(size));
if (!existsSync(corpusDir) || !existsSync(indexDir)) throw new Error(`need ${corpusDir} and ${indexDir} (bench/buildOnly.ts --size ${size} --keep)`);

/** Peak resident memory of this process (VmHWM), MB. */
function peakRssMB(): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Math.round(Number(match[1]) / 1024) : Math.round(process.resourceUsage().maxRSS / 1024);
}
const rssMB = () => Math.round(process.memoryUsage().rss / 2 ** 20);
const load = () => os.loadavg().map((l) => +l.toFixed(2));

// The questions first (they need the sentence pool, not the index), so the RSS figures are the index's.
const pool = await buildSentencePool(FULL_OPTIONS.realLetterDirs.filter((d) => existsSync(d)));
const generated = generateQuestions(generatedInfos(pool, size, FULL_OPTIONS.seed), FULL_OPTIONS.generatedQuestions, FULL_OPTIONS.seed);
const dev = loadDevQuestions(FULL_OPTIONS.devQuestionsFile);
const questions: string[] = [];
for (let i = 0; i < Math.max(dev.length, generated.length); i++) {
  if (i < generated.length) questions.push(generated[i].text);
  if (i < dev.length) questions.push(dev[i].text);
}
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const rssBeforeOpenMB = rssMB();

const loadAtOpen = load();
const t0 = performance.now();
const engine = await openIndex({ corpusDirs: [corpusDir], indexDir, dense: 'off', buildIfMissing: false, log: (l) => console.error(l) });
const openMs = Math.round(performance.now() - t0);
gc?.();
const rssAfterOpenMB = rssMB();
const peakAfterOpenMB = peakRssMB();
console.error(`opened in ${openMs} ms, RSS ${rssAfterOpenMB} MB (before ${rssBeforeOpenMB}), peak ${peakAfterOpenMB} MB`);

const loadAtQuery = load();
const latency = await measureAnswerLatency(engine, questions);
gc?.();
const mem = process.memoryUsage();
const hold = {
  size,
  letters: engine.index.letters.length,
  passages: engine.index.passages.length,
  openMs,
  rssBeforeOpenMB,
  rssAfterOpenMB,
  rssAfterQueriesMB: rssMB(),
  peakRssMB: peakRssMB(),
  heapUsedMB: Math.round(mem.heapUsed / 2 ** 20),
  externalMB: Math.round(mem.external / 2 ** 20),
  questions: latency.questions,
  refused: latency.refused,
  droppedQuotes: latency.droppedQuotes,
  total: latency.total,
  lexical: latency.stages.lexical,
  answer: latency.stages.answer,
  loadAverage: { open: loadAtOpen, query: loadAtQuery, after: load() },
};
console.log(JSON.stringify({ hold }));

if (values.rebuild) {
  const letterFile = path.join(corpusDir, `letter-${String(Math.floor(size / 2)).padStart(5, '0')}.txt`);
  const original = await readFile(letterFile, 'utf8');
  const changed = original.replace(/现答复如下：\n([^\n]*?)。/, (m, first: string) => m.replace(`${first}。`, `${first}，并已列入年度重点工作。`));
  if (changed === original) throw new Error(`could not change ${letterFile}`);
  const rebuild = async () => {
    const loadBefore = load();
    const t = performance.now();
    const report = await buildIndex({ corpusDirs: [corpusDir], indexDir, dense: 'off', embedder: null, progress: false, log: () => undefined });
    return { wallMs: Math.round(performance.now() - t), changed: report.changed, stages: report.stages, layout: report.layout, loadAverage: loadBefore };
  };
  try {
    await writeFile(letterFile, changed);
    const change = await rebuild();
    await writeFile(letterFile, original);
    const restore = await rebuild();
    console.log(JSON.stringify({ rebuild: { letterFile: path.basename(letterFile), change, restore, peakRssMB: peakRssMB() } }));
  } finally {
    await writeFile(letterFile, original);
  }
}
