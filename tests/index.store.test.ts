import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIndex } from '../index/buildIndex.ts';
import { loadEmbedder } from '../index/embedding/embedder.ts';
import { openIndex, openIndexWithManifest } from '../index/openIndex.ts';
import { loadCorpusIndex, readManifest } from '../index/store/corpusIndexFiles.ts';
import { currentGenerationDir } from '../index/store/generations.ts';
import { parseLetter } from '../corpus/parseLetter.ts';
import { cutPassages } from '../corpus/passages.ts';
import { readCorpus } from '../corpus/readCorpus.ts';
import { IndexError, INDEX_SCHEMA_VERSION } from '../index/store/indexManifest.ts';
import { ensureTinyTestModel } from './support/onnxModels.ts';
import { FIXTURE_LETTERS, REPO } from './support/fixtureLetters.ts';

let scratch: string;
const quiet = () => {};
const LETTERS = ['000b_qingdao-shanghe-mox-tian.txt', '011_hengyang-gongan-268hao-tian.txt', '015_huaiyuan-wenlv-D022hao-feiyi-tian.txt'];

/** A fresh corpus folder holding copies of some fixture letters. */
async function corpusOf(files: string[]): Promise<string> {
  const dir = await fs.mkdtemp(path.join(scratch, 'corpus-'));
  for (const f of files) await fs.copyFile(path.join(FIXTURE_LETTERS, f), path.join(dir, f));
  return dir;
}

beforeAll(async () => {
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'fuhan-store-'));
});
afterAll(async () => {
  await fs.rm(scratch, { recursive: true, force: true });
});

describe('building and loading', () => {
  it('writes a manifest and loads the same engine back', async () => {
    const corpus = await corpusOf(LETTERS);
    const indexDir = path.join(scratch, 'index-a');
    const report = await buildIndex({ corpusDirs: [corpus], indexDir, dense: 'off', log: quiet });
    expect(report).toMatchObject({ letters: 3, added: 3, changed: 0, removed: 0, mode: 'lexical-only' });
    const { engine, manifest } = await openIndexWithManifest({ corpusDirs: [corpus], indexDir, dense: 'off', log: quiet });
    expect(manifest).toMatchObject({ schema: INDEX_SCHEMA_VERSION, mode: 'lexical-only', model: null, counts: { letters: 3, passages: report.passages } });
    expect(manifest.params.bm25.k1).toBeGreaterThan(0);
    expect(manifest.letters.map((l) => l.hash)).toHaveLength(3);
    const result = await engine.search('What did Qingdao agree with MOX?');
    expect(result.hits[0].passage.text).toContain('MOX');
  });

  it('loads back exactly the letters and passages it was built from', async () => {
    const corpus = await corpusOf(await fs.readdir(FIXTURE_LETTERS));
    const indexDir = path.join(scratch, 'index-roundtrip');
    await buildIndex({ corpusDirs: [corpus], indexDir, dense: 'off', log: quiet });
    const { index } = await loadCorpusIndex((await currentGenerationDir(indexDir))!);
    const { docs } = await readCorpus([corpus]);
    const letters = docs.map(parseLetter).sort((a, b) => a.id.localeCompare(b.id));
    expect([...index.letters].sort((a, b) => a.id.localeCompare(b.id))).toEqual(letters);
    const byLetter = new Map(letters.map((l) => [l.id, cutPassages(l)]));
    expect(index.passages).toEqual(index.letters.flatMap((l) => byLetter.get(l.id)!));
    expect(index.letters.every((l) => l.commitments.every((c) => l.text.slice(c.start, c.end) === c.text))).toBe(true);
  });

  it('builds the index on first open, saying so once', async () => {
    const corpus = await corpusOf(LETTERS.slice(0, 1));
    const lines: string[] = [];
    const engine = await openIndex({ corpusDirs: [corpus], indexDir: path.join(scratch, 'index-first'), dense: 'off', log: (l) => lines.push(l) });
    expect(engine.letters()).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('no index at'))).toHaveLength(1);
  });

  it('reports broken files and indexes the rest', async () => {
    const corpus = await corpusOf(LETTERS.slice(0, 2));
    await fs.writeFile(path.join(corpus, 'empty.txt'), '');
    await fs.writeFile(path.join(corpus, 'binary.txt'), Buffer.from([0, 1, 2, 3, 0, 255, 0, 7]));
    const lines: string[] = [];
    const report = await buildIndex({ corpusDirs: [corpus], indexDir: path.join(scratch, 'index-bad'), dense: 'off', log: (l) => lines.push(l) });
    expect(report.letters).toBe(2);
    expect(report.skipped.map((s) => path.basename(s.file)).sort()).toEqual(['binary.txt', 'empty.txt']);
    expect(lines.filter((l) => l.startsWith('skipped '))).toHaveLength(2);
  });
});

