/**
 * A question that stands on its own is never bent by the history: every single-turn question of the
 * question files, asked right after an unrelated question (about another letter), gets exactly the
 * answer it gets when asked alone — same mode, same citations (letter and span), same refusal.
 * Question files: the held-out sets in tests/fixtures and, when present, the dev sets read at test time.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseLetter } from '../corpus/parseLetter.ts';
import { readCorpus } from '../corpus/readCorpus.ts';
import { SearchEngine } from '../index/searchEngine.ts';
import type { Answer } from '../bot/answerTypes.ts';
import { answerQuestion } from '../bot/answer/answerQuestion.ts';
import { Conversation } from '../bot/conversation/conversation.ts';
import { readQuestions, type EvalQuestion } from '../bot/evaluation/questionSet.ts';

const DEV = path.resolve(import.meta.dirname, '../../shared/eval/dev');
const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const available = existsSync(path.join(DEV, 'letters'));
if (!available) console.warn(`skipping the standalone-question check: ${DEV}/letters is not there`);

const files = [
  path.join(FIXTURES, 'heldout-questions.jsonl'),
  path.join(FIXTURES, 'heldout-questions-b.jsonl'),
  path.join(FIXTURES, 'heldout-questions-c.jsonl'),
  path.join(FIXTURES, 'heldout-questions-d.jsonl'),
  path.join(DEV, 'questions.jsonl'),
  path.join(DEV, 'questions-realistic.jsonl'),
].filter((f) => existsSync(f));

let engine: SearchEngine;
let questions: EvalQuestion[];

/** What must not change: the mode, refusal, and each citation's letter and span. */
function fingerprint(answer: Answer): string {
  return JSON.stringify([answer.mode, answer.refused, answer.citations.map((c) => [c.letter, c.start, c.end])]);
}

describe.skipIf(!available)('standalone questions after an unrelated turn', () => {
  beforeAll(async () => {
    const { docs } = await readCorpus(path.join(DEV, 'letters'));
    engine = await SearchEngine.fromLetters(docs.map((d) => parseLetter(d)));
    questions = (await Promise.all(files.map(readQuestions))).flat();
  }, 120_000);

  it('answer exactly as they do alone', async () => {
    const conversation = new Conversation();
    const changed: string[] = [];
    const silent = () => {};
    for (let i = 0; i < questions.length; i++) {
      const q = questions[i]!;
      const doc = q.gold[0]?.doc;
      // The previous turn: the next question in the files that is about another letter.
      const previous = questions.slice(i + 1).concat(questions.slice(0, i)).find((p) => p.gold.length > 0 && p.gold[0]!.doc !== doc)!;
      const first = await conversation.read(engine, previous.question, undefined);
      const state = conversation.remember(undefined, first, await answerQuestion(engine, first.question, { filters: first.filters, lang: first.lang, log: silent }));
      const reading = await conversation.read(engine, q.question, state);
      const after = await answerQuestion(engine, reading.question, { filters: reading.filters, lang: reading.lang, log: silent });
      const alone = await answerQuestion(engine, q.question, { log: silent });
      if (fingerprint(after) !== fingerprint(alone)) changed.push(`${q.id} (${reading.how}: ${reading.readAs ?? reading.question}) after ${previous.id}: ${q.question}`);
    }
    console.info(`${questions.length} questions from ${files.length} files; changed by the history: ${changed.length}`);
    expect(changed).toEqual([]);
  }, 300_000);
});
