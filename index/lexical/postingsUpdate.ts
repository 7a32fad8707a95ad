/**
 * Incremental change of an inverted index's postings: drop some documents, renumber the rest in
 * order, append new ones, in one pass: the 40 million postings of a 10,000-letter index are read and
 * copied once, into arrays allocated once (fresh memory is slow to touch on a small VM: each
 * megabyte first written costs page faults).
 */
import type { DocumentTerms, LexicalIndexData } from './lexicalIndex.ts';
import { termRowsOf, type TermRows } from './termRows.ts';

/**
 * Index data keeping the documents whose flag in `keep` is set (renumbered from 0, in order),
 * followed by `added` (numbered after them; term lists, or rows counted already). The vocabulary only
 * grows: a term whose documents all went keeps an empty postings list, so term ids stay stable.
 *
 * @example
 * const next = updatePostings(data, Uint8Array.of(1, 0, 1), [{ words: ['农业'], bigrams: ['农业'] }]);
 * // documents 0 and 2 become 0 and 1; the new document is 2
 */
export function updatePostings(data: LexicalIndexData, keep: Uint8Array, added: DocumentTerms[] | TermRows): LexicalIndexData {
  const rows = Array.isArray(added) ? termRowsOf(added) : added;
  const { postingOffsets, postingDocs, postingTfs } = data;
  const oldSize = data.wordLengths.length;
  const oldTerms = postingOffsets.length - 1;
  const addedCount = rows.wordLengths.length;

  // Old ordinal → new ordinal (-1: dropped), and the kept documents' lengths.
  const remap = new Int32Array(oldSize);
  let kept = 0;
  for (let d = 0; d < oldSize; d++) remap[d] = keep[d] ? kept++ : -1;
  const total = kept + addedCount;
  const wordLengths = new Uint32Array(total);
  const bigramLengths = new Uint32Array(total);
  for (let d = 0; d < oldSize; d++) {
    if (remap[d] >= 0) {
      wordLengths[remap[d]] = data.wordLengths[d];
      bigramLengths[remap[d]] = data.bigramLengths[d];
    }
  }
  wordLengths.set(rows.wordLengths, kept);
  bigramLengths.set(rows.bigramLengths, kept);

  // The vocabulary grows by the new documents' terms it lacks, in their order of first appearance.
  const vocab = data.vocab.slice();
  const ids = new Map<string, number>();
  for (let i = 0; i < vocab.length; i++) ids.set(vocab[i], i);
  const idOfRow = new Uint32Array(rows.vocab.length);
  for (let i = 0; i < rows.vocab.length; i++) {
    let id = ids.get(rows.vocab[i]);
    if (id === undefined) {
      id = vocab.length;
      vocab.push(rows.vocab[i]);
      ids.set(rows.vocab[i], id);
    }
    idOfRow[i] = id;
  }

  // The new documents' postings grouped by term (a counting sort over the rows, whose counts per term are known).
  const V = vocab.length;
  const newStart = new Uint32Array(V + 1);
  for (let i = 0; i < rows.termCounts.length; i++) newStart[idOfRow[i] + 1] += rows.termCounts[i];
  for (let t = 0; t < V; t++) newStart[t + 1] += newStart[t];
  const newDocs = new Uint32Array(newStart[V]);
  const newTfs = new Uint8Array(newStart[V]);
  const cursor = newStart.slice(0, V);
  let doc = kept;
  for (const { docEnds, termIds, tfs: rowTfs } of rows.chunks()) {
    for (let d = 0, r = 0; d < docEnds.length; d++, doc++) {
      for (const end = docEnds[d]; r < end; r++) {
        const p = cursor[idOfRow[termIds[r]]]++;
        newDocs[p] = doc;
        newTfs[p] = rowTfs[r];
      }
    }
  }
  if (doc !== total) throw new Error(`updatePostings: the rows have ${doc - kept} documents, their lengths ${addedCount}`);
  // Nothing kept (a first or full build): the new postings are the index.
  if (kept === 0) return { vocab, postingOffsets: newStart, postingDocs: newDocs, postingTfs: newTfs, wordLengths, bigramLengths, params: data.params };

  // One pass: each term's kept postings, renumbered, then its new ones (new documents have the highest
  // ordinals, so every list stays sorted). The arrays are sized for every old posting plus the new
  // ones; the few left over by dropped documents stay unused at the end.
  const capacity = postingDocs.length + newDocs.length;
  const docs = new Uint32Array(capacity);
  const tfs = new Uint8Array(capacity);
  const offsets = new Uint32Array(V + 1);
  let at = 0;
  for (let t = 0; t < V; t++) {
    if (t < oldTerms) {
      for (let p = postingOffsets[t], end = postingOffsets[t + 1]; p < end; p++) {
        const d = remap[postingDocs[p]];
        if (d < 0) continue;
        docs[at] = d;
        tfs[at++] = postingTfs[p];
      }
    }
    for (let p = newStart[t], end = newStart[t + 1]; p < end; p++) {
      docs[at] = newDocs[p];
      tfs[at++] = newTfs[p];
    }
    offsets[t + 1] = at;
  }
  return { vocab, postingOffsets: offsets, postingDocs: docs.subarray(0, at), postingTfs: tfs.subarray(0, at), wordLengths, bigramLengths, params: data.params };
}

