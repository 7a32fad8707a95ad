/**
 * `/letters [filter]` and `/letter N`: what is in the collection, as data (for any renderer) plus
 * a plain-text rendering for the terminal. Letters are numbered in corpus order, so N is stable.
 */
import type { Letter, Section } from '../../corpus/letter.ts';
import { normalizeForMatch } from '../../index/lexical/normalizeForMatch.ts';
import type { Searcher } from '../../index/searchTypes.ts';
import type { AnswerLang } from '../answerTypes.ts';
import { formatDate, labelsFor } from './answerLabels.ts';
import { bookTitle, citationTitle, letterRefOf } from './citation.ts';

/** One row of the letter list. */
export interface LetterRow {
  /** 1-based number in corpus order (what `/letter N` takes). */
  n: number;
  id: string;
  doc: string;
  issuer: string | null;
  title: string;
  date: string | null;
  proposal: string | null;
  session: string | null;
  source: string | null;
}

function rowOf(letter: Letter, n: number): LetterRow {
  const ref = letterRefOf(letter);
  return {
    n,
    id: letter.id,
    doc: ref.doc,
    issuer: letter.issuer,
    title: citationTitle(letter),
    date: letter.date ?? letter.published,
    proposal: letter.proposal,
    session: letter.session,
    source: letter.source,
  };
}

/**
 * Letters whose issuer, title, proposal number, session, year or id contain every word of the filter
 * (Traditional or Simplified, any case). No filter: all letters.
 *
 * @example
 * listLetters(searcher, '重慶 2024').map((r) => r.issuer) // → ['重庆市人民政府港澳事务办公室']
 */
export function listLetters(searcher: Pick<Searcher, 'letters'>, filter?: string): LetterRow[] {
  const words = normalizeForMatch(filter ?? '').split(/\s+/).filter(Boolean);
  return searcher
    .letters()
    .map((letter, i) => ({ letter, row: rowOf(letter, i + 1) }))
    .filter(({ letter, row }) => {
      if (words.length === 0) return true;
      const hay = normalizeForMatch(
        [row.issuer, row.title, letter.title, row.proposal, row.session, row.date, letter.published, letter.id, row.doc].filter(Boolean).join(' '),
      );
      return words.every((w) => hay.includes(w));
    })
    .map(({ row }) => row);
}

/** A letter's metadata and section tree. */
export interface LetterDescription {
  row: LetterRow;
  addressees: string[];
  kind: Letter['kind'];
  published: string | null;
  docNumber: string | null;
  indexNumber: string | null;
  resultClass: string | null;
  contact: string | null;
  truncated: boolean;
  sections: Pick<Section, 'path' | 'heading' | 'level'>[];
  commitments: number;
  passages: number;
  characters: number;
}

/**
 * One letter by its list number (1-based) or id; undefined when there is no such letter.
 *
 * @example
 * describeLetter(searcher, 1)?.sections.map((s) => s.heading) // → ['一、发挥机制平台作用，…', …]
 */
export function describeLetter(searcher: Pick<Searcher, 'letters' | 'passagesOf'>, ref: number | string): LetterDescription | undefined {
  const all = searcher.letters();
  const asNumber = typeof ref === 'number' ? ref : /^\d+$/.test(ref.trim()) ? Number(ref.trim()) : NaN;
  let index = Number.isInteger(asNumber) && asNumber >= 1 && asNumber <= all.length ? asNumber - 1 : -1;
  if (index < 0 && typeof ref === 'string') index = all.findIndex((l) => l.id === ref.trim() || letterRefOf(l).doc === ref.trim());
  if (index < 0) return undefined;
  const letter = all[index];
  return {
    row: rowOf(letter, index + 1),
    addressees: letter.addressees,
    kind: letter.kind,
    published: letter.published,
    docNumber: letter.docNumber,
    indexNumber: letter.indexNumber,
    resultClass: letter.resultClass,
    contact: letter.contact,
    truncated: letter.truncated,
    sections: letter.sections.map((s) => ({ path: s.path, heading: s.heading, level: s.level })),
    commitments: letter.commitments.length,
    passages: searcher.passagesOf(letter.id).length,
    characters: letter.text.length,
  };
}

