/**
 * A build that parses and tokenises on worker threads writes the same index as one thread: every
 * file byte for byte (the manifest but for its creation time), and the same answers when searched.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIndex } from '../index/buildIndex.ts';
import { analyzeBatch, analyzeDocuments } from '../index/build/analyzeLetters.ts';
import { RowsCollector, TermRowsBuilder } from '../index/lexical/termRows.ts';
import { LexicalIndex } from '../index/lexical/lexicalIndex.ts';
import { documentTerms } from '../index/lexical/documentTerms.ts';
import { readCorpus } from '../corpus/readCorpus.ts';
import { FIXTURE_LETTERS } from './support/fixtureLetters.ts';

let scratch: string;
const quiet = () => {};

beforeAll(async () => {
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'fuhan-build-threads-'));
});
afterAll(async () => {
  await fs.rm(scratch, { recursive: true, force: true });
});

/** Every file of an index's live generation (the manifest without its creation time and own CRC). */
async function generationFiles(indexDir: string): Promise<Record<string, Buffer>> {
  const gen = path.join(indexDir, (await fs.readFile(path.join(indexDir, 'CURRENT'), 'utf8')).trim());
  const out: Record<string, Buffer> = {};
  for (const f of (await fs.readdir(gen)).sort()) {
    let bytes = await fs.readFile(path.join(gen, f));
    if (f === 'manifest.json') {
      const { createdAt: _c, crc32: _r, ...rest } = JSON.parse(bytes.toString('utf8'));
      bytes = Buffer.from(JSON.stringify(rest));
    }
    out[f] = bytes;
  }
  return out;
}

describe('parsing on worker threads', () => {
  it('writes the index one thread writes, file for file', async () => {
    const one = path.join(scratch, 'one');
    const two = path.join(scratch, 'two');
    const a = await buildIndex({ corpusDirs: [FIXTURE_LETTERS], indexDir: one, dense: 'off', threads: 1, log: quiet });
    const b = await buildIndex({ corpusDirs: [FIXTURE_LETTERS], indexDir: two, dense: 'off', threads: 2, log: quiet });
    expect(b.letters).toBe(a.letters);
    expect(b.skipped).toEqual(a.skipped);
    const [x, y] = await Promise.all([generationFiles(one), generationFiles(two)]);
    expect(Object.keys(y)).toEqual(Object.keys(x));
    for (const f of Object.keys(x)) expect(y[f].equals(x[f]), f).toBe(true);
  });

  it('hands batches back in document order, as analysed on this thread', async () => {
    const { docs } = await readCorpus([FIXTURE_LETTERS]);
    const threaded = [];
    const lines: string[] = [];
    for await (const { docs: batchDocs, batch } of analyzeDocuments(docs, { threads: 2, batchSize: 3, log: (l) => lines.push(l) })) threaded.push({ ids: batchDocs.map((d) => d.id), batch });
    // The threads ran (a thread that fails says so, and its batches are analysed here).
    expect(lines).toEqual([]);
    expect(threaded.flatMap((t) => t.ids)).toEqual(docs.map((d) => d.id));
    const here = threaded.map((t, i) => analyzeBatch(docs.slice(i * 3, i * 3 + 3)));
    expect(threaded.map((t) => t.batch)).toEqual(here);
  });
});

describe('term rows', () => {
  it('gathered batch by batch, in memory or spilled to a file, give the postings of the term lists counted one by one', async () => {
    const texts = ['澳门青年交流合作', '农村公路建设 2024 年', '校车接送学生，农村公路', 'MOX 合作框架协议', '澳门澳门澳门', '青年交流 2024'];
    const docs = texts.map(documentTerms);
    const expected = LexicalIndex.fromDocuments(docs).toData();
    for (const memoryRows of [Infinity, 8, 0]) {
      const spillFile = path.join(scratch, `rows-${memoryRows}`);
      const rows = new RowsCollector({ spillFile, memoryRows });
      for (const part of [docs.slice(0, 2), docs.slice(2, 3), docs.slice(3, 3), docs.slice(3)]) {
        const batch = new TermRowsBuilder();
        for (const d of part) batch.addDocument(d);
        rows.add(batch.finish());
      }
      expect(rows.spilled > 0, `memoryRows ${memoryRows}`).toBe(memoryRows !== Infinity);
      const gathered = rows.finish();
      expect(LexicalIndex.fromDocuments(gathered).toData()).toEqual(expected);
      // Read again (a compaction reads the rows once per index, a test twice).
      const base = LexicalIndex.fromDocuments(docs.slice(0, 3));
      const keep = Uint8Array.of(1, 0, 1);
      const more = new RowsCollector({ spillFile: `${spillFile}-more`, memoryRows });
      const batch = new TermRowsBuilder();
      for (const d of docs.slice(3)) batch.addDocument(d);
      more.add(batch.finish());
      expect(base.withChanges(keep, more.finish()).toData()).toEqual(base.withChanges(keep, docs.slice(3)).toData());
      rows.dispose();
      more.dispose();
      await expect(fs.access(spillFile)).rejects.toThrow();
    }
  });
});
