/**
 * This process's memory as Linux reports it: the peak (VmHWM) and current (VmRSS) resident set, in MB.
 * getrusage's maxRSS is not usable for children: a child spawned from a big parent inherits the parent's
 * high-water mark across exec; VmHWM belongs to this program image.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';

function statusMB(field: 'VmHWM' | 'VmRSS'): number | null {
  try {
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : null;
  } catch {
    return null; // not Linux
  }
}

/** Peak resident memory of this process so far, MB. @example peakRssMB() // → 1840 */
export function peakRssMB(): number {
  return statusMB('VmHWM') ?? Math.round(process.resourceUsage().maxRSS / 1024);
}

/** Resident memory now, MB. @example currentRssMB() // → 620 */
export function currentRssMB(): number {
  return statusMB('VmRSS') ?? Math.round(process.memoryUsage().rss / 2 ** 20);
}

/** The 1/5/15-minute load average, rounded to 0.01 (recorded beside every time: the machine is shared). */
export function loadAverage(): number[] {
  return os.loadavg().map((x) => Math.round(x * 100) / 100);
}

/** A full garbage collection when node runs with --expose-gc (then RSS "holding" means live data). */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
