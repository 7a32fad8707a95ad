/**
 * The pages for bad requests: an unknown letter (404), a range outside the letter (400), a
 * question that is too long (400), too many requests (429), a failure (500) — a sentence saying
 * what happened and where to go, never a stack trace.
 */
import { html, type Html } from './html.ts';
import { layout } from './layout.ts';

export interface ErrorPageOptions {
  status: 400 | 404 | 429 | 500;
  /** One sentence in Chinese. */
  zh: string;
  /** The same in English. */
  en: string;
  assetVersion: string;
}

const HEADINGS: Record<ErrorPageOptions['status'], string> = {
  400: '请求有误 · Bad request',
  404: '未找到 · Not found',
  429: '请求过于频繁 · Too many requests',
  500: '出错了 · Something went wrong',
};

/**
 * @example
 * errorPage({ status: 404, zh: '没有这封复函。', en: 'There is no such letter.', assetVersion: 'x' })
 */
export function errorPage(options: ErrorPageOptions): Html {
  return layout({
    title: HEADINGS[options.status],
    assetVersion: options.assetVersion,
    body: html`<section class="error" role="alert">
<h1>${HEADINGS[options.status]} <small>(${options.status})</small></h1>
<p>${options.zh}</p>
<p lang="en">${options.en}</p>
<p><a href="/">返回检索 · Back to search</a> · <a href="/commitments">下一步工作 · Commitments</a></p>
</section>`,
  });
}
