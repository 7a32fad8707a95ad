/**
 * The multi-turn evaluation: conversations (JSON lines) whose last turn leans on the earlier ones,
 * run through the conversation layer and the answer stage; scored on citation 1 of the last answer
 * with the shared scorer's rule (same letter file, ≥ 60 % of the gold quote).
 *
 * A line: `{"id", "lang", "how", "turns": [...], "reading": "the last turn as a standalone question",
 * "gold": [{"doc", "quote"}]}` — `how` is the reading expected of the last turn (standalone,
 * substitution, same-letter, ordinal, reset).
 */
import fs from 'node:fs/promises';
import { z } from 'zod';
import type { Searcher } from '../../index/searchTypes.ts';
import { answerQuestion } from '../answer/answerQuestion.ts';
import { Conversation, type Reading } from '../conversation/conversation.ts';
import type { ConversationState } from '../conversation/conversationState.ts';
import { passageHoldsQuote } from './goldMatch.ts';

export const ConversationCaseSchema = z.object({
  id: z.string(),
  lang: z.enum(['zh', 'zh-Hant', 'en']),
  how: z.enum(['standalone', 'substitution', 'same-letter', 'ordinal', 'reset']),
  turns: z.array(z.string().min(1)).min(2),
  reading: z.string(),
  gold: z.array(z.object({ doc: z.string(), quote: z.string().min(1) })).min(1),
});
export type ConversationCase = z.infer<typeof ConversationCaseSchema>;

/**
 * Reads a conversations file; a malformed line is an error naming the line.
 *
 * @example
 * const cases = await readConversations('tests/fixtures/conversations.jsonl');
 */
export async function readConversations(file: string): Promise<ConversationCase[]> {
  const lines = (await fs.readFile(file, 'utf8')).split('\n');
  return lines.flatMap((line, i) => {
    if (!line.trim()) return [];
    const parsed = ConversationCaseSchema.safeParse(JSON.parse(line));
    if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.issues[0]!.message} at ${parsed.error.issues[0]!.path.join('.')}`);
    return [parsed.data];
  });
}

export interface ConversationOutcome {
  case: ConversationCase;
  /** How the last turn was read (reset turns before it are consumed). */
  reading: Reading;
  /** Citation 1 of the last answer: letter file and quote; undefined on a refusal. */
  first?: { doc: string; quote: string };
  hit: boolean;
  /** Whether the set's own standalone reading, asked alone, gets the gold quote as citation 1 (the answer stage's part). */
  readingHit: boolean;
}

function holdsGold(c: ConversationCase, cited: { doc: string; quote: string } | undefined): boolean {
  return cited !== undefined && c.gold.some((g) => passageHoldsQuote({ doc: cited.doc, text: cited.quote }, g));
}

/**
 * Plays every conversation, turn by turn, as the chat front-ends do.
 *
 * @example
 * const outcomes = await runConversations(engine, cases);
 * outcomes.filter((o) => o.hit).length / outcomes.length // → 0.9
 */
export async function runConversations(searcher: Searcher, cases: ConversationCase[], conversation = new Conversation()): Promise<ConversationOutcome[]> {
  const outcomes: ConversationOutcome[] = [];
  for (const c of cases) {
    let state: ConversationState | undefined;
    let last: ConversationOutcome | undefined;
    for (const turn of c.turns) {
      const reading = await conversation.read(searcher, turn, state);
      if (reading.kind === 'reset') {
        state = { at: Date.now() };
        continue;
      }
      if (reading.kind === 'notice') {
        last = { case: c, reading, hit: false, readingHit: false };
        continue;
      }
      const answer = await answerQuestion(searcher, reading.question, { filters: reading.filters, lang: reading.lang, log: () => {} });
      state = conversation.remember(state, reading, answer);
      const cited = answer.citations[0];
      const first = cited ? { doc: cited.doc, quote: cited.quote } : undefined;
      last = { case: c, reading, first, hit: holdsGold(c, first), readingHit: false };
    }
    if (!last) continue;
    const alone = (await answerQuestion(searcher, c.reading, { log: () => {} })).citations[0];
    outcomes.push({ ...last, readingHit: holdsGold(c, alone && { doc: alone.doc, quote: alone.quote }) });
  }
  return outcomes;
}
