/**
 * Issue #17, finding 13: the image. No Docker engine runs the tests, so the Dockerfile is read (base,
 * init, health check, what it copies and prunes) and its ENTRYPOINT + CMD and HEALTHCHECK commands
 * are run the way the container runs them: with the image's ENV (its /data moved to a scratch
 * folder), stdin on /dev/null as under `docker run -d`, and under tini as PID 1 of a new PID
 * namespace when this machine has tini and `unshare` (otherwise that part is skipped, and says so).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeBotApi } from './support/fakeBotApi.ts';

const ROOT = path.resolve(__dirname, '..');
const DOCKERFILE = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
const TINI = '/usr/bin/tini';
const BOUND_MS = 90_000;

/** The Dockerfile's instructions, continuation lines joined, comments dropped. */
function instructions(text: string): { op: string; args: string }[] {
  return text
    .replace(/\\\n(\s*#.*\n)*/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [op, ...rest] = l.split(/\s+/);
      return { op: op!.toUpperCase(), args: rest.join(' ') };
    });
}

const ALL = instructions(DOCKERFILE);
/** The last stage: the image that runs. */
const RUNTIME = ALL.slice(ALL.map((i) => i.op).lastIndexOf('FROM'));
const exec = (op: string): string[] => JSON.parse(RUNTIME.findLast((i) => i.op === op)!.args.replace(/^.*?CMD\s+/, '')) as string[];

/** The runtime stage's ENV, /data moved under `dataDir`. */
function imageEnv(dataDir: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { args } of RUNTIME.filter((i) => i.op === 'ENV')) {
    for (const m of args.matchAll(/(\w+)=(\S+)/g)) env[m[1]!] = m[2]!.replace(/^\/data\b/, dataDir);
  }
  return env;
}

let work: string;
let env: Record<string, string>;

