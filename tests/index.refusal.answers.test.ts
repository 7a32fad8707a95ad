/**
 * The relevance judgement's answer-type checks (measured values, completion dates, the noun an
 * English question asks about) and the Chinese focus without the question's scaffolding, on the real
 * fixture letters. Questions written for these tests (not the evaluation's).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { asksValue } from '../index/lexical/analyzeQuery.ts';
import { statesValue } from '../index/refusal.ts';
import { SearchEngine } from '../index/searchEngine.ts';
import { FIXTURE_LETTERS, parsedLetters } from './support/fixtureLetters.ts';

let engine: SearchEngine;

beforeAll(async () => {
  engine = await SearchEngine.fromLetters(await parsedLetters(FIXTURE_LETTERS));
});

async function refused(question: string): Promise<boolean> {
  return (await engine.search(question)).refused;
}

describe('what a question asks for', () => {
  it('recognises counts (with their measure word), areas, lengths, speed limits and completion dates', () => {
    expect(asksValue('怀远县有多少名非遗传承人？')).toMatchObject({ kind: 'count', units: ['名'] });
    expect(asksValue('高平神农分院规划几张床位？')).toMatchObject({ kind: 'count', units: ['张'] });
    expect(asksValue('展区面积有多大？')?.kind).toBe('area');
    expect(asksValue('这条路有多长？')?.kind).toBe('length');
    expect(asksValue('解放路限速多少？')?.kind).toBe('speed');
    expect(asksValue('智慧停车系统预计什么时候建成？')?.kind).toBe('completion');
    expect(asksValue('how many beds will the branch have?')?.kind).toBe('count');
    expect(asksValue('when will the new roads be finished?')?.kind).toBe('completion');
  });

  it('does not take "which ones", a zone called an area, or a when without completion for a value', () => {
    expect(asksValue('安居区今年要推进哪几项工程？')).toBeUndefined();
    expect(asksValue('why no parking bays in the jiefang road commercial area?')).toBeUndefined();
    expect(asksValue('那个小区啥时候能坐上公交？')).toBeUndefined();
  });

  it('finds a stated value: a number followed by its unit', () => {
    expect(statesValue('推荐7名澳门青年加入市青年联合会', ['名'])).toBe(true);
    expect(statesValue('有江北东站、江北南站两个高铁站', ['个'])).toBe(true);
    expect(statesValue('现红星小学有学生近900余人次', ['人'])).toBe(true);
    expect(statesValue('规划面积5平方公里', ['平方公里', '亩'])).toBe(true);
    expect(statesValue('全县现有国家级非遗项目1项', ['名'])).toBe(false);
  });
});

describe('measured values', () => {
  it('refuses a count the letter found does not make, answers one it does', async () => {
    expect(await refused('怀远县有多少名非遗传承人？')).toBe(true); // it counts items (项), not people
    expect(await refused('怀远县有多少项国家级非遗项目？')).toBe(false);
    expect(await refused('神农卫生院有多少名医生？')).toBe(true);
    expect(await refused('How many ambulances does Miluo have?')).toBe(true);
    expect(await refused('How many training sessions did the SCO trade institute run?')).toBe(false);
  });

  it('holds an area to the thing measured, and asks a speed limit for a speed', async () => {
    expect(await refused('丝路电商综合服务基地占地多少平方公里？')).toBe(false);
    expect(await refused('What is the speed limit on Jiefang Road in Hengyang?')).toBe(true);
    expect(await refused('衡阳解放路限速多少？')).toBe(true);
  });

  it('does not take the letter’s own date for the date something is finished', async () => {
    expect(await refused('凤鸣水岸小区周边的新建道路什么时候建成？')).toBe(true);
    expect(await refused('When will the new roads around the Fengming Shuian estate be completed?')).toBe(true);
  });
});

describe('focus without scaffolding', () => {
  it('does not ask the letter for the verb that governs the question word', async () => {
    expect(await refused('新宾县教育局为学校取暖费采取了什么办法？')).toBe(false);
    expect(await refused('新宾县教育局针对取暖费负担的问题采取了什么办法？')).toBe(false);
    const units = engine.analyze('新宾县教育局针对取暖费的问题采取了什么办法？').units;
    expect(units.find((u) => u.source === '采取')?.asking).toBe(true);
    expect(units.find((u) => u.source === '问题')?.answerType).toBe(true);
  });

  it('does not count the letter’s own issuer as the thing asked', async () => {
    // 公安局 names who wrote the letter; 局长 is what is asked, and the letter names none.
    expect(await refused('衡阳市公安局局长叫什么名字？')).toBe(true);
  });

  it('checks the noun an English question asks about', async () => {
    expect(engine.analyze('Which company will build the new roads around Fengming Shuian?').asked?.source).toBe('company');
    expect(await refused('Which company will build the new roads around Fengming Shuian?')).toBe(true);
  });
});
