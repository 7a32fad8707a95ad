/**
 * Abbreviations a letter defines: `中华(澳门)金融资产交易股份有限公司(以下简称“MOX”)`,
 * `…，以下简称XX`, `简称“XX”`.
 */
import type { Alias } from '../letter.ts';

const DEFINE = /[（(]?\s*(?:以下|下文|下同)?\s*(?:简称|称)\s*[:：]?\s*[“"「『]?([^”"」』)）,，。；;\s]{1,24})[”"」』]?\s*[)）]?/g;
/** Where the full name to the left of a definition stops. */
const LEFT_STOP = /[，,。；;：:、！？\n“”"《》与同及由在对将向把从经为是了]/;

function fullNameBefore(text: string, at: number): string | null {
  let i = at;
  let depth = 0;
  while (i > 0 && at - i < 40) {
    const ch = text[i - 1];
    if (ch === ')' || ch === '）') depth++;
    else if (ch === '(' || ch === '（') {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && LEFT_STOP.test(ch)) break;
    i--;
  }
  // A list marker at the start of a line is not part of the name (2．优化站点 → 优化站点).
  const full = text.slice(i, at).trim().replace(/^([(（]?[0-9一二三四五六七八九十]{1,3}[)）]|[0-9一二三四五六七八九十]{1,3}\s*[、.．]|[一二三四五六七八九十]是)/, '');
  return full.length >= 2 ? full : null;
}

/**
 * Aliases defined in `text`, first definition of each short form wins.
 * @example findAliases('与中华(澳门)金融资产交易股份有限公司(以下简称“MOX”)签订') // [{ short: 'MOX', full: '中华(澳门)金融资产交易股份有限公司' }]
 */
export function findAliases(text: string): Alias[] {
  const out: Alias[] = [];
  const seen = new Set<string>();
  for (const m of text.matchAll(DEFINE)) {
    const raw = m[0];
    // Only 以下简称/简称 count; a bare 称 needs 以下 (以下称“甲方”).
    if (!/简称/.test(raw) && !/以下|下文/.test(raw)) continue;
    let at = m.index;
    // `X(以下简称…)` or `X，以下简称…`: the full name ends before the bracket or comma.
    if (text[at - 1] === '，' || text[at - 1] === ',') at--;
    const full = fullNameBefore(text, at);
    const short = m[1].trim();
    if (!full || !short || seen.has(short) || full === short) continue;
    seen.add(short);
    out.push({ short, full });
  }
  return out;
}
