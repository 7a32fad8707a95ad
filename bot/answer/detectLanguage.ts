/**
 * Picks the language of the framing text (labels, headers, refusals) from the question itself:
 * the person asking reads the answer in the language they wrote in. Quotes are never translated.
 */
import { ConverterFactory, Locale } from 'opencc-js';
import type { AnswerLang } from '../answerTypes.ts';

const HAN = /\p{Script=Han}/u;
const LATIN_LETTER = /[A-Za-z]/;

/**
 * English when Latin letters clearly outweigh Chinese characters; Traditional Chinese when more
 * characters change under Traditional→Simplified than under Simplified→Traditional; else Simplified.
 * Comparing both directions keeps shared characters such as 著 (显著) from tipping Simplified text.
 *
 * @example
 * detectLanguage('what has Qingdao done with MOX?') // → 'en'
 * detectLanguage('重慶和澳門青年交流有哪些安排？')      // → 'zh-Hant'
 * detectLanguage('重庆和澳门青年交流有哪些安排？')      // → 'zh'
 */
export function detectLanguage(question: string): AnswerLang {
  let han = 0;
  let latin = 0;
  let traditional = 0;
  let simplified = 0;
  for (const ch of question) {
    if (LATIN_LETTER.test(ch)) latin++;
    else if (HAN.test(ch)) {
      han++;
      const changes = conversionsOf(ch);
      if (changes & CHANGES_TO_SIMPLIFIED) traditional++;
      if (changes & CHANGES_TO_TRADITIONAL) simplified++;
    }
  }
  // An English word is ~5 letters where Chinese needs ~1–2 characters: weigh accordingly.
  if (han === 0 ? latin > 0 : latin >= 3 * han) return 'en';
  if (traditional > simplified) return 'zh-Hant';
  return 'zh';
}

const CHANGES_TO_SIMPLIFIED = 1;
const CHANGES_TO_TRADITIONAL = 2;
// Per character: which of the two conversions change it. Questions reuse a few thousand common
// characters, and each conversion runs OpenCC's tries; the answer is the same every time.
const conversions = new Map<string, number>();
const CONVERSIONS_KEPT = 20_000;

function conversionsOf(ch: string): number {
  let changes = conversions.get(ch);
  if (changes === undefined) {
    const { toSimplified, toTraditional } = characterConverters();
    changes = (toSimplified(ch) !== ch ? CHANGES_TO_SIMPLIFIED : 0) | (toTraditional(ch) !== ch ? CHANGES_TO_TRADITIONAL : 0);
    if (conversions.size >= CONVERSIONS_KEPT) conversions.clear();
    conversions.set(ch, changes);
  }
  return changes;
}

// opencc-js's bundled type declarations do not resolve under NodeNext (extension-less relative
// imports), so its dictionary shapes are spelled out here.
type ConverterFunction = (text: string) => string;
type DictLike = string | readonly (readonly [string, string])[];
type DictGroup = readonly DictLike[];

let converters: { toSimplified: ConverterFunction; toTraditional: ConverterFunction } | undefined;

/**
 * OpenCC's Taiwan ↔ mainland converters, for ONE character at a time. Built on first use from the
 * dictionaries' one-character entries only: a single character can never match a longer phrase,
 * so the result is the same as the full converter's (checked over every code point in
 * tests/bot.language.test.ts), and building takes ~25 ms instead of ~250 ms (Simplified→Traditional
 * alone holds ~50,000 phrases), which every cold `fuhan ask` would otherwise pay.
 *
 * @example
 * characterConverters().toSimplified('門') // → '门'
 */
export function characterConverters(): { toSimplified: ConverterFunction; toTraditional: ConverterFunction } {
  converters ??= { toSimplified: characterConverter('tw2s'), toTraditional: characterConverter('s2tw') };
  return converters;
}

function characterConverter(configName: 'tw2s' | 's2tw'): ConverterFunction {
  // The runtime config also has a normalization chain (compatibility ideographs → unified), which
  // the published types leave out.
  const config = (Locale.configs as Record<string, unknown>)[configName] as { conversionChain: readonly DictGroup[]; normalizationChain?: readonly DictGroup[] };
  const convert: ConverterFunction = ConverterFactory(...oneCharacterGroups(config.conversionChain));
  if (!config.normalizationChain) return convert;
  const normalize: ConverterFunction = ConverterFactory(...oneCharacterGroups(config.normalizationChain));
  return (ch: string) => convert(normalize(ch));
}

/** The groups with only the entries whose source is one code point (dictionaries left empty dropped). */
function oneCharacterGroups(groups: readonly DictGroup[]): DictGroup[] {
  return groups.map((group) => group.map(oneCharacterEntries).filter((dict) => dict.length > 0));
}

function oneCharacterEntries(dict: DictLike): DictLike {
  const isOneCodePoint = (s: string) => s.length === 1 || (s.length === 2 && s.codePointAt(0)! > 0xffff);
  if (typeof dict !== 'string') return dict.filter(([source]) => isOneCodePoint(source));
  // Serialized form: "source target|source target|…".
  return dict
    .split('|')
    .filter((entry) => {
      const space = entry.indexOf(' ');
      return space > 0 && isOneCodePoint(entry.slice(0, space));
    })
    .join('|');
}
