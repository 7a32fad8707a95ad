/**
 * What kind of page a fetched HTML page is, judged by its structure, not by its site:
 *
 * - a **list** (a column such as 建议提案办理结果公开): many links of one shape (same element,
 *   same class, same parent), most with a date beside them, usually with a pager;
 * - a **letter** (a detail page): prose — long runs of Chinese text outside links;
 * - an **attachment shell**: a detail page with little text around a PDF/DOCX/DOC link or an
 *   iframe/embed showing the letter;
 * - anything else is **unknown**, reported with the measurements that ruled the others out.
 */
import { DomUtils, parseDocument } from 'htmlparser2';
import { pagerLinks, type PageLink } from './pager.ts';
import { pageUrl, sameSite } from './siteUrl.ts';

type Node = ReturnType<typeof parseDocument>['children'][number];
type Element = Extract<Node, { attribs: Record<string, string> }>;

/** An entry of a list page: the linked page and the date shown beside it (ISO), if any. */
export interface ListEntry {
  url: string;
  title: string;
  date?: string;
}

export type PageKind =
  | { kind: 'list'; entries: ListEntry[]; pages: string[]; offSite: number }
  | { kind: 'letter' }
  | { kind: 'shell'; attachment: string }
  | { kind: 'unknown'; reason: string };

/** Thresholds, with the measurements behind them. */
export interface ClassifyOptions {
  /** Han characters of prose (outside links) that make a page a letter. Default 150: the shortest reply letters run ~200; list pages carry < 100 outside links (footer, breadcrumb). */
  minProse?: number;
  /** Dated links of one shape that make a list even without a pager. Default 3. */
  minEntries?: number;
}

