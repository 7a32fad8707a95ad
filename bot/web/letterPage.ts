/**
 * `/letters/<id>`: one letter as a readable page — who wrote it to whom about which proposal, when,
 * where it was published, its section tree, then the text with passages and commitments marked.
 * With a quote range (`?q=start-end`) the quote is inside `<mark id="quote">`, repeated above the
 * text with its permalink, and scrolled into view.
 */
import type { Letter, Passage, Section } from '../../corpus/letter.ts';
import { formatDate } from '../answer/answerLabels.ts';
import { citationTitle, letterRefOf } from '../answer/citation.ts';
import { isWebLink } from '../telegram/renderHtml.ts';
import { Html, html } from './html.ts';
import { layout } from './layout.ts';
import { renderLetterText, type TextRange } from './letterText.ts';

export interface LetterPageOptions {
  letter: Letter;
  passages: Passage[];
  highlight?: TextRange;
  /** Absolute permalink of the highlighted quote, for copying. */
  permalink?: string;
  assetVersion: string;
}

const KINDS: Record<Letter['kind'], string> = {
  'cppcc-proposal': '政协提案 · CPPCC proposal',
  'npc-suggestion': '人大代表建议 · NPC suggestion',
  other: '其他 · other',
};

function date(iso: string | null): Html | null {
  return iso ? html`<time datetime="${iso}">${formatDate(iso, 'zh')}</time>` : null;
}

function metadata(letter: Letter): Html {
  const rows: [string, Html | string | null][] = [
    ['发文单位 · Issuer', letter.issuer],
    ['致 · To', letter.addressees.length ? letter.addressees.join('、') : null],
    ['提案/建议 · Proposal', [letter.session, letter.proposal ? `第${letter.proposal}号` : null].filter(Boolean).join(' ') || null],
    ['类别 · Kind', KINDS[letter.kind]],
    ['成文日期 · Dated', date(letter.date)],
    ['发布日期 · Published', date(letter.published)],
    ['文号 · Doc. no.', letter.docNumber],
    ['索引号 · Index no.', letter.indexNumber],
    ['办理结果 · Result', letter.resultClass],
    ['联系 · Contact', letter.contact],
  ];
  return html`<dl class="meta">${rows.filter(([, v]) => v).map(([k, v]) => html`<div><dt>${k}</dt><dd>${v}</dd></div>`)}</dl>`;
}

/** The source line: the original address, said plainly to be the page it came from, not a live copy. */
function sourceNote(letter: Letter): Html {
  const doc = letterRefOf(letter).doc;
  if (isWebLink(letter.source)) {
    return html`<p class="source">原网页 · Original page: <a href="${letter.source}" rel="noopener noreferrer nofollow">${letter.source}</a></p>
<p class="archived">下面是收录时保存的存档副本（${doc}）；原网页可能已改版、移动或删除。 <span lang="en">Below is the archived copy kept when the letter was collected (${doc}); the original page may have changed or gone since.</span></p>`;
  }
  // A source that is not a web address (a file name, a note, or something hostile) is shown as text, never linked.
  const given = letter.source ? html`<p class="source">来源 · Source: ${letter.source}</p>
` : null;
  return html`${given}<p class="archived">这封复函没有记录原网页地址；下面是收录文件 ${doc} 的文本。 <span lang="en">No web address was recorded for this letter; below is the text of the collected file ${doc}.</span></p>`;
}

function sectionTree(sections: Section[]): Html | null {
  if (sections.length === 0) return null;
  const sorted = [...sections].sort((a, b) => a.start - b.start || a.level - b.level);
  // Nest by containment: a section goes under the nearest open section whose span contains it.
  type Node = { section: Section; children: Node[] };
  const roots: Node[] = [];
  const stack: Node[] = [];
  for (const section of sorted) {
    while (stack.length && !(stack[stack.length - 1].section.start <= section.start && section.end <= stack[stack.length - 1].section.end && stack[stack.length - 1].section.level < section.level)) stack.pop();
    const node = { section, children: [] };
    (stack.length ? stack[stack.length - 1].children : roots).push(node);
    stack.push(node);
  }
  const list = (nodes: Node[]): Html =>
    html`<ol>${nodes.map((n) => html`<li><a href="#s-${n.section.start}">${shorten(n.section.heading, 40)}</a>${n.children.length ? list(n.children) : null}</li>`)}</ol>`;
  return html`<nav class="toc" aria-label="sections"><h2>章节 · Sections</h2>${list(roots)}</nav>`;
}

function shorten(text: string, max: number): string {
  const flat = text.trim();
  return [...flat].length <= max ? flat : [...flat].slice(0, max - 1).join('') + '…';
}

/**
 * @example
 * letterPage({ letter, passages, highlight: { start: 89, end: 151 }, permalink: 'https://…?q=89-151', assetVersion: 'x' })
 */
export function letterPage(options: LetterPageOptions): Html {
  const { letter, passages, highlight } = options;
  const title = citationTitle(letter) || letterRefOf(letter).doc;
  const quote = highlight
    ? html`<aside class="quote-box" aria-label="quote">
<p class="label">引文 · Quote <span class="range">${highlight.start}–${highlight.end}</span></p>
<blockquote><p>${letter.text.slice(highlight.start, highlight.end)}</p></blockquote>
<p class="actions"><a href="#quote">在原文中定位 · Show in the letter</a>${options.permalink ? html` · <label>永久链接 · Permalink <input class="permalink" type="text" readonly value="${options.permalink}"></label> <button type="button" class="copy" data-copy="${options.permalink}" hidden>复制 · Copy</button>` : null}</p>
</aside>`
    : null;
  return layout({
    title,
    current: 'letter',
    assetVersion: options.assetVersion,
    body: html`<article class="letter"${highlight ? html` data-quote="${highlight.start}-${highlight.end}"` : null}>
<header>
<p class="issuer">${letter.issuer ?? '（发文单位不详）'}</p>
<h1>${title}</h1>
${metadata(letter)}
${sourceNote(letter)}
</header>
${quote}
${sectionTree(letter.sections)}
<p class="legend"><span class="commitment">下一步工作承诺</span> commitments · <span class="passage-key">¶</span> 检索段落起点 passage starts${highlight ? html` · <span class="mark-key">引文</span> the quote` : null}</p>
<div class="text">
${new Html(renderLetterText(letter, passages, highlight))}
</div>
</article>`,
  });
}
