import { parseDocument } from 'htmlparser2';
import { SITE_FOOTER_LABEL } from '../parse/furniture.ts';

/** Article text of an HTML page, or why the page holds no letter. */
export type HtmlText = { ok: true; text: string; title?: string } | { ok: false; reason: string };

/** The slice of domhandler's node shape this module walks (htmlparser2's parse tree). */
interface DomNode {
  type: string;
  name?: string;
  data?: string;
  attribs?: Record<string, string>;
  children?: DomNode[];
  parent?: DomNode | null;
}

/** Never content: removed before anything is measured. */
const ALWAYS_NOISE = new Set([
  'script', 'style', 'noscript', 'template', 'iframe', 'frame', 'svg', 'canvas', 'object', 'embed', 'head',
  'link', 'meta', 'input', 'select', 'option', 'button', 'textarea', 'audio', 'video', 'map', 'img',
]);

/** Page chrome by tag: removed unless it holds the article. */
const CHROME_TAGS = new Set(['nav', 'header', 'footer', 'aside', 'menu']);

/**
 * Page chrome by class/id, as government CMSs name it (English and pinyin): navigation, menus,
 * breadcrumbs (位置/dqwz), share bars, footers, sidebars, related links, print/close buttons.
 */
const CHROME_NAME =
  /(^|[\s_-])(nav|navbar|menu|menus|footer|foot|bottom|share|bshare|jiathis|breadcrumbs?|crumbs?|sidebar|side|header|head|top|topbar|toolbar|banner|copyright|links?|friend-?links?|yqlj|related|xgxx|xglj|search|login|position|location|dqwz|weizhi|print|close|gotop|back-?top|qrcode|ewm|fxd|tool|tools)([\s_-]|\d|$)/i;

/** Elements that start a new line when rendered. */
const BLOCK_TAGS = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'center', 'dd', 'details', 'dialog', 'dir', 'div', 'dl', 'dt',
  'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'html',
  'li', 'main', 'menu', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'thead', 'tfoot', 'tr',
  'td', 'th', 'caption', 'ul', 'title',
]);

/** Link lists: inside the article only these count as menus when mostly links. */
const LIST_TAGS = new Set(['ul', 'ol', 'dl', 'menu']);

/** A breadcrumb written as plain text rather than marked up: 您当前的位置:首页 > 政务公开 > … */
const BREADCRUMB_TEXT = /^\s*(您?(当前|现在)的?(所在)?位置|当前位置|所在位置)\s*[::]/;

const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/g;

function children(node: DomNode): DomNode[] {
  return node.children ?? [];
}

function isElement(node: DomNode): boolean {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style';
}

function countHan(text: string): number {
  return text.match(HAN)?.length ?? 0;
}

/** All text under a node, iteratively (hostile pages nest thousands deep). */
function flatText(root: DomNode): string {
  const parts: string[] = [];
  const stack: DomNode[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type === 'text') parts.push(node.data ?? '');
    else {
      const kids = children(node);
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
    }
  }
  return parts.join('');
}

/** Post-order list of elements under root (children before parents), built without recursion. */
function elementsPostOrder(root: DomNode): DomNode[] {
  const order: DomNode[] = [];
  const stack: DomNode[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    const element = isElement(node);
    if (!element && node.type !== 'root') continue;
    if (element) order.push(node);
    for (const kid of children(node)) stack.push(kid);
  }
  return order.reverse();
}

/** Han characters under each element, split into those inside links and outside. */
function measure(root: DomNode): Map<DomNode, { han: number; linkHan: number; chars: number }> {
  const sizes = new Map<DomNode, { han: number; linkHan: number; chars: number }>();
  for (const element of elementsPostOrder(root)) {
    let han = 0;
    let linkHan = 0;
    let chars = 0;
    for (const kid of children(element)) {
      if (kid.type === 'text') {
        const data = kid.data ?? '';
        const n = countHan(data);
        han += n;
        chars += data.replace(/\s+/g, '').length;
        if (element.name === 'a') linkHan += n;
      } else if (isElement(kid)) {
        const size = sizes.get(kid);
        if (!size) continue;
        han += size.han;
        chars += size.chars;
        linkHan += element.name === 'a' ? size.han : size.linkHan;
      }
    }
    sizes.set(element, { han, linkHan, chars });
  }
  return sizes;
}

