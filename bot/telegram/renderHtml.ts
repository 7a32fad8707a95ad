/**
 * Telegram-HTML rendering of answers, passages and letters.
 *
 * Everything that comes from a user or a letter goes through `escapeHtml`, so a letter (or a
 * question) containing `<script>` or `&` is shown as text, never parsed. Renderers return BLOCKS —
 * balanced fragments such as "one quote with its citation line" — and `splitMessage` packs them
 * into messages without ever separating a quote from its citation.
 */
import type { Letter, Passage } from '../../corpus/letter.ts';
import type { LetterRef } from '../../index/searchTypes.ts';
import type { Answer, AnswerLang, Citation } from '../answerTypes.ts';
import { formatDate, labelsFor } from '../answer/answerLabels.ts';
import { bookTitle } from '../answer/citation.ts';
import { permalink } from '../answer/permalink.ts';
import { safeBoundary } from './splitMessage.ts';

// Lone surrogates make Telegram reject the whole message ("strings must be encoded in UTF-8");
// C0 controls other than tab/newline are invisible noise that some clients choke on.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/**
 * Makes any string safe to place in Telegram HTML text or a double-quoted attribute:
 * escapes `& < > "`, replaces lone surrogates with U+FFFD and drops control characters.
 *
 * @example
 * escapeHtml('<script>alert("x")</script> & co') // → '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co'
 */
