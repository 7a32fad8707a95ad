/**
 * Per-client rate limiting: a token bucket per client address. Each request takes a token; tokens
 * come back at `perMinute / 60` per second up to `burst`. A client past its budget is told when to
 * come back (429 + Retry-After) instead of being served slowly — a question costs the engine
 * milliseconds, a flood of them costs everyone else.
 */

export interface RateLimitOptions {
  /** Sustained requests per minute per client (default 120). */
  perMinute?: number;
  /** Requests a client may make at once before the rate applies (default 40). */
  burst?: number;
  /** Clients remembered at most; the least recently seen are forgotten first (default 10,000). */
  maxClients?: number;
  /** Clock in milliseconds (tests). */
  now?: () => number;
}

/** What `take` says: go ahead, or wait this many seconds. */
export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

export const DEFAULT_RATE_LIMIT = { perMinute: 120, burst: 40, maxClients: 10_000 } as const;

/**
 * @example
 * const limiter = new RateLimiter({ perMinute: 60, burst: 2 });
 * limiter.take('1.2.3.4'); limiter.take('1.2.3.4'); limiter.take('1.2.3.4') // → { ok: false, retryAfterSeconds: 1 }
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;
  private readonly burst: number;
  private readonly maxClients: number;
  private readonly now: () => number;

  constructor(options: RateLimitOptions = {}) {
    this.perMs = (options.perMinute ?? DEFAULT_RATE_LIMIT.perMinute) / 60_000;
    this.burst = options.burst ?? DEFAULT_RATE_LIMIT.burst;
    this.maxClients = options.maxClients ?? DEFAULT_RATE_LIMIT.maxClients;
    this.now = options.now ?? Date.now;
  }

  /** Takes one token for `client`. */
  take(client: string): RateDecision {
    const now = this.now();
    const previous = this.buckets.get(client);
    const tokens = previous ? Math.min(this.burst, previous.tokens + (now - previous.at) * this.perMs) : this.burst;
    // Re-inserted on every request, so the Map's order is least recently seen first.
    this.buckets.delete(client);
    if (this.buckets.size >= this.maxClients) this.buckets.delete(this.buckets.keys().next().value!);
    if (tokens < 1) {
      this.buckets.set(client, { tokens, at: now });
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / this.perMs / 1000)) };
    }
    this.buckets.set(client, { tokens: tokens - 1, at: now });
    return { ok: true };
  }
}
