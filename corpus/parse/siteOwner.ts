/**
 * The body that runs the website a letter was scraped from (主办单位:盘山县人民政府 in the footer,
 * 欢迎来到平川县人民政府门户网站 in the header). County pages often never name their own county in
 * the letter itself (我县, 我区); the site owner is then the only place the county is written.
 */
import type { PageLine } from './cleanPage.ts';
import { searchFormWithMap, stripPinyin } from './searchForm.ts';

/** 主办单位:X / 主办:X — the site's sponsor, in a footer. */
const SPONSOR = /主办(单位)?\s*[:]\s*([^\s|:,，;；]{2,30})/;
/** 版权所有:X / 版权所有©X — the copyright holder, often the level above the sponsor. */
const COPYRIGHT = /版权所有\s*[:©]?\s*(?:©\s*)?([^\s|:,，;；©]{2,30})/;
/** 欢迎来到平川县人民政府门户网站 / 欢迎访问X网站. */
const WELCOME = /^欢迎(?:来到|访问|光临)\s*([^\s|:,，]{2,30}?)(?:门户网站|政府网站|官方网站|网站|官网)/;
/** A sponsor must name a body, not a person or a stray word. */
const BODY = /(政府|人大|政协|委员会|委|局|厅|办公室|办|中心|院|部|会|网)$/;

/**
 * Finds the site owner among a page's lines, or null. Only chrome is read: footer lines (and
 * anything after the first footer line) for 主办单位 / 版权所有, short header lines for 欢迎来到…;
 * a 主办单位: line inside the letter names the body that handled it, not the site.
 *
 * @example
 * siteOwner(cleanPage('王福忠代表:\n您的建议收悉。\n主办单位:盘山县人民政府 版权所有:盘锦市人民政府办公室').lines) // '盘山县人民政府'
 */
export function siteOwner(lines: PageLine[]): string | null {
  const firstFooter = lines.findIndex((l) => l.kind === 'footer');
  const chrome = firstFooter >= 0 ? lines.slice(firstFooter) : [];
  let copyright: string | null = null;
  for (const l of chrome) {
    if (l.norm.length > 160) continue;
    const sponsor = SPONSOR.exec(l.norm)?.[2];
    if (sponsor && BODY.test(sponsor)) return original(l, sponsor);
    const holder = COPYRIGHT.exec(l.norm)?.[1];
    if (!copyright && holder && BODY.test(holder)) copyright = original(l, holder);
  }
  if (copyright) return copyright;
  for (const l of lines.slice(0, 40)) {
    const welcome = WELCOME.exec(l.norm)?.[1];
    if (welcome && BODY.test(welcome)) return original(l, welcome);
  }
  return null;
}

/** The found name as the page writes it (Traditional kept, pinyin glosses dropped). */
function original(line: PageLine, found: string): string {
  const { text, map } = searchFormWithMap(line.text);
  const at = text.indexOf(found);
  if (at < 0) return found;
  const from = map[at];
  const to = map[at + found.length - 1];
  return from === undefined || to === undefined ? found : stripPinyin(line.text.slice(from, to + 1)).trim() || found;
}
