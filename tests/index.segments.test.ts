/**
 * Layered generations: an incremental build shares the live index's base segment by hard link and
 * writes the changed letters as a delta. What a question finds must be exactly what the index
 * rewritten whole (`compact: true`) finds after the same history of changes.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIndex, type BuildOptions } from '../index/buildIndex.ts';
import { documentTerms } from '../index/lexical/documentTerms.ts';
import { LexicalIndex, type DocumentTerms, type WeightedTerm } from '../index/lexical/lexicalIndex.ts';
import { openIndex } from '../index/openIndex.ts';
import { loadCorpusIndex, readManifest } from '../index/store/corpusIndexFiles.ts';
import { currentGenerationDir } from '../index/store/generations.ts';
import { IndexError } from '../index/store/indexManifest.ts';
import { SeededRandom } from '../bench/seededRandom.ts';
import { FIXTURE_LETTERS, SHIPPED_CORPUS } from './support/fixtureLetters.ts';

let scratch: string;
const quiet = () => {};

beforeAll(async () => {
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'fuhan-segments-'));
});
afterAll(async () => {
  await fs.rm(scratch, { recursive: true, force: true });
});

const QUESTIONS = [
  '重庆和澳门青年交流有哪些安排？',
  'what has Qingdao done with MOX?',
  '衡陽市公安局如何解決停車難？',
  '解放路夜间临时停车泊位',
  'Which bureau answered proposal D022 about intangible heritage?',
  '花鼓灯艺术节',
  '沙坪坝区交通局下一步工作计划',
  '拉萨的提案办理情况如何？',
];

/** A corpus folder with copies of every fixture and shipped letter. */
async function fullCorpus(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(scratch, 'corpus-'));
  for (const from of [FIXTURE_LETTERS, SHIPPED_CORPUS]) {
    for (const f of await fs.readdir(from)) if (/\.(txt|md|html?)$/.test(f)) await fs.copyFile(path.join(from, f), path.join(dir, f));
  }
  return dir;
}

/** What questions find: passage ids, scores and the verdict, per question. */
async function findings(indexDir: string, corpus: string) {
  const engine = await openIndex({ corpusDirs: [corpus], indexDir, dense: 'off', buildIfMissing: false, log: quiet });
  const out = [];
  for (const q of QUESTIONS) {
    const r = await engine.search(q, { k: 20 });
    out.push({ q, refused: r.refused, hits: r.hits.map((h) => `${h.passage.id} ${h.score.toFixed(12)}`) });
  }
  return out;
}

