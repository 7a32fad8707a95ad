/**
 * Sentences as quote candidates: splitSentences on real letters and the per-letter cache
 * (quotableSentences) the answer stage reads them through.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Letter } from '../corpus/letter.ts';
import { cutPassages } from '../corpus/passages.ts';
import { normalizeForMatch } from '../index/lexical/normalizeForMatch.ts';
import { contentLength, quotableSentences } from '../bot/answer/quotableSentences.ts';
import { splitSentences } from '../bot/answer/splitSentences.ts';
import { FIXTURE_LETTERS, SHIPPED_CORPUS, parsedLetters } from './support/fixtureLetters.ts';

let letters: Letter[];

beforeAll(async () => {
  letters = await parsedLetters(SHIPPED_CORPUS, FIXTURE_LETTERS);
});

describe('splitSentences', () => {
  it('cuts at full stops, semicolons and line breaks, keeping closing quotes', () => {
    const t = '一是推进。”二是落实；三是总结\n\n 四、好!"x';
    expect(splitSentences(t).map((s) => t.slice(s.start, s.end))).toEqual(['一是推进。”', '二是落实；', '三是总结', '四、好!"', 'x']);
  });

  it('yields ordered, trimmed, non-overlapping spans covering every non-space character of real letters', () => {
    for (const letter of letters) {
      const spans = splitSentences(letter.text);
      let covered = 0;
      spans.forEach((s, i) => {
        expect(s.end).toBeGreaterThan(s.start);
        if (i > 0) expect(s.start).toBeGreaterThanOrEqual(spans[i - 1].end);
        const text = letter.text.slice(s.start, s.end);
        expect(text).toBe(text.trim());
        covered += text.replace(/[\s\u3000\u00a0]/gu, '').length;
      });
      expect(covered).toBe(letter.text.replace(/[\s\u3000\u00a0]/gu, '').length);
    }
  });
});

describe('quotableSentences', () => {
  it('finds the sentences touching each passage, as a scan of all of them would', () => {
    for (const letter of letters) {
      const cut = quotableSentences(letter);
      for (const p of cutPassages(letter)) {
        const scanned = cut.spans.flatMap((s, i) => (s.start < p.end && s.end > p.start ? [i] : []));
        expect(cut.touching(p.start, p.end)).toEqual(scanned);
      }
    }
  });

  it('judges and normalises each sentence as the answer stage needs, the same on every call', () => {
    for (const letter of letters.slice(0, 5)) {
      const cut = quotableSentences(letter);
      expect(quotableSentences(letter)).toBe(cut);
      cut.spans.forEach((s, i) => {
        const text = letter.text.slice(s.start, s.end);
        expect(cut.normalized(i)).toBe(normalizeForMatch(text));
        if (contentLength(text) < 6 || text === letter.issuer) expect(cut.quotable(i)).toBe(false);
        expect(cut.quotable(i)).toBe(cut.quotable(i));
      });
    }
  });

  it("cuts each commitment within its own span, normalised, as the commitments ranking reads it", () => {
    const withCommitments = letters.filter((l) => l.commitments.length > 0);
    expect(withCommitments.length).toBeGreaterThan(0);
    for (const letter of withCommitments) {
      const cut = quotableSentences(letter);
      letter.commitments.forEach((c, i) => {
        const { sentences, normalized } = cut.commitment(i);
        expect(sentences.map(({ start, end }) => ({ start, end }))).toEqual(splitSentences(letter.text, c.start, c.end));
        for (const s of sentences) expect(s.normalized).toBe(normalizeForMatch(letter.text.slice(s.start, s.end)));
        expect(normalized).toBe(normalizeForMatch(c.text));
        expect(cut.commitment(i)).toBe(cut.commitment(i));
      });
    }
  });

  it('never offers a bare section heading or a date line as a quote', () => {
    for (const letter of letters) {
      const cut = quotableSentences(letter);
      cut.spans.forEach((s, i) => {
        const text = letter.text.slice(s.start, s.end);
        if (/^\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$/u.test(text)) expect(cut.quotable(i)).toBe(false);
        if (letter.sections.some((h) => h.level <= 3 && h.heading.trim() === text && contentLength(text) <= 20)) expect(cut.quotable(i)).toBe(false);
      });
    }
  });
});
