/**
 * What every command does first: read its options (one wording for every mistake), answer
 * `-h`/`--help`, and read the settings it uses. A mistake in the arguments throws `UsageError` and a
 * bad setting `ConfigError`; bot/cli.ts prints either in one line and exits 2.
 */
import { ConfigError, loadConfig, type Config, type SettingGroup } from '../config.ts';

/** A mistake on the command line; bot/cli.ts prints it with a pointer to `--help` and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** A string option given several times collects every value. */
  multiple?: boolean;
  /** One-letter alias (`h` for `-h`). */
  short?: string;
}

export interface ParseOptions<S extends Record<string, OptionSpec>> {
  options: S;
  /** Accept words that are not options (a question, file paths); default false. */
  positionals?: boolean;
  /** Options that may not be given together, e.g. `[['full', 'compact']]`. */
  exclusive?: (keyof S & string)[][];
}

type ValueOf<O extends OptionSpec> = O['type'] extends 'boolean' ? boolean : O['multiple'] extends true ? string[] : string;
export type ParsedOptions<S extends Record<string, OptionSpec>> = { values: { [K in keyof S]?: ValueOf<S[K]> }; positionals: string[] };

/**
 * Parses `--name value`, `--name=value`, `-h` and `--` (the rest are words); every mistake is a
 * UsageError in our own words.
 *
 * @example
 * parseOptions(['--k', '5', 'MOX?'], { options: { k: { type: 'string' } }, positionals: true })
 * // → { values: { k: '5' }, positionals: ['MOX?'] }
 * parseOptions(['--full', '--compact'], { options: { full: { type: 'boolean' }, compact: { type: 'boolean' } }, exclusive: [['full', 'compact']] })
 * // throws UsageError('--full and --compact cannot be used together')
 */
export function parseOptions<S extends Record<string, OptionSpec>>(args: string[], spec: ParseOptions<S>): ParsedOptions<S> {
  const values: Record<string, unknown> = {};
  const positionals: string[] = [];
  const byShort = new Map(Object.entries(spec.options).flatMap(([name, o]) => (o.short ? [[o.short, name] as const] : [])));
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    const long = /^--([^=]+)(?:=([\s\S]*))?$/.exec(arg);
    const short = long ? null : /^-([A-Za-z])$/.exec(arg);
    if (!long && !short) {
      if (arg.startsWith('-') && arg.length > 1 && !/^-\d/.test(arg)) throw new UsageError(`unknown option ${arg}`);
      if (!spec.positionals) throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
      positionals.push(arg);
      continue;
    }
    const name = long ? long[1]! : byShort.get(short![1]!);
    const option = name === undefined ? undefined : spec.options[name];
    if (!option || name === undefined) throw new UsageError(`unknown option ${long ? `--${long[1]}` : arg}`);
    if (option.type === 'boolean') {
      if (long?.[2] !== undefined) throw new UsageError(`--${name} takes no value`);
      values[name] = true;
      continue;
    }
    let value = long?.[2];
    if (value === undefined) {
      const next = args[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) throw new UsageError(`--${name} needs a value`);
      value = next;
      i++;
    }
    if (option.multiple) values[name] = [...((values[name] as string[] | undefined) ?? []), value];
    else values[name] = value;
  }
  for (const group of spec.exclusive ?? []) {
    const given = group.filter((name) => values[name] !== undefined);
    if (given.length > 1) throw new UsageError(`${given.map((n) => `--${n}`).join(' and ')} cannot be used together`);
  }
  return { values, positionals } as ParsedOptions<S>;
}

/** Whether the arguments ask for help (`-h` or `--help` before any `--`). */
export function wantsHelp(args: string[]): boolean {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

/**
 * The exit code when the arguments end the command (`--help`: 0), else undefined; anything else
 * given to a command that takes no arguments is a UsageError.
 *
 * @example
 * const code = argumentsExitCode('fuhan chat', args, USAGE); if (code !== undefined) return code;
 */
export function argumentsExitCode(_command: string, args: string[], usage: string): number | undefined {
  if (wantsHelp(args)) {
    console.log(usage);
    return 0;
  }
  if (args.length > 0) throw new UsageError(args[0]!.startsWith('-') ? `unknown option ${args[0]}` : `unexpected argument ${JSON.stringify(args[0])}`);
  return undefined;
}

/**
 * The configuration of the groups a command uses, or 2 after printing why a setting is invalid.
 *
 * @example
 * const config = loadConfigOrExitCode('fuhan bot'); if (typeof config === 'number') return config;
 */
export function loadConfigOrExitCode(command: string, groups?: readonly SettingGroup[]): Config | number {
  try {
    return loadConfig(process.env, { groups });
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`${command}: ${err.message}`);
      return 2;
    }
    throw err;
  }
}
