/**
 * `npm run bench` — measures speed and scale and writes docs/BENCHMARKS.md and docs/bench-results.json.
 *
 *   npm run bench                       # 1,000 and 10,000 letters, lexical-only and hybrid (~25 min from scratch)
 *   npm run bench -- --quick            # 30 letters, tiny model, a few questions (~30 s)
 *   npm run bench -- --sizes 1000 --skip-hybrid
 *
 *   npm run bench -- --vectors 1000000  # only the HNSW graph of 1M synthetic vectors (bench/vectors/)
 *   npm run bench -- --peers            # only Fuhan beside FlexSearch, MiniSearch and Orama (bench/peers/),
 *                                       #   10,000 letters unless --sizes N; --peer-questions N (default 100)
 *
 * Options: --quick, --sizes N[,N…], --skip-hybrid, --model e5|tiny, --out DIR (default docs), --no-write,
 * --report-only (re-render docs/BENCHMARKS.md from docs/bench-results.json), --vectors N, --peers.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT, runBenchmark, type BenchOptions, type BenchResults } from './harness.ts';
import { FULL_OPTIONS, PEER_OPTIONS, QUICK_OPTIONS, VECTOR_OPTIONS } from './options.ts';
import { rerenderPeersSection, writePeersSection } from './peers/peerReport.ts';
import { runPeers } from './peers/runPeers.ts';
import { carrySections } from './reportSection.ts';
import { measureVectorScale, readVectorScale } from './vectors/vectorScale.ts';
import { writeVectorSection } from './vectors/vectorReport.ts';
import { writeReport } from './writeReport.ts';

function parseArgs(argv: string[]): { options: Omit<BenchOptions, 'log'>; out: string; write: boolean } {
  const quick = argv.includes('--quick');
  const options = { ...(quick ? QUICK_OPTIONS : FULL_OPTIONS) };
  let out = path.join(REPO_ROOT, 'docs');
  let write = true;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--quick') continue;
    else if (a === '--skip-hybrid') options.hybrid = false;
    else if (a === '--no-write') write = false;
    else if (a === '--sizes') {
      const sizes = value().split(',').map(Number);
      if (!sizes.length || sizes.some((n) => !Number.isInteger(n) || n < 1 || n > 100_000)) throw new Error('--sizes wants whole numbers from 1 to 100000, e.g. 1000,10000');
      options.sizes = sizes;
    } else if (a === '--model') {
      const m = value();
      if (m !== 'e5' && m !== 'tiny') throw new Error('--model must be e5 or tiny');
      options.model = m;
    } else if (a === '--out') out = path.resolve(value());
    else throw new Error(`unknown option ${a}`);
  }
  return { options, out, write };
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log('usage: npm run bench [-- --quick] [--sizes 1000,10000] [--skip-hybrid] [--model e5|tiny] [--out DIR] [--no-write] [--report-only]');
    console.log('       npm run bench -- --peers [--sizes 10000] [--peer-questions 100] [--no-write] [--report-only]');
    console.log('       npm run bench -- --vectors 1000000 [--no-write] [--report-only]');
    return 0;
  }
  const vectorsAt = argv.indexOf('--vectors');
  if (vectorsAt >= 0 && argv.includes('--report-only')) {
    const count = Number(argv[vectorsAt + 1]);
    const result = await readVectorScale(path.join(REPO_ROOT, 'docs', `bench-vectors-${count}.json`));
    if (!result) {
      console.error(`bench: no docs/bench-vectors-${count}.json to re-render`);
      return 2;
    }
    console.error(`bench: re-rendered ${path.relative(REPO_ROOT, await writeVectorSection(result, path.join(REPO_ROOT, 'docs')))} from docs/bench-vectors-${count}.json`);
    return 0;
  }
  if (vectorsAt >= 0) return runVectorScale(Number(argv[vectorsAt + 1]), !argv.includes('--no-write'));
  if (argv.includes('--peers')) return runPeerComparison(argv);
  if (argv.includes('--report-only')) {
    // Re-render docs/BENCHMARKS.md from docs/bench-results.json (e.g. after editing bench/profiling-notes.md).
    const out = path.join(REPO_ROOT, 'docs');
    const results = JSON.parse(await readFile(path.join(out, 'bench-results.json'), 'utf8')) as BenchResults;
    const notesFile = path.join(REPO_ROOT, 'bench', 'profiling-notes.md');
    const previous = await readFile(path.join(out, 'BENCHMARKS.md'), 'utf8').catch(() => '');
    const files = await writeReport(results, out, [], existsSync(notesFile) ? await readFile(notesFile, 'utf8') : '');
    await carrySections(files.markdown, previous);
    console.error('bench: re-rendered docs/BENCHMARKS.md from docs/bench-results.json');
    return 0;
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(argv);
  } catch (e) {
    console.error(`bench: ${(e as Error).message}`);
    return 2;
  }
  const results = await runBenchmark({ ...parsed.options, log: (line) => console.error(line) });
  results.command = ['npm run bench', ...(argv.length ? ['--', ...argv] : [])].join(' ');
  if (parsed.write) {
    const notesFile = path.join(REPO_ROOT, 'bench', 'profiling-notes.md');
    const appendix = existsSync(notesFile) ? await readFile(notesFile, 'utf8') : '';
    const previousMarkdown = path.join(parsed.out, 'BENCHMARKS.md');
    const previous = existsSync(previousMarkdown) ? await readFile(previousMarkdown, 'utf8') : '';
    const files = await writeReport(results, parsed.out, [], appendix);
    await carrySections(files.markdown, previous);
    console.error(`bench: wrote ${path.relative(REPO_ROOT, files.markdown)} and ${path.relative(REPO_ROOT, files.json)}`);
  }
  for (const t of results.targets) console.log(`${t.met === null ? '  -' : t.met ? ' ok' : 'MISS'}  ${t.name}: ${t.value === null ? 'not measured' : `${t.value.toFixed(2)} ${t.unit}`} (target ${t.target})`);
  return 0;
}

/** `--vectors N`: the vector-scale measurement alone, its section of docs/BENCHMARKS.md rewritten. */
async function runVectorScale(count: number, write: boolean): Promise<number> {
  if (!Number.isInteger(count) || count < 1000 || count > 5_000_000) {
    console.error('bench: --vectors wants a whole number of vectors from 1000 to 5000000, e.g. --vectors 1000000');
    return 2;
  }
  const result = await measureVectorScale({ ...VECTOR_OPTIONS, count, log: (line) => console.error(line) });
  if (write) {
    const file = await writeVectorSection(result, path.join(REPO_ROOT, 'docs'));
    console.error(`bench: wrote ${path.relative(REPO_ROOT, file)}`);
  }
  console.log(JSON.stringify(result));
  return 0;
}

