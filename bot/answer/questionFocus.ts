/**
 * What kind of fact a question wants — a number, a date, or what has been done so far — so sentences that hold one rank higher,
 * and which sentences are reply-letter boilerplate (acknowledging receipt) that rarely answer anything.
 */
import { isChineseStopword } from '../../index/lexical/chineseStopwords.ts';
import { normalizeForMatch } from '../../index/lexical/normalizeForMatch.ts';
import { foldColloquial, topicText } from '../../index/lexical/questionScaffolding.ts';
import { chineseWords } from '../../index/lexical/segmenter.ts';

export type QuestionFocus = 'number' | 'date' | 'done' | null;

const NUMBER_EN = /\bhow (many|much|long|far|big|large)\b|\bwhat (number|amount|percentage|share)\b|\bnumber of\b/i;
const NUMBER_ZH = /多少|几[个名家项所条次年人万亿批对座辆处]|几|多大|多长|多远|比例|数量|金额/;
// "when" as the question word (When will…, …, and when was it…), not in "when replying".
const DATE_EN = /(?:^|[,;:.?!-]\s*|\band\s)when\b|\bwhen (?:did|was|were|will|is|does|do|has|had|can|would|should|are)\b|\bwhat (date|day|year|month|time)\b|\bdated\b|\bin which year\b/i;
const DATE_ZH = /什么时候|何时|哪天|哪一天|日期|哪年|哪一年|几月|什么时间|多久/;
const DONE_EN = /\bwhat (?:has|have|did)\b.*\b(?:done|do|achieved?)\b|\bprogress\b|\bso far\b|\balready\b/i;
const DONE_ZH = /做了|做过|已经|进展|成效|取得了|办得怎么样|落实了/;

/**
 * The focus of a question.
 *
 * @example
 * questionFocus('How many Macau youths joined?') // → 'number'
 * questionFocus('協議是什麼時候簽的？')            // → 'date'
 * questionFocus('what has Qingdao done with MOX?') // → 'done'
 * questionFocus('MOX是什么？')                     // → null
 */
export function questionFocus(question: string): QuestionFocus {
  const zh = normalizeForMatch(question);
  if (DATE_EN.test(question) || DATE_ZH.test(zh)) return 'date';
  if (NUMBER_EN.test(question) || NUMBER_ZH.test(zh)) return 'number';
  if (DONE_EN.test(question) || DONE_ZH.test(zh)) return 'done';
  return null;
}

// A number with what it counts or measures (7名, 283公里, 9297万元, 45%): a bare digit run is as often
// a phone number, a document number or a date; an ordinal (第二批, 第3届) numbers one thing, counts none.
const HAS_NUMBER = /(?<!第[\d一二两三四五六七八九十百千]*)(?:\d[\d,.]*|[一二两三四五六七八九十百千万亿]+)\s*[万千百亿]?\s*(?:余|多)?\s*(?:个|名|家|项|所|条|次|人|批|对|座|辆|处|元|公里|千米|米|平方|亩|公顷|%|％|倍|张|台|位|件|户|班|场|支|趟|站|套|间|栋|类|种|分钟|小时|届)/u;
const HAS_DATE = /\d{4}\s*年|\d{1,2}\s*月|\d{1,2}\s*日|\d{4}[-/.]\d{1,2}|[上下]半年|年底|年初|月底/u;
// Reported, completed action: a dated event or a verb of completion.
const HAS_DEED = /已经?|完成|签订|签署|成立|举办|建成|开通|印发|出台/u;

/**
 * 1 when the sentence holds what the focus asks for, else 0.
 *
 * @example
 * focusMatch('推荐7名澳门青年加入市青年联合会', 'number') // → 1
 */
export function focusMatch(sentence: string, focus: QuestionFocus): number {
  if (focus === 'number') return HAS_NUMBER.test(sentence) ? 1 : 0;
  if (focus === 'date') return HAS_DATE.test(sentence) ? 1 : 0;
  if (focus === 'done') return HAS_DATE.test(sentence) || HAS_DEED.test(sentence) ? 1 : 0;
  return 0;
}

// "Your proposal … has been received", thanks, "a very good proposal of great reference value": present in
// nearly every reply letter, they repeat the proposal's topic (so match the question's words) and answer nothing.
const BOILERPLATE = /收悉|感谢.{0,12}(关心|关注|支持)|谢谢|提得很好|很好的(参考|借鉴)|(参考|借鉴)价值/;

/**
 * True for acknowledgement sentences that rarely answer a question. `normalized`: the sentence
 * already passed through normalizeForMatch, when the caller has it.
 *
 * @example
 * isBoilerplate('您提出的《关于…的建议》收悉。') // → true
 */
export function isBoilerplate(sentence: string, normalized = normalizeForMatch(sentence)): boolean {
  return BOILERPLATE.test(normalized);
}

// Question words and the asking around them: never what a question ends on in substance.
const ASKING = /哪|什么|多少|几|怎|如何|吗|呢|谁|啥/;
// Question words that a noun naming the kind of answer follows (什么措施, 哪些安排, 几项工作).
const TYPE_ASKING = /哪|什么|多少|几|啥/;

/**
 * The content words a Chinese question ends on — what it asks about (…还在争取**哪块的钱** → 争取;
 * …具体都**改些什么** → 改造 before it): the last two words of two or more characters of its topic,
 * question words left out. A sentence holding one of them is closer to the answer than one that
 * only repeats the names the question starts with. Empty for English questions.
 *
 * @example
 * tailWords('新校区建设除了专项债券，还在争取什么钱？') // → ['债券', '争取']
 */
export function tailWords(question: string): string[] {
  const asked = foldColloquial(normalizeForMatch(question));
  const topic = topicText(asked);
  const words = chineseWords(topic).filter((w) => [...w].length >= 2 && !isChineseStopword(w) && !ASKING.test(w));
  // cutForSearch yields a long word and its parts: keep the long ones.
  const whole = words.filter((w) => !words.some((o) => o !== w && o.length > w.length && o.includes(w)));
  // A noun right after a question word names the kind of answer (有哪些安排, 什么措施), not its substance;
  // a verb after how (怎么解决, 如何推进) is the substance.
  const typeWord = (w: string) => {
    const at = asked.lastIndexOf(w);
    return at > 0 && TYPE_ASKING.test(asked.slice(Math.max(0, at - 3), at));
  };
  return whole.slice(-2).filter((w) => !typeWord(w));
}
