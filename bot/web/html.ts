/**
 * HTML built from tagged templates in which every interpolated value is escaped unless it is
 * already `Html`: a letter or a question containing `<script>` can only ever come out as text.
 *
 * @example
 * html`<p>${'<script>'}</p>`.value            // → '<p>&lt;script&gt;</p>'
 * html`<ul>${['a', 'b'].map((x) => html`<li>${x}</li>`)}</ul>`.value // → '<ul><li>a</li><li>b</li></ul>'
 */
import { escapeHtml } from '../telegram/renderHtml.ts';

/** A fragment of markup that is safe to insert as is. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** What may be interpolated: text (escaped), numbers, markup, lists of those; null/undefined/false are left out. */
export type HtmlValue = Html | string | number | null | undefined | false | HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** Tagged template: the literal parts are markup, every `${value}` is escaped (see `HtmlValue`). */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0];
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1];
  });
  return new Html(out);
}

/** Escaped text as markup (for building pieces outside a template). */
export function text(value: string): Html {
  return new Html(escapeHtml(value));
}