describe('incremental builds', () => {
  it('re-reads only what changed, and drops what was removed', async () => {
    const corpus = await corpusOf(LETTERS);
    const indexDir = path.join(scratch, 'index-inc');
    await buildIndex({ corpusDirs: [corpus], indexDir, dense: 'off', log: quiet });

    const same = await buildIndex({ corpusDirs: [corpus], indexDir, dense: 'off', log: quiet });
    expect(same).toMatchObject({ unchanged: 3, added: 0, changed: 0, removed: 0 });

    // Change one letter: a new sentence becomes findable.
    const file = path.join(corpus, LETTERS[1]);
    const text = await fs.readFile(file, 'utf8');
    await fs.writeFile(file, text.replace('现答复如下:', '现答复如下:\n我局将在解放路试点设置夜间临时停车泊位。'));
    const changed = await buildIndex({ corpusDirs: [corpus], indexDir, dense: 'off', log: quiet });
    expect(changed).toMatchObject({ unchanged: 2, changed: 1, added: 0, removed: 0 });
    let engine = await openIndex({ corpusDirs: [corpus], indexDir, dense: 'off', log: quiet });
    expect((await engine.search('解放路夜间临时停车泊位')).hits[0].passage.text).toContain('夜间临时停车泊位');

    // Add one, remove one.
    await fs.copyFile(path.join(FIXTURE_LETTERS, '025_shapingba-jiaotong-DH0271-jianyi.txt'), path.join(corpus, 'new.txt'));
    await fs.rm(path.join(corpus, LETTERS[2]));
    const moved = await buildIndex({ corpusDirs: [corpus], indexDir, dense: 'off', log: quiet });
    expect(moved).toMatchObject({ unchanged: 2, added: 1, removed: 1 });
    engine = await openIndex({ corpusDirs: [corpus], indexDir, dense: 'off', log: quiet });
    expect(engine.letters().map((l) => l.id).sort()).toEqual(['000b_qingdao-shanghe-mox-tian', '011_hengyang-gongan-268hao-tian', 'new']);
    const gone = await engine.search('花鼓灯艺术节', { k: 10 });
    expect(gone.hits.every((h) => !h.letter.doc.includes('huaiyuan'))).toBe(true);
  });

  it('extends the cross-lingual tables with a new letter\'s words as a full build would', async () => {
    const corpus = await corpusOf(LETTERS.slice(0, 2));
    const indexDir = path.join(scratch, 'index-cross');
    await buildIndex({ corpusDirs: [corpus], indexDir, dense: 'off', log: quiet });
    await fs.copyFile(path.join(FIXTURE_LETTERS, LETTERS[2]), path.join(corpus, LETTERS[2]));
    const grown = await buildIndex({ corpusDirs: [corpus], indexDir, dense: 'off', log: quiet });
    expect(grown).toMatchObject({ unchanged: 2, added: 1 });
    const incremental = (await loadCorpusIndex((await currentGenerationDir(indexDir))!)).index;
    const fullDir = path.join(scratch, 'index-cross-full');
    await buildIndex({ corpusDirs: [corpus], indexDir: fullDir, dense: 'off', log: quiet });
    const full = (await loadCorpusIndex((await currentGenerationDir(fullDir))!)).index;
    // Per English key: the same qualities, and the same candidates above the last one kept (which of
    // several candidates tied at the cut is kept may differ).
    const canonical = (d: Record<string, [string, number][]>) =>
      Object.fromEntries(
        Object.entries(d).map(([k, list]) => {
          const cut = Math.min(...list.map(([, q]) => q));
          return [k, { qualities: list.map(([, q]) => q).sort(), above: list.filter(([, q]) => q > cut).map(([h]) => h).sort() }];
        }),
      );
    expect(canonical(incremental.english)).toEqual(canonical(full.english));
    expect([...incremental.commonEnglish]).toEqual([...full.commonEnglish]);
    expect(incremental.pinyin).toEqual(full.pinyin);
  });
});

