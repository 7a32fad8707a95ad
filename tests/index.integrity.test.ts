/**
 * The index attacked as SQLite and Lucene test themselves (issue 15's ten findings, one block each):
 * damaged files, a corpus folder that vanished, a lost CURRENT, colliding ids, readers racing
 * cleanup, a full disk, hostile inputs, durability, and the small things. Each test reproduces the
 * finding on real letters and requires the safe outcome: the same answer, or one clear error.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import fsSync from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerQuestion } from '../bot/answer/answerQuestion.ts';
import { keepVerifiedQuotes } from '../bot/answer/verifyQuote.ts';
import { docxToText } from '../corpus/read/docxToText.ts';
import { readCorpus } from '../corpus/readCorpus.ts';
import { buildIndex } from '../index/buildIndex.ts';
import { loadEmbedder } from '../index/embedding/embedder.ts';
import { openIndex } from '../index/openIndex.ts';
import { boundQuestion } from '../index/lexical/boundQuestion.ts';
import { loadCorpusIndex, readManifest } from '../index/store/corpusIndexFiles.ts';
import { currentGenerationDir, holdGeneration } from '../index/store/generations.ts';
import { verifyFiles } from '../index/store/fileSums.ts';
import { IndexError } from '../index/store/indexManifest.ts';
import { FIXTURE_LETTERS, REPO } from './support/fixtureLetters.ts';
import { ensureTinyTestModel } from './support/onnxModels.ts';
import { runNode } from './support/runNode.ts';

let scratch: string;
const quiet = () => {};
const LETTERS = ['000b_qingdao-shanghe-mox-tian.txt', '011_hengyang-gongan-268hao-tian.txt', '015_huaiyuan-wenlv-D022hao-feiyi-tian.txt'];
const EXTRA = '025_shapingba-jiaotong-DH0271-jianyi.txt';

beforeAll(async () => {
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'fuhan-integrity-'));
});
afterAll(async () => {
  await fs.rm(scratch, { recursive: true, force: true });
});

async function corpusOf(files: string[]): Promise<string> {
  const dir = await fs.mkdtemp(path.join(scratch, 'corpus-'));
  for (const f of files) await fs.copyFile(path.join(FIXTURE_LETTERS, f), path.join(dir, f));
  return dir;
}

async function built(files = LETTERS): Promise<{ corpus: string; indexDir: string; gen: string }> {
  const corpus = await corpusOf(files);
  const indexDir = await fs.mkdtemp(path.join(scratch, 'index-'));
  await buildIndex({ corpusDirs: [corpus], indexDir, dense: 'off', log: quiet });
  return { corpus, indexDir, gen: (await currentGenerationDir(indexDir))! };
}

const open = (corpus: string, indexDir: string) => openIndex({ corpusDirs: [corpus], indexDir, dense: 'off', buildIfMissing: false, log: quiet });

/** What a user is shown: each quote with its letter's issuer, title and span. */
async function answerOf(corpus: string, indexDir: string, question: string): Promise<string> {
  const engine = await open(corpus, indexDir);
  const answer = await answerQuestion(engine, question, { log: quiet });
  return JSON.stringify(answer);
}

const gens = async (indexDir: string) => (await fs.readdir(indexDir)).filter((e) => e.startsWith('gen-')).sort();

