/** The `--dense off|on|auto` option, shared by build, search and eval. */
import type { DenseMode } from '../../index/buildIndex.ts';
import { UsageError } from './commandSetup.ts';

/**
 * @example
 * parseDenseMode('auto') // → 'auto'
 */
export function parseDenseMode(value: string | undefined): DenseMode {
  if (value === undefined) return 'auto';
  if (value === 'off' || value === 'on' || value === 'auto') return value;
  throw new UsageError(`--dense must be off, on or auto (got "${value}")`);
}
