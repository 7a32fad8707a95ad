/**
 * `fuhan` — the command line. Each subcommand lives in `bot/commands/<name>.ts` and exports
 * `run(args: string[]): Promise<number>` (the exit code); they are loaded on demand so
 * `fuhan inspect` never pays for loading grammY or onnxruntime. A bad setting (ConfigError) or a
 * mistake in the arguments (UsageError) is one line on stderr and exit code 2, whichever command.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from './config.ts';
import { UsageError } from './commands/commandSetup.ts';
import { readDotEnv } from './dotEnv.ts';

type CommandModule = { run(args: string[]): Promise<number> };

/** The commands, one row each: name, one-line summary, loader. */
const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  start: { summary: 'Telegram bot when BOT_TOKEN is set, else the terminal chat (builds the index on first run)', load: () => import('./commands/start.ts') },
  chat: { summary: 'terminal chat over the letters', load: () => import('./commands/chat.ts') },
  ask: { summary: 'answer one question: fuhan ask "QUESTION" [--json]', load: () => import('./commands/ask.ts') },
  bot: { summary: 'run the Telegram bot (needs BOT_TOKEN)', load: () => import('./commands/bot.ts') },
  build: { summary: 'build or update the index: fuhan build [--corpus DIR] [--index DIR]', load: () => import('./commands/build.ts') },
  search: { summary: 'ranked passages: fuhan search "QUESTION" [--k 10] [--json]', load: () => import('./commands/search.ts') },
  eval: { summary: 'evaluate retrieval: fuhan eval --corpus DIR --questions FILE [--rankings OUT]', load: () => import('./commands/eval.ts') },
  import: { summary: 'import letters from government sites: fuhan import URL… [--max N] [--since DATE] [--dry-run] [--watch]', load: () => import('./commands/import.ts') },
  serve: { summary: 'web pages: search, letters with the quote highlighted, commitments: fuhan serve [--port 8080]', load: () => import('./commands/serve.ts') },
  inspect: { summary: 'show how letters parse: fuhan inspect PATH… [--json]', load: () => import('./commands/inspect.ts') },
  health: { summary: 'exit 0 when the index opens (and, in bot mode, the bot reached the Bot API): the container health check', load: () => import('./commands/health.ts') },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    'fuhan — ask Chinese government reply letters, get verbatim quotes with citations',
    '',
    'usage: fuhan <command> [options]',
    '       fuhan --version',
    '',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `fuhan <command> --help` for a command\'s options.',
  ].join('\n');
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return `fuhan ${pkg.version} (Node ${process.versions.node})`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return 0;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    console.log(version());
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`fuhan: unknown ${name.startsWith('-') ? 'option' : 'command'} "${name}"\n\n${usage()}`);
    return 2;
  }
  try {
    // Settings may live in a `.env` file in the working directory; the real environment wins.
    for (const [key, value] of Object.entries(readDotEnv('.env'))) process.env[key] ??= value;
    return await (await command.load()).run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`fuhan ${name}: ${err.message} (see \`fuhan ${name} --help\`)`);
      return 2;
    }
    if (err instanceof ConfigError) {
      console.error(`fuhan ${name}: ${err.message}`);
      return 2;
    }
    throw err;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`fuhan: ${err instanceof Error ? err.message : String(err)}`);
    if (process.env.FUHAN_DEBUG) console.error(err);
    process.exitCode = 1;
  },
);
