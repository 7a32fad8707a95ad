/**
 * The lexical build alone, on the benchmark's synthetic corpus: generates (or reuses) `.cache/bench-corpus/v3-s1-<N>`
 * and runs a full lexical-only `buildIndex` of it into a fresh folder, then prints the build report's stages, the
 * wall time, the load average and the process's peak RSS (the load-independent figure).
 *
 * @example
 * node --import tsx bench/buildOnly.ts --size 10000            # build, print the figures as JSON
 * node --import tsx bench/buildOnly.ts --size 2000 --keep       # keep the index (in .cache/bench-build/<N>)
 * node --import tsx bench/buildOnly.ts --size 2000 --corpus-only
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildIndex } from '../index/buildIndex.ts';
import { ensureBenchCorpus } from './generateCorpus.ts';
import { FULL_OPTIONS } from './options.ts';
import { buildSentencePool } from './sentencePool.ts';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '10000' },
    keep: { type: 'boolean', default: false },
    'corpus-only': { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});
const size = Number(values.size);
const pool = await buildSentencePool(FULL_OPTIONS.realLetterDirs.filter((d) => existsSync(d)));
const corpus = await ensureBenchCorpus(pool, size, path.join(FULL_OPTIONS.cacheDir, 'bench-corpus'), FULL_OPTIONS.seed);
console.error(`corpus ${corpus.dir}${corpus.generated ? ` generated in ${Math.round(corpus.ms)} ms` : ' (cached)'}`);
if (values['corpus-only']) process.exit(0);

const indexDir = values.out ?? path.join(FULL_OPTIONS.cacheDir, 'bench-build', String(size));
await rm(indexDir, { recursive: true, force: true });
const loadBefore = os.loadavg();
const rssBefore = process.resourceUsage().maxRSS;
const cpuBefore = process.cpuUsage();
const started = performance.now();
const report = await buildIndex({ corpusDirs: [corpus.dir], indexDir, dense: 'off', embedder: null, full: true, progress: false, log: (l) => console.error(l) });
const ms = Math.round(performance.now() - started);
const result = {
  size,
  letters: report.letters,
  passages: report.passages,
  ms,
  /** CPU time of every thread of the process (less sensitive to the machine's load than the wall time). */
  cpuMs: Math.round(((c) => (c.user + c.system) / 1000)(process.cpuUsage(cpuBefore))),
  stages: report.stages,
  parseMsPerLetter: +(report.stages.parse / Math.max(1, report.letters)).toFixed(2),
  peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  rssBeforeBuildMB: Math.round(rssBefore / 1024),
  loadAverage: { before: loadBefore.map((l) => +l.toFixed(2)), after: os.loadavg().map((l) => +l.toFixed(2)) },
  cpus: os.cpus().length,
};
console.log(JSON.stringify(result));
if (!values.keep) await rm(indexDir, { recursive: true, force: true });
