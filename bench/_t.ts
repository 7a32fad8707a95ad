import { buildSentencePool } from './sentencePool.ts';
import { generateLetter } from './generateCorpus.ts';
import { parseLetter } from '../corpus/parseLetter.ts';
import { cutPassages } from '../corpus/passages.ts';
import { readLetterFile } from '../corpus/readCorpus.ts';
import { writeFileSync, mkdirSync } from 'node:fs';
const p = await buildSentencePool(['corpus/letters', 'tests/fixtures/letters', '../shared/eval/dev/letters']);
mkdirSync('/tmp/benchwork/gen', { recursive: true });
let tp = 0, tc = 0; const N = 200;
for (let i = 0; i < N; i++) {
  const { text, info } = generateLetter(p, i);
  writeFileSync(`/tmp/benchwork/gen/${info.file}`, text);
  if (i === 0) console.log(text);
}
const { docs } = await (await import('../corpus/readCorpus.ts')).readCorpus(['/tmp/benchwork/gen']);
for (const [j, d] of docs.entries()) { const l = parseLetter(d); const ps = cutPassages(l); tp += ps.length; tc += l.text.length; if (j === 0) console.log(l.issuer, l.proposal, l.date, l.addressees, l.title, l.sections.length, ps.map((x) => x.text.length)); }
console.log('passages/letter', tp / N, 'chars', tc / N);
