/**
 * The inline buttons under an answer: per quote "full passage" and "citation"; per letter "whole
 * letter"; and paging — "previous" beside "more results". Kept small — Telegram shows at most a
 * few rows comfortably — and never with an empty row.
 */
import { InlineKeyboard } from 'grammy';
import type { InlineKeyboardButton } from 'grammy/types';
import type { Answer } from '../answerTypes.ts';
import { conversationTexts } from '../conversation/conversationTexts.ts';
import { textsFor } from './botTexts.ts';
import { encodeCallback } from './callbackData.ts';
import { truncateText } from './renderHtml.ts';

/** At most this many quotes get their own buttons (Telegram keyboards get unwieldy beyond). */
const MAX_QUOTE_BUTTONS = 6;
const MAX_LETTER_BUTTONS = 3;

/**
 * Buttons for an answer stored in the cache under `answerId`, showing page `page`;
 * undefined when there is nothing to press (e.g. a refusal).
 *
 * @example
 * ctx.reply(html, { parse_mode: 'HTML', reply_markup: answerKeyboard(answer, 'k3', 1) })
 */
export function answerKeyboard(answer: Answer, answerId: string, page: number): InlineKeyboard | undefined {
  if (answer.citations.length === 0) return undefined;
  const t = textsFor(answer.lang).buttons;
  const button = (label: string, action: 'p' | 'c' | 'l' | 'm', n: number) => InlineKeyboard.text(label, encodeCallback({ action, answer: answerId, n }));
  const citations = answer.citations.slice(0, MAX_QUOTE_BUTTONS);
  // With many quotes a row of long labels is unreadable: only the first button carries the word.
  const label = (mark: string, n: number, word: string, first: boolean): string =>
    citations.length <= 2 || first ? `${mark}${n} ${word}` : `${mark}${n}`;
  const rows: InlineKeyboardButton[][] = [
    citations.map((c, i) => button(label('¶', c.n, t.passage, i === 0), 'p', c.n)),
    citations.map((c, i) => button(label('❝', c.n, t.cite, i === 0), 'c', c.n)),
  ];
  // One "whole letter" button per letter, pointing at the first quote of that letter.
  const seen = new Set<string>();
  const letters: InlineKeyboardButton[] = [];
  for (const c of answer.citations) {
    if (seen.has(c.letter) || seen.size >= MAX_LETTER_BUTTONS) continue;
    seen.add(c.letter);
    letters.push(button(`📜 ${t.letter}: ${truncateText(c.issuer ?? c.doc, 12)}`, 'l', c.n));
  }
  rows.push(letters);
  // Quotes: "more" asks for the next page (which may turn out empty); a listing knows whether it has one.
  const paging: InlineKeyboardButton[] = [];
  if (page > 1) paging.push(button(conversationTexts(answer.lang).previous, 'm', page - 1));
  if (answer.mode === 'quotes') paging.push(button(t.more, 'm', page + 1));
  else if (answer.mode === 'commitments' && answer.hasMore) paging.push(button(conversationTexts(answer.lang).more, 'm', page + 1));
  rows.push(paging);
  return InlineKeyboard.from(rows.filter((row) => row.length > 0));
}
