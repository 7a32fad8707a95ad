import { beforeAll, describe, expect, it } from 'vitest';
import { fuseRankings } from '../index/fusion.ts';
import { SearchEngine } from '../index/searchEngine.ts';
import { FIXTURE_LETTERS, parsedLetters } from './support/fixtureLetters.ts';

let engine: SearchEngine;

beforeAll(async () => {
  engine = await SearchEngine.fromLetters(await parsedLetters(FIXTURE_LETTERS));
});

/** True when one of the top-k passages holds `needle` (a verbatim fragment of the answer). */
async function answersIn(question: string, needle: string, k = 5): Promise<boolean> {
  const { hits } = await engine.search(question, { k });
  return hits.some((h) => h.passage.text.includes(needle));
}

describe('finding the answering passage', () => {
  // Questions written for these tests, about the fixture letters, in the three languages.
  const cases: [string, string][] = [
    ['青岛上合示范区和MOX签了什么协议？', '签订了全面合作框架协议'],
    ['上合示範區和MOX簽了什麼協議？', '签订了全面合作框架协议'],
    ['What agreement did the SCO zone sign with MOX?', '签订了全面合作框架协议'],
    ['重庆和澳门青年交流下一步有哪些安排？', '二是进一步加强渝澳青年交流工作'],
    ['沙坪坝凤鸣水岸小区为什么没有公交？', '凤鸣水岸小区因道路条件的限制'],
    ['Shapingba: why has no bus route reached Fengming Shuian yet?', '凤鸣水岸小区因道路条件的限制'],
    ['怀远县花鼓灯艺术节办了几届？', '花鼓灯'],
    ['衡陽解放路為什麼不能設微型車車位？', '没有设置微型车车位的依据'],
    ['Why can Hengyang traffic police not mark micro-car parking spaces?', '没有设置微型车车位的依据'],
  ];
  it.each(cases)('%s', async (question, needle) => {
    expect(await answersIn(question, needle)).toBe(true);
  });

  it('returns passages that are exact slices of their letters', async () => {
    const { hits } = await engine.search('农村公路建设情况', { k: 10 });
    expect(hits.length).toBeGreaterThan(0);
    for (const h of hits) expect(engine.letter(h.passage.letter)!.text.slice(h.passage.start, h.passage.end)).toBe(h.passage.text);
  });

  it('reports the query terms and timings', async () => {
    const result = await engine.search('what has Qingdao done with MOX?');
    expect(result.terms.map((t) => t.text)).toEqual(expect.arrayContaining(['青岛', 'mox']));
    expect(result.timings.total).toBeGreaterThanOrEqual(0);
  });
});

describe('filters', () => {
  it('limits results to an issuer and a year', async () => {
    const { hits } = await engine.search('停车', { k: 10, filters: { issuer: '衡阳' } });
    expect(hits.length).toBeGreaterThan(0);
    for (const h of hits) expect(h.letter.doc).toMatch(/hengyang/);
    const none = await engine.search('停车', { k: 10, filters: { year: 1999 } });
    expect(none.hits).toEqual([]);
    expect(none.refused).toBe(true);
  });
});

describe('refusal', () => {
  it('answers questions the letters answer', async () => {
    for (const q of ['重庆和澳门青年交流下一步有哪些安排？', 'What did Qingdao agree with MOX?', '沙坪坝凤鸣水岸那边啥时候有公交线路？']) {
      expect((await engine.search(q)).refused, q).toBe(false);
    }
  });

  it('refuses questions no letter answers, and still lists the nearest letters', async () => {
    const unrelated = await engine.search('拉萨市布达拉宫门票价格调整方案');
    expect(unrelated.refused).toBe(true);
    // The Shapingba letter is about this estate's buses, but gives no opening year.
    const wrongYear = await engine.search('沙坪坝凤鸣水岸小区2031年开通几条公交线路？');
    expect(wrongYear.refused).toBe(true);
    expect(wrongYear.nearestLetters[0].doc).toMatch(/shapingba/);
    // The Hengyang letter mentions the smart parking system, not when it will be finished.
    const focus = await engine.search('衡阳市智慧停车管理系统什么时候竣工验收？');
    expect(focus.refused).toBe(true);
  });

  it('refuses an English question whose named places the letter found never mentions', async () => {
    // Micro-car parking is Hengyang's letter; nothing from Qingdao says anything about it.
    const r = await engine.search('What did Qingdao say about parking spaces for micro cars?');
    expect(r.refused).toBe(true);
    expect(r.nearestLetters[0].doc).toMatch(/hengyang/);
    expect((await engine.search('What did Hengyang say about parking spaces for micro cars?')).refused).toBe(false);
  });

  it('refuses empty and nonsense questions without failing', async () => {
    for (const q of ['', '   ', '？？？', '\u200b\u200b', 'asdfghjkl qwerty']) {
      const r = await engine.search(q);
      expect(r.refused, JSON.stringify(q)).toBe(true);
    }
  });
});

describe('fusion', () => {
  it('fuses rankings by reciprocal rank, with channel weights', () => {
    const fused = fuseRankings(
      [
        { ids: [1, 2, 3], weight: 1 },
        { ids: [3, 1, 4], weight: 1 },
      ],
      60,
    );
    expect(fused.map((f) => f.id)).toEqual([1, 3, 2, 4]);
    const denseHeavy = fuseRankings(
      [
        { ids: [1, 2], weight: 0.1 },
        { ids: [2, 1], weight: 1 },
      ],
      60,
    );
    expect(denseHeavy[0].id).toBe(2);
  });
});
