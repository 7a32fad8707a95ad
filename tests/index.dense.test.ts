import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Embedder, loadEmbedder } from '../index/embedding/embedder.ts';
import { embedderOptionsFromEnv, resolveEmbedderOptions } from '../index/embedding/embedderOptions.ts';
import { VectorIndex } from '../index/vectorIndex.ts';
import { ensureTinyTestModel } from './support/onnxModels.ts';

/** Paragraphs of a real reply letter from the test fixtures (no special-casing: any letter would do). */
async function fixtureParagraphs(): Promise<string[]> {
  const dir = path.join(path.dirname(new URL(import.meta.url).pathname), 'fixtures', 'letters');
  const { readdir } = await import('node:fs/promises');
  const files = (await readdir(dir)).filter((f) => /\.(txt|md)$/.test(f)).sort();
  const paragraphs: string[] = [];
  for (const file of files) {
    for (const line of (await readFile(path.join(dir, file), 'utf8')).split('\n')) {
      const text = line.trim();
      if (/[\u4e00-\u9fff]/.test(text) && text.length >= 8) paragraphs.push(text);
    }
    if (paragraphs.length >= 40) break;
  }
  return paragraphs;
}

const norm = (v: Float32Array) => Math.hypot(...v);
const cosine = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i], 0) / (norm(a) * norm(b));

let model: { localModelPath: string; modelId: string };
let embedder: Embedder;
let scratch: string;

beforeAll(async () => {
  model = await ensureTinyTestModel();
  scratch = await mkdtemp(path.join(tmpdir(), 'fuhan-dense-'));
  const logs: string[] = [];
  const loaded = await loadEmbedder({ model: model.modelId, localModelPath: model.localModelPath, allowRemote: false, cacheDir: scratch, dtype: 'q8' }, (l) => logs.push(l));
  expect(logs).toEqual([]);
  expect(loaded).not.toBeNull();
  embedder = loaded!;
});

afterAll(async () => {
  await embedder?.dispose();
  await rm(scratch, { recursive: true, force: true });
});

describe('Embedder with the generated tiny model (remote loading off)', () => {
  it('reports the model id and dimensions', () => {
    expect(embedder.modelId).toBe(model.modelId);
    expect(embedder.dims).toBe(32);
  });

  it('returns one unit-norm vector of the right size per Chinese passage, in input order', async () => {
    const paragraphs = await fixtureParagraphs();
    expect(paragraphs.length).toBeGreaterThan(5);
    const vectors = await embedder.embedPassages(paragraphs);
    expect(vectors).toHaveLength(paragraphs.length);
    for (const v of vectors) {
      expect(v).toBeInstanceOf(Float32Array);
      expect(v.length).toBe(32);
      expect(norm(v)).toBeCloseTo(1, 5);
    }
    // Order is preserved although batches are sorted by length internally.
    const one = await embedder.embedPassages([paragraphs[3]]);
    expect(cosine(one[0], vectors[3])).toBeCloseTo(1, 5);
  });

  it('gives different texts different vectors and the same text the same vector', async () => {
    const [a, b, a2] = await embedder.embedPassages(['关于加快推进城市更新的建议', '关于加强农村养老服务的提案', '关于加快推进城市更新的建议']);
    expect(Array.from(a)).toEqual(Array.from(a2));
    expect(cosine(a, b)).toBeLessThan(0.9999);
  });

  it('applies the query and passage prefixes', async () => {
    const text = '如何推进垃圾分类';
    const [query] = await embedder.embedQueries([text]);
    const [passage] = await embedder.embedPassages([text]);
    const swapped = await loadEmbedder(
      { model: model.modelId, localModelPath: model.localModelPath, allowRemote: false, cacheDir: scratch, passagePrefix: 'query: ' },
      () => {},
    );
    // A passage embedded with the query prefix equals the query embedding: the prefix is the only difference.
    const asQuery = await swapped!.embedPassages([text]);
    await swapped!.dispose();
    expect(cosine(asQuery[0], query)).toBeCloseTo(1, 5);
    expect(cosine(query, passage)).toBeLessThan(0.9999);
  });

  it('truncates long texts to maxLength tokens instead of failing', async () => {
    const long = '数字经济发展'.repeat(400);
    const [v] = await embedder.embedPassages([long]);
    expect(norm(v)).toBeCloseTo(1, 5);
  });

  it('handles an empty list and empty strings', async () => {
    expect(await embedder.embedPassages([])).toEqual([]);
    const [v] = await embedder.embedQueries(['']);
    expect(norm(v)).toBeCloseTo(1, 5);
  });

  it('embeds → VectorIndex → save → load finds the same neighbours', async () => {
    const paragraphs = await fixtureParagraphs();
    const vectors = await embedder.embedPassages(paragraphs);
    const index = new VectorIndex(embedder.dims);
    index.addBatch(
      vectors.map((_, i) => i),
      vectors,
    );
    const file = path.join(scratch, 'dense.hnsw');
    await index.save(file);
    const loaded = await VectorIndex.load(file, embedder.dims);
    const queries = await embedder.embedQueries(paragraphs.slice(0, 5).map((p) => p.slice(0, 12)));
    for (const q of queries) expect(loaded.search(q, 5)).toEqual(index.search(q, 5));
    // A passage's own vector is its nearest neighbour.
    expect(loaded.search(vectors[2], 1)[0].label).toBe(2);
  });
});