/** `--peers [--sizes N] [--peer-questions N] [--no-write] [--report-only]`: the peer comparison alone, its section rewritten. */
async function runPeerComparison(argv: string[]): Promise<number> {
  if (argv.includes('--report-only')) {
    console.error(`bench: re-rendered ${path.relative(REPO_ROOT, await rerenderPeersSection(path.join(REPO_ROOT, 'docs')))} from docs/bench-peers.json`);
    return 0;
  }
  const options = { ...PEER_OPTIONS };
  const at = (flag: string) => (argv.includes(flag) ? Number(argv[argv.indexOf(flag) + 1]) : null);
  const size = at('--sizes');
  const questions = at('--peer-questions');
  if (size !== null) options.size = size;
  if (questions !== null) options.questions = questions;
  if (!Number.isInteger(options.size) || options.size < 1 || options.size > 100_000 || !Number.isInteger(options.questions) || options.questions < 1) {
    console.error('bench: --peers takes --sizes N (one size, 1 to 100000) and --peer-questions N');
    return 2;
  }
  const results = await runPeers({ ...options, log: (line) => console.error(line) });
  if (!argv.includes('--no-write')) {
    const file = await writePeersSection(results, path.join(REPO_ROOT, 'docs'));
    console.error(`bench: wrote ${path.relative(REPO_ROOT, file)}`);
  }
  console.log(JSON.stringify(results.systems));
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    console.error(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exitCode = 1;
  },
);
