/**
 * The "Vectors at scale" section of docs/BENCHMARKS.md and docs/bench-vectors-N.json from `--vectors N`.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { writeSection } from '../reportSection.ts';
import type { VectorScaleResult } from './vectorScale.ts';

const s = (ms: number) => (ms / 1000).toFixed(1);

/** The section's Markdown. @example renderVectorSection(result) */
export function renderVectorSection(r: VectorScaleResult): string {
  const b = r.build;
  const lines = [
    `## Vectors at ${r.count.toLocaleString('en')} passages`,
    '',
    `\`npm run bench -- --vectors ${r.count}\` (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${s(r.totalMs)} s in all; times taken **under load** — the machine's 2 cores were shared with other jobs; RSS figures do not depend on load).`,
    `${r.count.toLocaleString('en')} synthetic ${r.dims}-dim passage vectors (bench/syntheticVectors.ts, from 128 real passages embedded by ${r.model}), ${r.hold[0]?.queries ?? 0} real questions embedded as queries, recall against exact search over the same vectors. HNSW M ${b.params.M}, efConstruction ${b.params.efConstruction}, efSearch ${b.params.efSearch}.`,
    '',
    '| | figure | load average (1/5/15 min) |',
    '|---|---|---|',
    `| build (hnswlib, one thread, \`VectorIndex.add\`)${b.reused ? ', from an earlier run (graph reused)' : ''} | ${s(b.buildMs)} s (${b.progress.map((p) => `${p.added / 1000}k ${p.s} s`).join(', ')}) | ${b.loadAtStart.join(' / ')} → ${b.loadAtEnd.join(' / ')} |`,
    `| peak RSS building (vectors in JS + graph) | ${b.peakRssMB} MB | – |`,
    `| graph file (float32 vectors + links) | ${b.graphFileMB} MB | – |`,
  ];
  for (const h of r.hold) {
    const label = `${h.storage === 'float32' ? 'float32 (`VectorIndex`, hnswlib)' : 'int8 + float32 re-rank (`QuantizedVectorIndex`)'}, efSearch ${h.efSearch}`;
    lines.push(
      `| ${label}: RSS holding (whole process) | ${h.rssHoldingMB} MB (${h.rssHoldingMB - h.rssBeforeMB} MB more than before loading${h.heldMB === null || h.heldMB === undefined ? '' : `; its arrays ${h.heldMB} MB`}; loaded in ${s(h.loadMs)} s) | – |`,
      `| ${label}: recall@10 (k = 10 / first 10 of k = 100) | **${h.recallAt10.toFixed(4)}** / ${h.recallAt10WithK100.toFixed(4)} | – |`,
      `| ${label}: search k = 10 p50 / p95 | ${h.searchMs.p50} / **${h.searchMs.p95}** ms (k = 100: ${h.searchK100Ms.p50} / ${h.searchK100Ms.p95} ms) | ${h.load.join(' / ')} |`,
    );
  }
  const target = 1_000_000;
  if (r.count < target) {
    const per = (mb: number) => (mb * 2 ** 20) / r.count;
    const at = (mb: number) => Math.round((per(mb) * target) / 2 ** 20);
    const nlogn = (target * Math.log2(target)) / (r.count * Math.log2(r.count));
    const held = r.hold.map((h) => `${h.storage} efSearch ${h.efSearch}: ${at(h.rssHoldingMB - h.rssBeforeMB)} MB held (${Math.round(per(h.rssHoldingMB - h.rssBeforeMB))} bytes a vector)`);
    lines.push(
      '',
      `At ${target.toLocaleString('en')} vectors, scaled from this run (memory per vector is fixed; build time taken as growing with n log n, at the same load): ${held.join('; ')}; build ≈ ${((b.buildMs * nlogn) / 60000).toFixed(0)} min, peak RSS building ≈ ${at(b.peakRssMB)} MB.`,
    );
  }
  return lines.join('\n');
}

/** Writes the section and the JSON beside it; returns the Markdown file. */
export async function writeVectorSection(r: VectorScaleResult, docsDir: string): Promise<string> {
  const markdown = path.join(docsDir, 'BENCHMARKS.md');
  await writeSection(markdown, `vectors-${r.count}`, renderVectorSection(r));
  await writeFile(path.join(docsDir, `bench-vectors-${r.count}.json`), `${JSON.stringify(r, null, 1)}\n`);
  return markdown;
}