/** A run of consecutive terms' postings: those of terms `first..` laid out from posting `start`. */
export interface PostingsRange {
  first: number;
  start: number;
  docs: Uint32Array;
  tfs: Uint8Array;
}

/** Postings per range laid out by `postingsInRanges` (default 32 million: 160 MB of buffers). */
export const RANGE_POSTINGS = 1 << 25;

/**
 * Where each term's postings start, for an index of `rows` alone (`postingOffsets` of
 * `updatePostings(empty, [], rows)`): a prefix sum of the rows' term counts.
 *
 * @example postingOffsetsOf(termRowsOf([{ words: ['农业'], bigrams: ['农业'] }])) // → Uint32Array [0, 1, 2]
 */
export function postingOffsetsOf(rows: TermRows): Uint32Array {
  const offsets = new Uint32Array(rows.vocab.length + 1);
  for (let t = 0; t < rows.vocab.length; t++) offsets[t + 1] = offsets[t] + rows.termCounts[t];
  return offsets;
}

/**
 * The postings of an index of `rows` alone (what `updatePostings` lays out when nothing is kept),
 * range of terms by range of terms, each range at most `budget` postings (or one term, when a term
 * has more): each range is one pass over the rows (read back from their spill file), so memory is
 * the range's, not the postings' of the whole corpus (2.1 GB at 100,000 letters). The buffers are
 * reused: write a range out before asking for the next.
 *
 * @example
 * for (const { start, docs, tfs } of postingsInRanges(rows, postingOffsetsOf(rows))) write(start, docs, tfs);
 */
export function* postingsInRanges(rows: TermRows, offsets: Uint32Array, budget = RANGE_POSTINGS): Generator<PostingsRange> {
  const V = rows.vocab.length;
  const total = offsets[V];
  let largest = 0;
  for (let t = 0; t < V; t++) largest = Math.max(largest, rows.termCounts[t]);
  const size = Math.min(total, Math.max(budget, largest));
  const docsBuffer = new Uint32Array(size);
  const tfsBuffer = new Uint8Array(size);
  const cursor = new Uint32Array(V);
  for (let first = 0; first < V; ) {
    let last = first + 1;
    while (last < V && offsets[last + 1] - offsets[first] <= size) last++;
    const start = offsets[first];
    for (let t = first; t < last; t++) cursor[t] = offsets[t] - start;
    let doc = 0;
    for (const { docEnds, termIds, tfs } of rows.chunks()) {
      for (let d = 0, r = 0; d < docEnds.length; d++, doc++) {
        for (const end = docEnds[d]; r < end; r++) {
          const t = termIds[r];
          if (t < first || t >= last) continue;
          const p = cursor[t]++;
          docsBuffer[p] = doc;
          tfsBuffer[p] = tfs[r];
        }
      }
    }
    if (doc !== rows.wordLengths.length) throw new Error(`postingsInRanges: the rows have ${doc} documents, their lengths ${rows.wordLengths.length}`);
    const count = offsets[last] - start;
    yield { first, start, docs: docsBuffer.subarray(0, count), tfs: tfsBuffer.subarray(0, count) };
    first = last;
  }
}
