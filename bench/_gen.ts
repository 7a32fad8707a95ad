import { buildSentencePool } from './sentencePool.ts';
import { ensureBenchCorpus } from './generateCorpus.ts';
import { buildIndex } from '../index/buildIndex.ts';
const p = await buildSentencePool(['corpus/letters', 'tests/fixtures/letters', '../shared/eval/dev/letters']);
for (const size of [1000, 10000]) {
  const c = await ensureBenchCorpus(p, size, '.cache/bench-corpus');
  console.log(size, c);
  const t = performance.now();
  const r = await buildIndex({ corpusDirs: [c.dir], indexDir: `.cache/bench-index/probe-${size}-lexical`, dense: 'off', progress: false, log: console.log });
  console.log(size, 'build', r.ms, r.passages, performance.now() - t, process.memoryUsage().rss / 1e6);
}
