/**
 * Reply-letter boilerplate: lines every letter has, which spell its issuer, place and topic (so they
 * match a question's words) and answer nothing — salutations, the restated proposal, thanks, contact
 * and phone lines, form lines, closing formulas, feedback forms, page footers and navigation. They
 * are quoted only when the question asks for exactly that (a contact phone, the proposal as submitted).
 */
import { normalizeForMatch } from '../../index/lexical/normalizeForMatch.ts';
import type { QuestionIntent } from './questionIntent.ts';

export type BoilerplateKind = 'salutation' | 'restated' | 'thanks' | 'contact' | 'form' | 'closing' | 'footer';

// Each pattern is matched against the sentence passed through normalizeForMatch (Simplified).
const KINDS: [BoilerplateKind, RegExp][] = [
  // 尊敬的王爱珍代表: / 罗吉卿等3位委员: / 省发改委: / 您好! Two-character names are often padded to three
  // with a space (「李 明、张 华代表:」).
  ['salutation', /^\s*(尊敬的)?[\p{Script=Han}、,，\d位等 \u3000]{1,60}(委员|代表|同志|先生|女士|领导|单位)(们)?\s*[:：,，]?\s*(您好[!！]?)?\s*$|^\s*您好[!！,，]?\s*$|^\s*[\p{Script=Han}]{2,12}[:：]\s*$/u],
  // 您提出的《关于…的建议》收悉,现答复如下: / 现将办理情况答复如下。
  ['restated', /收悉|(现|特)(将|就)?[^。]{0,16}(答复|函告|函复|回复)如下|答复如下|(提出|所提)的[^。]{0,80}(建议|提案)[^。]{0,40}(高度重视|认真研究|研究办理)|^\s*经[^。]{0,40}(研究|办理)[,，]?\s*现答复如下/u],
  ['thanks', /感谢.{0,24}(关心|关注|支持|理解)|谢谢|提得很好|很好的(参考|借鉴)|(参考|借鉴)价值|再次感谢/u],
  // 联系人:王尚,电话:0532—85270905 / 承办人及联系电话:杨毅 0730-5182231
  ['contact', /联系人|联系电话|联系方式|联系单位|承办人|承办负责人|经办人|电话[:：]|邮编|邮政编码|0\d{2,3}\s*[-—－–]\s*\d{7,8}|(?<!\d)1[3-9]\d{9}(?!\d)|(?<!\d)1[3-9]\d{2,6}\*{2,}/u],
  // 承办单位: (公章) 承办负责人: (签字) / 领导签字: / 抄送:
  ['form', /[(（]\s*(公章|签字|盖章|签章)\s*[)）]|领导签字|承办单位[:：]|抄送[:：]|主送[:：]|^\s*附件[:：]/u],
  // 此致 敬礼 / 以上答复您是否满意 / 请…填写征询意见表后反馈
  ['closing', /^\s*(此致|敬礼)\s*[!！]?\s*$|以上答复.{0,12}(满意|意见)|如有(意见|疑问|不同意见)|敬请(反馈|批评)|征询意见表|意见反馈表|满意度|特此(函复|答复|复函)/u],
  ['footer', /主办单位|版权所有|网站标识码|icp备|技术支持|打印本页|关闭窗口|分享到|浏览次数|上一篇|下一篇|返回顶部|当前位置/iu],
];

/**
 * The kind of boilerplate a sentence is, or null for content.
 *
 * @example
 * boilerplateKind('尊敬的王爱珍代表:')                     // → 'salutation'
 * boilerplateKind('联系人:王尚,电话:0532—85270905')        // → 'contact'
 * boilerplateKind('推荐7名澳门青年加入市青年联合会')          // → null
 */
export function boilerplateKind(sentence: string, normalized = normalizeForMatch(sentence)): BoilerplateKind | null {
  for (const [kind, re] of KINDS) if (re.test(normalized)) return kind;
  return null;
}

// 另外您反映…的问题 / 关于你们提到的…问题: a sentence that only names the problem the member raised,
// with no clause of its own (no comma: once the letter goes on, 您提到的这处路段,因…, it answers).
const RESTATES_COMPLAINT = /^\s*(另外|此外|关于|对于|针对)?\s*(您|你们?)(所)?(反映|提到|提出|指出)的?[^。,，;；:：]{2,80}问题\s*[。.!！]?\s*$/u;

/**
 * True for a sentence that only restates the problem the member raised (您反映…的问题): it may name
 * the very place asked about, so it stays quotable, but the letter's own finding answers better.
 *
 * @example
 * restatesComplaint('另外您反映老街路灯损坏的问题。') // → true
 * restatesComplaint('您提到的这处路段,因资金不足,暂未列入计划。') // → false
 */
export function restatesComplaint(normalized: string): boolean {
  return RESTATES_COMPLAINT.test(normalized);
}

// A line saying who handled the proposal: 该提案由市住建局主办,我局会办 / 主办单位:县民政局 /
// 经与市财政局、市教委…共同研究 / 会同…研究办理. Not an event someone hosted (主办了推介会).
const HANDLING = /(提案|建议|议案|此件|本件|该件)[^。]{0,8}由[^。]{1,30}(主办|承办|牵头)|(主办|会办|协办|承办|牵头)(单位|部门)\s*[:：为是]|会办意见|^\s*经与?[^。]{2,60}(共同)?研究|会同[^。]{2,40}(研究|办理)/u;

/**
 * True for a line naming who handled the proposal (lead office, co-handlers, departments consulted).
 *
 * @example
 * namesHandlers('该提案由市住建局主办,我局会办。') // → true
 * namesHandlers('联合市贸促会主办了投资推介会')   // → false
 */
export function namesHandlers(normalized: string): boolean {
  return HANDLING.test(normalized);
}

/**
 * Whether the question asks for this kind of line (then it is the answer, not boilerplate).
 *
 * @example
 * askedFor('contact', questionIntent('承办人是谁？电话多少？')) // → true
 * askedFor('restated', questionIntent('这件提案还会同了哪些部门？'), '经与市教委共同研究,现答复如下:') // → true
 */
export function askedFor(kind: BoilerplateKind, intent: QuestionIntent, normalized = ''): boolean {
  // Asked who handled it, the line saying so is the answer, whatever its form (经与…共同研究,现答复如下).
  if (intent.handler && namesHandlers(normalized)) return true;
  if (kind === 'contact') return intent.contact || intent.value === 'person';
  if (kind === 'restated' || kind === 'salutation') return intent.proposal || (kind === 'salutation' && intent.value === 'person');
  if (kind === 'form') return intent.letterFacts.includes('signer') || intent.contact;
  return false;
}
