/**
 * `/commitments [topic]`: what the letters say will be done next — for a topic, the matching letters'
 * commitments, most relevant first; with no topic, every letter's commitments, newest letter first.
 */
import type { Searcher } from '../../index/searchTypes.ts';
import type { Answer, AnswerLang } from '../answerTypes.ts';
import { assembleAnswer } from './assembleAnswer.ts';
import { allCommitments, rankCommitments, type CommitmentCandidate } from './commitments.ts';
import { detectLanguage } from './detectLanguage.ts';
import { groupByLetter } from './selectQuotes.ts';
import type { QuoteLogger } from './verifyQuote.ts';

/**
 * Commitments as an Answer (mode 'commitments'; verified like quotes).
 *
 * @example
 * (await listCommitments(searcher, '青年交流')).citations.map((c) => c.quote)
 * (await listCommitments(searcher)).groups.map((g) => g.letter.date) // newest first
 */
export async function listCommitments(searcher: Searcher, topic?: string, lang?: AnswerLang, log?: QuoteLogger): Promise<Answer> {
  const t = topic?.trim() ?? '';
  const language = lang ?? (t ? detectLanguage(t) : 'zh');
  let chosen: CommitmentCandidate[];
  let nearest = t ? [] : searcher.letters().map((l) => searcher.letterRef(l.id)).filter((r) => r !== undefined);
  if (t) {
    const result = await searcher.search(t, { k: 20 });
    nearest = result.nearestLetters;
    chosen = result.refused ? [] : rankCommitments(result, searcher, 8);
    chosen = groupByLetter(chosen);
  } else {
    chosen = allCommitments(searcher.letters());
  }
  return assembleAnswer(
    searcher,
    {
      question: t,
      lang: language,
      mode: 'commitments',
      spans: chosen.map((c) => ({ letter: c.letter, start: c.start, end: c.end, section: c.commitment.section })),
      nearest,
    },
    log,
  );
}
