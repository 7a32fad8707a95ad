/**
 * Places a question names: a common word jieba tags as a place is none, and a question naming the
 * place a letter's issuer governs is judged (and answered) on that letter even when a letter from
 * elsewhere ranks first. Real fixture letters, questions written for these tests.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { answerQuestion } from '../bot/answer/answerQuestion.ts';
import { issuerPlace } from '../bot/answer/selectQuotes.ts';
import { isCommonWordTaggedPlace } from '../index/lexical/commonPlaceTags.ts';
import { SearchEngine } from '../index/searchEngine.ts';
import { FIXTURE_LETTERS, parsedLetters } from './support/fixtureLetters.ts';

let engine: SearchEngine;

beforeAll(async () => {
  engine = await SearchEngine.fromLetters(await parsedLetters(FIXTURE_LETTERS));
});

describe('a place must be a real place', () => {
  it('does not take a common word jieba tags as a place (入口: "entrance") for one', async () => {
    expect(isCommonWordTaggedPlace('入口')).toBe(true);
    for (const place of ['鞍山', '兴隆', '澳门', '浦东']) expect(isCommonWordTaggedPlace(place), place).toBe(false);
    for (const q of ['哪些复函讲到学校入口拥堵的问题？', '哪些覆函講到學校入口擁堵的問題？']) {
      expect(engine.analyze(q).places, q).toEqual([]);
      const answer = await answerQuestion(engine, q, { log: () => {} });
      expect(answer.refused, q).toBe(false);
      expect(answer.citations[0].doc, q).toMatch(/panshan/);
    }
  });

  it('still refuses a real place no letter is about', async () => {
    const r = await engine.search('鞍山的学校入口拥堵怎么办？');
    expect(r.refused).toBe(true);
  });
});

describe("the letter of the place the question names", () => {
  it('reads the place an issuer governs', () => {
    expect(issuerPlace('興隆臺區城市管理行政執法局')).toBe('兴隆台');
    expect(issuerPlace('重庆市人民政府港澳事务办公室')).toBe('重庆');
    expect(issuerPlace('县教育局')).toBe('');
  });

  it("answers a date question from the named place's letter, not a higher-ranked letter from elsewhere", async () => {
    // The Miluo traffic police letter (城管局, 停车) ranks first for the Chinese questions; the place named is Xinglongtai's.
    for (const q of ['兴隆台城管局关于停车管理的答复几时发的？', '興隆臺城管局關於停車管理嘅答覆幾時發㗎？']) {
      const r = await engine.search(q);
      expect(r.hits[0].letter.doc, q).toMatch(/miluo/);
      expect(r.refused, q).toBe(false);
    }
    for (const q of ['兴隆台城管局关于停车管理的答复几时发的？', '興隆臺城管局關於停車管理嘅答覆幾時發㗎？', 'When did the Xinglongtai city management bureau date its reply on morning-market parking?']) {
      const answer = await answerQuestion(engine, q, { log: () => {} });
      expect(answer.refused, q).toBe(false);
      expect(answer.citations[0].doc, q).toMatch(/xinglongtai/);
      expect(answer.citations[0].quote, q).toContain('2019年7月5日');
    }
  });
});
