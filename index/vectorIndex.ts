/**
 * Approximate nearest-neighbour index over embedding vectors (hnswlib HNSW graph, cosine space).
 * Labels are caller-chosen non-negative integers (e.g. passage ordinals); scores are cosine similarities.
 */
import { readFile, writeFile } from 'node:fs/promises';
import hnswlib from 'hnswlib-node';
import { z } from 'zod';

const { HierarchicalNSW } = hnswlib;

/** HNSW parameters; recorded in the index manifest so a loaded index is searched the way it was built. */
export interface VectorIndexParams {
  /** Graph degree: more links → better recall, more memory. */
  M: number;
  /** Candidate list size while building. */
  efConstruction: number;
  /** Candidate list size while searching (raised to k when k is larger). */
  efSearch: number;
  /** Initial capacity; the index doubles itself when full. */
  maxElements: number;
}

/**
 * Defaults chosen by measurement on 384-dim vectors: recall@10 ≥ 0.99 even on uniformly random unit vectors (the
 * worst case, 3,000 of them; M=16 needs efSearch ≈ 300 there) and ≈ 0.998 on 100k embedding-like vectors
 * (anisotropic, power-law spectrum), at ~1–2 ms per query. A larger M costs little: links are small next to vectors.
 */
export const DEFAULT_VECTOR_INDEX_PARAMS: VectorIndexParams = { M: 24, efConstruction: 200, efSearch: 200, maxElements: 1024 };

/** Graphs up to this size are searched with `efSearch` as given. */
const EF_BASE_SIZE = 100_000;

/**
 * The candidate list a search of a graph of `size` vectors uses: `efSearch` up to 100k vectors, then growing as
 * size^0.6. Why: on the bench's synthetic 384-dim vectors (M 24, efConstruction 200) recall@10 at efSearch 200 is
 * 0.991 at 100k but 0.891 at 1M; at 1M efSearch 400 gives 0.964, 800 gives 0.987, 1600 gives 0.997
 * (docs/BENCHMARKS.md, "Vectors at 1M"). 200 × 10^0.6 ≈ 800 at 1M.
 *
 * @example efSearchAt(1_000_000, 200) // → 797
 */
export function efSearchAt(size: number, efSearch: number): number {
  if (size <= EF_BASE_SIZE) return efSearch;
  return Math.round(efSearch * (size / EF_BASE_SIZE) ** 0.6);
}

export interface VectorHit {
  label: number;
  /** Cosine similarity, -1..1, higher is closer. */
  score: number;
}

const VectorIndexMetaSchema = z.object({
  format: z.literal('fuhan-hnsw-1'),
  dims: z.number().int().positive(),
  params: z.object({
    M: z.number().int().positive(),
    efConstruction: z.number().int().positive(),
    efSearch: z.number().int().positive(),
    maxElements: z.number().int().positive(),
  }),
  /** Labels marked deleted (hnswlib keeps them in the graph; we need them to report `size`). */
  deleted: z.array(z.number().int().nonnegative()),
});

/** What the companion file of a saved graph records. */
export type VectorIndexMeta = z.infer<typeof VectorIndexMetaSchema>;

/**
 * Reads and checks the companion file of a graph saved by `VectorIndex.save`, for any reader of that graph
 * (`who` names it in the errors): a clear error when it is missing, not ours, or of other dimensions.
 *
 * @example const meta = await readVectorIndexMeta('vectors.hnsw', 384, 'VectorIndex.load');
 */
export async function readVectorIndexMeta(file: string, dims: number, who: string): Promise<VectorIndexMeta> {
  let meta: VectorIndexMeta;
  try {
    meta = VectorIndexMetaSchema.parse(JSON.parse(await readFile(vectorIndexMetaFile(file), 'utf8')));
  } catch (error) {
    throw new Error(`${who}: cannot read ${vectorIndexMetaFile(file)}: ${error instanceof Error ? error.message : error}`);
  }
  if (meta.dims !== dims) throw new Error(`${who}: ${file} holds ${meta.dims}-dim vectors, expected ${dims}`);
  return meta;
}

/** The companion file saved next to the hnswlib index: `${file}.meta.json`. */
export function vectorIndexMetaFile(file: string): string {
  return `${file}.meta.json`;
}

/**
 * A cosine-space HNSW index.
 *
 * @example
 * const index = new VectorIndex(384);
 * index.add(0, vector);
 * const [best] = index.search(query, 5); // { label: 0, score: 0.93 }
 */
export class VectorIndex {
  readonly params: VectorIndexParams;
  private readonly index: InstanceType<typeof HierarchicalNSW>;
  private readonly deleted = new Set<number>();

  constructor(
    readonly dims: number,
    params: Partial<VectorIndexParams> = {},
    /** @internal used by `load`: skip allocating a graph that is about to be read from disk. */
    init = true,
  ) {
    if (!Number.isInteger(dims) || dims <= 0) throw new Error(`VectorIndex: dims must be a positive integer, got ${dims}`);
    this.params = { ...DEFAULT_VECTOR_INDEX_PARAMS, ...params };
    this.index = new HierarchicalNSW('cosine', dims);
    if (init) {
      this.index.initIndex({ maxElements: this.params.maxElements, m: this.params.M, efConstruction: this.params.efConstruction, randomSeed: 100 });
      this.index.setEf(this.params.efSearch);
    }
  }