describe('1. a damaged index is one clear error, never a changed quote', () => {
  it('flips bytes in, and truncates, every file of a layered generation (base and delta)', async () => {
    const { corpus, indexDir } = await built();
    await fs.copyFile(path.join(FIXTURE_LETTERS, EXTRA), path.join(corpus, EXTRA));
    expect((await buildIndex({ corpusDirs: [corpus], indexDir, dense: 'off', log: quiet })).layout).toBe('layered');
    const gen = (await currentGenerationDir(indexDir))!;
    const files = (await fs.readdir(gen)).sort();
    expect(files.filter((f) => f.startsWith('delta.'))).toHaveLength(5);
    const questions = ['青岛与澳门MOX签订了什么协议？', '沙坪坝区交通局下一步工作计划'];
    const before = await Promise.all(questions.map((q) => answerOf(corpus, indexDir, q)));
    let errors = 0;
    let same = 0;
    for (const f of files) {
      const file = path.join(gen, f);
      const original = await fs.readFile(file);
      // A byte flipped near the start, in the middle and at the end, and the file cut short.
      const damaged = [0.05, 0.5, 0.97].map((at) => {
        const copy = Buffer.from(original);
        const i = Math.min(copy.length - 1, Math.floor(copy.length * at));
        copy[i] = copy[i] ^ 0x04;
        return copy;
      });
      damaged.push(original.subarray(0, Math.floor(original.length * 0.9)));
      for (const bytes of damaged) {
        // Written in place: the base files are hard links shared with the previous generation.
        await fs.writeFile(file, bytes);
        try {
          const after = await Promise.all(questions.map((q) => answerOf(corpus, indexDir, q)));
          expect(after, `${f} damaged and not detected`).toEqual(before);
          same++;
        } catch (e) {
          expect(e, `${f}: ${(e as Error).message}`).toBeInstanceOf(IndexError);
          expect((e as Error).message).toContain(f === 'manifest.json' ? 'manifest' : f);
          expect((e as Error).message).toMatch(/fuhan build/);
          expect((e as Error).message).not.toContain('\n');
          errors++;
        }
        await fs.writeFile(file, original);
      }
    }
    expect(errors + same).toBe(files.length * 4);
    expect(errors).toBeGreaterThanOrEqual(files.length * 4 - 2);
    expect(await Promise.all(questions.map((q) => answerOf(corpus, indexDir, q)))).toEqual(before);
  });

  it('flips a byte in each vector file of a layered hybrid generation (graph, its meta, labels, delta vectors)', async () => {
    const model = await ensureTinyTestModel();
    const embedderOptions = { model: model.modelId, localModelPath: model.localModelPath, allowRemote: false, cacheDir: path.join(scratch, 'models') };
    const embedder = await loadEmbedder(embedderOptions, quiet);
    const corpus = await corpusOf(LETTERS);
    const indexDir = path.join(scratch, 'hybrid');
    await buildIndex({ corpusDirs: [corpus], indexDir, dense: 'on', embedder, log: quiet });
    await fs.copyFile(path.join(FIXTURE_LETTERS, EXTRA), path.join(corpus, EXTRA));
    expect((await buildIndex({ corpusDirs: [corpus], indexDir, dense: 'on', embedder, log: quiet })).layout).toBe('layered');
    const gen = (await currentGenerationDir(indexDir))!;
    const openHybrid = () => openIndex({ corpusDirs: [corpus], indexDir, dense: 'on', embedder, buildIfMissing: false, log: quiet });
    const ask = async () => JSON.stringify((await (await openHybrid()).search('上合示范区与MOX签订全面合作框架协议', { k: 5 })).hits.map((h) => [h.passage.id, h.passage.text]));
    const before = await ask();
    for (const f of ['vectors.hnsw', 'vectors.hnsw.meta.json', 'labels.bin', 'delta.vectors.bin']) {
      const file = path.join(gen, f);
      const original = await fs.readFile(file);
      const copy = Buffer.from(original);
      copy[Math.floor(copy.length / 2)] ^= 0x10;
      await fs.writeFile(file, copy);
      const outcome = await ask().catch((e: unknown) => e);
      if (typeof outcome === 'string') expect(outcome, f).toBe(before);
      else expect((outcome as Error).message, f).toMatch(new RegExp(`corrupt: ${f.replace(/\./g, '\\.')} is damaged`));
      await fs.writeFile(file, original);
    }
    expect(await ask()).toBe(before);
    await embedder?.dispose();
  });

  it('sums a large index on a worker thread, with the same verdicts', async () => {
    const { gen } = await built();
    const manifest = await readManifest(gen);
    const files = manifest.files.filter((f) => f !== 'manifest.json');
    await verifyFiles(gen, manifest.checksums, files, { workerAbove: 0 });
    const spans = path.join(gen, 'spans.bin');
    const bytes = await fs.readFile(spans);
    bytes[bytes.length >> 1] ^= 1;
    await fs.writeFile(spans, bytes);
    await expect(verifyFiles(gen, manifest.checksums, files, { workerAbove: 0 })).rejects.toThrow(/spans\.bin is damaged \(its checksum/);
    await fs.rm(spans);
    await expect(verifyFiles(gen, manifest.checksums, files, { workerAbove: 0 })).rejects.toThrow(/missing spans\.bin \(ENOENT\)/);
  });

  it('refuses to build a delta over a damaged base, saying --full is needed; --full cures it', async () => {
    const { corpus, indexDir, gen } = await built();
    const texts = path.join(gen, 'texts.bin');
    const bytes = await fs.readFile(texts);
    // 「7」→「9」 in some letter's text: the kind of damage that was served as a verbatim quote.
    const seven = bytes.indexOf(Buffer.from('7', 'utf16le'), 200);
    bytes[seven] = '9'.charCodeAt(0);
    await fs.writeFile(texts, bytes);
    await expect(open(corpus, indexDir)).rejects.toThrow(/texts\.bin is damaged.*fuhan build --full/);
    await fs.copyFile(path.join(FIXTURE_LETTERS, EXTRA), path.join(corpus, EXTRA));
    await expect(buildIndex({ corpusDirs: [corpus], indexDir, dense: 'off', log: quiet })).rejects.toThrow(/texts\.bin.*nothing was changed.*--full/);
    expect(await currentGenerationDir(indexDir)).toBe(gen);
    await buildIndex({ corpusDirs: [corpus], indexDir, dense: 'off', full: true, log: quiet });
    expect((await open(corpus, indexDir)).letters()).toHaveLength(4);
  });

  it('checks a quote against its letter\'s recorded text hash before it is sent (last line of defence)', async () => {
    const { corpus, indexDir } = await built();
    const engine = await open(corpus, indexDir);
    const hit = (await engine.search('青岛与澳门MOX签订了什么协议？')).hits[0];
    const claim = { letter: hit.passage.letter, quote: hit.passage.text, start: hit.passage.start, end: hit.passage.end };
    expect(keepVerifiedQuotes([claim], (id) => engine.letter(id), quiet)).toHaveLength(1);
    // The letter's text changed in memory after loading (a bug, a bit flip): its quotes are not sent.
    const letter = engine.letters().find((l) => l.id === claim.letter)!;
    const changed = letter.text.replace(/\d/, (d) => String((Number(d) + 2) % 10));
    Object.assign(letter, { text: changed });
    const forged = { ...claim, quote: changed.slice(claim.start, claim.end) };
    const logged: string[] = [];
    const errors: unknown[] = [];
    const error = console.error;
    console.error = (...args: unknown[]) => errors.push(args.join(' '));
    try {
      expect(keepVerifiedQuotes([forged], (id) => engine.letter(id), (l) => logged.push(l))).toHaveLength(0);
    } finally {
      console.error = error;
    }
    expect(logged).toHaveLength(1);
    expect(errors.join('\n')).toMatch(/does not match the hash/);
  });
});

describe('2. a missing or empty corpus folder never wipes the index', () => {
  it('refuses (one line, non-zero exit) over a missing folder, an empty one, and FUHAN_CORPUS=/nonexistent', async () => {
    const { corpus, indexDir, gen } = await built();
    await expect(buildIndex({ corpusDirs: [path.join(scratch, 'nonexistent')], indexDir, dense: 'off', log: quiet })).rejects.toThrow(/does not exist: the index was not changed/);
    const empty = await fs.mkdtemp(path.join(scratch, 'empty-'));
    await expect(buildIndex({ corpusDirs: [empty], indexDir, dense: 'off', log: quiet })).rejects.toThrow(/no letters found/);
    expect(await currentGenerationDir(indexDir)).toBe(gen);
    expect((await open(corpus, indexDir)).letters()).toHaveLength(3);

    const cli = await runNode([path.join(REPO, 'bin', 'fuhan.js'), 'build', '--dense', 'off'], {
      cwd: REPO,
      env: { FUHAN_CORPUS: '/nonexistent/dir', FUHAN_INDEX: indexDir, BOT_TOKEN: '' },
    });
    expect(cli.code).not.toBe(0);
    const lines = cli.stderr.split('\n').filter((l) => l.trim() && !l.startsWith('npm warn'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/\/nonexistent\/dir does not exist.*--allow-empty/);
    expect(await gens(indexDir)).toEqual([path.basename(gen)]);

    // Asked for explicitly, an empty index is built.
    const report = await buildIndex({ corpusDirs: [empty], indexDir, dense: 'off', allowEmpty: true, log: quiet });
    expect(report).toMatchObject({ letters: 0, removed: 3 });
  });
});

describe('3. a missing or garbled CURRENT is an error, not a rebuild from another folder', () => {
  it('opening refuses and keeps the generation; a build refuses a garbled CURRENT unless --full', async () => {
    const { corpus, indexDir, gen } = await built();
    const other = await corpusOf([EXTRA]);
    await fs.writeFile(path.join(indexDir, 'CURRENT'), 'gen-\u0000garbage\n');
    await expect(openIndex({ corpusDirs: [other], indexDir, dense: 'off', log: quiet })).rejects.toThrow(/CURRENT does not name a generation/);
    await expect(buildIndex({ corpusDirs: [other], indexDir, dense: 'off', log: quiet })).rejects.toThrow(/--full/);
    await fs.rm(path.join(indexDir, 'CURRENT'));
    await expect(openIndex({ corpusDirs: [other], indexDir, dense: 'off', log: quiet })).rejects.toThrow(/no CURRENT file/);
    expect(await gens(indexDir)).toEqual([path.basename(gen)]);
    await fs.writeFile(path.join(indexDir, 'CURRENT'), 'gen-0-1\n');
    await expect(open(corpus, indexDir)).rejects.toThrow(/names gen-0-1, which is not there/);
    await buildIndex({ corpusDirs: [corpus], indexDir, dense: 'off', full: true, log: quiet });
    expect((await open(corpus, indexDir)).letters()).toHaveLength(3);
  });
});

describe('4. a manifest from another generation is not loaded', () => {
  it('checks the manifest against the files it lists', async () => {
    const a = await built();
    const b = await built([...LETTERS.slice(0, 2), EXTRA]);
    await fs.copyFile(path.join(b.gen, 'manifest.json'), path.join(a.gen, 'manifest.json'));
    await expect(open(a.corpus, a.indexDir)).rejects.toThrow(/corrupt: .* is damaged/);
  });
});

describe('5. ids never collide across builds', () => {
  const html = (text: string) => `<html><head><title>复函</title></head><body><article>${text.split('\n').map((l) => `<p>${l}</p>`).join('')}</article></body></html>`;

  for (const first of ['zz.txt', 'zz.html']) {
    it(`keeps both letters, and each its id, when ${first === 'zz.txt' ? 'zz.html is added beside zz.txt' : 'zz.txt is added beside zz.html'}`, async () => {
      const corpus = await fs.mkdtemp(path.join(scratch, 'zz-'));
      const txt = await fs.readFile(path.join(FIXTURE_LETTERS, LETTERS[0]), 'utf8');
      const other = await fs.readFile(path.join(FIXTURE_LETTERS, LETTERS[1]), 'utf8');
      const write = (name: string) => fs.writeFile(path.join(corpus, name), name.endsWith('.txt') ? txt : html(other));
      await fs.copyFile(path.join(FIXTURE_LETTERS, LETTERS[2]), path.join(corpus, 'aa.txt'));
      await write(first);
      const indexDir = path.join(corpus, '..', `${path.basename(corpus)}-index`);
      await buildIndex({ corpusDirs: [corpus], indexDir, dense: 'off', log: quiet });
      const engine1 = await open(corpus, indexDir);
      const firstLetter = engine1.letter('zz')!;
      expect(path.basename(firstLetter.file)).toBe(first);
      const offsets = engine1.passagesOf('zz').map((p) => [p.id, p.start, p.end]);

      await write(first === 'zz.txt' ? 'zz.html' : 'zz.txt');
      const report = await buildIndex({ corpusDirs: [corpus], indexDir, dense: 'off', log: quiet });
      expect(report).toMatchObject({ added: 1, unchanged: 2, removed: 0 });
      const incremental = await open(corpus, indexDir);
      const ids = incremental.letters().map((l) => [l.id, path.basename(l.file)]).sort();
      expect(ids).toEqual([['aa', 'aa.txt'], ['zz', first], ['zz~2', first === 'zz.txt' ? 'zz.html' : 'zz.txt']].sort());
      // The unchanged letter's permalinks (id, passage offsets) still point where they did.
      expect(incremental.passagesOf('zz').map((p) => [p.id, p.start, p.end])).toEqual(offsets);

      // A full build decides the same ids.
      await buildIndex({ corpusDirs: [corpus], indexDir, dense: 'off', full: true, log: quiet });
      expect((await open(corpus, indexDir)).letters().map((l) => [l.id, path.basename(l.file)]).sort()).toEqual(ids);
    });
  }
});

describe('6. readers never lose their generation to a build', () => {
  it('a held generation survives builds; it is removed once released', async () => {
    const { corpus, indexDir, gen } = await built();
    const held = (await holdGeneration(indexDir))!;
    expect(held.dir).toBe(gen);
    await fs.copyFile(path.join(FIXTURE_LETTERS, EXTRA), path.join(corpus, EXTRA));
    await buildIndex({ corpusDirs: [corpus], indexDir, dense: 'off', log: quiet });
    expect(await currentGenerationDir(indexDir)).not.toBe(gen);
    expect((await loadCorpusIndex(gen)).index.letters).toHaveLength(3);
    await held.release();
    await fs.appendFile(path.join(corpus, EXTRA), '\n我局将继续完善交通设施。\n');
    await buildIndex({ corpusDirs: [corpus], indexDir, dense: 'off', log: quiet });
    expect(await gens(indexDir)).toHaveLength(1);
  });

  it('asks in a loop while another process builds in a loop: every ask opens an index', async () => {
    const { corpus, indexDir } = await built();
    const script = path.join(scratch, 'build-loop.mts');
    await fs.writeFile(
      script,
      `import fs from 'node:fs/promises';
import { buildIndex } from ${JSON.stringify(path.join(REPO, 'index', 'buildIndex.ts'))};
for (let i = 0; i < 12; i++) {
  await fs.appendFile(${JSON.stringify(path.join(corpus, LETTERS[1]))}, '\\n我局将继续完善停车管理' + i + '。\\n');
  await buildIndex({ corpusDirs: [${JSON.stringify(corpus)}], indexDir: ${JSON.stringify(indexDir)}, dense: 'off', compact: i % 3 === 2, log: () => {} });
}
`,
    );
    const child = spawn(process.execPath, [path.join(REPO, 'node_modules', 'tsx', 'dist', 'cli.mjs'), script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const done = new Promise<number | null>((resolve) => child.on('exit', resolve));
    let running = true;
    void done.then(() => (running = false));
    let asks = 0;
    const failures: string[] = [];
    while (running || asks < 3) {
      try {
        const engine = await open(corpus, indexDir);
        expect(engine.letters()).toHaveLength(3);
      } catch (e) {
        failures.push((e as Error).message);
      }
      asks++;
    }
    expect(await done, stderr).toBe(0);
    expect(failures).toEqual([]);
    expect(asks).toBeGreaterThan(3);
    // A generation a reader held at the last swap is left for the next build to remove.
    await fs.appendFile(path.join(corpus, LETTERS[1]), '\n我局将继续完善停车设施。\n');
    await buildIndex({ corpusDirs: [corpus], indexDir, dense: 'off', log: quiet });
    expect(await gens(indexDir)).toHaveLength(1);
  }, 180_000);
});

describe('7. a full disk leaves no partial generation, and names the file and the reason', () => {
  /**
   * The build's first failed write: on a 256 KB tmpfs when this machine lets us mount one (root),
   * else in a child process under a 64 KB file-size limit (`ulimit -f`, SIGXFSZ ignored: writes fail
   * with EFBIG) — a real failure at the file-system boundary either way, and the real cleanup path.
   */
  async function failedBuild(corpus: string): Promise<{ indexDir: string; message: string; reason: RegExp; cleanup: () => Promise<void> }> {
    const mount = path.join(scratch, 'tiny');
    await fs.mkdir(mount, { recursive: true });
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mount], { stdio: 'ignore' });
    } catch {
      const indexDir = path.join(scratch, 'limited-index');
      const preload = path.join(scratch, 'ignore-xfsz.mjs');
      const script = path.join(scratch, 'limited-build.mts');
      await fs.writeFile(preload, "process.on('SIGXFSZ', () => {});\n");
      await fs.writeFile(
        script,
        `const { buildIndex } = await import(${JSON.stringify(path.join(REPO, 'index', 'buildIndex.ts'))});
await buildIndex({ corpusDirs: [${JSON.stringify(corpus)}], indexDir: ${JSON.stringify(indexDir)}, dense: 'off', log: () => {} }).then(() => console.log('built'), (e) => console.log(e.message));
`,
      );
      const run = await runNode(['-e', `require('child_process').execFileSync('bash', ['-c', 'ulimit -f 64; exec "$0" "$@"', process.execPath, '--import', ${JSON.stringify(preload)}, '--import', 'tsx', ${JSON.stringify(script)}], { stdio: 'inherit' })`], { cwd: REPO });
      return { indexDir, message: run.stdout.trim(), reason: /EFBIG: file too large/, cleanup: async () => {} };
    }
    const indexDir = path.join(mount, 'index');
    const error = await buildIndex({ corpusDirs: [corpus], indexDir, dense: 'off', log: quiet }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IndexError);
    execFileSync('mount', ['-o', 'remount,size=8m', mount]);
    return { indexDir, message: (error as Error).message, reason: /ENOSPC: no space left on device/, cleanup: async () => void execFileSync('umount', [mount]) };
  }

  it('fails, removes its generation, says which file and why, and works once space exists', async () => {
    const corpus = await corpusOf(LETTERS);
    const { indexDir, message, reason, cleanup } = await failedBuild(corpus);
    try {
      expect(message).toMatch(/^the build of .* failed: could not write .*\/gen-[^/]+\/[\w.]+ \(/);
      expect(message).toMatch(reason);
      expect(message).toMatch(/the index was not changed and the partial generation was removed$/);
      expect(await gens(indexDir)).toEqual([]);
      const report = await buildIndex({ corpusDirs: [corpus], indexDir, dense: 'off', log: quiet });
      expect(report.letters).toBe(3);
      expect(await gens(indexDir)).toHaveLength(1);
    } finally {
      await cleanup();
    }
  });
});

/** A zip archive of the given files, deflated (natively: JSZip takes seconds over 80 MB). */
function zipOf(files: Record<string, Uint8Array>): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of Object.entries(files)) {
    const n = Buffer.from(name);
    const packed = deflateRawSync(data, { level: 1 });
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt32LE(crc32(data), 16);
    entry.writeUInt32LE(packed.length, 20);
    entry.writeUInt32LE(data.length, 24);
    entry.writeUInt16LE(n.length, 28);
    entry.writeUInt32LE(offset, 42);
    parts.push(local, n, packed);
    central.push(entry, n);
    offset += 30 + n.length + packed.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(central.length / 2, 8);
  end.writeUInt16LE(central.length / 2, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, end]);
}

