/**
 * The relevance judgement's place and amount rules, on the real fixture letters. Questions written
 * for these tests (not the evaluation's).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseLetter } from '../corpus/parseLetter.ts';
import { asksAmount } from '../index/lexical/analyzeQuery.ts';
import { letterMentionsPlace } from '../index/refusal.ts';
import { SearchEngine } from '../index/searchEngine.ts';
import { FIXTURE_LETTERS, parsedLetters } from './support/fixtureLetters.ts';

let engine: SearchEngine;

beforeAll(async () => {
  engine = await SearchEngine.fromLetters(await parsedLetters(FIXTURE_LETTERS));
});

async function refused(question: string): Promise<boolean> {
  return (await engine.search(question)).refused;
}

describe('places', () => {
  it('answers questions naming a county the letter only names in its site footer or address', async () => {
    // Panshan: the county is only in the page footer (主辦單位:盤山縣人民政府). Xinbin: only in xinbin.gov.cn.
    for (const q of [
      '辽宁省盘山县学校放学时段谁在校门口疏导？',
      '盤山縣學校放學時怎樣錯峰？',
      'What do Panshan county schools do to stagger dismissal times?',
      '新宾县学校取暖费在生均经费里占比多少？',
    ]) {
      expect(await refused(q), q).toBe(false);
    }
  });

  it('refuses questions about a district no letter is from, even when a letter fits the topic', async () => {
    for (const q of ['广州市天河区学校放学时段谁在校门口疏导？', 'What do schools in Tianhe district do to stagger dismissal times?']) {
      const r = await engine.search(q);
      expect(r.refused, q).toBe(true);
      expect(r.nearestLetters[0].doc, q).toMatch(/panshan/);
    }
  });

  it('holds the question to its finest jurisdiction: a city the letter mentions does not make its district', async () => {
    // The Hengyang letter is the city's; a district of Hengyang the corpus never names is another letter's business.
    expect(await refused('衡阳市蒸湘区解放路商圈微型车停车位那件提案是怎么回复的？')).toBe(true);
    expect(await refused('衡阳市解放路商圈微型车停车位那件提案是怎么回复的？')).toBe(false);
  });

  it('finds a place in a letter through its text, title, site owner and site address', async () => {
    const { index } = engine;
    const ordinal = (pattern: RegExp) => index.letters.findIndex((l) => pattern.test(l.id));
    const places = (q: string) => engine.analyze(q).places;
    const [panshan] = places('盘山县学校放学拥堵');
    expect(panshan).toMatchObject({ core: '盘山', jurisdiction: true, level: 3 });
    expect(letterMentionsPlace(index, ordinal(/panshan/), panshan)).toBe(true);
    expect(letterMentionsPlace(index, ordinal(/hengyang/), panshan)).toBe(false);
    const [xinbin] = places('新宾县冬季取暖费');
    expect(letterMentionsPlace(index, ordinal(/xinbin/), xinbin)).toBe(true);
    const [anju] = places('How many roads does Anju district have?');
    expect(anju).toMatchObject({ word: 'anju', jurisdiction: true });
    expect(letterMentionsPlace(index, ordinal(/anju/), anju)).toBe(true);
  });

  it('accepts a site address spelling initials only for letters that do not say where they are from', async () => {
    const unplaced = parseLetter({
      file: 'x.txt', id: 'x', format: 'txt', frontMatter: { source: 'https://www.cqcsrd.gov.cn/web/article/1.html' },
      text: '周晓岚代表:\n您提出的关于取消青松东二路临时占道停车位的建议收悉。我局于2020年1月取消了路内停车位。',
    });
    const placed = parseLetter({
      file: 'y.txt', id: 'y', format: 'txt', frontMatter: { source: 'https://www.cqcsrd.gov.cn/web/article/2.html', issuer: '衡阳市公安局' },
      text: '周晓岚代表:\n您提出的关于取消青松东二路临时占道停车位的建议收悉。我局于2020年1月取消了路内停车位。',
    });
    const small = await SearchEngine.fromLetters([unplaced, placed]);
    const [changshou] = small.analyze('长寿区青松东二路的停车位撤了没有？').places;
    expect(letterMentionsPlace(small.index, 0, changshou)).toBe(true);
    expect(letterMentionsPlace(small.index, 1, changshou)).toBe(false);
  });

  it('matches an English name against whole pinyin syllables of the metadata only', async () => {
    const letter = parseLetter({
      file: 'z.txt', id: 'z', format: 'txt', frontMatter: { issuer: '万辉县教育局' },
      text: '王义代表:\n您提出的关于开通校车的建议收悉。我局将研究开通校车相关事项。',
    });
    const small = await SearchEngine.fromLetters([letter]);
    const [anhui] = small.analyze('What did Anhui province say about school buses?').places;
    const [wanhui] = small.analyze('What did Wanhui county say about school buses?').places;
    expect(anhui).toMatchObject({ word: 'anhui', jurisdiction: true, level: 1 });
    expect(letterMentionsPlace(small.index, 0, anhui)).toBe(false); // wan·hui, not an·hui
    expect(letterMentionsPlace(small.index, 0, wanhui)).toBe(true);
  });

  it('does not take generic area words for places', () => {
    const words = engine.analyze('上合示范区和解放路商业区的县级行政区有多少个？').places.map((p) => p.word);
    expect(words).not.toContain('示范区');
    expect(words).not.toContain('商业区');
    expect(words).not.toContain('行政区');
  });
});

describe('amounts of money', () => {
  it('recognises questions asking for a sum', () => {
    for (const q of ['白河县开通校车的预算是多少万元？', '门票多少钱', '罚款标准是多少', 'how much funding did they secure?', 'what is the admission fee?', 'How much will the new line cost?']) {
      expect(asksAmount(q), q).toBe(true);
    }
    for (const q of ['取暖费在生均经费里占多少？', '快递下乡收费的答复里修了多少公里乡村公路？', 'how many kilometres of roads?', 'how much land was acquired?']) {
      expect(asksAmount(q), q).toBe(false);
    }
  });

  it('refuses a sum the letter found never states, answers one it does', async () => {
    expect(await refused('新宾县取暖费补贴要花多少钱？')).toBe(true);
    expect(await refused('How much will the Xinbin county heating subsidy cost?')).toBe(true);
    expect(await refused('湖南省文旅厅争取的文物保护资金是多少？')).toBe(false);
    expect(await refused('How much money did Hunan obtain for protecting revolutionary relics since 2013?')).toBe(false);
  });
});
