/**
 * The signature block at the end of a letter: the signing body and the date under it
 * (`重庆市人民政府港澳事务办公室` / `2024年5月27日`), possibly on one line, possibly garbled (`2023518`).
 */
import { findDate, parseDate } from './parseDate.ts';
import { searchForm, searchFormWithMap } from './searchForm.ts';

/** Ends of names of government bodies. */
export const ORG_END = /(局|委员会|委|厅|办公室|办|政府|大队|支队|中队|中心|院|部|会|处|署|站|所|公司|集团|馆|室|府|司|组)$/;

/** What the signature block holds; line indices are into the body lines given. */
export interface Signature {
  issuer: string | null;
  issuerLine: number;
  date: string | null;
  dateLine: number;
}

/** A line that is (almost) only a date, or a blank date template like `二0 年 月 日`. */
function dateOnLine(norm: string): { iso: string | null; rest: string; at: number } | null {
  const compact = norm.replace(/\s+/g, '');
  if (/^\d{7,8}$/.test(compact)) return { iso: parseDate(compact), rest: '', at: 0 };
  const blank = /[二〇0-9]*\s*年\s*月\s*日\s*\|?$/.exec(norm);
  if (blank && norm.length <= 40) return { iso: null, rest: norm.slice(0, blank.index).trim(), at: blank.index };
  const found = findDate(norm);
  if (!found) return null;
  const rest = (norm.slice(0, found.index) + norm.slice(found.index + found.length)).trim();
  if (rest.length > 40 || /[。！？;；]/.test(rest)) return null;
  return { iso: found.iso, rest, at: found.index };
}

/** Is this line the name of a body (a signature line)? */
export function looksLikeOrg(norm: string): boolean {
  const t = norm.trim();
  return t.length >= 3 && t.length <= 60 && !/[。！？,，;；:]/.test(t) && ORG_END.test(t.replace(/\s+$/, ''));
}

/**
 * Finds the signature block among the last lines of a letter.
 * @example findSignature(['……。', '衡阳市公安局', '2022年7月24日']) // { issuer: '衡阳市公安局', issuerLine: 1, date: '2022-07-24', dateLine: 2 }
 */
export function findSignature(lines: string[]): Signature {
  const out: Signature = { issuer: null, issuerLine: -1, date: null, dateLine: -1 };
  const norms = lines.map((l) => searchForm(l));
  const from = Math.max(0, lines.length - 10);
  for (let i = lines.length - 1; i >= from; i--) {
    const d = dateOnLine(norms[i]);
    if (!d) continue;
    out.date = d.iso;
    out.dateLine = i;
    if (d.rest && looksLikeOrg(d.rest)) {
      // `衡阳市公安局 2022年7月24日` on one line: the issuer is the original text before the date.
      out.issuer = lines[i].slice(0, searchFormWithMap(lines[i]).map[d.at] ?? 0).trim() || null;
      out.issuerLine = i;
    }
    break;
  }
  if (out.issuer === null) {
    // The body usually sits right above the date; allow a line or two of 领导签字/公章 between.
    const end = out.dateLine >= 0 ? out.dateLine : lines.length;
    for (let i = end - 1; i >= Math.max(0, end - 3); i--) {
      if (looksLikeOrg(norms[i]) && !/^(主办|会办|协办|承办|联系)/.test(norms[i])) {
        out.issuer = lines[i].trim();
        out.issuerLine = i;
        break;
      }
    }
  }
  return out;
}
