/**
 * A question naming a place is answered by the letters about that place (written by it, to it, on
 * it, or discussing it), not by a letter that names it in passing; Cantonese counts; ordinals are no
 * counts. Real letters (the shipped corpus and the fixtures), questions written for these tests.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { answerQuestion } from '../bot/answer/answerQuestion.ts';
import { namedPlaces, placeRelation } from '../bot/answer/namedPlaces.ts';
import { focusMatch } from '../bot/answer/questionFocus.ts';
import { asksValue } from '../index/lexical/analyzeQuery.ts';
import { foldColloquial } from '../index/lexical/questionScaffolding.ts';
import { SearchEngine } from '../index/searchEngine.ts';
import type { Letter } from '../corpus/letter.ts';
import { FIXTURE_LETTERS, parsedLetters, SHIPPED_CORPUS } from './support/fixtureLetters.ts';

let shipped: SearchEngine;
let letters: Letter[];
const quiet = { log: () => {} };
const byFile = (part: string) => letters.find((l) => l.file.includes(part))!;

beforeAll(async () => {
  letters = await parsedLetters(SHIPPED_CORPUS);
  shipped = await SearchEngine.fromLetters(letters);
});

describe('the places a question names', () => {
  it('reads Chinese place names and English ones spelled in pinyin, not organisations or translations', async () => {
    expect(namedPlaces(await shipped.search('北京下一步打算怎么做？'))).toEqual(['北京']);
    expect(namedPlaces(await shipped.search('What will Beijing do next?'))).toEqual(['北京']);
    expect(namedPlaces(await shipped.search('港澳办下一步打算怎么做？'))).toEqual([]);
  });

  it('tells a letter about a place from one naming it in passing', () => {
    expect(placeRelation(byFile('qingdao'), ['青岛'])).toBe('about');
    expect(placeRelation(byFile('chongqing'), ['重庆'])).toBe('about');
    // 中华(澳门)金融资产交易股份有限公司北京运营总部: one sentence.
    expect(placeRelation(byFile('qingdao'), ['北京'])).toBe('passing');
    expect(placeRelation(byFile('qingdao'), ['澳门'])).toBe('about');
  });
});

describe('plans of a place come only from the letters about it', () => {
  it('refuses, listing the nearest letters, when no letter is about the place (zh, zh-Hant, en)', async () => {
    for (const q of ['北京下一步打算怎么做？', '北京下一步打算點樣做？', '北京接下来有什么工作计划？', 'What will Beijing do next?', 'What are Beijing\'s next steps?', 'What are Beijing\'s plans?', '北京的计划是什么？']) {
      const answer = await answerQuestion(shipped, q, quiet);
      expect(answer.refused, q).toBe(true);
      expect(answer.citations, q).toEqual([]);
      expect(answer.text, q).not.toContain('北京运营总部');
    }
  });

  it("lists only the named place's own commitments", async () => {
    for (const [q, file] of [
      ['青岛下一步打算怎么做？', 'qingdao'],
      ['青島下一步打算點樣做？', 'qingdao'],
      ['What will Chongqing do next?', 'chongqing'],
    ]) {
      const answer = await answerQuestion(shipped, q, quiet);
      expect(answer.refused, q).toBe(false);
      expect(answer.citations.length, q).toBeGreaterThan(0);
      for (const c of answer.citations) expect(c.doc, q).toContain(file);
    }
  });
});

describe('a name asked with that only a letter from elsewhere writes', () => {
  it('is not stated by the letter about the place', async () => {
    const answer = await answerQuestion(shipped, 'Is the Chongqing office working with MOX on anything?', quiet);
    expect(answer.refused).toBe(true);
    for (const c of answer.citations) expect(c.doc).toContain('chongqing');
    for (const q of ['重庆跟MOX有什么合作？', '重慶同MOX有咩合作？']) expect((await answerQuestion(shipped, q, quiet)).refused, q).toBe(true);
  });
});

describe('counts asked colloquially', () => {
  it('folds Cantonese function words to Mandarin', () => {
    expect(foldColloquial('同边啲部门商量过')).toBe('和哪些部门商量过');
    expect(foldColloquial('佢哋做乜唔做')).toBe('他们为什么不做');
    expect(foldColloquial('有几多个人入咗')).toBe('有多少个人入了');
  });

  it('answers a count asked with the general measure word 个 from a sentence counting with another (7名)', async () => {
    expect(asksValue('有几个澳门青年加入了市青联')?.units).toContain('名');
    expect(asksValue('有几名澳门青年加入了市青联')?.units).toEqual(['名']);
    for (const q of ['重慶推薦咗幾多個澳門青年入青聯？', '有几个澳门青年进了市青年联合会？']) {
      const answer = await answerQuestion(shipped, q, quiet);
      expect(answer.refused, q).toBe(false);
      expect(answer.citations[0].quote, q).toContain('7名');
    }
  });

  it('does not take an ordinal for a count', () => {
    expect(focusMatch('选树命名第二批重庆市港澳台大学生实习基地', 'number')).toBe(0);
    expect(focusMatch('第12批项目', 'number')).toBe(0);
    expect(focusMatch('推荐7名澳门青年加入市青年联合会', 'number')).toBe(1);
  });
});

describe('an English question asking for a thing no letter has a word for', () => {
  let fixtures: SearchEngine;
  beforeAll(async () => {
    fixtures = await SearchEngine.fromLetters(await parsedLetters(FIXTURE_LETTERS));
  });

  it('is not stated when the noun asked for is a common word the corpus writes in no translation', async () => {
    for (const q of ['What insurance does Panshan buy for the school bus pupils?', 'What refund did Panshan offer parents for the school bus?']) {
      expect(fixtures.analyze(q).askedAbsent, q).toBeDefined();
      const answer = await answerQuestion(fixtures, q, quiet);
      expect(answer.refused, q).toBe(true);
      expect(answer.reason, q).toBe('not-stated');
      expect(answer.citations[0].doc, q).toMatch(/panshan/);
    }
  });

  it('answers when the corpus writes a translation of it', async () => {
    const q = 'What measures did Panshan take against congestion at the school gate?';
    expect(fixtures.analyze(q).askedAbsent).toBeUndefined();
    const answer = await answerQuestion(fixtures, q, quiet);
    expect(answer.refused).toBe(false);
    expect(answer.citations[0].doc).toMatch(/panshan/);
  });
});

describe('who made the proposal', () => {
  it('quotes the salutation naming the members first, in three languages', async () => {
    const fixtures = await SearchEngine.fromLetters(await parsedLetters(FIXTURE_LETTERS));
    for (const q of ['衡阳那份关于微型车停车位的提案，是哪几位委员提的？', '衡陽微型車停車位嘅提案係邊幾位委員提嘅？', 'Which members asked Hengyang for parking bays for small cars?']) {
      const answer = await answerQuestion(fixtures, q, quiet);
      expect(answer.refused, q).toBe(false);
      expect(answer.citations[0].quote, q).toContain('委员');
      expect(answer.citations[0].doc, q).toMatch(/hengyang/);
      // Another letter's members did not make this proposal.
      for (const c of answer.citations) expect(c.doc, q).toMatch(/hengyang/);
    }
  });
});

describe("a question about the letter of a place (who signed it) is not refused for its answer-kind word", () => {
  it('answers 签发 / 簽發 questions naming only the place, on the two shipped letters', async () => {
    for (const [q, file] of [
      ['重庆的复函是谁签发的？', 'chongqing'],
      ['重慶的復函是誰簽發的？', 'chongqing'],
      ['青岛的复函是谁签发的？', 'qingdao'],
    ]) {
      const answer = await answerQuestion(shipped, q, quiet);
      expect(answer.refused, q).toBe(false);
      expect(answer.citations[0]?.doc, q).toContain(file);
    }
  });
});