describe('8. hostile input is bounded', () => {
  it('answers a question of 10,000 × "Macau" as it answers "Macau Macau Macau"', async () => {
    const { corpus, indexDir } = await built();
    const engine = await open(corpus, indexDir);
    expect(boundQuestion('Macau '.repeat(10_000))).toBe('Macau Macau Macau');
    expect(boundQuestion('澳门'.repeat(10_000)).length).toBeLessThanOrEqual(500);
    const started = performance.now();
    const long = await engine.search('Macau '.repeat(10_000));
    const short = await engine.search('Macau Macau Macau');
    expect(long.hits.map((h) => h.passage.id)).toEqual(short.hits.map((h) => h.passage.id));
    await engine.search('澳门'.repeat(10_000));
    // Was past two minutes and 3.3 GB; bounded generously for a loaded machine.
    expect(performance.now() - started).toBeLessThan(60_000);
  });

  it('rejects a DOCX zip bomb by its declared size before inflating, and a lying one with the output capped', async () => {
    const bomb = zipOf({ '[Content_Types].xml': Buffer.from('<Types/>'), 'word/document.xml': new Uint8Array(80 * 1024 * 1024) });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const result = await docxToText(bomb);
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/expand to 80 MB.*zip bomb/) });
    // A directory that lies (declares 100 bytes): inflated with an output cap, never whole.
    const view = new DataView(bomb.buffer, bomb.byteOffset, bomb.byteLength);
    for (let i = 0; i + 46 <= bomb.length; i++) if (view.getUint32(i, true) === 0x02014b50) view.setUint32(i + 24, 100, true);
    expect(await docxToText(bomb)).toEqual({ ok: false, reason: expect.stringMatching(/more than its directory says.*zip bomb/) });
    const real = await docxToText(await fs.readFile(path.join(REPO, 'tests', 'fixtures', 'formats', 'hunan-1342.docx')));
    expect(real.ok).toBe(true);
  });

  it('FUHAN_INDEX=/proc/x is one error, not an endless mkdir loop', async () => {
    const corpus = await corpusOf(LETTERS.slice(0, 1));
    await expect(buildIndex({ corpusDirs: [corpus], indexDir: '/proc/x/index', dense: 'off', log: quiet })).rejects.toThrow(/cannot create the index folder \/proc\/x\/index \(ENOENT on \/proc\/x\)/);
    await expect(openIndex({ corpusDirs: [corpus], indexDir: '/proc/x', dense: 'off', log: quiet })).rejects.toThrow(/cannot create the index folder/);
  });
});

