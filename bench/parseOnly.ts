/**
 * Parse → cut → tokenise alone, on one thread, over the first N synthetic letters and/or the real letters:
 * the CPU per letter of each step (profile it with `node --cpu-prof --import tsx bench/parseOnly.ts`), and with
 * `--digest` a digest of every letter's parsed JSON, passages and terms (to check a change leaves them identical).
 *
 * @example
 * node --import tsx bench/parseOnly.ts --size 2000 --real            # timings
 * node --import tsx bench/parseOnly.ts --size 2000 --real --digest /tmp/before.txt
 */
import { createHash } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { RawDocument } from '../corpus/letter.ts';
import { parseLetter } from '../corpus/parseLetter.ts';
import { cutPassages } from '../corpus/passages.ts';
import { readCorpus } from '../corpus/readCorpus.ts';
import { letterTerms } from '../index/corpusIndex.ts';
import { TermRowsBuilder } from '../index/lexical/termRows.ts';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '2000' },
    real: { type: 'boolean', default: false },
    digest: { type: 'string' },
    corpus: { type: 'string', default: '.cache/bench-corpus/v3-s1-10000' },
  },
});
const size = Number(values.size);
const dirs = ['corpus/letters', 'tests/fixtures/letters', '../shared/eval/dev/letters'].filter((d) => existsSync(d));
const docs: RawDocument[] = [];
if (values.real) for (const d of dirs) docs.push(...(await readCorpus(d)).docs);
if (size > 0) {
  const files = Array.from({ length: size }, (_, i) => path.join(values.corpus!, `letter-${String(i).padStart(5, '0')}.txt`));
  docs.push(...(await readCorpus(files)).docs);
}
const cpu = () => ((c) => (c.user + c.system) / 1000)(process.cpuUsage());
// Step by step over all letters (a clock read per letter would cost more than some steps).
let at = cpu();
const letters = docs.map((doc) => parseLetter(doc));
const parse = cpu() - at;
at = cpu();
const passages = letters.map((letter) => cutPassages(letter));
const cut = cpu() - at;
at = cpu();
const terms = letters.map((letter, i) => (letter.text.trim() && passages[i].length ? letterTerms(letter, passages[i]) : null));
const tokenise = cpu() - at;
at = cpu();
// Counted into rows as a parsing thread does, per batch of 32 letters (analyzeLetters.ts).
for (let b = 0; b < terms.length; b += 32) {
  const passageRows = new TermRowsBuilder();
  const letterRows = new TermRowsBuilder();
  for (const t of terms.slice(b, b + 32)) {
    if (!t) continue;
    letterRows.addDocument(t.letter);
    for (const p of t.passages) passageRows.addDocument(p);
  }
}
const count = cpu() - at;
const per = (ms: number) => +(ms / docs.length).toFixed(3);
console.log(JSON.stringify({ letters: docs.length, msPerLetter: { parse: per(parse), cut: per(cut), terms: per(tokenise), rows: per(count), total: per(parse + cut + tokenise + count) } }));
if (values.digest) {
  const digest = (i: number) => createHash('sha256').update(JSON.stringify(letters[i])).update(JSON.stringify(passages[i])).update(JSON.stringify(terms[i])).digest('hex');
  writeFileSync(values.digest, docs.map((d, i) => `${d.file}\t${digest(i)}\n`).join(''));
}
