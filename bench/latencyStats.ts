/**
 * Latency summaries: percentiles of a list of millisecond samples.
 */
import { percentile } from '../bot/evaluation/retrievalMetrics.ts';

export interface LatencySummary {
  n: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/**
 * n, mean, p50, p95, p99 and max of samples (ms), rounded to 0.01.
 *
 * @example summarize([3, 1, 2]).p50 // → 2
 */
export function summarize(samples: number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 100) / 100;
  const mean = sorted.reduce((a, b) => a + b, 0) / (sorted.length || 1);
  return {
    n: sorted.length,
    mean: round(mean),
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? 0),
  };
}
