/**
 * Retrieval metrics over judged questions: passage recall@1/5/10, MRR@10 and letter recall@1/5
 * for answerable questions, refusal accuracy for unanswerable ones — overall, per language, per kind.
 */
import { passageHoldsQuote } from './goldMatch.ts';
import type { EvalQuestion } from './questionSet.ts';

/** One question's outcome. */
export interface QuestionOutcome {
  question: EvalQuestion;
  refused: boolean;
  /** Top passages, best first: file name of the letter and verbatim text. */
  passages: { doc: string; text: string; score: number }[];
  latencyMs: number;
}

export interface MetricRow {
  group: string;
  answerable: number;
  recall1: number;
  recall5: number;
  recall10: number;
  mrr10: number;
  letterRecall1: number;
  letterRecall5: number;
  falseRefusals: number;
  unanswerable: number;
  refusedRight: number;
}

/**
 * Rank (1-based) of the first passage holding a gold quote, and of the first passage from a gold letter.
 *
 * @example
 * firstHits(outcome) // → { passage: 2, letter: 1 }
 */
export function firstHits(o: QuestionOutcome): { passage: number; letter: number } {
  let passage = Infinity;
  let letter = Infinity;
  o.passages.slice(0, 10).forEach((p, i) => {
    if (o.question.gold.some((g) => passageHoldsQuote(p, g))) passage = Math.min(passage, i + 1);
    if (o.question.gold.some((g) => g.doc === p.doc)) letter = Math.min(letter, i + 1);
  });
  return { passage, letter };
}

/**
 * Metric rows: 'all', then 'lang:…' and 'kind:…' groups.
 *
 * @example
 * computeMetrics(outcomes)[0] // → { group: 'all', recall5: 0.93, … }
 */
export function computeMetrics(outcomes: QuestionOutcome[]): MetricRow[] {
  const rows = new Map<string, MetricRow>();
  const row = (group: string) => {
    let r = rows.get(group);
    if (!r) {
      r = { group, answerable: 0, recall1: 0, recall5: 0, recall10: 0, mrr10: 0, letterRecall1: 0, letterRecall5: 0, falseRefusals: 0, unanswerable: 0, refusedRight: 0 };
      rows.set(group, r);
    }
    return r;
  };
  row('all');
  for (const o of outcomes) {
    const groups = ['all', `lang:${o.question.lang}`, `kind:${o.question.kind}`].map(row);
    if (!o.question.gold.length) {
      for (const r of groups) {
        r.unanswerable++;
        if (o.refused) r.refusedRight++;
      }
      continue;
    }
    const { passage, letter } = firstHits(o);
    for (const r of groups) {
      r.answerable++;
      if (passage <= 1) r.recall1++;
      if (passage <= 5) r.recall5++;
      if (passage <= 10) r.recall10++;
      if (passage <= 10) r.mrr10 += 1 / passage;
      if (letter <= 1) r.letterRecall1++;
      if (letter <= 5) r.letterRecall5++;
      if (o.refused) r.falseRefusals++;
    }
  }
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return [...rows.values()]
    .sort((a, b) => (a.group === 'all' ? -1 : b.group === 'all' ? 1 : a.group.localeCompare(b.group)))
    .map((r) => {
      const n = r.answerable || 1;
      return { ...r, recall1: round(r.recall1 / n), recall5: round(r.recall5 / n), recall10: round(r.recall10 / n), mrr10: round(r.mrr10 / n), letterRecall1: round(r.letterRecall1 / n), letterRecall5: round(r.letterRecall5 / n) };
    });
}

/** p-th percentile (0..100) of a list of numbers. */
export function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}
