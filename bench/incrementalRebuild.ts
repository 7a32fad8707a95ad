/**
 * Incremental rebuild: change one letter of a built corpus, run `buildIndex` (only that letter is parsed, tokenised
 * and embedded; it is written as a delta over the shared base), then restore the letter and rebuild again, then
 * compact (rewrite the index whole, as a build does when the delta outgrows its limits). The corpus is always
 * restored, even on failure.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildIndex, type BuildReport } from '../index/buildIndex.ts';
import type { Embedder } from '../index/embedding/embedder.ts';

export interface IncrementalResult {
  letterFile: string;
  /** Change one letter → rebuild. */
  change: Pick<BuildReport, 'ms' | 'changed' | 'embedded' | 'letters' | 'passages' | 'stages' | 'layout'> & { wallMs: number };
  /** Restore it → rebuild. */
  restore: Pick<BuildReport, 'ms' | 'changed' | 'embedded' | 'stages' | 'layout'> & { wallMs: number };
  /** Then `compact: true`: the delta folded in, the index rewritten as one segment. */
  compact?: Pick<BuildReport, 'ms' | 'stages' | 'layout'> & { wallMs: number };
}

/**
 * @example const r = await measureIncrementalRebuild(corpusDir, 'letter-00042.txt', indexDir, embedder);
 */
export async function measureIncrementalRebuild(corpusDir: string, letterFile: string, indexDir: string, embedder: Embedder | null): Promise<IncrementalResult> {
  const file = path.join(corpusDir, letterFile);
  const original = await readFile(file, 'utf8');
  // Change one sentence: an extra clause in the first body paragraph (after the 现答复如下 line).
  const changed = original.replace(/现答复如下：\n([^\n]*?)。/, (m, first: string) => m.replace(`${first}。`, `${first}，并已列入年度重点工作。`));
  if (changed === original) throw new Error(`could not change ${file}`);
  const dense = embedder ? 'on' : 'off';
  const build = async (compact = false) => {
    const t = performance.now();
    const report = await buildIndex({ corpusDirs: [corpusDir], indexDir, dense, embedder, compact, progress: false, log: () => undefined });
    return { report, wallMs: Math.round(performance.now() - t) };
  };
  try {
    await writeFile(file, changed);
    const a = await build();
    await writeFile(file, original);
    const b = await build();
    const c = await build(true);
    return {
      letterFile,
      change: { ms: a.report.ms, changed: a.report.changed, embedded: a.report.embedded, letters: a.report.letters, passages: a.report.passages, stages: a.report.stages, layout: a.report.layout, wallMs: a.wallMs },
      restore: { ms: b.report.ms, changed: b.report.changed, embedded: b.report.embedded, stages: b.report.stages, layout: b.report.layout, wallMs: b.wallMs },
      compact: { ms: c.report.ms, stages: c.report.stages, layout: c.report.layout, wallMs: c.wallMs },
    };
  } finally {
    await writeFile(file, original);
  }
}
