/**
 * The pager of a list page, by the shapes government CMSs use: links labelled 下一页 / 尾页 /
 * 第N页 / a bare page number, addresses like `index_3.html` or `?page=3`, and script pagers that
 * write the links at run time, e.g. TRS WCM's `createPageHTML(countPage, currentPage, "index",
 * "html")`, whose pages are `index.html`, `index_1.html` … `index_{countPage-1}.html`.
 */
import { pageUrl, sameSite } from './siteUrl.ts';

/** A link's address and visible text. */
export interface PageLink {
  href: string;
  text: string;
}

/** Pager labels: next / last / previous / first, a page number, 第N页. */
const PAGER_TEXT = /^(?:下一页|下页|后一页|后页|上一页|上页|前一页|首页|尾页|末页|最后一页|[<>‹›«»]+|next|last|prev(?:ious)?|first|\d{1,4}|第\s*\d{1,4}\s*页)$/i;
/**
 * Page addresses: index_3.html, list_3.shtml, ?page=3 / pageNo / pageIndex / curPage / pn / p.
 * Only list-like names: article URLs end in `_123.html` too (t20240724_123.html).
 */
const PAGER_HREF = /(?:(?:^|\/)(?:index|list|default|more|page|\w*list)_\d{1,4}\.s?html?$)|(?:[?&](?:page|pageno|pagenum|pageindex|curpage|currentpage|cur|pn|p|start)=\d+)/i;
/** A script call whose name mentions a page, with its argument list. */
const SCRIPT_PAGER = /\b([A-Za-z_$][\w$]*page[\w$]*)\s*\(([^()]{0,200})\)/gi;

/**
 * The other pages of the list `url`, in page order where known; never off-site, never `url` itself.
 *
 * @example
 * pagerLinks('https://x.gov.cn/jyta/index.html', [{ href: 'index_1.html', text: '下一页' }], [])
 * // → ['https://x.gov.cn/jyta/index_1.html']
 * pagerLinks('https://x.gov.cn/jyta/index.html', [], ['createPageHTML(3, 0, "index", "html");'])
 * // → ['https://x.gov.cn/jyta/index_1.html', 'https://x.gov.cn/jyta/index_2.html']
 */
export function pagerLinks(url: string, links: PageLink[], scripts: string[]): string[] {
  const found: string[] = [];
  for (const link of links) {
    const text = link.text.replace(/\s+/g, '');
    if (!PAGER_TEXT.test(text) && !(PAGER_HREF.test(link.href) && (text === '' || /页/.test(text)))) continue;
    if (/^\d+$/.test(text) && !PAGER_HREF.test(link.href)) continue; // a bare number must also look like a page address
    const target = pageUrl(link.href, url);
    if (target) found.push(target);
  }
  for (const script of scripts) found.push(...scriptPagerLinks(url, script));
  const self = pageUrl(url)!;
  return [...new Set(found)].filter((u) => u !== self && sameSite(u, url) && samePath(u, url));
}

/** A pager leads to pages of the same column: the same folder (index_N.html) or the same path (?page=N). */
function samePath(a: string, b: string): boolean {
  const folder = (u: string): string => new URL(u).pathname.replace(/[^/]*$/, '');
  return folder(a) === folder(b);
}

/** Pages named by script pagers: `createPageHTML(5, 0, "index", "html")`, arguments as literals or `var` names. */
function scriptPagerLinks(url: string, script: string): string[] {
  const links: string[] = [];
  for (const call of script.matchAll(SCRIPT_PAGER)) {
    const args = splitArgs(call[2] ?? '').map((arg) => resolveVariable(arg, script));
    const strings = args.filter((a): a is { s: string } => 's' in a).map((a) => a.s);
    const numbers = args.filter((a): a is { n: number } => 'n' in a).map((a) => a.n);
    const extAt = strings.findIndex((s, i) => i > 0 && /^s?html?$/i.test(s));
    if (extAt < 1 || numbers.length < 1) continue;
    const prefix = strings[extAt - 1]!;
    const ext = strings[extAt]!;
    if (!/^[\w-]+$/.test(prefix)) continue;
    const count = Math.min(numbers[0]!, 500);
    links.push(`${prefix}.${ext}`);
    for (let n = 1; n < count; n++) links.push(`${prefix}_${n}.${ext}`);
  }
  return links.map((href) => pageUrl(href, url)).filter((u): u is string => u !== null);
}

type Arg = { s: string } | { n: number } | { name: string };

function splitArgs(list: string): Arg[] {
  return list.split(',').map((raw): Arg => {
    const arg = raw.trim();
    const quoted = /^(['"])(.*)\1$/.exec(arg);
    if (quoted) return { s: quoted[2]! };
    if (/^\d+$/.test(arg)) return { n: Number(arg) };
    return { name: arg };
  });
}

/** `var countPage = 5` earlier in the script gives `countPage` its value. */
function resolveVariable(arg: Arg, script: string): Arg {
  if (!('name' in arg) || !/^[A-Za-z_$][\w$]*$/.test(arg.name)) return arg;
  const value = new RegExp(`\\b${arg.name.replace(/\$/g, '\\$')}\\s*=\\s*(?:(\\d+)|(['"])([^'"]*)\\2)`).exec(script);
  if (!value) return arg;
  return value[1] !== undefined ? { n: Number(value[1]) } : { s: value[3]! };
}

/** A list page's number from its address: index_3.html → 3, ?page=3 → 3, index.html → 0. */
export function pageNumber(url: string): number {
  const match = /_(\d+)\.s?html?$/i.exec(new URL(url).pathname) ?? /[?&][a-z]*(?:page|pn|p|cur)[a-z]*=(\d+)/i.exec(url);
  return match ? Number(match[1]) : 0;
}
