/**
 * Documents' terms counted, in compact form: per document, its distinct terms (as ids into a vocabulary
 * of family-prefixed terms, `w:农业` / `b:农业`) with their frequencies, in typed arrays. This is what a
 * build carries from tokenising to the postings: at 10,000 letters a build held 42 million term strings
 * in `DocumentTerms` arrays (most of its 3.3 GB peak); as rows they are 5 bytes each, and a large build
 * spills them to a file as they come (`RowsCollector`), so they cost no memory until the postings are laid out.
 *
 * Row order and vocabulary order are exactly what counting the `DocumentTerms` one by one gives (terms
 * numbered in order of first appearance, a document's words before its bigrams), so postings built from
 * rows are identical to those built from term lists — and rows counted on worker threads, batch by
 * batch, merge into the rows one thread would have counted.
 */
import fs from 'node:fs';
import type { DocumentTerms } from './lexicalIndex.ts';

/** Term frequencies are stored in 8 bits: BM25 (k1 = 1.2) saturates long before 255. */
export const MAX_TF = 255;

/** Rows of some consecutive documents. */
export interface RowChunk {
  /** Document k of the chunk has rows `docEnds[k-1] .. docEnds[k]` (from 0 for k = 0). */
  docEnds: Uint32Array;
  /** Term id of each row (a document's distinct terms, in order of first appearance in it). */
  termIds: Uint32Array;
  /** Frequency of the row's term in its document, capped at MAX_TF. */
  tfs: Uint8Array;
}

/** Counted terms of documents, as plain data in one chunk (what a parsing thread sends back). */
export interface CountedRows extends RowChunk {
  /** Family-prefixed terms, in order of first appearance. */
  vocab: string[];
  /** Per document: how many word terms and bigram terms it has (with repeats). */
  wordLengths: Uint32Array;
  bigramLengths: Uint32Array;
}

/** Counted terms of documents 0..n-1, chunk by chunk (in memory or read back from a file). */
export interface TermRows {
  vocab: string[];
  wordLengths: Uint32Array;
  bigramLengths: Uint32Array;
  /** Per vocabulary term: how many documents have it (rows with it). */
  termCounts: Uint32Array;
  /** The chunks, in document order (each may be read again). */
  chunks(): Iterable<RowChunk>;
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

/** A vocabulary numbering family-prefixed terms in order of first appearance. */
class Vocabulary {
  readonly terms: string[] = [];
  /** Term id by the term without its prefix, per family (no 'w:' + word string made per occurrence). */
  private readonly words = new Map<string, number>();
  private readonly bigrams = new Map<string, number>();

  /** Id of a word ('w') or bigram ('b'), given one if new. */
  id(family: 'w' | 'b', term: string): number {
    const ids = family === 'w' ? this.words : this.bigrams;
    let id = ids.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.terms.push(`${family}:${term}`);
      ids.set(term, id);
    }
    return id;
  }

  /** Id of a prefixed term (`w:农业`). */
  idOfPrefixed(term: string): number {
    return this.id(term.startsWith('w:') ? 'w' : 'b', term.slice(2));
  }
}

/**
 * Counts documents' terms into rows, one document at a time.
 *
 * @example
 * const rows = new TermRowsBuilder();
 * rows.addDocument({ words: ['农业', '农业'], bigrams: ['农业'] });
 * rows.finish().tfs // → Uint8Array [2, 1]
 */
export class TermRowsBuilder {
  private readonly vocab = new Vocabulary();
  private readonly docEnds = new Growable((n) => new Uint32Array(n));
  private readonly termIds = new Growable((n) => new Uint32Array(n), 1 << 16);
  private readonly tfs = new Growable((n) => new Uint8Array(n), 1 << 16);
  private readonly wordLengths = new Growable((n) => new Uint32Array(n));
  private readonly bigramLengths = new Growable((n) => new Uint32Array(n));
  /** Per term id: its row in the document being counted, when `rowDoc` says it is this document's. */
  private rowOf = new Uint32Array(1024);
  private rowDoc = new Int32Array(1024).fill(-1);

  private count(id: number, doc: number): void {
    if (id >= this.rowOf.length) {
      const rowOf = new Uint32Array(this.rowOf.length * 2);
      rowOf.set(this.rowOf);
      const rowDoc = new Int32Array(this.rowDoc.length * 2).fill(-1);
      rowDoc.set(this.rowDoc);
      this.rowOf = rowOf;
      this.rowDoc = rowDoc;
    }
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
    for (const w of doc.words) this.count(this.vocab.id('w', w), d);
    for (const g of doc.bigrams) this.count(this.vocab.id('b', g), d);
    this.docEnds.push(this.termIds.length);
    this.wordLengths.push(doc.words.length);
    this.bigramLengths.push(doc.bigrams.length);
  }

  /** The rows counted (views onto the builder's arrays: add nothing after). */
  finish(): CountedRows {
    return {
      vocab: this.vocab.terms,
      docEnds: this.docEnds.view(),
      termIds: this.termIds.view(),
      tfs: this.tfs.view(),
      wordLengths: this.wordLengths.view(),
      bigramLengths: this.bigramLengths.view(),
    };
  }
}

/** Rows counted in one piece, as TermRows. */
function asTermRows(rows: CountedRows): TermRows {
  const termCounts = new Uint32Array(rows.vocab.length);
  for (let r = 0; r < rows.termIds.length; r++) termCounts[rows.termIds[r]]++;
  return { vocab: rows.vocab, wordLengths: rows.wordLengths, bigramLengths: rows.bigramLengths, termCounts, chunks: () => [rows] };
}

