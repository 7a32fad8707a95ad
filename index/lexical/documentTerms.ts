/**
 * The terms a piece of letter text is indexed under.
 */
import type { DocumentTerms } from './lexicalIndex.ts';
import { normalizeForMatch } from './normalizeForMatch.ts';
import { chineseTerms, latinTokens } from './segmenter.ts';

/**
 * Words (jieba search-mode words, Latin words, numbers) and character bigrams of a text. A letter's
 * passages, their headings and the letter as a whole share their runs of Chinese characters, and
 * letters share much of their wording: each run is cut once (see chineseTerms).
 *
 * @example
 * documentTerms('签订了全面合作框架协议').words // → ['签订', '了', '全面', '合作', '框架', '协议']
 */
export function documentTerms(text: string): DocumentTerms {
  const normalized = normalizeForMatch(text);
  const { words, bigrams } = chineseTerms(normalized);
  for (const t of latinTokens(normalized)) words.push(t);
  return { words, bigrams };
}
