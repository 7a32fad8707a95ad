/**
 * A search form of a line: Simplified characters, inline pinyin annotations dropped, full-width
 * ASCII folded to ASCII. Used only to RECOGNISE things (headings, fields, dates); quotes and spans
 * always come from the original text, which this module never changes.
 */
import * as OpenCC from 'opencc-js/t2cn';

const toSimplified = OpenCC.Converter({ from: 'tw', to: 'cn' });
const charCache = new Map<string, string>();

/** Pinyin glosses scraped pages put after characters: 關(guān)于, 答復(fù). */
const PINYIN_GLOSS = /\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,7}\)/g;

function simplifyChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  // Full-width ASCII (！ to ～) → ASCII; ideographic space → space.
  if (code >= 0xff01 && code <= 0xff5e) return String.fromCodePoint(code - 0xfee0);
  if (code === 0x3000 || code === 0xa0) return ' ';
  if (code < 0x3400) return ch;
  let out = charCache.get(ch);
  if (out === undefined) {
    const converted: string = toSimplified(ch) ?? ch;
    // Keep the mapping one character to one character so positions stay comparable.
    out = [...converted].length === 1 ? converted : ch;
    charCache.set(ch, out);
  }
  return out;
}

/** A normalised string plus, for every normalised UTF-16 index, the index it came from. */
export interface SearchForm {
  text: string;
  /** `map[i]` = index in the original of normalised code unit `i`; `map[text.length]` = original length. */
  map: number[];
}

/**
 * Per UTF-16 code unit outside the surrogates: 0 not looked up yet, 1 unchanged by simplifyChar,
 * 2 changed (to `changedTo`). Parsing asks for the search form of every line several times: a
 * table lookup per character instead of a string slice and a Map lookup (6 % of a build).
 */
const unitState = new Uint8Array(0x10000);
const changedTo = new Map<number, string>();

function stateOf(code: number): number {
  let state = unitState[code];
  if (state === 0) {
    const ch = String.fromCharCode(code);
    const out = simplifyChar(ch);
    state = out === ch ? 1 : 2;
    if (state === 2) changedTo.set(code, out);
    unitState[code] = state;
  }
  return state;
}

const OPEN_PAREN = 0x28;
const isSurrogate = (code: number) => code >= 0xd800 && code <= 0xdfff;

/**
 * Builds the search form of `s` with a position map back into `s`.
 * @example searchFormWithMap('關(guān)于').text // '关于'
 */
export function searchFormWithMap(s: string): SearchForm {
  const drop = glossMask(s);
  let text = '';
  const map: number[] = [];
  for (let i = 0; i < s.length; ) {
    const code = s.charCodeAt(i);
    if (isSurrogate(code)) {
      const len = (s.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
      if (!drop?.[i]) {
        const out = simplifyChar(s.slice(i, i + len));
        for (let k = 0; k < out.length; k++) map.push(i);
        text += out;
      }
      i += len;
      continue;
    }
    if (!drop?.[i]) {
      if (stateOf(code) === 1) text += s[i];
      else {
        const out = changedTo.get(code)!;
        for (let k = 1; k < out.length; k++) map.push(i);
        text += out;
      }
      map.push(i);
    }
    i++;
  }
  map.push(s.length);
  return { text, map };
}

/** Code units of pinyin glosses to drop (only a gloss right after a CJK character is one; "(a)" in running text is not); null when there are none. */
function glossMask(s: string): Uint8Array | null {
  if (s.indexOf('(') < 0) return null;
  let drop: Uint8Array | null = null;
  for (const m of s.matchAll(PINYIN_GLOSS)) {
    const prev = m.index > 0 ? s.charCodeAt(m.index - 1) : 0;
    if (prev >= 0x3400) {
      drop ??= new Uint8Array(s.length);
      for (let i = m.index; i < m.index + m[0].length; i++) drop[i] = 1;
    }
  }
  return drop;
}

/**
 * The search form of `s` (see module doc).
 * @example searchForm('第19號建議的答復(fù)：') // '第19号建议的答复:'
 */
export function searchForm(s: string): string {
  // A pinyin gloss to drop: the general path.
  if (s.indexOf('(') >= 0) return searchFormWithMap(s).text;
  // Else the line with its changed characters replaced, stretches between them copied whole: most
  // lines change some (every ，and ： is full-width), and a position map built unit by unit cost
  // 3 × more. Lines with nothing to change are themselves.
  let out = '';
  let done = 0; // s[0, done) is in `out`
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (isSurrogate(code)) {
      const len = (s.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
      const ch = s.slice(i, i + len);
      const to = simplifyChar(ch);
      if (to !== ch) {
        out += s.slice(done, i) + to;
        done = i + len;
      }
      i += len - 1;
    } else if (stateOf(code) !== 1) {
      out += s.slice(done, i) + changedTo.get(code)!;
      done = i + 1;
    }
  }
  return done === 0 ? s : out + s.slice(done);
}

/**
 * Drops pinyin glosses from a metadata value (title, issuer) without touching anything else.
 * @example stripPinyin('關(guān)于') // '關于'
 */
export function stripPinyin(s: string): string {
  return s.replace(PINYIN_GLOSS, (m, offset: number) => (offset > 0 && s.charCodeAt(offset - 1) >= 0x3400 ? '' : m));
}
