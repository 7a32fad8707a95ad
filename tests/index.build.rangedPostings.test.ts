/**
 * A fresh build lays its postings out into lexical.bin range of terms by range of terms, never whole
 * in memory: the file is byte for byte the one the in-memory index writes, and so is every file of
 * arrays filled piece by piece.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIndex } from '../index/buildIndex.ts';
import { documentTerms } from '../index/lexical/documentTerms.ts';
import { LexicalIndex } from '../index/lexical/lexicalIndex.ts';
import { postingOffsetsOf, postingsInRanges } from '../index/lexical/postingsUpdate.ts';
import { RowsCollector, TermRowsBuilder, type TermRows } from '../index/lexical/termRows.ts';
import { loadCorpusIndex, saveCorpusIndex } from '../index/store/corpusIndexFiles.ts';
import { sumFile } from '../index/store/fileSums.ts';
import { readTypedArrays, writeTypedArrays, writeTypedArraysFilled } from '../index/store/typedArrayFile.ts';
import { FIXTURE_LETTERS } from './support/fixtureLetters.ts';

let scratch: string;
beforeAll(async () => {
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'fuhan-ranged-postings-'));
});
afterAll(async () => {
  await fs.rm(scratch, { recursive: true, force: true });
});

const TEXTS = ['澳门青年交流合作', '农村公路建设 2024 年', '校车接送学生，农村公路', 'MOX 合作框架协议', '澳门澳门澳门', '青年交流 2024', '农村农村公路'];

/** The texts' rows gathered in batches of two, spilled past `memoryRows`. */
function rowsOf(spillFile: string, memoryRows: number): { rows: TermRows; collector: RowsCollector } {
  const collector = new RowsCollector({ spillFile, memoryRows });
  for (let i = 0; i < TEXTS.length; i += 2) {
    const batch = new TermRowsBuilder();
    for (const t of TEXTS.slice(i, i + 2)) batch.addDocument(documentTerms(t));
    collector.add(batch.finish());
  }
  return { rows: collector.finish(), collector };
}

describe('postings in ranges of terms', () => {
  it('are the postings an index of the rows lays out, for any range size, spilled or not', () => {
    const expected = LexicalIndex.fromDocuments(TEXTS.map(documentTerms)).toData();
    for (const memoryRows of [Infinity, 0]) {
      const { rows, collector } = rowsOf(path.join(scratch, `rows-${memoryRows}`), memoryRows);
      const offsets = postingOffsetsOf(rows);
      expect(offsets).toEqual(expected.postingOffsets);
      for (const budget of [1, 3, 10, 1 << 20]) {
        const docs = new Uint32Array(expected.postingDocs.length).fill(0xffffffff);
        const tfs = new Uint8Array(expected.postingTfs.length);
        let ranges = 0;
        let next = 0;
        for (const range of postingsInRanges(rows, offsets, budget)) {
          // Ranges follow one another, each within the budget (or the largest term's postings, when more).
          expect(range.start).toBe(next);
          expect(range.docs.length).toBeLessThanOrEqual(Math.max(budget, ...rows.termCounts));
          docs.set(range.docs, range.start);
          tfs.set(range.tfs, range.start);
          next = range.start + range.docs.length;
          ranges++;
        }
        expect(next).toBe(expected.postingDocs.length);
        expect(ranges > 1).toBe(budget < expected.postingDocs.length);
        expect(docs).toEqual(expected.postingDocs);
        expect(tfs).toEqual(expected.postingTfs);
      }
      collector.dispose();
    }
  });
});

describe('a file of arrays filled piece by piece', () => {
  it('is the file written whole, with the same sum, and reads back the same', async () => {
    const ids = Uint32Array.from({ length: 37 }, (_, i) => i * 7919);
    const tfs = Uint8Array.from({ length: 37 }, (_, i) => i % 5);
    const small = Uint16Array.of(1, 2, 3);
    const whole = path.join(scratch, 'whole.bin');
    const filled = path.join(scratch, 'filled.bin');
    const a = await writeTypedArrays(whole, { small, ids, tfs, none: new Float32Array(0) });
    const b = await writeTypedArraysFilled(filled, { small, ids: { type: 'Uint32Array', length: 37 }, tfs: { type: 'Uint8Array', length: 37 }, none: new Float32Array(0) }, async (put) => {
      // Out of order, as ranges may come.
      await put('tfs', 20, tfs.subarray(20));
      await put('ids', 20, ids.subarray(20));
      await put('ids', 0, ids.subarray(0, 20));
      await put('tfs', 0, tfs.subarray(0, 20));
    });
    expect(b).toEqual(a);
    expect(await sumFile(filled)).toEqual(a);
    expect((await fs.readFile(filled)).equals(await fs.readFile(whole))).toBe(true);
    const back = await readTypedArrays(filled);
    expect(back.ids).toEqual(ids);
    expect(back.tfs).toEqual(tfs);
    expect(back.small).toEqual(small);
    await expect(writeTypedArraysFilled(path.join(scratch, 'bad.bin'), { ids: { type: 'Uint32Array', length: 2 } }, (put) => put('ids', 1, Uint32Array.of(1, 2)))).rejects.toThrow(/does not fit/);
  });

  it('is refused when cut short', async () => {
    const file = path.join(scratch, 'short.bin');
    await writeTypedArrays(file, { ids: Uint32Array.from({ length: 64 }, (_, i) => i) });
    const bytes = await fs.readFile(file);
    await fs.writeFile(file, bytes.subarray(0, bytes.length - 9));
    await expect(readTypedArrays(file)).rejects.toThrow(/truncated/);
  });
});

describe('a fresh build', () => {
  it('writes the lexical and letter files the in-memory index writes', async () => {
    const indexDir = path.join(scratch, 'index');
    await buildIndex({ corpusDirs: [FIXTURE_LETTERS], indexDir, dense: 'off', threads: 1, log: () => {} });
    const gen = path.join(indexDir, (await fs.readFile(path.join(indexDir, 'CURRENT'), 'utf8')).trim());
    const { index, manifest } = await loadCorpusIndex(gen);
    const again = path.join(scratch, 'again');
    await fs.mkdir(again);
    const { checksums: _c, ...draft } = manifest;
    await saveCorpusIndex(again, index, draft);
    for (const f of ['lexical.bin', 'lexical.json', 'letters.json', 'texts.bin', 'spans.bin', 'crosslingual.json']) {
      expect((await fs.readFile(path.join(again, f))).equals(await fs.readFile(path.join(gen, f))), f).toBe(true);
    }
  });
});
