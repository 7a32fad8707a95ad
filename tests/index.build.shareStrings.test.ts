/**
 * Letters that come back from a parsing thread (structured clones) have their strings made slices of the
 * letter's text or one string per value: every value stays the same.
 */
import { describe, expect, it } from 'vitest';
import { analyzeBatch } from '../index/build/analyzeLetters.ts';
import { shareLetterStrings } from '../index/build/shareStrings.ts';
import { readCorpus } from '../corpus/readCorpus.ts';
import { FIXTURE_LETTERS } from './support/fixtureLetters.ts';

describe('shareLetterStrings', () => {
  it('keeps every value of the fixture letters and their passages, as a thread sends them', async () => {
    const { docs } = await readCorpus([FIXTURE_LETTERS]);
    const { items } = analyzeBatch(docs);
    let passages = 0;
    let commitments = 0;
    for (const item of items) {
      if ('skipped' in item) continue;
      const copy = structuredClone(item);
      shareLetterStrings(copy.letter, copy.passages);
      expect(copy).toEqual(item);
      for (const p of copy.passages) {
        expect(p.letter).toBe(copy.letter.id);
        expect(p.text).toBe(copy.letter.text.slice(p.start, p.end));
      }
      for (const c of copy.letter.commitments) expect(c.text).toBe(copy.letter.text.slice(c.start, c.end));
      passages += copy.passages.length;
      commitments += copy.letter.commitments.length;
    }
    expect(passages).toBeGreaterThan(20);
    expect(commitments).toBeGreaterThan(0);
  });
});
