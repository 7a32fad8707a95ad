/**
 * The second of an answer's three outcomes: the letters discuss the topic, but none states what was
 * asked ("the letter on the Shennong hospital does not state when it opens"). Then the closest quote
 * is shown, labelled as not answering, and the answer is a refusal (`reason: 'not-stated'`).
 *
 * Two ways to get here: the search's judgement refused by a rule that found the topic but not the
 * thing asked (its focus, a value, a sum, a person), or the quotes chosen hold no value of the kind
 * asked — a question asking for a year, a count or a sum whose best quotes state none.
 */
import { normalizeForMatch } from '../../index/lexical/normalizeForMatch.ts';
import { foldColloquial } from '../../index/lexical/questionScaffolding.ts';
import type { AnswerLang, RefusalReason } from '../answerTypes.ts';
import type { AskedValueKind, QuestionIntent } from './questionIntent.ts';
import { focusMatch } from './questionFocus.ts';

// Refusal rules (index/refusal.ts) that mean "on topic, but the thing asked is not stated".
const NOT_STATED_RULES = new Set(['focus-missing', 'value-missing', 'amount-missing', 'person-missing']);

/**
 * Which outcome a search refusal is.
 *
 * @example
 * refusalOutcome('amount-missing') // → 'not-stated'
 * refusalOutcome('place-absent')   // → 'off-topic'
 */
export function refusalOutcome(rule: string | undefined): RefusalReason {
  return rule && NOT_STATED_RULES.has(rule) ? 'not-stated' : 'off-topic';
}

// A year, month or day asked for explicitly (哪一年, 具体年份, what year), or when something is finished or
// opens (see COMPLETION_*): a condition or a progress report does not answer it.
const EXPLICIT_TIME = /哪一?年|年份|哪一?天|几月|哪个月|几号|什么日期|具体(时间|日期)|\bwhat (?:year|date|month|day)\b|\bwhich (?:year|date|month|day)\b|\bin what year\b/i;
const MONEY = /\d\s*(?:多|余)?\s*(?:万|亿|千|百)?\s*(?:元|块)|[￥¥]\s*\d|\d\s*(?:yuan|rmb)\b/i;

// Roads and streets asked for by name (新修的那条街叫什么名字, what is the bridge called): the quote must
// name one — a word ending in the road noun after a proper part (梨园路, 滨江东二路), not a counted or
// generic road (一条公路, 新建道路, 村道), nor a compound that is no road (街道 the subdistrict, 路线, 路段).
const ROAD_ASKED_ZH = /(路|街|道|巷|桥)[\s,，、的都分别是那这]*(叫什么|什么名字|名字|名称)/;
const ROAD_ASKED_EN = /\b(?:roads?|streets?|lanes?|bridges?|avenues?)\b/i;
const ROAD_NAMED = /\p{Script=Han}{2}(?:路|街|大道|巷|桥)(?![道线段面基口网况灯边梁头径])/gu;
// What may stand right before the road noun without naming it: a count, a demonstrative, a road class.
const NOT_A_NAME = /^(?:[一二两三四五六七八九十几数多各该这那每此其本全][条座个段]|.?[公道线马干支国省县乡村新旧小大])$/u;

function namesRoad(quote: string): boolean {
  for (const m of quote.matchAll(ROAD_NAMED)) if (!NOT_A_NAME.test(m[0].slice(0, 2))) return true;
  return false;
}

/**
 * The kind of value a question asks for that none of the quoted texts states, or null: an explicit
 * year or date, a count or a sum. Letter facts and lists are never checked (their lines answer).
 *
 * @example
 * missingValue(questionIntent('钓鱼城预计哪一年评上5A？'), '钓鱼城', ['将钓鱼城创5A纳入全市重点工作']) // → 'date'
 */
export function missingValue(intent: QuestionIntent, question: string, quotes: string[]): AskedValueKind | null {
  if (intent.letterFacts.length || intent.list || quotes.length === 0) return null;
  const asked = foldColloquial(normalizeForMatch(question));
  // Simplified, inline pinyin kept out of the way (20項(xiàng) → 20项(xiang)).
  quotes = quotes.map((q) => normalizeForMatch(q));
  const explicit = EXPLICIT_TIME.test(asked) || EXPLICIT_TIME.test(question) || intent.completion;
  if (intent.value === 'date' && explicit && !quotes.some((q) => focusMatch(q, 'date'))) return 'date';
  if (intent.value === 'count' && !quotes.some((q) => focusMatch(q, 'number'))) return 'count';
  if (intent.value === 'amount' && !quotes.some((q) => MONEY.test(q))) return 'amount';
  const roads = ROAD_ASKED_ZH.test(asked) || (/[a-z]/i.test(question) && ROAD_ASKED_EN.test(question));
  if (intent.value === 'name' && roads && !quotes.some(namesRoad)) return 'name';
  return null;
}

const MISSING: Record<AnswerLang, Record<AskedValueKind | 'other', string>> = {
  zh: { name: '名称', amount: '金额', count: '数量', date: '具体时间', place: '地点', person: '具体人员', reason: '原因', other: '所问的内容' },
  'zh-Hant': { name: '名稱', amount: '金額', count: '數量', date: '具體時間', place: '地點', person: '具體人員', reason: '原因', other: '所問的內容' },
  en: { name: 'the name', amount: 'the amount', count: 'the number', date: 'the date', place: 'the place', person: 'the person', reason: 'the reason', other: 'what was asked' },
};

/**
 * What was asked and not stated, in the answer's language.
 *
 * @example
 * missingLabel('amount', 'en') // → 'the amount'
 */
export function missingLabel(kind: AskedValueKind | undefined, lang: AnswerLang): string {
  return MISSING[lang][kind ?? 'other'];
}
