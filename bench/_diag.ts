import { openIndex } from '../index/openIndex.ts';
import { loadDevQuestions, generateQuestions } from './questions.ts';
import { buildSentencePool } from './sentencePool.ts';
import { generatedInfos } from './generateCorpus.ts';
import { topK } from '../index/lexical/lexicalIndex.ts';
import { letterMetadataTerms } from '../index/letterMetadataTerms.ts';
import { summarize } from './latencyStats.ts';
const size = Number(process.argv[2] ?? 10000);
const pool = await buildSentencePool(['corpus/letters', 'tests/fixtures/letters', '../shared/eval/dev/letters']);
const qs = [...loadDevQuestions('../shared/eval/dev/questions.jsonl'), ...generateQuestions(generatedInfos(pool, size), 226)].map((q) => q.text);
const engine = await openIndex({ corpusDirs: [`.cache/bench-corpus/v3-s1-${size}`], indexDir: `.cache/bench-index/v3-s1-${size}-lexical`, dense: 'off', buildIfMissing: false });
const { passageLexical, letterLexical, passageLetter, passages } = engine.index;
const T: Record<string, number[]> = { analyze: [], scoreP: [], scoreL: [], combine: [], topK: [], rescore: [], terms: [], postings: [] };
for (let rep = 0; rep < 2; rep++) for (const q of qs) {
  let t = performance.now();
  const query = engine.analyze(q); T.analyze.push(performance.now() - t);
  T.terms.push(query.terms.length); T.postings.push(query.terms.reduce((s, x) => s + passageLexical.df(x.term), 0));
  t = performance.now(); const ps = passageLexical.scoreAll(query.terms); T.scoreP.push(performance.now() - t);
  t = performance.now(); const ls = letterLexical.scoreAll(query.terms); T.scoreL.push(performance.now() - t);
  t = performance.now();
  let maxP = 0, maxL = 0; for (const x of ps) if (x > maxP) maxP = x; for (const x of ls) if (x > maxL) maxL = x;
  const combined = new Float64Array(passages.length);
  for (let i = 0; i < passages.length; i++) { if (ps[i] <= 0) continue; combined[i] = ps[i] / maxP + (1.2 * ls[passageLetter[i]]) / maxL; }
  T.combine.push(performance.now() - t);
  t = performance.now(); const cand = topK(combined, 200).map((h) => h.doc); T.topK.push(performance.now() - t);
  t = performance.now(); passageLexical.rescore(query.terms, cand, (term, doc) => (letterMetadataTerms(engine.index, passageLetter[doc]).has(term) ? 0.4 : 1)); T.rescore.push(performance.now() - t);
}
for (const [k, v] of Object.entries(T)) console.log(k.padEnd(8), JSON.stringify(summarize(v.slice(v.length / 2))));