describe('loadEmbedder model locations', () => {
  it('loads a folder that is itself a model (FUHAN_MODEL_DIR pointing at the model)', async () => {
    const folder = path.join(model.localModelPath, model.modelId);
    const direct = await loadEmbedder({ localModelPath: folder, allowRemote: false, cacheDir: scratch }, (l) => {
      throw new Error(l);
    });
    expect(direct!.modelId).toBe(folder);
    const [a] = await direct!.embedPassages(['城市更新']);
    const [b] = await embedder.embedPassages(['城市更新']);
    await direct!.dispose();
    expect(cosine(a, b)).toBeCloseTo(1, 5);
  });
});

describe('loadEmbedder downloads on first use', () => {
  it('fetches the model from the hub into cacheDir once, then loads it from the cache with downloads off', async () => {
    // A stand-in hub serving the generated model under the Hugging Face URL layout `<model>/resolve/main/<file>`.
    const requested: string[] = [];
    const hub = createHttpServer(async (request, response) => {
      requested.push(request.url ?? '');
      const match = /^\/([^/]+\/[^/]+)\/resolve\/main\/(.+)$/.exec(request.url ?? '');
      const file = match && path.join(model.localModelPath, decodeURIComponent(match[1]), decodeURIComponent(match[2]));
      const body = file ? await readFile(file).catch(() => null) : null;
      response.writeHead(body ? 200 : 404, { 'content-length': body?.length ?? 0 }).end(body ?? undefined);
    });
    await new Promise<void>((resolve) => hub.listen(0, '127.0.0.1', resolve));
    const cacheDir = path.join(scratch, 'download-cache');
    try {
      const remoteHost = `http://127.0.0.1:${(hub.address() as { port: number }).port}/`;
      const first = await loadEmbedder({ model: model.modelId, cacheDir, remoteHost }, (l) => {
        throw new Error(l);
      });
      expect(requested.some((url) => url.endsWith('/onnx/model_quantized.onnx'))).toBe(true);
      const [a] = await first!.embedPassages(['城市更新']);
      await first!.dispose();
      await expect(stat(path.join(cacheDir, model.modelId, 'onnx', 'model_quantized.onnx'))).resolves.toBeTruthy();

      const again = await loadEmbedder({ model: model.modelId, cacheDir, allowRemote: false }, (l) => {
        throw new Error(l);
      });
      const [b] = await again!.embedPassages(['城市更新']);
      await again!.dispose();
      expect(cosine(a, b)).toBeCloseTo(1, 5);
    } finally {
      hub.closeAllConnections();
      await new Promise<void>((resolve) => hub.close(() => resolve()));
    }
  });
});

describe('loadEmbedder when no model can be loaded', () => {
  let silent: Server;
  let silentPort = 0;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    // Accepts connections and never answers: what a firewalled hub looks like.
    silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentPort = (silent.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it('returns null quickly with exactly one clear line when remote loading is off', async () => {
    const logs: string[] = [];
    const started = Date.now();
    const result = await loadEmbedder({ model: 'nobody/no-such-model', allowRemote: false, cacheDir: scratch }, (l) => logs.push(l));
    expect(result).toBeNull();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/^dense search off: could not load model nobody\/no-such-model \(downloads are off and it is not in .+\)\. /);
    expect(logs[0]).toMatch(/FUHAN_MODEL_DIR/);
    expect(logs[0]).toMatch(/continuing lexical-only\.$/);
  });

  it('gives up on a hub that never answers within the connect timeout', async () => {
    const logs: string[] = [];
    const started = Date.now();
    const result = await loadEmbedder(
      { model: 'nobody/no-such-model', cacheDir: scratch, remoteHost: `http://127.0.0.1:${silentPort}/`, connectTimeoutMs: 300 },
      (l) => logs.push(l),
    );
    expect(result).toBeNull();
    expect(Date.now() - started).toBeLessThan(5000);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/could not load model nobody\/no-such-model \(offline and not in cache /);
  });

  it('reports invalid settings in one line instead of throwing', async () => {
    const logs: string[] = [];
    expect(await loadEmbedder({ batchSize: -1 }, (l) => logs.push(l))).toBeNull();
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/^dense search off: invalid embedding model settings/);
  });
});

describe('embedder options', () => {
  it('defaults to int8 multilingual-e5-small with e5 prefixes', () => {
    const options = resolveEmbedderOptions({}, {});
    expect(options).toMatchObject({
      model: 'Xenova/multilingual-e5-small',
      dtype: 'q8',
      allowRemote: true,
      queryPrefix: 'query: ',
      passagePrefix: 'passage: ',
      batchSize: 32,
      maxLength: 512,
      pooling: 'mean',
      normalize: true,
    });
    expect(options.cacheDir).toMatch(/\.cache[/\\]models$/);
  });

  it('reads FUHAN_* variables; explicit options win', () => {
    const env = { FUHAN_MODEL: 'a/b', FUHAN_MODEL_DTYPE: 'fp32', FUHAN_MODEL_CACHE: '/tmp/c', FUHAN_MODEL_DIR: '/tmp/d', FUHAN_OFFLINE: '1' };
    expect(embedderOptionsFromEnv(env)).toEqual({ model: 'a/b', dtype: 'fp32', cacheDir: '/tmp/c', localModelPath: '/tmp/d', allowRemote: false });
    expect(resolveEmbedderOptions({ model: 'x/y' }, env).model).toBe('x/y');
    expect(embedderOptionsFromEnv({ FUHAN_OFFLINE: '0', FUHAN_MODEL: '' })).toEqual({ allowRemote: true });
  });
});
