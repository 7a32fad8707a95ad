/**
 * The terms a piece of letter text is indexed under.
 */
import type { DocumentTerms } from './lexicalIndex.ts';
import { normalizeForMatch } from './normalizeForMatch.ts';
import { chineseWords, cjkBigrams, latinTokens } from './segmenter.ts';

/**
 * Words (jieba search-mode words, Latin words, numbers) and character bigrams of a text.
 *
 * @example
 * documentTerms('签订了全面合作框架协议').words // → ['签订', '了', '全面', '合作', '框架', '协议']
 */
export function documentTerms(text: string): DocumentTerms {
  return sharingCuts(text);
}

/**
 * documentTerms, for texts that share runs of Chinese characters (a letter's passages, their
 * headings and the letter as a whole): `cut` remembers each run's words (see chineseWords).
 *
 * @example
 * const cut = new Map(); passages.map((p) => sharingCuts(p.text, cut));
 */
export function sharingCuts(text: string, cut?: Map<string, string[]>): DocumentTerms {
  const normalized = normalizeForMatch(text);
  return {
    words: [...chineseWords(normalized, cut), ...latinTokens(normalized)],
    bigrams: cjkBigrams(normalized),
  };
}
