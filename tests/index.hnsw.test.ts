import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { efSearchAt, exactSearch, VectorIndex, vectorIndexMetaFile } from '../index/vectorIndex.ts';

const DIMS = 384;

/** Deterministic random unit vectors (LCG + Box–Muller), so failures reproduce. */
function randomUnitVectors(count: number, dims: number, seed: number): Float32Array[] {
  let state = seed >>> 0;
  const uniform = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) + 1) / 4294967297;
  const gauss = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  return Array.from({ length: count }, () => {
    const v = Float32Array.from({ length: dims }, gauss);
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'fuhan-hnsw-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('VectorIndex recall', () => {
  const vectors = randomUnitVectors(3000, DIMS, 1);
  const queries = randomUnitVectors(100, DIMS, 2);
  const index = new VectorIndex(DIMS);
  index.addBatch(
    vectors.map((_, i) => i),
    vectors,
  );

  it('finds ≥ 98% of the exact top-10 with default parameters', () => {
    let found = 0;
    for (const query of queries) {
      const truth = new Set(exactSearch(vectors, query, 10).map((h) => h.label));
      for (const hit of index.search(query, 10)) if (truth.has(hit.label)) found++;
    }
    expect(found / (queries.length * 10)).toBeGreaterThanOrEqual(0.98);
  });

  it('scores are cosine similarities, best first, and a stored vector finds itself with score 1', () => {
    const hits = index.search(vectors[17], 5);
    expect(hits[0]).toEqual({ label: 17, score: expect.closeTo(1, 5) });
    const exact = exactSearch(vectors, vectors[17], 5);
    hits.forEach((hit, i) => expect(hit.score).toBeCloseTo(exact[i].score, 4));
    for (let i = 1; i < hits.length; i++) expect(hits[i].score).toBeLessThanOrEqual(hits[i - 1].score);
  });

  it('filter keeps only allowed labels and still returns k hits', () => {
    const hits = index.search(queries[0], 10, (label) => label % 2 === 0);
    expect(hits).toHaveLength(10);
    expect(hits.every((h) => h.label % 2 === 0)).toBe(true);
  });
});

describe('VectorIndex maintenance', () => {
  it('grows past its initial capacity', () => {
    const vectors = randomUnitVectors(300, 16, 3);
    const index = new VectorIndex(16, { maxElements: 10 });
    vectors.forEach((v, i) => index.add(i, v));
    expect(index.size).toBe(300);
    expect(index.capacity).toBeGreaterThanOrEqual(300);
    expect(index.search(vectors[299], 1)[0].label).toBe(299);
  });

  it('remove hides a label; re-adding brings it back; unknown labels are ignored', () => {
    const vectors = randomUnitVectors(50, 16, 4);
    const index = new VectorIndex(16);
    index.addBatch(
      vectors.map((_, i) => i),
      vectors,
    );
    index.remove(7);
    index.remove(7);
    index.remove(12345);
    expect(index.size).toBe(49);
    expect(index.search(vectors[7], 50).map((h) => h.label)).not.toContain(7);
    index.add(7, vectors[7]);
    expect(index.size).toBe(50);
    expect(index.search(vectors[7], 1)[0].label).toBe(7);
  });

  it('rejects vectors of the wrong size and bad labels with clear errors', () => {
    const index = new VectorIndex(8);
    expect(() => index.add(0, new Float32Array(7))).toThrow(/8-dim/);
    expect(() => index.add(-1, new Float32Array(8))).toThrow(/label/);
    expect(index.search(new Float32Array(8).fill(1), 5)).toEqual([]);
  });

  it('save → load gives the same neighbours, parameters and deletions', async () => {
    const vectors = randomUnitVectors(500, 32, 5);
    const index = new VectorIndex(32, { M: 12, efSearch: 40 });
    index.addBatch(
      vectors.map((_, i) => i * 10),
      vectors,
    );
    index.remove(30);
    const file = path.join(dir, 'roundtrip.hnsw');
    await index.save(file);

    const loaded = await VectorIndex.load(file, 32);
    expect(loaded.size).toBe(499);
    expect(loaded.params).toMatchObject({ M: 12, efSearch: 40, efConstruction: 200 });
    expect((await VectorIndex.load(file, 32, { efSearch: 99 })).params.efSearch).toBe(99);
    for (const query of vectors.slice(0, 20)) expect(loaded.search(query, 10)).toEqual(index.search(query, 10));
    expect(loaded.search(vectors[3], 500).map((h) => h.label)).not.toContain(30);
    loaded.add(5000, vectors[0]);
    expect(loaded.size).toBe(500);
  });

  it('load refuses other dimensions and missing or foreign files', async () => {
    const file = path.join(dir, 'dims.hnsw');
    const index = new VectorIndex(8);
    index.add(0, new Float32Array(8).fill(1));
    await index.save(file);
    await expect(VectorIndex.load(file, 16)).rejects.toThrow(/8-dim vectors, expected 16/);
    await expect(VectorIndex.load(path.join(dir, 'missing.hnsw'), 8)).rejects.toThrow(/cannot read/);
    await writeFile(vectorIndexMetaFile(file), '{"format":"other"}');
    await expect(VectorIndex.load(file, 8)).rejects.toThrow(/cannot read/);
  });
  it('searches a graph past 100k vectors with a wider candidate list (recall at 1M)', () => {
    expect(efSearchAt(1_000, 200)).toBe(200);
    expect(efSearchAt(100_000, 200)).toBe(200);
    expect(efSearchAt(1_000_000, 200)).toBeGreaterThanOrEqual(790);
    expect(efSearchAt(1_000_000, 200)).toBeLessThanOrEqual(800);
  });
});