describe('incremental builds write a delta over the shared base', () => {
  it('finds exactly what the compacted index finds, through changes, additions and removals', async () => {
    const corpus = await fullCorpus();
    const layeredDir = path.join(scratch, 'layered');
    const wholeDir = path.join(scratch, 'whole');
    const build = (indexDir: string, extra: Partial<BuildOptions> = {}) => buildIndex({ corpusDirs: [corpus], indexDir, dense: 'off', log: quiet, ...extra });
    const both = async () => {
      const layered = await build(layeredDir);
      const whole = await build(wholeDir, { compact: true });
      expect(layered.layout).toBe('layered');
      expect(whole.layout).toBe('whole');
      const a = (await loadCorpusIndex((await currentGenerationDir(layeredDir))!)).index;
      const b = (await loadCorpusIndex((await currentGenerationDir(wholeDir))!)).index;
      expect(a.letters).toEqual(b.letters);
      expect(a.passages).toEqual(b.passages);
      expect([...a.passageLetter]).toEqual([...b.passageLetter]);
      expect(a.passageLexical.terms()).toEqual(b.passageLexical.terms());
      expect(a.passageLexical.compacted().toData()).toEqual(b.passageLexical.toData());
      expect(a.letterLexical.compacted().toData()).toEqual(b.letterLexical.toData());
      expect(a.english).toEqual(b.english);
      expect(a.pinyin).toEqual(b.pinyin);
      expect(await findings(layeredDir, corpus)).toEqual(await findings(wholeDir, corpus));
      return layered;
    };
    await build(layeredDir);
    await build(wholeDir);

    // Change a letter of the base: its old version is removed from the base, the new one is the delta.
    const hengyang = path.join(corpus, '011_hengyang-gongan-268hao-tian.txt');
    const original = await fs.readFile(hengyang, 'utf8');
    await fs.writeFile(hengyang, original.replace('现答复如下:', '现答复如下:\n我局将在解放路试点设置夜间临时停车泊位。'));
    const changed = await both();
    expect(changed).toMatchObject({ changed: 1, unchanged: 15 });
    const manifest = await readManifest((await currentGenerationDir(layeredDir))!);
    expect(manifest.segments).toMatchObject({ removedLetters: [expect.any(Number)], delta: { letters: 1 } });

    // Add a letter with words the corpus never had, remove one of the base, change the delta's letter again.
    await fs.writeFile(
      path.join(corpus, 'zz_new.txt'),
      '关于加强冰雪旅游设施建设的提案答复\n\n王委员：\n\n您提出的关于加强冰雪旅游设施建设的提案收悉，现答复如下：\n\n我局已在雪乡新建滑雪场三处，并计划明年开通冰雪旅游专线。\n\n某某市文化和旅游局\n2024年6月1日\n',
    );
    await fs.rm(path.join(corpus, '015_huaiyuan-wenlv-D022hao-feiyi-tian.txt'));
    await fs.writeFile(hengyang, original.replace('现答复如下:', '现答复如下:\n我局将在解放路和人民路试点设置夜间临时停车泊位。'));
    const moved = await both();
    expect(moved).toMatchObject({ added: 1, removed: 1, changed: 1 });
    const engine = await openIndex({ corpusDirs: [corpus], indexDir: layeredDir, dense: 'off', buildIfMissing: false, log: quiet });
    expect((await engine.search('ski resorts for snow tourism', { k: 3 })).hits[0].passage.text).toContain('滑雪场');
    expect((await engine.search('人民路夜间临时停车泊位', { k: 3 })).hits[0].passage.text).toContain('人民路');
    expect((await engine.search('花鼓灯艺术节', { k: 10 })).hits.every((h) => !h.letter.doc.includes('huaiyuan'))).toBe(true);

    // Restore everything: the delta keeps only the restored letters.
    await fs.writeFile(hengyang, original);
    await fs.rm(path.join(corpus, 'zz_new.txt'));
    await fs.copyFile(path.join(FIXTURE_LETTERS, '015_huaiyuan-wenlv-D022hao-feiyi-tian.txt'), path.join(corpus, '015_huaiyuan-wenlv-D022hao-feiyi-tian.txt'));
    const restored = await both();
    expect(restored).toMatchObject({ added: 1, removed: 1, changed: 1 });

    // Compacting the layered index changes nothing a question finds.
    expect((await build(layeredDir, { compact: true })).layout).toBe('whole');
    expect(await findings(layeredDir, corpus)).toEqual(await findings(wholeDir, corpus));
  });

  it('shares the base files by hard link and writes only the delta', async () => {
    const corpus = await fullCorpus();
    const indexDir = path.join(scratch, 'links');
    await buildIndex({ corpusDirs: [corpus], indexDir, dense: 'off', log: quiet });
    const first = (await currentGenerationDir(indexDir))!;
    const inode = async (dir: string, f: string) => (await fs.stat(path.join(dir, f))).ino;
    const lexicalInode = await inode(first, 'lexical.bin');
    const lettersInode = await inode(first, 'texts.bin');
    const file = path.join(corpus, '011_hengyang-gongan-268hao-tian.txt');
    await fs.appendFile(file, '\n我局将继续完善停车管理。\n');
    const report = await buildIndex({ corpusDirs: [corpus], indexDir, dense: 'off', log: quiet });
    expect(report.layout).toBe('layered');
    const second = (await currentGenerationDir(indexDir))!;
    expect(second).not.toBe(first);
    // The first generation is gone; its files live on in the second.
    await expect(fs.access(first)).rejects.toThrow();
    expect(await inode(second, 'lexical.bin')).toBe(lexicalInode);
    expect(await inode(second, 'texts.bin')).toBe(lettersInode);
    const delta = (await fs.stat(path.join(second, 'delta.lexical.bin'))).size;
    expect(delta).toBeLessThan((await fs.stat(path.join(second, 'lexical.bin'))).size / 4);
  });

  it('compacts when the delta outgrows its limits', async () => {
    const corpus = await fullCorpus();
    const indexDir = path.join(scratch, 'limits');
    const limits = { minPassages: 0, maxDeltaShare: 0.2, maxRemovedShare: 0.2 };
    await buildIndex({ corpusDirs: [corpus], indexDir, dense: 'off', log: quiet, layerLimits: limits });
    const files = (await fs.readdir(corpus)).sort();
    // One small letter fits the delta; changing most letters does not.
    await fs.appendFile(path.join(corpus, files[0]), '\n我局将继续完善停车管理。\n');
    expect((await buildIndex({ corpusDirs: [corpus], indexDir, dense: 'off', log: quiet, layerLimits: limits })).layout).toBe('layered');
    for (const f of files.slice(1, 10)) await fs.appendFile(path.join(corpus, f), '\n我局将继续完善停车管理。\n');
    const big = await buildIndex({ corpusDirs: [corpus], indexDir, dense: 'off', log: quiet, layerLimits: limits });
    expect(big).toMatchObject({ layout: 'whole', changed: 9 });
    const manifest = await readManifest((await currentGenerationDir(indexDir))!);
    expect(manifest.segments).toBeUndefined();
    expect(manifest.files.some((f) => f.startsWith('delta.'))).toBe(false);
  });

  it('writes the index whole when the corpus folder moved (a delta cannot re-point the base\'s letters)', async () => {
    const corpus = await fullCorpus();
    const indexDir = path.join(scratch, 'moved');
    await buildIndex({ corpusDirs: [corpus], indexDir, dense: 'off', log: quiet });
    const elsewhere = `${corpus}-moved`;
    await fs.rename(corpus, elsewhere);
    await fs.appendFile(path.join(elsewhere, '011_hengyang-gongan-268hao-tian.txt'), '\n我局将继续完善停车管理。\n');
    const report = await buildIndex({ corpusDirs: [elsewhere], indexDir, dense: 'off', log: quiet });
    expect(report).toMatchObject({ layout: 'whole', changed: 1, unchanged: 15 });
    const { index, manifest } = await loadCorpusIndex((await currentGenerationDir(indexDir))!);
    expect(index.letters.every((l) => l.file.startsWith(elsewhere))).toBe(true);
    expect(manifest.letters.every((l) => l.file.startsWith(elsewhere))).toBe(true);
  });

  it('says to rebuild when a delta file is damaged, naming it; the next build refuses, and `--full` recovers from the corpus', async () => {
    const corpus = await fullCorpus();
    const indexDir = path.join(scratch, 'damaged');
    await buildIndex({ corpusDirs: [corpus], indexDir, dense: 'off', log: quiet });
    await fs.appendFile(path.join(corpus, '011_hengyang-gongan-268hao-tian.txt'), '\n我局将继续完善停车管理。\n');
    await buildIndex({ corpusDirs: [corpus], indexDir, dense: 'off', log: quiet });
    const dir = (await currentGenerationDir(indexDir))!;
    const deltaFile = path.join(dir, 'delta.lexical.bin');
    await fs.writeFile(deltaFile, (await fs.readFile(deltaFile)).subarray(0, 40));
    await expect(loadCorpusIndex(dir)).rejects.toThrow(IndexError);
    await expect(loadCorpusIndex(dir)).rejects.toThrow(/delta\.lexical\.bin.*fuhan build --full/);
    await fs.appendFile(path.join(corpus, '012_miluo-jiaojing-12hao-tian.txt'), '\n我局将继续加强交通管理。\n');
    // A delta over a damaged index would carry the damage on: the build refuses and leaves it be.
    await expect(buildIndex({ corpusDirs: [corpus], indexDir, dense: 'off', log: quiet })).rejects.toThrow(/delta\.lexical\.bin.*--full/);
    expect(await currentGenerationDir(indexDir)).toBe(dir);
    const report = await buildIndex({ corpusDirs: [corpus], indexDir, dense: 'off', full: true, log: quiet });
    expect(report).toMatchObject({ layout: 'whole', letters: 16 });
    const engine = await openIndex({ corpusDirs: [corpus], indexDir, dense: 'off', buildIfMissing: false, log: quiet });
    expect((await engine.search('继续加强交通管理', { k: 3 })).hits[0].passage.text).toContain('继续加强交通管理');
  });
});

