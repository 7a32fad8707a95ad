/**
 * Incremental change of an inverted index's postings: drop some documents, renumber the rest in
 * order, append new ones, in one pass: the 40 million postings of a 10,000-letter index are read and
 * copied once, into arrays allocated once (fresh memory is slow to touch on a small VM: each
 * megabyte first written costs page faults).
 */
import type { DocumentTerms, LexicalIndexData } from './lexicalIndex.ts';

/** Term frequencies are stored in 8 bits: BM25 (k1 = 1.2) saturates long before 255. */
const MAX_TF = 255;

/**
 * Index data keeping the documents whose flag in `keep` is set (renumbered from 0, in order),
 * followed by `added` (numbered after them). The vocabulary only grows: a term whose documents all
 * went keeps an empty postings list, so term ids stay stable.
 *
 * @example
 * const next = updatePostings(data, Uint8Array.of(1, 0, 1), [{ words: ['农业'], bigrams: ['农业'] }]);
 * // documents 0 and 2 become 0 and 1; the new document is 2
 */
export function updatePostings(data: LexicalIndexData, keep: Uint8Array, added: DocumentTerms[]): LexicalIndexData {
  const { postingOffsets, postingDocs, postingTfs } = data;
  const oldSize = data.wordLengths.length;
  const oldTerms = postingOffsets.length - 1;

  // Old ordinal → new ordinal (-1: dropped), and the kept documents' lengths.
  const remap = new Int32Array(oldSize);
  let kept = 0;
  for (let d = 0; d < oldSize; d++) remap[d] = keep[d] ? kept++ : -1;
  const total = kept + added.length;
  const wordLengths = new Uint32Array(total);
  const bigramLengths = new Uint32Array(total);
  for (let d = 0; d < oldSize; d++) {
    if (remap[d] >= 0) {
      wordLengths[remap[d]] = data.wordLengths[d];
      bigramLengths[remap[d]] = data.bigramLengths[d];
    }
  }

  // The new documents' term counts; the vocabulary grows as needed.
  const vocab = data.vocab.slice();
  const ids = new Map<string, number>();
  for (let i = 0; i < vocab.length; i++) ids.set(vocab[i], i);
  const rowTerms: Uint32Array[] = [];
  const rowTfs: Uint8Array[] = [];
  added.forEach((doc, i) => {
    const counts = new Map<number, number>();
    const count = (term: string) => {
      let id = ids.get(term);
      if (id === undefined) {
        id = vocab.length;
        vocab.push(term);
        ids.set(term, id);
      }
      counts.set(id, (counts.get(id) ?? 0) + 1);
    };
    for (const w of doc.words) count('w:' + w);
    for (const g of doc.bigrams) count('b:' + g);
    rowTerms.push(Uint32Array.from(counts.keys()));
    rowTfs.push(Uint8Array.from(counts.values(), (tf) => Math.min(tf, MAX_TF)));
    wordLengths[kept + i] = doc.words.length;
    bigramLengths[kept + i] = doc.bigrams.length;
  });

  // The new documents' postings grouped by term (a counting sort: they are few).
  const V = vocab.length;
  const newStart = new Uint32Array(V + 1);
  for (const terms of rowTerms) for (let j = 0; j < terms.length; j++) newStart[terms[j] + 1]++;
  for (let t = 0; t < V; t++) newStart[t + 1] += newStart[t];
  const newDocs = new Uint32Array(newStart[V]);
  const newTfs = new Uint8Array(newStart[V]);
  const cursor = newStart.slice(0, V);
  rowTerms.forEach((terms, i) => {
    const tf = rowTfs[i];
    for (let j = 0; j < terms.length; j++) {
      const p = cursor[terms[j]]++;
      newDocs[p] = kept + i;
      newTfs[p] = tf[j];
    }
  });

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
