import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cutPassages } from '../corpus/passages.ts';
import { parseLetter } from '../corpus/parseLetter.ts';
import { readCorpus } from '../corpus/readCorpus.ts';
import { peerDoc, segmentWords } from '../bench/peers/peer.ts';
import { PEERS, peerNamed } from '../bench/peers/peers.ts';
import { sectionsOf, withSection } from '../bench/reportSection.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures', 'letters');
const FILES = ['000a_chongqing-gangao-0963hao-tian.txt', '003_anju-jiaotong-48hao-jianyi.txt', '009_hunan-wenlv-1342hao-jianyi-huiban.txt'];

describe('benchmark peers', () => {
  it('each peer indexes the passages of three real letters and finds a passage by a phrase of it', async () => {
    const { docs: raw } = await readCorpus(FILES.map((f) => path.join(FIXTURES, f)));
    const letters = raw.map(parseLetter);
    const passages = letters.flatMap((l) => cutPassages(l).map((p) => ({ p, title: l.title })));
    const docs = passages.map(({ p, title }, i) => peerDoc(i, title, p));
    // A phrase from the middle of the longest passage of the second letter: it must come back first or close.
    const target = passages.map((x, i) => ({ ...x, i })).filter((x) => x.p.letter === letters[1].id).sort((a, b) => b.p.text.length - a.p.text.length)[0];
    const phrase = target.p.text.slice(20, 36);
    for (const peer of PEERS) {
      const index = await peer.build(docs);
      const hits = await index.search(phrase, 5);
      expect(hits.length, peer.name).toBeGreaterThan(0);
      expect(hits, `${peer.name} for ${phrase}`).toContain(target.i);
      expect(peer.label).toMatch(/\d+\.\d+\.\d+/);
    }
  });

  it('segments Chinese into words and keeps Latin words, lower-cased', () => {
    const words = segmentWords('推进乡村振兴 Rural Revitalization。');
    expect(words).toContain('rural');
    expect(words.join('')).toBe('推进乡村振兴ruralrevitalization');
  });

  it('names peers and refuses unknown ones', () => {
    expect(peerNamed('orama').name).toBe('orama');
    expect(() => peerNamed('lucene')).toThrow(/known: flexsearch, minisearch, orama/);
  });
});

describe('report sections', () => {
  it('replaces a section in place and appends a new one, leaving the rest', () => {
    const once = withSection('# Benchmarks\n\nintro\n', 'peers', '## Peers\nold');
    const twice = withSection(`${once}\ntail\n`, 'peers', '## Peers\nnew');
    expect(twice).toContain('intro');
    expect(twice).toContain('tail');
    expect(twice).toContain('new');
    expect(twice).not.toContain('old');
    expect(Object.keys(sectionsOf(withSection(twice, 'vectors-1000000', 'v')))).toEqual(['peers', 'vectors-1000000']);
  });
});
