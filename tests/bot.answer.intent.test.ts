/**
 * Question intent and the three outcomes of an answer (answered / discussed but not stated / off
 * topic), in Simplified, Traditional (Cantonese) and English, on the fixture letters and the shipped
 * two-letter corpus; boilerplate is never quoted unless asked for.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { answerQuestion } from '../bot/answer/answerQuestion.ts';
import { boilerplateKind } from '../bot/answer/boilerplate.ts';
import { questionIntent } from '../bot/answer/questionIntent.ts';
import { askJson } from '../bot/commands/ask.ts';
import { labelsFor } from '../bot/answer/answerLabels.ts';
import { escapeHtml, renderAnswerBlocks } from '../bot/telegram/renderHtml.ts';
import { englishTopic, foldColloquial, topicText } from '../index/lexical/questionScaffolding.ts';
import { normalizeForMatch } from '../index/lexical/normalizeForMatch.ts';
import { SearchEngine } from '../index/searchEngine.ts';
import { FIXTURE_LETTERS, parsedLetters } from './support/fixtureLetters.ts';

const silent = () => {};
let engine: SearchEngine;
let shipped: SearchEngine;

beforeAll(async () => {
  engine = await SearchEngine.fromLetters(await parsedLetters(FIXTURE_LETTERS));
  shipped = await SearchEngine.fromLetters(await parsedLetters(path.resolve('corpus/letters')));
}, 120_000);

describe('question intent', () => {
  it('recognises list, verbatim, letter-fact, value and plan questions in three languages', () => {
    expect(questionIntent('有哪些复函讲到停车？').list).toBe(true);
    expect(questionIntent('有哪幾份答覆講到停車？').list).toBe(true);
    expect(questionIntent('Which replies deal with parking?').list).toBe(true);
    expect(questionIntent('钓鱼城的答复里讲考古遗址公园的那句，请给原句。').verbatim).toBe(true);
    expect(questionIntent('釣魚城講考古遺址公園嗰句，原文係點寫㗎？').verbatim).toBe(true);
    expect(questionIntent('Give me the exact wording on the archaeological park.').verbatim).toBe(true);
    expect(questionIntent('釣魚城嗰份答覆嘅文號係咩？').letterFacts).toEqual(['docNumber']);
    expect(questionIntent('钓鱼城那份答复是哪天发布的？').letterFacts).toEqual(['published']);
    expect(questionIntent('What is the document number of the reply about Diaoyucheng?').letterFacts).toEqual(['docNumber']);
    expect(questionIntent('新宾县的取暖费补贴是多少钱？').value).toBe('amount');
    expect(questionIntent('Why is there no bus route to the estate?').value).toBe('reason');
    expect(questionIntent('凤鸣水岸小区的公交线路哪一年开通？').value).toBe('date');
    expect(questionIntent('交警那边往后准备怎么做？').plan).toBe(true);
    // "when" inside a clause, "planning" as a noun: no date, no plan.
    expect(questionIntent('What did the bureau say when replying about parking?').value).not.toBe('date');
    expect(questionIntent('Which planning document lists the scenic spot?').plan).toBe(false);
  });

  it('keeps scaffolding out of the topic', () => {
    const topic = (q: string) => topicText(foldColloquial(normalizeForMatch(q)));
    expect(topic('钓鱼城的答复里讲考古遗址公园的那句，请给原句。')).not.toMatch(/原句|那句|答复/);
    expect(topic('沙坪壩交通局講巴士嗰段我想引用，麻煩俾原文。')).not.toMatch(/引用|原文|麻烦|那句/);
    expect(foldColloquial(normalizeForMatch('係幾時發嘅？'))).toBe('是什么时候发的?');
    expect(englishTopic('Give me the exact sentence in which the bureau admits rents are too high.')).not.toMatch(/exact|sentence|give/i);
    expect(englishTopic('Verbatim, please, and quote it: what did the traffic police find?')).not.toMatch(/verbatim|quote|please/i);
  });
});

describe('outcome (a): answered', () => {
  it('quotes the sentence that answers first, in each language', async () => {
    for (const q of ['进入市青联的澳门青年有几名？', '澳門青年有幾多名被推薦入市青聯？', 'How many young people from Macau joined the city youth federation?']) {
      const a = await answerQuestion(engine, q, { log: silent });
      expect(a.refused, q).toBe(false);
      expect(a.citations[0].quote, q).toContain('推荐7名澳门青年');
      expect(a.citations.length, q).toBeLessThanOrEqual(3);
    }
  });

  it('answers a quote request with the line asked for, whatever the scaffolding', async () => {
    for (const q of ['考古遗址公园进了十四五规划那一句，原话给我。', '考古遺址公園入咗十四五規劃嗰句，原文點講？', 'Give me the exact sentence saying the Diaoyucheng archaeological park was put in the Five-Year Plan outline.']) {
      const a = await answerQuestion(engine, q, { log: silent });
      expect(a.refused, q).toBe(false);
      expect(a.citations[0].quote, q).toContain('钓鱼城国家考古遗址公园');
    }
  });

  it("answers questions about the letter itself with the header line, verbatim", async () => {
    for (const q of ['钓鱼城那份答复的文号是多少？', '釣魚城嗰份答覆嘅文號係咩？', 'What is the document number of the reply about Diaoyucheng?']) {
      const a = await answerQuestion(engine, q, { log: silent });
      expect(a.citations[0].quote, q).toContain('渝文旅函字〔2025〕283号');
    }
    const published = await answerQuestion(engine, '钓鱼城那份建议的答复是哪天发布的？', { log: silent });
    expect(published.citations[0].quote).toContain('2025-07-09');
  });

  it('gives one quote per letter for a list question, in each language', async () => {
    for (const q of ['有哪些复函讲到停车？', '有哪幾份答覆講到停車？', 'Which replies deal with parking?']) {
      const a = await answerQuestion(engine, q, { log: silent });
      const letters = a.citations.map((c) => c.letter);
      expect(letters.length, q).toBeGreaterThanOrEqual(2);
      expect(new Set(letters).size, q).toBe(letters.length);
    }
  });
});

describe('outcome (b): discussed but not stated', () => {
  it('says the letter does not state it and shows the closest quote, labelled', async () => {
    const cases: [string, RegExp][] = [
      ['凤鸣水岸小区的公交线路哪一年开通？', /没有写明具体时间/],
      ['鳳鳴水岸小區嘅公交線路預計邊一年開通？', /沒有寫明具體時間/],
      ['In which year will the Fengming Shuian estate get a bus route?', /does not state the date/],
    ];
    for (const [q, said] of cases) {
      const a = await answerQuestion(engine, q, { log: silent });
      expect(a.refused, q).toBe(true);
      expect(a.reason, q).toBe('not-stated');
      expect(a.citations).toHaveLength(1);
      expect(a.citations[0].letter).toMatch(/shapingba/);
      expect(a.text, q).toMatch(said);
      const json = askJson(a);
      expect(json).toMatchObject({ refused: true, reason: 'not-stated' });
      // The bot says the same, not the plain refusal, and shows the closest quote.
      const html = renderAnswerBlocks(a).join('\n');
      expect(html, q).toMatch(said);
      expect(html, q).toContain(escapeHtml(a.citations[0].quote));
      expect(html, q).not.toContain(escapeHtml(labelsFor(a.lang).refusal));
    }
  });
});

describe('outcome (c): nothing on the topic', () => {
  it('refuses nonsense on the shipped two-letter corpus, listing the nearest letters', async () => {
    for (const q of ['the quick brown fox jumps over the lazy dog', '北京今天天气怎么样？', '量子引力火星殖民的草莓价格']) {
      const a = await answerQuestion(shipped, q, { log: silent });
      expect(a.refused, q).toBe(true);
      expect(a.reason, q).toBe('off-topic');
      expect(a.citations, q).toHaveLength(0);
      expect(askJson(a), q).toMatchObject({ refused: true, reason: 'off-topic' });
    }
    // …while real questions there are still answered.
    expect((await answerQuestion(shipped, 'what has Qingdao done with MOX?', { log: silent })).refused).toBe(false);
    expect((await answerQuestion(shipped, '重庆和澳门青年交流有哪些安排？', { log: silent })).refused).toBe(false);
  });

  it('refuses a place no letter is from, in each language', async () => {
    for (const q of ['拉萨的学校每年取暖补助多少钱？', '拉薩學校每年取暖補助有幾多錢？', 'What heating allowance are Lhasa schools paid?']) {
      const a = await answerQuestion(engine, q, { log: silent });
      expect(a.refused, q).toBe(true);
      expect(a.citations.every((c) => !c.letter.includes('xinbin')) || a.reason === 'not-stated', q).toBe(true);
    }
  });
});

describe('boilerplate', () => {
  it('classifies salutations, restated proposals, contact, form and closing lines', () => {
    expect(boilerplateKind('尊敬的王爱珍代表:')).toBe('salutation');
    expect(boilerplateKind('罗吉卿等3位委员:')).toBe('salutation');
    expect(boilerplateKind('您提出的《关于解决小区居民公交出行问题的建议》收悉。')).toBe('restated');
    expect(boilerplateKind('联系人:王尚,电话:0532—85270905')).toBe('contact');
    expect(boilerplateKind('承办单位: (公章) 承办负责人: (签字)')).toBe('contact');
    expect(boilerplateKind('以上答复您是否满意,如有意见,敬请反馈。')).toBe('closing');
    expect(boilerplateKind('推荐7名澳门青年加入市青年联合会,其中3人任常委。')).toBeNull();
  });

  it('never quotes boilerplate unless the question asks for it', async () => {
    const questions = [
      '进入市青联的澳门青年有几名？',
      '凤鸣水岸小区为什么没有公交？',
      'Fengming Shuian: how come no bus serves it yet?',
      '新宾县学校取暖费在生均经费里占比多少？',
      '衡阳解放路设微型车车位的提案怎么答复的？',
      '汨罗那些小巷子车乱停，交警怎么管？',
      'What did Gaoping say about the Shennong hospital environment?',
      '盤山縣學校放學時怎樣錯峰？',
    ];
    for (const q of questions) {
      const a = await answerQuestion(engine, q, { log: silent });
      for (const c of a.citations) expect(boilerplateKind(c.quote), `${q}: ${c.quote}`).toBeNull();
    }
    // Asked for: the contact line is the answer.
    const contact = await answerQuestion(engine, '上合示范区那份答复的联系人是谁？电话多少？', { log: silent });
    expect(contact.citations[0].quote).toContain('联系人');
  });
});