/** The first element named `name` in document order, found without recursion. */
function firstElement(root: DomNode, name: string): DomNode | null {
  const stack: DomNode[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.name === name && isElement(node)) return node;
    const kids = children(node);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  return null;
}

/** A page without <body> (a fragment) gets one around everything, as a browser would. */
function wrapInBody(root: DomNode): DomNode {
  const body: DomNode = { type: 'tag', name: 'body', attribs: {}, children: children(root), parent: root };
  for (const kid of children(root)) kid.parent = body;
  root.children = [body];
  return body;
}

function remove(node: DomNode): void {
  const parent = node.parent;
  if (!parent?.children) return;
  const index = parent.children.indexOf(node);
  if (index >= 0) parent.children.splice(index, 1);
  node.parent = null;
}

/**
 * The article block: starting at <body>, step into the child that holds most of the Han
 * characters outside links while it holds at least half of them. Where the text splits
 * between several children (title, metadata table, body) we stop: they are all the article.
 */
function findMain(body: DomNode, sizes: ReturnType<typeof measure>): DomNode {
  let node = body;
  for (;;) {
    const own = sizes.get(node);
    if (!own) return node;
    const ownText = own.han - own.linkHan;
    let best: DomNode | null = null;
    let bestText = 0;
    for (const kid of children(node)) {
      const size = sizes.get(kid);
      if (!size) continue;
      const text = size.han - size.linkHan;
      if (text > bestText) {
        best = kid;
        bestText = text;
      }
    }
    if (!best || bestText < ownText * 0.5) return node;
    node = best;
  }
}

/** Inside the article only unmistakable widgets are chrome: `article-head` there is the title block. */
const INNER_CHROME_NAME =
  /(^|[\s_-])(share|bshare|jiathis|breadcrumbs?|crumbs?|position|location|dqwz|print|close|gotop|back-?top|qrcode|ewm|fxd)([\s_-]|\d|$)/i;

/** Metadata labels of 政府信息公开 pages: a block carrying them is the letter's header, never chrome. */
const METADATA_LABELS = /索引号|发文字号|文件编号|成文日期|发布日期|发文日期|发布机构|主题分类/;

/** A footer by name (`id="footer"`, `class="bottom"`, 版权 blocks): page chrome even inside the article's column. */
const FOOTER_NAME = /(^|[\s_-])(footer|foot|bottom|copyright|banquan|bq)([\s_-]|\d|$)/i;
/** A signature block: the body's name and a date (年月日) — the letter's own end, whatever its box is called. */
const SIGNATURE_DATE = /[0-9〇零一二三四五六七八九]{4}\s*年\s*[0-9一二三四五六七八九十]{1,2}\s*月\s*[0-9一二三四五六七八九十]{1,3}\s*日/;

function isChrome(element: DomNode, insideMain: boolean): boolean {
  const names = `${element.attribs?.class ?? ''} ${element.attribs?.id ?? ''}`;
  if (element.name === 'footer' || FOOTER_NAME.test(names)) {
    // Pages put the site footer inside the article's column too; but a box holding the signature
    // date (class="sign-bottom") is the letter's own end.
    const text = flatText(element);
    return !SIGNATURE_DATE.test(text) || SITE_FOOTER_LABEL.test(text);
  }
  if (!insideMain && CHROME_TAGS.has(element.name ?? '')) return true;
  if (insideMain && (element.name === 'nav' || element.name === 'aside')) return true;
  return names.trim() !== '' && (insideMain ? INNER_CHROME_NAME : CHROME_NAME).test(names);
}

/** An <h1> of some length inside: the letter's title block (`article-head`), not page chrome. */
function holdsHeadline(element: DomNode): boolean {
  return elementsPostOrder(element).some((el) => el.name === 'h1' && countHan(flatText(el)) >= 6);
}

function ancestorsOf(node: DomNode): Set<DomNode> {
  const set = new Set<DomNode>();
  for (let cur: DomNode | null | undefined = node; cur; cur = cur.parent) set.add(cur);
  return set;
}

/**
 * Remove page chrome: chrome-named elements and link lists (menus, related links) — except the
 * main block and its ancestors, and except anything that holds a large share of the article text.
 */
