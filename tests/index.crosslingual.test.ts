import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLetter } from '../corpus/parseLetter.ts';
import { cutPassages } from '../corpus/passages.ts';
import { readCorpus } from '../corpus/readCorpus.ts';
import { crossLingualTables, letterTerms, type CrossLingualTables } from '../index/corpusIndex.ts';
import { loadCedictContributions, loadCedictEntries, type CedictContributions, type RawEntry } from '../index/lexical/cedictContributions.ts';
import { buildEnglishDictionary, englishTranslations, mergeEnglishDictionaries, type EnglishDictionaryData } from '../index/lexical/englishDictionary.ts';
import { ENGLISH_STOPWORDS, englishKey, englishTokens } from '../index/lexical/englishWords.ts';
import { LexicalIndex } from '../index/lexical/lexicalIndex.ts';
import { FIXTURE_LETTERS } from './support/fixtureLetters.ts';

/**
 * The dictionary as it was built before the cache existed: one pass over all of CC-CEDICT. The
 * cached path must give exactly this (keys, candidates, qualities and their order).
 */
function referenceDictionary(entries: RawEntry[], inCorpus: (h: string) => boolean): { translations: EnglishDictionaryData; common: string[] } {
  const senseWords = (sense: string): string[] | null => {
    if (/^(CL:|variant of|old variant|see |surname |abbr\. for|also written|used in|\(Tw\) variant)/i.test(sense)) return null;
    const cleaned = sense
      .replace(/\([^)]*\)/g, ' ')
      .replace(/\[[^\]]*\]/g, ' ')
      .replace(/\b(sth|sb|etc)\b\.?/g, ' ')
      .trim()
      .replace(/^(to|a|an|the)\s+/i, '');
    const words = englishTokens(cleaned);
    return words.length ? words : null;
  };
  const best = new Map<string, Map<string, number>>();
  const add = (key: string, headword: string, quality: number) => {
    let m = best.get(key);
    if (!m) best.set(key, (m = new Map()));
    if ((m.get(headword) ?? 0) < quality) m.set(headword, quality);
  };
  const lowerWords = new Set<string>();
  for (const entry of entries) {
    const headword = entry[1];
    const gloss = Array.isArray(entry[3]) ? entry[3].join('; ') : entry[3];
    for (const w of gloss.match(/\b[a-z]{3,}\b/g) ?? []) lowerWords.add(w);
    if (!/^\p{Script=Han}+$/u.test(headword) || !inCorpus(headword)) continue;
    const lengthFactor = headword.length === 1 ? 0.4 : 1;
    gloss.split(/;\s*/).forEach((sense, i) => {
      const words = senseWords(sense);
      if (!words) return;
      const senseFactor = (i === 0 ? 1 : 0.85) * lengthFactor;
      const content = words.filter((w) => !ENGLISH_STOPWORDS.has(w));
      if (words.length <= 4 && content.length) add(content.map(englishKey).join(' '), headword, senseFactor);
      if (content.length > 1 && content.length <= 6) for (const w of content) add(englishKey(w), headword, (0.45 / content.length) * senseFactor);
    });
  }
  const common = new Set<string>();
  for (const w of lowerWords) if (!ENGLISH_STOPWORDS.has(w)) common.add(englishKey(w));
  const translations: EnglishDictionaryData = {};
  for (const [key, m] of best) {
    translations[key] = [...m.entries()]
      .sort((a, b) => b[1] - a[1] || b[0].length - a[0].length)
      .slice(0, 8)
      .map(([h, q]) => [h, Math.round(q * 1000) / 1000]);
  }
  return { translations, common: [...common].sort() };
}

/** Passage terms of fixture letters. */
async function passageTerms(files?: string[]) {
  const { docs } = await readCorpus(files ? files.map((f) => path.join(FIXTURE_LETTERS, f)) : FIXTURE_LETTERS);
  return docs.map((d) => parseLetter(d)).flatMap((l) => letterTerms(l, cutPassages(l)).passages);
}

/** Same keys in the same order, same candidates in the same order, same qualities. */
const exactly = (d: EnglishDictionaryData) => JSON.stringify(d);
const tablesText = (t: CrossLingualTables) => JSON.stringify({ english: t.english, common: [...t.commonEnglish], pinyin: t.pinyin });

let scratch: string;
let lexical: LexicalIndex;
let inCorpus: (h: string) => boolean;
let reference: { translations: EnglishDictionaryData; common: string[] };
let derived: CedictContributions;

beforeAll(async () => {
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'fuhan-cedict-'));
  lexical = LexicalIndex.fromDocuments(await passageTerms());
  const terms = new Set(lexical.terms());
  inCorpus = (h) => terms.has('w:' + h) || (h.length >= 2 && h.length <= 6 && [...Array(h.length - 1).keys()].every((i) => terms.has('b:' + h.slice(i, i + 2))));
  reference = referenceDictionary(await loadCedictEntries(), inCorpus);
  // Derived (no cache file yet) and written to a cache folder of this test's own.
  derived = await loadCedictContributions({ cacheDir: path.join(scratch, 'cache') });
}, 60_000);
afterAll(async () => {
  await fs.rm(scratch, { recursive: true, force: true });
});

