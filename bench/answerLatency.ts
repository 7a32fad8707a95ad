/**
 * End-to-end answer latency inside the process: question in → verified Answer out (`answerQuestion`), with the
 * time split into query embedding, lexical search, vector search, fusion and answer composition.
 */
import { answerQuestion } from '../bot/answer/answerQuestion.ts';
import type { Searcher, SearchOptions, SearchResult } from '../index/searchTypes.ts';
import { summarize, type LatencySummary } from './latencyStats.ts';

export type Stage = 'embed' | 'lexical' | 'dense' | 'fusion' | 'answer';
export const STAGES: Stage[] = ['embed', 'lexical', 'dense', 'fusion', 'answer'];

export interface AnswerLatencyResult {
  questions: number;
  refused: number;
  citations: number;
  /** Quotes the verifier dropped (should be 0). */
  droppedQuotes: number;
  total: LatencySummary;
  /** Per stage. `answer` = answer total − search total (composition, quote selection and verification). */
  stages: Record<Stage, LatencySummary>;
  /** Share of summed time per stage (0..1); the remainder is search overhead outside the four timed stages. */
  shares: Record<Stage | 'other', number>;
}

/**
 * A Searcher that remembers the timings of each search it passes on (answerQuestion searches once per question).
 *
 * @example const timed = new TimedSearcher(engine); await answerQuestion(timed, q); timed.last?.timings.total
 */
export class TimedSearcher implements Searcher {
  last: SearchResult | null = null;
  constructor(private readonly inner: Searcher) {}
  async search(question: string, options?: SearchOptions): Promise<SearchResult> {
    this.last = await this.inner.search(question, options);
    return this.last;
  }
  letters() {
    return this.inner.letters();
  }
  letter(id: string) {
    return this.inner.letter(id);
  }
  letterRef(id: string) {
    return this.inner.letterRef(id);
  }
  passagesOf(id: string) {
    return this.inner.passagesOf(id);
  }
}

/**
 * Answers each question once, one at a time (after `warmup` unmeasured answers), and summarises the latencies.
 *
 * @example const r = await measureAnswerLatency(engine, ['重庆和澳门青年交流有哪些安排？']); r.total.p95
 */
export async function measureAnswerLatency(searcher: Searcher, questions: string[], options: { warmup?: number } = {}): Promise<AnswerLatencyResult> {
  const timed = new TimedSearcher(searcher);
  let dropped = 0;
  const log = () => void dropped++;
  for (const q of questions.slice(0, options.warmup ?? 20)) await answerQuestion(timed, q, { log });
  dropped = 0;
  const totals: number[] = [];
  const stageSamples: Record<Stage, number[]> = { embed: [], lexical: [], dense: [], fusion: [], answer: [] };
  let refused = 0;
  let citations = 0;
  let searchSum = 0;
  for (const q of questions) {
    timed.last = null;
    const started = performance.now();
    const answer = await answerQuestion(timed, q, { log });
    const total = performance.now() - started;
    const t = (timed.last as SearchResult | null)?.timings ?? { embed: 0, lexical: 0, dense: 0, fusion: 0, total: 0 };
    totals.push(total);
    stageSamples.embed.push(t.embed);
    stageSamples.lexical.push(t.lexical);
    stageSamples.dense.push(t.dense);
    stageSamples.fusion.push(t.fusion);
    stageSamples.answer.push(Math.max(0, total - t.total));
    searchSum += t.total;
    if (answer.refused) refused++;
    citations += answer.citations.length;
  }
  const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
  const all = sum(totals) || 1;
  const shares = Object.fromEntries(STAGES.map((s) => [s, sum(stageSamples[s]) / all])) as Record<Stage | 'other', number>;
  shares.other = Math.max(0, (searchSum - sum(stageSamples.embed) - sum(stageSamples.lexical) - sum(stageSamples.dense) - sum(stageSamples.fusion)) / all);
  return {
    questions: questions.length,
    refused,
    citations,
    droppedQuotes: dropped,
    total: summarize(totals),
    stages: Object.fromEntries(STAGES.map((s) => [s, summarize(stageSamples[s])])) as Record<Stage, LatencySummary>,
    shares,
  };
}

export interface LoadResult {
  concurrency: number;
  answers: number;
  ms: number;
  answersPerSecond: number;
  /** Latency of each answer as its caller saw it (queueing included). */
  latency: LatencySummary;
}

/**
 * Throughput under load: `concurrency` callers each keep one question in flight until `total` answers are done.
 *
 * @example const { answersPerSecond } = await measureConcurrentAnswers(engine, questions, 50, 200);
 */
export async function measureConcurrentAnswers(searcher: Searcher, questions: string[], concurrency = 50, total = 200): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  const log = () => undefined;
  const started = performance.now();
  const worker = async () => {
    while (next < total) {
      const q = questions[next++ % questions.length];
      const t = performance.now();
      await answerQuestion(searcher, q, { log });
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ms = performance.now() - started;
  return { concurrency, answers: latencies.length, ms: Math.round(ms), answersPerSecond: Math.round((latencies.length * 100000) / ms) / 100, latency: summarize(latencies) };
}
