/**
 * Realistic pages: every fixture letter wrapped in three government page templates (portal, table
 * layout, anonymous divs), as UTF-8 and GBK HTML, parses to the metadata and the passages of its text
 * version, with no page furniture in any passage, title or issuer.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Letter, RawDocument } from '../corpus/letter.ts';
import { parseLetterStrict } from '../corpus/parseLetter.ts';
import { cutPassages } from '../corpus/passages.ts';
import { readCorpus } from '../corpus/readCorpus.ts';
import { readLetterFile } from '../corpus/read/readLetterFile.ts';
import { FIXTURE_LETTERS, SHIPPED_CORPUS } from './support/fixtureLetters.ts';
import { pageBytes, TEMPLATE_FURNITURE, TEMPLATES, type PageLetter } from './support/govPages.ts';

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
const compact = (s: string) => s.replace(/\s+/g, '');

interface Source {
  doc: RawDocument;
  letter: Letter;
  page: PageLetter;
}
const sources: Source[] = [];
let temp: string;

beforeAll(async () => {
  temp = await mkdtemp(path.join(tmpdir(), 'fuhan-pages-'));
  const { docs } = await readCorpus([FIXTURE_LETTERS, SHIPPED_CORPUS]);
  for (const doc of docs) {
    const letter = parseLetterStrict(doc);
    // The page prints the title when the letter's text has it; a composed title is not on the page.
    const printed = letter.provenance?.title?.from !== 'composed' && compact(doc.text).includes(compact(letter.title));
    const lines = doc.text.split('\n').map((l) => l.trim()).filter(Boolean);
    sources.push({ doc, letter, page: { lines, title: printed ? letter.title : null, sponsor: letter.site ?? letter.issuer ?? '某某市人民政府', published: letter.published } });
  }
});
afterAll(async () => {
  await rm(temp, { recursive: true, force: true });
});

describe('fixture letters on realistic government pages', () => {
  for (const template of Object.keys(TEMPLATES)) {
    for (const encoding of ['utf-8', 'gbk'] as const) {
      it(`${template} page, ${encoding}: same metadata and passages as the text version, no furniture`, async () => {
        expect(sources.length).toBeGreaterThanOrEqual(14);
        for (const { doc, letter: want, page } of sources) {
          const name = `${doc.id}.${template}.${encoding}.html`;
          const file = path.join(temp, name);
          await writeFile(file, pageBytes(TEMPLATES[template], page, encoding));
          const read = await readLetterFile(file, { root: temp });
          if (!read.ok) throw new Error(`${name}: ${read.reason}`);
          const got = parseLetterStrict(read.doc);
          for (const key of ['title', 'proposal', 'session', 'kind', 'date', 'published', 'docNumber', 'indexNumber', 'resultClass', 'truncated'] as const) {
            expect(got[key], `${name} ${key}`).toEqual(want[key]);
          }
          expect(got.addressees, `${name} addressees`).toEqual(want.addressees);
          // A letter that names no issuer takes the site's sponsor, which only the page version has.
          if (want.issuer) expect(got.issuer, `${name} issuer`).toBe(want.issuer);
          else expect([null, page.sponsor], `${name} issuer`).toContain(got.issuer);
          const gotPassages = cutPassages(got).map((p) => squash(p.text));
          const wantPassages = cutPassages(want).map((p) => squash(p.text));
          expect(gotPassages, `${name} passages`).toEqual(wantPassages);
          const wantText = wantPassages.join('\n');
          for (const word of TEMPLATE_FURNITURE) {
            if (wantText.includes(word)) continue; // the letter's own words
            expect(gotPassages.join('\n').includes(word), `${name}: furniture 「${word}」 in a passage`).toBe(false);
            expect(`${got.title} ${got.issuer ?? ''}`.includes(word), `${name}: furniture 「${word}」 in title/issuer`).toBe(false);
          }
        }
      });
    }
  }
});
