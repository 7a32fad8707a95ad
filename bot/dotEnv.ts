/**
 * Settings from a `.env` file (dotenv syntax: `NAME=value`, `export NAME=value`, quotes, `# comments`).
 * Every line is checked first, so a malformed one is reported by number instead of silently eating
 * the next line (Node's `loadEnvFile` and dotenv both let an unclosed quote run on into the following
 * lines). Multi-line values are not supported: no Fuhan setting needs one.
 *
 * @example
 * readDotEnv('.env') // → { BOT_TOKEN: '123456:ABC…', FUHAN_DENSE: 'off' }; {} when there is no file
 * // BOT_TOKEN="123 → ConfigError: .env line 1: the opening " of BOT_TOKEN's value is not closed on that line
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'dotenv';
import { ConfigError } from './config.ts';

const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/;

/**
 * The problem with one `.env` line, or null when it is blank, a comment or a well-formed assignment.
 *
 * @example
 * dotEnvLineProblem('FOO') // → 'expected NAME=value'
 */
export function dotEnvLineProblem(line: string): string | null {
  if (/^\s*(#.*)?$/.test(line)) return null;
  const m = ASSIGNMENT.exec(line);
  if (!m) return 'expected NAME=value';
  const [, name, value] = m as unknown as [string, string, string];
  const quote = value[0];
  if (quote === '"' || quote === "'" || quote === '`') {
    const close = value.indexOf(quote, 1);
    if (close < 0) return `the opening ${quote} of ${name}'s value is not closed on that line`;
    if (!/^\s*(#.*)?$/.test(value.slice(close + 1))) return `text after the closing ${quote} of ${name}'s value`;
  }
  return null;
}

/**
 * Parses `.env` text after checking every line; throws ConfigError naming the first bad line.
 *
 * @example
 * parseDotEnv('A=1\n# note\nB="two words"') // → { A: '1', B: 'two words' }
 */
export function parseDotEnv(text: string, file = '.env'): Record<string, string> {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((line, i) => {
    const problem = dotEnvLineProblem(line);
    if (problem) throw new ConfigError(file, 'NAME=value lines', `${file} line ${i + 1}: ${problem}`);
  });
  return parse(text);
}

/** The settings in `file`, or {} when there is none. */
export function readDotEnv(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  return parseDotEnv(readFileSync(file, 'utf8'), file);
}