describe('crash safety', () => {
  it('keeps the previous index when a build is killed before the swap', async () => {
    const corpus = await corpusOf(LETTERS.slice(0, 2));
    const indexDir = path.join(scratch, 'index-kill');
    await buildIndex({ corpusDirs: [corpus], indexDir, dense: 'off', log: quiet });
    const before = await currentGenerationDir(indexDir);

    await fs.copyFile(path.join(FIXTURE_LETTERS, '025_shapingba-jiaotong-DH0271-jianyi.txt'), path.join(corpus, 'new.txt'));
    const child = spawn(process.execPath, [path.join(REPO, 'bin', 'fuhan.js'), 'build', '--corpus', corpus, '--index', indexDir, '--dense', 'off'], {
      env: { ...process.env, FUHAN_TEST_PAUSE_BEFORE_SWAP: '60000' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    await new Promise<void>((resolve, reject) => {
      let err = '';
      child.stderr.on('data', (d) => {
        err += d;
        if (err.includes('pausing before swap')) resolve();
      });
      child.on('exit', () => reject(new Error(`build exited early: ${err}`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    expect(await currentGenerationDir(indexDir)).toBe(before);
    const engine = await openIndex({ corpusDirs: [corpus], indexDir, dense: 'off', buildIfMissing: false, log: quiet });
    expect(engine.letters()).toHaveLength(2);

    // The next build takes over the dead build's lock, swaps in, and clears the leftovers.
    const report = await buildIndex({ corpusDirs: [corpus], indexDir, dense: 'off', log: quiet });
    expect(report.letters).toBe(3);
    const generations = (await fs.readdir(indexDir)).filter((e) => e.startsWith('gen-'));
    expect(generations).toHaveLength(1);
  });
});

describe('corrupt or mismatched indexes', () => {
  async function builtIndex(name: string): Promise<{ corpus: string; indexDir: string; gen: string }> {
    const corpus = await corpusOf(LETTERS.slice(0, 1));
    const indexDir = path.join(scratch, name);
    await buildIndex({ corpusDirs: [corpus], indexDir, dense: 'off', log: quiet });
    return { corpus, indexDir, gen: (await currentGenerationDir(indexDir))! };
  }
  const open = (corpus: string, indexDir: string) => openIndex({ corpusDirs: [corpus], indexDir, dense: 'off', buildIfMissing: false, log: quiet });

  it('says to rebuild when a file is truncated', async () => {
    const { corpus, indexDir, gen } = await builtIndex('index-trunc');
    await fs.writeFile(path.join(gen, 'lexical.bin'), 'FUHANTA1');
    await expect(open(corpus, indexDir)).rejects.toThrow(/corrupt.*fuhan build/);
  });

  it('says to rebuild when the schema is from another version', async () => {
    const { corpus, indexDir, gen } = await builtIndex('index-schema');
    const manifest = JSON.parse(await fs.readFile(path.join(gen, 'manifest.json'), 'utf8'));
    await fs.writeFile(path.join(gen, 'manifest.json'), JSON.stringify({ ...manifest, schema: 0 }));
    await expect(open(corpus, indexDir)).rejects.toThrow(IndexError);
    await expect(open(corpus, indexDir)).rejects.toThrow(/schema 0.*fuhan build/);
  });

  it('says to rebuild when a file is missing', async () => {
    const { corpus, indexDir, gen } = await builtIndex('index-missing');
    await fs.rm(path.join(gen, 'spans.bin'));
    await expect(open(corpus, indexDir)).rejects.toThrow(/missing spans.bin.*fuhan build/);
  });

  it('says to build when there is no index and building is not allowed', async () => {
    await expect(open(scratch, path.join(scratch, 'nothing-here'))).rejects.toThrow(/no index.*fuhan build/);
  });
});

describe('hybrid plumbing (tiny generated model)', () => {
  it('embeds passages, persists vectors, reloads and fuses both channels', async () => {
    const model = await ensureTinyTestModel();
    const options = { model: model.modelId, localModelPath: model.localModelPath, allowRemote: false, cacheDir: path.join(scratch, 'models') };
    const embedder = await loadEmbedder(options, quiet);
    expect(embedder).not.toBeNull();
    const corpus = await corpusOf(LETTERS);
    const indexDir = path.join(scratch, 'index-hybrid');
    const report = await buildIndex({ corpusDirs: [corpus], indexDir, dense: 'on', embedder, log: quiet });
    expect(report.mode).toBe('hybrid');
    expect(report.embedded).toBe(report.passages);

    const { engine, manifest } = await openIndexWithManifest({ corpusDirs: [corpus], indexDir, dense: 'on', embedderOptions: options, log: quiet });
    expect(manifest.model).toMatchObject({ id: model.modelId, dims: embedder!.dims });
    expect(manifest.params.hnsw).toMatchObject({ M: expect.any(Number), efConstruction: expect.any(Number), efSearch: expect.any(Number) });
    expect(engine.dense).toBe(true);
    const result = await engine.search('上合示范区与MOX签订全面合作框架协议', { k: 5 });
    expect(result.hits.some((h) => h.ranks.dense !== undefined)).toBe(true);
    expect(result.hits[0].passage.text).toContain('框架协议');
    expect(result.timings.embed).toBeGreaterThan(0);
    // With dense search off, the graph stays on disk.
    const lexicalOnly = await openIndex({ corpusDirs: [corpus], indexDir, dense: 'off', log: quiet });
    expect(lexicalOnly.dense).toBe(false);
    expect(lexicalOnly.index.dense).toBeUndefined();

    // Changing one letter re-embeds only its passages, into the delta segment (searched exactly).
    const file = path.join(corpus, LETTERS[1]);
    await fs.appendFile(file, '\n我局将继续完善停车管理。\n');
    const again = await buildIndex({ corpusDirs: [corpus], indexDir, dense: 'on', embedder, log: quiet });
    expect(again).toMatchObject({ changed: 1, layout: 'layered' });
    expect(again.embedded).toBeLessThan(report.passages);
    expect(again.embedded).toBeGreaterThan(0);
    const before = engine.index.dense!.vectors;
    const layered = (await loadCorpusIndex((await currentGenerationDir(indexDir))!)).index;
    expect(layered.dense!.vectors.size + layered.dense!.delta!.size).toBe(layered.passages.length);
    expect(layered.dense!.delta!.size).toBe(again.embedded);
    const layeredManifest = await readManifest((await currentGenerationDir(indexDir))!);
    expect(layeredManifest.counts).toMatchObject({ passages: layered.passages.length, vectors: layered.passages.length });
    expect(new Set(layered.dense!.labels).size).toBe(layered.passages.length);
    const reopened = await openIndex({ corpusDirs: [corpus], indexDir, dense: 'on', embedderOptions: options, log: quiet });
    const found = await reopened.search('我局将继续完善停车管理', { k: 5 });
    expect(found.hits.some((h) => h.passage.text.includes('继续完善停车管理') && h.ranks.dense !== undefined)).toBe(true);

    // Compacting folds the delta's vectors into the graph, into the slots of the changed letter's old
    // ones: every passage has one live vector, and the graph did not grow.
    const compacted = await buildIndex({ corpusDirs: [corpus], indexDir, dense: 'on', embedder, compact: true, log: quiet });
    expect(compacted).toMatchObject({ layout: 'whole', embedded: 0, unchanged: 3 });
    const after = (await loadCorpusIndex((await currentGenerationDir(indexDir))!)).index;
    expect(after.dense!.delta).toBeUndefined();
    expect(after.dense!.vectors.size).toBe(after.passages.length);
    expect(new Set(after.dense!.labels).size).toBe(after.passages.length);
    expect(after.dense!.vectors.capacity).toBe(before.capacity);
    expect(Math.max(...after.dense!.labels)).toBeLessThan(Math.max(report.passages, after.passages.length) + 1);
    const same = await openIndex({ corpusDirs: [corpus], indexDir, dense: 'on', embedderOptions: options, log: quiet });
    const again2 = await same.search('我局将继续完善停车管理', { k: 5 });
    expect(again2.hits.map((h) => [h.passage.id, h.score])).toEqual(found.hits.map((h) => [h.passage.id, h.score]));
    await embedder!.dispose();
  });

  it('runs lexical-only, saying so once, when the model cannot be loaded', async () => {
    const corpus = await corpusOf(LETTERS.slice(0, 1));
    const lines: string[] = [];
    const report = await buildIndex({
      corpusDirs: [corpus],
      indexDir: path.join(scratch, 'index-nomodel'),
      dense: 'auto',
      embedderOptions: { model: 'nobody/no-such-model', allowRemote: false, cacheDir: path.join(scratch, 'empty-cache') },
      log: (l) => lines.push(l),
    });
    expect(report.mode).toBe('lexical-only');
    expect(lines.filter((l) => /dense search off/.test(l))).toHaveLength(1);
  });
});
