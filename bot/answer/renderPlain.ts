/**
 * Plain-text rendering of an Answer for the terminal and `fuhan ask`: quotes grouped by letter with
 * [n] markers, the letter's citation under its quotes, refusals with the nearest letters.
 */
import type { LetterRef } from '../../index/searchTypes.ts';
import type { Answer, AnswerLang, Citation } from '../answerTypes.ts';
import { formatDate, labelsFor } from './answerLabels.ts';
import { bookTitle } from './citation.ts';
import { permalink } from './permalink.ts';

export interface RenderPlainOptions {
  /** Public address of the web pages (FUHAN_PUBLIC_URL): each quote is followed by its permalink. */
  publicUrl?: string;
}

/**
 * One line naming a letter: issuer《title》(date) — or in English: issuer, "title" (date).
 *
 * @example
 * describeLetterRef(ref, 'zh') // → '青岛市人民政府《关于…的答复》(2024年6月28日)'
 */
export function describeLetterRef(ref: Pick<LetterRef, 'issuer' | 'title' | 'date' | 'proposal'>, lang: AnswerLang): string {
  const l = labelsFor(lang);
  const issuer = ref.issuer ?? l.unknownIssuer;
  const title = ref.title || (ref.proposal ? (lang === 'en' ? `No. ${ref.proposal}` : `第${ref.proposal}号`) : '');
  const date = ref.date ? formatDate(ref.date, lang) : '';
  if (lang === 'en') return `${issuer}${title ? `, "${title}"` : ''}${date ? ` (${date})` : ''}`;
  return `${issuer}${title ? bookTitle(title) : ''}${date ? `(${date})` : ''}`;
}

/**
 * The attribution printed under a letter's quotes: what the line above it (issuer《title》(date))
 * does not already say — the proposal number when the title lacks it, and the link.
 */
function citationBlock(c: Citation, lang: AnswerLang): string {
  const l = labelsFor(lang);
  const sep = lang === 'en' ? ': ' : '：';
  const parts: string[] = [];
  if (c.proposal && !c.title.includes(c.proposal)) parts.push(`${l.proposal}${sep}${c.proposal}`);
  if (c.source) parts.push(`${l.source}${sep}${c.source}`);
  return parts.map((p) => `    ${p}`).join('\n');
}

function quoteLine(c: Citation, lang: AnswerLang, options: RenderPlainOptions): string {
  const l = labelsFor(lang);
  const where = c.section ? (lang === 'en' ? ` (${l.section}: ${c.section})` : `（${l.section}：${c.section}）`) : '';
  const link = options.publicUrl ? `\n      ${permalink(options.publicUrl, c)}` : '';
  return `  [${c.n}] ${l.open}${c.quote}${l.close}${where}${link}`;
}

/**
 * The whole answer as plain text (this is `Answer.text`).
 *
 * @example
 * console.log(renderPlain(await answerQuestion(searcher, 'what has Qingdao done with MOX?')));
 */
export function renderPlain(answer: Omit<Answer, 'text'>, options: RenderPlainOptions = {}): string {
  const l = labelsFor(answer.lang);
  const lines: string[] = [];
  if (answer.mode === 'refusal' && answer.reason === 'not-stated' && answer.citations.length) {
    const c = answer.citations[0];
    const letter = c.issuer ?? (c.title || l.unknownIssuer);
    lines.push(l.notStated(letter, answer.missing ?? ''), l.closestQuote);
    lines.push(describeLetterRef(c, answer.lang), quoteLine(c, answer.lang, options));
    const block = citationBlock(c, answer.lang);
    if (block) lines.push(block);
    return lines.join('\n');
  }
  if (answer.mode === 'refusal') {
    lines.push(answer.nearest.length ? `${l.refusal}${answer.lang === 'en' ? ' ' : ''}${l.nearest}` : `${l.refusal}`);
    if (answer.nearest.length === 0) lines.push(l.noNearest);
    answer.nearest.forEach((ref, i) => lines.push(`  ${i + 1}. ${describeLetterRef(ref, answer.lang)}`));
    return lines.join('\n');
  }
  if (answer.mode === 'commitments') lines.push(answer.citations.length ? l.commitmentsHeader : l.noCommitments);
  if (answer.synthesis) lines.push(answer.synthesis, '');
  if (answer.citations.length === 0 && answer.mode === 'quotes') lines.push(l.noMore);
  const byN = new Map(answer.citations.map((c) => [c.n, c]));
  for (const group of answer.groups) {
    const cites = group.citations.map((n) => byN.get(n)).filter((c): c is Citation => c !== undefined);
    if (cites.length === 0) continue;
    if (lines.length && lines[lines.length - 1] !== '') lines.push('');
    lines.push(describeLetterRef(group.letter, answer.lang));
    for (const c of cites) lines.push(quoteLine(c, answer.lang, options));
    const block = citationBlock(cites[0], answer.lang);
    if (block) lines.push(block);
  }
  return lines.join('\n').trimEnd();
}

/**
 * The answer's text, with each quote's permalink under it when a public URL is given (else `answer.text` as is).
 *
 * @example
 * answerText(answer, 'https://fuhan.example.org') // '…[1] 「…」\n      https://fuhan.example.org/letters/…?q=89-151…'
 */
export function answerText(answer: Answer, publicUrl?: string): string {
  return publicUrl ? renderPlain(answer, { publicUrl }) : answer.text;
}
