/**
 * Questions about the letter itself — its document number, index number, signer, the date it was
 * written or published, its issuer, its result class — are answered by the letter's own lines: a
 * field of its header section (`Letter.header`, e.g. 「发文字号 高卫体发〔2023〕148号」, 「签 发 人:伏瑞峰」)
 * or, when the page prints no header, its signature block (the signing body above the date line).
 */
import type { Letter } from '../../corpus/letter.ts';
import { normalizeForMatch } from '../../index/lexical/normalizeForMatch.ts';
import { foldColloquial } from '../../index/lexical/questionScaffolding.ts';
import { lineSpans, signatureQuestion, signatureSpans } from './signatureQuote.ts';
import type { TextSpan } from './splitSentences.ts';

export type LetterFact = 'docNumber' | 'indexNumber' | 'signer' | 'dated' | 'published' | 'issuer' | 'result' | 'contact';

const FACTS: [LetterFact, RegExp][] = [
  ['indexNumber', /索引号|\bindex (?:number|no)\b/i],
  ['docNumber', /文号|发文字号|字号|\b(?:document|reference|file|dispatch) (?:number|no)\b|\bdoc(?:ument)? no\b/i],
  ['signer', /签发人|领导署名|谁签|哪位.{0,4}签|签的字|签字|审签|\bwho (?:signed|approved|reviewed|cleared)\b|\bsigned (?:off|by)\b|\bsignator(?:y|ies)\b/i],
  ['published', /发布(日期|时间)|发表时间|公开(日期|时间)|什么时候(发布|公布|公开|挂网|上网)|(几时|哪天)(发布|公布|上网|挂网)|\b(?:posted|published|put) (?:online|on the (?:web|site|website))\b|\bwhen was it (?:posted|published)\b|\bpublication date\b/i],
  ['issuer', /发文机关|发布机构|哪个(部门|单位|机关)(发|答复|回复)的|\bwho (?:issued|sent|wrote)\b|\bwhich (?:body|agency|department|office) (?:issued|sent|wrote)\b/i],
  ['result', /办理结果|办复类别|答复类别|[abc]类|\bresult class\b|\bcategory [abc]\b/i],
  ['contact', /联系人|联系电话|联系方式|承办人|经办人|电话(是|多少|号码)|\bcontact (?:person|number|phone)\b|\bphone number\b|\bwho (?:is|was) the contact\b/i],
];

// Labels of the header fields that answer each fact (canonical labels, see corpus/letter.ts HeaderField).
/** A short sentence saying who approved or signed the reply (此复函已经张玉林主任审签。). */
const SIGNED_SENTENCE = /[^。\n:：]{0,24}(?:审签|签发|签批|审定签发)[^。\n]{0,8}。?/gu;

const LABELS: Record<LetterFact, RegExp> = {
  indexNumber: /^索引号$/,
  docNumber: /^(发文字号|文号)$/,
  signer: /^(签发人|领导署名|签发)$/,
  dated: /^(成文日期|成文时间|落款日期)$/,
  published: /^(发布日期|发布时间|发表时间|发文日期|公开日期)$/,
  issuer: /^(发文机关|发布机构|发文单位)$/,
  result: /^(办理结果|办复类别|答复类别)$/,
  contact: /^(联系人|联系电话|联系方式|承办人)$/,
};

/** A line naming the person or office to contact (联系人:王尚,电话:0532—85270905; 承办人及联系电话:杨毅 0730-5182231). */
const CONTACT_LINE = /^[^\n]{0,12}(?:联系人|联系电话|承办人|经办人|联系单位)[^\n]{0,60}$/gmu;

/**
 * What a question asks about the letter itself (none, one, or several: "what date is on it, and when
 * was it posted?").
 *
 * @example
 * letterFactQuestions('卫生院那件答复的发文字号是什么？') // → ['docNumber']
 * letterFactQuestions('Which agencies signed the reply?')    // → ['signer']
 * letterFactQuestions('重庆港澳办 0963号提案 复函 落款日期')   // → ['dated']
 */
export function letterFactQuestions(question: string): LetterFact[] {
  const zh = foldColloquial(normalizeForMatch(question));
  const out: LetterFact[] = [];
  for (const [fact, re] of FACTS) if (re.test(zh) || re.test(question)) out.push(fact);
  const signature = signatureQuestion(zh) ?? signatureQuestion(question);
  if (signature === 'signer' && !out.includes('signer')) out.push('signer');
  if (signature === 'date' && !out.includes('dated') && !(out.includes('published') && !/\band\b|[,，]/.test(question))) out.push('dated');
  return out;
}

/**
 * The spans of the letter that state a fact about it: its header fields with a fitting label, else
 * its signature block (signer, date); for the date written, also the signature date line.
 *
 * @example
 * letter.text.slice(...Object.values(letterFactSpans(letter, 'docNumber')[0])) // → '高卫体发〔2023〕148号'
 */
export function letterFactSpans(letter: Letter, fact: LetterFact): TextSpan[] {
  const fields = (letter.header?.fields ?? []).filter((f) => LABELS[fact].test(f.label)).map((f) => ({ start: f.start, end: f.end }));
  const signature = fact === 'signer' || fact === 'dated' || fact === 'issuer' ? signatureSpans(letter) : {};
  const out: TextSpan[] = [...fields];
  if (fact === 'contact') for (const m of letter.text.matchAll(CONTACT_LINE)) out.push({ start: m.index, end: m.index + m[0].trimEnd().length });
  // 此复函已经张玉林主任审签: the letter saying who approved it.
  if (fact === 'signer') for (const m of letter.text.matchAll(SIGNED_SENTENCE)) out.push({ start: m.index, end: m.index + m[0].length });
  if (fact === 'dated' && signature.date) out.push(signature.date);
  if ((fact === 'signer' || fact === 'issuer') && signature.signer) out.push(signature.signer);
  if ((fact === 'signer' || fact === 'issuer') && out.length === 0) out.push(...letterheadSpans(letter));
  return out;
}

/**
 * The letterhead line naming the issuing body (某某市文化和旅游局 above 关于…的答复函), kept in the
 * header section: who signed a letter whose signature block the page lost, in its own words.
 *
 * @example
 * letter.text.slice(...Object.values(letterheadSpans(letter)[0])) // → '某某市文化和旅游局'
 */
function letterheadSpans(letter: Letter): TextSpan[] {
  const end = letter.header?.end ?? 0;
  if (!letter.issuer || end === 0) return [];
  const issuer = letter.issuer.replace(/\s+/g, '');
  return lineSpans(letter.text.slice(0, end)).filter((l) => letter.text.slice(l.start, l.end).replace(/\s+/g, '') === issuer).slice(0, 1);
}
