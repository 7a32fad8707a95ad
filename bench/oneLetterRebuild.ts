/**
 * One changed letter, rebuilt incrementally in a fresh process (issue #14's "≤ 5 s at 100,000 letters"): changes one
 * sentence of one letter of a kept index's corpus (or, when it is already changed, restores it), runs `buildIndex`,
 * and prints one JSON line: the report's stages, the wall and CPU time, the peak RSS and the load average. Each run
 * is what `fuhan build` after an edit looks like. Work on your own copy of the corpus: this edits a letter in place.
 *
 * @example
 * node --import tsx bench/oneLetterRebuild.ts --corpus .cache/corpus-100k-incr --index .cache/index-100k-incr
 * node --import tsx bench/oneLetterRebuild.ts --corpus .cache/corpus-100k-incr --index .cache/index-100k-incr --letter letter-00042.txt
 */
import { readFileSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildIndex } from '../index/buildIndex.ts';

const { values } = parseArgs({
  options: {
    corpus: { type: 'string' },
    index: { type: 'string' },
    letter: { type: 'string' },
  },
});
if (!values.corpus || !values.index) throw new Error('usage: oneLetterRebuild.ts --corpus <dir> --index <dir> [--letter <file in the corpus>]');
const corpusDir = values.corpus;
const letterName = values.letter ?? (await readdir(corpusDir)).filter((f) => f.endsWith('.txt')).sort()[0]!;
const file = path.join(corpusDir, letterName);

// The same change as bench/incrementalRebuild.ts: an extra clause in the first body paragraph.
const CLAUSE = '，并已列入年度重点工作。';
const original = await readFile(file, 'utf8');
const edited = original.includes(CLAUSE)
  ? original.replace(CLAUSE, '。')
  : original.replace(/现答复如下：\n([^\n]*?)。/, (m, first: string) => m.replace(`${first}。`, `${first}${CLAUSE}`));
if (edited === original) throw new Error(`could not change ${file}`);
await writeFile(file, edited);

const load = () => os.loadavg().map((l) => +l.toFixed(2));
const peakRssMB = () => Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024);
const loadBefore = load();
const cpuBefore = process.cpuUsage();
const started = performance.now();
const report = await buildIndex({ corpusDirs: [corpusDir], indexDir: values.index, dense: 'off', embedder: null, progress: false, log: (l) => console.error(l) });
const cpu = process.cpuUsage(cpuBefore);
console.log(
  JSON.stringify({
    letter: letterName,
    action: original.includes(CLAUSE) ? 'restore' : 'change',
    wallMs: Math.round(performance.now() - started),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    stages: report.stages,
    layout: report.layout,
    letters: report.letters,
    changed: report.changed,
    peakRssMB: peakRssMB(),
    loadAverage: { before: loadBefore, after: load() },
  }),
);
