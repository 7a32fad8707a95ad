/**
 * Issue #17, findings 8–12: settings, the command line, `.env` and the npm install, tried the way a
 * user or an operator meets them — `node bin/fuhan.js …` in a child process with a clean environment,
 * npm in a scratch copy of the project. Every run is bounded (a hang fails the test, it does not
 * stall the suite); nothing asserts how fast a command is, only that it ends.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDotEnv } from '../bot/dotEnv.ts';

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'fuhan.js');
const CORPUS = path.join(ROOT, 'corpus', 'letters');
const TOKEN = '123456:FAKE-token_for_settings_tests_only';
/** Longer than any of these commands takes on a loaded machine; reaching it means a hang. */
const BOUND_MS = 90_000;

let work: string;
let indexDir: string;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stderr's non-empty lines. */
  lines: string[];
}

/** The environment without any Fuhan setting, token or npm variable of the test runner's own. */
function cleanEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(([k, v]) => v !== undefined && !k.startsWith('FUHAN_') && k !== 'BOT_TOKEN' && !k.toLowerCase().startsWith('npm_')),
  ) as Record<string, string>;
}

/**
 * `fuhan ARGS` as a user runs it, in `cwd` (default: a scratch folder with no .env), killed at BOUND_MS.
 * A variable given as undefined is left out of the environment.
 */
function fuhan(args: string[], env: Record<string, string | undefined> = {}, options: { cwd?: string; stdin?: string } = {}): Promise<Run> {
  const merged: Record<string, string | undefined> = { ...cleanEnv(), FUHAN_CORPUS: CORPUS, FUHAN_INDEX: indexDir, FUHAN_DENSE: 'off', ...env };
  for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? work,
      env: merged as Record<string, string>,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), BOUND_MS);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, lines: stderr.split('\n').filter((l) => l.trim()) });
    });
    child.stdin.end(options.stdin ?? '');
  });
}

/** Exit code 2 and exactly one line on stderr, which names `variable`. */
function expectSettingError(run: Run, variable: string): string {
  expect(run.signal, 'killed: the command hung').toBeNull();
  expect(run.code, run.stderr).toBe(2);
  expect(run.lines, run.stderr).toHaveLength(1);
  expect(run.lines[0]).toContain(variable);
  expect(run.stderr).not.toMatch(/ZodError|at .*\.ts:\d+|Error:/);
  return run.lines[0]!;
}

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'fuhan-ops-settings-'));
  indexDir = path.join(work, 'index');
  const built = await fuhan(['build']);
  expect(built.code, built.stderr).toBe(0);
}, BOUND_MS + 10_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('finding 8: FUHAN_INDEX=/proc/x ends at once with one clear error (no endless mkdir loop)', () => {
  it.each([['build'], ['ask', 'MOX?']])('fuhan %s', async (...args) => {
    const run = await fuhan(args, { FUHAN_INDEX: '/proc/x' });
    expect(run.signal, 'killed after 90 s: it spins').toBeNull();
    expect(run.code).toBe(1);
    expect(run.lines.at(-1)).toBe('fuhan: cannot create the index folder /proc/x (ENOENT on /proc/x)');
  }, BOUND_MS + 10_000);
});

