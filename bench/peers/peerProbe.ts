/**
 * Child process, one system per process so every memory figure is that system's own:
 *
 * - `{ system: 'flexsearch' | 'minisearch' | 'orama', passagesFile, questions }`: reads the passages (JSON lines of
 *   `PeerDoc`), builds the peer's index (timed; peak RSS), drops the input, then reports the RSS holding the index
 *   and the time of every search.
 * - `{ system: 'fuhan-build', corpusDir, indexDir }`: a full lexical `buildIndex` of the corpus (timed; peak RSS).
 * - `{ system: 'fuhan', corpusDir, indexDir, questions, passagesFile }`: opens that index as the bot does, reports the
 *   RSS holding it and the time of every `search` (top 10 passages, as the peers are asked), and writes the index's
 *   passages as `PeerDoc` lines to `passagesFile` for the peers.
 *
 * Prints one JSON line (`PeerProbeReport`). Run as `node --expose-gc --import tsx bench/peers/peerProbe.ts '<json>'`.
 */
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { once } from 'node:events';
import { z } from 'zod';
import { buildIndex } from '../../index/buildIndex.ts';
import { openIndex } from '../../index/openIndex.ts';
import { collectGarbage, currentRssMB, loadAverage, peakRssMB } from '../processMemory.ts';
import { peerDoc, type PeerDoc, type PeerIndex } from './peer.ts';
import { peerNamed } from './peers.ts';

const ArgsSchema = z.discriminatedUnion('system', [
  z.object({ system: z.enum(['flexsearch', 'minisearch', 'orama']), passagesFile: z.string(), questions: z.array(z.string()).min(1) }),
  z.object({ system: z.literal('fuhan-build'), corpusDir: z.string(), indexDir: z.string() }),
  z.object({ system: z.literal('fuhan'), corpusDir: z.string(), indexDir: z.string(), questions: z.array(z.string()).min(1), passagesFile: z.string() }),
]);

/** What the probe prints. */
export interface PeerProbeReport {
  system: string;
  /** Build (or open, for `fuhan`) time, ms. */
  buildMs: number | null;
  openMs: number | null;
  /** Peak RSS of the process up to the end of the build (or open), MB. */
  peakRssMB: number;
  /** RSS after a full GC with the index built (input dropped) or opened, MB. */
  rssHoldingMB: number | null;
  /** RSS of the process before building (input read) or opening, MB. */
  rssBeforeMB: number;
  /** Per question, ms (after 5 warm-up searches). */
  searchMs: number[];
  passages: number;
  load: { start: number[]; afterBuild: number[]; end: number[] };
  /** Stage times of Fuhan's build, ms. */
  stages?: Record<string, number>;
}

const WARM_UP = 5;

async function timeSearches(search: (q: string) => unknown, questions: string[]): Promise<number[]> {
  for (const q of questions.slice(0, WARM_UP)) await search(q);
  const ms: number[] = [];
  for (const q of questions) {
    const t = performance.now();
    await search(q);
    ms.push(performance.now() - t);
  }
  return ms;
}

async function readDocs(file: string): Promise<PeerDoc[]> {
  return (await readFile(file, 'utf8'))
    .split('\n')
    .filter((l) => l)
    .map((l) => JSON.parse(l) as PeerDoc);
}

const args = ArgsSchema.parse(JSON.parse(process.argv[2] ?? '{}'));
const start = loadAverage();
const log = (line: string) => console.error(line);
let report: PeerProbeReport;
if (args.system === 'fuhan-build') {
  const rssBeforeMB = currentRssMB();
  const t = performance.now();
  const r = await buildIndex({ corpusDirs: [args.corpusDir], indexDir: args.indexDir, dense: 'off', embedder: null, full: true, progress: false, log });
  const buildMs = performance.now() - t;
  report = { system: 'fuhan', buildMs: Math.round(buildMs), openMs: null, peakRssMB: peakRssMB(), rssHoldingMB: null, rssBeforeMB, searchMs: [], passages: r.passages, load: { start, afterBuild: loadAverage(), end: loadAverage() }, stages: r.stages as unknown as Record<string, number> };
} else if (args.system === 'fuhan') {
  collectGarbage();
  const rssBeforeMB = currentRssMB();
  const t = performance.now();
  const engine = await openIndex({ corpusDirs: [args.corpusDir], indexDir: args.indexDir, dense: 'off', buildIfMissing: false, log });
  const openMs = performance.now() - t;
  const peak = peakRssMB();
  collectGarbage();
  const rssHoldingMB = currentRssMB();
  const afterBuild = loadAverage();
  const searchMs = await timeSearches((q) => engine.search(q, { k: 10 }), args.questions);
  // The chunks the peers index: Fuhan's own passages, with their letter's title.
  const titles = new Map(engine.index.letters.map((l) => [l.id, l.title]));
  const out = createWriteStream(args.passagesFile);
  for (const [i, p] of engine.index.passages.entries()) if (!out.write(`${JSON.stringify(peerDoc(i, titles.get(p.letter) ?? '', p))}\n`)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
  report = { system: 'fuhan', buildMs: null, openMs: Math.round(openMs), peakRssMB: peak, rssHoldingMB, rssBeforeMB, searchMs, passages: engine.index.passages.length, load: { start, afterBuild, end: loadAverage() } };
} else {
  const peer = peerNamed(args.system);
  let docs: PeerDoc[] | null = await readDocs(args.passagesFile);
  const passages = docs.length;
  collectGarbage();
  const rssBeforeMB = currentRssMB();
  const t = performance.now();
  const index: PeerIndex = await peer.build(docs);
  const buildMs = performance.now() - t;
  const peak = peakRssMB();
  docs = null;
  collectGarbage();
  const rssHoldingMB = currentRssMB();
  const afterBuild = loadAverage();
  const searchMs = await timeSearches((q) => index.search(q, 10), args.questions);
  report = { system: peer.name, buildMs: Math.round(buildMs), openMs: null, peakRssMB: peak, rssHoldingMB, rssBeforeMB, searchMs, passages, load: { start, afterBuild, end: loadAverage() } };
}
console.log(JSON.stringify(report));
