/**
 * `fuhan import URL… [--max N] [--since DATE] [--dry-run] [--watch [--every 24h]] [--corpus DIR…] [--index DIR]`
 *
 * Imports reply letters from government websites (a letter's page, or a column's list page)
 * into the first corpus folder, then updates the index incrementally exactly as `fuhan build`
 * does. With --watch it re-checks the columns on a schedule until Ctrl-C.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseDuration } from '../../corpus/import/duration.ts';
import { importLetters, type ImportEvent, type ImportReport, type LetterResult } from '../../corpus/import/importLetters.ts';
import { buildIndex, type BuildReport } from '../../index/buildIndex.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { parseDenseMode } from './denseOption.ts';

const HELP = `usage: fuhan import URL… [--max N] [--since YYYY-MM-DD] [--dry-run] [--watch [--every 24h]]
                    [--corpus DIR…] [--index DIR] [--delay MS] [--recheck] [--json]

Imports reply letters from government websites. A URL is a letter's page (the letter, or a page
that only frames its PDF/DOCX), or a column's list page (建议提案办理结果公开…): its pager and its
letter links are followed on the same site. Letters are saved as fetched, each beside a
.source.json record (source URL, fetch time, ETag/Last-Modified, SHA-256), into the first corpus
folder (--corpus or FUHAN_CORPUS); then the index (--index or FUHAN_INDEX) is updated as
\`fuhan build\` does. Re-runs send conditional requests and import only what is new or changed.

--max N       stop after N letters added or updated
--since DATE  skip letters dated before DATE (lists run newest first: stops a column there)
--dry-run     fetch and classify, say what would be imported, write nothing
--watch       re-check the URLs every --every (default FUHAN_IMPORT_EVERY or 24h) until Ctrl-C;
              without URLs, the ones in FUHAN_IMPORT_URLS
--delay MS    pause between two requests to one host (default FUHAN_IMPORT_DELAY_MS or 1000)
--recheck     walk whole columns now (otherwise a list page with nothing new ends a column
              walked whole in the last 7 days)
--json        print the report as JSON`;

interface RunPlan {
  urls: string[];
  corpusDirs: string[];
  indexDir: string;
  dense: 'off' | 'on' | 'auto';
  max?: number;
  since?: string;
  dryRun: boolean;
  recheck: boolean;
  delayMs?: number;
  json: boolean;
}

/** One line per letter for the report: what it is and where it came from. */
export function describeLetter(r: LetterResult): string {
  if (r.outcome === 'skipped') return `skipped    ${r.url}: ${r.reason ?? ''}`;
  const what = [r.issuer ?? '?', r.proposal ? `proposal ${r.proposal}` : null, r.date, r.passages !== undefined ? `${r.passages} passages` : null].filter(Boolean).join(', ');
  const label = r.outcome.padEnd(10);
  return r.outcome === 'unchanged' ? `${label} ${r.source ?? r.url}${r.reason ? ` (${r.reason})` : ''}` : `${label} ${r.source ?? r.url} — ${what}`;
}

/** The counts line: "12 added, 1 updated, 30 unchanged, 3 skipped (8 list pages, 41.2 s)". */
export function describeCounts(report: ImportReport): string {
  const c = report.counts;
  const line = `${c.added} added, ${c.updated} updated, ${c.unchanged} unchanged, ${c.skipped} skipped (${report.listPages} list pages, ${(report.ms / 1000).toFixed(1)} s)`;
  return `${report.dryRun ? 'dry run — would be: ' : ''}${line}${report.stopped ? `; stopped: ${report.stopped}` : ''}`;
}

/** Progress on stderr: a bar redrawn in place on a terminal, plain lines otherwise. */
function progressReporter(stream: NodeJS.WriteStream): { event(e: ImportEvent): void; end(): void } {
  const tty = stream.isTTY === true;
  const counts = { added: 0, updated: 0, unchanged: 0, skipped: 0 };
  let drawn = false;
  return {
    event(e) {
      if (e.type === 'problem') {
        if (drawn) stream.write('\r\x1b[K');
        stream.write(`page not used: ${e.problem.url}: ${e.problem.reason}\n`);
        return;
      }
      if (e.type === 'list') {
        if (!tty) stream.write(`list page ${e.url}: ${e.entries} entries\n`);
        return;
      }
      counts[e.result.outcome]++;
      if (!tty) {
        stream.write(`${describeLetter(e.result)}\n`);
        return;
      }
      const width = 24;
      const filled = Math.round((e.done / Math.max(e.found, 1)) * width);
      stream.write(
        `\r\x1b[K[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${e.done}/${e.found} letters · ${counts.added} added · ${counts.updated} updated · ${counts.unchanged} unchanged · ${counts.skipped} skipped`,
      );
      drawn = true;
    },
    end() {
      if (drawn) stream.write('\n');
    },
  };
}

