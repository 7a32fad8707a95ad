/**
 * Search filters (issuer, year, kind, letter ids) → a mask over letters.
 */
import type { Letter } from '../corpus/letter.ts';
import { normalizeForMatch } from './lexical/normalizeForMatch.ts';
import type { SearchFilters } from './searchTypes.ts';

/**
 * A 0/1 flag per letter, or undefined when no filter is set (everything allowed).
 *
 * @example
 * letterFilterMask(letters, { issuer: '青岛', year: 2024 }) // → Uint8Array [0, 1, …]
 */
export function letterFilterMask(letters: Letter[], filters?: SearchFilters): Uint8Array | undefined {
  if (!filters || Object.values(filters).every((v) => v === undefined)) return undefined;
  const issuer = filters.issuer ? normalizeForMatch(filters.issuer) : undefined;
  const ids = filters.letters ? new Set(filters.letters) : undefined;
  return Uint8Array.from(letters, (l) => {
    if (issuer && !normalizeForMatch(`${l.issuer ?? ''} ${l.title}`).includes(issuer)) return 0;
    if (filters.year !== undefined && Number((l.date ?? l.published ?? '').slice(0, 4)) !== filters.year) return 0;
    if (filters.kind && l.kind !== filters.kind) return 0;
    if (ids && !ids.has(l.id)) return 0;
    return 1;
  });
}
