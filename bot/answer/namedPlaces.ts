/**
 * The places a question names, and whether a letter is *about* one of them — written by it (its
 * issuer or site owner governs it), to it (an addressee), on it (its title), or discussing it
 * throughout — rather than naming it in passing. A question about what a place will do next
 * (北京下一步打算怎么做？) is answered only by such a letter: a Qingdao letter that names a company's
 * Beijing office once says nothing of Beijing's plans.
 */
import type { Letter } from '../../corpus/letter.ts';
import type { SearchResult } from '../../index/searchTypes.ts';
import { ADMIN_SUFFIXES } from '../../index/lexical/analyzeQuery.ts';
import { isCommonWordTaggedPlace } from '../../index/lexical/commonPlaceTags.ts';
import { normalizeForMatch } from '../../index/lexical/normalizeForMatch.ts';
import { pinyinLibrary } from '../../index/lexical/pinyinNames.ts';
import { placeNames } from '../../index/lexical/segmenter.ts';

const SUFFIX = new RegExp(`(?:${ADMIN_SUFFIXES})$`, 'u');
// A letter whose text names a place in this many sentences discusses it (measured: a passing mention is
// one sentence; a letter on a place's cooperation names it in most paragraphs).
const SUBJECT_MENTIONS = 3;

/**
 * The places a question names, without administrative suffix (盘山县 → 盘山): the question's Chinese
 * terms that jieba tags as a place (not a common word it mistags, 入口), and in an English question
 * only those spelling a capitalised word of it (Beijing → 北京; a translation is no name).
 *
 * @example
 * namedPlaces(await searcher.search('北京下一步打算怎么做？')) // → ['北京']
 */
export function namedPlaces(result: Pick<SearchResult, 'question' | 'terms'>): string[] {
  const capitalised = new Set((result.question.match(/(?<=\S\s+)[A-Z][a-z]+/g) ?? []).map((w) => w.toLowerCase()));
  const english = /[a-z]{3}/i.test(result.question) && !/\p{Script=Han}/u.test(result.question);
  const out = new Set<string>();
  for (const { text } of result.terms) {
    if (!/^\p{Script=Han}{2,}$/u.test(text) || isCommonWordTaggedPlace(text) || !placeNames(text).includes(text)) continue;
    if (english && !capitalised.has(spelled(text))) continue;
    const core = text.replace(SUFFIX, '');
    if ([...core].length >= 2) out.add(core);
  }
  return [...out];
}

/**
 * Whether a letter is about one of the places: its title, issuer, addressees or site owner name it,
 * or its text does in several sentences. A letter that says nowhere where it is from (no place in its
 * issuer or site owner) cannot be ruled out.
 *
 * @example
 * isAboutPlace(qingdaoLetter, ['青岛']) // → true
 * isAboutPlace(qingdaoLetter, ['北京']) // → false (北京运营总部 once, in passing)
 */
export function isAboutPlace(letter: Letter, places: string[]): boolean {
  const meta = normalizeForMatch([letter.title, letter.issuer ?? '', letter.addressees.join(' '), letter.site ?? ''].join('\n'));
  if (places.some((p) => meta.includes(p))) return true;
  const placed = [letter.issuer, letter.site].some((x) => x && new RegExp(`^\\p{Script=Han}{2,8}?(?:${ADMIN_SUFFIXES}|州|旗)`, 'u').test(normalizeForMatch(x)));
  if (!placed) return true;
  const sentences = normalizeForMatch(letter.text).split(/[。！？!?；;\n]+/);
  return places.some((p) => sentences.filter((s) => s.includes(p)).length >= SUBJECT_MENTIONS);
}

/** Toneless pinyin of a Chinese word, joined (北京 → beijing). */
function spelled(word: string): string {
  return (pinyinLibrary().pinyin(word, { toneType: 'none', type: 'array' }) as string[]).join('').replace(/ü/g, 'v');
}
