/**
 * A small seeded PRNG (mulberry32) for the benchmark workload: the same seed always yields the same corpus,
 * questions and vectors, so runs on different machines measure the same work.
 */
export class SeededRandom {
  private state: number;
  private spare: number | null = null;

  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
  }

  /**
   * Uniform in [0, 1).
   *
   * @example new SeededRandom(1).next() // → 0.627… (always the same)
   */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max] (both included). @example rng.int(1, 6) */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** One element of a non-empty list. @example rng.pick(['a', 'b']) */
  pick<T>(list: readonly T[]): T {
    if (list.length === 0) throw new Error('SeededRandom.pick: empty list');
    return list[Math.floor(this.next() * list.length)];
  }

  /** `n` distinct elements (or all of them when the list is shorter). @example rng.sample(ids, 3) */
  sample<T>(list: readonly T[], n: number): T[] {
    const copy = [...list];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy.slice(0, Math.min(n, copy.length));
  }

  /** Standard normal (Box–Muller). @example rng.normal() */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    const u = this.next() || 1e-12;
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
}

/**
 * A seed derived from a string and a number (FNV-1a), so each letter or question gets its own stream.
 *
 * @example new SeededRandom(seedOf('letter', 42))
 */
export function seedOf(label: string, n: number): number {
  let h = 0x811c9dc5;
  for (const ch of `${label}:${n}`) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
