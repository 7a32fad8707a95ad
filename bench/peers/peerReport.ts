/**
 * The "Peers" section of docs/BENCHMARKS.md and docs/bench-peers.json from `--peers`: every figure beside its
 * ratio to the best peer (FlexSearch, MiniSearch, Orama; Fuhan is not a peer of itself).
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { writeSection } from '../reportSection.ts';
import type { QualityRow } from './peerQuality.ts';
import type { PeersResults, SystemFigures } from './runPeers.ts';

const NAMES: Record<string, string> = { fuhan: 'Fuhan', flexsearch: 'FlexSearch', minisearch: 'MiniSearch', orama: 'Orama' };
const LANGS = ['all', 'zh', 'zh-Hant', 'en'];

/** `value` and its ratio to the best of `peers` (higher is better when `higher`). */
function withRatio(value: number, peers: number[], higher: boolean, digits: number): string {
  const best = higher ? Math.max(...peers) : Math.min(...peers);
  const ratio = best === 0 ? (value === 0 ? '1.00' : '∞') : (value / best).toFixed(2);
  return `${value.toFixed(digits)} (${ratio}×)`;
}

/** Question files as the report groups them: each dev file alone, the held-out fixture files pooled. */
function qualityGroups(rows: QualityRow[]): { name: string; rows: QualityRow[] }[] {
  const sets = [...new Set(rows.map((q) => q.set))];
  const heldOut = sets.filter((x) => x.startsWith('heldout-'));
  return [
    ...sets.filter((x) => !heldOut.includes(x)).map((x) => ({ name: `dev ${x}`, rows: rows.filter((q) => q.set === x) })),
    ...(heldOut.length ? [{ name: `held-out (${heldOut.length} fixture sets)`, rows: rows.filter((q) => heldOut.includes(q.set)) }] : []),
  ];
}

/** R@5 of one system over several files' rows, weighted by answerable questions. */
function pooled(rows: QualityRow[], lang: string): { r5: number; n: number } {
  let hits = 0;
  let n = 0;
  for (const q of rows) {
    const count = q.answerableBy?.[lang] ?? 0;
    hits += (q.recall5[lang] ?? 0) * count;
    n += count;
  }
  return { r5: n ? hits / n : 0, n };
}

