/**
 * Parse, cut and tokenise read documents — the CPU-bound middle of a build — in batches, on worker
 * threads when there are many (node:worker_threads, no pool library: one job kind, a few threads).
 *
 * Each batch comes back as letters, passages and the counted terms of both in compact rows
 * (termRows.ts), and batches are handed to the caller in document order, so the index built from
 * them is the one a single thread builds, byte for byte (tests/index.build.threads.test.ts). At most
 * two batches per thread are in flight: memory is set by the batch size, not by the corpus.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Letter, Passage, RawDocument } from '../../corpus/letter.ts';
import { parseLetter } from '../../corpus/parseLetter.ts';
import { cutPassages } from '../../corpus/passages.ts';
import { letterTerms } from '../corpusIndex.ts';
import { TermRowsBuilder, type CountedRows } from '../lexical/termRows.ts';

/** One document's outcome: its letter and passages, or why it was skipped. */
export type AnalyzedDocument = { letter: Letter; passages: Passage[] } | { skipped: string };

/** A batch analysed: per document its outcome, and the terms of its letters and passages (skipped documents have none). */
export interface AnalyzedBatch {
  items: AnalyzedDocument[];
  passageRows: CountedRows;
  letterRows: CountedRows;
}

/**
 * Parses, cuts and tokenises documents (on this thread). A document that cannot be parsed, or has no
 * letter text, is skipped with the reason a build reports.
 *
 * @example const { items, passageRows } = analyzeBatch(docs);
 */
export function analyzeBatch(docs: RawDocument[]): AnalyzedBatch {
  const passageRows = new TermRowsBuilder();
  const letterRows = new TermRowsBuilder();
  const items: AnalyzedDocument[] = [];
  for (const doc of docs) {
    let letter: Letter;
    let passages: Passage[];
    try {
      letter = parseLetter(doc);
      passages = cutPassages(letter);
    } catch (e) {
      items.push({ skipped: `could not be parsed (${(e as Error).message})` });
      continue;
    }
    if (!letter.text.trim() || !passages.length) {
      items.push({ skipped: 'no letter text found' });
      continue;
    }
    const terms = letterTerms(letter, passages);
    letterRows.addDocument(terms.letter);
    for (const p of terms.passages) passageRows.addDocument(p);
    items.push({ letter, passages });
  }
  return { items, passageRows: passageRows.finish(), letterRows: letterRows.finish() };
}

export interface AnalyzeOptions {
  /**
   * Worker threads (default: one per core, at most 4). 0 or 1, or fewer documents than `minForThreads`,
   * analyse on this thread.
   */
  threads?: number;
  /**
   * Documents per batch (default 128: ≈ 1,300 passages, a few MB in flight). Each batch brings its own
   * vocabulary for the main thread to renumber: 473 terms per letter in batches of 32, 156 in batches
   * of 128 (1,024 synthetic letters) — ≈ 5 s less of the main thread's CPU at 10,000 letters.
   */
  batchSize?: number;
  /** Below this many documents threads are not started (default 200 when `threads` is not given, else 0: starting one costs ≈ 0.5 s). */
  minForThreads?: number;
  log?: (line: string) => void;
}

/** Threads a build uses by default: one per core (the main thread only merges), at most 4. */
export function defaultThreads(): number {
  return Math.min(4, os.availableParallelism?.() ?? os.cpus().length);
}

const WORKER_URL = new URL('./analyzeWorker.mjs', import.meta.url);

/**
 * The documents analysed batch by batch, in order.
 *
 * @example
 * for await (const { docs, batch } of analyzeDocuments(fresh, { threads: 2 })) merge(docs, batch);
 */
export async function* analyzeDocuments(docs: RawDocument[], options: AnalyzeOptions = {}): AsyncGenerator<{ docs: RawDocument[]; batch: AnalyzedBatch }> {
  const batchSize = Math.max(1, options.batchSize ?? 128);
  const batches: RawDocument[][] = [];
  for (let i = 0; i < docs.length; i += batchSize) batches.push(docs.slice(i, i + batchSize));
  const threads = Math.min(options.threads ?? defaultThreads(), batches.length);
  if (threads <= 1 || docs.length < (options.minForThreads ?? (options.threads === undefined ? 200 : 0))) {
    for (const batch of batches) yield { docs: batch, batch: analyzeBatch(batch) };
    return;
  }
  const pool = new AnalyzePool(threads, options.log ?? (() => {}));
  try {
    // Up to two batches per thread in flight; results are taken in order.
    const pending: Promise<AnalyzedBatch>[] = [];
    let next = 0;
    const fill = () => {
      while (next < batches.length && pending.length < threads * 2) pending.push(pool.run(batches[next++]));
    };
    for (let i = 0; i < batches.length; i++) {
      fill();
      const batch = await pending.shift()!;
      yield { docs: batches[i], batch };
    }
  } finally {
    await pool.close();
  }
}

interface Job {
  docs: RawDocument[];
  resolve: (batch: AnalyzedBatch) => void;
  reject: (error: Error) => void;
}

/**
 * A few worker threads running analyzeBatch. A thread that fails (it could not start, or died) is
 * retired and its batches are analysed on this thread instead: the build is slower, never wrong.
 */
class AnalyzePool {
  private readonly idle: Worker[] = [];
  private readonly queue: Job[] = [];
  private readonly busy = new Map<Worker, Job>();
  private readonly all: Worker[] = [];

  constructor(threads: number, private readonly log: (line: string) => void) {
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(WORKER_URL);
      worker.on('message', (batch: AnalyzedBatch) => {
        const job = this.busy.get(worker)!;
        this.busy.delete(worker);
        this.idle.push(worker);
        job.resolve(batch);
        this.dispatch();
      });
      worker.on('error', (e) => this.retire(worker, e));
      worker.on('exit', (code) => this.retire(worker, new Error(`the thread exited (code ${code})`)));
      this.all.push(worker);
      this.idle.push(worker);
    }
  }

  run(docs: RawDocument[]): Promise<AnalyzedBatch> {
    return new Promise((resolve, reject) => {
      this.queue.push({ docs, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.idle.length && this.queue.length) {
      const worker = this.idle.pop()!;
      const job = this.queue.shift()!;
      this.busy.set(worker, job);
      worker.postMessage(job.docs);
    }
    // No thread left: the rest is analysed here.
    if (!this.all.length) {
      for (const job of this.queue.splice(0)) runHere(job);
    }
  }

  private retire(worker: Worker, e: Error): void {
    const i = this.all.indexOf(worker);
    if (i < 0) return;
    this.all.splice(i, 1);
    const idle = this.idle.indexOf(worker);
    if (idle >= 0) this.idle.splice(idle, 1);
    this.log(`build: a parsing thread failed (${e.message}); its work is done on the main thread`);
    const job = this.busy.get(worker);
    this.busy.delete(worker);
    if (job) runHere(job);
    this.dispatch();
  }

  async close(): Promise<void> {
    const workers = this.all.splice(0);
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

function runHere(job: Job): void {
  try {
    job.resolve(analyzeBatch(job.docs));
  } catch (e) {
    job.reject(e as Error);
  }
}
