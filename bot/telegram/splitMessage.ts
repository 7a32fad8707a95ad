/**
 * Splits Telegram-HTML into messages that fit Telegram's 4096-character limit.
 *
 * Input is a list of blocks, each a self-contained, balanced HTML fragment (a heading, one quote
 * with its citation line…). Blocks are packed whole into messages, so a quote and its citation
 * travel together. Only a block that is by itself too long is cut, and then at the best boundary
 * available (line, sentence, space, character), never inside a tag, an entity (`&amp;`) or a
 * surrogate pair / emoji sequence; tags open at the cut are closed and re-opened in the next message.
 *
 * Lengths are measured on the raw HTML (UTF-16 code units), which is never shorter than the text
 * Telegram counts after parsing entities, so a chunk that fits here fits there.
 */

/** Telegram's limit for one text message. */
export const TELEGRAM_MESSAGE_LIMIT = 4096;

/** What goes between two blocks packed into the same message. */
const BLOCK_SEPARATOR = '\n\n';

/**
 * Packs HTML blocks into as few messages as possible, each at most `limit` characters.
 *
 * @example
 * splitMessage(['<b>Q</b>', '<blockquote>quote</blockquote>\n[1] citation'])
 * // → ['<b>Q</b>\n\n<blockquote>quote</blockquote>\n[1] citation']
 */
export function splitMessage(blocks: string[], limit = TELEGRAM_MESSAGE_LIMIT): string[] {
  const messages: string[] = [];
  let current = '';
  const flush = (): void => {
    if (current.trim() !== '') messages.push(current);
    current = '';
  };
  for (const block of blocks) {
    if (block.trim() === '') continue;
    if (block.length > limit) {
      flush();
      const parts = splitHtml(block, limit);
      messages.push(...parts.slice(0, -1));
      current = parts[parts.length - 1] ?? '';
      continue;
    }
    const joined = current === '' ? block : current + BLOCK_SEPARATOR + block;
    if (joined.length <= limit) current = joined;
    else {
      flush();
      current = block;
    }
  }
  flush();
  return messages;
}

interface Token {
  kind: 'open' | 'close' | 'text' | 'entity' | 'void';
  raw: string;
  /** Tag name for open/close tokens. */
  name?: string;
}

const TOKEN_RE = /<\/?([a-zA-Z][a-zA-Z0-9-]*)[^<>]*>|&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{0,31});|[^<&]+|[<&]/g;

function tokenize(html: string): Token[] {
  const tokens: Token[] = [];
  for (const m of html.matchAll(TOKEN_RE)) {
    const raw = m[0];
    if (raw.startsWith('</')) tokens.push({ kind: 'close', raw, name: m[1]!.toLowerCase() });
    else if (raw.startsWith('<') && raw.length > 1) {
      tokens.push({ kind: raw.endsWith('/>') ? 'void' : 'open', raw, name: m[1]!.toLowerCase() });
    } else if (raw.startsWith('&') && raw.length > 1) tokens.push({ kind: 'entity', raw });
    // A stray `<` or `&` is not valid Telegram HTML: escape it rather than let it break parsing.
    else if (raw === '<') tokens.push({ kind: 'entity', raw: '&lt;' });
    else if (raw === '&') tokens.push({ kind: 'entity', raw: '&amp;' });
    else tokens.push({ kind: 'text', raw });
  }
  return tokens;
}

/**
 * Cuts one HTML fragment into chunks of at most `limit` characters, keeping tags balanced in
 * every chunk. Unbalanced input is repaired: a stray closing tag is dropped, tags left open are closed.
 *
 * @example
 * splitHtml('<b>' + 'a'.repeat(5000) + '</b>', 4096).every((c) => c.startsWith('<b>') && c.endsWith('</b>')) // true
 */