export function escapeHtml(text: string): string {
  return text
    .replace(LONE_SURROGATE, '\ufffd')
    .replace(CONTROL, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/**
 * Shortens text to at most `max` characters (ellipsis included) without cutting an emoji or a
 * surrogate pair. Used for echoing questions and for inline-card titles, never for quotes in answers.
 *
 * @example
 * truncateText('上合示范区管委会与MOX签订了全面合作框架协议', 8) // → '上合示范区管委…'
 */
export function truncateText(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  return flat.slice(0, safeBoundary(flat, max - 1)).trimEnd() + '…';
}

/**
 * Only web links become `<a href>`; anything else (javascript:, file paths) stays plain text.
 *
 * @example
 * isWebLink('javascript:alert(1)') // → false
 */
export function isWebLink(url: string | null): url is string {
  return url !== null && /^https?:\/\/[^\s<>"]+$/i.test(url);
}

/**
 * One line naming a letter: issuer · title · date (· source link).
 *
 * @example
 * renderLetterLine(ref, 'en') // → '<b>青岛市人民政府</b> · 关于… · 28 Jun 2024'
 */
export function renderLetterLine(letter: LetterRef, lang: AnswerLang): string {
  const labels = labelsFor(lang);
  const parts = [`<b>${escapeHtml(letter.issuer ?? labels.unknownIssuer)}</b>`];
  if (letter.title) parts.push(escapeHtml(letter.title));
  if (letter.proposal && !letter.title.includes(letter.proposal)) parts.push(escapeHtml(letter.proposal));
  if (letter.date) parts.push(escapeHtml(formatDate(letter.date, lang)));
  if (isWebLink(letter.source)) parts.push(`<a href="${escapeHtml(letter.source)}">${escapeHtml(labels.source)}</a>`);
  return parts.join(' · ');
}

/** Quotes longer than this are shown collapsed (Telegram's expandable blockquote). */
const EXPANDABLE_FROM = 700;

/** The link to the quote highlighted in its letter (FUHAN_PUBLIC_URL). */
const PERMALINK_LABEL: Record<AnswerLang, string> = { zh: '原文位置', 'zh-Hant': '原文位置', en: 'in the letter' };

/**
 * Who said it, for the line under a quote: `[n] issuer · proposal · date · section`; with `full`,
 * also the title and the source link (for quotes that travel alone, like inline cards and passages);
 * with a public URL, the link to the quote highlighted in its letter.
 *
 * @example
 * renderAttribution(citation, 'zh') // → '<b>[1]</b> 青岛市人民政府 · 2024年6月28日 · 一、'
 */
export function renderAttribution(c: Citation, lang: AnswerLang, full = false, publicUrl?: string): string {
  const labels = labelsFor(lang);
  const parts = [escapeHtml(c.issuer ?? labels.unknownIssuer)];
  if (full && c.title) parts.push(escapeHtml(lang === 'en' ? c.title : bookTitle(c.title)));
  if (c.proposal && !(full && c.title.includes(c.proposal))) parts.push(escapeHtml(c.proposal));
  if (c.date) parts.push(escapeHtml(formatDate(c.date, lang)));
  if (c.section) parts.push(escapeHtml(c.section));
  if (full && isWebLink(c.source)) parts.push(`<a href="${escapeHtml(c.source)}">${escapeHtml(labels.source)}</a>`);
  if (publicUrl) parts.push(`<a href="${escapeHtml(permalink(publicUrl, c))}">${PERMALINK_LABEL[lang]}</a>`);
  return `<b>[${c.n}]</b> ${parts.join(' · ')}`;
}

/**
 * One quote and its attribution: `<blockquote>quote</blockquote>` then `[n] issuer · date · section`.
 *
 * @example
 * renderCitationBlock(citation, 'zh')
 */
export function renderCitationBlock(citation: Citation, lang: AnswerLang, full = false, publicUrl?: string): string {
  const open = citation.quote.length > EXPANDABLE_FROM ? '<blockquote expandable>' : '<blockquote>';
  return `${open}${escapeHtml(citation.quote)}</blockquote>\n${renderAttribution(citation, lang, full, publicUrl)}`;
}

/** How much of the question is echoed above the answer. */
const QUESTION_ECHO_MAX = 300;

/**
 * An answer as HTML blocks: the question, the optional summary, then per letter a heading line and
 * its quotes with citations; a refusal lists the nearest letters instead.
 *
 * @example
 * splitMessage(renderAnswerBlocks(answer))
 */
export function renderAnswerBlocks(answer: Answer, options: { page?: number; maxCitations?: number; publicUrl?: string } = {}): string[] {
  const lang = answer.lang;
  const labels = labelsFor(lang);
  const page = options.page ?? 1;
  const blocks: string[] = [];
  const question = answer.question.trim();
  const header =
    answer.mode === 'commitments'
      ? `<b>${escapeHtml(labels.commitmentsHeader)}</b>${question ? ' ' + escapeHtml(truncateText(question, QUESTION_ECHO_MAX)) : ''}`
      : `<b>${escapeHtml(labels.question)}:</b> ${escapeHtml(truncateText(question, QUESTION_ECHO_MAX))}`;
  blocks.push(page > 1 ? `${header} <i>(${page})</i>` : header);

  // Discussed but not stated: say exactly that, then the closest quote, labelled as not answering.
  if (answer.mode === 'refusal' && answer.reason === 'not-stated' && answer.citations.length > 0 && page === 1) {
    const c = answer.citations[0]!;
    blocks.push(escapeHtml(labels.notStated(c.issuer ?? (c.title || labels.unknownIssuer), answer.missing ?? '')));
    blocks.push(`<i>${escapeHtml(labels.closestQuote)}</i>`);
    blocks.push(renderCitationBlock(c, lang, true, options.publicUrl));
    return blocks;
  }

  if (answer.refused || answer.citations.length === 0) {
    const none =
      page > 1 ? labels.noMore : answer.mode === 'commitments' ? labels.noCommitments : labels.refusal;
    blocks.push(escapeHtml(none));
    if (answer.nearest.length > 0) {
      blocks.push([`<b>${escapeHtml(labels.nearest)}</b>`, ...answer.nearest.map((l) => `• ${renderLetterLine(l, lang)}`)].join('\n'));
    } else if (page === 1) blocks.push(escapeHtml(labels.noNearest));
    return blocks;
  }

  if (answer.synthesis) blocks.push(`<i>${escapeHtml(labels.synthesisHeader)}</i>\n${escapeHtml(answer.synthesis)}`);

  const byN = new Map(answer.citations.map((c) => [c.n, c]));
  const max = options.maxCitations ?? Infinity;
  const shown = new Set<number>();
  for (const group of answer.groups) {
    const citations = group.citations
      .map((n) => byN.get(n))
      .filter((c): c is Citation => c !== undefined)
      .slice(0, Math.max(0, max - shown.size));
    if (citations.length === 0) continue;
    blocks.push(`📄 ${renderLetterLine(group.letter, lang)}`);
    for (const c of citations) {
      blocks.push(renderCitationBlock(c, lang, false, options.publicUrl));
      shown.add(c.n);
    }
  }
  // Citations not placed in any group (should not happen) are still shown rather than lost.
  for (const c of answer.citations) {
    if (shown.size >= max) break;
    if (!shown.has(c.n)) {
      blocks.push(renderCitationBlock(c, lang, true, options.publicUrl));
      shown.add(c.n);
    }
  }
  if (shown.size < answer.citations.length) blocks.push(`<i>(+${answer.citations.length - shown.size})</i>`);

  const inGroups = new Set(answer.groups.map((g) => g.letter.id));
  const seeAlso = answer.nearest.filter((l) => !inGroups.has(l.id));
  if (seeAlso.length > 0) {
    blocks.push([`<i>${escapeHtml(labels.seeAlso)}:</i>`, ...seeAlso.slice(0, 5).map((l) => `• ${renderLetterLine(l, lang)}`)].join('\n'));
  }
  return blocks;
}

/**
 * The full passage a citation was taken from, with the citation line under it.
 *
 * @example
 * splitMessage(renderPassageBlocks(citation, passage, 'en'))
 */
export function renderPassageBlocks(citation: Citation, passage: Passage, lang: AnswerLang): string[] {
  const headings = passage.headings.length > 0 ? `<i>${escapeHtml(passage.headings.join(' › '))}</i>\n` : '';
  const open = passage.text.length > EXPANDABLE_FROM * 2 ? '<blockquote expandable>' : '<blockquote>';
  return [`${headings}${open}${escapeHtml(passage.text)}</blockquote>\n${renderAttribution(citation, lang, true)}`];
}

/**
 * A whole letter: a heading line, then one block per paragraph (so long letters split between paragraphs).
 *
 * @example
 * splitMessage(renderLetterBlocks(letter, ref, 'zh')) // several messages for a long letter
 */
export function renderLetterBlocks(letter: Letter, ref: LetterRef, lang: AnswerLang): string[] {
  const paragraphs = letter.text
    .split('\n')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => escapeHtml(p));
  // Paragraphs are joined in runs so the packer does not put an empty line between every one.
  const runs: string[] = [];
  let run = '';
  for (const p of paragraphs) {
    if (run !== '' && run.length + p.length + 1 > 3000) {
      runs.push(run);
      run = '';
    }
    run = run === '' ? p : `${run}\n${p}`;
  }
  if (run !== '') runs.push(run);
  return [`📄 ${renderLetterLine(ref, lang)}`, ...runs];
}
