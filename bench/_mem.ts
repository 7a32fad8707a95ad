import fs from 'node:fs/promises';
import path from 'node:path';
import { currentGenerationDir } from '../index/store/generations.ts';
import { loadCorpusIndex } from '../index/store/corpusIndexFiles.ts';
import { readTypedArrays } from '../index/store/typedArrayFile.ts';
import { LetterSchema } from '../corpus/letter.ts';
import { z } from 'zod';
const dir = (await currentGenerationDir(process.argv[2]))!;
const mb = () => { const m = process.memoryUsage(); return `rss ${Math.round(m.rss / 2 ** 20)} heap ${Math.round(m.heapUsed / 2 ** 20)} ext ${Math.round((m.external + m.arrayBuffers) / 2 ** 20)} peak ${Math.round(process.resourceUsage().maxRSS / 1024)}`; };
const gc = (globalThis as any).gc ?? (() => {});
console.log('start', mb());
let t = performance.now();
if (process.argv[3] === 'steps') {
  const raw = await fs.readFile(path.join(dir, 'letters.json'), 'utf8'); console.log('read letters', mb(), Math.round(performance.now() - t)); t = performance.now();
  const json = JSON.parse(raw); console.log('JSON.parse', mb(), Math.round(performance.now() - t)); t = performance.now();
  const letters = z.array(LetterSchema).parse(json); console.log('zod', mb(), Math.round(performance.now() - t)); t = performance.now();
  gc(); console.log('gc', mb());
  const arrays = await readTypedArrays(path.join(dir, 'lexical.bin')); console.log('typed arrays', mb(), Math.round(performance.now() - t)); t = performance.now();
  gc(); console.log('gc', mb());
  (globalThis as any).keep = [letters, arrays];
} else {
  const { index } = await loadCorpusIndex(dir); console.log('loadCorpusIndex', mb(), Math.round(performance.now() - t));
  gc(); console.log('gc', mb());
  (globalThis as any).keep = index;
}
