/**
 * The question-language detector: its one-character OpenCC converters must agree with the full
 * converters on every code point, and real letter text must come out as the language it is in.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Converter } from 'opencc-js';
import { describe, expect, it } from 'vitest';
import { characterConverters, detectLanguage } from '../bot/answer/detectLanguage.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures', 'letters');

describe('characterConverters', () => {
  it('convert every single code point exactly as the full OpenCC converters do', () => {
    const { toSimplified, toTraditional } = characterConverters();
    const fullToSimplified = Converter({ from: 'tw', to: 'cn' });
    const fullToTraditional = Converter({ from: 'cn', to: 'tw' });
    const differences: string[] = [];
    let changed = 0;
    for (let cp = 0; cp <= 0x3ffff; cp++) {
      if (cp >= 0xd800 && cp < 0xe000) continue; // lone surrogates are not characters
      const ch = String.fromCodePoint(cp);
      const [s, t] = [toSimplified(ch), toTraditional(ch)];
      if (s !== ch || t !== ch) changed++;
      if (s !== fullToSimplified(ch) || t !== fullToTraditional(ch)) differences.push(ch);
    }
    expect(differences).toEqual([]);
    // Thousands of characters differ between the scripts: the dictionaries really were loaded.
    expect(changed).toBeGreaterThan(5000);
  });
});

describe('detectLanguage on real letters', () => {
  const letters = readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.txt'))
    .map((f) => readFileSync(path.join(FIXTURES, f), 'utf8'));
  const fullToSimplified = Converter({ from: 'tw', to: 'cn' });
  const fullToTraditional = Converter({ from: 'cn', to: 'tw' });
  // Question-sized pieces: each letter's first lines with Chinese in them, as written and converted both ways.
  const pieces = letters.flatMap((text) =>
    text
      .split('\n')
      .filter((line) => /\p{Script=Han}{12,}/u.test(line))
      .slice(0, 8)
      .map((line) => line.slice(0, 40))
      .flatMap((line) => [line, fullToTraditional(line), fullToSimplified(line)]),
  );

  /** The rule as first written, with the full converters (the reference for the one-character ones). */
  function referenceLanguage(question: string): string {
    let han = 0;
    let latin = 0;
    let traditional = 0;
    let simplified = 0;
    for (const ch of question) {
      if (/[A-Za-z]/.test(ch)) latin++;
      else if (/\p{Script=Han}/u.test(ch)) {
        han++;
        if (fullToSimplified(ch) !== ch) traditional++;
        if (fullToTraditional(ch) !== ch) simplified++;
      }
    }
    if (han === 0 ? latin > 0 : latin >= 3 * han) return 'en';
    return traditional > simplified ? 'zh-Hant' : 'zh';
  }

  it('gives the same language as the full converters, on Simplified and Traditional text', () => {
    expect(pieces.length).toBeGreaterThan(30);
    const seen = new Set<string>();
    for (const piece of pieces) {
      const lang = detectLanguage(piece);
      expect(lang, piece).toBe(referenceLanguage(piece));
      seen.add(lang);
    }
    expect([...seen].sort()).toEqual(['zh', 'zh-Hant']);
    expect(detectLanguage(fullToTraditional('重庆和澳门青年交流有哪些安排？'))).toBe('zh-Hant');
  });
});
