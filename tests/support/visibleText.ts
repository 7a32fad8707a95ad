/**
 * The visible text of HTML (Telegram's or a page's): tags removed, the entities our escaping writes decoded.
 *
 * @example
 * visibleText('<b>A &amp; B</b> &lt;script&gt;') // → 'A & B <script>'
 */
export function visibleText(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}