describe('finding 9: one formatter for every setting error, exit 2 under every command, each command checks only its settings', () => {
  it('FUHAN_MODEL_DTYPE=int3: one line naming the variable and the allowed values, under ask, build and start', async () => {
    for (const args of [['ask', 'MOX?'], ['build'], ['start']]) {
      const line = expectSettingError(await fuhan(args, { FUHAN_MODEL_DTYPE: 'int3' }), 'FUHAN_MODEL_DTYPE');
      expect(line).toBe(`fuhan ${args[0]}: FUHAN_MODEL_DTYPE="int3" is not allowed: fp32, fp16, q8, int8, uint8, q4`);
    }
  }, 3 * BOUND_MS);

  it('FUHAN_WEBHOOK_PORT=abc: "a port number", not "expected number, received NaN", wherever the port is used', async () => {
    const webhook = { BOT_TOKEN: TOKEN, FUHAN_WEBHOOK_PORT: 'abc', FUHAN_WEBHOOK_URL: 'https://bot.example.org/hook', FUHAN_WEBHOOK_SECRET: 'fuhan-secret' };
    for (const [args, env] of [[['bot'], webhook], [['start'], webhook], [['serve'], { FUHAN_WEBHOOK_PORT: 'abc' }]] as const) {
      const line = expectSettingError(await fuhan([...args], env), 'FUHAN_WEBHOOK_PORT');
      expect(line).toBe(`fuhan ${args[0]}: FUHAN_WEBHOOK_PORT="abc" is not allowed: a port number from 1 to 65535`);
    }
  }, 3 * BOUND_MS);

  it('FUHAN_MODEL_DIR=/nonexistent is reported, not ignored', async () => {
    const line = expectSettingError(await fuhan(['ask', 'MOX?'], { FUHAN_MODEL_DIR: '/nonexistent' }), 'FUHAN_MODEL_DIR');
    expect(line).toMatch(/^fuhan ask: FUHAN_MODEL_DIR="\/nonexistent" is not allowed: an existing folder/);
  }, BOUND_MS);

  it('FUHAN_DENSE=on ("require it") is enforced on a lexical-only index, with the same one line under every command', async () => {
    const runs = [await fuhan(['ask', 'MOX?'], { FUHAN_DENSE: 'on' }), await fuhan(['search', 'MOX'], { FUHAN_DENSE: 'on' }), await fuhan(['chat'], { FUHAN_DENSE: 'on' }, { stdin: 'MOX?\n' })];
    for (const run of runs) {
      // Exit 1, not 2: the setting is valid; this index cannot give what it asks (rebuild, or allow auto).
      expect(run.code, run.stderr).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.lines).toEqual([expect.stringMatching(/^fuhan: dense search is required \(FUHAN_DENSE=on \/ --dense on\) but the index at .* was built lexical-only/)]);
    }
  }, 3 * BOUND_MS);

  it('FUHAN_CORPUS=/nonexistent builds nothing and says so, under build and on the first run of ask', async () => {
    const fresh = path.join(work, 'never-built');
    for (const args of [['build'], ['ask', 'MOX?']]) {
      const run = await fuhan(args, { FUHAN_CORPUS: '/nonexistent', FUHAN_INDEX: fresh });
      expect(run.code, run.stderr).toBe(1);
      expect(run.lines.at(-1)).toBe('fuhan: the corpus folder /nonexistent does not exist: the index was not changed (pass --allow-empty to build without it)');
    }
    expect(existsSync(path.join(fresh, 'current'))).toBe(false);
  }, 2 * BOUND_MS);

  it('BOT_TOKEN=abc does not block `fuhan ask` or `fuhan build`, which never use it; the bot refuses it without echoing it', async () => {
    const ask = await fuhan(['ask', 'what has Qingdao done with MOX?'], { BOT_TOKEN: 'abc' });
    expect(ask.code, ask.stderr).toBe(0);
    expect(ask.stdout).toContain('MOX');
    expect((await fuhan(['build'], { BOT_TOKEN: 'abc' })).code).toBe(0);
    const line = expectSettingError(await fuhan(['bot'], { BOT_TOKEN: 'abc' }), 'BOT_TOKEN');
    expect(line).toBe('fuhan bot: BOT_TOKEN (value hidden) is not allowed: a token from @BotFather, like 123456:ABC-DEF…');
  }, 3 * BOUND_MS);
});