/** The section's Markdown. @example renderPeersSection(results) */
export function renderPeersSection(r: PeersResults): string {
  const peers = r.systems.filter((s) => s.system !== 'fuhan');
  const perf = (pick: (s: SystemFigures) => number, digits: number) => (s: SystemFigures) => withRatio(pick(s), peers.map(pick), false, digits);
  const cols: [string, (s: SystemFigures) => string][] = [
    ['build s', perf((s) => s.buildMs / 1000, 1)],
    ['peak RSS building MB', perf((s) => s.buildPeakRssMB, 0)],
    ['search p50 ms', perf((s) => s.search.p50, 2)],
    ['search p95 ms', perf((s) => s.search.p95, 2)],
    ['RSS holding MB', perf((s) => s.rssHoldingMB, 0)],
  ];
  const lines = [
    '## Peers: Fuhan beside FlexSearch, MiniSearch and Orama',
    '',
    `\`npm run bench -- --peers\` (${r.date.slice(0, 16).replace('T', ' ')} UTC, ${(r.totalMs / 60000).toFixed(1)} min in all). Times were taken **under load** (2 cores shared with other jobs; load average beside each); RSS figures do not depend on load. Each figure is followed by its ratio to the best peer (lower is better for time and memory, higher for recall).`,
    '',
    `### Scale: ${r.letters.toLocaleString('en')} synthetic letters (${r.passages.toLocaleString('en')} passages), ${r.questions} questions`,
    '',
    `| system | ${cols.map(([h]) => h).join(' | ')} | load (build / search) |`,
    `|---|${cols.map(() => '---').join('|')}|---|`,
    ...r.systems.map((s) => `| ${NAMES[s.system] ?? s.system} | ${cols.map(([, f]) => f(s)).join(' | ')} | ${s.load.build[0]} / ${s.load.search[0]} |`),
    '',
    'Build: Fuhan reads, parses, cuts and indexes the letter files (`buildIndex`, lexical, written to disk); a peer is given the passages Fuhan cut (its own reading and cutting are not counted) and indexes them in memory. Search: the top 10 passages of each question (`SearchEngine.search` for Fuhan, after 5 warm-up questions). RSS holding: after a full GC with the index built (the peer\'s input dropped) or opened (V8 keeps pages it once used, so a peer\'s holding figure can equal its peak). The systems ran one after another while the machine\'s load changed (column "load"): compare times only within one load; the ratios are of this run as it was.',
  ];
  if (r.fuhanStages) lines.push('', `Fuhan's build stages (ms): ${Object.entries(r.fuhanStages).map(([k, v]) => `${k} ${v}`).join(', ')}.`);
  lines.push(
    '',
    '### Quality: passage R@5 on the real dev letters',
    '',
    `${r.quality.length ? `${r.quality.filter((q) => q.system === 'fuhan').map((q) => `${q.set} (${q.answerable})`).join(', ')} answerable questions` : 'No question files'} over the 27 letters of ../shared/eval/dev/letters; the four held-out fixture sets pooled. Scored with the evaluation's rule (bot/evaluation/goldMatch.ts, the same as ../shared/eval/score.mjs: same letter, ≥ 60 % of the gold quote in the passage). Ratio to the best peer in brackets.`,
    '',
  );
  const systems = [...new Set(r.quality.map((q) => q.system))];
  lines.push(`| set | language (questions) | ${systems.map((x) => NAMES[x] ?? x).join(' | ')} |`, `|---|---|${systems.map(() => '---').join('|')}|`);
  for (const group of qualityGroups(r.quality)) {
    for (const lang of LANGS) {
      const values = systems.map((x) => pooled(group.rows.filter((q) => q.system === x), lang));
      const n = pooled(group.rows.filter((q) => q.system === 'fuhan'), lang).n;
      if (!n) continue;
      const best = Math.max(...values.filter((_, i) => systems[i] !== 'fuhan').map((v) => v.r5));
      const cells = values.map((v) => `${lang === 'all' ? `**${v.r5.toFixed(3)}**` : v.r5.toFixed(3)} (${best > 0 ? (v.r5 / best).toFixed(2) : v.r5 > 0 ? '∞' : '1.00'}×)`);
      lines.push(`| ${group.name} | ${lang} (${n}) | ${cells.join(' | ')} |`);
    }
  }
  lines.push('', '### Configurations', '', ...r.systems.map((s) => `- **${NAMES[s.system] ?? s.system}** (${s.label}): ${s.config}.`));
  lines.push('', 'Every peer indexes two fields per passage: the letter\'s title and the passage (its headings, then its text); the title is boosted where the library supports it. None of them can match an English question to Chinese text (only numbers and Latin names match), so their English recall is low by construction; the ratios per language show it.');
  return lines.join('\n');
}

/** Re-renders the section from docs/bench-peers.json (after a change to this file). */
export async function rerenderPeersSection(docsDir: string): Promise<string> {
  const r = JSON.parse(await readFile(path.join(docsDir, 'bench-peers.json'), 'utf8')) as PeersResults;
  const markdown = path.join(docsDir, 'BENCHMARKS.md');
  await writeSection(markdown, 'peers', renderPeersSection(r));
  return markdown;
}

/** Writes the section and docs/bench-peers.json; returns the Markdown file. */
export async function writePeersSection(r: PeersResults, docsDir: string): Promise<string> {
  const markdown = path.join(docsDir, 'BENCHMARKS.md');
  await writeSection(markdown, 'peers', renderPeersSection(r));
  await writeFile(path.join(docsDir, 'bench-peers.json'), `${JSON.stringify(r, null, 1)}\n`);
  return markdown;
}