describe('9. generation files and folders are fsynced before CURRENT is swapped', () => {
  it('syncs every file of the new generation and its folder, then renames CURRENT', async () => {
    const corpus = await corpusOf(LETTERS);
    const indexDir = path.join(scratch, 'durable');
    const events: string[] = [];
    const probe = await fs.open(path.join(scratch, 'probe'), 'w');
    const handleProto = Object.getPrototypeOf(probe) as { sync: () => Promise<void> };
    await probe.close();
    const { sync } = handleProto;
    const { rename } = fs;
    handleProto.sync = function (this: { fd: number }) {
      events.push(`sync ${fsSync.readlinkSync(`/proc/self/fd/${this.fd}`)}`);
      return sync.call(this);
    };
    fs.rename = ((from: string, to: string) => {
      events.push(`rename ${to}`);
      return rename(from, to);
    }) as typeof fs.rename;
    try {
      await buildIndex({ corpusDirs: [corpus], indexDir, dense: 'off', log: quiet });
    } finally {
      handleProto.sync = sync;
      fs.rename = rename;
    }
    const gen = (await currentGenerationDir(indexDir))!;
    const swap = events.indexOf(`rename ${path.join(indexDir, 'CURRENT')}`);
    expect(swap).toBeGreaterThan(0);
    const synced = new Set(events.slice(0, swap).map((e) => e.replace(/^sync /, '')));
    for (const f of (await readManifest(gen)).files) expect(synced, f).toContain(fsSync.realpathSync(path.join(gen, f)));
    expect(synced).toContain(fsSync.realpathSync(gen));
  });
});

