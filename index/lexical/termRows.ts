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
  /** Term id by the term without its family prefix, per family (no 'w:' + word string made per occurrence). */
  private readonly wordIds = new Map<string, number>();
  private readonly bigramIds = new Map<string, number>();
  private readonly docEnds = new Growable((n) => new Uint32Array(n));
  private readonly termIds = new Growable((n) => new Uint32Array(n), 1 << 16);
  private readonly tfs = new Growable((n) => new Uint8Array(n), 1 << 16);
  private readonly wordLengths = new Growable((n) => new Uint32Array(n));
  private readonly bigramLengths = new Growable((n) => new Uint32Array(n));
  /** Per term id: its row in the document being counted, when `rowDoc` says it is this document's. */
  private rowOf = new Uint32Array(1024);
  private rowDoc = new Int32Array(1024).fill(-1);

  /** Number of documents added. */
  get size(): number {
    return this.docEnds.length;
  }

  private idOf(ids: Map<string, number>, prefix: string, term: string): number {
    let id = ids.get(term);
    if (id === undefined) {
      id = this.vocab.length;
      this.vocab.push(prefix + term);
      ids.set(term, id);
      if (id >= this.rowOf.length) {
        const rowOf = new Uint32Array(this.rowOf.length * 2);
        rowOf.set(this.rowOf);
        const rowDoc = new Int32Array(this.rowDoc.length * 2).fill(-1);
        rowDoc.set(this.rowDoc);
        this.rowOf = rowOf;
        this.rowDoc = rowDoc;
      }
    }
    return id;
  }

  private count(id: number, doc: number): void {
    if (this.rowDoc[id] === doc) {
      const row = this.rowOf[id];
      if (this.tfs.array[row] < MAX_TF) this.tfs.array[row]++;
      return;
    }
    this.rowDoc[id] = doc;
    this.rowOf[id] = this.termIds.length;
    this.termIds.push(id);
    this.tfs.push(1);
  }

  /** Counts one document's terms (words first, then bigrams: the order ids are given in). */
  addDocument(doc: DocumentTerms): void {
    const d = this.docEnds.length;
    for (const w of doc.words) this.count(this.idOf(this.wordIds, 'w:', w), d);
    for (const g of doc.bigrams) this.count(this.idOf(this.bigramIds, 'b:', g), d);
    this.docEnds.push(this.termIds.length);
    this.wordLengths.push(doc.words.length);
    this.bigramLengths.push(doc.bigrams.length);
  }

  /** Appends documents counted elsewhere (another builder's `finish`, e.g. on a worker thread), renumbering their terms. */
  addRows(rows: TermRows): void {
    const map = new Uint32Array(rows.vocab.length);
    for (let i = 0; i < rows.vocab.length; i++) {
      const term = rows.vocab[i];
      map[i] = term.startsWith('w:') ? this.idOf(this.wordIds, 'w:', term.slice(2)) : this.idOf(this.bigramIds, 'b:', term.slice(2));
    }
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
