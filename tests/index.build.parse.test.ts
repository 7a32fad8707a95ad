/**
 * The shortcuts a build's parsing takes give what the plain ways give: the last sentence before a
 * point, the search form of a line, the words of a text cut run by run, on real letters and on
 * generated strings.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lastSentenceBefore, splitSentences } from '../corpus/parse/sentences.ts';
import { searchForm, searchFormWithMap } from '../corpus/parse/searchForm.ts';
import { chineseTerms, chineseWords, cjkBigrams, hasHan } from '../index/lexical/segmenter.ts';
import { FIXTURE_LETTERS } from './support/fixtureLetters.ts';
import { Jieba } from '@node-rs/jieba';
import { createRequire } from 'node:module';

const letterTexts = fs.readdirSync(FIXTURE_LETTERS).map((f) => fs.readFileSync(path.join(FIXTURE_LETTERS, f), 'utf8'));
/** Characters parsing cares about: CJK, Traditional forms, full-width, sentence ends, closers, line breaks, parentheses, pinyin, surrogates. */
const PIECES = ['中', '國', '發', '展', '〇', '々', '𠀀', '\ud800', '。', '！', '；', '.', '1', 'a', '”', '）', '\n', ' ', '　', '（', '(', 'guān', ')', 'ＡＢ', '一是', '\u00a0'];
const text = fc.array(fc.constantFrom(...PIECES), { maxLength: 60 }).map((a) => a.join(''));

describe('parsing shortcuts', () => {
  it('lastSentenceBefore is the last of splitSentences up to that point', () => {
    fc.assert(
      fc.property(text, fc.nat(), (t, n) => {
        const end = t.length ? n % (t.length + 1) : 0;
        expect(lastSentenceBefore(t, end)).toEqual(splitSentences(t, 0, end).pop());
      }),
      { numRuns: 2000 },
    );
    for (const t of letterTexts) {
      for (let end = 0; end <= t.length; end += 97) expect(lastSentenceBefore(t, end)).toEqual(splitSentences(t, 0, end).pop());
    }
  });

  it('searchForm is the text of searchFormWithMap, whose map points back character by character', () => {
    const check = (s: string) => {
      const { text: form, map } = searchFormWithMap(s);
      expect(searchForm(s)).toBe(form);
      expect(map).toHaveLength(form.length + 1);
      expect(map[form.length]).toBe(s.length);
      for (let i = 1; i < map.length; i++) expect(map[i]).toBeGreaterThanOrEqual(map[i - 1]);
    };
    fc.assert(fc.property(text, check), { numRuns: 2000 });
    for (const t of letterTexts) for (const line of t.split('\n')) check(line);
    expect(searchForm('第19號建議的答復(fù)：')).toBe('第19号建议的答复:');
    expect(searchForm('関(guān)于　ＡＢ')).toBe('関于 AB');
  });

  it('chineseWords (runs cut in one call, remembered) gives the words of cutting each run alone', () => {
    const jieba = Jieba.withDict(fs.readFileSync(createRequire(import.meta.url).resolve('@node-rs/jieba/dict.txt')));
    const runByRun = (s: string) => (s.match(/\p{Script=Han}+/gu) ?? []).flatMap((run) => jieba.cutForSearch(run, true).filter(hasHan));
    const cache = new Map<string, string[]>();
    for (const t of [...letterTexts, '二〇二三年々中国农业发展银行〇〇𠀀𠀁丒农业', '〇', '中〇国', 'a中b']) {
      expect(chineseWords(t)).toEqual(runByRun(t));
      expect(chineseWords(t, cache)).toEqual(runByRun(t));
    }
  });

  it('chineseTerms (runs remembered across texts) gives chineseWords and cjkBigrams, first time and again', () => {
    for (const round of [1, 2]) {
      for (const t of [...letterTexts, '二〇二三年々中国农业发展银行〇〇𠀀𠀁丒农业', '〇', '中〇国', 'a中b', '']) {
        expect(chineseTerms(t), `round ${round}`).toEqual({ words: chineseWords(t), bigrams: cjkBigrams(t) });
      }
    }
  });
});
