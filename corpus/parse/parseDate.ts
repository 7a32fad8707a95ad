/**
 * Dates as letters write them: 2024年5月27日, 2024-07-24, 2024.5.27, 二〇一七年三月五日, 二0一七年…,
 * and garbled page dates like `2023518` (the 年/月/日 lost in scraping).
 */
import { searchForm } from './searchForm.ts';

const CN_DIGIT: Record<string, number> = {
  '〇': 0, '零': 0, '○': 0, O: 0, o: 0, '0': 0, '一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9,
};

/** 二〇一七 → 2017 (digit by digit), 十二 → 12, 二十七 → 27, 三十一 → 31. */
function chineseNumber(s: string): number | null {
  if (/^\d+$/.test(s)) return Number(s);
  if (s.includes('十')) {
    const [tens, ones] = s.split('十');
    const t = tens === '' ? 1 : CN_DIGIT[tens];
    const o = ones === '' ? 0 : CN_DIGIT[ones];
    if (t === undefined || o === undefined || tens.length > 1 || ones.length > 1) return null;
    return t * 10 + o;
  }
  let n = 0;
  for (const ch of s) {
    const d = CN_DIGIT[ch];
    if (d === undefined) return null;
    n = n * 10 + d;
  }
  return n;
}

function iso(y: number, m: number, d: number): string | null {
  if (y < 1949 || y > 2100 || m < 1 || m > 12 || d < 1 || d > 31) return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

const NUM = '[0-9〇零○Oo一二三四五六七八九十]';
const CJK_DATE = new RegExp(`(${NUM}{4})\\s*年\\s*(${NUM}{1,3})\\s*月\\s*(${NUM}{1,3})\\s*日`);
const DASH_DATE = /(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?!\d)/;
const RUN_DATE = /^(\d{4})(\d{3,4})$/;

/** A date found in a string, with where it sits (search-form indices). */
export interface FoundDate {
  iso: string;
  index: number;
  length: number;
}

/**
 * The first date written in `s`, or null.
 * @example findDate('二〇一七年三月五日') // { iso: '2017-03-05', index: 0, length: 9 }
 */
export function findDate(s: string): FoundDate | null {
  const f = searchForm(s);
  const cjk = CJK_DATE.exec(f);
  if (cjk) {
    const y = chineseNumber(cjk[1]);
    const m = chineseNumber(cjk[2]);
    const d = chineseNumber(cjk[3]);
    const out = y !== null && m !== null && d !== null ? iso(y, m, d) : null;
    if (out) return { iso: out, index: cjk.index, length: cjk[0].length };
  }
  const dash = DASH_DATE.exec(f);
  if (dash) {
    const out = iso(Number(dash[1]), Number(dash[2]), Number(dash[3]));
    if (out) return { iso: out, index: dash.index, length: dash[0].length };
  }
  return null;
}

/**
 * Parses a string that IS a date (possibly garbled: `2023518` → 2023-05-18), or null.
 * @example parseDate('2024年5月27日') // '2024-05-27'
 * @example parseDate('2023518') // '2023-05-18'
 */
export function parseDate(s: string): string | null {
  const found = findDate(s);
  if (found) return found.iso;
  const run = RUN_DATE.exec(searchForm(s).replace(/\s+/g, ''));
  if (!run) return null;
  const y = Number(run[1]);
  const rest = run[2];
  // Month then day; prefer the reading where both parts are valid (518 → 5/18, 1105 → 11/05).
  const splits = rest.length === 3 ? [[1, 2], [2, 1]] : [[2, 2]];
  for (const [ml] of splits) {
    const out = iso(y, Number(rest.slice(0, ml)), Number(rest.slice(ml)));
    if (out) return out;
  }
  return null;
}