describe('CC-CEDICT contributions and their cache', () => {
  it('builds the same dictionary as one pass over the whole of CC-CEDICT', async () => {
    expect(Object.keys(reference.translations).length).toBeGreaterThan(1000);
    expect(exactly(englishTranslations(derived, inCorpus))).toBe(exactly(reference.translations));
    expect(derived.common.join('\n') === reference.common.join('\n')).toBe(true);
    const { translations, common } = await buildEnglishDictionary(inCorpus, { contributions: derived });
    expect(exactly(translations)).toBe(exactly(reference.translations));
    expect(common.join('\n') === reference.common.join('\n')).toBe(true);
    expect(translations[englishKey('kilometre')]?.[0]).toEqual(['公里', 1]);
  });

  it('gives identical tables from the cache file as derived in memory', async () => {
    const dir = path.join(scratch, 'cache');
    const files = await fs.readdir(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^contributions-[0-9a-f]+\.bin$/);
    const cached = await loadCedictContributions({ cacheDir: dir });
    expect(cached !== derived).toBe(true); // read from the file, not the same object
    expect(exactly(englishTranslations(cached, inCorpus))).toBe(exactly(reference.translations));
    // (Compared as text: toEqual is slow on arrays of 100k strings.)
    for (const field of ['common', 'headwords', 'keys', 'qualities'] as const) expect(cached[field].join('\n') === derived[field].join('\n')).toBe(true);
    expect(cached.headwords.length).toBeGreaterThan(100_000);
    const bytes = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    for (const field of ['offsets', 'pairKey', 'pairQuality'] as const) expect(bytes(cached[field]).equals(bytes(derived[field]))).toBe(true);
  });

  it('ignores a damaged cache file and rewrites it', async () => {
    const dir = path.join(scratch, 'damaged');
    await fs.mkdir(dir);
    const [file] = await fs.readdir(path.join(scratch, 'cache'));
    const good = await fs.readFile(path.join(scratch, 'cache', file));
    // Cut short; one byte of the tables changed; a quality changed in the header (same length).
    const flipped = Buffer.from(good);
    flipped[flipped.length - 1000] ^= 1;
    const text = good.toString('latin1');
    const quality = /"qualities":\[(\d)/.exec(text)!;
    const requalified = Buffer.from(text.replace(quality[0], `"qualities":[${quality[1] === '1' ? 2 : 1}`), 'latin1');
    for (const bad of [good.subarray(0, good.length / 2), flipped, requalified]) {
      await fs.writeFile(path.join(dir, file), bad);
      const c = await loadCedictContributions({ cacheDir: dir });
      expect(exactly(englishTranslations(c, inCorpus))).toBe(exactly(reference.translations));
      expect((await fs.readFile(path.join(dir, file))).equals(good)).toBe(true);
    }
  }, 60_000);

  it('works when the cache cannot be written', async () => {
    const blocker = path.join(scratch, 'a-file');
    await fs.writeFile(blocker, '');
    const c = await loadCedictContributions({ cacheDir: path.join(blocker, 'cache') });
    expect(exactly(englishTranslations(c, inCorpus))).toBe(exactly(reference.translations));
  }, 30_000);
});

describe('crossLingualTables', () => {
  it('builds the full tables from the cache', async () => {
    const tables = await crossLingualTables(lexical);
    expect(exactly(tables.english)).toBe(exactly(reference.translations));
    expect([...tables.commonEnglish].join('\n') === reference.common.join('\n')).toBe(true);
    expect(Object.keys(tables.pinyin).length).toBeGreaterThan(300);
  });

  it('extends the tables of a grown vocabulary exactly as looking up all its new headwords does', async () => {
    const files = (await fs.readdir(FIXTURE_LETTERS)).filter((f) => f.endsWith('.txt')).sort();
    const [firstHalf, secondHalf] = [files.slice(0, 4), files.slice(4)];
    const before = LexicalIndex.fromDocuments(await passageTerms(firstHalf));
    const tablesBefore = await crossLingualTables(before);
    const added = await passageTerms(secondHalf);
    const grown = before.withChanges(new Uint8Array(before.size).fill(1), added);
    const incremental = await crossLingualTables(grown, { tables: tablesBefore, lexical: before });

    // What the build did before the cache: every new headword of the dictionary, merged in.
    const terms = (l: LexicalIndex) => new Set(l.terms());
    const present = (t: Set<string>) => (h: string) => t.has('w:' + h) || (h.length >= 2 && h.length <= 6 && [...Array(h.length - 1).keys()].every((i) => t.has('b:' + h.slice(i, i + 2))));
    const [now, was] = [present(terms(grown)), present(terms(before))];
    const { translations } = await buildEnglishDictionary((h) => now(h) && !was(h), { common: false, contributions: derived });
    expect(Object.keys(translations).length).toBeGreaterThan(100);
    expect(exactly(incremental.english)).toBe(exactly(mergeEnglishDictionaries(tablesBefore.english, translations)));
    expect(incremental.commonEnglish).toBe(tablesBefore.commonEnglish);
    // Pinyin: as built from the grown vocabulary's characters.
    expect(incremental.pinyin).toEqual((await crossLingualTables(grown)).pinyin);

    // A vocabulary that only gained a word already spelled by known bigrams, and no new character.
    const again = before.withChanges(new Uint8Array(before.size).fill(1), [{ words: [], bigrams: [before.terms().find((t) => t.startsWith('b:'))!.slice(2)] }]);
    expect(again.terms()).toEqual(before.terms());
    const unchanged = await crossLingualTables(again, { tables: tablesBefore, lexical: before });
    expect(tablesText(unchanged)).toBe(tablesText(tablesBefore));
  }, 30_000);
});
