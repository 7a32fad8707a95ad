import { openIndex } from '../index/openIndex.ts';
import { loadDevQuestions, generateQuestions } from './questions.ts';
import { buildSentencePool } from './sentencePool.ts';
import { generatedInfos } from './generateCorpus.ts';
import { LexicalIndex } from '../index/lexical/lexicalIndex.ts';
import { summarize } from './latencyStats.ts';
const size = 10000;
const pool = await buildSentencePool(['corpus/letters', 'tests/fixtures/letters', '../shared/eval/dev/letters']);
const qs = [...loadDevQuestions('../shared/eval/dev/questions.jsonl'), ...generateQuestions(generatedInfos(pool, size), 226)].map((q) => q.text);
const engine = await openIndex({ corpusDirs: [`.cache/bench-corpus/v3-s1-${size}`], indexDir: `.cache/bench-index/v3-s1-${size}-lexical`, dense: 'off', buildIfMissing: false });
const lex = engine.index.passageLexical as any;
const orig = LexicalIndex.prototype.scoreAll;
// Prototype: per-document BM25 length norm precomputed once per family; inner loop = one division.
const norms = new WeakMap<object, { w: Float32Array; b: Float32Array }>();
function fast(this: any, query: { term: string; weight: number }[], allow?: Uint8Array): Float64Array {
  const { k1, b } = this.params;
  let nm = norms.get(this);
  if (!nm) {
    const mk = (len: Float32Array, avg: number) => Float32Array.from(len, (l) => k1 * (1 - b + (b * l) / avg));
    nm = { w: mk(this.docLen.w, this.avgLen.w), b: mk(this.docLen.b, this.avgLen.b) };
    norms.set(this, nm);
  }
  const scores = new Float64Array(this.size);
  const docs: Uint32Array = this.postingDocs, tfs: Uint16Array = this.postingTfs, offs: Uint32Array = this.postingOffsets;
  for (const { term, weight } of query) {
    const t = this.termIds.get(term);
    if (t === undefined || weight === 0) continue;
    const norm = this.wordTerm[t] ? nm.w : nm.b;
    const w = this.idf(term) * weight * (k1 + 1);
    const end = offs[t + 1];
    if (allow) {
      for (let p = offs[t]; p < end; p++) { const d = docs[p]; if (!allow[d]) continue; const tf = tfs[p]; scores[d] += (w * tf) / (tf + norm[d]); }
    } else {
      for (let p = offs[t]; p < end; p++) { const d = docs[p]; const tf = tfs[p]; scores[d] += (w * tf) / (tf + norm[d]); }
    }
  }
  return scores;
}
const terms = qs.map((q) => engine.analyze(q).terms);
// check equality
for (const t of terms.slice(0, 20)) { const a = orig.call(lex, t), c = fast.call(lex, t); for (let i = 0; i < a.length; i++) if (Math.abs(a[i] - c[i]) > 1e-6 * Math.max(1, a[i])) { console.log('MISMATCH', i, a[i], c[i]); break; } }
for (let round = 0; round < 3; round++) {
  const A: number[] = [], B: number[] = [];
  for (const t of terms) {
    let s = performance.now(); orig.call(lex, t); A.push(performance.now() - s);
    s = performance.now(); fast.call(lex, t); B.push(performance.now() - s);
  }
  console.log('orig', JSON.stringify(summarize(A)), '\nfast', JSON.stringify(summarize(B)));
}
