/**
 * `fuhan serve [--port N] [--host ADDRESS]` — the web pages: search, letters with the quote
 * highlighted, the commitments table, and the JSON API (see bot/web/webApp.ts).
 */
import { parseArgs } from 'node:util';
import { loadConfigOrExitCode } from './commandSetup.ts';

const USAGE = `usage: fuhan serve [--port 8080] [--host 127.0.0.1]

Serves the web pages until Ctrl-C: / (search), /letters/<id>?q=<start>-<end> (a quote highlighted
in its letter), /commitments (every commitment; CSV download), /api/ask, /api/search, /api/letters/<id>.
Listens on 127.0.0.1 only (this machine) unless --host says otherwise (--host 0.0.0.0: every interface).
Send SIGHUP (kill -HUP PID) after adding letters: they are indexed incrementally and served.
Environment: FUHAN_PUBLIC_URL (the address readers use, for permalinks), FUHAN_CORPUS, FUHAN_INDEX,
FUHAN_DENSE, FUHAN_LLM_URL + FUHAN_LLM_MODEL.`;

/**
 * @example
 * await run(['--port', '8080']) // → 0 after Ctrl-C; 2 for a bad argument
 */
export async function run(args: string[]): Promise<number> {
  let values: { port?: string; host?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ args, options: { port: { type: 'string' }, host: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (err) {
    console.error(`fuhan serve: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const port = Number(values.port ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`fuhan serve: --port wants a port number from 0 to 65535, got "${values.port}"\n\n${USAGE}`);
    return 2;
  }
  const config = loadConfigOrExitCode('fuhan serve');
  if (typeof config === 'number') return config;
  const log = (line: string): void => console.error(line);
  // Loaded only now: `--help` and usage errors should be instant.
  const [{ openEngine }, { startWebServer }] = await Promise.all([import('../telegram/openEngine.ts'), import('../web/webServer.ts')]);
  const engine = await openEngine(config, log);
  const server = await startWebServer({ engine: () => engine.current, publicUrl: config.publicUrl, llm: config.llm, log, port, host: values.host });
  log(`fuhan web pages at ${server.url}${config.publicUrl ? ` (public address ${config.publicUrl})` : ''} — Ctrl-C to stop, SIGHUP to reload the letters`);
  // New letters in the corpus folders: an incremental build, then the new index is swapped in (requests in flight finish on the old one).
  const reload = (): void => {
    engine.reload().then(
      () => log(`index reloaded: ${engine.size().letters} letters`),
      (err: unknown) => log(`reload failed (still serving the previous index): ${err instanceof Error ? err.message : String(err)}`),
    );
  };
  process.on('SIGHUP', reload);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  process.off('SIGHUP', reload);
  await server.close();
  return 0;
}
