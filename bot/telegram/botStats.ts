/**
 * Counters for /stats: questions served and answer latency (median over a sliding window).
 */

/**
 * @example
 * const stats = new BotStats();
 * stats.recordAnswer(120); stats.recordAnswer(80);
 * stats.snapshot().questions // → 2
 */
export class BotStats {
  readonly startedAt = Date.now();
  private questions = 0;
  private readonly latencies: number[] = [];

  constructor(private readonly window = 500) {}

  /** One answered question and how long it took, in milliseconds. */
  recordAnswer(ms: number): void {
    this.questions++;
    this.latencies.push(ms);
    if (this.latencies.length > this.window) this.latencies.shift();
  }

  snapshot(now = Date.now()): { questions: number; p50Ms: number | null; uptimeMs: number } {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const p50 = sorted.length === 0 ? null : sorted[Math.floor((sorted.length - 1) / 2)]!;
    return { questions: this.questions, p50Ms: p50, uptimeMs: now - this.startedAt };
  }
}

/**
 * Human duration: 3d 4h, 2h 5m, 42s.
 *
 * @example
 * formatDuration(3_725_000) // → '1h 2m'
 */
export function formatDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
}
