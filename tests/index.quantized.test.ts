import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuantizedVectorIndex } from '../index/quantizedVectorIndex.ts';
import { exactSearch, VectorIndex } from '../index/vectorIndex.ts';

const DIMS = 384;

/** Deterministic anisotropic unit vectors (a shared direction plus noise, like embeddings), so failures reproduce. */
function unitVectors(count: number, seed: number): Float32Array[] {
  let state = seed >>> 0;
  const uniform = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) + 1) / 4294967297;
  const gauss = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  return Array.from({ length: count }, () => {
    const v = Float32Array.from({ length: DIMS }, (_, d) => (d < 8 ? 3 : 0) + gauss());
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'fuhan-q8-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('QuantizedVectorIndex', () => {
  const vectors = unitVectors(3000, 1);
  const queries = unitVectors(50, 2);

  it('reads a saved graph as int8 and finds what float32 exact search finds, with exact scores', async () => {
    const graph = new VectorIndex(DIMS);
    graph.addBatch(
      vectors.map((_, i) => i + 1000),
      vectors,
    );
    graph.remove(1000 + 17);
    const file = path.join(dir, 'vectors.hnsw');
    await graph.save(file);
    const index = await QuantizedVectorIndex.load(file, DIMS);
    try {
      expect(index.size).toBe(2999);
      expect(index.heldBytes).toBeLessThan(3000 * DIMS * 4);
      let found = 0;
      for (const q of queries) {
        const exact = exactSearch(vectors, q, 10).filter((h) => h.label !== 17).map((h) => h.label + 1000);
        const hits = index.search(q, 10);
        expect(hits.map((h) => h.label)).not.toContain(1017);
        found += hits.filter((h) => exact.slice(0, 10).includes(h.label)).length;
        const top = exactSearch(vectors, q, 1)[0];
        if (top.label !== 17 && hits[0].label === top.label + 1000) expect(hits[0].score).toBeCloseTo(top.score, 5);
      }
      expect(found / (queries.length * 10)).toBeGreaterThanOrEqual(0.95);
      // A vector finds itself; a filter keeps only the labels it allows.
      expect(index.search(vectors[5], 1)[0].label).toBe(1005);
      expect(index.search(vectors[5], 5, (label) => label % 2 === 0).every((h) => h.label % 2 === 0)).toBe(true);
    } finally {
      index.close();
    }
  });

  it('refuses a file of other dimensions with a clear error', async () => {
    const graph = new VectorIndex(8);
    graph.add(0, Float32Array.from({ length: 8 }, (_, d) => d + 1));
    const file = path.join(dir, 'small.hnsw');
    await graph.save(file);
    await expect(QuantizedVectorIndex.load(file, DIMS)).rejects.toThrow(/holds 8-dim vectors, expected 384/);
  });
});
