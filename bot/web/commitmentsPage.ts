/**
 * `/commitments`: the tracker — every 下一步 commitment in a table (issuer, letter, date, the
 * commitment verbatim, linked to it highlighted in its letter). The filters are a GET form and the
 * column headings sort links, so it all works without JavaScript; the script only saves the reloads.
 */
import { formatDate } from '../answer/answerLabels.ts';
import { letterPath, permalink } from '../answer/permalink.ts';
import type { CommitmentQuery, CommitmentRow, SortKey } from './commitmentRows.ts';
import { html, type Html } from './html.ts';
import { layout } from './layout.ts';

export interface CommitmentsPageOptions {
  rows: CommitmentRow[];
  total: number;
  facets: { issuers: string[]; years: number[] };
  query: CommitmentQuery;
  assetVersion: string;
}

/**
 * The query as URL parameters (only what is set), e.g. for sort links and the CSV link.
 *
 * @example
 * commitmentParams({ year: 2024, sort: 'issuer' }) // → 'year=2024&sort=issuer'
 */
export function commitmentParams(query: CommitmentQuery): string {
  const p = new URLSearchParams();
  if (query.issuer) p.set('issuer', query.issuer);
  if (query.year !== undefined) p.set('year', String(query.year));
  if (query.words) p.set('words', query.words);
  if (query.sort) p.set('sort', query.sort);
  if (query.dir) p.set('dir', query.dir);
  return p.toString();
}

function sortHeader(label: Html, key: SortKey, query: CommitmentQuery): Html {
  const current = (query.sort ?? 'date') === key;
  const dir = query.dir ?? (key === 'date' ? 'desc' : 'asc');
  const next = current ? (dir === 'asc' ? 'desc' : 'asc') : key === 'date' ? 'desc' : 'asc';
  const href = `/commitments?${commitmentParams({ ...query, sort: key, dir: next })}`;
  const aria = current ? (dir === 'asc' ? 'ascending' : 'descending') : 'none';
  return html`<th scope="col" aria-sort="${aria}"><a href="${href}" data-swap-link>${label}${current ? (dir === 'asc' ? ' ▲' : ' ▼') : ''}</a></th>`;
}

function row(r: CommitmentRow): Html {
  const link = permalink('', r);
  return html`<tr>
<td class="issuer">${r.issuer || '—'}</td>
<td class="letter"><a href="${letterPath(r.letter)}">${r.title || r.letter}</a>${r.proposal && !r.title.includes(r.proposal) ? html` <small>${r.proposal}</small>` : null}</td>
<td class="date">${r.date ? html`<time datetime="${r.date}">${formatDate(r.date, 'zh')}</time>` : '—'}</td>
<td class="verbatim"><a href="${link}#quote">${r.text}</a>${r.section ? html` <small class="section">${r.section}</small>` : null}</td>
</tr>`;
}

/**
 * @example
 * commitmentsPage({ rows, total: rows.length, facets, query: {}, assetVersion: 'x' })
 */
export function commitmentsPage(options: CommitmentsPageOptions): Html {
  const { query, facets } = options;
  const params = commitmentParams(query);
  return layout({
    title: '下一步工作 · Commitments',
    current: 'commitments',
    assetVersion: options.assetVersion,
    body: html`<h1>下一步工作承诺 <small lang="en">Commitments</small></h1>
<form class="filters" method="get" action="/commitments" data-swap="results" data-live>
<label>发文单位 · Issuer <select name="issuer"><option value="">全部 · all</option>${facets.issuers.map((i) => html`<option${i === query.issuer ? html` selected` : null}>${i}</option>`)}</select></label>
<label>年份 · Year <select name="year"><option value="">全部 · all</option>${facets.years.map((y) => html`<option${y === query.year ? html` selected` : null}>${y}</option>`)}</select></label>
<label>词语 · Words <input type="search" name="words" value="${query.words ?? ''}" maxlength="200" placeholder="例如：培训"></label>
${query.sort ? html`<input type="hidden" name="sort" value="${query.sort}">` : null}${query.dir ? html`<input type="hidden" name="dir" value="${query.dir}">` : null}
<button type="submit">筛选 · Filter</button>
</form>
<div id="results">
<p class="count"><span id="count">${options.rows.length}</span> / ${options.total} 条承诺 commitments · <a href="/commitments.csv${params ? `?${params}` : ''}" download>下载 CSV · Download CSV</a></p>
${
  options.rows.length
    ? html`<div class="table-wrap"><table id="commitments">
<thead><tr>${sortHeader(html`发文单位 <span lang="en">Issuer</span>`, 'issuer', query)}${sortHeader(html`复函 <span lang="en">Letter</span>`, 'letter', query)}${sortHeader(html`日期 <span lang="en">Date</span>`, 'date', query)}<th scope="col">承诺原文 <span lang="en">Commitment (verbatim)</span></th></tr></thead>
<tbody>
${options.rows.map(row)}
</tbody>
</table></div>`
    : html`<p class="empty">没有符合条件的承诺。 <span lang="en">No commitment matches these filters.</span></p>`
}
</div>`,
  });
}