/**
 * Rows of term lists (one per document, in order).
 *
 * @example termRowsOf([{ words: ['农业'], bigrams: ['农业'] }]).vocab // → ['w:农业', 'b:农业']
 */
export function termRowsOf(docs: DocumentTerms[]): TermRows {
  const builder = new TermRowsBuilder();
  for (const doc of docs) builder.addDocument(doc);
  return asTermRows(builder.finish());
}

export interface RowsCollectorOptions {
  /** A file the rows may be spilled to (deleted by `dispose`); none: they stay in memory. */
  spillFile?: string;
  /** Rows kept in memory before the rest go to `spillFile` (default 16 million: 80 MB). */
  memoryRows?: number;
}

/** Where a spilled chunk is in the spill file. */
interface SpilledChunk {
  at: number;
  docs: number;
  rows: number;
}

/**
 * Gathers rows counted elsewhere (batch by batch, e.g. on parsing threads) into the rows of all the
 * documents: terms renumbered into one vocabulary, chunks kept in memory up to `memoryRows`, the rest
 * appended to a spill file and read back chunk by chunk when the postings are laid out. Peak memory
 * is then the postings' (and a batch's), not the rows' of the whole corpus as well.
 *
 * @example
 * const rows = new RowsCollector({ spillFile: path.join(indexDir, '.rows-4242') });
 * for (const batch of batches) rows.add(batch);
 * const index = LexicalIndex.fromDocuments(rows.finish()); rows.dispose();
 */
export class RowsCollector {
  private readonly vocab = new Vocabulary();
  private readonly termCounts = new Growable((n) => new Uint32Array(n));
  private readonly wordLengths = new Growable((n) => new Uint32Array(n));
  private readonly bigramLengths = new Growable((n) => new Uint32Array(n));
  private readonly chunks: (RowChunk | SpilledChunk)[] = [];
  private inMemory = 0;
  private fd: number | null = null;
  private spilledBytes = 0;

  constructor(private readonly options: RowsCollectorOptions = {}) {}

  /** Bytes written to the spill file so far. */
  get spilled(): number {
    return this.spilledBytes;
  }

  /** Appends rows counted elsewhere (their documents follow those added before). */
  add(rows: CountedRows): void {
    const map = new Uint32Array(rows.vocab.length);
    for (let i = 0; i < rows.vocab.length; i++) map[i] = this.vocab.idOfPrefixed(rows.vocab[i]);
    const termIds = new Uint32Array(rows.termIds.length);
    this.termCounts.reserve(Math.max(0, this.vocab.terms.length - this.termCounts.length));
    this.termCounts.length = this.vocab.terms.length;
    const counts = this.termCounts.array;
    for (let r = 0; r < termIds.length; r++) counts[(termIds[r] = map[rows.termIds[r]])]++;
    for (let d = 0; d < rows.wordLengths.length; d++) {
      this.wordLengths.push(rows.wordLengths[d]);
      this.bigramLengths.push(rows.bigramLengths[d]);
    }
    const chunk: RowChunk = { docEnds: rows.docEnds.slice(), termIds, tfs: rows.tfs.slice() };
    if (this.options.spillFile && this.inMemory + termIds.length > (this.options.memoryRows ?? 16_000_000)) this.spill(chunk);
    else {
      this.inMemory += termIds.length;
      this.chunks.push(chunk);
    }
  }

  private spill(chunk: RowChunk): void {
    this.fd ??= fs.openSync(this.options.spillFile!, 'w+');
    const at = this.spilledBytes;
    let pos = at;
    for (const a of [chunk.docEnds, chunk.termIds, chunk.tfs]) {
      const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
      for (let done = 0; done < bytes.length; ) done += fs.writeSync(this.fd, bytes, done, bytes.length - done, pos + done);
      pos += bytes.length;
    }
    this.spilledBytes = pos;
    this.chunks.push({ at, docs: chunk.docEnds.length, rows: chunk.termIds.length });
  }

  /** Reads a spilled chunk back. */
  private readBack(c: SpilledChunk): RowChunk {
    const bytes = new Uint8Array(c.docs * 4 + c.rows * 5);
    for (let done = 0; done < bytes.length; ) {
      const n = fs.readSync(this.fd!, bytes, done, bytes.length - done, c.at + done);
      if (n === 0) throw new Error(`${this.options.spillFile}: the spilled rows end early`);
      done += n;
    }
    // docEnds and termIds copied out (the chunk's start is not 4-byte aligned in general), tfs viewed.
    const docEnds = new Uint32Array(c.docs);
    new Uint8Array(docEnds.buffer).set(bytes.subarray(0, c.docs * 4));
    const termIds = new Uint32Array(c.rows);
    new Uint8Array(termIds.buffer).set(bytes.subarray(c.docs * 4, c.docs * 4 + c.rows * 4));
    return { docEnds, termIds, tfs: bytes.subarray(c.docs * 4 + c.rows * 4) };
  }

  /** The rows of every document added. */
  finish(): TermRows {
    const chunks = this.chunks;
    const readBack = (c: RowChunk | SpilledChunk) => ('at' in c ? this.readBack(c) : c);
    return {
      vocab: this.vocab.terms,
      wordLengths: this.wordLengths.view(),
      bigramLengths: this.bigramLengths.view(),
      termCounts: this.termCounts.view(),
      *chunks() {
        for (const c of chunks) yield readBack(c);
      },
    };
  }

  /** Closes and deletes the spill file. */
  dispose(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
    if (this.options.spillFile) fs.rmSync(this.options.spillFile, { force: true });
  }
}
