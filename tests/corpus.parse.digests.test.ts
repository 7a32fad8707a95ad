/**
 * Parsing is optimised without changing its output: every real letter (fixtures and founding
 * letters) parsed, cut and tokenised is compared, as a digest of its JSON, with the digests kept
 * in tests/fixtures/parse-digests.json. A change that MEANS to change parsing updates them with
 * `npx vitest run tests/corpus.parse.digests.test.ts -u` (and says so in its commit); one that
 * does not (a faster splitter, a cache) must leave them as they are.
 */
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { parseLetter } from '../corpus/parseLetter.ts';
import { cutPassages } from '../corpus/passages.ts';
import { readLetterFile } from '../corpus/read/readLetterFile.ts';
import { letterTerms } from '../index/corpusIndex.ts';

const ROOT = path.join(import.meta.dirname, '..');
const DIRS = [path.join(ROOT, 'tests', 'fixtures', 'letters'), path.join(ROOT, 'corpus', 'letters')];

it('parses, cuts and tokenises every real letter as before, byte for byte', async () => {
  const digests: Record<string, string> = {};
  for (const dir of DIRS) {
    for (const name of readdirSync(dir).filter((f) => !f.endsWith('.json')).sort()) {
      const read = await readLetterFile(path.join(dir, name), { root: dir });
      if (!read.ok) continue;
      const letter = parseLetter(read.doc);
      const passages = cutPassages(letter);
      const terms = passages.length ? letterTerms(letter, passages) : null;
      // Without the absolute path it was read from: the digests hold in any checkout.
      const hash = createHash('sha256').update(JSON.stringify({ ...letter, file: name })).update(JSON.stringify(passages)).update(JSON.stringify(terms));
      digests[`${path.basename(dir)}/${name}`] = hash.digest('hex').slice(0, 16);
    }
  }
  expect(Object.keys(digests).length).toBeGreaterThan(10);
  await expect(JSON.stringify(digests, null, 2) + '\n').toMatchFileSnapshot('fixtures/parse-digests.json');
});