/**
 * Plain-text list: `N. issuer《title》(date)` per line.
 *
 * @example
 * renderLetterRows(listLetters(searcher), 'zh') // → '1. 重庆市人民政府港澳事务办公室《…》(2024年5月27日)\n2. …'
 */
export function renderLetterRows(rows: LetterRow[], lang: AnswerLang): string {
  if (rows.length === 0) return lang === 'en' ? 'No letters match.' : lang === 'zh-Hant' ? '沒有符合的復函。' : '没有符合的复函。';
  const l = labelsFor(lang);
  return rows
    .map((r) => {
      const date = r.date ? formatDate(r.date, lang) : '';
      const issuer = r.issuer ?? l.unknownIssuer;
      return lang === 'en'
        ? `${r.n}. ${issuer}, "${r.title}"${date ? ` (${date})` : ''}`
        : `${r.n}. ${issuer}${bookTitle(r.title)}${date ? `(${date})` : ''}`;
    })
    .join('\n');
}

const KIND_NAMES: Record<AnswerLang, Record<Letter['kind'], string>> = {
  zh: { 'cppcc-proposal': '政协提案答复', 'npc-suggestion': '人大建议答复', other: '其他' },
  'zh-Hant': { 'cppcc-proposal': '政協提案答覆', 'npc-suggestion': '人大建議答覆', other: '其他' },
  en: { 'cppcc-proposal': 'reply to a CPPCC proposal', 'npc-suggestion': 'reply to an NPC suggestion', other: 'other' },
};

/**
 * Plain-text description: metadata lines, then the section tree indented by level.
 *
 * @example
 * console.log(renderLetterDescription(describeLetter(searcher, 2)!, 'en'));
 */
export function renderLetterDescription(d: LetterDescription, lang: AnswerLang): string {
  const l = labelsFor(lang);
  const sep = lang === 'en' ? ': ' : '：';
  const lines = [`${d.row.n}. ${d.row.title}`];
  const field = (label: string, value: string | null | undefined) => {
    if (value) lines.push(`  ${label}${sep}${value}`);
  };
  field(l.issuer, d.row.issuer);
  field(l.addressees, d.addressees.join(l.listSep));
  const proposal = d.row.proposal
    ? lang === 'en'
      ? `No. ${d.row.proposal}${d.row.session ? ` (${d.row.session})` : ''}`
      : `${d.row.session ?? ''}第${d.row.proposal}号`
    : null;
  field(l.proposal, proposal);
  field(lang === 'en' ? 'Kind' : lang === 'zh-Hant' ? '類別' : '类别', KIND_NAMES[lang][d.kind]);
  field(l.date, d.row.date ? formatDate(d.row.date, lang) : null);
  field(lang === 'en' ? 'Published' : lang === 'zh-Hant' ? '發布日期' : '发布日期', d.published ? formatDate(d.published, lang) : null);
  field(lang === 'en' ? 'Document no.' : lang === 'zh-Hant' ? '文號' : '文号', d.docNumber);
  field(lang === 'en' ? 'Contact' : lang === 'zh-Hant' ? '聯繫人' : '联系人', d.contact);
  field(l.source, d.row.source);
  field(lang === 'en' ? 'File' : lang === 'zh-Hant' ? '文件' : '文件', d.row.doc);
  if (d.truncated) lines.push(lang === 'en' ? '  (the letter is cut off in the source)' : lang === 'zh-Hant' ? '  （原文不完整）' : '  （原文不完整）');
  if (d.sections.length) {
    lines.push(lang === 'en' ? '  Sections:' : lang === 'zh-Hant' ? '  章節：' : '  章节：');
    // Indent by the rank of the level among those the letter uses: 一、 then 一是 is one step, not three.
    const levels = [...new Set(d.sections.map((s) => s.level))].sort((a, b) => a - b);
    for (const s of d.sections) {
      const heading = s.heading.length > 60 ? `${s.heading.slice(0, 60)}…` : s.heading;
      lines.push(`${'  '.repeat(levels.indexOf(s.level) + 2)}${heading}`);
    }
  }
  return lines.join('\n');
}
