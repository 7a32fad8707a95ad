/**
 * Citations: everything needed to attribute a verbatim quote (issuer, title or proposal, addressee,
 * date, section, link), and the one-line form a journalist pastes into an article.
 */
import type { Letter, Passage } from '../../corpus/letter.ts';
import type { LetterRef } from '../../index/searchTypes.ts';
import type { AnswerLang, Citation } from '../answerTypes.ts';
import { letterRefOf } from '../../index/letterRef.ts';
import { formatDate, labelsFor } from './answerLabels.ts';
import { permalink } from './permalink.ts';

export { letterRefOf };

/**
 * The title a letter is cited by: its own title, else composed from session and proposal number.
 *
 * @example
 * citationTitle({ title: '', session: '市政协六届二次会议', proposal: '0963', kind: 'cppcc-proposal' }) // → '市政协六届二次会议第0963号提案'
 */
export function citationTitle(letter: Pick<Letter, 'title' | 'session' | 'proposal' | 'kind'>): string {
  if (letter.title.trim()) return letter.title.trim();
  if (letter.proposal) {
    const noun = letter.kind === 'npc-suggestion' ? '建议' : '提案';
    return `${letter.session ?? ''}第${letter.proposal}号${noun}`;
  }
  return letter.session ?? '';
}

/** What a quote is: a span of a letter, and the passage it came from (when known). */
export interface QuoteSpan {
  start: number;
  end: number;
  section: string;
  headings: string[];
  passageId: string;
}

/**
 * A numbered citation for `letter.text.slice(span.start, span.end)`.
 *
 * @example
 * buildCitation(1, letter, { start: 120, end: 180, section: '一、(一)', headings: [], passageId: 'qingdao#2' })
 */
export function buildCitation(n: number, letter: Letter, span: QuoteSpan, ref: LetterRef = letterRefOf(letter)): Citation {
  return {
    n,
    letter: letter.id,
    doc: ref.doc,
    quote: letter.text.slice(span.start, span.end),
    start: span.start,
    end: span.end,
    issuer: letter.issuer,
    title: citationTitle(letter),
    proposal: letter.proposal,
    addressees: letter.addressees,
    date: letter.date ?? letter.published,
    section: span.section,
    headings: span.headings,
    source: letter.source,
    passageId: span.passageId,
  };
}

/**
 * The section path and heading chain around a span: the innermost sections that contain it.
 *
 * @example
 * sectionAt(letter, 1200) // → { section: '五、二是', headings: ['五、下一步工作计划', '二是进一步加强渝澳青年交流工作。'] }
 */
export function sectionAt(letter: Letter, offset: number): { section: string; headings: string[] } {
  const containing = letter.sections.filter((s) => s.start <= offset && offset < s.end).sort((a, b) => a.level - b.level || a.start - b.start);
  const innermost = containing[containing.length - 1];
  return { section: innermost?.path ?? '', headings: containing.map((s) => s.heading) };
}

/**
 * The passage of a letter that holds an offset ('' when passages are unknown).
 *
 * @example
 * passageIdAt(searcher.passagesOf(letter.id), 120) // → 'qingdao-shanghe-mox#1'
 */
export function passageIdAt(passages: Passage[], offset: number): string {
  return passages.find((p) => p.start <= offset && offset < p.end)?.id ?? '';
}

/**
 * One line to paste: `「quote」——issuer《title》(date)，link` (English: `"quote" — issuer, "title" (date), link`).
 * Missing parts are left out rather than shown empty. With the public address of the web pages
 * (FUHAN_PUBLIC_URL) the link is the quote's permalink — after the source, as its archived copy, when
 * the letter has one (the original page may move; the permalink shows the sentence highlighted).
 *
 * @example
 * formatCitationLine(c, 'zh') // → '「…签订了全面合作框架协议。」——青岛市人民政府《…》(2024年6月28日)，https://…'
 * formatCitationLine(c, 'en', 'https://fuhan.example.org') // → '"…" — …, https://gov.example/… (archived: https://fuhan.example.org/letters/…?q=89-151)'
 */
export function formatCitationLine(c: Citation, lang: AnswerLang, publicUrl?: string): string {
  const l = labelsFor(lang);
  const quote = `${l.open}${c.quote}${l.close}`;
  const date = c.date ? formatDate(c.date, lang) : null;
  const archived = publicUrl ? permalink(publicUrl, c) : null;
  const link = c.source && archived ? (lang === 'en' ? `${c.source} (archived: ${archived})` : `${c.source}（存档：${archived}）`) : (c.source ?? archived);
  if (lang === 'en') {
    const parts = [c.issuer, c.title ? `"${c.title}"` : null].filter(Boolean).join(', ');
    let line = `${quote}${l.dash}${parts}`;
    if (date) line += ` (${date})`;
    if (link) line += `, ${link}`;
    return line;
  }
  let line = `${quote}${l.dash}${c.issuer ?? ''}`;
  if (c.title) line += bookTitle(c.title);
  if (date) line += `(${date})`;
  if (link) line += `，${link}`;
  return line;
}

/**
 * A title in Chinese book-title marks; marks inside it become the inner form, as Chinese
 * typography nests them (《…〈…〉…》).
 *
 * @example
 * bookTitle('关于《关于推进上合示范区的建议》的复函') // → '《关于〈关于推进上合示范区的建议〉的复函》'
 */
export function bookTitle(title: string): string {
  return `《${title.replace(/《/g, '〈').replace(/》/g, '〉')}》`;
}