const DATE = /((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})/;
const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/g;
const ATTACHMENT = /\.(?:pdf|docx|doc|wps|ofd)(?:$|[?#])/i;
const NOT_CONTENT = new Set(['script', 'style', 'noscript', 'template', 'head', 'select', 'option', 'textarea']);
/** The element a list row is: a list item or table row close around the link, else the nearest block. */
const ROW_TAGS = new Set(['li', 'tr', 'dd', 'dt']);
const BLOCK_TAGS = new Set(['p', 'div', 'span', 'td', 'h3', 'h4']);

function isElement(node: Node): node is Element {
  return 'attribs' in node && 'name' in node;
}

function hanCount(text: string): number {
  return text.match(HAN)?.length ?? 0;
}

/** ISO date of the first date in `text`, if any. */
export function findDate(text: string): string | undefined {
  const m = DATE.exec(text);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return undefined;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Han characters in text runs of ≥ 20 of them outside links and scripts: sentences, not labels or menus. */
function proseHan(nodes: Node[]): number {
  let total = 0;
  const stack = [...nodes];
  while (stack.length) {
    const node = stack.pop()!;
    if (isElement(node)) {
      if (node.name === 'a' || NOT_CONTENT.has(node.name)) continue;
      stack.push(...(node.children as Node[]));
    } else if (node.type === 'text') {
      const n = hanCount((node as { data: string }).data);
      if (n >= 20) total += n;
    }
  }
  return total;
}

function shapeOf(row: Element): string {
  const parent = row.parent && isElement(row.parent as Node) ? (row.parent as Element) : undefined;
  const cls = (e: Element | undefined): string => (e?.attribs.class ?? '').trim().split(/\s+/).sort().join('.');
  return `${parent?.name ?? ''}.${cls(parent)}>${row.name}.${cls(row)}`;
}

function rowOf(link: Element): Element {
  let block: Element | undefined;
  let node = link.parent as Node | null;
  for (let depth = 0; node && isElement(node) && depth < 4; depth++) {
    if (ROW_TAGS.has(node.name)) return node;
    if (!block && BLOCK_TAGS.has(node.name)) block = node;
    node = node.parent as Node | null;
  }
  return block ?? link;
}

/** The row's date, or its next sibling's (`<dt><a/></dt><dd>2024-05-01</dd>`). */
function rowDate(row: Element): string | undefined {
  const own = findDate(DomUtils.textContent(row));
  if (own) return own;
  const next = DomUtils.nextElementSibling(row) as Element | null;
  return next && !DomUtils.getElementsByTagName('a', [next], true).length ? findDate(DomUtils.textContent(next)) : undefined;
}

/**
 * Classifies a decoded HTML page fetched from `url`.
 *
 * @example
 * classifyPage(html, 'https://www.example.gov.cn/jyta/index.html')
 * // → { kind: 'list', entries: [{ url: '…/t20240724_1.html', title: '关于…的复函', date: '2024-07-24' }, …], pages: ['…/index_1.html'], offSite: 0 }
 */
export function classifyPage(html: string, url: string, options: ClassifyOptions = {}): PageKind {
  const minProse = options.minProse ?? 150;
  const minEntries = options.minEntries ?? 3;
  const doc = parseDocument(html);
  const nodes = doc.children as Node[];
  const anchors = DomUtils.getElementsByTagName('a', nodes, true) as Element[];
  const links: PageLink[] = anchors.map((a) => ({ href: a.attribs.href ?? '', text: DomUtils.textContent(a).trim() }));
  const scripts = (DomUtils.getElementsByTagName('script', nodes, true) as Element[]).map((s) => DomUtils.textContent(s));
  const pages = pagerLinks(url, links, scripts);
  const pagerSet = new Set(pages);

  // Group content links (not pager links, not fragments or scripts) by the shape of their row.
  const groups = new Map<string, { entries: ListEntry[]; dated: number; offSite: number }>();
  for (const anchor of anchors) {
    const target = pageUrl(anchor.attribs.href ?? '', url);
    if (!target || pagerSet.has(target) || target === pageUrl(url)) continue;
    const title = (anchor.attribs.title || DomUtils.textContent(anchor)).replace(/\s+/g, ' ').trim();
    if (hanCount(title) < 4) continue; // 首页, 更多, icons: not entries
    const row = rowOf(anchor);
    const group = groups.get(shapeOf(row)) ?? { entries: [], dated: 0, offSite: 0 };
    groups.set(shapeOf(row), group);
    if (!sameSite(target, url)) {
      group.offSite++;
      continue;
    }
    const date = rowDate(row) ?? findDate(target);
    if (date) group.dated++;
    if (!group.entries.some((e) => e.url === target)) group.entries.push(date ? { url: target, title, date } : { url: target, title });
  }
  const best = [...groups.values()].sort((a, b) => b.dated - a.dated || b.entries.length - a.entries.length)[0];
  const prose = proseHan(nodes);
  const dated = best?.dated ?? 0;
  const listLike = dated >= minEntries || (pages.length > 0 && (dated >= 1 || (best?.entries.length ?? 0) >= 5));
  // A letter with a "related articles" box is still a letter: a list has no long prose.
  if (best && listLike && (pages.length > 0 || prose < minProse * 2)) {
    return { kind: 'list', entries: best.entries, pages, offSite: best.offSite };
  }
  if (prose >= minProse) return { kind: 'letter' };

  const framed = [...DomUtils.getElementsByTagName('iframe', nodes, true), ...DomUtils.getElementsByTagName('embed', nodes, true), ...DomUtils.getElementsByTagName('object', nodes, true)] as Element[];
  for (const frame of framed) {
    const target = pageUrl(frame.attribs.src ?? frame.attribs.data ?? '', url);
    if (target && sameSite(target, url)) return { kind: 'shell', attachment: target };
  }
  for (const anchor of anchors) {
    const href = anchor.attribs.href ?? '';
    const target = pageUrl(href, url);
    if (target && (ATTACHMENT.test(href) || ATTACHMENT.test(DomUtils.textContent(anchor).trim()))) return { kind: 'shell', attachment: target };
  }
  return {
    kind: 'unknown',
    reason: `cannot classify the page: ${dated} dated links of one shape, ${pages.length ? 'a pager' : 'no pager'}, ${prose} Chinese characters of prose, no attachment`,
  };
}
