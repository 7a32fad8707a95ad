/**
 * Runs a question set through the whole answer stage (search, quote selection, refusal, citations)
 * and scores what a reader would see (answerMetrics.ts).
 */
import type { Searcher } from '../../index/searchTypes.ts';
import { answerQuestion } from '../answer/answerQuestion.ts';
import { computeAnswerMetrics, type AnswerMetricRow, type AnswerOutcome } from './answerMetrics.ts';
import type { EvalQuestion } from './questionSet.ts';

export interface AnswerEvaluationResult {
  outcomes: AnswerOutcome[];
  metrics: AnswerMetricRow[];
}

/**
 * Answers every question (first page, no LLM) and scores the answers.
 *
 * @example
 * const { metrics } = await runAnswerEvaluation(engine, questions);
 * metrics[0].cite1 // → 0.9
 */
export async function runAnswerEvaluation(searcher: Searcher, questions: EvalQuestion[], k = 10): Promise<AnswerEvaluationResult> {
  const outcomes: AnswerOutcome[] = [];
  for (const question of questions) {
    const answer = await answerQuestion(searcher, question.question, { k, log: () => {} });
    outcomes.push({
      question,
      refused: answer.refused,
      reason: answer.reason,
      citations: answer.citations.map((c) => ({ doc: c.doc, quote: c.quote, issuer: c.issuer, title: c.title, date: c.date, source: c.source })),
      quoteChars: answer.citations.reduce((sum, c) => sum + c.quote.length, 0),
      textChars: answer.text.length,
    });
  }
  return { outcomes, metrics: computeAnswerMetrics(outcomes) };
}
