/**
 * What every argument-less command (`start`, `chat`, `bot`) does first: answer `--help`, refuse
 * stray arguments, and read the environment — each failure one clear line and exit code 2.
 */
import { ConfigError, loadConfig, type Config } from '../config.ts';

/**
 * The exit code when the arguments end the command (`--help`: 0, anything else: 2), else undefined.
 *
 * @example
 * const code = argumentsExitCode('fuhan chat', args, USAGE); if (code !== undefined) return code;
 */
export function argumentsExitCode(command: string, args: string[], usage: string): number | undefined {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(usage);
    return 0;
  }
  if (args.length > 0) {
    console.error(`${command}: unexpected argument ${args[0]}\n\n${usage}`);
    return 2;
  }
  return undefined;
}

/**
 * The configuration, or 2 after printing why the environment is invalid.
 *
 * @example
 * const config = loadConfigOrExitCode('fuhan bot'); if (typeof config === 'number') return config;
 */
export function loadConfigOrExitCode(command: string): Config | number {
  try {
    return loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`${command}: ${err.message}`);
      return 2;
    }
    throw err;
  }
}
