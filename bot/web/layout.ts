/**
 * The frame every page shares: one stylesheet and one small script, both served from this server
 * (the Content-Security-Policy allows nothing else), the site header and the footer.
 */
import { html, type Html, type HtmlValue } from './html.ts';

export interface PageOptions {
  title: string;
  /** Which header link is the current page. */
  current?: 'search' | 'commitments' | 'letter';
  /** Cache-busting version of the static files (a hash of their content). */
  assetVersion: string;
  body: HtmlValue;
}

/**
 * A whole HTML document.
 *
 * @example
 * layout({ title: '检索', current: 'search', assetVersion: 'abc123', body: html`<p>…</p>` }).value.startsWith('<!doctype html>') // → true
 */
export function layout(options: PageOptions): Html {
  const v = options.assetVersion;
  const here = (page: PageOptions['current']) => (options.current === page ? html` aria-current="page"` : '');
  return html`<!doctype html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${options.title} · 复函 Fuhan</title>
<link rel="icon" href="/static/favicon.svg?v=${v}" type="image/svg+xml">
<link rel="stylesheet" href="/static/fuhan.css?v=${v}">
<script src="/static/fuhan.js?v=${v}" defer></script>
</head>
<body>
<header class="site">
<a class="brand" href="/">复函 <span lang="en">Fuhan</span></a>
<nav aria-label="site">
<a href="/"${here('search')}>检索 <span lang="en">Search</span></a>
<a href="/commitments"${here('commitments')}>下一步工作 <span lang="en">Commitments</span></a>
</nav>
</header>
<main id="main">
${options.body}
</main>
<footer class="site"><p>引文均为复函原文逐字摘录，可点击查看原文中的位置。 <span lang="en">Every quote is verbatim from its letter; follow its link to see it in place.</span></p></footer>
</body>
</html>
`;
}
