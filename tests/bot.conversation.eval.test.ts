/**
 * The multi-turn dev set (tests/fixtures/conversations.jsonl, written over the dev letters in
 * ../shared/eval/dev/letters): the last turn of each conversation leans on the earlier ones, and its
 * citation 1 must hold the gold quote (the shared scorer's rule); measured 0.875 (42 / 48) in session 6 (0.83 before:
 * the letterhead kept for the signer, the change of figure for "how many now", a follow-up naming its own subject asked as
 * written), asserted as a floor of 41 / 48 (one conversation of slack), which meets the issue's target of 0.85.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseLetter } from '../corpus/parseLetter.ts';
import { readCorpus } from '../corpus/readCorpus.ts';
import { SearchEngine } from '../index/searchEngine.ts';
import { readConversations, runConversations, type ConversationOutcome } from '../bot/evaluation/conversationSet.ts';

const DEV_LETTERS = path.resolve(import.meta.dirname, '../../shared/eval/dev/letters');
const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'conversations.jsonl');
const available = existsSync(DEV_LETTERS);
if (!available) console.warn(`skipping the multi-turn dev set: ${DEV_LETTERS} is not there`);

let outcomes: ConversationOutcome[];

describe.skipIf(!available)('multi-turn dev set', () => {
  beforeAll(async () => {
    const { docs } = await readCorpus(DEV_LETTERS);
    const engine = await SearchEngine.fromLetters(docs.map((d) => parseLetter(d)));
    outcomes = await runConversations(engine, await readConversations(FIXTURE));
  }, 120_000);

  it('has at least 40 conversations in the three languages', () => {
    expect(outcomes.length).toBeGreaterThanOrEqual(40);
    for (const lang of ['zh', 'zh-Hant', 'en']) expect(outcomes.filter((o) => o.case.lang === lang).length).toBeGreaterThanOrEqual(5);
  });

  it('answers the last turn with the gold quote as citation 1 in ≥ 41 / 48 of conversations (issue target 0.85)', () => {
    const rows = ['all', 'zh', 'zh-Hant', 'en', 'standalone', 'substitution', 'same-letter', 'ordinal', 'reset'].map((group) => {
      const of = outcomes.filter((o) => group === 'all' || o.case.lang === group || o.case.how === group);
      const rate = (n: number) => (of.length ? Math.round((n / of.length) * 1000) / 1000 : null);
      return {
        group,
        conversations: of.length,
        'citation 1 hits': of.filter((o) => o.hit).length,
        rate: rate(of.filter((o) => o.hit).length),
        'standalone reading asked alone': rate(of.filter((o) => o.readingHit).length),
      };
    });
    console.table(rows);
    const misses = outcomes.filter((o) => !o.hit).map((o) => `${o.case.id} [${o.reading.how}] ${o.reading.question.slice(0, 50)} → ${o.first ? `${o.first.doc}: ${o.first.quote.slice(0, 40)}` : 'refused'}`);
    if (misses.length) console.info(`misses:\n${misses.join('\n')}`);
    expect(outcomes.filter((o) => o.hit).length / outcomes.length).toBeGreaterThanOrEqual(41 / 48);
  });

  it('reads the last turn the way the set expects (substitution, same letter, ordinal, standalone)', () => {
    const expected = (how: string) => (how === 'reset' ? 'standalone' : how);
    const agree = outcomes.filter((o) => o.reading.how === expected(o.case.how));
    const wrong = outcomes.filter((o) => o.reading.how !== expected(o.case.how)).map((o) => `${o.case.id}: ${o.case.how} read as ${o.reading.how}`);
    console.info(`readings as expected: ${agree.length} / ${outcomes.length}${wrong.length ? `; ${wrong.join(', ')}` : ''}`);
    expect(agree.length / outcomes.length, wrong.join('\n')).toBeGreaterThanOrEqual(0.9);
  });
});