describe('finding 10: a command line that behaves conventionally', () => {
  it('--version (and -V) print the version from package.json', async () => {
    const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const run = await fuhan([flag]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toBe(`fuhan ${version} (Node ${process.versions.node})\n`);
    }
  }, 2 * BOUND_MS);

  it('-h and --help work for every command: its own usage on stdout, exit 0, nothing started', async () => {
    const commands = ['start', 'chat', 'ask', 'bot', 'build', 'search', 'eval', 'import', 'serve', 'inspect', 'health'];
    const asks = commands.flatMap((command) => ['-h', '--help'].map((flag) => [command, flag] as const));
    // Four at a time: each is a Node start-up, and the machine is shared.
    for (let i = 0; i < asks.length; i += 4) {
      const batch = asks.slice(i, i + 4);
      const runs = await Promise.all(batch.map(([command, flag]) => fuhan([command, flag], { BOT_TOKEN: TOKEN })));
      runs.forEach((run, j) => {
        const [command, flag] = batch[j]!;
        expect(run.code, `${command} ${flag}: ${run.stderr}`).toBe(0);
        expect(run.stdout.startsWith(`usage: fuhan ${command}`), `${command} ${flag}: ${run.stdout}`).toBe(true);
        expect(run.stderr).toBe('');
      });
    }
  }, 22 * BOUND_MS);

  it('unknown flags, commands and missing values are said in its own words, exit 2', async () => {
    const cases: [string[], string][] = [
      [['ask', 'MOX?', '--frobnicate'], 'fuhan ask: unknown option --frobnicate (see `fuhan ask --help`)'],
      [['build', '--frob'], 'fuhan build: unknown option --frob (see `fuhan build --help`)'],
      [['search', 'MOX', '--k'], 'fuhan search: --k needs a value (see `fuhan search --help`)'],
      [['ask'], 'fuhan ask: no question given (see `fuhan ask --help`)'],
    ];
    for (const [args, message] of cases) {
      const run = await fuhan(args);
      expect(run.code, run.stderr).toBe(2);
      expect(run.lines).toEqual([message]);
      expect(run.stderr).not.toMatch(/ERR_PARSE_ARGS|TypeError/);
    }
    const unknown = await fuhan(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.lines[0]).toBe('fuhan: unknown command "frobnicate"');
  }, 5 * BOUND_MS);

  it('--full and --compact together are refused, and nothing is built', async () => {
    const run = await fuhan(['build', '--full', '--compact']);
    expect(run.code).toBe(2);
    expect(run.lines).toEqual(['fuhan build: --full and --compact cannot be used together (see `fuhan build --help`)']);
  }, BOUND_MS);

  it('inspect exits non-zero on a missing path and names it, once', async () => {
    const run = await fuhan(['inspect', '/nonexistent/letter.txt']);
    expect(run.code).toBe(1);
    expect(run.lines).toEqual(['fuhan inspect: no such file or directory: /nonexistent/letter.txt']);
    const some = await fuhan(['inspect', path.join(CORPUS, readdirSync(CORPUS)[0]!)]);
    expect(some.code, some.stderr).toBe(0);
  }, 2 * BOUND_MS);

  it('piped `fuhan chat`: only answers on stdout, the banner on stderr', async () => {
    const run = await fuhan(['chat'], {}, { stdin: 'what has Qingdao done with MOX?\n' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('reply letters loaded');
    expect(run.stdout).not.toMatch(/reply letters loaded|BotFather|npm start|\/help/);
    expect(run.stdout).toContain('MOX');
  }, BOUND_MS);
});

describe('finding 11: a malformed .env line is reported by number, and never eats the next line', () => {
  const envDir = (text: string) => {
    const dir = mkdtempSync(path.join(work, 'dotenv-'));
    writeFileSync(path.join(dir, '.env'), text);
    return dir;
  };

  it('an unclosed quote: exit 2 naming the line; the same file fixed is read line by line', async () => {
    const bad = await fuhan(['health'], { FUHAN_DENSE: undefined }, { cwd: envDir(`FUHAN_LOG_LEVEL=info\nFUHAN_DENSE="off\nFUHAN_INDEX=${path.join(work, 'elsewhere')}\n`) });
    expect(expectSettingError(bad, '.env')).toBe('fuhan health: .env line 2: the opening " of FUHAN_DENSE\'s value is not closed on that line');
    // Fixed: the line after the quoted value is its own setting (the health check looks at that index, not the default one).
    const good = await fuhan(['health'], { FUHAN_INDEX: undefined, FUHAN_DENSE: undefined }, { cwd: envDir(`FUHAN_LOG_LEVEL=info\nFUHAN_DENSE="off"\nFUHAN_INDEX=${path.join(work, 'elsewhere')}\n`) });
    expect(good.code).toBe(1);
    expect(good.stdout).toContain(`no index at ${path.join(work, 'elsewhere')}`);
  }, 2 * BOUND_MS);

  it('a line without "=" and text after a closing quote are reported too; the real environment wins over .env', async () => {
    expect(() => parseDotEnv('A=1\nFUHAN_DENSE\nB=2')).toThrow('.env line 2: expected NAME=value');
    expect(() => parseDotEnv("A='x' y\nB=2")).toThrow(".env line 1: text after the closing ' of A's value");
    expect(parseDotEnv('# comment\nexport A="two words" # note\nB=\'x\'\n\nC=3')).toEqual({ A: 'two words', B: 'x', C: '3' });
    const run = await fuhan(['health'], { FUHAN_INDEX: indexDir }, { cwd: envDir('FUHAN_INDEX=/nonexistent/index\n') });
    expect(run.code, run.stdout).toBe(0);
  }, BOUND_MS);
});

describe('finding 12: the install prints no npm warning and leaves package-lock.json as it is', () => {
  it('no project .npmrc with unknown keys; onnxruntime-node\'s download is skipped through allowScripts', () => {
    const npmrc = path.join(ROOT, '.npmrc');
    if (existsSync(npmrc)) expect(readFileSync(npmrc, 'utf8')).not.toMatch(/onnxruntime/);
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { allowScripts?: Record<string, boolean> };
    expect(pkg.allowScripts?.['onnxruntime-node']).toBe(false);
  });

  it('`npm install` in a copy of the project: no "npm warn", and the lockfile is byte for byte the same', () => {
    // The lockfile step of `npm install` (what rewrote the key order), offline and with an empty
    // cache and no user config: it needs no network and no node_modules, so it runs the same in CI.
    const copy = mkdtempSync(path.join(work, 'npm-'));
    for (const f of ['package.json', 'package-lock.json', '.npmrc']) if (existsSync(path.join(ROOT, f))) cpSync(path.join(ROOT, f), path.join(copy, f));
    const npmCli = process.env.npm_execpath && /npm-cli\.js$/.test(process.env.npm_execpath) ? [process.execPath, process.env.npm_execpath] : ['npm'];
    mkdirSync(path.join(copy, 'cache'));
    const run = spawnSync(npmCli[0]!, [...npmCli.slice(1), 'install', '--package-lock-only', '--ignore-scripts', '--offline', '--no-audit', '--no-fund', '--cache', path.join(copy, 'cache'), '--userconfig', path.join(copy, 'no-npmrc')], {
      cwd: copy,
      env: cleanEnv(),
      encoding: 'utf8',
      timeout: BOUND_MS,
    });
    if (run.error && (run.error as NodeJS.ErrnoException).code === 'ENOENT') {
      console.warn('npm is not on PATH: the install check was skipped');
      return;
    }
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/npm warn/i);
    expect(readFileSync(path.join(copy, 'package-lock.json'), 'utf8')).toBe(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));
  }, BOUND_MS + 10_000);
});