export function splitHtml(html: string, limit = TELEGRAM_MESSAGE_LIMIT): string[] {
  const chunks: string[] = [];
  const stack: { name: string; raw: string }[] = [];
  const closers = (): string => stack.map((t) => `</${t.name}>`).reverse().join('');
  const openers = (): string => stack.map((t) => t.raw).join('');
  let current = '';
  /** Whether `current` holds anything beyond re-opened tags. */
  let hasContent = false;

  const flush = (): void => {
    if (hasContent) chunks.push(current + closers());
    current = openers();
    hasContent = false;
  };
  const room = (): number => limit - current.length - closers().length;

  for (const token of tokenize(html)) {
    if (token.kind === 'close') {
      const at = findLastIndex(stack, (t) => t.name === token.name);
      if (at < 0) continue; // stray closing tag: drop it
      // Close everything opened after the matching tag too (repairs mis-nesting like <b><i></b>).
      const closing = stack.slice(at).map((t) => `</${t.name}>`).reverse().join('');
      current += closing;
      stack.length = at;
      continue;
    }
    if (token.kind === 'open') {
      // An opening tag needs room for itself, its closing tag and at least one character.
      if (room() < token.raw.length + token.name!.length + 4) flush();
      current += token.raw;
      stack.push({ name: token.name!, raw: token.raw });
      continue;
    }
    if (token.kind === 'void' || token.kind === 'entity') {
      if (room() < token.raw.length) flush();
      current += token.raw;
      hasContent = true;
      continue;
    }
    let text = token.raw;
    while (text.length > 0) {
      const space = room();
      if (text.length <= space) {
        current += text;
        hasContent = true;
        break;
      }
      const cut = bestCut(text, space, hasContent);
      if (cut <= 0) {
        if (!hasContent) {
          // Not even one character fits after the re-opened tags: drop the tags rather than loop.
          stack.length = 0;
          current = '';
          if (limit < 2) throw new Error(`message limit ${limit} is too small`);
        }
        flush();
        continue;
      }
      current += text.slice(0, cut);
      hasContent = true;
      text = text.slice(cut);
      flush();
      // A line break or space at the start of a continuation is noise.
      text = text.replace(/^[\n ]+/, '');
    }
  }
  if (hasContent) chunks.push(current + closers());
  return chunks;
}

const SENTENCE_END = /[。！？；!?;.…]["”’』」)）]*/g;

/**
 * Where to cut `text` so that the first part has at most `space` characters: after the last line
 * break, else after the last sentence end, else after the last space, else at the last safe
 * character boundary. Returns 0 when it is better to start a new message first (only a poor cut
 * is possible here and the message already has content).
 */
function bestCut(text: string, space: number, hasContent: boolean): number {
  if (space <= 0) return 0;
  const window = text.slice(0, space);
  const minimum = Math.floor(space / 2);
  const newline = window.lastIndexOf('\n');
  if (newline >= minimum) return newline + 1;
  let sentence = -1;
  for (const m of window.matchAll(SENTENCE_END)) sentence = m.index! + m[0].length;
  if (sentence >= minimum) return sentence;
  const blank = window.lastIndexOf(' ');
  if (blank >= minimum) return blank + 1;
  // Only a mid-sentence cut is possible here; if the message already has content, prefer moving on.
  if (hasContent && space < 200) return 0;
  const safe = safeBoundary(text, space);
  if (safe > 0) return safe;
  // A single glued sequence longer than a message (hostile input): keep only surrogate pairs whole.
  const low = text.charCodeAt(space);
  const pairSafe = low >= 0xdc00 && low <= 0xdfff ? space - 1 : space;
  return pairSafe > 0 ? pairSafe : Math.min(2, text.length);
}

/**
 * The largest index ≤ `at` that does not split a surrogate pair, a ZWJ emoji sequence, a
 * variation selector, a keycap or a combining mark from its base.
 *
 * @example
 * safeBoundary('a😀b', 2) // 1 — index 2 is between the two halves of 😀
 */
export function safeBoundary(text: string, at: number): number {
  let i = Math.min(at, text.length);
  while (i > 0 && i < text.length && !isBoundary(text, i)) i--;
  return i;
}

function isBoundary(text: string, i: number): boolean {
  const before = text.charCodeAt(i - 1);
  const after = text.charCodeAt(i);
  if (before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff) return false;
  if (before === 0x200d || after === 0x200d) return false; // zero-width joiner glues emoji
  if (after === 0xfe0e || after === 0xfe0f || after === 0x20e3) return false; // variation selectors, keycap
  if (after >= 0x0300 && after <= 0x036f) return false; // combining diacritics
  // Skin-tone modifiers (U+1F3FB–1F3FF) are surrogate pairs starting with D83C DFFB–DFFF.
  if (after === 0xd83c) {
    const low = text.charCodeAt(i + 1);
    if (low >= 0xdffb && low <= 0xdfff) return false;
  }
  // Regional-indicator flags come in pairs (D83C DDE6–DDFF); never separate the two letters.
  if (after === 0xd83c && isRegionalLow(text.charCodeAt(i + 1)) && i >= 2 && text.charCodeAt(i - 2) === 0xd83c && isRegionalLow(before)) {
    let count = 0;
    for (let j = i - 2; j >= 1 && text.charCodeAt(j) === 0xd83c && isRegionalLow(text.charCodeAt(j + 1)); j -= 2) count++;
    if (count % 2 === 1) return false;
  }
  return true;
}

function isRegionalLow(code: number): boolean {
  return code >= 0xdde6 && code <= 0xddff;
}

function findLastIndex<T>(items: T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i]!)) return i;
  return -1;
}
