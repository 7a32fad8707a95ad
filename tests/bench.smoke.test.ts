/**
 * The benchmark harness must not rot: run it tiny (20 letters, a few questions, lexical-only and the tiny model
 * hybrid) through the same functions `npm run bench` uses, and check that every figure comes out and the report
 * renders. Timings are not asserted: this is not a benchmark.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probeIndexProcess } from '../bench/childProcesses.ts';
import { runBenchmark, type BenchResults } from '../bench/harness.ts';
import { QUICK_OPTIONS } from '../bench/options.ts';
import { generateLetter } from '../bench/generateCorpus.ts';
import { buildSentencePool } from '../bench/sentencePool.ts';
import { writeReport } from '../bench/writeReport.ts';
import { parseLetter } from '../corpus/parseLetter.ts';
import { cutPassages } from '../corpus/passages.ts';

const REAL = [path.resolve('corpus/letters'), path.resolve('tests/fixtures/letters')];
let scratch = '';

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('benchmark workload', () => {
  it('generates deterministic letters that parse like real ones', async () => {
    const pool = await buildSentencePool(REAL);
    const a = generateLetter(pool, 5, 1);
    expect(generateLetter(pool, 5, 1).text).toBe(a.text);
    expect(generateLetter(pool, 6, 1).text).not.toBe(a.text);
    const body = a.text.replace(/^---[\s\S]*?---\n/, '');
    const letter = parseLetter({ file: 'x.txt', id: 'x', format: 'txt', text: body, frontMatter: {} });
    expect(letter.issuer).toBe(a.info.issuer);
    expect(letter.proposal).toBe(a.info.proposal);
    expect(letter.date).toBe(a.info.date);
    expect(letter.sections.some((s) => s.heading.includes('下一步工作计划'))).toBe(true);
    const passages = cutPassages(letter);
    expect(passages.length).toBeGreaterThanOrEqual(5);
    for (const p of passages) expect(letter.text.slice(p.start, p.end)).toBe(p.text);
  });
});

describe('benchmark harness (tiny run)', () => {
  it('measures every figure and writes the report', async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'fuhan-bench-'));
    const results: BenchResults = await runBenchmark({
      ...QUICK_OPTIONS,
      sizes: [20],
      cacheDir: scratch,
      realLetterDirs: REAL,
      devQuestionsFile: path.join(scratch, 'absent.jsonl'),
      generatedQuestions: 12,
      sampleSize: 8,
      throughputLetters: 2,
      throughputRounds: 1,
      concurrency: 5,
      concurrentAnswers: 10,
      recallQueries: 5,
      coldStartRuns: 1,
      // Child processes are slow to start (tsx); one probe below keeps that code path alive.
      childProcesses: false,
      log: () => undefined,
    });
    const [size] = results.sizes;
    expect(size.letters).toBe(20);
    expect(size.lexical.questions).toBe(12);
    expect(size.lexical.total.p50).toBeGreaterThan(0);
    expect(size.lexical.droppedQuotes).toBe(0);
    expect(size.hybrid!.stages.embed.p50).toBeGreaterThan(0);
    expect(results.load!.answers).toBe(10);
    expect(results.recall!.recallAt10).toBeGreaterThan(0.8);
    expect(results.buildThroughput!.passages).toBeGreaterThan(0);
    expect(results.buildThroughput!.ratio).toBeGreaterThan(0);
    expect(results.incremental!.change.changed).toBe(1);
    expect(results.incremental!.change.embedded).toBeGreaterThan(0);
    const probe = await probeIndexProcess(null, {
      corpusDir: path.resolve(size.corpusDir),
      indexDir: path.resolve(size.lexicalIndexDir),
      dense: 'off',
      model: null,
      questions: ['农村公路建设有什么计划？', 'What are the plans for rural roads?'],
    });
    expect(probe.answers).toBe(2);
    expect(probe.maxRssMB).toBeGreaterThan(0);
    expect(probe.firstAnswerMs).toBeGreaterThan(probe.openMs);
    expect(results.targets).toHaveLength(7);

    const files = await writeReport(results, path.join(scratch, 'docs'));
    const markdown = await readFile(files.markdown, 'utf8');
    expect(markdown).toContain('## Targets');
    expect(markdown).toContain('recall@10');
    expect(JSON.parse(await readFile(files.json, 'utf8')).sizes[0].letters).toBe(20);
  }, 120_000);
});
