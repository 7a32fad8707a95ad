/**
 * The words that make a message a follow-up, in one place. Every pattern runs on text already
 * through `normalizeForMatch` (Traditional folded to Simplified, full-width to half-width, lower
 * case), so 「那重慶呢？」 and 「那重庆呢?」 read alike and one list serves both scripts.
 */

/** 「换个问题」, /new, "start over": forget the conversation. */
export const RESET = /^(?:\/(?:new|reset)(?:@\w+)?|换(?:个|一个)(?:问题|话题)|重新开始|新(?:的)?问题|new (?:question|topic)|start (?:over|again)|reset)[\s.!?。！？,，]*$/;

/** Chinese ordinal numerals up to ten, and Arabic ones. */
const ZH_NUMERALS: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };
const EN_ORDINALS: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10, last: -1 };

/** What an ordinal points at: the n-th quote ([n]) or the n-th letter of the previous answer; -1 = the last. */
export interface OrdinalRef {
  target: 'quote' | 'letter';
  n: number;
}

function number(word: string): number {
  if (/^\d+$/.test(word)) return Number(word);
  if (word in ZH_NUMERALS) return ZH_NUMERALS[word]!;
  if (word === '最后') return -1;
  // "second", or "2nd" (parseInt reads the digits).
  return EN_ORDINALS[word] ?? Number.parseInt(word, 10);
}

/**
 * An ordinal reference in a short message: 「第二条详细说说」, 「第2封信」, 「[3]」, "the second one",
 * "more on [2]", "letter 2". Null for anything else.
 *
 * @example
 * ordinalOf('第二条详细说说') // → { target: 'quote', n: 2 }
 * ordinalOf('第2封信')        // → { target: 'letter', n: 2 }
 * ordinalOf('more on [2]')   // → { target: 'quote', n: 2 }
 */
export function ordinalOf(normalized: string): OrdinalRef | null {
  const text = normalized.trim();
  if (text.length > 40) return null;
  let m = /第\s*([一二两三四五六七八九十]|\d{1,2}|最后)\s*(封|份|个文件|篇)/.exec(text) ?? /(最后)一\s*(封|份|篇)/.exec(text);
  if (m) return { target: 'letter', n: number(m[1]!) };
  m = /第\s*([一二两三四五六七八九十]|\d{1,2})\s*(条|个|点|项|段|句|处)/.exec(text) ?? /(最后)一\s*(条|个|点|项|段|句)/.exec(text);
  if (m) return { target: 'quote', n: number(m[1]!) };
  m = /[[【(]\s*(\d{1,2})\s*[\]】)]/.exec(text) ?? /(?:^|\s)#(\d{1,2})\b/.exec(text) ?? /\b(?:quote|number|no\.?|item|point)\s*(\d{1,2})\b/.exec(text);
  if (m) return { target: 'quote', n: number(m[1]!) };
  m = /\b(?:letter|reply|document)\s*(\d{1,2})\b/.exec(text) ?? /\bthe (first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|\d{1,2}(?:st|nd|rd|th)) (?:letter|reply|document)\b/.exec(text);
  if (m) return { target: 'letter', n: number(m[1]!) };
  m = /\bthe (first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|\d{1,2}(?:st|nd|rd|th))(?: one| quote| point| item| sentence)?\b/.exec(text);
  if (m && text.split(/\s+/).length <= 8) return { target: 'quote', n: number(m[1]!) };
  return null;
}

/**
 * What a short message substitutes into the previous question: the X of 「那X呢」, 「X呢」, 「X怎么样」,
 * "and X?", "what about X?", "how about X?", "same for X". Null when it is no such message.
 *
 * @example
 * substitutionOf('那重庆呢?')                    // → '重庆'
 * substitutionOf('what about the transport bureau?') // → 'the transport bureau'
 */
export function substitutionOf(normalized: string): string | null {
  const text = normalized.trim().replace(/[\s?？.。!！,，]+$/u, '');
  // 「X呢」 with a short X; 「X怎么样 / 如何」 only after 那 / 换成 …, since 「…进展如何」 asks on its own.
  let m = /^(?:那|那么|那要是|要是|如果是|换成|还有|再看看)?\s*(.{1,12}?)\s*(?:的情况|这边|那边|方面|那里|这里)?\s*呢$/u.exec(text) ??
    /^(?:那|那么|那要是|要是|如果是|换成)\s*(.{1,12}?)\s*(?:的情况|这边|那边|方面|那里|这里)?\s*(?:怎么样|如何|怎样|又如何)$/u.exec(text);
  if (m && !/[吗什么哪谁几多]/.test(m[1]!)) return clean(m[1]!);
  m = /^(?:and |but |so |ok,? )?(?:what|how) about\s+(.{1,60})$/.exec(text) ?? /^(?:and|also|same for|the same for|now)\s+(?:for\s+|in\s+)?(.{1,60})$/.exec(text);
  if (m && m[1]!.split(/\s+/).length <= 6 && !/\b(?:what|who|when|how|which|why|did|does|is|are|was|were)\b/.test(m[1]!)) return clean(m[1]!);
  return null;
}