  /** Live vectors (added and not removed). */
  get size(): number {
    return this.index.getCurrentCount() - this.deleted.size;
  }

  /** Current capacity (grows automatically). */
  get capacity(): number {
    return this.index.getMaxElements();
  }

  /**
   * Adds (or replaces) the vector of `label`. Vectors need not be normalised: the cosine space normalises them.
   *
   * @example index.add(42, await embedder.embedPassages([text]).then((v) => v[0]));
   */
  add(label: number, vector: Float32Array): void {
    this.checkVector(vector);
    if (!Number.isInteger(label) || label < 0) throw new Error(`VectorIndex: label must be a non-negative integer, got ${label}`);
    this.reserve(1);
    // Re-adding a removed label updates its vector and un-deletes it (hnswlib behaviour).
    this.index.addPoint(Array.from(vector), label);
    this.deleted.delete(label);
  }

  /**
   * Adds many vectors; `labels[i]` goes with `vectors[i]`.
   *
   * @example index.addBatch([0, 1], [v0, v1]);
   */
  addBatch(labels: number[], vectors: Float32Array[]): void {
    if (labels.length !== vectors.length) throw new Error(`VectorIndex.addBatch: ${labels.length} labels but ${vectors.length} vectors`);
    this.reserve(labels.length);
    labels.forEach((label, i) => this.add(label, vectors[i]));
  }

  /**
   * Removes a label from search results (HNSW marks it deleted; the slot stays until re-added). Unknown labels are ignored.
   *
   * @example index.remove(42);
   */
  remove(label: number): void {
    if (this.deleted.has(label)) return;
    try {
      this.index.markDelete(label);
      this.deleted.add(label);
    } catch {
      // Label not in the index: nothing to remove.
    }
  }

  /**
   * Labels removed and not re-added, highest first: slots `add` can reuse without growing the graph.
   *
   * @example const free = index.removedLabels(); index.add(free.pop() ?? next++, vector);
   */
  removedLabels(): number[] {
    return [...this.deleted].sort((a, b) => b - a);
  }

  /**
   * The `k` nearest live vectors by cosine similarity, best first. `filter` (optional) keeps only matching labels
   * during the graph walk, so a filtered search still returns up to `k` hits.
   *
   * @example index.search(queryVector, 10, (label) => allowed.has(label));
   */
  search(vector: Float32Array, k: number, filter?: (label: number) => boolean): VectorHit[] {
    this.checkVector(vector);
    const n = Math.min(k, this.size);
    if (n <= 0) return [];
    this.index.setEf(Math.max(efSearchAt(this.size, this.params.efSearch), n));
    const { distances, neighbors } = this.index.searchKnn(Array.from(vector), n, filter);
    return neighbors.map((label, i) => ({ label, score: 1 - distances[i] }));
  }

  /**
   * Writes the index to `file` and its parameters and deletions to `${file}.meta.json`.
   *
   * @example await index.save('.cache/index/vectors.hnsw');
   */
  async save(file: string): Promise<void> {
    await this.index.writeIndex(file);
    const meta: VectorIndexMeta = {
      format: 'fuhan-hnsw-1',
      dims: this.dims,
      params: { ...this.params, maxElements: this.capacity },
      deleted: [...this.deleted],
    };
    await writeFile(vectorIndexMetaFile(file), JSON.stringify(meta));
  }

  /**
   * Reads an index written by `save`. Throws a clear error when the files are missing, were built with other
   * dimensions, or are not ours. `params.efSearch` (if given) overrides the saved one.
   *
   * @example const index = await VectorIndex.load('.cache/index/vectors.hnsw', 384);
   */
  static async load(file: string, dims: number, params: Partial<VectorIndexParams> = {}): Promise<VectorIndex> {
    const meta = await readVectorIndexMeta(file, dims, 'VectorIndex.load');
    const index = new VectorIndex(dims, { ...meta.params, ...(params.efSearch ? { efSearch: params.efSearch } : {}) }, false);
    await index.index.readIndex(file);
    index.index.setEf(index.params.efSearch);
    for (const label of meta.deleted) index.deleted.add(label);
    return index;
  }

  /**
   * Grows capacity so `extra` more vectors fit: by a quarter at least (amortised, like doubling, but a
   * 100,000-vector graph loaded later does not carry room for another 100,000).
   */
  private reserve(extra: number): void {
    const needed = this.index.getCurrentCount() + extra;
    const capacity = this.index.getMaxElements();
    if (needed <= capacity) return;
    this.index.resizeIndex(Math.max(needed, Math.ceil(capacity * 1.25), 1024));
  }

  private checkVector(vector: Float32Array): void {
    if (vector.length !== this.dims) throw new Error(`VectorIndex: expected a ${this.dims}-dim vector, got ${vector.length}`);
  }
}

/**
 * Exact k nearest neighbours by cosine similarity, by brute force: the ground truth for recall measurement.
 *
 * @example const truth = exactSearch(vectors, query, 10).map((h) => h.label); // labels are indices into `vectors`
 */
export function exactSearch(vectors: Float32Array[], query: Float32Array, k: number): VectorHit[] {
  const qNorm = Math.sqrt(dot(query, query)) || 1;
  const scored = vectors.map((v, label) => ({ label, score: dot(v, query) / ((Math.sqrt(dot(v, v)) || 1) * qNorm) }));
  return scored.sort((a, b) => b.score - a.score).slice(0, k);
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}
