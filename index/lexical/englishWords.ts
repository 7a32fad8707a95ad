/**
 * English words as keys: lower case, British spellings folded to the dictionary's American ones,
 * then Porter-stemmed (`stemmer`), so "kilometres", "kilometer" and "Kilometers" meet.
 */
import { stemmer } from 'stemmer';

// Spelling variants CC-CEDICT glosses do not use. Rules, not word lists, except for place names
// whose English spelling differs from the dictionary's (Macau is glossed as Macao).
const VARIANTS: [RegExp, string][] = [
  [/^macau$/, 'macao'],
  [/([tb])re(s?)$/, '$1er$2'], // kilometre → kilometer, centre → center, fibre → fiber
  [/our(s?)$/, 'or$1'], // harbour → harbor
  [/is(e|es|ed|ing|ation|ations)$/, 'iz$1'], // organise → organize
  [/yse(s?)$/, 'yze$1'], // analyse → analyze
  [/ogue(s?)$/, 'og$1'], // catalogue → catalog
];

/**
 * Splits English text into lower-case word tokens (letters, digits, inner hyphens/apostrophes dropped).
 *
 * @example
 * englishTokens("Chongqing's kilometre-long roads") // → ['chongqing', 'kilometre', 'long', 'roads']
 */
export function englishTokens(text: string): string[] {
  return (text.toLowerCase().replace(/['’]s\b/g, '').match(/[a-z]+|\d+/g) ?? []);
}

/**
 * The key a word is looked up by.
 *
 * @example
 * englishKey('Kilometres') === englishKey('kilometer') // → true
 */
export function englishKey(word: string): string {
  let key = keyCache.get(word);
  if (key === undefined) {
    // Building the dictionary asks for the same few tens of thousands of words millions of times.
    if (keyCache.size >= 200_000) keyCache.clear();
    keyCache.set(word, (key = computeKey(word)));
  }
  return key;
}

const keyCache = new Map<string, string>();

function computeKey(word: string): string {
  let w = word.toLowerCase();
  for (const [pattern, replacement] of VARIANTS) {
    if (pattern.test(w) && w.length > 4) {
      w = w.replace(pattern, replacement);
      break;
    }
  }
  return stemmer(w);
}

/** Function words and question words that carry no topic. */
export const ENGLISH_STOPWORDS = new Set(
  (
    'a an the and or but if of to in on at by for from with without into onto about above below over under as is are was were be been being ' +
    'do does did done doing have has had having will would shall should can could may might must it its this that these those there here ' +
    'what which who whom whose when where why how whether than then so such not no nor too very just also only any some all each every ' +
    'i me my we our you your he him his she her they them their us one ones much many more most other another own same ' +
    'say said says tell told ask asked reply replied replying answer answered letter letters wording exact exactly need want know please ' +
    'get got give given make made keep kept put still yet ever again further next s t'
  ).split(/\s+/),
);
