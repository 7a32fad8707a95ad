import { openIndex } from '../index/openIndex.ts';
import { answerQuestion } from '../bot/answer/answerQuestion.ts';
import { loadDevQuestions, generateQuestions } from './questions.ts';
import { buildSentencePool } from './sentencePool.ts';
import { generatedInfos } from './generateCorpus.ts';
import { measureAnswerLatency } from './answerLatency.ts';
const size = Number(process.argv[2] ?? 10000);
const pool = await buildSentencePool(['corpus/letters', 'tests/fixtures/letters', '../shared/eval/dev/letters']);
const qs = [...loadDevQuestions('../shared/eval/dev/questions.jsonl'), ...generateQuestions(generatedInfos(pool, size), 226)].map((q) => q.text);
let t = performance.now();
const engine = await openIndex({ corpusDirs: [`.cache/bench-corpus/v3-s1-${size}`], indexDir: `.cache/bench-index/v3-s1-${size}-lexical`, dense: 'off', buildIfMissing: false });
console.log('open', performance.now() - t);
const r = await measureAnswerLatency(engine, qs);
console.log(JSON.stringify({ total: r.total, stages: r.stages, shares: r.shares }));
// slowest questions
const times: [number, string, number, number][] = [];
for (const q of qs) { const t0 = performance.now(); await answerQuestion(engine, q, { log: () => {} }); const s = performance.now(); const res = await engine.search(q, {k: 10}); times.push([s - t0, q, res.timings.lexical, res.timings.fusion]); }
times.sort((a, b) => b[0] - a[0]);
console.log(times.slice(0, 8));