/** A command of the image (argv as in the Dockerfile, `node` being this Node) in the app folder with the image's environment only. */
function inImage(argv: string[], extra: Record<string, string> = {}, stdin: 'ignore' | 'pipe' = 'ignore'): ChildProcess {
  const base = { PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`, HOME: work, ...env, ...extra };
  const resolved = argv.map((a) => (a === 'node' ? process.execPath : a));
  return spawn(resolved[0]!, resolved.slice(1), { cwd: ROOT, env: base, stdio: [stdin, 'pipe', 'pipe'] });
}

/** Output and exit code; `hung` when it had to be killed at BOUND_MS. */
function finish(child: ChildProcess): Promise<{ code: number | null; stdout: string; stderr: string; hung: boolean }> {
  let stdout = '';
  let stderr = '';
  let hung = false;
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => ((hung = true), child.kill('SIGKILL')), BOUND_MS);
  return new Promise((resolve) => child.on('close', (code) => (clearTimeout(timer), resolve({ code, stdout, stderr, hung }))));
}

/** Whether this machine can run a process as PID 1 of a new PID namespace (root, or user namespaces). */
function pidNamespace(): string[] | null {
  for (const flags of [['-p', '-f', '--mount-proc'], ['-U', '-r', '-p', '-f', '--mount-proc']]) {
    const probe = spawnSync('unshare', [...flags, 'true'], { timeout: 10_000 });
    if (probe.status === 0) return ['unshare', ...flags];
  }
  return null;
}

beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'fuhan-ops-image-'));
  env = imageEnv(path.join(work, 'data'));
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('finding 13: the Dockerfile', () => {
  it('every stage is on Node 24 (the current LTS), none on Node 20', () => {
    const bases = ALL.filter((i) => i.op === 'FROM').map((i) => i.args);
    expect(bases.length).toBeGreaterThan(0);
    for (const base of bases) expect(base).toMatch(/^node:24[-.\w]*(\s+AS\s+\w+)?$/i);
  });

  it('tini is PID 1, the HEALTHCHECK is `fuhan health`, the CMD is `fuhan start`', () => {
    expect(RUNTIME.some((i) => i.op === 'RUN' && /apt-get install .*\btini\b/.test(i.args))).toBe(true);
    expect(exec('ENTRYPOINT')).toEqual([TINI, '--']);
    const health = RUNTIME.find((i) => i.op === 'HEALTHCHECK')!;
    expect(health.args).toMatch(/--interval=\S+ .*--timeout=\S+/);
    expect(exec('HEALTHCHECK')).toEqual(['node', 'bin/fuhan.js', 'health']);
    expect(exec('CMD')).toEqual(['node', 'bin/fuhan.js', 'start']);
    expect(RUNTIME.find((i) => i.op === 'USER')?.args).toBe('node');
  });

  it('installs production dependencies only, prunes onnxruntime-web, and prints no npm warning on the way', () => {
    const install = ALL.find((i) => i.op === 'RUN' && /npm ci\b/.test(i.args))!.args;
    expect(install).toMatch(/npm ci --omit=dev/);
    expect(install).toMatch(/rm -rf [^&]*node_modules\/onnxruntime-web/);
    expect(install).not.toMatch(/--force/);
    expect(ALL.some((i) => i.op === 'ENV' && /ONNXRUNTIME_NODE_INSTALL=skip/.test(i.args))).toBe(true);
    // What makes the prune safe: Node's build of transformers.js never loads onnxruntime-web as a module.
    const node = readFileSync(path.join(ROOT, 'node_modules/@huggingface/transformers/dist/transformers.node.mjs'), 'utf8');
    expect(node).toMatch(/requireFromHere\("onnxruntime-node"\)/);
    expect(node).not.toMatch(/(from\s*|require\w*\(\s*|import\(\s*)["']onnxruntime-web/);
  });

  it('copies only what exists, and the build context leaves out node_modules, .env and .git', () => {
    const ignored = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
    for (const entry of ['node_modules', '.env', '.git']) expect(ignored).toContain(entry);
    for (const { args } of RUNTIME.concat(ALL).filter((i) => i.op === 'COPY' && !i.args.startsWith('--from'))) {
      const sources = args.split(/\s+/).slice(0, -1);
      for (const source of sources) {
        expect(existsSync(path.join(ROOT, source)), `COPY ${source}`).toBe(true);
        expect(ignored, `COPY ${source} is excluded by .dockerignore`).not.toContain(source);
      }
    }
  });
});

describe('finding 13: the image\'s commands, run as the container runs them', () => {
  const entrypoint = existsSync(TINI) ? exec('ENTRYPOINT') : [];

  it('`docker run -d` without BOT_TOKEN: exit 2 and a line saying what to do, not the chat banner and exit 0', async () => {
    if (!existsSync(TINI)) console.warn(`${TINI} is not installed: the CMD runs without its ENTRYPOINT`);
    // tini as PID 1 when the machine allows it; else as a subreaper (tini warns on stderr when it is neither).
    const unshare = entrypoint.length ? pidNamespace() : null;
    const run = await finish(inImage([...(unshare ?? []), ...entrypoint, ...exec('CMD')], unshare ? {} : { TINI_SUBREAPER: '1' }));
    expect(run.code, run.stderr).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^fuhan start: BOT_TOKEN is not set and there is no terminal for the chat\..*docker run -e BOT_TOKEN=.*docker run -it/)]);
    expect(run.stderr).not.toMatch(/npm start|reply letters loaded/);
  }, BOUND_MS);

  it('HEALTHCHECK: unhealthy before the index exists, healthy once it is built; in bot mode, unhealthy until the bot reached the API', async () => {
    const before = await finish(inImage(exec('HEALTHCHECK')));
    expect(before.code).toBe(1);
    expect(before.stdout).toMatch(/^unhealthy: index FAILED \(no index at .*\/data\/index/);
    // Lexical-only: with a network, the image's default (dense auto) would fetch the embedding model first.
    const built = await finish(inImage(['node', 'bin/fuhan.js', 'build'], { FUHAN_DENSE: 'off' }));
    expect(built.code, built.stderr).toBe(0);
    const after = await finish(inImage(exec('HEALTHCHECK')));
    expect(after.code, after.stdout).toBe(0);
    expect(after.stdout).toMatch(/^healthy: index ok \(2 letters at .*\/data\/index\)/);
    const bot = await finish(inImage(exec('HEALTHCHECK'), { BOT_TOKEN: '123456:FAKE-token_for_image_tests_only' }));
    expect(bot.code).toBe(1);
    expect(bot.stdout).toContain(`bot FAILED (no bot status at ${env.FUHAN_STATUS_FILE}`);
  }, 4 * BOUND_MS);

  it('HEALTHCHECK in bot mode: healthy while the bot polls (a fake Bot API on 127.0.0.1), unhealthy once it stopped', async () => {
    const fake = await new FakeBotApi().start();
    const bot = { BOT_TOKEN: '123456:FAKE-token_for_image_tests_only', FUHAN_TELEGRAM_API: fake.url, FUHAN_DENSE: 'off' };
    const child = inImage(exec('CMD'), bot);
    const run = finish(child);
    try {
      await fake.waitFor(() => fake.callsOf('getUpdates').length > 0, BOUND_MS, 'the bot polling');
      const polling = await finish(inImage(exec('HEALTHCHECK'), bot));
      expect(polling.code, polling.stdout).toBe(0);
      expect(polling.stdout).toMatch(/^healthy: index ok .*; bot ok \(@FuhanFakeBot polling, Bot API reached \d+ s ago\)/);
      child.kill('SIGTERM');
      expect((await run).code).toBe(0);
      const stopped = await finish(inImage(exec('HEALTHCHECK'), bot));
      expect(stopped.code).toBe(1);
      expect(stopped.stdout).toContain('bot FAILED (the bot has stopped)');
    } finally {
      child.kill('SIGKILL');
      await fake.stop();
    }
  }, 3 * BOUND_MS);

  it('`docker stop` (SIGTERM to PID 1): the chat under tini ends at once; Node itself as PID 1 would ignore it', async () => {
    const unshare = pidNamespace();
    if (!unshare || !existsSync(TINI)) {
      console.warn(`skipped: ${!existsSync(TINI) ? `${TINI} is not installed` : 'no PID namespace (unshare -p) on this machine'}`);
      return;
    }
    // The index exists (previous test), so the chat starts at once; stdin stays open, as under `docker run -it`.
    const asPid1 = async (argv: string[]) => {
      const child = inImage([...unshare, ...argv], { FUHAN_DENSE: 'off' }, 'pipe');
      const run = finish(child);
      let stderr = '';
      child.stderr!.on('data', (d) => (stderr += d));
      const deadline = Date.now() + BOUND_MS;
      while (!/reply letters loaded/.test(stderr)) {
        if (Date.now() > deadline) throw new Error(`the chat did not start: ${stderr}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const pid1 = Number(readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/)[0]);
      process.kill(pid1, 'SIGTERM');
      return { child, run, pid1 };
    };

    const bare = await asPid1(exec('CMD'));
    await new Promise((r) => setTimeout(r, 3000));
    // The finding: PID 1 gets no default signal actions, so Node without a handler runs on until SIGKILL.
    expect(bare.child.exitCode).toBeNull();
    process.kill(bare.pid1, 'SIGKILL');
    await bare.run;

    const withInit = await asPid1([...exec('ENTRYPOINT'), ...exec('CMD')]);
    const ended = await withInit.run;
    // tini passes the signal on; Node (PID 2 now) takes SIGTERM's default action, and tini reports it (128 + 15).
    expect(ended.hung).toBe(false);
    expect(ended.code).toBe(143);
  }, 3 * BOUND_MS);
});
