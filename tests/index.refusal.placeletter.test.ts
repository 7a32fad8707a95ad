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
  it('does not take a common word jieba tags as a place (塞车: "traffic jam") for one', async () => {
    expect(isCommonWordTaggedPlace('塞车')).toBe(true);
    for (const place of ['鞍山', '兴隆', '澳门', '浦东']) expect(isCommonWordTaggedPlace(place), place).toBe(false);
    for (const q of ['哪些复函提到学校门口塞车的问题？', '邊幾份覆函講到校門口塞車？']) {
      expect(engine.analyze(q).places, q).toEqual([]);
      const answer = await answerQuestion(engine, q, { log: () => {} });
      expect(answer.refused, q).toBe(false);
      expect(answer.citations[0].doc, q).toMatch(/panshan/);
    }
  });

  it('still refuses a real place no letter is about', async () => {
    const r = await engine.search('鞍山的学校门口塞车怎么办？');
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
    for (const q of ['興隆臺城管局回覆早市泊車嘅信，幾時發嘅？', 'When did the Xinglongtai city management bureau date its reply on morning-market parking?']) {
      const answer = await answerQuestion(engine, q, { log: () => {} });
      expect(answer.refused, q).toBe(false);
      expect(answer.citations[0].doc, q).toMatch(/xinglongtai/);
      expect(answer.citations[0].quote, q).toContain('2019年7月5日');
    }
  });
});
