/**
 * The ranking machinery of the lexical channel: the bounded heap (BestHits, topK), partial BM25
 * scores, and the engine's reuse of its score buffers across searches.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { documentTerms } from '../index/lexical/documentTerms.ts';
import { BestHits, LexicalIndex, topK } from '../index/lexical/lexicalIndex.ts';
import { SearchEngine } from '../index/searchEngine.ts';
import { FIXTURE_LETTERS, SHIPPED_CORPUS, parsedLetters } from './support/fixtureLetters.ts';

/** The k best of `scores` by brute force: positive only, score descending, then index ascending. */
function bruteTopK(scores: number[], k: number): { doc: number; score: number }[] {
  return scores
    .map((score, doc) => ({ doc, score }))
    .filter((h) => h.score > 0)
    .sort((a, b) => b.score - a.score || a.doc - b.doc)
    .slice(0, k);
}

// Few distinct values, so ties are common.
const scoreLists = fc.array(fc.constantFrom(0, -1, 0.5, 1, 1.5, 2, 3), { maxLength: 300 });

describe('BestHits and topK', () => {
  it('keep the k best positive scores, ties to the lower document', () => {
    fc.assert(
      fc.property(scoreLists, fc.integer({ min: 0, max: 20 }), (scores, k) => {
        expect(topK(Float64Array.from(scores), k)).toEqual(bruteTopK(scores, k));
      }),
      { numRuns: 300 },
    );
  });

  it('give the same hits whatever order documents are offered in', () => {
    fc.assert(
      fc.property(scoreLists, fc.integer({ min: 1, max: 20 }), fc.integer(), (scores, k, seed) => {
        const order = scores.map((_, i) => i);
        // A seeded shuffle (Fisher–Yates with a linear congruential generator).
        let x = seed >>> 0;
        for (let i = order.length - 1; i > 0; i--) {
          x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
          const j = x % (i + 1);
          [order[i], order[j]] = [order[j], order[i]];
        }
        const best = new BestHits(k);
        for (const d of order) best.offer(d, scores[d]);
        expect(best.hits()).toEqual(bruteTopK(scores, k));
      }),
      { numRuns: 300 },
    );
  });

  it('report the score a document needs to enter once full', () => {
    const best = new BestHits(2);
    expect(best.offer(0, 1)).toBe(0);
    expect(best.offer(1, 3)).toBe(1);
    expect(best.offer(2, 2)).toBe(2);
    expect(best.offer(3, 0.5)).toBe(2);
    expect(best.hits().map((h) => h.doc)).toEqual([1, 2]);
  });
});

describe('partial BM25 scores', () => {
  const texts = ['澳门青年交流活动', '农村公路建设与养护', '澳门与重庆经贸合作', '青年创业就业服务'];
  const index = LexicalIndex.fromDocuments(texts.map(documentTerms));
  const query = ['w:澳门', 'w:青年', 'b:合作', 'w:公路', 'w:没有'].map((term, i) => ({ term, weight: 1 + i / 10 }));

  it('equal the full score when every term is selected, and 0 when none is', () => {
    const docs = [0, 1, 2, 3];
    const all = index.partialScores(query, docs, (terms) => terms.map(() => 1));
    const full = index.scoreAll(query);
    docs.forEach((d, i) => expect(all[i]).toBeCloseTo(full[d], 12));
    expect([...index.partialScores(query, docs, (terms) => terms.map(() => 0))]).toEqual([0, 0, 0, 0]);
  });

  it('count only the selected terms of each document', () => {
    const onlyMacao = index.partialScores(query, [0, 2], (terms) => terms.map((t) => (t === 'w:澳门' ? 1 : 0)));
    const macao = index.scoreAll([query[0]]);
    expect(onlyMacao[0]).toBeCloseTo(macao[0], 12);
    expect(onlyMacao[1]).toBeCloseTo(macao[2], 12);
  });
});

describe('the engine reuses its score buffers', () => {
  let engine: SearchEngine;
  beforeAll(async () => {
    engine = await SearchEngine.fromLetters(await parsedLetters(SHIPPED_CORPUS, FIXTURE_LETTERS));
  });

  const ranking = async (q: string, filters?: { issuer: string }) =>
    (await engine.search(q, { k: 20, filters })).hits.map((h) => [h.passage.id, h.score]);

  it('ranks a question the same before and after other (and filtered) searches', async () => {
    const questions = ['重庆和澳门青年交流有哪些安排？', 'What has Qingdao done with MOX?', '校车安全管理', '农村公路建设'];
    const first = await Promise.all(questions.map((q) => ranking(q)));
    await ranking('澳门', { issuer: '青岛' });
    const again = [];
    for (const q of [...questions].reverse()) again.unshift(await ranking(q));
    expect(again).toEqual(first);
  });

  it('ranks the same on a fresh engine (nothing carried over between searches)', async () => {
    const fresh = await SearchEngine.fromLetters(engine.letters());
    for (const q of ['重庆和澳门青年交流有哪些安排？', 'What has Qingdao done with MOX?']) {
      await ranking('校车安全管理');
      const hits = (await fresh.search(q, { k: 20 })).hits.map((h) => [h.passage.id, h.score]);
      expect(await ranking(q)).toEqual(hits);
    }
  });

  it('keeps a filter to its letters', async () => {
    const hits = (await engine.search('澳门', { k: 20, filters: { issuer: '青岛' } })).hits;
    expect(hits.length).toBeGreaterThan(0);
    for (const h of hits) expect(`${h.letter.issuer ?? ''}${h.letter.title}`).toMatch(/青岛/);
  });
});
