/**
 * `/`: the search box, and the answer to the question in it — the same `answerQuestion` the bot and
 * the terminal use, rendered as HTML: quotes grouped by letter, each with its citation and a link to
 * the quote highlighted in its letter; "not stated" and refusals as the engine words them, with the
 * nearest letters. A plain GET form: works without JavaScript (the script only saves the reload).
 */
import type { LetterRef } from '../../index/searchTypes.ts';
import type { Answer, Citation } from '../answerTypes.ts';
import { formatDate, labelsFor } from '../answer/answerLabels.ts';
import { letterPath, permalink } from '../answer/permalink.ts';
import { describeLetterRef } from '../answer/renderPlain.ts';
import { isWebLink } from '../telegram/renderHtml.ts';
import { html, type Html, type HtmlValue } from './html.ts';
import { layout } from './layout.ts';

export interface SearchPageOptions {
  question: string;
  answer?: Answer;
  /** A notice instead of an answer (e.g. the question is too long). */
  notice?: { zh: string; en: string };
  assetVersion: string;
}

/** Example questions shown under an empty search box. */
// Short ones that work on any collection of reply letters; the shipped two letters answer all three.
const EXAMPLES = ['MOX', '澳门 青年交流', '下一步工作计划'];

/** Over the quotes of a "not stated" answer. */
const CLOSEST: Record<Answer['lang'], string> = {
  zh: '最接近的原文（并未回答这个问题）：',
  'zh-Hant': '最接近的原文（並未回答這個問題）：',
  en: 'The closest passage (it does not answer the question):',
};

function letterLink(ref: LetterRef, answer: Answer): Html {
  return html`<a href="${letterPath(ref.id)}">${describeLetterRef(ref, answer.lang)}</a>`;
}

function citationFigure(c: Citation, answer: Answer): Html {
  const l = labelsFor(answer.lang);
  const link = permalink('', c);
  const parts: HtmlValue[] = [html`<span class="n">[${c.n}]</span>`, c.issuer ?? l.unknownIssuer];
  if (c.date) parts.push(formatDate(c.date, answer.lang));
  if (c.section) parts.push(html`<span class="section">${c.section}</span>`);
  parts.push(html`<a class="permalink" href="${link}#quote">${answer.lang === 'en' ? 'see it in the letter' : '查看原文位置'}</a>`);
  if (isWebLink(c.source)) parts.push(html`<a class="source" href="${c.source}" rel="noopener noreferrer nofollow">${l.source}</a>`);
  const caption = parts.map((p, i) => (i <= 1 ? html`${p} ` : html`· ${p} `));
  return html`<figure class="citation" id="c${c.n}">
<blockquote cite="${link}"><p>${c.quote}</p></blockquote>
<figcaption>${caption}</figcaption>
</figure>`;
}

/** The answer as HTML (also what the script swaps in without a reload). */
export function answerView(answer: Answer): Html {
  const l = labelsFor(answer.lang);
  const byN = new Map(answer.citations.map((c) => [c.n, c]));
  const blocks: HtmlValue[] = [];
  if (answer.refused && answer.citations.length === 0) {
    blocks.push(html`<p class="refusal">${l.refusal}</p>`);
    blocks.push(
      answer.nearest.length
        ? html`<h2 class="nearest">${l.nearest}</h2><ul class="nearest">${answer.nearest.map((r) => html`<li>${letterLink(r, answer)}</li>`)}</ul>`
        : html`<p>${l.noNearest}</p>`,
    );
  } else {
    // A refusal that still shows quotes is a "not stated": the letters discuss the topic but do not
    // say what was asked. The sentence saying so is the engine's own (the first line of its text);
    // the quotes under it are labelled as not answering.
    if (answer.refused) {
      blocks.push(html`<p class="not-stated">${answer.text.split('\n')[0]}</p>`);
      blocks.push(html`<p class="mode">${CLOSEST[answer.lang]}</p>`);
    }
    if (answer.mode === 'commitments') blocks.push(html`<p class="mode">${answer.citations.length ? l.commitmentsHeader : l.noCommitments}</p>`);
    if (answer.synthesis) blocks.push(html`<div class="synthesis"><h2>${l.synthesisHeader}</h2><p>${answer.synthesis}</p></div>`);
    for (const group of answer.groups) {
      const cites = group.citations.map((n) => byN.get(n)).filter((c): c is Citation => c !== undefined);
      if (cites.length === 0) continue;
      blocks.push(html`<section class="letter-group"><h2>${letterLink(group.letter, answer)}</h2>${cites.map((c) => citationFigure(c, answer))}</section>`);
    }
    if (answer.citations.length === 0) blocks.push(html`<p>${l.noMore}</p>`);
    const inGroups = new Set(answer.groups.map((g) => g.letter.id));
    const seeAlso = answer.nearest.filter((r) => !inGroups.has(r.id)).slice(0, 5);
    if (seeAlso.length) blocks.push(html`<h2 class="see-also">${l.seeAlso}</h2><ul class="nearest">${seeAlso.map((r) => html`<li>${letterLink(r, answer)}</li>`)}</ul>`);
    if (answer.hasMore) {
      const next = `/?q=${encodeURIComponent(answer.question)}&page=${(answer.page ?? 1) + 1}`;
      blocks.push(html`<p class="more"><a href="${next}" rel="next">${answer.lang === 'en' ? 'More results' : '更多结果'}</a></p>`);
    }
  }
  const lang = answer.lang === 'en' ? 'en' : answer.lang === 'zh-Hant' ? 'zh-Hant' : 'zh-Hans';
  return html`<section class="answer" lang="${lang}" aria-live="polite">
<p class="question"><span>${l.question}:</span> <q>${answer.question}</q></p>
${blocks}
</section>`;
}

/**
 * @example
 * searchPage({ question: 'MOX?', answer, assetVersion: 'x' })
 */
export function searchPage(options: SearchPageOptions): Html {
  const empty = !options.answer && !options.notice;
  return layout({
    title: options.question ? options.question : '检索 · Search',
    current: 'search',
    assetVersion: options.assetVersion,
    body: html`<form class="search" method="get" action="/" role="search" data-swap="results">
<label for="q">向复函提问 · <span lang="en">Ask the reply letters</span></label>
<div class="row"><input id="q" name="q" type="search" value="${options.question}" maxlength="500" required placeholder="例如：上合示范区与澳门的合作" autocomplete="off"><button type="submit">检索 · Search</button></div>
</form>
<div id="results">
${options.notice ? html`<p class="notice" role="alert">${options.notice.zh} <span lang="en">${options.notice.en}</span></p>` : null}
${options.answer ? answerView(options.answer) : null}
${empty ? html`<section class="examples"><h2>试试 · Try</h2><ul>${EXAMPLES.map((q) => html`<li><a href="/?q=${encodeURIComponent(q)}">${q}</a></li>`)}</ul></section>` : null}
</div>`,
  });
}
