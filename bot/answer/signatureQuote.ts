/**
 * Questions about the letter itself — when it was signed, who signed it — are answered by the
 * signature block (issuing body's name, then the date line) when the letter's text holds it.
 */
import type { Letter } from '../../corpus/letter.ts';
import { normalizeForMatch } from '../../index/lexical/normalizeForMatch.ts';
import type { TextSpan } from './splitSentences.ts';

const ABOUT_LETTER = /复函|答复|回复|复文|落款|签发|发文|成文|署名|\breply\b|\bletter\b|\bresponse\b|\banswer\b|\bopinion\b/i;
const WHEN = /\bwhen\b|\bwhat date\b|\bdated?\b|什么时候|何时|哪天|哪一天|日期|几月几[日号]|落款时间/i;
const WHO_SIGNED = /\bwho signed\b|\bwhich (?:\w+ )*?(?:agenc|department|bod|office|bureau|organi[sz]ation)\w* signed\b|\bsigned by\b|署名|落款单位|哪些?(单位|部门).{0,6}(签|落款|署名)|谁签/i;

/**
 * What a question asks about the letter's signature: its date, its signer(s), or neither.
 *
 * @example
 * signatureQuestion('重庆港澳办 0963号提案 复函 落款日期') // → 'date'
 * signatureQuestion('Which agencies signed the reply?')     // → 'signer'
 * signatureQuestion('what has Qingdao done with MOX?')     // → null
 */
export function signatureQuestion(question: string): 'date' | 'signer' | null {
  const zh = normalizeForMatch(question);
  if (WHO_SIGNED.test(question) || WHO_SIGNED.test(zh)) return 'signer';
  if ((WHEN.test(question) || WHEN.test(zh)) && (ABOUT_LETTER.test(question) || ABOUT_LETTER.test(zh) || /发的|签的/.test(zh))) return 'date';
  return null;
}

/** The spans of the non-blank lines of a text, trimmed. */
export function lineSpans(text: string): TextSpan[] {
  const spans: TextSpan[] = [];
  let start = 0;
  for (const line of text.split('\n')) {
    const lead = line.length - line.trimStart().length;
    const body = line.trim();
    if (body) spans.push({ start: start + lead, end: start + lead + body.length });
    start += line.length + 1;
  }
  return spans;
}

/**
 * The span of the signature date line (the letter's date, written as 2024年5月27日) in the letter's
 * text, and of the signing line(s) just above it; undefined parts when the text does not hold them.
 *
 * @example
 * const { date, signer } = signatureSpans(letter);
 * letter.text.slice(date!.start, date!.end) // → '2024年6月28日'
 */
export function signatureSpans(letter: Letter): { date?: TextSpan; signer?: TextSpan } {
  if (!letter.date) return {};
  const [y, m, d] = letter.date.split('-').map(Number);
  const datePattern = new RegExp(`^${y}\\s*年\\s*0?${m}\\s*月\\s*0?${d}\\s*日$`);
  const lines = lineSpans(letter.text);
  const i = lines.findLastIndex((l) => datePattern.test(normalizeForMatch(letter.text.slice(l.start, l.end))));
  if (i < 0) return {};
  const date = lines[i];
  const above = lines[i - 1];
  const aboveText = above ? letter.text.slice(above.start, above.end) : '';
  // A signing line is short and is not a sentence (no full stop, colon or comma).
  const signer = above && aboveText.length <= 60 && !/[。：:，,；;]/.test(aboveText) ? above : undefined;
  return { date, signer };
}