describe('10. the small things', () => {
  it('reports a FIFO named letter.txt in one line, and does not hang on it', async () => {
    const corpus = await corpusOf(LETTERS.slice(0, 1));
    execFileSync('mkfifo', [path.join(corpus, 'letter.txt')]);
    const { docs, skipped } = await readCorpus([corpus]);
    expect(docs).toHaveLength(1);
    expect(skipped).toEqual([{ file: path.join(corpus, 'letter.txt'), reason: 'unreadable file (not a regular file: a FIFO)' }]);
    const lines: string[] = [];
    await buildIndex({ corpusDirs: [corpus], indexDir: path.join(scratch, 'fifo-index'), dense: 'off', log: (l) => lines.push(l) });
    expect(lines.filter((l) => l.includes('letter.txt'))).toEqual([`skipped ${path.join(corpus, 'letter.txt')}: unreadable file (not a regular file: a FIFO)`]);
  });

  it('removes a left-over CURRENT.<pid>.tmp of a dead build', async () => {
    const { corpus, indexDir } = await built();
    const dead = spawn(process.execPath, ['-e', '']);
    await new Promise((r) => dead.on('exit', r));
    await fs.writeFile(path.join(indexDir, `CURRENT.${dead.pid}.tmp`), 'gen-1-1\n');
    await fs.appendFile(path.join(corpus, LETTERS[0]), '\n我们将继续推进合作。\n');
    await buildIndex({ corpusDirs: [corpus], indexDir, dense: 'off', log: quiet });
    expect((await fs.readdir(indexDir)).filter((e) => e.startsWith('CURRENT.'))).toEqual([]);
  });

  it('names the delta file when a delta file is unreadable', async () => {
    const { corpus, indexDir } = await built();
    await fs.copyFile(path.join(FIXTURE_LETTERS, EXTRA), path.join(corpus, EXTRA));
    await buildIndex({ corpusDirs: [corpus], indexDir, dense: 'off', log: quiet });
    const gen = (await currentGenerationDir(indexDir))!;
    await fs.writeFile(path.join(gen, 'delta.letters.json'), '{');
    await expect(loadCorpusIndex(gen)).rejects.toThrow(/delta\.letters\.json is damaged/);
  });
});
