/**
 * Whether a process id names a running process (signal 0 checks without signalling). EPERM means
 * it runs under another user — alive all the same. Used for lock owners and the bot's status file.
 *
 * @example
 * isProcessAlive(process.pid) // → true
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
