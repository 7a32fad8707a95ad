/**
 * Follow-ups about the letter talked about, on the fixture letters: who signed a letter whose page lost
 * its signature block (the letterhead line names the body, kept in the header section), and "how many
 * now?" after another question on the same letter (the sentence reporting the change of figure first,
 * not the older figure nor what the previous question asked about).
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { answerQuestion } from '../bot/answer/answerQuestion.ts';
import { supersedeOldFigures } from '../bot/answer/latestFigure.ts';
import { Conversation } from '../bot/conversation/conversation.ts';
import type { ConversationState } from '../bot/conversation/conversationState.ts';
import { pointsBack } from '../bot/conversation/followUpPatterns.ts';
import { bodyStart } from '../corpus/letter.ts';
import { parseLetterStrict } from '../corpus/parseLetter.ts';
import { cutPassages } from '../corpus/passages.ts';
import { readCorpus } from '../corpus/readCorpus.ts';
import { SearchEngine } from '../index/searchEngine.ts';
import { FIXTURE_LETTERS, parsedLetters } from './support/fixtureLetters.ts';

const silent = () => {};
let engine: SearchEngine;

beforeAll(async () => {
  engine = await SearchEngine.fromLetters(await parsedLetters(FIXTURE_LETTERS));
}, 120_000);

/** The last turn's answer of a conversation, each turn read in the light of the ones before. */
async function lastAnswer(turns: string[]) {
  const conversation = new Conversation();
  let state: ConversationState | undefined;
  let answer;
  for (const turn of turns) {
    const reading = await conversation.read(engine, turn, state);
    if (reading.kind !== 'question') throw new Error(`${turn}: read as ${reading.kind}`);
    answer = await answerQuestion(engine, reading.question, { filters: reading.filters, lang: reading.lang, log: silent });
    state = conversation.remember(state, reading, answer);
  }
  return answer!;
}

describe('the letterhead of a letter without its signature block', () => {
  it('is kept verbatim in the header section, before the salutation, and cut into no passage', async () => {
    const { docs } = await readCorpus([path.join(FIXTURE_LETTERS, '018_chongqing-wenlv-1153hao-jianyi-diaoyucheng.txt')]);
    const letter = parseLetterStrict(docs[0]);
    expect(letter.truncated).toBe(true);
    const head = letter.text.slice(0, letter.header!.end).split('\n');
    expect(head).toContain(letter.issuer);
    expect(head.filter((l) => l === letter.issuer)).toHaveLength(1);
    expect(letter.text.slice(bodyStart(letter)).startsWith('刘汉席代表:')).toBe(true);
    for (const p of cutPassages(letter)) expect(p.text).not.toBe(letter.issuer);
  });

  it('answers who signed it with the issuing body line, in three languages', async () => {
    for (const turns of [
      ['钓鱼城申报5A景区的事有回复吗？', '这封复函是谁签发的？'],
      ['釣魚城申報5A景區的事有回覆嗎？', '這封復函是誰簽發的？'],
      ['Did the culture and tourism commission reply about the Diaoyu Fortress 5A bid?', 'who signed it?'],
    ]) {
      const answer = await lastAnswer(turns);
      expect(answer.citations[0]?.quote, turns[1]).toBe('重庆市文化和旅游发展委员会');
      expect(answer.citations[0]?.doc, turns[1]).toContain('018_chongqing-wenlv');
    }
  });
});

describe('how many now, after another question on the same letter', () => {
  it('quotes the sentence reporting the change of figure first (Simplified and Traditional)', async () => {
    for (const turns of [
      ['三峰环境拿到了澳门哪几期的运营权？', '那专班机制目前覆盖多少个领域？'],
      ['三峰環境拿到了澳門哪幾期的運營權？', '那專班機制目前覆蓋多少個領域？'],
    ]) {
      const answer = await lastAnswer(turns);
      expect(answer.citations[0]?.quote, turns[1]).toContain('扩容至10');
    }
  });

  it('lifts a change of figure just above the older figure of the same letter, and nothing else', () => {
    const text = '合作机制在4个领域开展。今年合作机制由4个扩容至7个。另有14个项目在建。';
    const candidates = [
      { letter: 'a', start: 0, end: 12, score: 2 },
      { letter: 'a', start: 12, end: 25, score: 1.5 },
      { letter: 'b', start: 0, end: 12, score: 3 },
    ];
    supersedeOldFigures(candidates, (id) => (id === 'a' || id === 'b' ? text : undefined));
    expect(candidates[1].score).toBeGreaterThan(2);
    expect(candidates[1].score).toBeLessThan(3);
    // 14个 is not 4个: a figure is matched whole.
    const other = [{ letter: 'a', start: 25, end: 35, score: 2 }, { letter: 'a', start: 12, end: 25, score: 1 }];
    supersedeOldFigures(other, () => text);
    expect(other[1].score).toBe(1);
  });
});

describe('a follow-up naming its own subject', () => {
  it('tells a leading 那 ("so, …") from a pronoun pointing back', () => {
    expect(pointsBack('那这个项目花了多少钱?')).toBe(true);
    expect(pointsBack('他们打算怎么办?')).toBe(true);
    expect(pointsBack('how much did it cost?')).toBe(true);
    expect(pointsBack('那青年交流中心有几个人?')).toBe(false);
  });
});
