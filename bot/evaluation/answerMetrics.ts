/**
 * Scores composed answers, not rankings: is citation 1 the sentence that answers (the same hit rule
 * as the shared scorer: same letter file, a common run of ≥ 60 % of a gold quote), is one of the first
 * three, is its letter a gold letter, is the refusal right, is the citation line complete (issuer,
 * title, date, link), and how long is the answer a reader has to read.
 */
import { passageHoldsQuote } from './goldMatch.ts';
import type { EvalQuestion } from './questionSet.ts';
import { percentile } from './retrievalMetrics.ts';

/** What one composed answer showed. */
export interface AnswerOutcome {
  question: EvalQuestion;
  refused: boolean;
  /** Why it refused: 'not-stated' (the topic is there, the thing asked is not) or 'off-topic'. */
  reason?: string;
  /** Citations shown on the first page, in order. */
  citations: { doc: string; quote: string; issuer: string | null; title: string; date: string | null; source: string | null }[];
  /** Characters of the quotes shown (what a reader reads as the answer). */
  quoteChars: number;
  /** Characters of the whole rendered answer (quotes, citation lines, labels). */
  textChars: number;
}

export interface AnswerMetricRow {
  group: string;
  answerable: number;
  cite1: number;
  hit3: number;
  anyHit: number;
  letter1: number;
  wrongLetterFirst: number;
  falseRefusals: number;
  unanswerable: number;
  refusedRight: number;
  citationComplete: number;
  /** Medians over answered questions. */
  medianQuoteChars: number;
  medianTextChars: number;
  medianQuotes: number;
}

/**
 * Whether each of an answer's citations hits a gold quote.
 *
 * @example
 * citationHits(outcome) // → [false, true, false]
 */
export function citationHits(o: AnswerOutcome): boolean[] {
  return o.citations.map((c) => o.question.gold.some((g) => passageHoldsQuote({ doc: c.doc, text: c.quote }, g)));
}

/**
 * Rows: 'all', then 'lang:…', 'kind:…' and 'style:…' groups. Hits count only on answers that were
 * not refused (a refused answerable question is a false refusal, whatever closest quote it shows).
 *
 * @example
 * computeAnswerMetrics(outcomes)[0].cite1 // → 0.9
 */
export function computeAnswerMetrics(outcomes: AnswerOutcome[]): AnswerMetricRow[] {
  interface Acc {
    row: AnswerMetricRow;
    quoteChars: number[];
    textChars: number[];
    quotes: number[];
  }
  const rows = new Map<string, Acc>();
  const acc = (group: string): Acc => {
    let a = rows.get(group);
    if (!a) {
      a = {
        row: { group, answerable: 0, cite1: 0, hit3: 0, anyHit: 0, letter1: 0, wrongLetterFirst: 0, falseRefusals: 0, unanswerable: 0, refusedRight: 0, citationComplete: 0, medianQuoteChars: 0, medianTextChars: 0, medianQuotes: 0 },
        quoteChars: [],
        textChars: [],
        quotes: [],
      };
      rows.set(group, a);
    }
    return a;
  };
  acc('all');
  for (const o of outcomes) {
    const q = o.question;
    const groups = ['all', `lang:${q.lang}`, `kind:${q.kind}`, ...(q.style ? [`style:${q.style}`] : [])].map(acc);
    if (!o.refused) for (const a of groups) a.quoteChars.push(o.quoteChars), a.textChars.push(o.textChars), a.quotes.push(o.citations.length);
    if (!q.gold.length) {
      for (const a of groups) {
        a.row.unanswerable++;
        if (o.refused) a.row.refusedRight++;
      }
      continue;
    }
    const hits = o.refused ? [] : citationHits(o);
    const first = o.refused ? undefined : o.citations[0];
    const goldDocs = new Set(q.gold.map((g) => g.doc));
    for (const a of groups) {
      const r = a.row;
      r.answerable++;
      if (o.refused) {
        r.falseRefusals++;
        continue;
      }
      if (hits[0]) r.cite1++;
      if (hits.slice(0, 3).some(Boolean)) r.hit3++;
      if (hits.some(Boolean)) r.anyHit++;
      if (first && goldDocs.has(first.doc)) r.letter1++;
      else if (first) r.wrongLetterFirst++;
      if (first && first.issuer && first.title && first.date && first.source) r.citationComplete++;
    }
  }
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return [...rows.values()]
    .sort((a, b) => (a.row.group === 'all' ? -1 : b.row.group === 'all' ? 1 : a.row.group.localeCompare(b.row.group)))
    .map(({ row, quoteChars, textChars, quotes }) => {
      const n = row.answerable || 1;
      return {
        ...row,
        cite1: round(row.cite1 / n),
        hit3: round(row.hit3 / n),
        anyHit: round(row.anyHit / n),
        letter1: round(row.letter1 / n),
        citationComplete: round(row.citationComplete / n),
        medianQuoteChars: percentile(quoteChars, 50),
        medianTextChars: percentile(textChars, 50),
        medianQuotes: percentile(quotes, 50),
      };
    });
}