function clean(x: string): string | null {
  const out = x.replace(/^[\s,，、]+|[\s,，、]+$/gu, '');
  return out === '' ? null : out;
}

/** What a same-letter follow-up asks about the letter of the previous answer. */
export type LetterIntent = 'date' | 'signer' | 'plans' | 'content';

const SIGNER_ZH = /谁(?:签|发|写|回|答|出具)|哪(?:个|家)?(?:单位|部门|机关)(?:签|发|回|答|写|出具)|落款单位|署名|签发单位|发文单位/;
const SIGNER_EN = /\bwho (?:signed|wrote|sent|replied|answered|issued)\b|\bsigned by whom\b|\bwhich (?:office|department|body|agency|bureau) (?:signed|replied|wrote|sent|issued)\b/;
const DATE_ZH = /(?:哪天|哪一天|什么时候|何时|几号|几月几[日号]|什么日期|日期)[^，,。]{0,4}(?:回复|答复|复函|回的|发的|签的|落款|写的|发出|回信|出具)|(?:回复|答复|复函|落款|发文|回信)(?:的)?(?:日期|时间)|(?:是)?(?:哪天|什么时候|何时)(?:回复|答复|发|签|写)的/;
const DATE_EN = /\bwhen (?:did|was|were) (?:they|it|this|that|the (?:reply|letter|answer))\s*(?:reply|replied|answer|answered|respond|responded|sent|signed|written|dated|issued|write|send|sign)\b|\bwhen did they (?:reply|answer|respond|write)\b|\b(?:what|which) (?:date|day)\b.*\b(?:reply|letter|signed|sent|dated|written)\b|\bwhen was (?:it|this|that) (?:sent|signed|dated|written|issued)\b/;
const PLANS_ZH = /下一步|下步|打算|计划|承诺|将要|将会|今后|接下来|准备怎么|要怎么做/;
const PLANS_EN = /\b(?:plan|plans|planning|planned|promise|promised|promises|commit|commits|committed|next steps?|going to|will (?:they|it)|what next|do next)\b/;
// A leading 那 / 那么 ("so, …") leans on the conversation without pointing at anything in it.
const SO_ZH = /^那么?(?![个些份封项件里次边事])/;
const PRONOUN_ZH = /他们|她们|它们|对方|该(?:局|委|单位|部门|函|复函|项目|机构|办)|这(?:个|份|封|些|项|件|里|次|边|事)|那(?:个|份|封|些|项|件|里|次|边|事)|此(?:函|事|项)|上述|其中|^其/;
const ANAPHOR_EN = /\b(?:they|them|their|it|its|this|that|these|those|there|the same|the letter|the reply|the bureau|the office|the department|the agreement|the project)\b/;

/**
 * The intent of a message that leans on the previous answer's letter: its date, its signer, its
 * plans, or (through a pronoun: 他们, 这个, "they", "that") some content of it. Null for a message
 * with none of those words.
 *
 * @example
 * letterIntentOf('哪天回复的?')           // → 'date'
 * letterIntentOf('who signed it?')        // → 'signer'
 * letterIntentOf('他们下一步打算怎么做?') // → 'plans'
 * letterIntentOf('how much did it cost?') // → 'content'
 * letterIntentOf('mox是什么?')            // → null
 */
export function letterIntentOf(normalized: string): LetterIntent | null {
  if (SIGNER_ZH.test(normalized) || SIGNER_EN.test(normalized)) return 'signer';
  if (DATE_ZH.test(normalized) || DATE_EN.test(normalized)) return 'date';
  if (PLANS_ZH.test(normalized) || PLANS_EN.test(normalized)) return 'plans';
  if (SO_ZH.test(normalized) || PRONOUN_ZH.test(normalized) || ANAPHOR_EN.test(normalized)) return 'content';
  return null;
}

/**
 * True when a message points at something said before (他们, 这个, "it", "that"); false when it
 * only leans on the conversation with a leading 那 ("so, …") and names what it asks about itself.
 *
 * @example
 * pointsBack('那这个项目花了多少钱?')     // → true
 * pointsBack('那青年交流中心有几个人?')   // → false
 * pointsBack('how much did it cost?')     // → true
 */
export function pointsBack(normalized: string): boolean {
  return PRONOUN_ZH.test(normalized) || ANAPHOR_EN.test(normalized);
}