function planFrom(args: string[]): RunPlan & { watch: boolean; everyMs: number } {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      max: { type: 'string' },
      since: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      watch: { type: 'boolean', default: false },
      every: { type: 'string' },
      corpus: { type: 'string', multiple: true },
      index: { type: 'string' },
      dense: { type: 'string' },
      delay: { type: 'string' },
      recheck: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) throw new HelpRequested();
  const config = loadConfig();
  const urls = positionals.length ? positionals : values.watch ? (config.import?.urls ?? []) : [];
  if (urls.length === 0) throw new UsageError(values.watch ? 'no URL given and FUHAN_IMPORT_URLS is not set' : 'give at least one URL');
  for (const url of urls) if (!/^https?:\/\/[^\s/]+/.test(url)) throw new UsageError(`not an http(s) URL: ${url}`);
  const max = values.max === undefined ? undefined : Number(values.max);
  if (max !== undefined && (!Number.isInteger(max) || max < 1)) throw new UsageError('--max must be a positive whole number');
  if (values.since !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(values.since) || Number.isNaN(Date.parse(values.since)))) throw new UsageError('--since must be a date like 2024-01-31');
  const delayMs = values.delay === undefined ? config.import?.delayMs : Number(values.delay);
  if (delayMs !== undefined && (!Number.isFinite(delayMs) || delayMs < 0)) throw new UsageError('--delay must be milliseconds (0 or more)');
  const everyMs = values.every === undefined ? (config.import?.everyMs ?? 86_400_000) : parseDuration(values.every);
  if (everyMs === null || everyMs < 1000) throw new UsageError('--every must be a duration of at least 1s, e.g. 24h, 30m');
  return {
    urls,
    corpusDirs: values.corpus?.length ? values.corpus.map((d) => path.resolve(d)) : config.corpusDirs,
    indexDir: values.index ? path.resolve(values.index) : config.indexDir,
    dense: values.dense ? parseDenseMode(values.dense) : config.dense,
    max,
    since: values.since,
    dryRun: values['dry-run'],
    recheck: values.recheck,
    delayMs,
    json: values.json,
    watch: values.watch,
    everyMs,
  };
}

class HelpRequested extends Error {}
class UsageError extends Error {}

/** One import, then the incremental index update when anything was added or updated. */
async function importOnce(plan: RunPlan): Promise<{ report: ImportReport; index?: BuildReport }> {
  const progress = progressReporter(process.stderr);
  let report: ImportReport;
  try {
    report = await importLetters(plan.urls, {
      corpusDir: plan.corpusDirs[0]!,
      corpusDirs: plan.corpusDirs,
      max: plan.max,
      since: plan.since,
      dryRun: plan.dryRun,
      recheck: plan.recheck,
      delayMs: plan.delayMs,
      onEvent: (e) => progress.event(e),
    });
  } finally {
    progress.end();
  }
  const changed = report.counts.added + report.counts.updated;
  const index = !plan.dryRun && changed > 0 ? await buildIndex({ corpusDirs: plan.corpusDirs, indexDir: plan.indexDir, dense: plan.dense, log: (line) => console.error(line) }) : undefined;
  if (plan.json) {
    console.log(JSON.stringify({ ...report, index: index ? { indexDir: index.indexDir, letters: index.letters, passages: index.passages } : null }));
  } else {
    for (const letter of report.letters) if (letter.outcome !== 'unchanged') console.log(describeLetter(letter));
    for (const problem of report.problems) console.log(`page not used: ${problem.url}: ${problem.reason}`);
    console.log(describeCounts(report));
    if (index) console.log(`index ${index.indexDir}: ${index.letters} letters, ${index.passages} passages (${index.added} added, ${index.changed} changed)`);
  }
  return { report, index };
}

/**
 * @example
 * await run(['https://www.example.gov.cn/jyta/index.html', '--max', '20']) // → 0
 */
export async function run(args: string[]): Promise<number> {
  let plan;
  try {
    plan = planFrom(args);
  } catch (err) {
    if (err instanceof HelpRequested) {
      console.log(HELP);
      return 0;
    }
    if (err instanceof UsageError || err instanceof ConfigError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`fuhan import: ${(err as Error).message}\n\n${HELP}`);
      return 2;
    }
    throw err;
  }
  if (!plan.watch) {
    await importOnce(plan);
    return 0;
  }
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const onSignal = (): void => stop();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    for (let running = true; running; ) {
      await importOnce(plan);
      const every = plan.everyMs >= 3_600_000 ? `${+(plan.everyMs / 3_600_000).toFixed(1)} h` : plan.everyMs >= 60_000 ? `${+(plan.everyMs / 60_000).toFixed(1)} min` : `${Math.round(plan.everyMs / 1000)} s`;
      console.error(`next check in ${every} (Ctrl-C stops)`);
      let timer: NodeJS.Timeout | undefined;
      running = await Promise.race([stopped.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), plan.everyMs)))]);
      clearTimeout(timer);
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return 0;
}
