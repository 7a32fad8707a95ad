/**
 * The relevance judgement's person and event-time rules, and English place names read as pinyin
 * initials. Questions and small letters written for these tests (not the evaluation's).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseLetter } from '../corpus/parseLetter.ts';
import { asksPerson, asksValue } from '../index/lexical/analyzeQuery.ts';
import { letterMentionsPlace, namesPerson } from '../index/refusal.ts';
import { SearchEngine } from '../index/searchEngine.ts';
import { FIXTURE_LETTERS, parsedLetters } from './support/fixtureLetters.ts';

let engine: SearchEngine;

beforeAll(async () => {
  engine = await SearchEngine.fromLetters(await parsedLetters(FIXTURE_LETTERS));
});

describe('English place names as pinyin initials', () => {
  it('reads an English name as syllables and matches their initials in an unplaced letter’s site address', async () => {
    const text = '周晓岚代表:\n您提出的关于取消青松东二路临时占道停车位的建议收悉。我局于2020年1月取消了路内停车位。';
    const unplaced = parseLetter({ file: 'x.txt', id: 'x', format: 'txt', frontMatter: { source: 'https://www.cqcsrd.gov.cn/web/article/1.html' }, text });
    const placed = parseLetter({
      file: 'y.txt', id: 'y', format: 'txt', frontMatter: { source: 'https://www.cqcsrd.gov.cn/web/article/2.html', issuer: '衡阳市公安局' }, text,
    });
    const small = await SearchEngine.fromLetters([unplaced, placed]);
    const [changshou] = small.analyze('When were the parking spaces on Taoyuan West 4th Road in Changshou district removed?').places.filter((p) => p.word === 'changshou');
    expect(changshou.initials).toContain('cs');
    expect(letterMentionsPlace(small.index, 0, changshou)).toBe(true);
    expect(letterMentionsPlace(small.index, 1, changshou)).toBe(false); // it says where it is from
    const [pidu] = small.analyze('How did the transport office of Pidu district answer on parking?').places;
    expect(pidu.initials).toEqual(['pd']);
    expect(letterMentionsPlace(small.index, 0, pidu)).toBe(false);
  });
});

describe('persons', () => {
  it('recognises a question asking for a person by role, and one asking who proposed', () => {
    expect(asksPerson('交通运输局的局长叫什么名字?')).toBe('official');
    expect(asksPerson('这份答复的联系人是谁?')).toBe('official');
    expect(asksPerson('what is the name of the official who heads the bureau?')).toBe('official');
    expect(asksPerson('who is the principal of the school?')).toBe('official');
    expect(asksPerson('这份提案是哪位委员提出的?')).toBe('proposer');
    expect(asksPerson('which deputy raised the suggestion?')).toBe('proposer');
    // A body, not a person.
    expect(asksPerson('庆丰路的停车位归哪个部门管?')).toBeUndefined();
    expect(asksPerson('who is leading the smart parking project?')).toBeUndefined();
    expect(asksPerson('图书角叫什么名字?')).toBeUndefined();
  });

  it('finds a person named next to a role, not an office', () => {
    expect(namesPerson('本复函经司马局长审定', ['局长'])).toBe(true);
    expect(namesPerson('联系人:刘芳', ['联系人'])).toBe(true);
    expect(namesPerson('承办人及联系电话:陈刚 0730-5182231', ['承办人'])).toBe(true);
    expect(namesPerson('县教育局局长高度重视', ['局长'])).toBe(false);
    expect(namesPerson('区人大代表提出建议', ['代表'])).toBe(false);
  });

  it('refuses a person the letter found never names, answers one it does', async () => {
    expect((await engine.search('衡阳市公安局的局长叫什么名字？')).refused).toBe(true);
    expect((await engine.search('Who was the director that approved the Shapingba reply on the estate bus service?')).refused).toBe(false);
  });
});

describe('the time of an event', () => {
  it('recognises a year or day asked for an event, but not a reply’s own date or a bare when', () => {
    expect(asksValue('红星小学计划哪一年迁往原职业中学校址?')?.kind).toBe('event');
    expect(asksValue('in which year did the school move to the new site?')?.kind).toBe('event');
    expect(asksValue('这份建议的答复是哪天发的?')).toBeUndefined();
    expect(asksValue('这个小区啥时候能坐上公交?')).toBeUndefined();
  });

  it('needs a sentence of the letter found that states a time and names the event', async () => {
    const letter = parseLetter({
      file: 'e.txt', id: 'e', format: 'txt', frontMatter: { issuer: '白河县教育局' },
      text: '孙丽委员:\n您提出的关于开通校车的建议收悉。2019年,老旧校舍改造工程在建设小区开工建设。同时红星小学将迁往原职业中学校址,校车事宜待迁校完成后再定。\n白河县教育局\n2019年6月3日',
    });
    const small = await SearchEngine.fromLetters([letter]);
    expect((await small.search('建设小区的校舍改造工程哪一年开工建设？')).refused).toBe(false);
    expect((await small.search('红星小学计划哪一年迁往原职业中学校址？')).refused).toBe(true);
  });
});
