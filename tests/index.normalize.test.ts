/**
 * normalizeForMatch only runs OpenCC on the stretches of text it can change (see its module): its
 * output must be exactly that of the plain form below, which runs both converters on everything.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import * as OpenCC from 'opencc-js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Letter } from '../corpus/letter.ts';
import { normalizeForMatch } from '../index/lexical/normalizeForMatch.ts';
import { FIXTURE_LETTERS, SHIPPED_CORPUS, parsedLetters } from './support/fixtureLetters.ts';

// The reference: normalizeForMatch as it was before the fast path.
const INLINE_PINYIN = /(\p{Script=Han})[(（]([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ][a-zü]*)[)）]/gu;
const twToCn = OpenCC.Converter({ from: 'tw', to: 'cn' });
const hkToCn = OpenCC.Converter({ from: 'hk', to: 'cn' });
function plainNormalize(text: string): string {
  let s = text.normalize('NFKC');
  if (s.includes('(') || s.includes('（')) s = s.replace(INLINE_PINYIN, '$1');
  return hkToCn(twToCn(s)).toLowerCase();
}

const cnToTw = OpenCC.Converter({ from: 'cn', to: 'tw' });
const cnToHk = OpenCC.Converter({ from: 'cn', to: 'hk' });

/** Every [source, replacement] pair of the dictionaries opencc-js ships for the from/to locales and configs. */
function dictionaryPairs(): [string, string][] {
  const locale = OpenCC.Locale as unknown as Record<string, Record<string, unknown>>;
  const dicts = new Set<string | [string, string][]>();
  const collect = (x: unknown): void => {
    if (typeof x === 'string') dicts.add(x);
    else if (Array.isArray(x) && x.length === 2 && typeof x[0] === 'string' && typeof x[1] === 'string') return;
    else if (Array.isArray(x)) x.forEach(collect);
    else if (x && typeof x === 'object') Object.values(x).forEach(collect);
  };
  collect([locale.from, locale.to, locale.configs]);
  const pairs: [string, string][] = [];
  for (const d of dicts) {
    if (typeof d !== 'string') continue;
    for (const e of d.split('|')) {
      const [a, b] = e.split(' ');
      if (a && b) pairs.push([a, b]);
    }
  }
  return pairs;
}

function expectSame(texts: Iterable<string>): void {
  const mismatches: { text: string; got: string; want: string }[] = [];
  for (const text of texts) {
    const got = normalizeForMatch(text);
    const want = plainNormalize(text);
    if (got !== want && mismatches.length < 5) mismatches.push({ text, got, want });
  }
  expect(mismatches).toEqual([]);
}

let letters: Letter[];
let rawTexts: string[];

beforeAll(async () => {
  letters = await parsedLetters(SHIPPED_CORPUS, FIXTURE_LETTERS);
  rawTexts = [SHIPPED_CORPUS, FIXTURE_LETTERS].flatMap((dir) =>
    fs.readdirSync(dir).filter((f) => f.endsWith('.txt') || f.endsWith('.md')).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')),
  );
});

describe('normalizeForMatch', () => {
  it('keeps its documented examples', () => {
    expect(normalizeForMatch('對縣十七屆人大五次會議第19號建議的答復(fù)')).toBe('对县十七届人大五次会议第19号建议的答复');
    expect(normalizeForMatch('ＭＯＸ澳交所')).toBe('mox澳交所');
    expect(normalizeForMatch('损坏户外设施，臺風後')).toBe(plainNormalize('损坏户外设施，臺風後'));
  });

  it('matches the plain OpenCC form on every real letter, line and sentence, as written and in Traditional', () => {
    expect(letters.length).toBeGreaterThan(10);
    const texts: string[] = [...rawTexts];
    for (const l of letters) {
      texts.push(l.text, [l.title, l.issuer ?? '', l.addressees.join(' '), l.proposal ?? '', l.session ?? '', l.date ?? ''].join('\n'));
      texts.push(...l.text.split('\n'), ...l.text.split(/(?<=[。；！？])/u));
    }
    const traditional = [...rawTexts, ...letters.map((l) => l.text)].flatMap((t) => [cnToTw(t), cnToHk(t)]);
    expectSame(texts);
    expectSame(traditional);
    expectSame(traditional.flatMap((t) => t.split(/(?<=[。；！？\n])/u)));
  });

  it('matches it on every single code unit U+0000–U+FFFF and on astral characters', () => {
    const units = Array.from({ length: 0x10000 }, (_, c) => String.fromCharCode(c));
    expectSame(units);
    // Each unit between common neighbours, so matches that need context are exercised too.
    expectSame(units.map((u) => `台${u}户`));
    const astral = ['𠀀', '𠮷', '𡚨', '𤋮', '𦉇', '𪘀', '😀', '𝐀', '\u{10FFFF}', '\u{2F800}', '\u{2FA1D}'];
    expectSame([...astral, astral.join(''), astral.join('台')]);
  });

  it('matches it on every dictionary key and replacement, alone and run together with its neighbours', () => {
    const pairs = dictionaryPairs();
    expect(pairs.length).toBeGreaterThan(10_000);
    const words = [...new Set(pairs.flat())];
    expectSame(words);
    // Three words at a time (each word in two runs), then each word twice around a separator.
    const joined: string[] = [];
    for (let i = 0; i + 3 < words.length; i += 2) joined.push(words[i] + words[i + 1] + words[i + 3]);
    for (let i = 0; i < words.length; i += 7) joined.push(`${words[i]}，${words[i]}${words[i]}`);
    expectSame(joined);
  }, 60_000);

  it('matches it on random text mixing Simplified, Traditional, full-width, Latin, pinyin and odd code units', () => {
    const words = [...new Set(dictionaryPairs().flat())];
    const pieces = [
      fc.constantFrom(...words),
      fc.constantFrom(...'的台户脱温才群税峰核了著覆沈藉梁坏關對興謝臺戶脫溫纔羣峯'),
      fc.constantFrom('，', '。', ',', '.', ' ', '\n', '；', '“', '”', '(', ')', '（', '）', '、', '：'),
      fc.constantFrom('ＭＯＸ', 'Ａｂｃ', '１２３', 'ABC', 'Straße', 'İ', 'ǅ', '(guān)', '（fù）', '(ABC)', '⿰氵台', '⿱', '\ud800', '\udc00', '𠮷', '豈', '\u3000'),
      fc.string({ unit: 'binary', maxLength: 4 }),
      fc.integer({ min: 0x3400, max: 0x9fff }).map((c) => String.fromCharCode(c)),
    ];
    fc.assert(
      fc.property(fc.array(fc.oneof(...pieces), { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        expect(normalizeForMatch(text)).toBe(plainNormalize(text));
      }),
      { numRuns: 3000 },
    );
  }, 60_000);
});
