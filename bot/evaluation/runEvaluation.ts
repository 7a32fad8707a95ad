/**
 * Runs a question set through a searcher and collects outcomes, metrics and latencies.
 */
import type { Searcher } from '../../index/searchTypes.ts';
import type { EvalQuestion } from './questionSet.ts';
import { computeMetrics, percentile, type MetricRow, type QuestionOutcome } from './retrievalMetrics.ts';

export interface EvaluationResult {
  outcomes: QuestionOutcome[];
  metrics: MetricRow[];
  refusal: { unanswerable: number; refusedRight: number; answerable: number; falseRefusals: number };
  latencyMs: { p50: number; p95: number };
}

/**
 * Asks every question and scores the rankings.
 *
 * @example
 * const result = await runEvaluation(engine, await readQuestions('questions.jsonl'), 10);
 * result.metrics[0].recall5 // → 0.93
 */
export async function runEvaluation(searcher: Searcher, questions: EvalQuestion[], k = 10): Promise<EvaluationResult> {
  // One warm-up search so the first question does not pay for lazy initialisation.
  if (questions.length) await searcher.search(questions[0].question, { k });
  const outcomes: QuestionOutcome[] = [];
  for (const question of questions) {
    const t = performance.now();
    const result = await searcher.search(question.question, { k });
    const latencyMs = performance.now() - t;
    outcomes.push({
      question,
      refused: result.refused,
      passages: result.hits.map((h) => ({ doc: h.letter.doc, text: h.passage.text, score: Math.round(h.score * 10000) / 10000 })),
      latencyMs,
    });
  }
  const metrics = computeMetrics(outcomes);
  const all = metrics[0];
  const latencies = outcomes.map((o) => o.latencyMs);
  return {
    outcomes,
    metrics,
    refusal: { unanswerable: all.unanswerable, refusedRight: all.refusedRight, answerable: all.answerable, falseRefusals: all.falseRefusals },
    latencyMs: { p50: round(percentile(latencies, 50)), p95: round(percentile(latencies, 95)) },
  };
}

const round = (x: number) => Math.round(x * 100) / 100;
