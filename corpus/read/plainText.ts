/**
 * Line-level normalisation shared by every format: one newline convention, no control
 * characters, no trailing blanks. Wording is never touched.
 */

/**
 * Normalise decoded text: CRLF/CR → LF, form feed / vertical tab / Unicode line and paragraph
 * separators → LF, other control characters and stray BOMs dropped, trailing whitespace of each
 * line removed, runs of blank lines squeezed to one, leading/trailing blank lines removed.
 *
 * @example
 * normalizeLines('\uFEFF关于…的答复\r\n\r\n\r\n张委员:\t \r\n'); // '关于…的答复\n\n张委员:'
 */
export function normalizeLines(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\f\v\u2028\u2029]/g, '\n')
    .replace(/[\u0000-\u0008\u000e-\u001f\u007f-\u009f\ufeff\ufffe]/g, '')
    .replace(/[ \t\u00a0\u3000]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/^\n+|\n+$/g, '');
}

/**
 * Strip Markdown markup that is not wording: heading markers (`## 一、…` → `一、…`), blockquote
 * markers and `**bold**`/`__bold__` emphasis. Lists, tables and everything else stay as written.
 *
 * @example
 * markdownToText('# 关于第12号提案的答复\n**一、工作情况**'); // '关于第12号提案的答复\n一、工作情况'
 */
export function markdownToText(text: string): string {
  return text
    .replace(/^[ \t]{0,3}#{1,6}[ \t]+(.*?)[ \t]*#*[ \t]*$/gm, '$1')
    .replace(/^[ \t]{0,3}>[ \t]?/gm, '')
    .replace(/\*\*(?=\S)([^*\n]*?\S)\*\*/g, '$1')
    .replace(/__(?=\S)([^_\n]*?\S)__/g, '$1');
}
