/**
 * What a build's parsing thread does (started by analyzeLetters.ts through analyzeWorker.mjs): each
 * message is a batch of read documents; the answer is the batch analysed, its rows' memory moved
 * (transferred), not copied.
 */
import type { MessagePort } from 'node:worker_threads';
import type { RawDocument } from '../../corpus/letter.ts';
import type { CountedRows } from '../lexical/termRows.ts';
import { analyzeBatch } from './analyzeLetters.ts';

/** Answers batches of documents on `port` until the thread is ended. */
export function serve(port: MessagePort | null): void {
  if (!port) throw new Error('analyzeWorkerMain: not started as a worker thread');
  port.on('message', (docs: RawDocument[]) => {
    const batch = analyzeBatch(docs);
    const buffers = (rows: CountedRows) => [rows.docEnds, rows.termIds, rows.tfs, rows.wordLengths, rows.bigramLengths].map((a) => a.buffer as ArrayBuffer);
    port.postMessage(batch, [...buffers(batch.passageRows), ...buffers(batch.letterRows)]);
  });
}
