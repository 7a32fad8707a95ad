/**
 * Measurements that need a fresh process to be honest: cold start (process start → first answer) and the peak
 * resident memory of a process holding an index.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HoldReport } from './holdIndex.ts';
import type { IncrementalResult } from './incrementalRebuild.ts';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Runs a command to its end. With `watchMemory`, the child's peak resident memory (Linux VmHWM, read every 20 ms
 * while it runs; the high-water mark only rises, so the last reading is at most 20 ms early) is returned too.
 * `progress` (optional) receives the child's stderr lines as they come (long probes report progress there).
 *
 * @example const r = await runWatched(process.execPath, ['probe.js'], process.env, true); r.peakRssMB
 */
export function runWatched(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  watchMemory = false,
  progress?: (line: string) => void,
): Promise<{ code: number | null; stdout: string; stderr: string; ms: number; peakRssMB: number | null }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peakKB = 0;
    const watch = watchMemory
      ? setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (m) peakKB = Math.max(peakKB, Number(m[1]));
          } catch {
            // the process has just ended, or this is not Linux
          }
        }, 20)
      : null;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      if (progress) for (const line of String(d).split('\n')) if (line.trim()) progress(line);
      stderr += d;
    });
    child.on('error', (e) => {
      if (watch) clearInterval(watch);
      reject(e);
    });
    child.on('close', (code) => {
      if (watch) clearInterval(watch);
      resolve({ code, stdout, stderr, ms: performance.now() - started, peakRssMB: peakKB ? Math.round(peakKB / 1024) : null });
    });
  });
}

export interface ProbeOptions {
  corpusDir: string;
  indexDir: string;
  dense: 'off' | 'on';
  model: { localModelPath: string; modelId: string } | null;
  questions: string[];
}

/**
 * Runs bench/holdIndex.ts in a child process and returns its report (wall time of the whole child added): the
 * compiled probe when given (see bin/buildEntryBundle.js), else the TypeScript through tsx.
 *
 * @example const r = await probeIndexProcess(compiled.entryFile, { corpusDir, indexDir, dense: 'on', model, questions });
 */
export async function probeIndexProcess(compiledProbe: string | null, options: ProbeOptions): Promise<HoldReport & { wallMs: number }> {
  const args = compiledProbe ? [compiledProbe] : ['--import', 'tsx', path.join('bench', 'holdIndex.ts')];
  const r = await runWatched(process.execPath, [...args, JSON.stringify(options)], process.env);
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  if (r.code !== 0 || !line.startsWith('{')) throw new Error(`bench/holdIndex.ts failed (exit ${r.code}): ${r.stderr.trim().slice(-500)}`);
  return { ...(JSON.parse(line) as HoldReport), wallMs: Math.round(r.ms) };
}

/**
 * Runs bench/rebuildProbe.ts (change one letter → `buildIndex` → restore → `buildIndex`) in a child process.
 *
 * @example const r = await probeIncrementalRebuild({ corpusDir, letterFile: 'letter-05000.txt', indexDir, model });
 */
export async function probeIncrementalRebuild(options: {
  corpusDir: string;
  letterFile: string;
  indexDir: string;
  model: { localModelPath: string; modelId: string } | null;
}): Promise<IncrementalResult & { modelLoadMs: number }> {
  const r = await runWatched(process.execPath, ['--import', 'tsx', path.join('bench', 'rebuildProbe.ts'), JSON.stringify(options)], process.env);
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  if (r.code !== 0 || !line.startsWith('{')) throw new Error(`bench/rebuildProbe.ts failed (exit ${r.code}): ${r.stderr.trim().slice(-500)}`);
  return JSON.parse(line) as IncrementalResult & { modelLoadMs: number };
}

export interface AskColdStart {
  /** Spawn → exit of `node bin/fuhan.js ask QUESTION --json`, per run. */
  runsMs: number[];
  /** Peak resident memory of each run's process (index, model and one answer), MB; null where it could not be read. */
  peakRssMB: (number | null)[];
  /** Whether the output was a parsed answer. */
  ok: boolean;
}

/**
 * Cold start as a user sees it: `fuhan ask` in a fresh process against a built index, `runs` times.
 *
 * @example const { runsMs } = await askColdStart({ corpusDir, indexDir, dense: 'on', model, questions: [q] }, 3);
 */
export async function askColdStart(options: ProbeOptions, runs = 3): Promise<AskColdStart> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    FUHAN_CORPUS: options.corpusDir,
    FUHAN_INDEX: options.indexDir,
    FUHAN_DENSE: options.dense,
    FUHAN_OFFLINE: '1',
  };
  delete env.BOT_TOKEN;
  if (options.model) {
    env.FUHAN_MODEL = options.model.modelId;
    env.FUHAN_MODEL_DIR = options.model.localModelPath;
  }
  const runsMs: number[] = [];
  const peakRssMB: (number | null)[] = [];
  let ok = true;
  for (let i = 0; i < runs; i++) {
    const r = await runWatched(process.execPath, [path.join('bin', 'fuhan.js'), 'ask', options.questions[i % options.questions.length], '--json'], env, true);
    runsMs.push(Math.round(r.ms));
    peakRssMB.push(r.peakRssMB);
    try {
      JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '');
      if (r.code !== 0) ok = false;
    } catch {
      ok = false;
      if (i === 0) throw new Error(`fuhan ask failed (exit ${r.code}): ${r.stderr.trim().slice(-500)}`);
    }
  }
  return { runsMs, peakRssMB, ok };
}
