/**
 * The answer stage's sentence rules, one per kind of question, in Simplified, Traditional and English
 * where they apply: what a sentence must hold to answer (a time next to a completion, a named road,
 * the body that acts, the handling line, a cause, a list of parts), which letter is quoted first, and
 * which lines rank below the letter's own findings. Behaviour is checked on the fixture letters.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { answerQuestion } from '../bot/answer/answerQuestion.ts';
import { boilerplateKind, namesHandlers, restatesComplaint } from '../bot/answer/boilerplate.ts';
import { missingValue } from '../bot/answer/notStated.ts';
import { questionIntent } from '../bot/answer/questionIntent.ts';
import { rankedLetters, rankQuoteCandidates } from '../bot/answer/selectQuotes.ts';
import type { SearchResult } from '../index/searchTypes.ts';
import { SearchEngine } from '../index/searchEngine.ts';
import { FIXTURE_LETTERS, parsedLetters } from './support/fixtureLetters.ts';

const silent = () => {};
let engine: SearchEngine;

beforeAll(async () => {
  engine = await SearchEngine.fromLetters(await parsedLetters(FIXTURE_LETTERS));
}, 120_000);

const ask = (q: string) => answerQuestion(engine, q, { log: silent });

describe('intent', () => {
  it('reads "where" as a question word only, and "which road" as a place question', () => {
    expect(questionIntent('Give me the line where the office explains the delay.').value).not.toBe('place');
    expect(questionIntent('Where will the school move to?').value).toBe('place');
    expect(questionIntent('On which road do parked cars block the ambulances?').value).toBe('place');
    expect(questionIntent('救护车受阻的是哪条路？').value).toBe('place');
    expect(questionIntent('救護車受阻嘅係哪條路？').value).toBe('place');
  });

  it('recognises completion, name, handler, contents and agent questions in three languages', () => {
    for (const q of ['分院什么时候建成？', '分院幾時落成開診？', 'When will the branch hospital open to patients?']) expect(questionIntent(q).completion, q).toBe(true);
    // A date not of completion: the rule stands aside.
    expect(questionIntent('复函是什么时候发的？').completion).toBe(false);
    for (const q of ['新修的那条街叫什么名字？', '新修嗰條街叫什麼名字？', 'What is the new bridge called?']) expect(questionIntent(q).value, q).toBe('name');
    for (const q of ['这件提案是哪个单位主办的？', '這件提案是和哪些部門共同研究的？', 'Which office led the handling of it?', 'Which offices did they consult?'])
      expect(questionIntent(q).handler, q).toBe(true);
    for (const q of ['屋顶改造具体包括些什么？', '屋頂改造包括哪些內容？', 'What does the renovation include?']) expect(questionIntent(q).contents, q).toBe(true);
    for (const q of ['乡道规划由谁审批？', '鄉道規劃由誰審批？', 'Who approves the township road plans?']) expect(questionIntent(q).agent, q).toBe(true);
    expect(questionIntent('What did the bureau do about parking?').agent).toBe(false);
  });
});

describe('sentence kinds', () => {
  it('reads a salutation whose names are padded with spaces as one', () => {
    expect(boilerplateKind('', '李 明、张 华、王 军代表:')).toBe('salutation');
    expect(boilerplateKind('', '周 红等5位委员:')).toBe('salutation');
    expect(boilerplateKind('', '下一步我们将加快推进道路建设。')).toBe(null);
  });

  it('tells a restated complaint from the letter going on to answer', () => {
    expect(restatesComplaint('另外您反映老街路灯损坏的问题。')).toBe(true);
    expect(restatesComplaint('关于你们提到的学校门口拥堵问题')).toBe(true);
    expect(restatesComplaint('您提到的这处路段,因资金不足,暂未列入计划。')).toBe(false);
    expect(restatesComplaint('您所指出的情况属实。')).toBe(false);
  });

  it('knows the line saying who handled a proposal from an event someone hosted', () => {
    expect(namesHandlers('该提案由市住建局主办,我局会办。')).toBe(true);
    expect(namesHandlers('主办单位:县民政局')).toBe(true);
    expect(namesHandlers('经与市财政局、市民政局共同研究,现答复如下:')).toBe(true);
    expect(namesHandlers('联合贸促局主办了投资推介会。')).toBe(false);
  });

  it('needs a named road, not a counted or generic one, when a road is asked for by name', () => {
    for (const q of ['学校门口那条路叫什么名字？', '學校門口嗰條路叫咩名字？', 'What is the road outside the school called?']) {
      const intent = questionIntent(q);
      expect(missingValue(intent, q, ['学校周边一条公路有改造计划,待新建道路投用时再行调整。']), q).toBe('name');
      expect(missingValue(intent, q, ['经区住建委组织街道多次现场查勘。']), q).toBe('name');
      expect(missingValue(intent, q, ['将对滨江东二路路内停车位进行调整。']), q).toBeNull();
    }
  });

  it('needs a time when asked when something is finished or opens', () => {
    for (const q of ['分院什么时候建成？', '分院幾時落成？', 'When will the branch be finished?']) {
      const intent = questionIntent(q);
      expect(missingValue(intent, q, ['项目主体已封顶,正在装修。']), q).toBe('date');
      expect(missingValue(intent, q, ['项目将于2026年底建成。']), q).toBeNull();
    }
  });
});

describe('letter quoted first', () => {
  const hit = (letter: string, score: number) => ({ passage: { letter }, score });
  const result = (hits: { passage: { letter: string }; score: number }[]) => ({ hits }) as unknown as SearchResult;

  it('weighs a letter by its best passage, each further one counting half the one before', () => {
    // Four middling passages of a long letter on a near topic do not outvote one far better passage…
    expect(rankedLetters(result([hit('a', 2.2), hit('b', 0.86), hit('b', 0.81), hit('b', 0.73), hit('b', 0.72)]))[0]).toBe('a');
    // …but three nearly as good passages of one letter still outvote a stray best passage of another.
    expect(rankedLetters(result([hit('a', 2.2), hit('b', 2.0), hit('b', 1.9), hit('b', 1.8)]))[0]).toBe('b');
  });
});

describe('the sentence that answers comes first (fixture letters)', () => {
  it('who handled it: the handling line, in three languages', async () => {
    for (const q of ['汨罗小巷停车那件提案由哪个单位主办？', '汨羅背街小巷停車嗰件提案，係邊個單位主辦㗎？', 'Who was lead handler for the Miluo parking proposal, and who assisted?']) {
      const a = await ask(q);
      expect(a.refused, q).toBe(false);
      expect(namesHandlers(a.citations[0].quote), q).toBe(true);
    }
  });

  it('which departments were consulted: the line saying so, otherwise never quoted', async () => {
    for (const q of ['重庆港澳办这份0963号复函是跟哪些部门一起研究的？', '重慶港澳辦0963號覆函是和哪些部門共同研究的？', 'Which bodies were consulted on the 0963 reply from the Chongqing HK and Macao office?']) {
      const a = await ask(q);
      expect(a.citations[0].quote, q).toMatch(/^经与/);
      expect(namesHandlers(a.citations[0].quote), q).toBe(true);
    }
    const other = await ask('重庆港澳办在0963号复函里讲了哪些青年交流活动？');
    expect(other.citations.map((c) => c.quote).some((x) => /^经与/.test(x))).toBe(false);
  });

  it('when will it be finished, with only progress reported: not stated, in three languages', async () => {
    for (const q of ['高平神农心血管分院项目预计什么时候建成？', '高平神農心血管分院幾時落成？', 'When will the Gaoping cardiovascular branch project be ready?']) {
      const a = await ask(q);
      expect(a.refused, q).toBe(true);
      expect(a.reason, q).toBe('not-stated');
    }
  });

  it('the roads asked for by name, with none named: not stated, in three languages', async () => {
    for (const q of ['凤鸣水岸小区那边有新建改造计划的公路，名称是什么？', '鳳鳴水岸小區附近有改造計劃嘅公路，名稱係咩？', 'What are the roads with rebuilding plans near Fengming Shuian called?']) {
      const a = await ask(q);
      expect(a.refused, q).toBe(true);
      expect(a.reason, q).toBe('not-stated');
    }
  });
});

describe('questions about the letter itself', () => {
  it('offers the date line when the search reaches only the salutation', async () => {
    const letter = engine.letters().find((l) => /xinglongtai/.test(l.file ?? l.id))!;
    const first = engine.passagesOf(letter.id).find((p) => /^\s*尊敬的/.test(letter.text.slice(p.start, p.end)))!;
    // The salutation line alone, as a search that matched only the addressee would reach it.
    const line = letter.text.slice(first.start).split('\n')[0];
    const salutation = { ...first, end: first.start + line.length, text: line };
    const ref = engine.letterRef(letter.id)!;
    for (const question of ['兴隆台这份复函是哪天发的？', 'When was the Xinglongtai reply dated?']) {
      const result = { question, refused: false, confidence: 1, hits: [{ passage: salutation, letter: ref, score: 1, ranks: { lexical: 1 } }], nearestLetters: [ref], terms: [{ text: '兴隆', weight: 1 }], timings: { embed: 0, lexical: 0, dense: 0, fusion: 0, total: 0 } } as SearchResult;
      const ranked = rankQuoteCandidates(result, engine, { intent: questionIntent(question) });
      expect(ranked.length, question).toBeGreaterThan(0);
      expect(letter.text.slice(ranked[0].start, ranked[0].end), question).toContain('2019年7月5日');
    }
  });
});

describe('a count asked as it stands now', () => {
  it('reads now / 现在 / 目前 with a count as the current figure', () => {
    for (const q of ['渝澳合作机制现在有几个？', '渝澳合作機制目前有幾個？', 'How many cooperation mechanisms are there now?']) {
      expect(questionIntent(q).current, q).toBe(true);
    }
    expect(questionIntent('渝澳合作机制有几个？').current).toBe(false);
    expect(questionIntent('现在进展怎么样？').current).toBe(false);
  });

  it('quotes the sentence reporting the change to the new figure first, in three languages', async () => {
    // Asked of the letter, as a follow-up is (the conversation restricts it to the previous answer's letter).
    const letters = engine.index.letters.filter((l) => l.id.includes('0726')).map((l) => l.id);
    expect(letters).toHaveLength(1);
    for (const q of ['渝澳项目+专班合作机制现在有几个？', '渝澳項目+專班合作機制現在有幾個？', 'How many project-and-task-force mechanisms are there now?']) {
      const a = await answerQuestion(engine, q, { log: silent, filters: { letters } });
      expect(a.refused, q).toBe(false);
      expect(a.citations[0].quote, q).toContain('扩容至10');
    }
  });
});

describe('asked only a fact of the letter', () => {
  it('answers with its line alone, no sentence that merely found the letter, in three languages', async () => {
    for (const [q, line] of [
      ['青岛市人民政府的复函：谁签发的？', '青岛市人民政府'],
      ['青島市人民政府嘅復函係邊個簽發？', '青岛市人民政府'],
      ['Qingdao reply: when was it dated?', '2024年6月28日'],
    ]) {
      const a = await ask(q);
      expect(a.refused, q).toBe(false);
      expect(a.citations.map((c) => c.quote), q).toEqual([line]);
    }
  });
});