function stripChrome(body: DomNode): void {
  const sizes = measure(body);
  const main = findMain(body, sizes);
  const protectedNodes = ancestorsOf(main);
  const mainSize = sizes.get(main)!;
  const mainText = Math.max(1, mainSize.han - mainSize.linkHan);
  const inside = new Set(elementsPostOrder(main));
  for (const element of elementsPostOrder(body)) {
    if (protectedNodes.has(element) || !element.parent) continue;
    const size = sizes.get(element)!;
    const text = size.han - size.linkHan;
    if (text > mainText * 0.3) continue;
    const isInside = inside.has(element);
    const name = element.name ?? '';
    // Outside the article any block of mostly links is a menu; inside it, a list of them, or a block
    // that is almost all links (related links, 下载Word/PDF, 上一篇/下一篇) with a few words between.
    const linkDense =
      size.han >= 4 &&
      ((!isInside && BLOCK_TAGS.has(name) && size.linkHan / size.han > 0.6 && text < 40) ||
        (isInside && LIST_TAGS.has(name) && size.linkHan / size.han > 0.6 && text < 40) ||
        (isInside && BLOCK_TAGS.has(name) && size.linkHan / size.han > 0.75 && text < 12));
    const flat = size.chars < 400 ? flatText(element) : '';
    const breadcrumb = size.chars < 120 && BREADCRUMB_TEXT.test(flat);
    if (!(isChrome(element, isInside) || linkDense || breadcrumb)) continue;
    if (!breadcrumb && METADATA_LABELS.test(size.chars < 400 ? flat : flatText(element))) continue;
    if (!breadcrumb && !linkDense && holdsHeadline(element)) continue;
    remove(element);
  }
}

/** Collapse HTML whitespace; a line break between two Han characters is no space at all. */
function collapse(text: string): string {
  return text
    .replace(/([\u3000-\u303f\u3400-\u9fff\uff00-\uffef])[ \t\r\n\f]*[\r\n][ \t\r\n\f]*(?=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])/g, '$1')
    .replace(/[ \t\r\n\f]+/g, ' ');
}

/** One rendered table row, `cell | cell`, when the row is data (short cells), else null. */
function rowLine(row: DomNode): string | null {
  const cells = children(row).filter((kid) => kid.name === 'td' || kid.name === 'th');
  if (cells.length < 2) return null;
  const texts = cells.map((cell) => collapse(flatText(cell)).replace(/[\s\u00a0\u3000]+/g, ' ').trim());
  // Layout tables put whole articles in a cell: those cells are blocks, not row fields.
  if (texts.some((text) => text.length > 200)) return null;
  if (cells.some((cell) => elementsPostOrder(cell).some((el) => el !== cell && (el.name === 'table' || el.name === 'p' || el.name === 'br')))) return null;
  if (texts.every((text) => text === '')) return '';
  return texts.join(' | ');
}

/** Render the tree as lines: blocks and <br> break lines, data-table rows become `a | b | c`. */
function render(root: DomNode): string {
  const out: string[] = [];
  // Stack of nodes to visit, with markers that close a block after its children.
  const stack: (DomNode | 'break')[] = [root];
  while (stack.length) {
    const item = stack.pop()!;
    if (item === 'break') {
      out.push('\n');
      continue;
    }
    if (item.type === 'text') {
      out.push(collapse(item.data ?? ''));
      continue;
    }
    if (!isElement(item)) {
      if (item.type === 'root') for (let i = children(item).length - 1; i >= 0; i--) stack.push(children(item)[i]!);
      continue;
    }
    const name = item.name ?? '';
    if (name === 'br') {
      out.push('\n');
      continue;
    }
    if (name === 'tr') {
      const line = rowLine(item);
      if (line !== null) {
        out.push('\n', line, '\n');
        continue;
      }
    }
    const block = BLOCK_TAGS.has(name);
    if (block) {
      out.push('\n');
      stack.push('break');
    } else if (name === 'td' || name === 'th') {
      out.push(' ');
    }
    const kids = children(item);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  return out
    .join('')
    .split('\n')
    .map((line) => line.replace(/^[\s\u00a0\u3000]+|[\s\u00a0\u3000]+$/g, '').replace(/[ \u00a0]{2,}/g, ' '))
    .filter((line) => line !== '')
    .join('\n');
}

/**
 * Real pages nest well under a hundred levels. The HTML parser's tree building is quadratic in
 * depth (100,000 nested <div>s take minutes), so hostile nesting is refused before parsing.
 */
const MAX_NESTING = 4000;

/** Elements that never nest (void) or that the parser closes implicitly when a sibling opens. */
const NON_NESTING = new Set([
  'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr', 'param',
  'p', 'li', 'td', 'th', 'tr', 'option', 'dt', 'dd', 'tbody', 'thead', 'tfoot', 'colgroup', 'optgroup', 'rp', 'rt',
]);

/**
 * Rough maximum element depth from a tag scan (no parsing): opening tags push, closing tags
 * pop, void and implicitly closed elements are ignored. Over-estimates only on sloppy markup.
 */
function estimateNesting(html: string): number {
  // `[^<>]` (not `[^>]`) keeps the scan linear on hostile runs of `<` without `>`.
  const tag = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)[^<>]*?(\/?)>/g;
  let depth = 0;
  let max = 0;
  for (let match = tag.exec(html); match; match = tag.exec(html)) {
    const name = match[2]!.toLowerCase();
    if (NON_NESTING.has(name) || match[3] === '/') continue;
    if (match[1] === '/') depth = Math.max(0, depth - 1);
    else if (++depth > max) max = depth;
  }
  return max;
}

