/**
 * Keeps only the sentences of an LLM-written summary that the cited material supports: each sentence
 * needs an [n] marker naming a citation, and its key terms must occur in what that citation quotes.
 * Chinese is checked by character bigrams, numbers and Latin tokens (MOX, TIR, 1210) must match exactly.
 */
import { normalizeForMatch } from '../../index/lexical/normalizeForMatch.ts';

// Share of a Chinese sentence's character bigrams that must occur in its cited text.
const MIN_BIGRAM_SHARE = 0.5;
const MARKER = /\[(\d+)\]/g;

/**
 * Cuts synthesis text into sentences, each keeping the [n] markers that follow its final punctuation.
 *
 * @example
 * splitSynthesisSentences('双方签订了协议。[1] MOX is an exchange [2]. Done.') // → ['双方签订了协议。[1]', 'MOX is an exchange [2].', 'Done.']
 */
export function splitSynthesisSentences(text: string): string[] {
  const out: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    current += ch;
    const ends = '。！？!?\n'.includes(ch) || (ch === '.' && (i + 1 === text.length || /\s/.test(text[i + 1])) && !/\d$/.test(current.slice(0, -1)));
    if (!ends) continue;
    const trailing = /^(\s*\[\d+\])+/.exec(text.slice(i + 1));
    if (trailing) {
      current += trailing[0];
      i += trailing[0].length;
    }
    if (current.trim()) out.push(current.trim());
    current = '';
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

function hanBigrams(s: string): string[] {
  const grams: string[] = [];
  for (const run of s.match(/\p{Script=Han}+/gu) ?? []) {
    const chars = [...run];
    for (let i = 0; i + 1 < chars.length; i++) grams.push(chars[i] + chars[i + 1]);
  }
  return grams;
}

/**
 * Why a sentence is unsupported, or null when it is supported.
 *
 * @example
 * unsupportedReason('协议于2025年续签。[1]', new Map([[1, '2023年12月签订了协议']])) // → 'number 2025 not in the cited text'
 */
export function unsupportedReason(sentence: string, support: Map<number, string>, question = ''): string | null {
  const markers = [...sentence.matchAll(MARKER)].map((m) => Number(m[1]));
  const cited = markers.filter((n) => support.has(n));
  if (cited.length === 0) return 'no marker naming a citation';
  const body = normalizeForMatch(sentence.replace(MARKER, ''));
  const evidence = normalizeForMatch(cited.map((n) => support.get(n)).join('\n'));
  for (const num of body.match(/\d+(?:\.\d+)?/g) ?? []) if (!evidence.includes(num)) return `number ${num} not in the cited text`;
  // Latin tokens worth checking are names and codes (MOX, TIR, MIF), not English prose words.
  const codes = sentence.replace(MARKER, '').match(/\b[A-Z][A-Z0-9]+\b/g) ?? [];
  // The asker's own words (an acronym they used) may be echoed back.
  const asked = normalizeForMatch(question);
  for (const code of codes) if (!evidence.includes(code.toLowerCase()) && !asked.includes(code.toLowerCase())) return `token ${code} not in the cited text`;
  const grams = hanBigrams(body);
  if (grams.length > 0) {
    const found = grams.filter((g) => evidence.includes(g)).length;
    if (found / grams.length < MIN_BIGRAM_SHARE) return `only ${found}/${grams.length} character pairs found in the cited text`;
  }
  return null;
}

/**
 * The supported sentences of `text`, joined; markers naming no citation are removed from kept sentences.
 * `support` maps citation number → the text it stands for (quote plus its passage).
 *
 * @example
 * keepSupportedSentences('签订了全面合作框架协议。[1] 还建了机场。[1]', new Map([[1, '…签订了全面合作框架协议…']])) // → '签订了全面合作框架协议。[1]'
 */
export function keepSupportedSentences(
  text: string,
  support: Map<number, string>,
  onDrop?: (sentence: string, reason: string) => void,
  question = '',
): string {
  const kept: string[] = [];
  for (const sentence of splitSynthesisSentences(text)) {
    const reason = unsupportedReason(sentence, support, question);
    if (reason) {
      onDrop?.(sentence, reason);
      continue;
    }
    kept.push(sentence.replace(MARKER, (m, n: string) => (support.has(Number(n)) ? m : '')).trim());
  }
  const joined = kept.some((s) => /[A-Za-z]$|[.!?](\s*\[\d+\])*$/.test(s) && !/\p{Script=Han}/u.test(s)) ? kept.join(' ') : kept.join('');
  return joined.trim();
}
