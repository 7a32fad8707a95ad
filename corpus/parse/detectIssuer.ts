/**
 * The signing body of a letter, and where it was read: the signature above the date (or the
 * letter's own 主办单位 line); else the `X关于…的复函` prefix of the title; else the page's 发布机构 /
 * 发文机关 / 来源 field; else the body that runs the site. Every candidate must be a clean body name:
 * furniture stuck to it (公文时效: 长期公开, 编辑: … 审核: …) is cut off, and what is left must name a body.
 */
import type { FieldOrigin } from '../letter.ts';
import { isJunkName } from './furniture.ts';
import { searchForm, searchFormWithMap, stripPinyin } from './searchForm.ts';

const TITLE_PREFIX = /^(.{2,40}?(局|委员会|委|厅|办公室|政府|大队|支队|中心|院|部|会|处|署|办))\s*(关于|对)/;
/** How names of bodies end. */
const BODY_END = /(局|委员会|委|厅|办公室|办|政府|大队|支队|中队|中心|院|部|会|处|署|站|所|公司|集团|馆|室|府|司|组|人大|政协|街道|镇|乡|学校|中学|小学|幼儿园)$/;
/** Where furniture or another field starts inside a would-be name. */
const NAME_STOP = /\s*(公文时效|责任编辑|编辑|审核|校对|来源|发布|浏览|点击|字号|字体|打印|分享|收藏|关闭|时间|日期|[|>•:])/;

/**
 * A body's name as a citation may print it, or null: pinyin glosses and doubled spaces dropped,
 * furniture after it cut off, and it must end like a body (局, 委员会, 政府, 中心 …).
 * @example cleanIssuer('省文物局 公文时效: 长期公开') // '省文物局'
 * @example cleanIssuer('- 2023-06-16 - 发布单位: -') // null
 */
export function cleanIssuer(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let name = stripPinyin(raw).replace(/\s{2,}/g, ' ').trim();
  const { text, map } = searchFormWithMap(name);
  const stop = NAME_STOP.exec(text);
  if (stop) name = name.slice(0, map[stop.index]).trim();
  const norm = searchForm(name);
  if (norm.length < 2 || norm.length > 60 || /\d{3,}|[:：|]/.test(norm) || isJunkName(norm)) return null;
  return BODY_END.test(norm) ? name : null;
}

/**
 * The issuer named at the start of a title, or null.
 * @example issuerFromTitle('重庆市人民政府港澳事务办公室关于市政协六届二次会议第0963号提案的复函') // '重庆市人民政府港澳事务办公室'
 */
export function issuerFromTitle(title: string): string | null {
  const m = TITLE_PREFIX.exec(stripPinyin(title));
  return m ? cleanIssuer(m[1].trim()) : null;
}

/** What the page offers about who answered. */
export interface IssuerEvidence {
  /** The body in the signature block. */
  signature: string | null;
  /** A 主办单位: line of the letter's own (the body that handled it). */
  handler: string | null;
  /** The letter's title as found on the page (never a composed one). */
  title: string | null;
  /** 发布机构 / 发文机关 field. */
  publisher: string | null;
  /** 来源 field: often the site or county, used only when it names a body. */
  source: string | null;
  /** The body that runs the website (footer 主办单位, header 欢迎来到…). */
  site: string | null;
}

/**
 * Picks the issuer from what was found, strongest evidence first, and says where it came from.
 * @example detectIssuer({ signature: null, handler: null, title: '衡阳市公安局关于…的答复', publisher: null, source: null, site: null })
 * // { issuer: '衡阳市公安局', origin: { from: 'title' } }
 */
export function detectIssuer(found: IssuerEvidence): { issuer: string | null; origin: FieldOrigin } {
  const candidates: [string | null, FieldOrigin['from']][] = [
    [cleanIssuer(found.signature), 'signature'],
    [cleanIssuer(found.handler), 'signature'],
    [found.title ? issuerFromTitle(found.title) : null, 'title'],
    [cleanIssuer(found.publisher), 'metadata table'],
    [cleanIssuer(found.source), 'metadata table'],
    [cleanIssuer(found.site), 'site owner'],
  ];
  for (const [issuer, from] of candidates) if (issuer) return { issuer, origin: { from } };
  return {
    issuer: null,
    origin: { from: 'unknown', reason: 'no signature, no body before 关于 in the title, no 发布机构/来源 field and no site owner names a body' },
  };
}
