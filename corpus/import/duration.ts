/**
 * Durations as people write them in settings: `90s`, `30m`, `24h`, `7d`, `1h30m`, or plain
 * milliseconds. Used for the re-import schedule (`FUHAN_IMPORT_EVERY`, `fuhan import --every`).
 */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Milliseconds, or null for text that is not a duration.
 *
 * @example
 * parseDuration('24h')   // → 86400000
 * parseDuration('1h30m') // → 5400000
 * parseDuration('soon')  // → null
 */
export function parseDuration(text: string): number | null {
  const trimmed = text.trim().toLowerCase();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  if (!/^(\d+(?:\.\d+)?(ms|s|m|h|d))+$/.test(trimmed)) return null;
  let total = 0;
  for (const [, n, unit] of trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) total += Number(n) * UNIT_MS[unit!]!;
  return Math.round(total);
}
