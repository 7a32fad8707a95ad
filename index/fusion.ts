/**
 * Reciprocal-rank fusion: each channel contributes weight / (k + rank) for every item it ranked.
 * Robust to channels whose scores are on different scales (BM25 vs cosine).
 */

/** One channel's ranking: item ids, best first. */
export interface RankedList {
  ids: number[];
  weight: number;
}

/** Parameters of reciprocal-rank fusion. */
export interface FusionParams {
  /** The rank offset (60 in the original paper; smaller trusts the top ranks more). */
  k: number;
  /** Weight of the lexical channel. */
  lexicalWeight: number;
  /** Weight of the dense channel. */
  denseWeight: number;
}

export const DEFAULT_FUSION: FusionParams = { k: 20, lexicalWeight: 1, denseWeight: 0.6 };

/**
 * Fuses rankings into one, best first.
 *
 * @example
 * fuseRankings([{ ids: [3, 1], weight: 1 }, { ids: [1, 2], weight: 1 }], 60) // → [{ id: 1, … }, { id: 3, … }, { id: 2, … }]
 */
export function fuseRankings(lists: RankedList[], k: number): { id: number; score: number }[] {
  const scores = new Map<number, number>();
  for (const { ids, weight } of lists) {
    ids.forEach((id, i) => scores.set(id, (scores.get(id) ?? 0) + weight / (k + i + 1)));
  }
  return [...scores].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score || a.id - b.id);
}
