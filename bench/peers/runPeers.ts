/**
 * `npm run bench -- --peers`: Fuhan beside FlexSearch, MiniSearch and Orama in one run.
 *
 * - Quality: the real dev letters, every question file given (dev sets and the held-out fixture sets), passage R@5
 *   per language (bench/peers/peerQuality.ts).
 * - Scale: the benchmark's synthetic corpus (default 10,000 letters). Fuhan builds it with `buildIndex` (lexical)
 *   in one child process; another opens it and answers the questions with `search` (top 10 passages) and writes
 *   its passages; each peer then indexes those same passages and answers the same questions in its own child
 *   (bench/peers/peerProbe.ts), so every build time, peak RSS and RSS holding is that system's own.
 */
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { runWatched } from '../childProcesses.ts';
import { ensureBenchCorpus, generatedInfos } from '../generateCorpus.ts';
import { machineInfo, questionSet, type MachineInfo } from '../harness.ts';
import { summarize, type LatencySummary } from '../latencyStats.ts';
import { loadAverage } from '../processMemory.ts';
import { generateQuestions, loadDevQuestions } from '../questions.ts';
import { buildSentencePool } from '../sentencePool.ts';
import { measureQuality, type QualityRow } from './peerQuality.ts';
import type { PeerProbeReport } from './peerProbe.ts';
import { PEERS } from './peers.ts';

export interface PeersOptions {
  /** Letters in the synthetic corpus. */
  size: number;
  /** Questions timed per system (the first of the benchmark's interleaved list: every language and kind). */
  questions: number;
  cacheDir: string;
  realLetterDirs: string[];
  devQuestionsFile: string;
  generatedQuestions: number;
  /** Letters the quality figures are measured on, and the question files. */
  qualityLetters: string;
  qualityQuestionFiles: string[];
  seed: number;
  log: (line: string) => void;
}

export interface SystemFigures {
  system: string;
  label: string;
  config: string;
  buildMs: number;
  buildPeakRssMB: number;
  rssHoldingMB: number;
  search: LatencySummary;
  load: { build: number[]; search: number[] };
}

export interface PeersResults {
  date: string;
  machine: MachineInfo;
  letters: number;
  passages: number;
  questions: number;
  quality: QualityRow[];
  systems: SystemFigures[];
  fuhanStages?: Record<string, number>;
  totalMs: number;
}

function lastJson<T>(r: { code: number | null; stdout: string; stderr: string }, what: string): T {
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  if (r.code !== 0 || !line.startsWith('{')) throw new Error(`${what} failed (exit ${r.code}): ${r.stderr.trim().slice(-800)}`);
  return JSON.parse(line) as T;
}

async function probe(args: object, log: (line: string) => void): Promise<PeerProbeReport> {
  const r = await runWatched(process.execPath, ['--expose-gc', '--import', 'tsx', path.join('bench', 'peers', 'peerProbe.ts'), JSON.stringify(args)], process.env, true, log);
  const report = lastJson<PeerProbeReport>(r, `bench/peers/peerProbe.ts (${(args as { system: string }).system})`);
  // The parent's reading of the child's VmHWM every 20 ms, in case the peak came after the child's own reading.
  return { ...report, peakRssMB: Math.max(report.peakRssMB, r.peakRssMB ?? 0) };
}

/**
 * Runs the comparison (nothing is written; see peerReport.ts).
 *
 * @example const r = await runPeers({ ...PEER_OPTIONS, log: console.error });
 */
export async function runPeers(o: PeersOptions): Promise<PeersResults> {
  const started = performance.now();
  const machine = machineInfo();
  machine.packages = { ...machine.packages, ...Object.fromEntries(PEERS.map((p) => [p.name, p.label])) };
  const quality = await measureQuality(o.qualityLetters, o.qualityQuestionFiles, PEERS, path.join(o.cacheDir, 'bench-index', 'peers-quality'), o.log);

  const pool = await buildSentencePool(o.realLetterDirs.filter((d) => existsSync(d)));
  const corpus = await ensureBenchCorpus(pool, o.size, path.join(o.cacheDir, 'bench-corpus'), o.seed);
  o.log(`peers: corpus of ${o.size} letters in ${corpus.dir}${corpus.generated ? ` (generated in ${Math.round(corpus.ms / 1000)} s)` : ' (cached)'}`);
  const generated = generateQuestions(generatedInfos(pool, o.size, o.seed), o.generatedQuestions, o.seed);
  const questions = questionSet(loadDevQuestions(o.devQuestionsFile), generated).texts.slice(0, o.questions);

  const scratch = path.join(o.cacheDir, 'bench-index', `peers-${path.basename(corpus.dir)}`);
  await rm(scratch, { recursive: true, force: true });
  await mkdir(scratch, { recursive: true });
  const indexDir = path.join(scratch, 'fuhan');
  const passagesFile = path.join(scratch, 'passages.jsonl');
  o.log(`peers: Fuhan builds ${o.size} letters (lexical) in a child process (load ${loadAverage().join(' / ')})…`);
  const build = await probe({ system: 'fuhan-build', corpusDir: corpus.dir, indexDir }, o.log);
  o.log(`peers: Fuhan built in ${(build.buildMs! / 1000).toFixed(1)} s, peak RSS ${build.peakRssMB} MB`);
  const hold = await probe({ system: 'fuhan', corpusDir: corpus.dir, indexDir, questions, passagesFile }, o.log);
  const systems: SystemFigures[] = [
    {
      system: 'fuhan',
      label: `Fuhan (commit ${machine.commit ?? '?'})`,
      config: 'buildIndex lexical-only (dense off); SearchEngine.search, top 10 passages',
      buildMs: build.buildMs!,
      buildPeakRssMB: build.peakRssMB,
      rssHoldingMB: hold.rssHoldingMB!,
      search: summarize(hold.searchMs),
      load: { build: build.load.end, search: hold.load.end },
    },
  ];
  for (const peer of PEERS) {
    o.log(`peers: ${peer.label} builds ${hold.passages} passages in a child process (load ${loadAverage().join(' / ')})…`);
    const r = await probe({ system: peer.name, passagesFile, questions }, () => undefined);
    const search = summarize(r.searchMs);
    systems.push({ system: peer.name, label: peer.label, config: peer.config, buildMs: r.buildMs!, buildPeakRssMB: r.peakRssMB, rssHoldingMB: r.rssHoldingMB!, search, load: { build: r.load.afterBuild, search: r.load.end } });
    o.log(`peers: ${peer.name}: built in ${(r.buildMs! / 1000).toFixed(1)} s, peak RSS ${r.peakRssMB} MB, holding ${r.rssHoldingMB} MB, search p50 ${search.p50} ms, p95 ${search.p95} ms`);
  }
  await rm(scratch, { recursive: true, force: true });
  return { date: new Date().toISOString(), machine: { ...machine, loadAverageEnd: loadAverage() }, letters: o.size, passages: hold.passages, questions: questions.length, quality, systems, fuhanStages: build.stages, totalMs: Math.round(performance.now() - started) };
}
