/**
 * Documents' terms counted, in compact form: per document, its distinct terms (as ids into a vocabulary
 * of family-prefixed terms, `w:农业` / `b:农业`) with their frequencies, in typed arrays. This is what a
 * build carries from tokenising to the postings: at 10,000 letters a build held 42 million term strings
 * in `DocumentTerms` arrays (most of its 3.3 GB peak); as rows they are 5 bytes each.
 *
 * Row order and vocabulary order are exactly what counting the `DocumentTerms` one by one gives (terms
 * numbered in order of first appearance, a document's words before its bigrams), so postings built from
 * rows are identical to those built from term lists — and rows counted on worker threads, batch by
 * batch, merge (`TermRowsBuilder.addRows`) into the rows one thread would have counted.
 */
import type { DocumentTerms } from './lexicalIndex.ts';

/** Term frequencies are stored in 8 bits: BM25 (k1 = 1.2) saturates long before 255. */
export const MAX_TF = 255;

/** Counted terms of documents 0..n-1. */
export interface TermRows {
  /** Family-prefixed terms, in order of first appearance. */
  vocab: string[];
  /** Document d's rows are `docEnds[d-1] .. docEnds[d]` (from 0 for d = 0). */
  docEnds: Uint32Array;
  /** Term id of each row (a document's distinct terms in order of first appearance in it). */
  termIds: Uint32Array;
  /** Frequency of the row's term in its document, capped at MAX_TF. */
  tfs: Uint8Array;
  /** Per document: how many word terms and bigram terms it has (with repeats). */
  wordLengths: Uint32Array;
  bigramLengths: Uint32Array;
}

/** A typed array that grows by half as it fills (like an Array, without a pointer per element). */
class Growable<A extends Uint32Array | Uint8Array> {
  array: A;
  length = 0;
  constructor(private readonly make: (n: number) => A, capacity = 1024) {
    this.array = make(capacity);
  }
  reserve(extra: number): void {
    const need = this.length + extra;
    if (need <= this.array.length) return;
    const next = this.make(Math.max(need, Math.ceil(this.array.length * 1.5)));
    next.set(this.array.subarray(0, this.length));
    this.array = next;
  }
  push(value: number): void {
    if (this.length === this.array.length) this.reserve(1);
    this.array[this.length++] = value;
  }
  view(): A {
    return this.array.subarray(0, this.length) as A;
  }
}

/**
 * Counts documents' terms into rows, document by document or rows by rows.
 *
 * @example
 * const rows = new TermRowsBuilder();
 * rows.addDocument({ words: ['农业', '农业'], bigrams: ['农业'] });
 * rows.finish().tfs // → Uint8Array [2, 1]
 */
export class TermRowsBuilder {
  private readonly vocab: string[] = [];
  private readonly ids = new Map<string, number>();
  private readonly docEnds = new Growable((n) => new Uint32Array(n));
  private readonly termIds = new Growable((n) => new Uint32Array(n), 1 << 16);
  private readonly tfs = new Growable((n) => new Uint8Array(n), 1 << 16);
  private readonly wordLengths = new Growable((n) => new Uint32Array(n));
  private readonly bigramLengths = new Growable((n) => new Uint32Array(n));
  /** Reused per document: term id → its row in the document being counted. */
  private readonly rowOf = new Map<number, number>();

  /** Number of documents added. */
  get size(): number {
    return this.docEnds.length;
  }

  private idOf(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.vocab.length;
      this.vocab.push(term);
      this.ids.set(term, id);
    }
    return id;
  }

  /** Counts one document's terms (words first, then bigrams: the order ids are given in). */
  addDocument(doc: DocumentTerms): void {
    const rowOf = this.rowOf;
    rowOf.clear();
    const count = (term: string) => {
      const id = this.idOf(term);
      const row = rowOf.get(id);
      if (row === undefined) {
        rowOf.set(id, this.termIds.length);
        this.termIds.push(id);
        this.tfs.push(1);
      } else if (this.tfs.array[row] < MAX_TF) this.tfs.array[row]++;
    };
    for (const w of doc.words) count('w:' + w);
    for (const g of doc.bigrams) count('b:' + g);
    this.docEnds.push(this.termIds.length);
    this.wordLengths.push(doc.words.length);
    this.bigramLengths.push(doc.bigrams.length);
  }

  /** Appends documents counted elsewhere (another builder's `finish`, e.g. on a worker thread), renumbering their terms. */
  addRows(rows: TermRows): void {
    const map = new Uint32Array(rows.vocab.length);
    for (let i = 0; i < rows.vocab.length; i++) map[i] = this.idOf(rows.vocab[i]);
    const base = this.termIds.length;
    const n = rows.termIds.length;
    this.termIds.reserve(n);
    this.tfs.reserve(n);
    const ids = this.termIds.array;
    for (let i = 0; i < n; i++) ids[base + i] = map[rows.termIds[i]];
    this.termIds.length += n;
    this.tfs.array.set(rows.tfs, base);
    this.tfs.length += n;
    this.docEnds.reserve(rows.docEnds.length);
    for (let d = 0; d < rows.docEnds.length; d++) this.docEnds.push(base + rows.docEnds[d]);
    this.wordLengths.reserve(rows.wordLengths.length);
    this.bigramLengths.reserve(rows.bigramLengths.length);
    for (let d = 0; d < rows.wordLengths.length; d++) {
      this.wordLengths.push(rows.wordLengths[d]);
      this.bigramLengths.push(rows.bigramLengths[d]);
    }
  }

  /** The rows counted (views onto the builder's arrays: add nothing after). */
  finish(): TermRows {
    return {
      vocab: this.vocab,
      docEnds: this.docEnds.view(),
      termIds: this.termIds.view(),
      tfs: this.tfs.view(),
      wordLengths: this.wordLengths.view(),
      bigramLengths: this.bigramLengths.view(),
    };
  }
}

/**
 * Rows of term lists (one per document, in order).
 *
 * @example termRowsOf([{ words: ['农业'], bigrams: ['农业'] }]).vocab // → ['w:农业', 'b:农业']
 */
export function termRowsOf(docs: DocumentTerms[]): TermRows {
  const builder = new TermRowsBuilder();
  for (const doc of docs) builder.addDocument(doc);
  return builder.finish();
}
