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
  const normalized = normalizeForMatch(text);
  return {
    words: [...chineseWords(normalized), ...latinTokens(normalized)],
    bigrams: cjkBigrams(normalized),
  };
}