describe('LexicalIndex.layered', () => {
  /** Random documents over a small vocabulary (so terms are shared, and some tfs pass 255). */
  function randomDocs(random: () => number, n: number): DocumentTerms[] {
    const words = ['农业', '交通', '停车', '泊位', '澳门', '青年', '交流', '旅游', '文化', '教育', '医疗', '安全'];
    return Array.from({ length: n }, () => {
      const text = Array.from({ length: 1 + Math.floor(random() * 40) }, () => words[Math.floor(random() * words.length)]).join('');
      return random() < 0.05 ? documentTerms(text.repeat(30)) : documentTerms(text);
    });
  }

  it('scores, counts and merges exactly like the compacted index', () => {
    const rng = new SeededRandom(7);
    const random = () => rng.next();
    for (let round = 0; round < 20; round++) {
      const base = LexicalIndex.fromDocuments(randomDocs(random, 1 + Math.floor(random() * 60)));
      const removed = Uint8Array.from({ length: base.size }, () => (random() < 0.3 ? 1 : 0));
      const added = randomDocs(random, Math.floor(random() * 10));
      const keep = removed.map((r) => 1 - r);
      const compacted = base.withChanges(keep, added);
      const layered = LexicalIndex.layered(base.toData(), removed, LexicalIndex.fromDocuments(added).toData());
      expect(layered.size).toBe(compacted.size);
      expect(layered.compacted().toData()).toEqual(compacted.toData());
      expect(layered.terms()).toEqual(compacted.terms());
      const query: WeightedTerm[] = compacted.terms().slice(0, 8).map((term, i) => ({ term, weight: 1 + (i % 3) / 2 }));
      for (const term of compacted.terms()) {
        expect(layered.df(term)).toBe(compacted.df(term));
        expect(layered.idf(term)).toBe(compacted.idf(term));
      }
      expect([...layered.scoreAll(query)]).toEqual([...compacted.scoreAll(query)]);
      const allow = Uint8Array.from({ length: compacted.size }, () => (random() < 0.5 ? 1 : 0));
      expect([...layered.scoreAll(query, allow)]).toEqual([...compacted.scoreAll(query, allow)]);
      // A reused buffer (the engine's) holding an earlier query's scores gives the same.
      const reused = new Float64Array(compacted.size + 3).fill(7);
      expect([...layered.scoreAll(query, undefined, reused).subarray(0, compacted.size)]).toEqual([...compacted.scoreAll(query)]);
      const docs = Array.from({ length: compacted.size }, (_, d) => d);
      const everyTerm = (terms: readonly string[]) => terms.map(() => 1);
      expect([...layered.partialScores(query, docs, everyTerm)]).toEqual([...compacted.partialScores(query, docs, everyTerm)]);
      for (const d of docs) for (const { term } of query) expect(layered.tf(d, term)).toBe(compacted.tf(d, term));
      // Changing a layered index gives what changing the compacted one gives.
      const keepAgain = Uint8Array.from({ length: compacted.size }, () => (random() < 0.8 ? 1 : 0));
      const more = randomDocs(random, 3);
      expect(layered.withChanges(keepAgain, more).toData()).toEqual(compacted.withChanges(keepAgain, more).toData());
    }
  });
});