/**
 * The letter's title as the page offers it: the <h1> when <title> repeats it (titles carry
 * `_栏目_网站名` suffixes), else the longest part of <title> split at its separators.
 */
function pageTitle(title: string, h1: string): string | undefined {
  if (h1 && (!title || title.includes(h1))) return h1;
  const parts = title.split(/\s*(?:_|\||｜|——|\s-\s)\s*|-(?=[^-]*(?:政府|网|网站|门户)$)/).filter(Boolean);
  const longest = parts.reduce((a, b) => (b.length > a.length ? b : a), '');
  return longest || h1 || undefined;
}

/**
 * The charset an HTML file declares in its first 4 KB (`<meta charset>`, `http-equiv`
 * Content-Type, or an XML declaration), or null. Read as Latin-1 so any encoding can be sniffed.
 *
 * @example
 * sniffHtmlCharset(Buffer.from('<meta charset="gbk"><p>…')); // 'gbk'
 */
export function sniffHtmlCharset(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 4096)).toString('latin1');
  const meta = /<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)/i.exec(head);
  if (meta?.[1]) return meta[1];
  const xml = /<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)/i.exec(head);
  return xml?.[1] ?? null;
}

/**
 * Article text of a government web page, one block per line: scripts, styles, navigation,
 * menus, breadcrumbs, share bars and footers dropped; the main block found by density of
 * Chinese characters outside links; metadata tables (索引号 | … | 发文字号 | …) kept as
 * `cell | cell` lines for the parser; entities decoded. `title` is the page <title>, or the
 * first <h1> when there is no title. A page with fewer than `minCjkChars` Han characters left
 * holds no letter and is reported as such.
 *
 * @example
 * htmlToText('<title>复函</title><nav>首页 | 政务公开</nav><div class="article"><p>张委员:</p><p>您提出的…收悉。</p></div>', { minCjkChars: 3 });
 * // { ok: true, text: '张委员:\n您提出的…收悉。', title: '复函' }
 */
export function htmlToText(html: string, options: { minCjkChars?: number } = {}): HtmlText {
  const minCjkChars = options.minCjkChars ?? 50;
  const depth = estimateNesting(html);
  if (depth > MAX_NESTING) return { ok: false, reason: `unreadable HTML (nested about ${depth} levels deep)` };
  // htmlparser2, not parse5 (cheerio's default): parse5 checks duplicate attributes pairwise, so a
  // tag with 40,000 attributes took 2.9 s and one with 1M hung the build; htmlparser2 is linear (57 ms).
  const documentRoot = parseDocument(html, { decodeEntities: true }) as unknown as DomNode;
  const elementText = (name: string) => {
    const found = firstElement(documentRoot, name);
    return found ? collapse(flatText(found)).trim() : '';
  };
  const title = pageTitle(elementText('title'), elementText('h1'));
  for (const element of elementsPostOrder(documentRoot)) {
    if (ALWAYS_NOISE.has(element.name ?? '') || element.type === 'script' || element.type === 'style') remove(element);
  }
  for (const node of elementsPostOrder(documentRoot)) {
    for (const kid of [...children(node)]) if (kid.type === 'comment' || kid.type === 'directive') remove(kid);
  }
  const body = firstElement(documentRoot, 'body') ?? wrapInBody(documentRoot);
  stripChrome(body);
  const text = render(body);
  const han = countHan(text);
  if (han < minCjkChars) return { ok: false, reason: `no letter text in page (${han} Chinese characters outside navigation)` };
  return { ok: true, text, title };
}
