/**
 * `fuhan eval --corpus DIR --questions FILE [--k 10] [--rankings OUT.jsonl] [--json]`
 *
 * Builds (or reuses) an index of the corpus, asks every question, prints recall@1/5/10, MRR@10,
 * letter recall, refusal accuracy and latency; `--rankings` writes the shared scorer's format.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { openIndexWithManifest } from '../../index/openIndex.ts';
import { buildIndex } from '../../index/buildIndex.ts';
import { loadConfig, REPO_ROOT } from '../config.ts';
import { readQuestions } from '../evaluation/questionSet.ts';
import { runEvaluation } from '../evaluation/runEvaluation.ts';
import { runAnswerEvaluation } from '../evaluation/runAnswerEvaluation.ts';
import { citationHits } from '../evaluation/answerMetrics.ts';
import { parseOptions, UsageError } from './commandSetup.ts';
import { parseDenseMode } from './denseOption.ts';

const HELP = `usage: fuhan eval --corpus DIR [--corpus DIR…] --questions FILE [--k 10] [--rankings OUT.jsonl] [--json]
                  [--index DIR] [--dense off|on|auto] [--answers [--details OUT.jsonl]]

Builds (or incrementally updates) an index of the corpus folders (default index folder:
.cache/eval-index/<corpus hash>), runs every question and prints retrieval metrics.
--answers scores the composed answers instead (citation 1 / hit@3 / any hit against the gold quotes,
letter of citation 1, refusals, citation line complete, answer length) per language, kind and style;
--details writes one line per question (refused, reason, citations shown).`;

export async function run(args: string[]): Promise<number> {
  const { values } = parseOptions(args, {
    options: {
      corpus: { type: 'string', multiple: true },
      questions: { type: 'string' },
      k: { type: 'string' },
      rankings: { type: 'string' },
      json: { type: 'boolean' },
      index: { type: 'string' },
      dense: { type: 'string' },
      answers: { type: 'boolean' },
      details: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (!values.corpus?.length || !values.questions) throw new UsageError('--corpus and --questions are required');
  // The model settings (FUHAN_MODEL_*) apply here too: check them before a long build.
  loadConfig(process.env, { groups: ['index'] });
  const k = Number(values.k ?? '10');
  if (!Number.isInteger(k) || k < 1 || k > 100) throw new UsageError('--k must be a whole number from 1 to 100');
  const dense = parseDenseMode(values.dense ?? 'auto');
  const corpusDirs = values.corpus.map((d) => path.resolve(d));
  const indexDir = path.resolve(
    values.index ?? path.join(REPO_ROOT, '.cache', 'eval-index', createHash('sha256').update(corpusDirs.join('\n')).digest('hex').slice(0, 12)),
  );
  const questions = await readQuestions(values.questions);
  const log = (line: string) => console.error(line);
  const report = await buildIndex({ corpusDirs, indexDir, dense, log });
  log(`index: ${report.letters} letters, ${report.passages} passages, ${report.mode} (${report.unchanged} reused, ${report.added + report.changed} parsed)`);
  const { engine } = await openIndexWithManifest({ corpusDirs, indexDir, dense, log, buildIfMissing: false });
  if (values.answers) return reportAnswers(await runAnswerEvaluation(engine, questions, k), engine.dense ? 'hybrid' : 'lexical-only', values.json === true, values.details);
  const result = await runEvaluation(engine, questions, k);

  if (values.rankings) {
    const lines = result.outcomes.map((o) => JSON.stringify({ id: o.question.id, refused: o.refused, passages: o.passages.slice(0, 10) }));
    await fs.writeFile(values.rankings, lines.join('\n') + '\n');
  }
  if (values.json === true) {
    console.log(JSON.stringify({ mode: engine.dense ? 'hybrid' : 'lexical-only', questions: questions.length, metrics: result.metrics, refusal: result.refusal, latency_ms: result.latencyMs }));
    return 0;
  }
  console.log(`mode: ${engine.dense ? 'hybrid' : 'lexical-only'} · ${questions.length} questions · k=${k}`);
  console.table(
    result.metrics.map((m) => ({
      group: m.group,
      answerable: m.answerable,
      'R@1': m.recall1,
      'R@5': m.recall5,
      'R@10': m.recall10,
      'MRR@10': m.mrr10,
      'letter R@1': m.letterRecall1,
      'false refusals': m.falseRefusals,
      unanswerable: m.unanswerable,
      'refused right': m.refusedRight,
    })),
  );
  console.log(
    `refusal: ${result.refusal.refusedRight}/${result.refusal.unanswerable} unanswerable refused, ${result.refusal.falseRefusals}/${result.refusal.answerable} answerable refused · latency p50 ${result.latencyMs.p50} ms, p95 ${result.latencyMs.p95} ms`,
  );
  return 0;
}

async function reportAnswers(result: Awaited<ReturnType<typeof runAnswerEvaluation>>, mode: string, json: boolean, details?: string): Promise<number> {
  if (details) {
    const lines = result.outcomes.map((o) =>
      JSON.stringify({ id: o.question.id, refused: o.refused, reason: o.reason, hits: citationHits(o), citations: o.citations.map((c) => ({ doc: c.doc, quote: c.quote })) }),
    );
    await fs.writeFile(details, lines.join('\n') + '\n');
  }
  if (json) {
    console.log(JSON.stringify({ mode, questions: result.outcomes.length, answers: result.metrics }));
    return 0;
  }
  console.log(`mode: ${mode} · ${result.outcomes.length} questions · composed answers`);
  console.table(
    result.metrics.map((m) => ({
      group: m.group,
      answerable: m.answerable,
      'cite 1': m.cite1,
      'hit@3': m.hit3,
      'any hit': m.anyHit,
      'letter@1': m.letter1,
      'wrong letter 1st': m.wrongLetterFirst,
      'false refusals': m.falseRefusals,
      'refused right': `${m.refusedRight}/${m.unanswerable}`,
      'cite line': m.citationComplete,
      'median chars': m.medianQuoteChars,
      'median text': m.medianTextChars,
      'median quotes': m.medianQuotes,
    })),
  );
  return 0;
}
