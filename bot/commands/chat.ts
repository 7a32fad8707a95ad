/**
 * `fuhan chat` — the terminal chat over the letters (builds the index on first run).
 */
import { runTerminalChat } from '../chat/terminalChat.ts';
import { argumentsExitCode, loadConfigOrExitCode } from './commandSetup.ts';

const USAGE = `usage: fuhan chat

Ask questions about the reply letters in the terminal; answers are verbatim quotes with citations.
Piped input works too: one question per line, one answer each.
Environment: FUHAN_CORPUS (letter folders), FUHAN_INDEX (index folder), FUHAN_DENSE (off|on|auto),
FUHAN_LLM_URL + FUHAN_LLM_MODEL (optional synthesis).`;

/**
 * Runs the chat on stdin/stdout; returns the exit code.
 *
 * @example
 * await run([]) // → 0 after /quit or end of input
 */
export async function run(args: string[]): Promise<number> {
  const code = argumentsExitCode('fuhan chat', args, USAGE);
  if (code !== undefined) return code;
  // `fuhan chat < questions.txt | head` closes stdout early: stop quietly instead of crashing on EPIPE.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  const config = loadConfigOrExitCode('fuhan chat', ['index', 'answer']);
  if (typeof config === 'number') return config;
  // Loaded only now: the index stack is heavy, and `--help` or a usage error should be instant.
  const { openIndex } = await import('../../index/openIndex.ts');
  const searcher = await openIndex({ corpusDirs: config.corpusDirs, indexDir: config.indexDir, dense: config.dense, log: (line: string) => console.error(line) });
  await runTerminalChat({
    searcher,
    input: process.stdin,
    output: process.stdout,
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    llm: config.llm,
    publicUrl: config.publicUrl,
    conversation: { ttlMs: (config.conversationTtlMinutes ?? 30) * 60_000 },
  });
  return 0;
}
