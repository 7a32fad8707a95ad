/**
 * Permalinks: the address of a quote inside its letter on the web pages (`fuhan serve`), so a reader
 * can click through to the exact sentence, highlighted. Offsets are the citation's `start`/`end`
 * (the same as `fuhan ask --json`), which stay put for as long as the letter's file is unchanged.
 */
import type { Citation } from '../answerTypes.ts';

/**
 * The path of a letter's page; each segment of the id is URL-encoded (ids of letters in sub-folders contain `/`).
 *
 * @example
 * letterPath('qingdao-shanghe-mox')        // → '/letters/qingdao-shanghe-mox'
 * letterPath('2024/重庆 0963')             // → '/letters/2024/%E9%87%8D%E5%BA%86%200963'
 */
export function letterPath(id: string): string {
  return `/letters/${id.split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * The link to a quote: `<base>/letters/<id>?q=<start>-<end>`.
 *
 * @example
 * permalink('https://fuhan.example.org/', { letter: 'qingdao-shanghe-mox', start: 89, end: 151 })
 * // → 'https://fuhan.example.org/letters/qingdao-shanghe-mox?q=89-151'
 */
export function permalink(baseUrl: string, citation: Pick<Citation, 'letter' | 'start' | 'end'>): string {
  return `${baseUrl.replace(/\/+$/, '')}${letterPath(citation.letter)}?q=${citation.start}-${citation.end}`;
}
