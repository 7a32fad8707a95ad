/**
 * The signing body of a letter: the signature above the date; else the `X关于…的复函` prefix of
 * the title; else the page's 发布机构 or 来源 field.
 */
import { stripPinyin } from './searchForm.ts';

const TITLE_PREFIX = /^(.{2,40}?(局|委员会|委|厅|办公室|政府|大队|支队|中心|院|部|会|处|署|办))\s*(关于|对)/;

/**
 * The issuer named at the start of a title, or null.
 * @example issuerFromTitle('重庆市人民政府港澳事务办公室关于市政协六届二次会议第0963号提案的复函') // '重庆市人民政府港澳事务办公室'
 */
export function issuerFromTitle(title: string): string | null {
  const m = TITLE_PREFIX.exec(stripPinyin(title));
  return m ? m[1].trim() : null;
}

/**
 * Picks the issuer from what was found, strongest evidence first.
 * @example detectIssuer({ signature: null, title: '衡阳市公安局关于…的答复', publisher: null, source: null }) // '衡阳市公安局'
 */
export function detectIssuer(found: { signature: string | null; title: string; publisher: string | null; source: string | null }): string | null {
  if (found.signature) return stripPinyin(found.signature).replace(/\s{2,}/g, ' ');
  const fromTitle = issuerFromTitle(found.title);
  if (fromTitle) return fromTitle;
  if (found.publisher) return found.publisher;
  // 来源 is often the site or county, not a body (来源:安居区); only trust it when it names a body.
  if (found.source && /(局|委|厅|办|政府|中心|院|部|会)$/.test(found.source)) return found.source;
  return null;
}
