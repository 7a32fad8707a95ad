/**
 * What the bot needs from the answer composer (bot/answer/), gathered in one object: the bot is
 * wired against this shape, `loadAnswerKit()` supplies the real composer (loaded on demand, so
 * `fuhan inspect` & co never pay for it).
 */
import type { Searcher } from '../../index/searchTypes.ts';
import type { AnswerOptions } from '../answer/answerQuestion.ts';
import type { LetterDescription, LetterRow } from '../answer/letterListing.ts';
import type { Answer, AnswerLang, Citation } from '../answerTypes.ts';

export interface AnswerKit {
  answerQuestion(searcher: Searcher, question: string, options?: AnswerOptions): Promise<Answer>;
  listCommitments(searcher: Searcher, topic?: string, lang?: AnswerLang): Promise<Answer>;
  formatCitationLine(citation: Citation, lang: AnswerLang, publicUrl?: string): string;
  listLetters(searcher: Searcher, filter?: string): LetterRow[];
  renderLetterRows(rows: LetterRow[], lang: AnswerLang): string;
  describeLetter(searcher: Searcher, ref: number | string): LetterDescription | undefined;
  renderLetterDescription(d: LetterDescription, lang: AnswerLang): string;
}

/**
 * The answer composer's real functions; dropped-quote warnings go to `log`.
 *
 * @example
 * const kit = await loadAnswerKit();
 * const answer = await kit.answerQuestion(engine, 'what has Qingdao done with MOX?');
 */
export async function loadAnswerKit(log: (line: string) => void = (line) => console.warn(line)): Promise<AnswerKit> {
  const [answering, commitments, citation, listing] = await Promise.all([
    import('../answer/answerQuestion.ts'),
    import('../answer/listCommitments.ts'),
    import('../answer/citation.ts'),
    import('../answer/letterListing.ts'),
  ]);
  return {
    answerQuestion: (searcher, question, options) => answering.answerQuestion(searcher, question, { log, ...options }),
    listCommitments: (searcher, topic, lang) => commitments.listCommitments(searcher, topic, lang, log),
    formatCitationLine: citation.formatCitationLine,
    listLetters: listing.listLetters,
    renderLetterRows: listing.renderLetterRows,
    describeLetter: listing.describeLetter,
    renderLetterDescription: listing.renderLetterDescription,
  };
}
