/**
 * The commitments tracker's data: every 下一步 commitment of every letter as one row (issuer, letter,
 * date, the commitment verbatim, its span), filtered by issuer, year and words, sorted, and as CSV.
 */
import type { Letter } from '../../corpus/letter.ts';
import { normalizeForMatch } from '../../index/lexical/normalizeForMatch.ts';
import { citationTitle } from '../answer/citation.ts';
import { verifyQuote } from '../answer/verifyQuote.ts';

export interface CommitmentRow {
  letter: string;
  issuer: string;
  title: string;
  proposal: string;
  /** Signature date, else publication date ('' when neither is known). */
  date: string;
  section: string;
  /** Verbatim: `letter.text.slice(start, end)`. */
  text: string;
  start: number;
  end: number;
}

export type SortKey = 'date' | 'issuer' | 'letter';

export interface CommitmentQuery {
  /** Issuer as listed (exact), or '' for all. */
  issuer?: string;
  /** Year of the row's date, or undefined for all. */
  year?: number;
  /** Words that must all occur in the commitment or its letter's title (Simplified or Traditional, any case). */
  words?: string;
  sort?: SortKey;
  dir?: 'asc' | 'desc';
}

/**
 * Every commitment of every letter, in corpus and text order. A commitment whose text is not exactly
 * its span of the letter (a parser defect) is left out rather than shown.
 *
 * @example
 * commitmentRows(searcher.letters())[0].text === letter.text.slice(row.start, row.end) // → true
 */
export function commitmentRows(letters: Letter[]): CommitmentRow[] {
  return letters.flatMap((letter) =>
    [...letter.commitments]
      .sort((a, b) => a.start - b.start)
      .filter((c) => verifyQuote(letter, { letter: letter.id, quote: c.text, start: c.start, end: c.end }).ok)
      .map((c) => ({
        letter: letter.id,
        issuer: letter.issuer ?? '',
        title: citationTitle(letter),
        proposal: letter.proposal ?? '',
        date: letter.date ?? letter.published ?? '',
        section: c.section,
        text: c.text,
        start: c.start,
        end: c.end,
      })),
  );
}

/**
 * The rows a query selects, in its order (default: newest first, then text order).
 *
 * @example
 * filterCommitments(rows, { year: 2024, words: '澳門 培训', sort: 'issuer', dir: 'asc' })
 */
export function filterCommitments(rows: CommitmentRow[], query: CommitmentQuery): CommitmentRow[] {
  const words = normalizeForMatch(query.words ?? '').split(/\s+/).filter(Boolean);
  const picked = rows.filter((r) => {
    if (query.issuer && r.issuer !== query.issuer) return false;
    if (query.year !== undefined && r.date.slice(0, 4) !== String(query.year)) return false;
    if (words.length === 0) return true;
    const hay = normalizeForMatch(`${r.text} ${r.title} ${r.issuer} ${r.proposal}`);
    return words.every((w) => hay.includes(w));
  });
  const key = query.sort ?? 'date';
  const sign = (query.dir ?? (key === 'date' ? 'desc' : 'asc')) === 'asc' ? 1 : -1;
  const field = (r: CommitmentRow) => (key === 'date' ? r.date : key === 'issuer' ? r.issuer : r.title);
  // Undated rows go last either way; ties keep letter and text order.
  return picked
    .map((r, i) => ({ r, i }))
    .sort((a, b) => {
      const x = field(a.r);
      const y = field(b.r);
      if (!x !== !y) return x ? -1 : 1;
      return sign * x.localeCompare(y, 'zh-Hans-CN') || a.i - b.i;
    })
    .map(({ r }) => r);
}

/** Issuers and years present, for the filter menus. */
export function commitmentFacets(rows: CommitmentRow[]): { issuers: string[]; years: number[] } {
  const issuers = [...new Set(rows.map((r) => r.issuer).filter(Boolean))].sort((a, b) => a.localeCompare(b, 'zh-Hans-CN'));
  const years = [...new Set(rows.map((r) => Number(r.date.slice(0, 4))).filter((y) => y > 0))].sort((a, b) => b - a);
  return { issuers, years };
}

// A cell starting with one of these is a formula to a spreadsheet (CSV injection): prefix it with '.
const FORMULA_START = /^[=+\-@\t\r]/;

function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The rows as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the Chinese right),
 * one line per commitment with its permalink.
 *
 * @example
 * commitmentsCsv(rows, (r) => permalink('https://fuhan.example.org', r)).split('\r\n')[0] // → '\ufeffissuer,letter,proposal,date,section,commitment,link'
 */
export function commitmentsCsv(rows: CommitmentRow[], link: (row: CommitmentRow) => string): string {
  const header = ['issuer', 'letter', 'proposal', 'date', 'section', 'commitment', 'link'];
  const lines = rows.map((r) => [r.issuer, r.title, r.proposal, r.date, r.section, r.text, link(r)].map(csvCell).join(','));
  return `\ufeff${[header.join(','), ...lines].join('\r\n')}\r\n`;
}
