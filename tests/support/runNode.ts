/**
 * Runs Node on some arguments in a child process (the command line as a user runs it) and collects its output.
 */
import { spawn } from 'node:child_process';

export interface NodeRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Spawns `node ARGS…` with `env` (added to this process's environment), feeds it `stdin`, and resolves when it exits.
 *
 * @example
 * const { code, stdout } = await runNode(['bin/fuhan.js', 'ask', 'MOX?', '--json'], { cwd: REPO, env: { FUHAN_DENSE: 'off' } });
 */
export function runNode(args: string[], options: { cwd: string; env?: Record<string, string>; stdin?: string }): Promise<NodeRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}
