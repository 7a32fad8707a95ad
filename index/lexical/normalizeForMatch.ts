/**
 * One form for matching: Traditional → Simplified, full-width → half-width, lower case, and
 * inline pinyin annotations removed (關(guān)于 → 关于). Used on letters and questions alike, for
 * matching only: quotes are always cut from the letter's own text.
 */
import * as OpenCC from 'opencc-js';

// OpenCC's Traditional (OpenCC standard) plus Taiwan and Hong Kong variants all fold to mainland Simplified.
// Built on first use (~40 ms): importing this module (every command does) should cost nothing.
let foldToSimplified: ((text: string) => string) | undefined;

function buildFoldToSimplified(): (text: string) => string {
  const toSimplified = OpenCC.Converter({ from: 'tw', to: 'cn' });
  const hkToSimplified = OpenCC.Converter({ from: 'hk', to: 'cn' });
  return (text) => hkToSimplified(toSimplified(text));
}

// A CJK character followed by a parenthesised toneful pinyin syllable, as some sites print Traditional text.
const INLINE_PINYIN = /(\p{Script=Han})[(（]([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ][a-zü]*)[)）]/gu;

/**
 * Normalises text for lexical matching.
 *
 * @example
 * normalizeForMatch('對縣十七屆人大五次會議第19號建議的答復(fù)') // → '对县十七届人大五次会议第19号建议的答复'
 * normalizeForMatch('ＭＯＸ澳交所') // → 'mox澳交所'
 */
export function normalizeForMatch(text: string): string {
  // Answers normalise the same passages' sentences question after question: remember short ones.
  const cached = text.length <= 2000 ? CACHE.get(text) : undefined;
  if (cached !== undefined) return cached;
  const out = normalizeUncached(text);
  if (text.length <= 2000) {
    if (CACHE.size >= CACHE_SIZE) CACHE.delete(CACHE.keys().next().value!);
    CACHE.set(text, out);
  }
  return out;
}

const CACHE_SIZE = 20_000;
const CACHE = new Map<string, string>();

function normalizeUncached(text: string): string {
  let s = text.normalize('NFKC');
  if (s.includes('(') || s.includes('（')) s = s.replace(INLINE_PINYIN, '$1');
  foldToSimplified ??= buildFoldToSimplified();
  s = foldToSimplified(s);
  return s.toLowerCase();
}
