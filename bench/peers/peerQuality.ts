/**
 * Retrieval quality of Fuhan and the peers on the real letters of the dev set, scored by the evaluation's own
 * rule (bot/evaluation/goldMatch.ts, the same as ../shared/eval/score.mjs: same letter, ≥ 60 % of the gold quote
 * in the passage, whitespace ignored): passage recall@5 per language, per question file. Fuhan is asked through
 * `SearchEngine.search` (as `fuhan eval --dense off`); the peers index Fuhan's passages of the same letters.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readQuestions } from '../../bot/evaluation/questionSet.ts';
import { computeMetrics, type MetricRow, type QuestionOutcome } from '../../bot/evaluation/retrievalMetrics.ts';
import { buildIndex } from '../../index/buildIndex.ts';
import { openIndex } from '../../index/openIndex.ts';
import { peerDoc, type Peer } from './peer.ts';

export interface QualityRow {
  /** Question file (base name). */
  set: string;
  system: string;
  /** Answerable questions. */
  answerable: number;
  /** Passage R@5: all, then per language. */
  recall5: Record<string, number>;
  /** Answerable questions: all, then per language (to pool files). */
  answerableBy: Record<string, number>;
  /** Passage R@1 over all answerable questions. */
  recall1: number;
}

/**
 * Scores every system on every question file over the letters of `letterDir`.
 *
 * @example const rows = await measureQuality('../shared/eval/dev/letters', ['…/questions.jsonl'], PEERS, '.cache/x', log);
 */
export async function measureQuality(letterDir: string, questionFiles: string[], peers: readonly Peer[], indexDir: string, log: (line: string) => void): Promise<QualityRow[]> {
  await buildIndex({ corpusDirs: [letterDir], indexDir, dense: 'off', embedder: null, full: true, progress: false, log: () => undefined });
  const engine = await openIndex({ corpusDirs: [letterDir], indexDir, dense: 'off', buildIfMissing: false, log: () => undefined });
  const { letters, passages } = engine.index;
  const byId = new Map(letters.map((l) => [l.id, l]));
  const docOf = (letterId: string) => path.basename(byId.get(letterId)!.file);
  const docs = passages.map((p, i) => peerDoc(i, byId.get(p.letter)?.title ?? '', p));
  const built = await Promise.all(peers.map(async (p) => ({ name: p.name, index: await p.build(docs) })));
  const rows: QualityRow[] = [];
  for (const file of questionFiles.filter((f) => existsSync(f))) {
    const questions = await readQuestions(file);
    const set = path.basename(file);
    const fuhan: QuestionOutcome[] = [];
    for (const q of questions) {
      const r = await engine.search(q.question, { k: 10 });
      fuhan.push({ question: q, refused: r.refused, passages: r.hits.map((h) => ({ doc: h.letter.doc, text: h.passage.text, score: h.score })), latencyMs: 0 });
    }
    rows.push(row(set, 'fuhan', computeMetrics(fuhan)));
    for (const { name, index } of built) {
      const outcomes: QuestionOutcome[] = [];
      for (const q of questions) {
        const ids = await index.search(q.question, 10);
        outcomes.push({ question: q, refused: false, passages: ids.map((i) => ({ doc: docOf(passages[i].letter), text: passages[i].text, score: 0 })), latencyMs: 0 });
      }
      rows.push(row(set, name, computeMetrics(outcomes)));
    }
    log(`peers: quality on ${set}: ${rows.filter((r) => r.set === set).map((r) => `${r.system} ${r.recall5.all.toFixed(3)}`).join(', ')}`);
  }
  return rows;
}

function row(set: string, system: string, metrics: MetricRow[]): QualityRow {
  const all = metrics[0];
  const recall5: Record<string, number> = { all: all.recall5 };
  const answerableBy: Record<string, number> = { all: all.answerable };
  for (const m of metrics) {
    if (!m.group.startsWith('lang:') || !m.answerable) continue;
    recall5[m.group.slice(5)] = m.recall5;
    answerableBy[m.group.slice(5)] = m.answerable;
  }
  return { set, system, answerable: all.answerable, recall5, answerableBy, recall1: all.recall1 };
}
