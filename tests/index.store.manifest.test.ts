/**
 * The manifest's letters stored as columns (and the rows of earlier versions still read), and the record of verified
 * sums that lets an incremental build skip re-reading the shared base: a base file written in place after the record
 * is still found damaged by the next build.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIndex } from '../index/buildIndex.ts';
import { readManifest } from '../index/store/corpusIndexFiles.ts';
import { verifyFiles } from '../index/store/fileSums.ts';
import { currentGenerationDir, sumsRecordFile } from '../index/store/generations.ts';
import { FIXTURE_LETTERS } from './support/fixtureLetters.ts';

let scratch: string;
const quiet = () => {};
const LETTERS = ['000b_qingdao-shanghe-mox-tian.txt', '011_hengyang-gongan-268hao-tian.txt', '015_huaiyuan-wenlv-D022hao-feiyi-tian.txt'];

async function built(name: string): Promise<{ corpus: string; indexDir: string; gen: string }> {
  const corpus = path.join(scratch, `${name}-corpus`);
  await fs.mkdir(corpus);
  for (const f of LETTERS) await fs.copyFile(path.join(FIXTURE_LETTERS, f), path.join(corpus, f));
  const indexDir = path.join(scratch, name);
  await buildIndex({ corpusDirs: [corpus], indexDir, dense: 'off', log: quiet });
  return { corpus, indexDir, gen: (await currentGenerationDir(indexDir))! };
}

beforeAll(async () => {
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'fuhan-manifest-'));
});
afterAll(async () => {
  await fs.rm(scratch, { recursive: true, force: true });
});

describe('manifest letters', () => {
  it('are stored as columns and read back as rows; a manifest of rows (earlier versions) still reads', async () => {
    const { gen } = await built('columns');
    const text = await fs.readFile(path.join(gen, 'manifest.json'), 'utf8');
    const { crc32: _own, ...body } = JSON.parse(text);
    expect(body.letters.id).toHaveLength(3);
    const manifest = await readManifest(gen);
    expect(manifest.letters.map((l) => l.id).sort()).toEqual(LETTERS.map((f) => f.replace(/\.txt$/, '')).sort());
    expect(manifest.letters.every((l) => typeof l.size === 'number' && typeof l.mtimeMs === 'number')).toBe(true);

    // The same manifest as an earlier version wrote it: letters as rows.
    const rows = { ...body, letters: manifest.letters };
    const old = JSON.stringify(rows);
    await fs.writeFile(path.join(gen, 'manifest.json'), `${old.slice(0, -1)},"crc32":${crc32(old)}}`);
    expect((await readManifest(gen)).letters).toEqual(manifest.letters);
  });

  it('a column of another length or type is one clear error', async () => {
    const { gen } = await built('bad-columns');
    const { crc32: _own, ...body } = JSON.parse(await fs.readFile(path.join(gen, 'manifest.json'), 'utf8'));
    for (const letters of [{ ...body.letters, hash: body.letters.hash.slice(1) }, { ...body.letters, passages: body.letters.passages.map(String) }]) {
      const text = JSON.stringify({ ...body, letters });
      await fs.writeFile(path.join(gen, 'manifest.json'), `${text.slice(0, -1)},"crc32":${crc32(text)}}`);
      await expect(readManifest(gen)).rejects.toThrow(/manifest .* is corrupt .*fuhan build --full/);
    }
  });
});

describe('the record of verified sums', () => {
  it('vouches for unchanged files only: a file written after it is summed, and its damage found', async () => {
    const { gen } = await built('record');
    const manifest = await readManifest(gen);
    const files = manifest.files.filter((f) => f !== 'manifest.json');
    const record = sumsRecordFile(gen);
    // Whatever the build recorded, a write after it moves the file's times on: the damage is found.
    await verifyFiles(gen, manifest.checksums, files, { recorded: record, workerAbove: 0 });
    const texts = path.join(gen, 'texts.bin');
    const original = await fs.readFile(texts);
    const damaged = Buffer.from(original);
    damaged[Math.floor(damaged.length / 2)] ^= 0x04;
    await fs.writeFile(texts, damaged);
    await expect(verifyFiles(gen, manifest.checksums, files, { recorded: record, workerAbove: 0 })).rejects.toThrow(/texts\.bin is damaged/);
    await fs.writeFile(texts, original);
  });

  it('an incremental build after a base file was damaged in place refuses, though the record vouched for it', async () => {
    const { corpus, indexDir } = await built('record-build');
    // Age the files so the next build records them, then build a delta (the base is shared by hard link).
    const gen0 = (await currentGenerationDir(indexDir))!;
    const old = new Date(Date.now() - 60_000);
    for (const f of await fs.readdir(gen0)) await fs.utimes(path.join(gen0, f), old, old);
    await fs.appendFile(path.join(corpus, LETTERS[1]), '\n我局将继续完善交通设施。\n');
    expect((await buildIndex({ corpusDirs: [corpus], indexDir, dense: 'off', log: quiet })).layout).toBe('layered');
    const gen = (await currentGenerationDir(indexDir))!;
    const record = JSON.parse(await fs.readFile(sumsRecordFile(gen), 'utf8'));
    expect(Object.keys(record)).toContain('texts.bin');

    const texts = path.join(gen, 'texts.bin');
    const bytes = await fs.readFile(texts);
    bytes[Math.floor(bytes.length / 2)] ^= 0x04;
    await fs.writeFile(texts, bytes);
    await fs.utimes(texts, old, old); // its modification time set back: its change time still moved on
    await fs.appendFile(path.join(corpus, LETTERS[2]), '\n我局将继续完善停车设施。\n');
    await expect(buildIndex({ corpusDirs: [corpus], indexDir, dense: 'off', log: quiet })).rejects.toThrow(/texts\.bin is damaged.*fuhan build --full/);
  });
});
