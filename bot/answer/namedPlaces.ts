/**
 * The places a question names, and how a letter stands to them: *about* one — written by it (its
 * issuer or site owner governs it), to it (an addressee), on it (its title), or discussing it
 * throughout — or naming it only in passing. What a place will do next (北京下一步打算怎么做？) is
 * said only by a letter about it: a Qingdao letter that names a company's Beijing office once says
 * nothing of Beijing's plans.
 */
import type { Letter } from '../../corpus/letter.ts';
import type { SearchResult } from '../../index/searchTypes.ts';
import { ADMIN_SUFFIXES, ORGANISATION_END } from '../../index/lexical/analyzeQuery.ts';
import { isCommonWordTaggedPlace } from '../../index/lexical/commonPlaceTags.ts';
import { normalizeForMatch } from '../../index/lexical/normalizeForMatch.ts';
import { pinyinOf } from '../../index/lexical/pinyinNames.ts';
import { letterMetaText, sentences } from '../../index/refusal.ts';
import { placeNames } from '../../index/lexical/segmenter.ts';

const SUFFIX = new RegExp(`(?:${ADMIN_SUFFIXES})$`, 'u');
// A letter whose text names a place in this many sentences discusses it: a passing mention is one
// sentence (a company's Beijing office); a letter on an estate's bus service names the estate in the
// restated proposal and in the answer.
const SUBJECT_MENTIONS = 2;

/**
 * The places a question names, without administrative suffix (盘山县 → 盘山): the question's Chinese
 * terms that jieba tags as a place (not an organisation, 交通局, nor a common word it mistags, 入口),
 * and in an English question those spelling a capitalised word of it in pinyin (Beijing → 北京;
 * a translation is no name).
 *
 * @example
 * namedPlaces(await searcher.search('北京下一步打算怎么做？')) // → ['北京']
 */
export function namedPlaces(result: Pick<SearchResult, 'question' | 'terms'>): string[] {
  const english = !/\p{Script=Han}/u.test(result.question);
  const capitalised = new Set((result.question.match(/(?<=\S\s+)[A-Z][a-z]+/g) ?? []).map((w) => w.toLowerCase()));
  const out = new Set<string>();
  for (const { text } of result.terms) {
    if (!/^\p{Script=Han}{2,}$/u.test(text) || ORGANISATION_END.test(text)) continue;
    if (english ? !capitalised.has(pinyinOf(text).spelled) : isCommonWordTaggedPlace(text) || !placeNames(text).includes(text)) continue;
    const core = text.replace(SUFFIX, '');
    if ([...core].length >= 2) out.add(core);
  }
  return [...out];
}

/** How a letter stands to a place: about it, not about it, or cannot tell (it says nowhere where it is from). */
export type PlaceRelation = 'about' | 'passing' | 'unknown';

/**
 * Whether a letter is about one of the places: its title, issuer, addressees or site owner name it,
 * or its text does in several sentences. A letter that says nowhere where it is from (no place in its
 * issuer or site owner) and does not discuss the place cannot be ruled out: 'unknown'.
 *
 * @example
 * placeRelation(qingdaoLetter, ['青岛']) // → 'about'
 * placeRelation(qingdaoLetter, ['北京']) // → 'passing' (北京运营总部 once)
 */
export function placeRelation(letter: Letter, places: string[]): PlaceRelation {
  const meta = letterMetaText(letter);
  if (places.some((p) => meta.includes(p))) return 'about';
  const said = sentences(normalizeForMatch(letter.text));
  if (places.some((p) => said.filter((s) => s.includes(p)).length >= SUBJECT_MENTIONS)) return 'about';
  const placed = [letter.issuer, letter.site].some((x) => x && PLACED.test(normalizeForMatch(x)));
  return placed ? 'passing' : 'unknown';
}

const PLACED = new RegExp(`^\\p{Script=Han}{2,8}?(?:${ADMIN_SUFFIXES}|州|旗)`, 'u');
