/**
 * The benchmark's two standard configurations: a full run and `--quick`.
 */
import path from 'node:path';
import { REPO_ROOT, type BenchOptions } from './harness.ts';
import type { PeersOptions } from './peers/runPeers.ts';
import type { VectorScaleOptions } from './vectors/vectorScale.ts';

/** Options of a full run. */
export const FULL_OPTIONS: Omit<BenchOptions, 'log'> = {
  sizes: [1000, 10000],
  hybrid: true,
  model: 'e5',
  cacheDir: path.join(REPO_ROOT, '.cache'),
  realLetterDirs: [path.join(REPO_ROOT, 'corpus', 'letters'), path.join(REPO_ROOT, 'tests', 'fixtures', 'letters'), path.resolve(REPO_ROOT, '..', 'shared', 'eval', 'dev', 'letters')],
  devQuestionsFile: path.resolve(REPO_ROOT, '..', 'shared', 'eval', 'dev', 'questions.jsonl'),
  generatedQuestions: 226,
  sampleSize: 128,
  throughputLetters: 48,
  throughputRounds: 5,
  concurrency: 50,
  concurrentAnswers: 300,
  recallQueries: 100,
  coldStartRuns: 5,
  childProcesses: true,
  incremental: true,
  seed: 1,
};

/** Options of `--quick`. */
export const QUICK_OPTIONS: Omit<BenchOptions, 'log'> = {
  ...FULL_OPTIONS,
  sizes: [30],
  model: 'tiny',
  generatedQuestions: 20,
  sampleSize: 16,
  throughputLetters: 3,
  throughputRounds: 1,
  concurrentAnswers: 60,
  recallQueries: 20,
  coldStartRuns: 1,
};

const fixture = (name: string) => path.join(REPO_ROOT, 'tests', 'fixtures', name);

/** Options of `--vectors N` (N is given on the command line). */
export const VECTOR_OPTIONS: Omit<VectorScaleOptions, 'count' | 'log'> = {
  cacheDir: FULL_OPTIONS.cacheDir,
  letterDirs: FULL_OPTIONS.realLetterDirs,
  questionFiles: [FULL_OPTIONS.devQuestionsFile, fixture('heldout-questions.jsonl'), fixture('heldout-questions-b.jsonl')],
  sampleSize: 128,
  queries: 100,
  seed: 1,
  keep: true,
  holds: [{ storage: 'float32' }, { storage: 'int8' }],
};


/** Options of `--peers` (`--sizes N` sets the corpus, `--peer-questions N` the timed questions). */
export const PEER_OPTIONS: Omit<PeersOptions, 'log'> = {
  size: 10000,
  // Orama and MiniSearch take about a second per question at 10k letters (issue #14): 100 keep the run short.
  questions: 100,
  cacheDir: FULL_OPTIONS.cacheDir,
  realLetterDirs: FULL_OPTIONS.realLetterDirs,
  devQuestionsFile: FULL_OPTIONS.devQuestionsFile,
  generatedQuestions: FULL_OPTIONS.generatedQuestions,
  qualityLetters: path.resolve(REPO_ROOT, '..', 'shared', 'eval', 'dev', 'letters'),
  qualityQuestionFiles: [
    FULL_OPTIONS.devQuestionsFile,
    path.resolve(REPO_ROOT, '..', 'shared', 'eval', 'dev', 'questions-realistic.jsonl'),
    ...['heldout-questions.jsonl', 'heldout-questions-b.jsonl', 'heldout-questions-c.jsonl', 'heldout-questions-d.jsonl'].map(fixture),
  ],
  seed: FULL_OPTIONS.seed,
};
